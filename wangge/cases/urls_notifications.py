from django.urls import path

from wangge.cases import views_notifications

urlpatterns = [
    path("", views_notifications.inbox, name="notifications"),
    path("read/", views_notifications.mark_read, name="notification_read"),
    path("read-all/", views_notifications.mark_all_read, name="notifications_read_all"),
]
