"""import_pupils: a pupil without a valid UPN is recognised by the identity-matching engine."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from cme.accounts.models import User
from cme.matching import services
from cme.matching.models import IdentityMatch
from cme.pupils import services as pupil_services
from cme.pupils.merging import merge_children
from cme.pupils.models import Child
from cme.pupils.tests.factories import ChildFactory, CurrentAddressFactory
from cme.pupils.tests.test_import_commands import run
from cme.pupils.tests.test_importers import add_school, pupil, pupils_file

pytestmark = pytest.mark.django_db

BIRTHDAY = datetime.date(2015, 3, 14)


@pytest.fixture(autouse=True)
def _school() -> None:
    add_school()


def _register(count: int = 20) -> None:
    for _ in range(count):
        ChildFactory.create()


def test_a_short_form_of_a_known_childs_name_is_that_child(tmp_path: Path) -> None:
    william = ChildFactory.create(
        forename="William", surname="Hartley", date_of_birth=BIRTHDAY, upn="", sex="M"
    )
    CurrentAddressFactory.create(child=william, line_1="1 Widcombe Parade", postcode="BA2 4JR")
    _register()
    row = pupil(upn="", nhs_number="", forename="Bill", surname="Hartley", sex="M")
    status, out, _err = run("import_pupils", str(pupils_file(tmp_path, [row])))
    assert status == 0
    assert out[-1].startswith("created=0")
    assert william.enrolments.count() == 1
    assert IdentityMatch.objects.get().status == IdentityMatch.Status.LINKED


def test_a_doubtful_row_waits_for_an_officer_whose_decision_holds_next_time(
    tmp_path: Path, cme_officer: User
) -> None:
    twins = [
        ChildFactory.create(forename=name, surname="Ashdown-Cole", date_of_birth=BIRTHDAY, upn="")
        for name in ("Ruby", "Rosa")
    ]
    for twin in twins:
        CurrentAddressFactory.create(child=twin, line_1="1 Widcombe Parade", postcode="BA2 4JR")
    _register()
    row = pupil(upn="", nhs_number="", forename="R", surname="Ashdown-Cole", sex="F")
    path = pupils_file(tmp_path, [row])

    status, out, err = run("import_pupils", str(path))
    assert out[-1] == "created=0 updated=0 unchanged=0 review=1 rejected=0"
    assert "decide which under Matches" in err[-1]
    match = IdentityMatch.objects.get(status=IdentityMatch.Status.REVIEW)

    services.confirm_match(actor=cme_officer, match=match, child_id=twins[1].pk)
    status, out, _err = run("import_pupils", str(path))
    assert status == 0
    assert out[-1].endswith("review=0 rejected=0")
    assert out[-1].startswith("created=0")
    assert twins[1].enrolments.count() == 1
    assert Child.objects.filter(surname="Ashdown-Cole").count() == 2


def test_nobody_like_the_pupil_adds_a_new_child(tmp_path: Path) -> None:
    _register()
    row = pupil(upn="", nhs_number="", forename="Xanthe", surname="Quimby")
    status, out, _err = run("import_pupils", str(pupils_file(tmp_path, [row])))
    assert status == 0
    assert out[-1] == "created=1 updated=0 unchanged=0 review=0 rejected=0"


def test_the_upn_of_a_merged_record_leads_to_the_survivor(
    tmp_path: Path, cme_manager: User
) -> None:
    survivor = ChildFactory.create(forename="Zoë", surname="O'Neill", date_of_birth=BIRTHDAY)
    duplicate = ChildFactory.create(forename="Zoe", surname="O'Neill", date_of_birth=BIRTHDAY)
    merge_children(actor=cme_manager, survivor=survivor, duplicate=duplicate, reason="Same child")
    status, out, _err = run(
        "import_pupils", str(pupils_file(tmp_path, [pupil(upn=duplicate.upn, nhs_number="")]))
    )
    assert status == 0
    assert out[-1].startswith("created=0")
    assert survivor.enrolments.count() == 1
    assert duplicate.enrolments.count() == 0


def test_a_child_changed_in_an_import_is_found_by_the_next_search(
    tmp_path: Path, cme_officer: User
) -> None:
    _register()
    services.candidates_for({"surname": "warm"})
    run("import_pupils", str(pupils_file(tmp_path, [pupil(forename="Ottilie", surname="Brandt")])))
    found = services.candidates_for(
        {"forename": "Ottilie", "surname": "Brandt", "dob": BIRTHDAY.isoformat()}
    )
    assert Child.objects.get(pk=found[0].child_id).surname == "Brandt"
    pupil_services.update_child(
        actor=cme_officer, child=Child.objects.get(surname="Brandt"), surname="Brandt-Kaur"
    )
    renamed = services.candidates_for(
        {"forename": "Ottilie", "surname": "Brandt-Kaur", "dob": BIRTHDAY.isoformat()}
    )
    assert renamed[0].ranked.pair.record.surname == "brandt kaur"
