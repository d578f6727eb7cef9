"""Background work for the reports, run by the django-tasks worker (`manage.py db_worker`):
one school's termly report per task, so a failure affects one school only. Safe to run twice
(the report for a school and term is replaced)."""

from __future__ import annotations

from django_tasks import task

from cme.pupils.models import School

from . import services
from .terms import Term


@task()
def generate_school_report(school_id: int, term: str) -> bool:
    school = School.objects.filter(pk=school_id).first()
    if school is None:
        return False
    services.generate_school_report(school=school, term=Term.parse(term))
    return True
