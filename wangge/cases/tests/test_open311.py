"""Open311 GeoReport v2, as a client built from the spec sees it: services, a service
definition, posting a request with an api_key, and reading it back in JSON and XML."""

import hashlib
import io
import json
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client

from wangge.cases import services
from wangge.cases.models import ApiClient, Case, CaseEvent, Category
from wangge.cases.services import ActionInput
from wangge.cases.tests.conftest import URBAN_CATEGORY
from wangge.cases.workflow import Action

ROOT = "/open311/v2/"
# Elements that hold lists in GeoReport v2 XML, with the name of their items.
XML_LISTS = {"services", "service_requests", "errors", "attributes", "values"}


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[dict[str, Any]]):
        self.status = status
        self.errors = errors
        super().__init__(f"{status}: {errors}")


class GeoReportClient:
    """A GeoReport v2 client that knows only the spec: resources at `ROOT`, the format as
    the suffix, form-encoded POSTs, errors as a list of {code, description}."""

    def __init__(self, http: Client, fmt: str = "json", api_key: str = ""):
        self.http = http
        self.fmt = fmt
        self.api_key = api_key

    def services(self) -> list[dict[str, Any]]:
        return self._get("services")  # type: ignore[no-any-return]

    def service_definition(self, code: str) -> dict[str, Any]:
        return self._get(f"services/{code}")  # type: ignore[no-any-return]

    def post_request(self, **fields: Any) -> dict[str, Any]:
        form = {"api_key": self.api_key, **fields}
        response = self.http.post(f"{ROOT}requests.{self.fmt}", form)
        return self._parsed(response)[0]  # type: ignore[no-any-return]

    def requests(self, **filters: str) -> list[dict[str, Any]]:
        return self._get("requests", filters)  # type: ignore[no-any-return]

    def request(self, service_request_id: str) -> dict[str, Any]:
        return self._get(f"requests/{service_request_id}")[0]  # type: ignore[no-any-return]

    def _get(self, resource: str, query: dict[str, str] | None = None) -> Any:
        return self._parsed(self.http.get(f"{ROOT}{resource}.{self.fmt}", query or {}))

    def _parsed(self, response: Any) -> Any:
        text = response.content.decode("utf-8")
        body = json.loads(text) if self.fmt == "json" else from_xml(text)
        if response.status_code >= 400:
            raise GeoReportError(response.status_code, body)
        return body


def from_xml(text: str) -> Any:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return element_value(ElementTree.fromstring(text.encode("utf-8")))


def element_value(element: ElementTree.Element) -> Any:
    if element.tag in XML_LISTS:
        return [element_value(child) for child in element]
    if len(element):
        return {child.tag: element_value(child) for child in element}
    text = element.text or ""
    return {"true": True, "false": False}.get(text, text)


@pytest.fixture
def api_key(db):  # type: ignore[no-untyped-def]
    """A key made by the management command, for an account of the 12345 centre."""
    from conftest import make_persona

    make_persona("hotline_bridge", "village_cadre", region="620502001001")
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key", "hotline_bridge", "--name", "12345 热线", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert ApiClient.objects.filter(key_hash=hashlib.sha256(key.encode()).hexdigest()).exists()
    assert "not shown again" in err.getvalue()
    return key


@pytest.fixture(params=["json", "xml"])
def fmt(request):  # type: ignore[no-untyped-def]
    return request.param


def posted(client: GeoReportClient, point: tuple[float, float], **changes: Any) -> str:
    fields = {
        "service_code": URBAN_CATEGORY,
        "lat": str(point[1]),
        "long": str(point[0]),
        "description": "小区门口垃圾成堆",
        "address_string": "进步巷12号",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
        "email": "zhang@example.com",
        **changes,
    }
    return str(client.post_request(**fields)["service_request_id"])


def step(case: Case, actor: Any, action: str, **given: Any) -> Case:
    case.refresh_from_db()
    return services.act(case.pk, actor, ActionInput(action, case.version, **given))


@pytest.mark.django_db
def test_a_client_lists_services_posts_a_request_and_follows_it_to_closed(  # type: ignore[no-untyped-def]
    client, fmt, api_key, grid_point, dispatcher, urban_handler, grid_worker_a
):
    georeport = GeoReportClient(client, fmt, api_key)

    codes = [service["service_code"] for service in georeport.services()]
    request_id = posted(georeport, grid_point)
    opened = georeport.request(request_id)

    assert URBAN_CATEGORY in codes
    assert set(codes) == set(
        Category.objects.filter(public=True, leaf=True, active=True).values_list("code", flat=True)
    )
    case = Case.objects.get(number=request_id)
    assert case.channel == "open311" and case.reporter.username == "hotline_bridge"
    assert case.reporter_name == "张三" and case.address == "进步巷12号"
    assert opened["status"] == "open" and opened["service_code"] == URBAN_CATEGORY
    assert opened["requested_datetime"].endswith("+08:00")
    step(case, dispatcher, Action.REGISTER)
    step(case, dispatcher, Action.DISPATCH)
    step(case, urban_handler, Action.ACCEPT)
    step(case, urban_handler, Action.FEED_BACK, reason="已清运")
    assert georeport.request(request_id)["status"] == "open"  # waiting for verification
    step(case, grid_worker_a, Action.VERIFY, reason="现场核实已清理")

    closed = georeport.request(request_id)

    assert closed["status"] == "closed"
    assert closed["status_notes"] == "现场核实已清理"
    assert closed["agency_responsible"] == case.tasks.get(lead=True).department.name
    listed = georeport.requests(status="closed", service_code=URBAN_CATEGORY)
    assert [item["service_request_id"] for item in listed] == [request_id]
    assert georeport.requests(status="open") == []


