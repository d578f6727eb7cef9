from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/move/", views.move_case, name="move_case"),
    path("cases/<int:case_id>/allocate/", views.allocate_case, name="allocate_case"),
    path("cases/<int:case_id>/close/", views.close_case, name="close_case"),
    path("cases/<int:case_id>/reopen/", views.reopen_case, name="reopen_case"),
    path(
        "cases/<int:case_id>/enquiries/<int:enquiry_id>/",
        views.update_enquiry,
        name="update_enquiry",
    ),
    path(
        "cases/<int:case_id>/contact-attempts/",
        views.record_contact_attempt,
        name="record_contact_attempt",
    ),
    path("children/<int:child_id>/open-case/", views.open_case, name="open_case"),
]
