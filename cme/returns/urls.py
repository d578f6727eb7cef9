"""School returns under /returns/: a school's own, the CME team's list, and other authorities'
notifications recorded by an officer."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "returns"

urlpatterns: list[URLPattern | URLResolver] = [
    path("returns/", views.home, name="home"),
    path("returns/new/", views.choose_kind, name="choose_kind"),
    path("returns/other-authority/", views.record_la_notification, name="record_la_notification"),
    path("returns/drafts/<int:draft_id>/pupil/", views.pupil, name="pupil"),
    path("returns/drafts/<int:draft_id>/check/", views.check_answers, name="check_answers"),
    path(
        "returns/drafts/<int:draft_id>/pupils/<int:number>/remove/",
        views.remove_pupil,
        name="remove_pupil",
    ),
    path("returns/deletions/", views.deletion_agreements, name="deletion_agreements"),
    path(
        "returns/deletions/request/",
        views.request_deletion_agreement,
        name="request_deletion_agreement",
    ),
    path(
        "returns/deletions/<int:agreement_id>/agree/",
        views.agree_deletion,
        name="agree_deletion",
    ),
    path("returns/<int:return_id>/", views.return_detail, name="return_detail"),
    path("returns/<int:return_id>/process/", views.process_return, name="process_return"),
]
