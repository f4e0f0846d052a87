from django.urls import include, path

app_name = "cases"
urlpatterns = [
    path("", include("wangge.cases.urls_pages")),
    path("statistics/", include("wangge.cases.urls_stats")),
    path("admin/", include("wangge.cases.urls_admin")),
    path("notifications/", include("wangge.cases.urls_notifications")),
]
