"""Who may see and handle legal aid applications.

- Seeing needs `legalaid.view_application` and the application's place within one's posts'
  regions (by `region_code` prefix); out of scope is 404, never revealing that it exists.
- Deciding, assigning and closing need `legalaid.handle_application` as well: in scope
  without it is 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from wangge.core.scope import out_of_scope_record, scope_q, user_scope
from wangge.legalaid.models import Application

VIEW = "legalaid.view_application"
HANDLE = "legalaid.handle_application"


def covers(user: Any, region_code: str) -> bool:
    return user_scope(user).covers(region_code)


def applications_visible_to(
    user: Any, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    queryset = Application.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if not user.has_perm(VIEW):
        return queryset.none()
    return queryset.filter(scope_q(user_scope(user)))


def application_get_for(
    user: Any, pk: int, *, action: str | None = None, request: HttpRequest | None = None
) -> Application:
    """The application if the user may see it (else 404, and an out-of-scope attempt is
    audited) and, when `action` names a permission, may do that (else 403)."""
    application = applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        out_of_scope_record(user, Application.objects.all(), pk, request)
        raise Http404
    if action is not None and not user.has_perm(action):
        raise PermissionDenied
    return application


def may_handle(user: Any, application: Application) -> bool:
    return bool(user.has_perm(HANDLE)) and covers(user, application.region_code)
