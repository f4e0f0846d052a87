from django.urls import path

from wangge.accounts import views

app_name = "accounts"
urlpatterns = [path("me/", views.my_access, name="my_access")]
