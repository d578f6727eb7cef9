from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
]
