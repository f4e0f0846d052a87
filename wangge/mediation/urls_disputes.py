from django.urls import include, path

from wangge.mediation import views_disputes as views

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("record/", views.dispute_record, name="record"),
    path("major/", views.major_list, name="major"),
    path("transfers/<int:transfer_id>/", views.transfer_answer, name="transfer_answer"),
    path("<int:case_id>/", views.dispute_detail, name="detail"),
    path("<int:case_id>/agreement/", include("wangge.mediation.urls_agreement")),
    path("<int:case_id>/steps/<slug:step>/", views.dispute_step, name="step"),
]
