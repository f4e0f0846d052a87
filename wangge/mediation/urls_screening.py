from django.urls import path

from wangge.mediation import views_screening

urlpatterns = [
    path("", views_screening.screening_page, name="screening"),
    path("units/", views_screening.screening_units, name="screening_units"),
    path("units/lock/", views_screening.screening_lock, name="screening_lock"),
    path("quarter/", views_screening.screening_quarter, name="screening_quarter"),
    path("quarter.xlsx", views_screening.screening_quarter_export, name="screening_quarter_export"),
]
