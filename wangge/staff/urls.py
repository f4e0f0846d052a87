from django.urls import path

from wangge.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_create, name="create"),
    path("import/", views.staff_import, name="import"),
    path("import/template.xlsx", views.staff_import_template, name="import_template"),
    path("<int:user_id>/", views.staff_detail, name="detail"),
    path("<int:user_id>/posts/new/", views.post_give, name="post_give"),
    path("<int:user_id>/grids/new/", views.grid_assign, name="grid_assign"),
    path("<int:user_id>/password/", views.password_set, name="password_set"),
    path("posts/<int:membership_id>/end/", views.post_end, name="post_end"),
    path("grids/<int:assignment_id>/end/", views.grid_end, name="grid_end"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<slug:department_code>/", views.department_detail, name="department"),
]
