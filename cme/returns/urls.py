from django.urls import URLPattern, URLResolver

app_name = "returns"

urlpatterns: list[URLPattern | URLResolver] = []
