from django.urls import path

from wangge.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.my_access, name="my_access"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("login/code/", views.sign_in_code, name="login_code"),
    path("authenticator/", views.totp_setup, name="totp"),
    path("authenticator/disable/", views.totp_disable, name="totp_disable"),
]
