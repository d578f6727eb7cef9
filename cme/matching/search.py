"""Find a child: what a member of staff types, read as identifying details and matched.

Owns the staff search. The words typed are read as a name, a date of birth, a postcode, a
UPN or an NHS number (`read_query`, pure); the identity-matching engine ranks the register
on those details (so Bill finds William, Mohammed finds Muhammad, and a day and month
swapped still finds the child), and a prefix search on names adds the children a half-typed
word already fits (so the list is useful as the user types). Results are scoped to what the
user may see, and every search is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.linkage.records import parse_dob
from cme.pupils import selectors as pupil_selectors
from cme.pupils.models import Child
from cme.standards.nhs_number import is_valid_nhs_number
from cme.standards.upn import check_upn

from .register import Candidate
from .selectors import readable_percent
from .services import candidates_for

RESULT_LIMIT: Final = 50
_POSTCODE: Final = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
_NHS_SPACED: Final = re.compile(r"\b(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})\b")
_DATE: Final = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$|^\d{8}$")
_NAME_WORD: Final = re.compile(r"^[^\W\d_][\w'\u2019-]*$")
# The engine is asked only when the query says enough to rank on: two details, or an identifier.
_ENGINE_MIN_DETAILS: Final = 2


def read_query(text: str) -> dict[str, str]:
    """The identifying details in a search, in linkage column names; never raises.

    A date is read as a date of birth, a full postcode as a postcode, a UPN or NHS number
    with a correct check character as itself (a wrong one is ignored: no evidence); the
    remaining words are the name: one word a last name, two a first and last name, more a
    first name, middle names and last name.
    """
    details: dict[str, str] = {}
    rest = text
    postcode = _POSTCODE.search(rest)
    if postcode:
        details["postcode"] = f"{postcode.group(1)} {postcode.group(2)}".upper()
        rest = rest[: postcode.start()] + " " + rest[postcode.end() :]
    nhs = _NHS_SPACED.search(rest)
    if nhs and is_valid_nhs_number("".join(nhs.groups())):
        details["nhs_number"] = "".join(nhs.groups())
        rest = rest[: nhs.start()] + " " + rest[nhs.end() :]
    names: list[str] = []
    for word in rest.replace(",", " ").split():
        if _DATE.match(word):
            dob = parse_dob(word)
            if dob is not None:
                details["dob"] = dob.isoformat()
            continue
        if len(word) == 13 and check_upn(word).is_valid:
            details["upn"] = word.upper()
            continue
        if _NAME_WORD.match(word):
            names.append(word)
    if len(names) == 1:
        details["surname"] = names[0]
    elif names:
        details["forename"] = names[0]
        details["surname"] = names[-1]
        if len(names) > 2:
            details["middle_names"] = " ".join(names[1:-1])
    return details


@dataclass(frozen=True)
class SearchResult:
    """A child found, with why: the engine's probability and strongest agreements, if ranked."""

    child: Child
    probability: float | None = None
    reasons: tuple[str, ...] = ()

    @property
    def percent(self) -> str:
        return "" if self.probability is None else readable_percent(self.probability)


def _reasons(candidate: Candidate) -> tuple[str, ...]:
    strongest = [line for line in candidate.explanation.lines if line.counted and line.weight > 0]
    return tuple(f"{line.label}: {line.outcome}" for line in strongest[:3])


def _prefix_query(details: dict[str, str]) -> str:
    """What the name-prefix search can use: the UPN alone, or the name words and the date."""
    if details.get("upn"):
        return details["upn"]
    words = [details.get(key, "") for key in ("forename", "middle_names", "surname")]
    if details.get("dob"):
        year, month, day = details["dob"].split("-")
        words.append(f"{day}/{month}/{year}")
    return " ".join(word for word in words if word)


def _engine_results(details: dict[str, str]) -> list[tuple[int, Candidate]]:
    identifier = bool(details.get("upn") or details.get("nhs_number"))
    if len(details) < _ENGINE_MIN_DETAILS and not identifier:
        return []
    return [(candidate.child_id, candidate) for candidate in candidates_for(details)]


def find_children(*, user: Any, query: str, limit: int = RESULT_LIMIT) -> list[SearchResult]:
    """Children who fit the search, best first, that `user` may see; the search is logged."""
    details = read_query(query)
    ranked = _engine_results(details)
    prefix = pupil_selectors.children_matching_words(
        user=user, query=_prefix_query(details), limit=limit
    )
    visible = pupil_selectors.children_visible_to(user)
    shown = visible.filter(pk__in=[child_id for child_id, _ in ranked]).in_bulk()
    results: list[SearchResult] = []
    for child_id, candidate in ranked:
        child = shown.get(child_id)
        if child is not None:
            results.append(SearchResult(child, candidate.probability, _reasons(candidate)))
    seen = {result.child.pk for result in results}
    results += [SearchResult(child) for child in prefix if child.pk not in seen]
    results = results[:limit]
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.SEARCH,
        purpose="Searched the pupil register",
        query=query,
        result_count=len(results),
    )
    return results
