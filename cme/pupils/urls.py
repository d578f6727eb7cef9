from django.urls import path

from . import views

app_name = "pupils"

urlpatterns = [
    path("children/<int:child_id>/", views.child_detail, name="child_detail"),
    path("children/<int:child_id>/history/", views.child_history, name="child_history"),
    path("children/<int:child_id>/welfare-concern/", views.raise_concern, name="raise_concern"),
    path("children/<int:child_id>/merge/", views.merge_child, name="merge_child"),
    path(
        "children/<int:child_id>/merge/<int:duplicate_id>/",
        views.confirm_merge,
        name="confirm_merge",
    ),
    path(
        "children/<int:child_id>/merges/<int:merge_id>/undo/",
        views.undo_merge,
        name="undo_merge",
    ),
    path(
        "children/<int:child_id>/welfare-concern/<int:concern_id>/referral/",
        views.record_referral,
        name="record_safeguarding_referral",
    ),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:school_id>/", views.school_detail, name="school_detail"),
]
