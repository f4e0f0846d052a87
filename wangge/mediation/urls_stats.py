from django.urls import path

from wangge.mediation import views_stats

urlpatterns = [
    path("", views_stats.statistics, name="statistics"),
    path("export.xlsx", views_stats.statistics_xlsx, name="statistics_xlsx"),
]
