from django.urls import path

from wangge.portal import views_moderation, views_public

urlpatterns = [
    path("requests/", views_public.public_list, name="public_list"),
    path("requests/<str:case_number>/", views_public.public_detail, name="public_detail"),
    path(
        "requests/<str:case_number>/photos/<int:attachment_id>/",
        views_public.public_photo,
        name="public_photo",
    ),
    path("accountability/", views_public.accountability_page, name="accountability"),
    path("my-data/", views_public.my_data, name="my_data"),
    path("manage/requests/", views_moderation.moderation_queue, name="moderation"),
    path(
        "manage/requests/<int:request_id>/",
        views_moderation.moderate_request,
        name="moderate_request",
    ),
]
