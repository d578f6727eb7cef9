"""Identity resolution: which register child is a referral about (issue #3).

Pure Python (stdlib, `cme.standards`, rapidfuzz, jellyfish, numpy); no Django. Import the
submodules, which each say what they own:

- `records`: `PersonRecord`, `parse_record` (input columns, dates, identifiers, warnings)
- `names`, `comparisons`, `model`, `scoring`, `explain`: how a pair is compared and weighed
- `index`: `RegisterIndex`, the in-memory register with its blocking keys
- `decision`: `decide`, `DecisionPolicy`, the safeguarding rules for automatic links
- `linker`: `Linker`, one referral at a time against a warm index (the app's entry point)
- `batch`, `csvio`, `files`: linking whole files (`manage.py link`)
"""
