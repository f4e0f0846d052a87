from django.urls import path

from wangge.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.my_access, name="my_access"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
