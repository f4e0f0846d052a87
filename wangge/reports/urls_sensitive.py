from django.urls import path

from wangge.reports import views_sensitive

urlpatterns = [
    path("", views_sensitive.sensitive_list, name="sensitive_list"),
    path("new/", views_sensitive.sensitive_new, name="sensitive_new"),
    path("day/", views_sensitive.sensitive_day, name="sensitive_day"),
]
