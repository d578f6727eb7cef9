"""The attendance pages, by role (who may open each is in tests/test_url_permissions.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.models import AttendanceTrigger, TriggerFollowUp
from cme.audit.models import AccessEvent, AuditEvent
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at

from .registers import weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def absent_pupil(tmp_path: Path, school: School) -> Child:
    """On `school`'s roll, absent without authorisation for 10 school days in December 2025."""
    child = pupil_at(school)
    days = weekdays(datetime.date(2025, 11, 24), 15)
    rows = [
        f"{child.upn},{school.laestab},{day},{session},{'/' if n < 5 else 'O'}"
        for n, day in enumerate(days)
        for session in ("AM", "PM")
    ]
    path = tmp_path / "marks.csv"
    path.write_text(",".join(ATTENDANCE_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_attendance_file(path=path, today=datetime.date(2025, 12, 12))
    return child


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_child_s_page_shows_the_year_the_rules_in_force_and_both_charts_with_tables(
    absent_pupil: Child, cme_officer: User
) -> None:
    response = signed_in(cme_officer).get(f"/children/{absent_pupil.pk}/attendance/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Unauthorised absence for 10 school days in a row" in page
    assert "10 school days without authorisation, 1 to 12 Dec" in page
    assert page.count('<svg class="app-chart__svg" role="img"') == 2
    assert "Marks by day" in page
    assert "Attendance by week" in page
    assert "1 December 2025" in page
    assert "Attendance worklist items" in page
    assert AccessEvent.objects.filter(
        child_id=absent_pupil.pk, purpose="Viewed the child's attendance"
    ).exists()


def test_a_school_sees_its_pupil_s_attendance_but_not_the_worklist(
    absent_pupil: Child, school_user: User
) -> None:
    page = signed_in(school_user).get(f"/children/{absent_pupil.pk}/attendance/").content.decode()
    assert "Rules in force" in page
    assert "Attendance worklist items" not in page


def test_a_child_with_no_marks_says_so(school: School, cme_officer: User) -> None:
    child = pupil_at(school)
    page = signed_in(cme_officer).get(f"/children/{child.pk}/attendance/").content.decode()
    assert "No attendance marks have been imported for this child" in page


def test_the_worklist_lists_open_items_filtered_by_rule_and_logs_the_read(
    absent_pupil: Child, cme_officer: User
) -> None:
    client = signed_in(cme_officer)
    page = client.get("/attendance/triggers/").content.decode()
    assert absent_pupil.full_name in page
    assert "10 school days without authorisation" in page
    filtered = client.get("/attendance/triggers/?rule=sickness_15_days").content.decode()
    assert absent_pupil.full_name not in filtered
    assert "Ill (code I) on 15 or more school days" in filtered
    assert client.get("/attendance/triggers/?rule=<script>").status_code == 200
    assert AccessEvent.objects.filter(purpose="Viewed the attendance worklist").count() == 3


def test_the_authority_and_school_figures_follow_dfe(
    absent_pupil: Child, school: School, cme_manager: User
) -> None:
    client = signed_in(cme_manager)
    page = client.get("/attendance/?year=2025").content.decode()
    assert "Persistently absent (missed 10% or more)" in page
    assert "66.7%" in page  # overall absence: 20 of 30 possible sessions missed
    assert school.name in page
    school_page = client.get(f"/attendance/schools/{school.pk}/?year=nonsense").content.decode()
    assert "LAESTAB " + school.laestab in school_page
    assert client.get("/attendance/schools/99999/").status_code == 404


def test_the_child_s_record_links_to_the_attendance_page(
    absent_pupil: Child, cme_officer: User
) -> None:
    page = signed_in(cme_officer).get(f"/children/{absent_pupil.pk}/").content.decode()
    assert f"/children/{absent_pupil.pk}/attendance/" in page


# --- Following up a worklist item ------------------------------------------------------------


def test_an_officer_records_what_was_done_about_an_item_and_it_is_audited(
    absent_pupil: Child, cme_officer: User
) -> None:
    client = signed_in(cme_officer)
    trigger = AttendanceTrigger.objects.get(child=absent_pupil)
    page = client.get(f"/attendance/triggers/{trigger.pk}/").content.decode()
    assert "Unauthorised absence for 10 school days in a row" in page
    assert "Nothing recorded yet" in page
    assert f'href="/children/{absent_pupil.pk}/open-case/"' in page  # from the item to a case
    assert AccessEvent.objects.filter(
        child_id=absent_pupil.pk, purpose="Viewed an attendance worklist item"
    ).exists()

    response = client.post(
        f"/attendance/triggers/{trigger.pk}/",
        {"action": "contacted_school", "note": "Spoke to the attendance lead: family abroad."},
    )
    assert response.status_code == 302
    follow_up = TriggerFollowUp.objects.get(trigger=trigger)
    assert follow_up.action == TriggerFollowUp.Action.CONTACTED_SCHOOL
    assert follow_up.recorded_by == cme_officer
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ATTENDANCE_TRIGGER_FOLLOWED_UP)
    assert event.child_id == absent_pupil.pk
    assert event.subject_id == str(trigger.pk)
    assert event.details["note"] == "Spoke to the attendance lead: family abroad."

    page = client.get(f"/attendance/triggers/{trigger.pk}/").content.decode()
    assert "Contacted the school" in page
    assert "family abroad" in page
    worklist = client.get("/attendance/triggers/").content.decode()
    assert "Contacted the school, " in worklist
    trigger.refresh_from_db()
    assert trigger.status == AttendanceTrigger.Status.OPEN  # the rules still own the item


def test_a_follow_up_without_its_answers_is_refused_with_the_error_summary(
    absent_pupil: Child, cme_officer: User
) -> None:
    trigger = AttendanceTrigger.objects.get(child=absent_pupil)
    response = signed_in(cme_officer).post(
        f"/attendance/triggers/{trigger.pk}/", {"action": "teleported", "note": "x" * 1001}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Select what you did from the options given" in page
    assert "Details must be 1,000 characters or fewer" in page
    assert not TriggerFollowUp.objects.exists()
    response = signed_in(cme_officer).post(f"/attendance/triggers/{trigger.pk}/", {})
    assert "Select what you did" in response.content.decode()
    assert "Enter the details of what you did" in response.content.decode()


def test_the_worklist_shows_the_items_awaiting_a_follow_up(
    absent_pupil: Child, school: School, cme_officer: User
) -> None:
    client = signed_in(cme_officer)
    trigger = AttendanceTrigger.objects.get(child=absent_pupil)
    assert absent_pupil.full_name in client.get("/attendance/triggers/?awaiting=1").content.decode()
    client.post(
        f"/attendance/triggers/{trigger.pk}/", {"action": "home_visit", "note": "Nobody home."}
    )
    awaiting = client.get("/attendance/triggers/?awaiting=1").content.decode()
    assert absent_pupil.full_name not in awaiting
    assert "Showing items nobody has recorded a follow-up on" in awaiting
    assert 'href="/attendance/triggers/?rule=sickness_15_days&amp;awaiting=1"' in awaiting
    assert 'href="/attendance/triggers/"' in awaiting  # every open item again
    assert absent_pupil.full_name in client.get("/attendance/triggers/").content.decode()


def test_an_item_is_for_the_cme_team_only(
    absent_pupil: Child, school_user: User, cme_officer: User
) -> None:
    trigger = AttendanceTrigger.objects.get(child=absent_pupil)
    school = signed_in(school_user)
    assert school.get(f"/attendance/triggers/{trigger.pk}/").status_code == 403
    assert (
        school.post(f"/attendance/triggers/{trigger.pk}/", {"action": "home_visit", "note": "x"})
    ).status_code == 403
    assert signed_in(cme_officer).get("/attendance/triggers/99999/").status_code == 404
    assert not TriggerFollowUp.objects.exists()


def test_the_home_page_counts_the_items_open_and_awaiting_a_follow_up(
    absent_pupil: Child, cme_officer: User, school_user: User
) -> None:
    client = signed_in(cme_officer)
    page = client.get("/").content.decode()
    assert "1 item awaiting a follow-up" in page
    assert "1 open item in all" in page
    assert page.index("Your overdue work") < page.index("Attendance worklist")
    trigger = AttendanceTrigger.objects.get(child=absent_pupil)
    client.post(
        f"/attendance/triggers/{trigger.pk}/", {"action": "referred", "note": "To early help."}
    )
    assert "0 items awaiting a follow-up" in client.get("/").content.decode()
    assert "Attendance worklist" not in signed_in(school_user).get("/").content.decode()
