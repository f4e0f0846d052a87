"""Completeness and roll-up pages, under /reports/rollup/ (app "reports")."""

from django.urls import path

from wangge.reports import views_rollup

urlpatterns = [
    path("completeness/", views_rollup.completeness_page, name="completeness"),
    path("", views_rollup.rollup_page, name="rollup"),
    path("xlsx/", views_rollup.rollup_xlsx, name="rollup_xlsx"),
]
