from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cme.demo"
    label = "demo"
    verbose_name = "Synthetic demo data"
