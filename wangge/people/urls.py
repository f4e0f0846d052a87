from django.urls import path

from wangge.people import views, views_categories, views_import
from wangge.people import views_organisations as organisations
from wangge.people import views_places as places

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
    path("<int:person_id>/tags/", views_categories.person_tags, name="tags"),
    path(
        "<int:person_id>/categories/<str:kind>/",
        views_categories.person_category,
        name="category",
    ),
    path(
        "<int:person_id>/categories/<str:kind>/end/",
        views_categories.person_category_end,
        name="category_end",
    ),
    path("households/<int:household_id>/", places.household_detail, name="household"),
    path("houses/", places.house_list, name="houses"),
    path("houses/<int:house_id>/", places.house_detail, name="house"),
    path("organisations/", organisations.organisation_list, name="organisations"),
    path(
        "organisations/<int:organisation_id>/",
        organisations.organisation_detail,
        name="organisation",
    ),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<int:job_id>/", views_import.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", views_import.import_job_progress, name="import_progress"),
    path("import/<int:job_id>/problems.xlsx", views_import.import_problems, name="import_problems"),
    path("houses/new/", places.house_register, name="house_register"),
    path("houses/<int:house_id>/edit/", places.house_edit, name="house_edit"),
    path("houses/<int:house_id>/residents/", places.house_resident_add, name="house_resident_add"),
    path(
        "houses/<int:house_id>/residents/<int:person_id>/remove/",
        places.house_resident_remove,
        name="house_resident_remove",
    ),
    path("households/new/", places.household_register, name="household_register"),
    path("households/<int:household_id>/edit/", places.household_edit, name="household_edit"),
    path(
        "households/<int:household_id>/members/",
        places.household_member_add,
        name="household_member_add",
    ),
    path(
        "households/<int:household_id>/members/<int:person_id>/remove/",
        places.household_member_remove,
        name="household_member_remove",
    ),
    path("organisations/new/", organisations.organisation_register, name="organisation_register"),
    path(
        "organisations/<int:organisation_id>/edit/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
]
