from django.urls import path

from wangge.reports import views_warnings

urlpatterns = [
    path("", views_warnings.warning_list, name="warnings"),
    path("<int:warning_id>/", views_warnings.warning_detail, name="warning"),
]
