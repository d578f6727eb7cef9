from django.urls import URLPattern, URLResolver

app_name = "provision"

urlpatterns: list[URLPattern | URLResolver] = []
