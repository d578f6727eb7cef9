from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("children/", views.find_child, name="find_child"),
    path("matches/", views.review_queue, name="review_queue"),
    path("matches/<int:match_id>/", views.match_detail, name="match_detail"),
]
