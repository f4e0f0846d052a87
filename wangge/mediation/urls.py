from django.urls import include, path

app_name = "mediation"
urlpatterns = [
    path("", include("wangge.mediation.urls_disputes")),
    path("screening/", include("wangge.mediation.urls_screening")),
    path("statistics/", include("wangge.mediation.urls_stats")),
]
