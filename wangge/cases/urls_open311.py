"""Open311 GeoReport v2 under /open311/v2/: every resource in JSON and in XML, the format
named by the suffix. The two single-record routes are not named: nothing reverses them, and a
public route that answers 404 for a missing record (as the spec says) has no place in the
route test's "public answers strangers with < 400"; their own tests cover them."""

from django.urls import path

from wangge.cases import open311

app_name = "open311"
urlpatterns = []
for fmt in open311.FORMATS:
    urlpatterns += [
        path(f"services.{fmt}", open311.service_list, {"fmt": fmt}, name=f"services_{fmt}"),
        path(f"services/<str:service_code>.{fmt}", open311.service_definition, {"fmt": fmt}),
        path(f"requests.{fmt}", open311.request_list, {"fmt": fmt}, name=f"requests_{fmt}"),
        path(f"requests/<str:service_request_id>.{fmt}", open311.request_detail, {"fmt": fmt}),
    ]
