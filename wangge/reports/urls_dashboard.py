from django.urls import path

from wangge.reports import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard_page, name="dashboard"),
]
