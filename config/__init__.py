"""The project's configuration. Settings made for the whole process are made here, when the
settings are first imported: before any app imports the libraries they concern."""

import os

# NumPy asks the kernel for transparent huge pages for every array of 4 MB or more. A whole
# authority's attendance import makes dozens of arrays of 40-80 MB, each used for one pass;
# faulting them in as huge pages cost it 0.2-0.3 s of its 4 s (docs/benchmarks.md). Off
# unless the deployment says otherwise (NumPy reads this when it is first imported).
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
