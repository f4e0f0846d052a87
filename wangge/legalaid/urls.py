from django.urls import path

from wangge.legalaid import views

app_name = "legalaid"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("receive/", views.application_receive, name="receive"),
    path("<int:application_id>/", views.application_detail, name="detail"),
    path("<int:application_id>/decide/", views.application_decide, name="decide"),
    path("<int:application_id>/assign/", views.application_assign, name="assign"),
    path("<int:application_id>/close/", views.application_close, name="close"),
    path(
        "<int:application_id>/evidence/<int:evidence_id>/",
        views.evidence_file,
        name="evidence",
    ),
]
