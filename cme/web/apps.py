from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cme.web"
    label = "web"
    verbose_name = "Web layout"
