from django.urls import path

from wangge.reports import views_special

urlpatterns = [
    path("", views_special.special_list, name="special_list"),
    path("new/", views_special.special_new, name="special_new"),
    path("<int:report_id>/", views_special.special_detail, name="special_detail"),
    path("<int:report_id>/acknowledge/", views_special.special_ack, name="special_ack"),
]
