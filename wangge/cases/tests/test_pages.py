"""The case pages through Django's test client: report, intake, queues, one case and its
actions, with the scope (404), permission (403) and bad-input rules."""

import io

import pytest
from django.urls import reverse

from conftest import GRID_A
from wangge.cases import services
from wangge.cases.models import Attachment, Case, CaseEvent
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY, point_in
from wangge.cases.workflow import Action, Status


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png"):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def report_data(point, **changes):  # type: ignore[no-untyped-def]
    data = {
        "category": URBAN_CATEGORY,
        "description": "路口垃圾成堆",
        "lon": f"{point[0]:.6f}",
        "lat": f"{point[1]:.6f}",
        "crs": "wgs84",
        "address": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def as_user(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.django_db
def test_a_grid_worker_reports_with_a_photo_and_the_grid_fills_itself_in(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, grid_point
):
    client = as_user(grid_worker_a)
    page = client.get(reverse("cases:report"))
    assert page.status_code == 200
    assert "暴露垃圾" in page.content.decode()
    data = report_data(grid_point, photos=[upload("a.png", png_bytes())])
    response = client.post(reverse("cases:report"), data)
    assert response.status_code == 302
    case = Case.objects.get(description="路口垃圾成堆")
    assert case.region_code == GRID_A and case.reporter == grid_worker_a
    assert Attachment.objects.filter(case=case).count() == 1
    shown = client.get(response["Location"])
    assert case.number in shown.content.decode()
    photo = Attachment.objects.get(case=case)
    image = client.get(reverse("cases:photo", args=[case.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "Z99"}, "请从列表中选择类别"),
        ({"lon": "", "lat": ""}, "请给出位置"),
        ({"lon": "116.397", "lat": "39.909"}, "不在本区的网格内"),
        ({"description": "很" * 4001}, ""),
        ({"photos": [upload("x.png", b"not an image at all")]}, "不是照片"),
    ],
)
def test_bad_reports_say_why_and_save_nothing(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, grid_point, changes, message
):
    client = as_user(grid_worker_a)
    before = Case.objects.count()
    response = client.post(reverse("cases:report"), report_data(grid_point, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_a_photo_over_the_limit_is_refused(as_user, grid_worker_a, grid_point, settings):  # type: ignore[no-untyped-def]
    settings.WANGGE_PHOTO_MAX_BYTES = 1000
    client = as_user(grid_worker_a)
    big = upload("big.png", png_bytes() + b"\0" * 2000)
    response = client.post(reverse("cases:report"), report_data(grid_point, photos=[big]))
    assert response.status_code == 422
    assert not Case.objects.filter(description="路口垃圾成堆").exists()


@pytest.mark.django_db
def test_a_likely_duplicate_is_offered_and_can_be_joined(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, grid_worker_b, grid_point
):
    first = services.report(
        grid_worker_a,
        ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1]),
    )
    client = as_user(grid_worker_a)
    response = client.post(reverse("cases:report"), report_data(grid_point))
    page = response.content.decode()
    assert response.status_code == 200 and first.number in page
    assert Case.objects.count() == Case.objects.filter(pk=first.pk).count() + (
        Case.objects.exclude(pk=first.pk).count()
    )
    joined = client.post(reverse("cases:join", args=[first.pk]), {"description": "又看见了"})
    assert joined.status_code == 302
    assert CaseEvent.objects.filter(case=first, action="join", note="又看见了").exists()
    again = client.post(reverse("cases:report"), report_data(grid_point, confirm_new="1"))
    assert again.status_code == 302  # reported as new after all


@pytest.mark.django_db
def test_the_dispatcher_takes_a_phone_call_by_grid_and_address(  # type: ignore[no-untyped-def]
    as_user, dispatcher
):
    client = as_user(dispatcher)
    data = {
        "channel": "phone",
        "category": URBAN_CATEGORY,
        "description": "楼下垃圾没人清",
        "region_code": GRID_A,
        "address": "大城街道某小区3号楼",
        "reporter_name": "张三",
        "reporter_phone": "13912345678",
        "crs": "wgs84",
    }
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(description="楼下垃圾没人清")
    assert case.status == Status.REGISTERED and case.channel == "phone"
    page = client.get(response["Location"]).content.decode()
    assert "139****5678" in page and "13912345678" not in page


@pytest.mark.django_db
def test_queues_count_and_list_what_each_role_must_do(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, dispatcher, urban_handler, grid_point
):
    case = services.report(
        grid_worker_a, ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1])
    )
    client = as_user(dispatcher)
    home = client.get("/").content.decode()
    assert 'id="queue-to_register"' in home
    listed = client.get(reverse("cases:list") + "?queue=to_register").content.decode()
    assert case.number in listed
    services.act(case.pk, dispatcher, ActionInput(Action.REGISTER, 1))
    services.act(case.pk, dispatcher, ActionInput(Action.DISPATCH, 2))
    handler = as_user(urban_handler)
    assert case.number in handler.get(reverse("cases:list") + "?queue=to_accept").content.decode()
    assert handler.get(reverse("cases:list") + "?queue=to_register").status_code == 403


