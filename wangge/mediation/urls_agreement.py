"""Included under /mediation/<int:case_id>/agreement/ (namespace "mediation")."""

from django.urls import path

from wangge.mediation import views_agreement

urlpatterns = [
    path("", views_agreement.agreement_print, name="agreement_print"),
    path("pdf/", views_agreement.agreement_pdf, name="agreement_pdf"),
]
