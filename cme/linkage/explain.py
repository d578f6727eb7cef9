"""Plain-words explanations of a score: which fields agreed or not, and how much each counted.

Owns what an officer reads next to a candidate. Every line carries the weight the scorer
actually used, so the lines and the starting point (the prior) add up exactly to the score
shown, and the probability shown is computed from that score.
"""

from __future__ import annotations

from dataclasses import dataclass

from cme.linkage.comparisons import COMPARISONS, MISSING
from cme.linkage.scoring import CENTIBITS, ScoredPair, probability_from_bits


@dataclass(frozen=True, slots=True)
class ExplanationLine:
    """One field: its label, the outcome in plain words, and its weight in bits (0.01 steps)."""

    field: str
    label: str
    outcome: str
    weight: float
    counted: bool
    centibits: int

    def __str__(self) -> str:
        if not self.counted:
            return f"{self.label}: {self.outcome}"
        return f"{self.label}: {self.outcome} ({self.weight:+.2f})"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a candidate scored what it did; `prior + sum(line weights) == score` exactly."""

    prior: float
    lines: tuple[ExplanationLine, ...]
    score: float
    probability: float
    prior_centibits: int
    score_centibits: int

    def text(self) -> str:
        """The explanation as lines of text, strongest evidence first."""
        body = [str(line) for line in self.lines]
        return "\n".join(
            [
                f"Starting point (chance of one particular child before any details): "
                f"{self.prior:+.2f}",
                *body,
                f"Score: {self.score:+.2f} bits, probability {self.probability:.4f}",
            ]
        )


def explain(pair: ScoredPair) -> Explanation:
    """Explain a scored pair, fields ordered by how much they counted (either way)."""
    lines = []
    for index, (comparison, level, weight) in enumerate(
        zip(COMPARISONS, pair.levels, pair.weights, strict=True)
    ):
        spec = comparison.levels[level]
        outcome = spec.words
        if spec.term_frequency:
            outcome += " (weighed by how common it is in the register)"
        lines.append(
            (
                -abs(weight),
                index,
                ExplanationLine(
                    field=comparison.name,
                    label=comparison.label,
                    outcome=outcome,
                    weight=weight / CENTIBITS,
                    counted=level != MISSING,
                    centibits=weight,
                ),
            )
        )
    if pair.competition:
        lines.append(
            (
                -abs(pair.competition),
                len(COMPARISONS),
                ExplanationLine(
                    field="other_candidates",
                    label="Other candidates",
                    outcome="other register records also fit these details",
                    weight=pair.competition / CENTIBITS,
                    counted=True,
                    centibits=pair.competition,
                ),
            )
        )
    lines.sort(key=lambda item: (item[0], item[1]))
    total = pair.total
    return Explanation(
        prior=pair.prior / CENTIBITS,
        lines=tuple(line for _, _, line in lines),
        score=total / CENTIBITS,
        probability=probability_from_bits(total / CENTIBITS),
        prior_centibits=pair.prior,
        score_centibits=total,
    )
