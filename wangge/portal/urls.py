from django.urls import path

from wangge.portal import urls_hearings, urls_public, urls_requests, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify, name="verify"),
    path("verify/end/", views.verify_end, name="verify_end"),
    *urls_requests.urlpatterns,
    *urls_public.urlpatterns,
    *urls_hearings.urlpatterns,
]
