"""Every page and API operation declares who may reach it; a test enforces it.

A route is `public`, `signed_in` (any signed-in user), or needs a `permission`; a route that
shows one scoped record is also `scoped` and must answer 404 to a user outside its scope (the
route-coverage test checks that with an outsider persona). A `resident` route needs a mobile
number freshly proved with a one-time code (the residents' portal, `portal.session`); a scoped
one shows only that resident's own records and answers 404 for anyone else's. Views of
Django and other packages are declared in `THIRD_PARTY` by URL name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    audience: str  # "public" | "signed_in" | "permission" | "resident"
    permission: str | None = None
    scoped: bool = False
    note: str = ""


def access(
    audience: str, *, permission: str | None = None, scoped: bool = False, note: str = ""
) -> Callable[[F], F]:
    if audience not in {"public", "signed_in", "permission", "resident"}:
        raise ValueError(f"unknown audience {audience!r}")
    if (audience == "permission") != (permission is not None):
        raise ValueError("a permission rule names its permission, and only it does")
    rule = AccessRule(audience, permission, scoped, note)

    def declare(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return declare


def rule_of(view: Any) -> AccessRule | None:
    """The rule on a view, or on its class, looking through wrapping decorators."""
    while view is not None:
        for holder in (view, getattr(view, "view_class", None)):
            rule = getattr(holder, "access_rule", None)
            if rule is not None:
                return rule  # type: ignore[no-any-return]
        view = getattr(view, "__wrapped__", None)
    return None


THIRD_PARTY: dict[str, AccessRule] = {
    "login": AccessRule("public", note="the sign-in page"),
    "logout": AccessRule("signed_in", note="POST only"),
    "set_language": AccessRule("public", note="sets a language cookie"),
    "api:openapi-json": AccessRule("public", note="the API contract"),
    "api:openapi-view": AccessRule("public", note="the API contract, browsable"),
    "admin:*": AccessRule(
        "permission", permission="is_staff", note="Django admin: staff, then model permissions"
    ),
}


@dataclass(frozen=True)
class Route:
    path: str
    name: str | None
    rule: AccessRule | None
    api_operation: bool = False


def url_routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern with its rule; API operations are listed by `api_routes` instead."""
    from django.urls import URLResolver

    found: list[Route] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found += url_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        if namespace == "api" and name not in THIRD_PARTY:
            continue  # a ninja path; its operations are checked one by one
        rule = rule_of(pattern.callback) or THIRD_PARTY.get(name or "")
        rule = rule or THIRD_PARTY.get(f"{namespace.split(':')[0]}:*")
        found.append(Route(prefix + str(pattern.pattern), name, rule))
    return found


def api_routes(api: Any) -> list[Route]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                route_path = "/".join(part.strip("/") for part in (prefix, path) if part.strip("/"))
                name = f"{'/'.join(operation.methods)} {route_path}"
                found.append(Route(route_path, name, rule_of(operation.view_func), True))
    return found


def unguarded(routes: list[Route]) -> list[str]:
    return [f"{route.name or '?'} ({route.path})" for route in routes if route.rule is None]
