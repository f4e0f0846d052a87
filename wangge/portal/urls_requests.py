from django.urls import path

from wangge.portal import views_requests as views

urlpatterns = [
    path("raise/", views.raise_request, name="raise"),
    path("raise/done/", views.raised, name="raised"),
    path("track/", views.track, name="track"),
    path("t/<str:token>/", views.track_link, name="track_link"),
    path("r/<str:tracking_code>/", views.request_detail, name="request"),
    path("r/<str:tracking_code>/rate/", views.request_rate, name="request_rate"),
    path("r/<str:tracking_code>/photos/<int:photo_id>/", views.request_photo, name="request_photo"),
]
