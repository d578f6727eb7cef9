"""The school-transfer pages as an officer uses them."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.accounts.models import User
from cme.audit.models import AccessEvent
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import ChildFactory, CurrentAddressFactory, pupil_at
from cme.transfers.models import CtfFile, TransferWorkItem

from .factories import import_sample, lost_pupil_on_worklist
from .samples import UPN_1, ctf, lost_pupil_ctf, pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client: Client, cme_officer: User) -> Client:
    client.force_login(cme_officer)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/xml")


def test_uploading_a_ctf_imports_it_and_shows_what_happened(officer: Client) -> None:
    response = officer.post(
        "/transfers/files/upload/", {"file": upload("a.xml", ctf())}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "a.xml imported: created=1 updated=0 unchanged=0 review=0 rejected=0" in page
    assert "Added to the register" in page
    assert Child.objects.count() == 1
    assert CtfFile.objects.get().received_by is not None


def test_a_hostile_upload_is_refused_on_the_page_and_kept(officer: Client) -> None:
    evil = b'<!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]><CTfile>&x;</CTfile>'

    response = officer.post("/transfers/files/upload/", {"file": upload("evil.xml", evil)})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "document type declaration" in response.content.decode()
    assert CtfFile.objects.get().status == CtfFile.Status.REFUSED
    assert Child.objects.count() == 0


@override_settings(CTF_MAX_BYTES=100)
def test_an_upload_over_the_limit_is_refused_unread(officer: Client) -> None:
    response = officer.post("/transfers/files/upload/", {"file": upload("big.xml", ctf())})

    assert response.status_code == 400
    assert "larger than the limit of 100 bytes" in response.content.decode()
    assert bytes(CtfFile.objects.get().content) == b""


def test_an_upload_without_a_file_asks_for_one(officer: Client) -> None:
    response = officer.post("/transfers/files/upload/", {})

    assert response.status_code == 400
    assert "Select a CTF file" in response.content.decode()


def test_the_file_page_lists_problems_by_element_and_imports_again_on_request(
    officer: Client,
) -> None:
    ctf_file = import_sample(ctf(pupil(dob="2016-02-30")))

    page = officer.get(f"/transfers/files/{ctf_file.pk}/").content.decode()
    again = officer.post(f"/transfers/files/{ctf_file.pk}/", {"confirm": "yes"}, follow=True)

    assert "/CTfile/CTFpupilData/Pupil/DOB: DOB is not a real date" in page
    assert "imported again: created=0 updated=0 unchanged=1" in again.content.decode()
    assert ctf_file.runs.count() == 2


def test_the_received_file_downloads_exactly_as_it_came_and_the_download_is_logged(
    officer: Client, cme_officer: User
) -> None:
    content = ctf()
    ctf_file = import_sample(content)

    response = officer.get(f"/transfers/files/{ctf_file.pk}/download/")

    assert response.content == content
    assert response["Content-Disposition"] == 'attachment; filename="sample.xml"'
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.DOWNLOAD, actor=cme_officer
    ).exists()


def test_the_worklist_shows_who_sent_each_lost_pupil_how_long_it_waited_and_who_has_it(
    officer: Client, cme_officer: User
) -> None:
    item = lost_pupil_on_worklist()
    item.assigned_to = cme_officer
    item.save()

    page = officer.get("/transfers/").content.decode()

    assert "ALEX JO EXAMPLE" in page
    assert "Cambridgeshire" in page  # the sending authority, LA 873
    assert "Another authority is looking for a pupil" in page
    assert "Today" in page
    assert str(cme_officer) in page


def test_an_officer_takes_an_item_then_marks_it_done(officer: Client, cme_officer: User) -> None:
    item = lost_pupil_on_worklist()

    officer.post(f"/transfers/items/{item.pk}/", {"action": "take"})
    missing = officer.post(f"/transfers/items/{item.pk}/", {"action": "close", "outcome": ""})
    officer.post(f"/transfers/items/{item.pk}/", {"action": "close", "outcome": "Not known here"})

    assert missing.status_code == 400
    assert "Enter what was done" in missing.content.decode()
    item.refresh_from_db()
    assert (item.assigned_to, item.status, item.outcome) == (cme_officer, "done", "Not known here")


def test_has_anyone_lost_this_child_finds_the_lost_pupil_from_the_childs_record(
    officer: Client, school: School
) -> None:
    lost_pupil_on_worklist()
    child = pupil_at(
        school,
        forename="Alex",
        surname="Example",
        upn="",
        date_of_birth=datetime.date(2016, 5, 14),
        sex="F",
    )
    CurrentAddressFactory.create(child=child, line_1="1 Example Street", postcode="BA1 0AA")

    results = officer.get(f"/transfers/lost-pupils/?child={child.pk}")

    page = results.content.decode()
    assert results.status_code == 200
    assert "1 lost pupil found" in page
    assert "Cambridgeshire" in page
    assert f"?child={child.pk}" in page


def test_recording_that_a_lost_pupil_is_a_child_then_forwarding_the_ctf_to_their_school(
    officer: Client, school: School
) -> None:
    item = lost_pupil_on_worklist()
    child = pupil_at(school, forename="Alex", surname="Example")

    detail = officer.get(f"/transfers/lost-pupils/{item.lost_pupil_id}/?child={child.pk}")
    officer.post(f"/transfers/lost-pupils/{item.lost_pupil_id}/", {"child": child.pk})
    form = officer.get(f"/transfers/items/{item.pk}/forward/")
    download = officer.post(
        f"/transfers/items/{item.pk}/forward/", {"destination": "school", "laestab": school.laestab}
    )

    assert f"Yes, this is {child.full_name}" in detail.content.decode()
    item.refresh_from_db()
    assert (item.kind, item.child) == (TransferWorkItem.Kind.LOST_PUPIL_FOUND, child)
    assert f'value="{school.laestab}"' in form.content.decode()  # the child's school, suggested
    assert download["Content-Disposition"] == (
        f'attachment; filename="8739999_CTF_{school.laestab}_001.xml"'
    )
    assert f"<Estab>{school.establishment_number}</Estab>".encode() in download.content
    assert item.status == TransferWorkItem.Status.DONE


def test_the_child_ctf_page_downloads_a_ctf_for_the_lost_pupil_database(
    officer: Client, school: School
) -> None:
    child = pupil_at(school, upn=UPN_1)

    page = officer.get(f"/children/{child.pk}/ctf/")
    bad = officer.post(f"/children/{child.pk}/ctf/", {"destination": "school", "laestab": "12"})
    download = officer.post(f"/children/{child.pk}/ctf/", {"destination": "unknown"})

    assert page.status_code == 200
    assert "Download a CTF" in page.content.decode()
    assert bad.status_code == 400
    assert download["Content-Disposition"] == 'attachment; filename="800LLLL_CTF_XXXXXXX_001.xml"'
    assert b"<LEA>XXX</LEA>" in download.content


def test_the_childs_record_links_to_the_ctf_page_for_the_cme_team_only(
    client: Client, cme_officer: User, school_user: User, school: School
) -> None:
    child = pupil_at(school)
    link = f"/children/{child.pk}/ctf/"

    client.force_login(cme_officer)
    assert link in client.get(f"/children/{child.pk}/").content.decode()
    client.force_login(school_user)
    assert link not in client.get(f"/children/{child.pk}/").content.decode()


def test_a_merged_childs_old_id_leads_to_the_surviving_record(officer: Client) -> None:
    survivor = ChildFactory.create()
    duplicate = ChildFactory.create(merged_into=survivor)

    response = officer.get(f"/children/{duplicate.pk}/ctf/")

    assert response.status_code == 302
    assert response["Location"] == f"/children/{survivor.pk}/ctf/"


def test_a_file_that_is_not_a_lost_pupil_file_has_no_lost_pupil_page(officer: Client) -> None:
    ctf_file = import_sample(ctf())

    assert officer.get(f"/transfers/lost-pupils/{ctf_file.pupils.get().pk}/").status_code == 404


# Anything typed or posted gets a page, never a server error.
garbage = st.text(max_size=200) | st.sampled_from(
    ["\x00", "99999999999999999999", "-1", "😀" * 300]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_search_or_form_input_gets_a_page_not_an_error(
    officer: Client, data: st.DataObject
) -> None:
    search = {
        name: data.draw(garbage, label=name)
        for name in ("forename", "surname", "date_of_birth", "postcode", "upn", "child")
    }
    assert officer.get("/transfers/lost-pupils/", search).status_code in {200, 400, 404}
    item = TransferWorkItem.objects.first() or lost_pupil_on_worklist()
    posted = {"action": data.draw(garbage), "outcome": data.draw(garbage)}
    assert officer.post(f"/transfers/items/{item.pk}/", posted).status_code in {302, 400}
    forward = {"destination": data.draw(garbage), "laestab": data.draw(garbage)}
    assert officer.post(f"/transfers/items/{item.pk}/forward/", forward).status_code in {200, 400}
    record = {"child": data.draw(garbage)}
    assert officer.post(f"/transfers/lost-pupils/{item.lost_pupil_id}/", record).status_code in {
        302,
        404,
    }
    content = data.draw(st.binary(max_size=500))
    assert officer.post(
        "/transfers/files/upload/", {"file": upload("x.xml", content)}
    ).status_code in {302, 400}


def test_lost_pupil_files_uploaded_appear_in_the_search(officer: Client) -> None:
    officer.post("/transfers/files/upload/", {"file": upload("lost.xml", lost_pupil_ctf(pupil()))})

    page = officer.get(
        "/transfers/lost-pupils/", {"surname": "Example", "date_of_birth": "14/05/2016"}
    )

    assert "1 lost pupil found" in page.content.decode()
