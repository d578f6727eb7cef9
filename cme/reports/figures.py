"""The figures a school's termly attendance report shows, and the one function they come from.

`school_term_figures` is the only source: the report, its PDF and the scheduled run call it.
Sessions come from the attendance registers (`cme.attendance.selectors.sessions_between`); a
school with no marks in the term gets a report that says no attendance marks are available.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from cme.attendance import selectors as attendance_selectors
from cme.provision.rules import attendance_percent
from cme.pupils.models import Enrolment, School
from cme.standards.school_age import national_curriculum_year, year_group_label

from .models import NationalAttendanceFigure
from .selectors import schools_with_termly_reports
from .terms import Term

# The policy's threshold: the termly report lists pupils under 90% attendance.
REPORT_THRESHOLD_PERCENT = 90
BANDS: tuple[tuple[float, str], ...] = (
    (95.0, "95% or more"),
    (90.0, "90% to less than 95%"),
    (85.0, "85% to less than 90%"),
    (50.0, "50% to less than 85%"),
    (0.0, "Less than 50%"),
)


@dataclass(frozen=True, slots=True)
class PupilAttendance:
    child_id: int
    name: str
    year_group: str
    possible: int
    attended: int

    @property
    def percent(self) -> float | None:
        return attendance_percent(attended=self.attended, possible=self.possible)


@dataclass(frozen=True, slots=True)
class OffSitePupil:
    """A pupil with education arranged away from the school site in the term."""

    child_id: int
    name: str
    year_group: str
    sessions: int
    provision: str


@dataclass(frozen=True, slots=True)
class SchoolTermFigures:
    school_possible: int
    school_attended: int
    authority_possible: int
    authority_attended: int
    national_percent: float | None
    pupils: tuple[PupilAttendance, ...]
    off_site: tuple[OffSitePupil, ...]

    @property
    def has_marks(self) -> bool:
        return self.school_possible > 0

    @property
    def school_percent(self) -> float | None:
        return attendance_percent(attended=self.school_attended, possible=self.school_possible)

    @property
    def authority_percent(self) -> float | None:
        return attendance_percent(
            attended=self.authority_attended, possible=self.authority_possible
        )

    def below(self, threshold: float = REPORT_THRESHOLD_PERCENT) -> list[PupilAttendance]:
        """Pupils under the threshold, the lowest attendance first."""
        under = [p for p in self.pupils if p.percent is not None and p.percent < threshold]
        return sorted(under, key=lambda p: (p.percent, p.name))

    def by_year_group(self) -> list[tuple[str, float | None]]:
        """Attendance of each year group present, in year order."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for pupil in self.pupils:
            totals[pupil.year_group][0] += pupil.attended
            totals[pupil.year_group][1] += pupil.possible
        order = ["Reception", *(f"Year {n}" for n in range(1, 14))]
        labels = sorted(totals, key=lambda label: order.index(label) if label in order else 99)
        return [
            (label, attendance_percent(attended=totals[label][0], possible=totals[label][1]))
            for label in labels
        ]

    def bands(self) -> list[tuple[str, int]]:
        """How many pupils fall in each attendance band (pupils with no sessions left out)."""
        counts = dict.fromkeys((label for _, label in BANDS), 0)
        for pupil in self.pupils:
            percent = pupil.percent
            if percent is None:
                continue
            label = next(label for floor, label in BANDS if percent >= floor)
            counts[label] += 1
        return list(counts.items())


def pupils_on_roll(
    *, school: School, start: datetime.date, end: datetime.date
) -> list[tuple[int, str, str]]:
    """(child id, name, year group at the end of the period) for each pupil on the roll at
    any time in the period."""
    rows = (
        Enrolment.objects.filter(school=school, start_date__lte=end)
        .exclude(end_date__lt=start)
        .select_related("child")
        .order_by("child__surname", "child__forename", "child_id")
    )
    seen: dict[int, tuple[int, str, str]] = {}
    for enrolment in rows:
        child = enrolment.child
        if child.merged_into_id is not None or child.pk in seen:
            continue
        year = (
            year_group_label(national_curriculum_year(child.date_of_birth, end))
            if child.date_of_birth
            else "Not known"
        )
        seen[child.pk] = (child.pk, child.full_name, year)
    return list(seen.values())


def national_percent(term: Term) -> float | None:
    figure = NationalAttendanceFigure.objects.filter(term=term.slug).first()
    return float(figure.attendance_percent) if figure is not None else None


def school_term_figures(*, school: School, term: Term) -> SchoolTermFigures:
    """The report's figures for `school` over `term`, from the attendance registers up to the
    term's end: each pupil on the roll's possible and attended sessions at the school (present
    and approved educational activity count as attended, as the DfE counts), the pupils with
    sessions coded K or B (education away from the school site), and the same totals over all
    the authority's maintained primary schools."""
    at_school = attendance_selectors.sessions_between(
        school_ids=[school.pk], start=term.start, end=term.end
    )
    pupils = []
    off_site = []
    for child_id, name, year in pupils_on_roll(school=school, start=term.start, end=term.end):
        sessions = at_school.get((child_id, school.pk))
        pupils.append(
            PupilAttendance(
                child_id=child_id,
                name=name,
                year_group=year,
                possible=sessions.possible if sessions else 0,
                attended=sessions.attended if sessions else 0,
            )
        )
        if sessions and sessions.off_site:
            off_site.append(
                OffSitePupil(
                    child_id=child_id,
                    name=name,
                    year_group=year,
                    sessions=sessions.off_site,
                    provision="Coded K or B in the register",
                )
            )
    authority = attendance_selectors.sessions_between(
        school_ids=schools_with_termly_reports().values_list("pk", flat=True),
        start=term.start,
        end=term.end,
    ).values()
    return SchoolTermFigures(
        school_possible=sum(p.possible for p in pupils),
        school_attended=sum(p.attended for p in pupils),
        authority_possible=sum(s.possible for s in authority),
        authority_attended=sum(s.attended for s in authority),
        national_percent=national_percent(term),
        pupils=tuple(pupils),
        off_site=tuple(off_site),
    )
