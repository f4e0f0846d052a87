"""Open311 GeoReport v2 under /open311/v2/: services, service definitions, posting a request
with an `api_key`, and reading requests back, in JSON and XML.

Only public leaf categories are services, and only cases of those are shown; nothing personal
(the reporter's name, phone or e-mail) ever leaves. A posted request is reported through the
same service as every other case, in the name of the API client's account, with the channel
`open311`; its `service_request_id` is the case number, returned at once (no tokens).
Errors are the spec's list of `{code, description}` with the matching HTTP status.
"""

import datetime
import hashlib
import json
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from wangge.cases import services
from wangge.cases.models import ApiClient, Case, CaseEvent, Category, Channel
from wangge.cases.services import ReportInput
from wangge.cases.workflow import Status
from wangge.core.routes import access

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CLOSED = (Status.CLOSED, Status.CANCELLED)
# The spec's default window for GET requests: 90 days or 1000 requests, whichever is smaller.
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
# Element names of list items in XML, by the name of the list.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        self.status = status
        self.descriptions = descriptions
        super().__init__("; ".join(descriptions))


# --- rendering ----------------------------------------------------------------------------


def rendered(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    """JSON as the spec shows it (a list, or an object for a service definition), or XML
    under `root` with list items named as in the spec's examples."""
    if fmt == "json":
        text = json.dumps(body, ensure_ascii=False, default=str)
        return HttpResponse(text, content_type=FORMATS["json"], status=status)
    element = ElementTree.Element(root)
    xml_fill(element, body, root)
    text = ElementTree.tostring(element, encoding="unicode")
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return HttpResponse(document.encode(), content_type=FORMATS["xml"], status=status)


def xml_fill(element: ElementTree.Element, value: Any, name: str) -> None:
    if isinstance(value, list):
        for item in value:
            xml_fill(ElementTree.SubElement(element, XML_ITEMS.get(name, "item")), item, "")
    elif isinstance(value, dict):
        for key, inner in value.items():
            xml_fill(ElementTree.SubElement(element, key), inner, key)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def errors_rendered(fmt: str, error: Open311Error) -> HttpResponse:
    body = [{"code": error.status, "description": text} for text in error.descriptions]
    return rendered(fmt, "errors", body, error.status)


def answered(fmt: str, produce: Any) -> HttpResponse:
    """Run `produce() -> (root, body[, status])`; an Open311Error becomes the error list."""
    try:
        root, body, *status = produce()
    except Open311Error as error:
        return errors_rendered(fmt, error)
    return rendered(fmt, root, body, *status)


def iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- services -----------------------------------------------------------------------------


def public_services() -> QuerySet[Category]:
    return Category.objects.filter(public=True, leaf=True, active=True).select_related("parent")


def service_out(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": bool(category.extra_fields),
        "type": "realtime",
        "keywords": "",
        "group": category.parent.name if category.parent else "",
    }


DATATYPES = {"integer": "number", "money_fen": "number", "boolean": "singlevaluelist"}


def attribute_out(order: int, field: dict[str, Any]) -> dict[str, Any]:
    kind = field.get("type", "text")
    choices = list(field.get("choices") or [])
    if kind == "boolean":
        choices = ["true", "false"]
    datatype = "singlevaluelist" if choices else DATATYPES.get(kind, "string")
    attribute: dict[str, Any] = {
        "variable": True,
        "code": field["name"],
        "datatype": datatype,
        "required": False,
        "datatype_description": _("in fen (1/100 yuan)") if kind == "money_fen" else "",
        "order": order,
        "description": field.get("label", field["name"]),
    }
    if choices:
        attribute["values"] = [{"key": choice, "name": choice} for choice in choices]
    return attribute


@require_GET
@access("public", note="Open311: the list of public services")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return answered(
        fmt, lambda: ("services", [service_out(category) for category in public_services()])
    )


@require_GET
@access("public", note="Open311: one public service and its attributes")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    def produce() -> tuple[str, dict[str, Any]]:
        category = service_found(service_code, 404)
        fields = category.extra_fields or []
        attributes = [attribute_out(order, field) for order, field in enumerate(fields, 1)]
        return "service_definition", {"service_code": category.code, "attributes": attributes}

    return answered(fmt, produce)


def service_found(code: str, status: int) -> Category:
    category = public_services().filter(code=code).first()
    if category is None:
        raise Open311Error(status, _("service_code %(code)s not found.") % {"code": code})
    return category


# --- requests -----------------------------------------------------------------------------


def public_cases() -> QuerySet[Case]:
    """Cases of public categories, with what a request shows and nothing personal."""
    last_public = CaseEvent.objects.filter(case=OuterRef("pk"), public=True).order_by("-at", "-id")
    return (
        Case.objects.filter(category__public=True, category__leaf=True)
        .select_related("category", "lead_department")
        .annotate(status_notes=Subquery(last_public.values("note")[:1]))
        .order_by("-reported_at", "-id")
    )


def request_out(case: Case) -> dict[str, Any]:
    return {
        "service_request_id": case.number,
        "status": "closed" if case.status in CLOSED else "open",
        "status_notes": getattr(case, "status_notes", "") or "",
        "service_name": case.category.name,
        "service_code": case.category_code,
        "description": case.description,
        "agency_responsible": case.lead_department.name if case.lead_department else "",
        "service_notice": "",
        "requested_datetime": iso(case.reported_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.due_at),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": case.lat,
        "long": case.lon,
        "media_url": "",
    }


def moment(request: HttpRequest, name: str) -> datetime.datetime | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(400, _("%(name)s is not a valid date and time.") % {"name": name})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def requests_found(request: HttpRequest) -> list[Case]:
    cases = public_cases()
    numbers = [n.strip() for n in request.GET.get("service_request_id", "").split(",") if n.strip()]
    if numbers:  # the spec: other parameters are ignored when ids are given
        return list(cases.filter(number__in=numbers[:MAX_REQUESTS]))
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(category_code__in=codes)
    start, end = moment(request, "start_date"), moment(request, "end_date")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        cases = cases.filter(reported_at__gte=start)
    if end is not None:
        cases = cases.filter(reported_at__lte=end)
    wanted = request.GET.get("status", "").strip()
    if wanted == "closed":
        cases = cases.filter(status__in=CLOSED)
    elif wanted == "open":
        cases = cases.exclude(status__in=CLOSED)
    elif wanted:
        raise Open311Error(400, _("status must be open or closed."))
    return list(cases[:MAX_REQUESTS])


@csrf_exempt  # a third-party client posts with its api_key, not a browser session
@require_http_methods(["GET", "POST"])
@access("public", note="Open311: read requests (public categories, nothing personal); post one")
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return answered(fmt, lambda: ("service_requests", [request_posted(request)]))
    return answered(
        fmt, lambda: ("service_requests", [request_out(case) for case in requests_found(request)])
    )


@require_GET
@access("public", note="Open311: one request (public categories, nothing personal)")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    def produce() -> tuple[str, list[dict[str, Any]]]:
        case = public_cases().filter(number=service_request_id).first()
        if case is None:
            raise Open311Error(
                404,
                _("service_request_id %(id)s not found.") % {"id": service_request_id},
            )
        return "service_requests", [request_out(case)]

    return answered(fmt, produce)


# --- posting a request --------------------------------------------------------------------


def client_for(key: str) -> ApiClient:
    digest = hashlib.sha256(key.encode()).hexdigest()
    client = (
        ApiClient.objects.select_related("account")
        .filter(key_hash=digest, active=True, account__is_active=True)
        .first()
    )
    if not key or client is None:
        raise Open311Error(403, _("api_key is missing or not valid."))
    return client


def number_or_none(request: HttpRequest, name: str) -> float | None:
    text = request.POST.get(name, "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise Open311Error(400, _("%(name)s is not a number.") % {"name": name}) from None


def attributes_given(request: HttpRequest) -> dict[str, Any]:
    """`attribute[code]=value` pairs; a multivaluelist repeats the key."""
    given: dict[str, Any] = {}
    for key in request.POST:
        if key.startswith("attribute[") and key.endswith("]"):
            values = request.POST.getlist(key)
            given[key[len("attribute[") : -1]] = values[0] if len(values) == 1 else values
    return given


def request_posted(request: HttpRequest) -> dict[str, Any]:
    client = client_for(request.POST.get("api_key", ""))
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = service_found(code, 400)
    lat, lon = number_or_none(request, "lat"), number_or_none(request, "long")
    if lat is None or lon is None:
        raise Open311Error(400, _("lat and long are required (WGS-84)."))
    name = person_name(request.POST.get("first_name", ""), request.POST.get("last_name", ""))
    data = ReportInput(
        category_code=category.code,
        description=request.POST.get("description", ""),
        lon=lon,
        lat=lat,
        address=request.POST.get("address_string", ""),
        channel=Channel.OPEN311,
        reporter_name=name,
        reporter_phone=request.POST.get("phone", "").strip(),
        extra=attributes_given(request),
    )
    try:
        case = services.report(client.account, data, request=request)
    except ValidationError as error:
        raise Open311Error(400, *refusals(error)) from None
    return {"service_request_id": case.number, "service_notice": "", "account_id": None}


def person_name(first: str, last: str) -> str:
    """张 + 三 → 张三 (family name first, no space); John + Smith → John Smith."""
    first, last = first.strip(), last.strip()
    if any("\u4e00" <= char <= "\u9fff" for char in first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def refusals(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    ]
