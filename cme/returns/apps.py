from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "cme.returns"
    label = "returns"
    verbose_name = "School returns"
