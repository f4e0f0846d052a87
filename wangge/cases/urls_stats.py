from django.urls import path

from wangge.cases import views_stats

urlpatterns = [
    path("", views_stats.statistics, name="statistics"),
    path("export.xlsx", views_stats.statistics_export, name="statistics_export"),
]
