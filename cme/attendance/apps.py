from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "cme.attendance"
    label = "attendance"
    verbose_name = "Attendance"
