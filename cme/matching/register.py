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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from cme.linkage.decision import DecisionPolicy, RankedCandidate, decide
from cme.linkage.explain import Explanation, explain
from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel
from cme.linkage.records import PersonRecord, parse_record
from cme.linkage.scoring import ScoredPair, Scorer
from cme.pupils.models import Address, Child

# A transaction may commit a little after it stamped `updated_at`: look back this far so such
# a child is still picked up by the overlay.
COMMIT_LAG: Final = datetime.timedelta(minutes=5)
# Rebuild the base when the overlay holds more than this share of it (and at least this many).
OVERLAY_SHARE: Final = 0.05
OVERLAY_MINIMUM: Final = 2_000
_BATCH: Final = 5_000


def registered_children() -> QuerySet[Child]:
    """Children the engine matches against: every record that has not been merged away."""
    return Child.objects.filter(merged_into__isnull=True)


def _address_text(address: Address) -> str:
    return ", ".join(part for part in (address.line_1, address.line_2, address.town) if part)


def raw_fields(child: Child, addresses: Sequence[Address]) -> dict[str, str]:
    """A child in the linkage input columns; `addresses` newest first, as the model orders them."""
    current = next((a for a in addresses if a.moved_out is None), None)
    earlier = [a.postcode for a in addresses if a is not current and a.postcode]
    return {
        "id": str(child.pk),
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "former_surname": child.former_surnames,
        "dob": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "sex": child.sex,
        "postcode": current.postcode if current else "",
        "previous_postcodes": ";".join(earlier),
        "address": _address_text(current) if current else "",
        "upn": child.upn,
        "nhs_number": child.nhs_number,
    }


def records_for(children: QuerySet[Child]) -> list[PersonRecord]:
    """The linkage records of `children`, read in batches (addresses with them)."""
    records: list[PersonRecord] = []
    ids = list(children.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        addresses: dict[int, list[Address]] = defaultdict(list)
        for address in Address.objects.filter(child_id__in=batch).order_by(
            "child_id", "-moved_in", "-id"
        ):
            addresses[address.child_id].append(address)
        for child in Child.objects.filter(pk__in=batch).order_by("pk"):
            record, _warnings = parse_record(raw_fields(child, addresses[child.pk]))
            records.append(record)
    return records


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


class RegisterSnapshot:
    """A base index and an overlay of changes, with one model: answers queries, read-only."""

    def __init__(
        self,
        *,
        base: RegisterIndex,
        model: MatchModel,
        model_version: int | None,
        built_at: datetime.datetime,
        overlay: _Overlay,
        policy: DecisionPolicy | None = None,
    ) -> None:
        self.base = base
        self.model = model
        self.model_version = model_version
        self.built_at = built_at
        self.overlay = overlay
        self.policy = policy or DecisionPolicy()
        self.scorer = Scorer.for_index(model, base)

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


def _overlay_signature(since: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    found = Child.objects.filter(updated_at__gte=since).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return int(found["count"]), found["latest"]


def _build_overlay(since: datetime.datetime) -> _Overlay:
    signature = _overlay_signature(since)
    changed = Child.objects.filter(updated_at__gte=since)
    ids = frozenset(str(pk) for pk in changed.values_list("pk", flat=True))
    records = records_for(registered_children().filter(updated_at__gte=since))
    index = RegisterIndex.from_records(records) if records else None
    return _Overlay(index=index, ids=ids, signature=signature)


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
        """The register as of now: the base, plus an overlay of every change since it was built."""
        with self._lock:
            current = self._snapshot
            if current is None or current.model_version != model_version:
                current = self._rebuild(model, model_version)
            else:
                since = current.built_at - COMMIT_LAG
                if _overlay_signature(since) != current.overlay.signature:
                    overlay = _build_overlay(since)
                    too_big = len(overlay.ids) > max(
                        OVERLAY_MINIMUM, OVERLAY_SHARE * current.base.size
                    )
                    if too_big:
                        current = self._rebuild(model, model_version)
                    else:
                        current = RegisterSnapshot(
                            base=current.base,
                            model=model,
                            model_version=model_version,
                            built_at=current.built_at,
                            overlay=overlay,
                        )
            self._snapshot = current
            return current

    @staticmethod
    def _rebuild(model: MatchModel, model_version: int | None) -> RegisterSnapshot:
        built_at = timezone.now()
        base = RegisterIndex.from_records(records_for(registered_children()))
        return RegisterSnapshot(
            base=base,
            model=model,
            model_version=model_version,
            built_at=built_at,
            overlay=_build_overlay(built_at - COMMIT_LAG),
        )


def query_record(fields: Mapping[str, Any]) -> PersonRecord:
    """A notification's details (linkage column names, any missing) as a query record."""
    raw = {key: "" if value is None else str(value) for key, value in fields.items()}
    raw.setdefault("id", "query")
    record, _warnings = parse_record(raw)
    return record


def child_ids(candidates: Iterable[Candidate]) -> list[int]:
    """The children of `candidates`, in order."""
    return [candidate.child_id for candidate in candidates]


LIVE_REGISTER: Final = LiveRegister()
