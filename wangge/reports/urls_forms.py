from django.urls import path

from wangge.reports import views_forms

urlpatterns = [
    path("", views_forms.forms_page, name="forms"),
    path("forms/new/", views_forms.form_new, name="form_new"),
    path("forms/<slug:form_code>/edit/", views_forms.form_edit, name="form_edit"),
    path(
        "submit/<slug:form_code>/<str:unit_code>/<str:period_start>/",
        views_forms.submit_page,
        name="submit",
    ),
    path("submissions/<int:submission_id>/", views_forms.submission_page, name="submission"),
    path("approvals/", views_forms.approvals_page, name="approvals"),
]