@pytest.mark.django_db
def test_requests_never_show_personal_data_or_private_categories(  # type: ignore[no-untyped-def]
    client, fmt, api_key, grid_point, grid_worker_a
):
    georeport = GeoReportClient(client, fmt, api_key)
    request_id = posted(georeport, grid_point)
    private = Category.objects.filter(public=False, leaf=True).first()
    hidden = services.report(
        grid_worker_a,
        services.ReportInput(private.code, "不公开", lon=grid_point[0], lat=grid_point[1]),
    )

    everything = client.get(f"{ROOT}requests.{fmt}").content.decode()
    one = client.get(f"{ROOT}requests/{request_id}.{fmt}").content.decode()

    for text in (everything, one):
        assert request_id in text
        for personal in ("张三", "13800138000", "zhang@example.com", "hotline_bridge"):
            assert personal not in text
        assert hidden.number not in text
    with pytest.raises(GeoReportError) as missing:
        georeport.request(hidden.number)
    assert missing.value.status == 404
    assert (
        georeport.requests(service_request_id=f"{request_id},{hidden.number}")[0][
            "service_request_id"
        ]
        == request_id
    )


@pytest.mark.django_db
def test_a_service_definition_lists_the_categorys_extra_fields(client, fmt):  # type: ignore[no-untyped-def]
    category = (
        Category.objects.filter(public=True, leaf=True, active=True)
        .exclude(extra_fields=[])
        .first()
    )
    georeport = GeoReportClient(client, fmt)

    definition = georeport.service_definition(category.code)

    assert definition["service_code"] == category.code
    attributes = definition["attributes"]
    assert [attribute["code"] for attribute in attributes] == [
        field["name"] for field in category.extra_fields
    ]
    assert attributes[0]["variable"] is True and attributes[0]["datatype"]
    assert str(attributes[0]["order"]) == "1"
    with pytest.raises(GeoReportError) as missing:
        georeport.service_definition("X99")
    assert missing.value.status == 404 and missing.value.errors[0]["description"]


@pytest.mark.django_db
def test_posted_attributes_are_kept_as_the_categorys_extra_fields(  # type: ignore[no-untyped-def]
    client, api_key, grid_point
):
    category = next(
        item
        for item in Category.objects.filter(public=True, leaf=True, active=True)
        if any(field["name"] == "plate_number" for field in item.extra_fields)
    )
    georeport = GeoReportClient(client, "json", api_key)

    request_id = posted(
        georeport, grid_point, service_code=category.code, **{"attribute[plate_number]": "甘E12345"}
    )

    assert Case.objects.get(number=request_id).extra == {"plate_number": "甘E12345"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"api_key": ""}, 403),
        ({"service_code": "X99"}, 400),
        ({"service_code": ""}, 400),
        ({"lat": "", "long": ""}, 400),
        ({"lat": "north"}, 400),
        ({"lat": "39.9", "long": "116.4"}, 400),  # Beijing: outside the district
        ({"description": "x" * 1_000_000}, 400),
        ({"description": ""}, 400),
    ],
)
def test_bad_posts_answer_the_specs_error_list_and_write_nothing(  # type: ignore[no-untyped-def]
    client, fmt, api_key, grid_point, changes, status
):
    keyed = {"api_key": api_key, **changes}
    georeport = GeoReportClient(client, fmt, keyed.pop("api_key"))
    before = (Case.objects.count(), CaseEvent.objects.count())

    with pytest.raises(GeoReportError) as refused:
        posted(georeport, grid_point, **keyed)

    assert refused.value.status == status
    assert all(str(error["code"]) == str(status) for error in refused.value.errors)
    assert all(error["description"] for error in refused.value.errors)
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


@pytest.mark.django_db
def test_private_categories_are_not_services(client, api_key, grid_point):  # type: ignore[no-untyped-def]
    private = Category.objects.filter(public=False, leaf=True).first()
    georeport = GeoReportClient(client, "json", api_key)

    with pytest.raises(GeoReportError) as refused:
        posted(georeport, grid_point, service_code=private.code)

    assert refused.value.status == 400
    with pytest.raises(GeoReportError):
        georeport.service_definition(private.code)
    assert not Case.objects.filter(category=private).exists()


@pytest.mark.django_db
def test_a_deactivated_key_is_refused(client, api_key, grid_point):  # type: ignore[no-untyped-def]
    ApiClient.objects.update(active=False)
    georeport = GeoReportClient(client, "xml", api_key)

    with pytest.raises(GeoReportError) as refused:
        posted(georeport, grid_point)

    assert refused.value.status == 403


@pytest.mark.django_db
def test_request_filters_by_date_and_refuse_bad_values(client, api_key, grid_point):  # type: ignore[no-untyped-def]
    georeport = GeoReportClient(client, "json", api_key)
    request_id = posted(georeport, grid_point)

    since_2000 = georeport.requests(start_date="2000-01-01T00:00:00Z")
    before_2000 = georeport.requests(end_date="2000-01-01T00:00:00+08:00")

    assert request_id in [item["service_request_id"] for item in since_2000]
    assert before_2000 == []
    for bad in ({"start_date": "yesterday"}, {"status": "pending"}):
        with pytest.raises(GeoReportError) as refused:
            georeport.requests(**bad)
        assert refused.value.status == 400


def test_the_management_command_refuses_an_unknown_account(db):  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("open311_key", "nobody", "--name", "x", stdout=io.StringIO())
    assert not ApiClient.objects.exists()
