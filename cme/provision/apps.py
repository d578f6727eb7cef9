from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "cme.provision"
    label = "provision"
    verbose_name = "Provision, panels and placements"
