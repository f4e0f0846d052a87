from django.urls import path

from wangge.portal import urls_hearings, urls_public, urls_requests, views, views_manage

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify, name="verify"),
    path("verify/end/", views.verify_end, name="verify_end"),
    path("manage/", views_manage.manage, name="manage"),
    *urls_requests.urlpatterns,
    *urls_public.urlpatterns,
    *urls_hearings.urlpatterns,
]
