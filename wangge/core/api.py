"""The one NinjaAPI under /api/v1/, with the project's single error shape.

Every error answers `{"code", "message", "fields"}`: a machine code, a sentence for people
(in the request's language), and per-field messages where input was at fault.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes: a third smaller for Chinese text, and readable."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None):
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        super().__init__(message)


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, fields: Any = None
) -> HttpResponse:
    if status == 403:
        denied_record(request)
    body = {"code": code, "message": message, "fields": fields or {}}
    return api.create_response(request, body, status=status)


def denied_record(request: HttpRequest) -> None:
    """Every 403 of the API goes into the audit log, as the pages' 403s do."""
    from wangge.audit import services  # audit depends on core, not back

    actor = getattr(request, "user", None)
    services.refusal_record(actor=actor, request=request, action=services.ACCESS_DENIED)


def field_name(location: list[Any]) -> str:
    """('query', 'lon') → 'lon'; the source of the parameter adds nothing for the caller."""
    parts = [str(part) for part in location if part not in {"query", "path", "body", "form"}]
    return ".".join(parts) or "request"


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="wangge",
        version="1",
        description="网格化社会服务管理平台 API",
        urls_namespace="api",
        renderer=ReadableJSONRenderer(),
    )

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
        fields = {field_name(item.get("loc", [])): item.get("msg", "") for item in error.errors}
        message = _("Invalid input: %(fields)s.") % {"fields": ", ".join(fields)}
        return error_response(api, request, 422, "invalid", message, fields)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return error_response(api, request, error.status, error.code, error.message, error.fields)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, error: Exception) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
        message = _("You do not have permission to do this.")
        return error_response(api, request, 403, "forbidden", message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return error_response(api, request, error.status_code, "error", str(error))

    from wangge.regions.api import router as regions_router

    api.add_router("/", regions_router)
    from wangge.staff.api import router as staff_router

    api.add_router("/", staff_router)
    from wangge.people.api import router as people_router

    api.add_router("/", people_router)
    from wangge.people.api_places import router as places_router

    api.add_router("/", places_router)
    from wangge.cases.api import router as cases_router

    api.add_router("/", cases_router)
    return api


api = build_api()
