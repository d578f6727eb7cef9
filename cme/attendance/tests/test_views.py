"""The attendance pages, by role (who may open each is in tests/test_url_permissions.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.audit.models import AccessEvent
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
