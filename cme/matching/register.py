"""The pupil register as the matching engine sees it, kept warm in each process.

Owns turning `Child` rows into `PersonRecord`s and the per-process `LiveRegister`: a large
base index built once, plus a small overlay of the children added or changed since, so that
a child added or changed through the services is found by the very next match or search
without rebuilding the base (which takes seconds at a million children). The overlay is
found from `Child.updated_at`, which every service that changes a child's identifying
details or address bumps. When the overlay grows past a share of the base, or the active
model changes, the base is rebuilt.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from cme.linkage.decision import DecisionPolicy, RankedCandidate, decide
from cme.linkage.explain import Explanation, explain
from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel
from cme.linkage.records import COLUMNS, PersonRecord, parse_record
from cme.linkage.scoring import ScoredPair, Scorer
from cme.pupils.models import Address, Child

# A transaction may commit a little after it stamped `updated_at`: the overlay looks back this
# far before the base was read, so such a child is still picked up.
COMMIT_LAG: Final = datetime.timedelta(minutes=5)
# Rebuild the base when the overlay holds more than this share of it (and at least this many).
OVERLAY_SHARE: Final = 0.05
OVERLAY_MINIMUM: Final = 2_000
_BATCH: Final = 5_000


def registered_children() -> QuerySet[Child]:
    """Children the engine matches against: every record that has not been merged away."""
    return Child.objects.filter(merged_into__isnull=True)


def _address_text(line_1: str, line_2: str, town: str) -> str:
    return ", ".join(part for part in (line_1, line_2, town) if part)


def _addresses_of(children: QuerySet[Child]) -> dict[int, tuple[str, str, list[str]]]:
    """Each child's current address and postcode, and the postcodes of earlier addresses."""
    found: dict[int, tuple[str, str, list[str]]] = {}
    rows = (
        Address.objects.filter(child__in=children)
        .order_by("child_id", "-moved_in", "-id")  # as the model orders them: newest first
        .values_list("child_id", "line_1", "line_2", "town", "postcode", "moved_out")
    )
    for child_id, line_1, line_2, town, postcode, moved_out in rows.iterator(chunk_size=_BATCH):
        address, current, earlier = found.get(child_id, ("", "", []))
        if moved_out is None and not address and not current:
            address, current = _address_text(line_1, line_2, town), postcode
        elif postcode:
            earlier.append(postcode)
        found[child_id] = (address, current, earlier)
    return found


_CHILD_COLUMNS: Final = (
    "pk",
    "forename",
    "middle_names",
    "surname",
    "former_surnames",
    "date_of_birth",
    "sex",
    "upn",
    "nhs_number",
)


def index_children(children: QuerySet[Child]) -> RegisterIndex | None:
    """The engine's index of `children` (None when there are none), read as raw columns and
    normalised once per distinct value (`RegisterIndex.from_columns`)."""
    columns: dict[str, list[str]] = {name: [] for name in COLUMNS}
    columns["previous_postcodes"] = []
    addresses = _addresses_of(children)
    rows = children.order_by("pk").values_list(*_CHILD_COLUMNS)
    for pk, forename, middle, surname, former, dob, sex, upn, nhs in rows.iterator(
        chunk_size=_BATCH
    ):
        address, postcode, earlier = addresses.get(pk, ("", "", []))
        columns["id"].append(str(pk))
        columns["forename"].append(forename)
        columns["middle_names"].append(middle)
        columns["surname"].append(surname)
        columns["former_surname"].append(former)
        columns["dob"].append(dob.isoformat() if dob else "")
        columns["sex"].append(sex)
        columns["postcode"].append(postcode)
        columns["previous_postcodes"].append(";".join(earlier))
        columns["address"].append(address)
        columns["upn"].append(upn)
        columns["nhs_number"].append(nhs)
    if not columns["id"]:
        return None
    index, _warnings = RegisterIndex.from_columns(columns)
    return index


@dataclass(frozen=True, slots=True)
class Candidate:
    """A register child for a query: its decision and the explanation of its score."""

    child_id: int
    ranked: RankedCandidate
    explanation: Explanation

    @property
    def probability(self) -> float:
        return self.ranked.pair.probability


@dataclass(frozen=True, slots=True)
class _Overlay:
    index: RegisterIndex | None
    ids: frozenset[str]
    signature: tuple[int, datetime.datetime | None]


Versions = dict[int, datetime.datetime]


