"""The report pages, their downloads and the two commands."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AccessEvent, AuditEvent
from cme.cases import services as case_services
from cme.cases.categories import CaseCategory
from cme.cases.workflow import CaseStatus
from cme.provision.tests.pdf_checks import is_tagged_pdf_ua
from cme.pupils.models import School
from cme.pupils.tests.factories import ChildFactory, pupil_at
from cme.reports import figures
from cme.reports.figures import OffSitePupil, PupilAttendance, SchoolTermFigures
from cme.reports.models import SchoolReport
from cme.reports.terms import Term

pytestmark = pytest.mark.django_db


def _missing_child(name: str = "Hodan") -> int:
    child = ChildFactory.create(forename=name, surname="Warsame")
    case = case_services.open_case(
        actor=None, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )
    for status in (CaseStatus.CHECKING, CaseStatus.LOCATING):
        case = case_services.move_case(actor=None, case=case, to=status)
    return child.pk


# The DfE return -----------------------------------------------------------------------------


def test_a_manager_sees_the_counts_as_at_today_by_default(
    client: Client, cme_manager: User
) -> None:
    _missing_child()
    client.force_login(cme_manager)
    page = client.get("/reports/dfe-cme-return/").content.decode()
    assert "1 child missing education" in page
    assert "Whereabouts unknown" in page  # every reason listed, even at 0


def test_a_census_date_that_is_not_a_date_or_is_in_the_future_is_refused(
    client: Client, cme_manager: User
) -> None:
    client.force_login(cme_manager)
    response = client.get(
        "/reports/dfe-cme-return/",
        {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2025"},
    )
    assert response.status_code == 400
    assert "The census date must be a real date" in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get(
        "/reports/dfe-cme-return/",
        {
            "as_of_day": str(tomorrow.day),
            "as_of_month": str(tomorrow.month),
            "as_of_year": str(tomorrow.year),
        },
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()


def test_the_csv_holds_counts_only_and_its_download_is_logged(
    client: Client, cme_manager: User
) -> None:
    child_id = _missing_child(name="Zainab")
    client.force_login(cme_manager)
    today = timezone.localdate().isoformat()
    response = client.get("/reports/dfe-cme-return/csv/", {"as_of": today})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Zainab" not in text
    assert "Warsame" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["census_date", "measure", "breakdown", "category", "count"]
    assert [today, "cme_on_census_date", "total", "Total", "1"] in rows
    event = AccessEvent.objects.get(action=AccessEvent.Action.EXPORT)
    assert event.child_id is None
    assert event.result_count == 1
    assert child_id  # the child is counted, never named


def test_a_bad_csv_date_gets_the_page_with_an_error(client: Client, cme_manager: User) -> None:
    client.force_login(cme_manager)
    response = client.get("/reports/dfe-cme-return/csv/", {"as_of": "not-a-date"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_the_command_writes_the_return(tmp_path: Path) -> None:
    _missing_child()
    out = tmp_path / "return.csv"
    stdout = io.StringIO()
    call_command(
        "dfe_cme_return",
        "--as-of",
        timezone.localdate().isoformat(),
        "--out",
        str(out),
        stdout=stdout,
    )
    assert (
        stdout.getvalue().strip().endswith("cme_on_census_date=1 cme_in_previous_academic_year=0")
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][0] == "census_date"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


@pytest.mark.parametrize(
    ("as_of", "out", "message"),
    [
        ("2999-01-01", "return.csv", "is in the future"),
        ("2025-10-02", "missing/return.csv", "does not exist"),
        ("2025-10-02", ".", "is a folder"),
    ],
)
def test_the_command_refuses_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str, out: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("dfe_cme_return", "--as-of", as_of, "--out", str(tmp_path / out))
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert error[0].startswith("refused: ")
    assert message in error[0]
    assert list(tmp_path.iterdir()) == []


# Termly school reports ----------------------------------------------------------------------


@pytest.fixture
def figures_for(monkeypatch: pytest.MonkeyPatch, school: School) -> SchoolTermFigures:
    """Attendance figures for `school` in any term (cme.attendance is not wired in yet)."""
    low = pupil_at(school, forename="Ruby", surname="Ashdown")
    fine = pupil_at(school, forename="Tobi", surname="Okafor")
    away = pupil_at(school, forename="Liberty", surname="Lee")
    stub = SchoolTermFigures(
        school_possible=300,
        school_attended=270,
        authority_possible=10_000,
        authority_attended=9_300,
        national_percent=94.5,
        pupils=(
            PupilAttendance(low.pk, "Ruby Ashdown", "Year 3", 100, 70),
            PupilAttendance(fine.pk, "Tobi Okafor", "Year 3", 100, 100),
            PupilAttendance(away.pk, "Liberty Lee", "Year 5", 100, 100),
        ),
        off_site=(OffSitePupil(away.pk, "Liberty Lee", "Year 5", 12, "Code K: tuition service"),),
    )
    monkeypatch.setattr(figures, "school_term_figures", lambda **_: stub)
    return stub


def test_a_schools_report_shows_charts_with_their_tables_and_the_two_lists(
    client: Client, cme_officer: User, school: School, figures_for: SchoolTermFigures
) -> None:
    client.force_login(cme_officer)
    page = client.get(f"/reports/schools/{school.pk}/", {"term": "autumn-2025"}).content.decode()
    assert "Autumn term 2025" in page
    assert page.count("<svg") == 3
    assert page.count(": data</caption>") == 3
    for figure in ("90.0%", "93.0%", "94.5%"):  # the school, the authority, England
        assert figure in page
    below = page.split(">Pupils with attendance under 90%</h2>")[1].split("<h2")[0]
    assert "Ruby Ashdown" in below
    assert "Tobi Okafor" not in below
    assert "Code K: tuition service" in page
    readers = set(AccessEvent.objects.filter(actor=cme_officer).values_list("child_id", flat=True))
    assert readers == {p.child_id for p in figures_for.pupils if p.name != "Tobi Okafor"}


def test_a_term_not_in_the_list_gets_the_page_with_an_error(
    client: Client, cme_officer: User, school: School
) -> None:
    client.force_login(cme_officer)
    response = client.get(f"/reports/schools/{school.pk}/", {"term": "winter-1066"})
    assert response.status_code == 400
    assert "Select a term from the list" in response.content.decode()


def test_only_maintained_primary_schools_have_reports(client: Client, cme_officer: User) -> None:
    from cme.pupils.tests.factories import OpenSchoolFactory

    secondary = OpenSchoolFactory.create(phase="secondary")
    client.force_login(cme_officer)
    assert client.get(f"/reports/schools/{secondary.pk}/").status_code == 404


def test_the_scheduled_run_keeps_a_tagged_pdf_for_every_school(
    client: Client, cme_officer: User, school: School, figures_for: SchoolTermFigures
) -> None:
    stdout = io.StringIO()
    call_command("termly_school_reports", "--term", "autumn-2025", stdout=stdout)
    assert stdout.getvalue().strip() == "term=autumn-2025 queued=1"
    report = SchoolReport.objects.get(school=school, term="autumn-2025")
    assert is_tagged_pdf_ua(report.file.read()) is True
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SCHOOL_REPORT_GENERATED).count() == 1
    call_command("termly_school_reports", "--term", "autumn-2025", stdout=io.StringIO())
    assert SchoolReport.objects.filter(school=school).count() == 1  # replaced, not repeated
    client.force_login(cme_officer)
    response = client.get(f"/reports/schools/{school.pk}/pdf/", {"term": "autumn-2025"})
    assert response["Content-Type"] == "application/pdf"
    assert is_tagged_pdf_ua(b"".join(response.streaming_content)) is True  # type: ignore[attr-defined]


def test_a_report_not_yet_generated_is_made_on_request(
    client: Client, cme_officer: User, school: School, figures_for: SchoolTermFigures
) -> None:
    client.force_login(cme_officer)
    response = client.get(f"/reports/schools/{school.pk}/pdf/", {"term": "spring-2026"})
    assert response.status_code == 200
    assert is_tagged_pdf_ua(response.content) is True
    assert client.get(f"/reports/schools/{school.pk}/pdf/", {"term": "bad"}).status_code == 404


def test_a_bad_term_for_the_run_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a term like autumn-2025"):
        call_command("termly_school_reports", "--term", "autumn")


def test_without_attendance_marks_the_report_says_so(
    client: Client, cme_officer: User, school: School
) -> None:
    pupil_at(school, forename="Amara", surname="Okafor")
    client.force_login(cme_officer)
    page = client.get(f"/reports/schools/{school.pk}/").content.decode()
    assert "No attendance marks are available" in page
    term = Term.parse("autumn-2025")
    assert figures.school_term_figures(school=school, term=term).has_marks is False
