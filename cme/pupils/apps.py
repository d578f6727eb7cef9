from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "cme.pupils"
    label = "pupils"
    verbose_name = "Pupil register"
