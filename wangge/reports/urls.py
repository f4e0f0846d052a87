from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("wangge.reports.urls_forms")),
    path("rollup/", include("wangge.reports.urls_rollup")),
    path("sensitive/", include("wangge.reports.urls_sensitive")),
    path("special/", include("wangge.reports.urls_special")),
    path("warnings/", include("wangge.reports.urls_warnings")),
    path("dashboard/", include("wangge.reports.urls_dashboard")),
]
