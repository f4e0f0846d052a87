from django.urls import path

from wangge.cases import views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("report/", views.report, name="report"),
    path("intake/", views.intake, name="intake"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/act/", views.case_act, name="act"),
    path("<int:case_id>/join/", views.join, name="join"),
    path("<int:case_id>/photos/<int:attachment_id>/", views.case_photo, name="photo"),
]
