"""Residents raise a request, follow it by code and mobile, and answer once it is closed."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GRID_A, make_persona, resident_signed_in
from wangge.accounts.models import Department, User
from wangge.cases import services as cases
from wangge.cases.models import Attachment, Case, CaseEvent
from wangge.cases.services import ActionInput
from wangge.cases.tests.conftest import point_in
from wangge.cases.workflow import Action, Status
from wangge.portal import services_requests as services
from wangge.portal.models import PortalRequest, ThrottleHit

PHONE = "13900000011"
OTHER = "13900000012"
RAISE = "/portal/raise/"


@pytest.fixture
def urban_handler(db):  # type: ignore[no-untyped-def]
    unit = Department.objects.get(code="urban-management")
    return make_persona("um_handler", "department_handler", department=unit)


def png(size: tuple[int, int] = (8, 8)) -> io.BytesIO:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, "PNG")
    data.seek(0)
    data.name = "photo.png"
    return data


def form(**changes: object) -> dict[str, object]:
    lon, lat = point_in(GRID_A)
    data: dict[str, object] = {
        "topic": "rubbish",
        "description": "路边垃圾堆积，有异味",
        "lon": f"{lon:.6f}",
        "lat": f"{lat:.6f}",
        "step": "send",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def raised(phone: str = PHONE, **changes: object) -> PortalRequest:
    lon, lat = point_in(GRID_A)
    data = services.RequestInput(topic="rubbish", description="路边垃圾", lon=lon, lat=lat)
    for name, value in changes.items():
        setattr(data, name, value)
    return services.request_raise(phone=phone, data=data)


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), PortalRequest.objects.count(), Attachment.objects.count()


def closed(portal_request: PortalRequest, dispatcher, urban_handler, grid_worker_a) -> Case:  # type: ignore[no-untyped-def]
    case = portal_request.case
    case.refresh_from_db()
    steps = [(dispatcher, Action.REGISTER)] if case.status == Status.REPORTED else []
    for actor, action in steps + [
        (dispatcher, Action.DISPATCH),
        (urban_handler, Action.ACCEPT),
        (urban_handler, Action.FEED_BACK),
        (grid_worker_a, Action.VERIFY),
    ]:
        case.refresh_from_db()
        case = cases.act(case.pk, actor, ActionInput(action, case.version, reason="已清理"))
    return case


# --- raising -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stranger_is_sent_to_prove_a_mobile_first(client):
    response = client.get(RAISE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:verify"))
    assert "next=%2Fportal%2Fraise%2F" in response["Location"]


@pytest.mark.django_db
def test_a_resident_raises_a_request_with_a_photo_and_gets_a_code_by_text(client, sms_outbox):
    resident_signed_in(client, PHONE)

    response = client.post(RAISE, {**form(name="张三"), "photos": png()})

    assert response.status_code == 302 and response["Location"] == reverse("portal:raised")
    portal_request = PortalRequest.objects.get()
    case = portal_request.case
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", portal_request.tracking_code)
    assert case.channel == "portal" and case.reporter is None
    assert case.reporter_phone == PHONE and case.reporter_name == "张三"
    assert case.category_code == "E0102" and case.region_code == GRID_A
    assert case.attachments.count() == 1
    page = client.get(reverse("portal:raised"))
    assert portal_request.tracking_code in page.content.decode()
    assert 'class="tracking-code"' in page.content.decode()
    [(phone, text)] = sms_outbox
    assert phone == PHONE and portal_request.tracking_code in text and "/portal/t/" in text


@pytest.mark.django_db
def test_a_village_and_address_stand_for_a_pin(client, sms_outbox):
    resident_signed_in(client, PHONE)

    response = client.post(
        RAISE, form(lon=None, lat=None, village="620502001001", address="东关大街12号")
    )

    assert response.status_code == 302
    case = PortalRequest.objects.get().case
    assert case.region_code.startswith("620502001001") and len(case.region_code) == 15
    assert case.address == "东关大街12号"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"topic": ""}, "topic"),
        ({"topic": "bogus"}, "topic"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"name": "名" * 33}, "name"),
        ({"address": "址" * 201, "lon": None, "lat": None, "village": "620502001001"}, "address"),
        ({"lon": None, "lat": None}, "location"),
        ({"lon": None, "lat": None, "village": "620502001001"}, "address"),
        ({"lon": None, "lat": None, "village": "999999999999"}, "location"),
        ({"lon": "121.5", "lat": "30.0"}, "location"),  # the East China Sea
        ({"lon": "103.8", "lat": "36.06"}, "location"),  # Lanzhou
        ({"lon": "abc", "lat": "36.06"}, "location"),
        ({"lat": None}, "location"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, sms_outbox, changes, field
):
    resident_signed_in(client, PHONE)

    response = client.post(RAISE, form(**changes))

    assert response.status_code == 400
    assert f'id="{field}-error" role="alert"' in response.content.decode()
    assert counts() == (0, 0, 0) and sms_outbox == []
    assert not ThrottleHit.objects.filter(key__startswith="request-").exists()


@pytest.mark.django_db
def test_the_sea_and_another_county_are_refused_with_a_clear_message(client):
    resident_signed_in(client, PHONE)

    sea = client.post(RAISE, form(lon="121.5", lat="30.0"))
    lanzhou = client.post(RAISE, form(lon="103.8", lat="36.06"))

    for response in (sea, lanzhou):
        assert "该位置不在本区的网格内，请检查位置。" in response.content.decode()
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_script_and_sql_are_stored_as_text_and_shown_escaped(client, sms_outbox):
    resident_signed_in(client, PHONE)
    text = "<script>alert(1)</script>'; DROP TABLE cases_case; --"

    client.post(RAISE, form(description=text, address="<b>x</b>"))

    portal_request = PortalRequest.objects.get()
    assert portal_request.case.description == text
    page = client.get(reverse("portal:request", args=[portal_request.tracking_code]))
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
def test_a_too_large_photo_and_a_fake_image_save_nothing(client, settings, sms_outbox):
    resident_signed_in(client, PHONE)
    settings.WANGGE_PHOTO_MAX_BYTES = 1024
    big = png((400, 400))
    fake = io.BytesIO(b"GIF89a this is not a photo at all")
    fake.name = "fake.jpg"

    too_big = client.post(RAISE, {**form(), "photos": big})
    not_photo = client.post(RAISE, {**form(), "photos": fake})

    assert too_big.status_code == 400
    assert "photo.png" in too_big.content.decode()
    assert not_photo.status_code == 400 and "fake.jpg" in not_photo.content.decode()
    assert counts() == (0, 0, 0) and sms_outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("topic", ["fire", "danger", "illness", "crime"])
def test_an_emergency_topic_says_call_now_and_saves_nothing(client, sms_outbox, topic):
    resident_signed_in(client, PHONE)

    response = client.post(RAISE, form(topic=topic))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="emergency-notice"' in body and 'href="tel:1' in body
    assert counts() == (0, 0, 0) and sms_outbox == []


@pytest.mark.django_db
def test_requests_are_limited_per_mobile_per_day(client, settings, sms_outbox):
    settings.WANGGE_PORTAL_REQUESTS_PER_PHONE_DAY = 2
    resident_signed_in(client, PHONE)

    answers = [client.post(RAISE, form()).status_code for _ in range(4)]

    assert answers == [302, 302, 400, 400]
    assert PortalRequest.objects.count() == 2 and Case.objects.count() == 2


@pytest.mark.django_db
def test_many_submissions_a_minute_from_one_address_are_refused_after_the_limit(
    client, settings, sms_outbox
):
    settings.WANGGE_PORTAL_REQUESTS_PER_ADDRESS_HOUR = 3
    answers = []
    for n in range(6):
        resident_signed_in(client, f"1390000{n:04d}")
        answers.append(client.post(RAISE, form()).status_code)

    assert answers == [302, 302, 302, 400, 400, 400]
    assert PortalRequest.objects.count() == 3 and Case.objects.count() == 3


# --- similar requests ------------------------------------------------------------------------


@pytest.mark.django_db
def test_similar_requests_show_no_unmoderated_text_and_nobodys_data(client, sms_outbox):
    hidden = raised(OTHER, description="王五家门口垃圾 13812345678", name="王五")
    shown = raised(OTHER, description="另一处垃圾")
    shown.moderation = "published"
    shown.public_text = "东关路口垃圾堆积（已审核）"
    shown.save()
    resident_signed_in(client, PHONE)

    response = client.post(RAISE, form(step="check"))

    body = response.content.decode()
    assert response.status_code == 200 and 'id="similar"' in body
    assert "东关路口垃圾堆积（已审核）" in body
    for secret in ("王五", "13812345678", OTHER, hidden.tracking_code, shown.tracking_code):
        assert secret not in body
    assert body.count("<li>\n        <strong>") == 2
    assert PortalRequest.objects.count() == 2


# --- following --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_code_and_its_mobile_open_the_request_in_this_browser_only(client, sms_outbox):
    portal_request = raised()
    url = reverse("portal:request", args=[portal_request.tracking_code])
    assert client.get(url).status_code == 404

    response = client.post(
        "/portal/track/", {"code": portal_request.tracking_code.lower(), "phone": PHONE}
    )

    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert PHONE not in page.content.decode()


@pytest.mark.django_db
def test_a_wrong_code_and_someone_elses_mobile_get_the_same_answer(client, sms_outbox):
    portal_request = raised()

    wrong_code = client.post("/portal/track/", {"code": "ABCDEFGHJK", "phone": PHONE})
    wrong_phone = client.post(
        "/portal/track/", {"code": portal_request.tracking_code, "phone": OTHER}
    )

    assert wrong_code.status_code == wrong_phone.status_code == 400
    assert 'id="track-not-found"' in wrong_code.content.decode()
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(wrong_code).replace("ABCDEFGHJK", "") == strip(wrong_phone).replace(
        portal_request.tracking_code, ""
    ).replace(OTHER, PHONE)
    url = reverse("portal:request", args=[portal_request.tracking_code])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_look_ups_are_limited_per_address(client, settings):
    settings.WANGGE_PORTAL_LOOKUPS_PER_ADDRESS_HOUR = 2
    answers = [
        client.post("/portal/track/", {"code": "ABCDEFGHJK", "phone": PHONE}).status_code
        for _ in range(3)
    ]
    assert answers == [400, 400, 429]


@pytest.mark.django_db
def test_the_signed_link_opens_the_request_and_a_forged_one_does_not(client, sms_outbox):
    portal_request = raised()
    link = services.track_link(portal_request)
    path = link[link.index("/portal/") :]

    assert client.get(path[:-5] + "xxxx/").status_code == 404
    response = client.get(path)

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_another_resident_gets_not_found_for_the_request_and_its_photo(client, sms_outbox):
    lon, lat = point_in(GRID_A)
    portal_request = services.request_raise(
        phone=OTHER,
        data=services.RequestInput(topic="rubbish", description="垃圾", lon=lon, lat=lat),
        uploads=[png()],
    )
    photo = portal_request.case.attachments.get()
    code = portal_request.tracking_code
    urls = [
        reverse("portal:request", args=[code]),
        reverse("portal:request_photo", args=[code, photo.pk]),
        reverse("portal:request_rate", args=[code]),
    ]
    resident_signed_in(client, PHONE)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    resident_signed_in(client, OTHER)
    assert [client.get(url).status_code for url in urls] == [200, 200, 302]
    assert client.get(urls[1])["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_the_page_shows_the_public_timeline_and_unit_never_internal_notes_or_staff(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    case = portal_request.case
    cases.act(case.pk, dispatcher, ActionInput(Action.REGISTER, case.version))
    case.refresh_from_db()
    cases.act(
        case.pk, dispatcher, ActionInput(Action.COMMENT, case.version, reason="内部：此人常投诉")
    )
    case.refresh_from_db()
    case = cases.act(case.pk, dispatcher, ActionInput(Action.DISPATCH, case.version))
    resident_signed_in(client, PHONE)

    body = client.get(reverse("portal:request", args=[portal_request.tracking_code])).content
    text = body.decode()

    assert "内部：此人常投诉" not in text
    assert dispatcher.name not in text and "t_dispatcher" not in text
    assert case.lead_department.name in text
    assert 'id="request-expected"' in text
    assert CaseEvent.objects.filter(case=case, public=False).exists()


# --- answering once closed ---------------------------------------------------------------------


@pytest.mark.django_db
def test_not_fixed_reopens_the_case_as_the_resident_and_texts_them(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a, django_capture_on_commit_callbacks
):
    portal_request = raised()
    with django_capture_on_commit_callbacks(execute=True):
        closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    assert "请" in sms_outbox[-1][1] or "rate" in sms_outbox[-1][1]
    assert "/portal/t/" in sms_outbox[-1][1]
    resident_signed_in(client, PHONE)
    url = reverse("portal:request_rate", args=[portal_request.tracking_code])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"fixed": "no", "rating": "2", "reason": "垃圾又堆起来了"})

    assert response.status_code == 302
    case = Case.objects.get(pk=portal_request.case_id)
    assert case.status == Status.REGISTERED and case.rating is None
    reopen = case.events.get(action=Action.REOPEN)
    assert reopen.actor is None and reopen.note == "垃圾又堆起来了"
    assert reopen.actor_name == "群众"
    assert portal_request.tracking_code in sms_outbox[-1][1]


@pytest.mark.django_db
def test_not_fixed_needs_a_reason_and_a_rating(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    resident_signed_in(client, PHONE)
    url = reverse("portal:request_rate", args=[portal_request.tracking_code])

    no_reason = client.post(url, {"fixed": "no", "rating": "2"})
    no_rating = client.post(url, {"fixed": "yes", "rating": "9"})

    assert no_reason.status_code == no_rating.status_code == 400
    case = Case.objects.get(pk=portal_request.case_id)
    assert case.status == Status.CLOSED and case.rating is None


@pytest.mark.django_db
def test_fixed_records_the_rating_once_and_a_second_is_refused(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    resident_signed_in(client, PHONE)
    url = reverse("portal:request_rate", args=[portal_request.tracking_code])

    first = client.post(url, {"fixed": "yes", "rating": "5"})
    second = client.post(url, {"fixed": "no", "rating": "1", "reason": "又坏了"})

    assert first.status_code == 302 and second.status_code == 400
    case = Case.objects.get(pk=portal_request.case_id)
    assert case.rating == 5 and case.satisfied is True and case.status == Status.CLOSED
    assert case.events.filter(action=Action.RATE).count() == 1


@pytest.mark.django_db
def test_not_fixed_after_the_window_is_refused_with_advice(  # type: ignore[no-untyped-def]
    sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    later = timezone.now() + timedelta(days=8)

    with pytest.raises(Exception) as refused:
        services.request_rate(
            portal_request=PortalRequest.objects.get(pk=portal_request.pk),
            phone=PHONE,
            rating=1,
            fixed=False,
            reason="没修好",
            now=later,
        )

    assert "new request" in str(refused.value) or "新的" in str(refused.value)
    case = Case.objects.get(pk=portal_request.case_id)
    assert case.status == Status.CLOSED and case.rating is None


@pytest.mark.django_db
def test_rating_needs_the_proved_mobile_of_the_request(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    client.post("/portal/track/", {"code": portal_request.tracking_code, "phone": PHONE})
    url = reverse("portal:request_rate", args=[portal_request.tracking_code])

    page = client.get(reverse("portal:request", args=[portal_request.tracking_code]))
    response = client.post(url, {"fixed": "yes", "rating": "5"})

    assert 'id="rate-verify"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:verify"))
    assert Case.objects.get(pk=portal_request.case_id).rating is None


@pytest.mark.django_db
def test_a_reopened_request_closed_again_is_rated_not_reopened_twice(  # type: ignore[no-untyped-def]
    sms_outbox, dispatcher, urban_handler, grid_worker_a
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    services.request_rate(
        portal_request=portal_request, phone=PHONE, rating=2, fixed=False, reason="没修好"
    )
    closed(
        PortalRequest.objects.get(pk=portal_request.pk), dispatcher, urban_handler, grid_worker_a
    )

    case = services.request_rate(
        portal_request=PortalRequest.objects.get(pk=portal_request.pk),
        phone=PHONE,
        rating=1,
        fixed=False,
        reason="还是没修好",
    )

    assert case.status == Status.CLOSED and case.rating == 1 and case.satisfied is False
    assert case.events.filter(action=Action.REOPEN).count() == 1


@pytest.mark.django_db
def test_a_cancelled_request_texts_the_reason_and_other_steps_stay_quiet(  # type: ignore[no-untyped-def]
    sms_outbox, dispatcher, django_capture_on_commit_callbacks
):
    portal_request = raised()
    sms_outbox.clear()
    case = portal_request.case
    with django_capture_on_commit_callbacks(execute=True):
        case = cases.act(case.pk, dispatcher, ActionInput(Action.REGISTER, case.version))
    assert sms_outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        cases.act(case.pk, dispatcher, ActionInput(Action.CANCEL, case.version, reason="重复上报"))

    [(phone, text)] = sms_outbox
    assert phone == PHONE and "重复上报" in text


@pytest.mark.django_db
def test_the_demo_requests_load_once_and_one_is_closed_ready_to_rate(sms_outbox):
    from wangge.portal import demo_requests

    assert (
        User.objects.filter(username__in=["dispatcher", "cityhandler", "gridleader"]).count() == 3
    )

    made = demo_requests.load()
    again = demo_requests.load()

    assert made == 3 and again == 0
    statuses = sorted(
        PortalRequest.objects.filter(phone__startswith="1390000").values_list(
            "case__status", flat=True
        )
    )
    assert statuses == ["closed", "dispatched", "reported"]


@pytest.mark.django_db
def test_the_request_page_reads_in_few_queries_however_long_the_timeline(  # type: ignore[no-untyped-def]
    client, sms_outbox, dispatcher, urban_handler, grid_worker_a, django_assert_max_num_queries
):
    portal_request = raised()
    closed(portal_request, dispatcher, urban_handler, grid_worker_a)
    resident_signed_in(client, PHONE)
    url = reverse("portal:request", args=[portal_request.tracking_code])

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
