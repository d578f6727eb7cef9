"""The attendance pages (cme/attendance) pass axe-core's WCAG 2.2 AA rules, with their data:
a child's year with both charts and their tables opened, the worklist, the figures."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cme.accounts.models import User
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at

from .accessibility import assert_no_axe_violations
from .pages import SignIn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def absent_pupil(tmp_path: Path, school: School) -> Child:
    """A term of marks at `school`, ending in 10 school days without authorisation."""
    child = pupil_at(school)
    day, rows, count = datetime.date(2025, 9, 3), [], 0
    while day <= datetime.date(2025, 12, 12):
        if day.weekday() < 5:
            codes = (
                ("O", "O")
                if day >= datetime.date(2025, 12, 1)
                else ("/", "I" if count % 9 == 0 else "\\")
            )
            rows += [
                f"{child.upn},{school.laestab},{day},AM,{codes[0]}",
                f"{child.upn},{school.laestab},{day},PM,{codes[1]}",
            ]
            count += 1
        day += datetime.timedelta(days=1)
    path = tmp_path / "marks.csv"
    path.write_text(",".join(ATTENDANCE_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_attendance_file(path=path, today=datetime.date(2025, 12, 12))
    return child


def test_a_child_s_attendance_with_its_charts_and_tables_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, absent_pupil: Child
) -> None:
    sign_in(cme_officer)
    page.goto(f"/children/{absent_pupil.pk}/attendance/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")
    for summary in page.locator("summary").all():
        summary.click()
    expect(
        page.get_by_role("img", name="Percentage of possible sessions attended each week")
    ).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/attendance/triggers/", "/attendance/"])
def test_the_worklist_and_the_authority_s_figures_are_accessible(
    page: Page, sign_in: SignIn, cme_manager: User, absent_pupil: Child, path: str
) -> None:
    sign_in(cme_manager)
    page.goto(path)
    assert_no_axe_violations(page)


def test_a_school_s_figures_are_accessible(
    page: Page, sign_in: SignIn, cme_manager: User, absent_pupil: Child, school: School
) -> None:
    sign_in(cme_manager)
    page.goto(f"/attendance/schools/{school.pk}/")
    assert_no_axe_violations(page)


def test_an_officer_follows_up_an_item_by_keyboard_and_every_state_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, absent_pupil: Child
) -> None:
    sign_in(cme_officer)
    page.goto("/attendance/triggers/")
    rule = "Unauthorised absence for 10 school days in a row"
    page.get_by_role("link", name=f"None yet ({rule}, {absent_pupil.full_name})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Unauthorised absence for 10 school days in a row"
    )
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Record follow-up").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what you did")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Select what you did").click()  # the summary moves focus
    page.get_by_label("Contacted the family").focus()
    page.keyboard.press("Space")
    page.get_by_label("Details").fill("Phoned mother: the family has moved to Leeds.")
    page.get_by_role("button", name="Record follow-up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Follow-up recorded")).to_be_visible()
    expect(page.get_by_text("the family has moved to Leeds")).to_be_visible()
    assert_no_axe_violations(page)
