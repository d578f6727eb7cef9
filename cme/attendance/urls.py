from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "attendance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("children/<int:child_id>/attendance/", views.child_attendance, name="child_attendance"),
    path("attendance/", views.authority_attendance, name="authority_attendance"),
    path("attendance/triggers/", views.worklist, name="worklist"),
    path("attendance/triggers/<int:trigger_id>/", views.trigger_detail, name="trigger_detail"),
    path("attendance/schools/<int:school_id>/", views.school_attendance, name="school_attendance"),
]
