from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/workload/", views.workload, name="workload"),
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
    path("cases/<int:case_id>/recheck/", views.record_recheck, name="record_recheck"),
    path("cases/<int:case_id>/notes/", views.add_note, name="add_note"),
    path("cases/<int:case_id>/notes/<int:note_id>/", views.read_note, name="read_note"),
    path("cases/<int:case_id>/letters/new/", views.write_letter, name="write_letter"),
    path(
        "cases/<int:case_id>/letters/<int:letter_id>/",
        views.download_letter,
        name="download_letter",
    ),
    path("children/<int:child_id>/open-case/", views.open_case, name="open_case"),
]
