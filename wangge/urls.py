from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wangge.accounts.views import SignInView
from wangge.core.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("wangge.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("regions/", include("wangge.regions.urls")),
    path("audit/", include("wangge.audit.urls")),
    path("staff/", include("wangge.staff.urls")),
    path("people/", include("wangge.people.urls")),
    path("cases/", include("wangge.cases.urls")),
    path("open311/v2/", include("wangge.cases.urls_open311")),
    path("mediation/", include("wangge.mediation.urls")),
    path("petitions/", include("wangge.petitions.urls")),
    path("legal-aid/", include("wangge.legalaid.urls")),
    path("reports/", include("wangge.reports.urls")),
    path("privacy/", include("wangge.privacy.urls")),
    path("portal/", include("wangge.portal.urls")),
    path("", include("wangge.web.urls")),
]

# Error pages: a 403 is recorded in the audit log; a 404 is not (see wangge.audit.views).
handler403 = "wangge.audit.views.permission_denied"
handler404 = "wangge.audit.views.page_not_found"
