from django.urls import path

from wangge.cases import views_admin

urlpatterns = [
    path("calendar/", views_admin.calendar_view, name="calendar"),
    path("calendar/days/", views_admin.calendar_day_add, name="calendar_day_add"),
    path("calendar/days/remove/", views_admin.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/confirm/", views_admin.calendar_year_confirm, name="calendar_year_confirm"),
    path("calendar/seed/", views_admin.calendar_year_seed, name="calendar_year_seed"),
    path("calendar/hours/", views_admin.working_hours_set, name="working_hours_set"),
    path("dispatch-rules/", views_admin.dispatch_rules, name="dispatch_rules"),
    path("dispatch-rules/delete/", views_admin.dispatch_rule_delete, name="dispatch_rule_delete"),
]
