"""`{% sensitive record "field" %}`: a personal-data field, masked unless a full view is live.

Shows the full value and "visible until HH:MM" while the user's grant lasts; otherwise the
masked value and, for users who may ask, a "Show in full" link to the purpose form that comes
back to this page. See docs/privacy.md.
"""

from typing import Any

from django import template
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from wangge.privacy import selectors, targets

register = template.Library()


@register.inclusion_tag("privacy/sensitive.html", takes_context=True)
def sensitive(
    context: template.Context, record: Model, field: str, link: bool = True
) -> dict[str, Any]:
    request = context["request"]
    value = selectors.sensitive_value(request.user, record, field)
    unmask_url = ""
    if link and value.may_unmask:
        kind = targets.kind_of(record)
        path = reverse("privacy:unmask", args=[kind.name, record.pk])
        unmask_url = f"{path}?{urlencode({'next': page_path(request)})}"
    return {"value": value, "unmask_url": unmask_url}


def page_path(request: HttpRequest) -> str:
    """The page the user is on: for an htmx fragment, the page that asked for it."""
    htmx = getattr(request, "htmx", None)
    return (htmx and htmx.current_url_abs_path) or request.get_full_path()
