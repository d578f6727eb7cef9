"""Retraining the match model on the authority's own notifications, with the figures to judge it.

No labels are asked of anyone: the notifications the service has matched are the referrals,
the register is the register, and pairs sharing a valid UPN or NHS number seed the training
(`cme.linkage.batch.train_on`). Officers' decisions on past matches are not used to train,
so they can fairly judge the result: the figures show, for the old model and the new, how
many notifications would be linked, sent to review or not matched, and how often an
automatic link would contradict what an officer decided.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Final

from cme.linkage.batch import train_on
from cme.linkage.decision import Decision
from cme.linkage.index import RegisterIndex
from cme.linkage.linker import Linker
from cme.linkage.model import MatchModel, TrainingReport, describe_change
from cme.linkage.records import PersonRecord

from .models import IdentityMatch
from .register import index_children, query_record, registered_children

# The most recent notifications trained on; more add little and cost time.
MAX_NOTIFICATIONS: Final = 50_000


@dataclass(frozen=True, slots=True)
class Figures:
    """How a model decides the notifications, and how that sits with officers' decisions."""

    notifications: int
    linked: int
    review: int
    not_matched: int
    officer_decisions: int
    links_agreeing: int
    links_contradicting: int

    def lines(self) -> list[str]:
        return [
            f"notifications={self.notifications} linked={self.linked} review={self.review} "
            f"not_matched={self.not_matched}",
            f"officer_decisions={self.officer_decisions} links_agreeing={self.links_agreeing} "
            f"links_contradicting={self.links_contradicting}",
        ]


@dataclass(frozen=True, slots=True)
class Retraining:
    model: MatchModel
    report: TrainingReport
    before: Figures
    after: Figures
    weight_changes: list[str]

    def text(self) -> str:
        """The figures before and after, and every weight that changed, as printed."""
        return "\n".join(
            [
                "Before:",
                *("  " + line for line in self.before.lines()),
                "After:",
                *("  " + line for line in self.after.lines()),
                f"Trained on {self.model.trained_on}; {self.report.iterations} iterations"
                + ("" if self.report.converged else " (did not converge)"),
                "Weights (bits):",
                *("  " + line for line in self.weight_changes),
            ]
        )


def _notifications() -> tuple[list[PersonRecord], dict[str, int | None]]:
    """The kept notifications as query records, and what officers decided on each."""
    records = []
    decided: dict[str, int | None] = {}
    matches = IdentityMatch.objects.order_by("-created_at", "-id")[:MAX_NOTIFICATIONS]
    for match in matches.iterator():
        record_id = f"m{match.pk}"
        records.append(query_record({**match.details, "id": record_id}))
        if match.status == IdentityMatch.Status.CONFIRMED:
            decided[record_id] = match.child_id
        elif match.status == IdentityMatch.Status.REJECTED:
            decided[record_id] = None
    return records, decided


def figures(linker: Linker, records: list[PersonRecord], decided: dict[str, int | None]) -> Figures:
    """Decide every record with `linker` and compare the links with officers' decisions."""
    outcomes: Counter[str] = Counter()
    agreeing = contradicting = 0
    for record in records:
        ranked = linker.rank(record)
        linked = next((c for c in ranked if c.decision is Decision.LINK), None)
        if linked is not None:
            outcomes["linked"] += 1
            if record.id in decided:
                if decided[record.id] == int(linked.pair.record.id):
                    agreeing += 1
                else:
                    contradicting += 1
        elif any(c.decision is Decision.REVIEW for c in ranked):
            outcomes["review"] += 1
        else:
            outcomes["not_matched"] += 1
    return Figures(
        notifications=len(records),
        linked=outcomes["linked"],
        review=outcomes["review"],
        not_matched=outcomes["not_matched"],
        officer_decisions=len(decided),
        links_agreeing=agreeing,
        links_contradicting=contradicting,
    )


def retrain(*, current: MatchModel, seed: int = 0) -> Retraining:
    """Train a new model from the current one on the kept notifications; nothing is saved."""
    index = index_children(registered_children()) or RegisterIndex.from_records([])
    records, decided = _notifications()
    model, report = train_on(records, index, seed=seed, start=current)
    return Retraining(
        model=model,
        report=report,
        before=figures(Linker(index, current), records, decided),
        after=figures(Linker(index, model), records, decided),
        weight_changes=describe_change(current, model),
    )
