"""The staff's door to the portal: what waits for moderation in their area, and where notices
and hearings are published. Only the parts the user may do are shown."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wangge.core.routes import access as route
from wangge.core.scope import visible_to
from wangge.portal.models import HearingComment, Moderation, PortalRequest

MODERATE = "portal.moderate_portal"
PUBLISH = "portal.publish_portal"

# (URL name, label, capability)
LINKS = (
    ("portal:moderation", _("Requests waiting for moderation"), MODERATE),
    ("portal:comment_moderation", _("Comments waiting for moderation"), MODERATE),
    ("portal:notice_manage", _("Public notices"), PUBLISH),
    ("portal:hearing_manage", _("Hearings and consultations"), PUBLISH),
)


@route("permission", permission=MODERATE, note="publishing links only with that capability")
@login_required
@permission_required(MODERATE, raise_exception=True)
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = PortalRequest.objects.filter(moderation=Moderation.PENDING)
    comments = HearingComment.objects.filter(moderation=Moderation.PENDING)
    counts = {
        "portal:moderation": visible_to(user, pending, field="case__region_code").count(),
        "portal:comment_moderation": visible_to(
            user, comments, field="hearing__region_code"
        ).count(),
    }
    links = []
    for name, label, capability in LINKS:
        if not user.has_perm(capability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "count": counts.get(name), "id": name[7:]})
    return render(
        request,
        "portal/manage.html",
        {"links": links, "counts": counts, "portal_url": reverse("portal:home")},
    )
