"""What every portal page's frame needs: the links (those whose pages exist), the district's
name, and the resident's verified number (masked), if any. Runs only on portal pages."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wangge.core.masking import mask_mobile
from wangge.portal.session import resident_phone

LINKS = (
    ("portal:raise", _("Raise a request")),
    ("portal:track", _("Follow my request")),
    ("portal:public_list", _("Requests in public")),
    ("portal:accountability", _("How units respond")),
    ("portal:notices", _("Public notices")),
    ("portal:hearings", _("Hearings and consultations")),
    ("portal:my_data", _("Who read my data")),
)


def portal(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "portal":
        return {}
    links = []
    for name, label in LINKS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "current": match.view_name == name})
    phone = resident_phone(request)
    from wangge.regions.models import Region

    root = Region.objects.filter(code=settings.WANGGE_ROOT_REGION).values_list("name", flat=True)
    return {
        "portal_links": links,
        "portal_district_name": root.first() or "",
        "portal_resident_phone": phone,
        "portal_resident_phone_masked": mask_mobile(phone),
    }
