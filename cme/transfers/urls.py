from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "transfers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("transfers/", views.worklist, name="worklist"),
    path("transfers/items/<int:item_id>/", views.work_item, name="work_item"),
    path("transfers/items/<int:item_id>/forward/", views.forward_ctf, name="forward_ctf"),
    path("transfers/rolls/", views.roll_worklist, name="roll_worklist"),
    path("transfers/lost-pupils/", views.lost_pupil_search, name="lost_pupil_search"),
    path(
        "transfers/lost-pupils/<int:pupil_id>/",
        views.lost_pupil_detail,
        name="lost_pupil_detail",
    ),
    path("transfers/files/", views.file_list, name="file_list"),
    path("transfers/files/upload/", views.upload_ctf, name="upload_ctf"),
    path("transfers/files/<int:file_id>/", views.file_detail, name="file_detail"),
    path("transfers/files/<int:file_id>/download/", views.download_file, name="download_file"),
    path("children/<int:child_id>/ctf/", views.child_ctf, name="child_ctf"),
]
