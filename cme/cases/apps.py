from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cme.cases"
    label = "cases"
    verbose_name = "CME cases"

    def ready(self) -> None:
        from cme.accounts.home import register_home_section

        from .dashboard import overdue_work_section

        register_home_section(overdue_work_section, place=10)  # the most pressing first
