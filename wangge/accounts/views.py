from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wangge.accounts.roles import CAPABILITY_LABELS
from wangge.accounts.selectors import active_memberships
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.regions.models import Region


@access("signed_in", note="one's own posts, capabilities and reach")
@login_required
def my_access(request: HttpRequest) -> HttpResponse:
    """What the signed-in person holds and can reach: posts, capabilities, regions."""
    user = request.user
    scope = user_scope(user)
    capabilities = sorted(
        str(CAPABILITY_LABELS.get(name, name)) for name in user.get_all_permissions()
    )
    return render(
        request,
        "accounts/my_access.html",
        {
            "posts": active_memberships(user).select_related("region"),
            "capabilities": capabilities,
            "regions": Region.objects.filter(code__in=scope.region_codes).order_by("code"),
            "unlimited": scope.unlimited,
            "departments": [
                membership.department
                for membership in active_memberships(user)
                if membership.department_id
            ],
        },
    )
