from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.home, name="home"),
    path("reports/schools/<int:school_id>/", views.school_report, name="school_report"),
    path("reports/schools/<int:school_id>/pdf/", views.school_report_pdf, name="school_report_pdf"),
    path("reports/dfe-cme-return/", views.dfe_return, name="dfe_return"),
    path("reports/dfe-cme-return/csv/", views.dfe_return_csv, name="dfe_return_csv"),
]
