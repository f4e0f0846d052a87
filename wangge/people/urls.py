from django.urls import path

from wangge.people import views, views_import

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_register, name="register"),
    path("export.xlsx", views.person_export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("export.csv", views.person_export, {"file_format": "csv"}, name="export_csv"),
    path("export/", views.person_export_full, name="export_full"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/move/", views.person_move, name="move"),
    path("<int:person_id>/close/", views.person_close, name="close"),
    path("<int:person_id>/merge/", views.person_merge, name="merge"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("houses/", views.house_list, name="houses"),
    path("houses/<int:house_id>/", views.house_detail, name="house"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<int:job_id>/", views_import.import_job, name="import_job"),
    path("import/<int:job_id>/problems.xlsx", views_import.import_problems, name="import_problems"),
]
