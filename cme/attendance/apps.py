from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "cme.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from cme.accounts.home import register_home_section

        from .dashboard import worklist_section

        register_home_section(worklist_section, place=20)  # after the overdue casework
