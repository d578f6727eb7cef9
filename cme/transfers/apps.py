from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "cme.transfers"
    label = "transfers"
    verbose_name = "School transfers and the Lost Pupil Database"
