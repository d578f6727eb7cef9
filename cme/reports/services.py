"""Generating the termly attendance reports: each school's as a tagged PDF kept as made, all
the schools' in one scheduled run. Each generation is audited, and the children named in a
report are recorded in the access log as exported."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AccessEvent, AuditEvent
from cme.provision import pdf
from cme.pupils.models import School

from . import figures
from .dfe_return import DfeReturn
from .models import SchoolReport
from .presentation import SchoolReportView, school_report
from .selectors import schools_with_termly_reports
from .terms import Term

DOCUMENT_TEMPLATE = "reports/school_report_document.html"
VIEWED = AccessEvent.Action.VIEW
DOWNLOADED = AccessEvent.Action.DOWNLOAD


def report_view(*, school: School, term: Term) -> SchoolReportView:
    return school_report(
        school_name=school.name,
        term=term,
        figures=figures.school_term_figures(school=school, term=term),
    )


def record_report_read(
    *, actor: Any, report: SchoolReportView, action: AccessEvent.Action, subject: Any
) -> None:
    """Each child named in the report, as read (or exported) by `actor`."""
    purpose = f"Termly attendance report for {report.school_name}, {report.term.label}"
    for child_id in report.child_ids:
        audit.record_access(
            actor=actor, action=action, subject=subject, child_id=child_id, purpose=purpose
        )


def render_report_pdf(report: SchoolReportView) -> bytes:
    return pdf.render_pdf(pdf.render_document(DOCUMENT_TEMPLATE, {"report": report}))


def generate_school_report(*, school: School, term: Term, actor: Any = None) -> SchoolReport:
    """Generate `school`'s report for `term` and keep the PDF (replacing an earlier one for the
    same term, so running the scheduled job again is harmless)."""
    report = report_view(school=school, term=term)
    content = render_report_pdf(report)
    with transaction.atomic():
        existing = SchoolReport.objects.select_for_update().filter(school=school, term=term.slug)
        old = existing.first()
        if old is not None:
            old.file.delete(save=False)
            old.delete()
        kept = SchoolReport(
            school=school,
            term=term.slug,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            generated_at=timezone.now(),
            generated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        kept.file.save(f"{term.slug}.pdf", ContentFile(content), save=False)
        kept.save()
        audit.record_event(
            kind=AuditEvent.Kind.SCHOOL_REPORT_GENERATED,
            actor=actor,
            subject=kept,
            summary=f"Termly attendance report for {school.name}, {term.label}",
            details={
                "school": school.pk,
                "term": term.slug,
                "pupils_below_threshold": len(report.below),
                "pupils_off_site": len(report.off_site),
                "sha256": kept.sha256,
            },
        )
        record_report_read(
            actor=actor, report=report, action=AccessEvent.Action.EXPORT, subject=kept
        )
    return kept


def schools_to_report() -> list[int]:
    return list(schools_with_termly_reports().values_list("pk", flat=True))


def record_report_download(*, actor: Any, stored: SchoolReport, school: School, term: Term) -> None:
    audit.record_access(
        actor=actor,
        action=AccessEvent.Action.DOWNLOAD,
        subject=stored,
        purpose=f"Downloaded the termly attendance report for {school.name}, {term.label}",
    )


def record_return_export(*, actor: Any, result: DfeReturn) -> None:
    """The DfE return downloaded: counts only, so no child is named in the log either."""
    audit.record_access(
        actor=actor,
        action=AccessEvent.Action.EXPORT,
        purpose=f"DfE CME return as at {result.census_date.isoformat()} (counts only)",
        result_count=result.on_census_date,
    )