class RegisterSnapshot:
    """A base index and an overlay of changes, with one model: answers queries, read-only."""

    def __init__(
        self,
        *,
        base: RegisterIndex,
        model: MatchModel,
        model_version: int | None,
        window_start: datetime.datetime,
        base_versions: Versions,
        overlay: _Overlay,
        policy: DecisionPolicy | None = None,
    ) -> None:
        self.base = base
        self.model = model
        self.model_version = model_version
        self.window_start = window_start
        self.base_versions = base_versions
        self.overlay = overlay
        self.policy = policy or DecisionPolicy()
        self.scorer = Scorer.for_index(model, base)

    def with_overlay(self, overlay: _Overlay) -> RegisterSnapshot:
        """The same base with a newer overlay."""
        return RegisterSnapshot(
            base=self.base,
            model=self.model,
            model_version=self.model_version,
            window_start=self.window_start,
            base_versions=self.base_versions,
            overlay=overlay,
            policy=self.policy,
        )

    @property
    def size(self) -> int:
        extra = self.overlay.index.size if self.overlay.index is not None else 0
        return self.base.size + extra

    def _overlay_row(self, row: int) -> int | None:
        return row - self.base.size if row >= self.base.size else None

    def _twins(self, row: int) -> list[int]:
        overlay_row = self._overlay_row(row)
        if overlay_row is None:
            return [r for r in self.base.household_twins(row) if self._live(r)]
        assert self.overlay.index is not None
        return [r + self.base.size for r in self.overlay.index.household_twins(overlay_row)]

    def _live(self, base_row: int) -> bool:
        return self.base.ids[base_row] not in self.overlay.ids

    def score(self, query: PersonRecord) -> list[ScoredPair]:
        """Every candidate the blocking keys propose, in base and overlay, scored."""
        scored = [
            self.scorer.score(query, self.base.record(row), row)
            for row in self.base.candidates(query)
            if self._live(row)
        ]
        if self.overlay.index is not None:
            offset = self.base.size
            scored += [
                self.scorer.score(query, self.overlay.index.record(row), row + offset)
                for row in self.overlay.index.candidates(query)
            ]
        return scored

    def rank(self, query: PersonRecord) -> list[Candidate]:
        """Candidates above the floor, best first, each decided and explained."""
        ranked = decide(self.score(query), policy=self.policy, twins_of=self._twins, referral=query)
        return [
            Candidate(child_id=int(c.pair.record.id), ranked=c, explanation=explain(c.pair))
            for c in ranked
        ]


def _signature(since: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """A cheap fingerprint of the children changed since `since`: how many, and the latest."""
    found = Child.objects.filter(updated_at__gte=since).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return int(found["count"]), found["latest"]


def _versions(since: datetime.datetime) -> Versions:
    return dict(Child.objects.filter(updated_at__gte=since).values_list("pk", "updated_at"))


def _build_overlay(since: datetime.datetime, base_versions: Versions) -> _Overlay:
    """Every child changed since the base read them: those whose `updated_at` in the window
    differs from what the base saw (so a bulk load just before the base was built is not
    read twice)."""
    signature = _signature(since)
    changed = [pk for pk, seen in _versions(since).items() if base_versions.get(pk) != seen]
    index = index_children(registered_children().filter(pk__in=changed)) if changed else None
    return _Overlay(index=index, ids=frozenset(str(pk) for pk in changed), signature=signature)


class LiveRegister:
    """The warm register of one process; `snapshot()` is cheap when nothing has changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: RegisterSnapshot | None = None

    def clear(self) -> None:
        """Forget the index (tests, and after a bulk load)."""
        with self._lock:
            self._snapshot = None

    def snapshot(self, model: MatchModel, model_version: int | None) -> RegisterSnapshot:
        """The register as of now: the base, plus an overlay of every change since it was built.

        Costs one aggregate query when nothing has changed."""
        with self._lock:
            current = self._snapshot
            if current is None or current.model_version != model_version:
                current = self._rebuild(model, model_version)
            elif _signature(current.window_start) != current.overlay.signature:
                overlay = _build_overlay(current.window_start, current.base_versions)
                if len(overlay.ids) > max(OVERLAY_MINIMUM, OVERLAY_SHARE * current.base.size):
                    current = self._rebuild(model, model_version)
                else:
                    current = current.with_overlay(overlay)
            self._snapshot = current
            return current

    @staticmethod
    def _rebuild(model: MatchModel, model_version: int | None) -> RegisterSnapshot:
        window_start = timezone.now() - COMMIT_LAG
        # Read before the base: a change made while the base is read then shows as a change.
        base_versions = _versions(window_start)
        base = index_children(registered_children()) or RegisterIndex.from_records([])
        return RegisterSnapshot(
            base=base,
            model=model,
            model_version=model_version,
            window_start=window_start,
            base_versions=base_versions,
            overlay=_build_overlay(window_start, base_versions),
        )


def query_record(fields: Mapping[str, Any]) -> PersonRecord:
    """A notification's details (linkage column names, any missing) as a query record."""
    raw = {key: "" if value is None else str(value) for key, value in fields.items()}
    raw.setdefault("id", "query")
    record, _warnings = parse_record(raw)
    return record


LIVE_REGISTER: Final = LiveRegister()
