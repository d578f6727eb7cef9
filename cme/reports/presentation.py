"""A school's termly report, ready to render: its charts (each with the rows of its data
table) and lists, from the figures. The page and the PDF render the same context. No
queries."""

from __future__ import annotations

from dataclasses import dataclass

from .charts import Bar, Chart, bar_chart
from .figures import REPORT_THRESHOLD_PERCENT, OffSitePupil, PupilAttendance, SchoolTermFigures
from .terms import Term


@dataclass(frozen=True)
class SchoolReportView:
    school_name: str
    term: Term
    figures: SchoolTermFigures
    comparison: Chart
    year_groups: Chart
    bands: Chart
    below: list[PupilAttendance]
    off_site: list[OffSitePupil]
    threshold: int

    @property
    def child_ids(self) -> list[int]:
        """The children named in the report (their details are read when it is shown)."""
        return sorted({p.child_id for p in self.below} | {p.child_id for p in self.off_site})


def school_report(*, school_name: str, term: Term, figures: SchoolTermFigures) -> SchoolReportView:
    threshold = REPORT_THRESHOLD_PERCENT
    comparison = bar_chart(
        chart_id="whole-school",
        title=f"Attendance in the {term.label.lower()}: {school_name}, the authority, England",
        description="Percentage of possible sessions attended, as a horizontal bar for each.",
        bars=[
            Bar(school_name, figures.school_percent, highlight=True),
            Bar("The authority's maintained primary schools", figures.authority_percent),
            Bar("England, state-funded primary schools", figures.national_percent),
        ],
    )
    year_groups = bar_chart(
        chart_id="year-groups",
        title=f"Attendance by year group, {term.label.lower()}",
        description=f"Percentage of possible sessions attended by each year group; the dashed "
        f"line marks {threshold}%.",
        bars=[Bar(label, value) for label, value in figures.by_year_group()],
        marker=threshold,
        marker_label=f"{threshold}%",
    )
    bands = figures.bands()
    most = max((count for _, count in bands), default=0)
    band_chart = bar_chart(
        chart_id="bands",
        title=f"Pupils by attendance, {term.label.lower()}",
        description="Number of pupils in each band of attendance.",
        bars=[Bar(label, float(count)) for label, count in bands],
        maximum=float(max(most, 1)),
        unit="",
    )
    return SchoolReportView(
        school_name=school_name,
        term=term,
        figures=figures,
        comparison=comparison,
        year_groups=year_groups,
        bands=band_chart,
        below=figures.below(threshold),
        off_site=list(figures.off_site),
        threshold=threshold,
    )
