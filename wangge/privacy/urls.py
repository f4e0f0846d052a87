from django.urls import path

from wangge.privacy import views

app_name = "privacy"
urlpatterns = [
    path("unmask/<str:kind>/<str:target_id>/", views.unmask, name="unmask"),
    path("reads/<str:kind>/<str:target_id>/", views.reads, name="reads"),
]
