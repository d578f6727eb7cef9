"""Background work on referrals, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from . import acknowledgements, triage_services
from .models import Referral


@task()
def match_referral(referral_id: int) -> str:
    """Match a newly received referral against the register, so that the triage inbox and
    the review queue show its candidates without waiting for an officer to open it."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return "gone"
    return triage_services.match_referral(referral=referral).status


@task()
def acknowledge_referral(referral_id: int) -> bool:
    """Email an online referrer their reference (once; nothing about the child)."""
    referral = Referral.objects.filter(pk=referral_id).first()
    return referral is not None and acknowledgements.send_acknowledgement(referral=referral)
