"""Deciding: clear links, reviews, twins, family fields, explanations that add up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cme.linkage.decision import Decision, DecisionPolicy, Hold
from cme.linkage.linker import Linker
from cme.linkage.model import MatchModel
from cme.linkage.records import PersonRecord, parse_record

from .conftest import child, index_of


def _decisions(linker: Linker, referral: PersonRecord) -> list[tuple[str, Decision]]:
    return [(c.pair.record.id, c.decision) for c in linker.rank(referral)]


def test_a_clear_match_is_linked(model: MatchModel) -> None:
    target = child(1)
    linker = Linker(index_of([target]), model)
    referral = replace(target, id="q", upn="", nhs_number="", forename="ollie")
    assert _decisions(linker, referral)[0] == ("R1", Decision.LINK)


def test_nickname_swapped_dob_and_old_postcode_still_link(model: MatchModel) -> None:
    target = child(1, forename="william", previous_postcodes=("WF99ZZ",))
    linker = Linker(index_of([target]), model)
    referral = replace(
        target, id="q", forename="bill", dob=date(2014, 9, 3), postcode="WF99ZZ", address=""
    )
    ranked = linker.rank(referral)
    assert ranked[0].pair.record.id == "R1"


def test_twins_are_never_linked_automatically(model: MatchModel) -> None:
    twin_a = child(1, forename="amelia", sex="F")
    twin_b = child(2, forename="isla", sex="F")
    linker = Linker(index_of([twin_a, twin_b]), model)
    for referral in (replace(twin_a, id="q"), replace(twin_b, id="q", upn="", nhs_number="")):
        ranked = linker.rank(referral)
        assert all(c.decision is not Decision.LINK for c in ranked)
        assert Hold.TWIN in ranked[0].held_because
        assert ranked[0].decision is Decision.REVIEW


def test_an_unregistered_twin_is_not_linked_to_the_registered_one(model: MatchModel) -> None:
    registered = child(1, forename="amelia", sex="F")
    linker = Linker(index_of([registered]), model)
    other_twin = replace(registered, id="q", forename="isla", upn="", nhs_number="")
    ranked = linker.rank(other_twin)
    assert all(c.decision is not Decision.LINK for c in ranked)


def test_family_fields_alone_never_link(model: MatchModel) -> None:
    target = child(1)
    linker = Linker(index_of([target]), model)
    referral = replace(target, id="q", forename="", upn="", nhs_number="")
    ranked = linker.rank(referral)
    assert ranked[0].decision is Decision.REVIEW
    assert Hold.FAMILY_FIELDS_ONLY in ranked[0].held_because


def test_a_bad_check_character_upn_is_not_evidence(model: MatchModel) -> None:
    target = child(1, forename="amelia", surname="quartermaine")
    other = child(2, forename="noah", surname="brown", dob=date(2011, 1, 1), postcode="BD11AA")
    linker = Linker(index_of([target, other]), model)
    bad_upn = other.upn[:-1] + ("1" if other.upn[-1] != "1" else "2")
    referral, warnings = parse_record(
        {"id": "q", "forename": "amelia", "surname": "quartermaine", "upn": bad_upn}
    )
    assert referral.upn == ""
    assert warnings
    ranked = linker.rank(referral)
    assert ranked[0].pair.record.id == "R1"
    assert all(c.pair.record.id != "R2" for c in ranked)


def test_conflicting_identifier_holds_the_link(model: MatchModel) -> None:
    target = child(1)
    linker = Linker(index_of([target]), model)
    referral = replace(target, id="q", upn=child(5).upn)
    ranked = linker.rank(referral)
    assert ranked[0].decision is not Decision.LINK
    assert Hold.CONFLICTING_IDENTIFIER in ranked[0].held_because


def test_at_most_one_link_and_at_most_ten_candidates(model: MatchModel) -> None:
    family = [child(i, forename=f"kid{i}", dob=date(2010, 1, 1 + i)) for i in range(15)]
    linker = Linker(index_of(family), model, DecisionPolicy(floor_probability=0.0))
    ranked = linker.rank(replace(family[0], id="q"))
    assert len(ranked) <= 10
    assert sum(c.decision is Decision.LINK for c in ranked) <= 1


def test_explanation_weights_add_up_to_the_score(model: MatchModel) -> None:
    target = child(1, forename="william")
    linker = Linker(index_of([target, child(2, forename="jack")]), model)
    referral = replace(target, id="q", forename="bill", dob=date(2014, 9, 3))
    for match in linker.match(referral):
        explanation = match.explanation
        total = explanation.prior_centibits + sum(line.centibits for line in explanation.lines)
        assert total == explanation.score_centibits == match.candidate.pair.total
        assert "Date of birth: day and month swapped" in explanation.text()
        assert 0.0 <= explanation.probability <= 1.0


texts = st.text(max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "id": st.just("q"),
            "forename": texts,
            "surname": texts,
            "dob": texts,
            "postcode": texts,
            "address": texts,
            "upn": texts,
        }
    )
)
def test_matching_never_raises_on_arbitrary_text(raw: dict[str, str]) -> None:
    linker = _shared_linker()
    referral, _ = parse_record(raw)
    for match in linker.match(referral):
        assert match.explanation.score_centibits == match.candidate.pair.total


_LINKER: list[Linker] = []


def _shared_linker() -> Linker:
    if not _LINKER:
        _LINKER.append(Linker(index_of([child(1)]), MatchModel.default()))
    return _LINKER[0]
