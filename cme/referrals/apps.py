from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cme.referrals"
    label = "referrals"
    verbose_name = "Referrals and notifications"
