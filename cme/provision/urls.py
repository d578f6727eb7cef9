from django.urls import path

from . import views

app_name = "provision"

urlpatterns = [
    # The CME team
    path("provision/", views.home, name="home"),
    path("cases/<int:case_id>/provision/", views.case_provision, name="case_provision"),
    path("cases/<int:case_id>/provision/decide/", views.decide, name="decide"),
    path(
        "cases/<int:case_id>/provision/home-education/",
        views.home_education,
        name="home_education",
    ),
    path(
        "cases/<int:case_id>/provision/placement/",
        views.record_placement,
        name="record_placement",
    ),
    path("placements/<int:placement_id>/", views.placement, name="placement"),
    # The admissions team
    path("admissions/", views.admissions, name="admissions"),
    path("admissions/<int:admission_id>/", views.admission, name="admission"),
    path("admissions/places/", views.places, name="places"),
    path("admissions/places/<int:school_id>/", views.school_places, name="school_places"),
    # The SEND team
    path("send/", views.send_cases, name="send_cases"),
    path("send/<int:send_case_id>/", views.send_case, name="send_case"),
    # The Pupil Support Manager's panels
    path("panels/", views.panels, name="panels"),
    path("panels/meetings/new/", views.new_meeting, name="new_meeting"),
    path("panels/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("panels/items/<int:agenda_item_id>/", views.agenda_item, name="agenda_item"),
    # Papers for panel members
    path("panel-papers/", views.papers, name="papers"),
    path("panel-papers/<int:meeting_id>/", views.meeting_papers, name="meeting_papers"),
    path("panel-papers/<int:meeting_id>/pdf/", views.meeting_papers_pdf, name="meeting_papers_pdf"),
]
