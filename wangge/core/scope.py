"""Region-code scoping: the one gate between users and scoped records.

A record belongs to the deepest unit it is known to be in (`region_code`); a user reaches the
units of their posts and everything under them. Out of scope is 404 — never reveal that a
record exists — and in scope without the capability is 403.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class DepartmentReach:
    region_code: str
    category_codes: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    region_codes: frozenset[str]
    departments: tuple[DepartmentReach, ...] = ()
    unlimited: bool = False

    @classmethod
    def nothing(cls) -> "Scope":
        return cls(region_codes=frozenset())

    @classmethod
    def everything(cls) -> "Scope":
        return cls(region_codes=frozenset(), unlimited=True)

    def covers(self, region_code: str) -> bool:
        return self.unlimited or any(region_code.startswith(code) for code in self.region_codes)


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, written as a range: both engines answer it from a plain
    index (SQLite's case-insensitive LIKE does not). Exact for keys of digits or lower-case
    ASCII letters, which region codes and search keys are."""
    if not prefix:
        return Q()
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


def scope_q(scope: Scope, *, field: str = "region_code", category_field: str | None = None) -> Q:
    """A filter for the records a scope reaches. Departments reach records only through their
    categories, so models without a category field give departments nothing."""
    if scope.unlimited:
        return Q()
    condition = Q(pk__in=[])
    for code in sorted(scope.region_codes):
        condition |= prefix_q(field, code)
    if category_field:
        for reach in scope.departments:
            condition |= prefix_q(field, reach.region_code) & Q(
                **{f"{category_field}__in": reach.category_codes}
            )
    return condition


def visible_to(
    user: Any,
    queryset: QuerySet[M],
    *,
    field: str = "region_code",
    category_field: str | None = None,
) -> QuerySet[M]:
    return queryset.filter(scope_q(user_scope(user), field=field, category_field=category_field))


def get_for(
    user: Any,
    queryset: QuerySet[M],
    pk: object,
    *,
    action: str | None = None,
    field: str = "region_code",
    category_field: str | None = None,
    request: HttpRequest | None = None,
) -> M:
    """The record if the user may reach it (else 404) and, when `action` names a permission,
    may do that to it (else 403).

    A record that exists but lies outside the user's scope is still a 404, and the attempt is
    recorded in the audit log (`access.out_of_scope`, with the path when `request` is given).
    That entry is written in the caller's transaction: called inside transaction.atomic(),
    the 404 rolls it back with the rest (requests are not atomic: ATOMIC_REQUESTS is off).
    """
    try:
        record = visible_to(user, queryset, field=field, category_field=category_field).get(pk=pk)
    except ObjectDoesNotExist:
        out_of_scope_record(user, queryset, pk, request)
        raise Http404 from None
    if action is not None and not user.has_perm(action):
        raise PermissionDenied
    return record


def out_of_scope_record(
    user: Any, queryset: QuerySet[M], pk: object, request: HttpRequest | None
) -> None:
    """Audit a request for a record that exists outside the user's scope (not a missing one:
    mistyped addresses are not worth an entry)."""
    hidden = queryset.filter(pk=pk).first()
    if hidden is None:
        return
    from wangge.audit import services  # audit depends on core, not back

    if request is not None:
        services.refusal_record(
            actor=user, request=request, action=services.OUT_OF_SCOPE, target=hidden
        )
    else:
        services.record(actor=user, action=services.OUT_OF_SCOPE, target=hidden)


def user_scope(user: Any) -> Scope:
    """Cached on the user object for the request (a user's posts do not change mid-request)."""
    cached = getattr(user, "_wangge_scope", None)
    if cached is None:
        from wangge.accounts.selectors import scope_of  # accounts depends on core, not back

        cached = scope_of(user)
        if getattr(user, "is_authenticated", False):
            user._wangge_scope = cached
    return cached
