from django.urls import path

from wangge.petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("register/", views.petition_register, name="register"),
    path("statistics/", views.petition_statistics, name="statistics"),
    path("<int:case_id>/", views.petition_detail, name="detail"),
    path("<int:case_id>/act/", views.petition_act, name="act"),
    path("<int:case_id>/letters/<str:kind>/", views.petition_letter, name="letter"),
]
