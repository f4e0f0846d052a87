"""Demo data: publish the demo's pending portal requests that staff have already taken up
(dispatched or further), as the demo dispatcher, with the resident's text masked as the
moderation form suggests; requests not taken up yet stay in the moderation queue. Does
nothing without pending requests in public categories or without the dispatcher; running it
again changes nothing already decided."""

from wangge.accounts.models import User
from wangge.cases.workflow import Status
from wangge.core.scope import visible_to
from wangge.portal import services_moderation as moderation
from wangge.portal.models import Moderation, PortalRequest

HOW_MANY = 3
NOT_TAKEN_UP = (Status.REPORTED, Status.REGISTERED, Status.CANCELLED)


def load() -> int:
    """Publish up to HOW_MANY pending requests; returns how many were published."""
    dispatcher = User.objects.filter(username="dispatcher").first()
    if dispatcher is None:
        return 0
    pending = visible_to(
        dispatcher,
        PortalRequest.objects.filter(moderation=Moderation.PENDING, case__category__public=True)
        .exclude(case__status__in=NOT_TAKEN_UP)
        .select_related("case"),
        field="case__region_code",
    ).order_by("created_at", "pk")
    published = 0
    for item in list(pending[:HOW_MANY]):
        text = moderation.suggested_text(item.case.description)
        if moderation.personal_data_in(text) or not text.strip():
            continue
        moderation.moderate(
            dispatcher, item.pk, publish=True, seen_at=None, public_text=text[:4000]
        )
        published += 1
    return published
