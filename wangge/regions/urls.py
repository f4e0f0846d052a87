from django.urls import path

from wangge.regions import views

app_name = "regions"
urlpatterns = [
    path("map/", views.region_map, name="map"),
    path("<str:code>/", views.region_detail, name="detail"),
]