@pytest.mark.django_db
def test_actions_on_the_case_page_and_a_stale_one_is_a_409(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, dispatcher, grid_point
):
    case = services.report(
        grid_worker_a, ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1])
    )
    client = as_user(dispatcher)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="action-register"' in page
    done = client.post(reverse("cases:act", args=[case.pk]), {"action": "register", "version": "1"})
    assert done.status_code == 302
    stale = client.post(
        reverse("cases:act", args=[case.pk]), {"action": "cancel", "version": "1", "reason": "x"}
    )
    assert stale.status_code == 409
    assert "立案" in stale.content.decode() or "register" in stale.content.decode()
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.events.count() == 2


@pytest.mark.django_db
def test_refused_actions_change_nothing(as_user, grid_worker_a, dispatcher, grid_point):  # type: ignore[no-untyped-def]
    case = services.report(
        grid_worker_a, ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1])
    )
    worker = as_user(grid_worker_a)
    url = reverse("cases:act", args=[case.pk])
    assert worker.post(url, {"action": "register", "version": "1"}).status_code == 403
    assert worker.post(url, {"action": "fly", "version": "1"}).status_code == 422
    assert worker.post(url, {"action": "register", "version": "x"}).status_code == 422
    dispatcher_client = as_user(dispatcher)
    assert dispatcher_client.post(url, {"action": "cancel", "version": "1"}).status_code == 422
    assert (
        dispatcher_client.post(
            url, {"action": "register", "version": "1", "task_id": "99999"}
        ).status_code
        == 422
    )
    case.refresh_from_db()
    assert case.status == Status.REPORTED and case.events.count() == 1


@pytest.mark.django_db
def test_outsiders_and_people_without_the_capability(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, outsider, resident, grid_point
):
    case = services.report(
        grid_worker_a, ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1])
    )
    far = as_user(outsider)
    assert far.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert (
        far.post(
            reverse("cases:act", args=[case.pk]), {"action": "comment", "version": "1"}
        ).status_code
        == 404
    )
    assert case.number not in far.get(reverse("cases:list")).content.decode()
    nobody = as_user(resident)
    assert nobody.get(reverse("cases:list")).status_code == 403
    assert nobody.get(reverse("cases:report")).status_code == 403
    assert nobody.get(reverse("cases:intake")).status_code == 403
    other_point = point_in("620502103200001")
    assert other_point  # the outsider's own grid is elsewhere


@pytest.mark.django_db
def test_a_category_s_extra_fields_are_asked_checked_and_shown(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, grid_point
):
    from wangge.people.models import Person

    client = as_user(grid_worker_a)
    page = client.get(reverse("cases:report")).content.decode()
    assert 'id="extra-field-sets"' in page and "D0101" in page
    dispute = report_data(
        grid_point,
        category="D0101",
        description="夫妻因彩礼纠纷争吵",
        extra_people_involved="2",
        extra_amount_involved_yuan="30000.50",
        extra_scale="个体性事件",
    )
    assert client.post(reverse("cases:report"), dispute).status_code == 302
    case = Case.objects.get(description="夫妻因彩礼纠纷争吵")
    assert case.extra == {"people_involved": 2, "amount_involved": 3000050, "scale": "个体性事件"}
    bad = report_data(
        grid_point, category="D0101", description="另一起", extra_scale="打架", confirm_new="1"
    )
    response = client.post(reverse("cases:report"), bad)
    assert response.status_code == 422 and "事件规模" in response.content.decode()

    person = Person.objects.filter(region_code=GRID_A).first()
    assert person is not None
    linked = report_data(
        grid_point,
        category="S0401",
        description="该患者近期未按时服药",
        extra_person=person.id_number,
    )
    assert client.post(reverse("cases:report"), linked).status_code == 302
    case = Case.objects.get(description="该患者近期未按时服药")
    assert case.extra == {"person": person.pk}
    shown = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("people:detail", args=[person.pk]) in shown and person.id_number not in shown
    far = Person.objects.exclude(region_code__startswith="620502001001").first()
    assert far is not None
    refused = report_data(
        grid_point,
        category="S0401",
        description="别处的人",
        extra_person=far.id_number,
        confirm_new="1",
    )
    response = client.post(reverse("cases:report"), refused)
    assert response.status_code == 422 and "管辖范围内没有" in response.content.decode()


@pytest.mark.django_db
def test_the_cases_behind_a_figure_of_the_statistics(  # type: ignore[no-untyped-def]
    as_user, grid_worker_a, dispatcher, grid_point
):
    import datetime

    case = services.report(
        grid_worker_a, ReportInput(URBAN_CATEGORY, "垃圾", lon=grid_point[0], lat=grid_point[1])
    )
    today = datetime.date.today().isoformat()
    url = reverse("cases:list") + f"?figure=reported&region=620502001&from={today}&to={today}"
    client = as_user(dispatcher)
    page = client.get(url).content.decode()
    assert 'id="figure"' in page and case.number in page
    elsewhere = reverse("cases:list") + f"?figure=reported&region=620502103&from={today}&to={today}"
    assert client.get(elsewhere).status_code == 404
    bad = client.get(reverse("cases:list") + "?figure=reported&region=620502001&from=x&to=y")
    assert "时段或单位无效" in bad.content.decode()
    assert as_user(grid_worker_a).get(url).status_code == 403
