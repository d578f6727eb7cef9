"""The public referral journey: one URL per page, in the order of `journey.STEPS`."""

from django.urls import URLPattern, path

from . import triage_views, views
from .journey import STEPS

app_name = "referrals"

urlpatterns: list[URLPattern] = [
    path("referrals/", triage_views.inbox, name="inbox"),
    path("referrals/new/", triage_views.record_referral, name="record_referral"),
    path("referrals/<int:referral_id>/", triage_views.referral_detail, name="referral_detail"),
    path(
        "referrals/<int:referral_id>/originals/<int:original_id>/",
        triage_views.download_original,
        name="download_original",
    ),
    path("refer/", views.start, name="start"),
    *(
        path(f"refer/{step.slug}/", views.question, {"step_name": step.name}, name=step.name)
        for step in STEPS
        if step.form_class is not None
    ),
    path("refer/parents-and-carers/", views.parents, name="parents"),
    path("refer/parent-or-carer/", views.parent, name="parent"),
    path("refer/check-answers/", views.check_answers, name="check_answers"),
    path("refer/confirmation/", views.confirmation, name="confirmation"),
    path("refer/your-referral/", views.your_referral, name="your_referral"),
]
