from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-out/", views.sign_out, name="sign_out"),
]
