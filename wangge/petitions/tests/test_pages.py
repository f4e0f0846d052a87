"""The petition pages through Django's test client: list, registration, one petition and its
actions, the letters and the timeliness statistics, with the scope (404), permission (403),
conflict (409) and bad-input rules."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from wangge.cases import calendar
from wangge.cases.models import Case
from wangge.petitions import selectors, services
from wangge.petitions.models import Petition, Representative
from wangge.petitions.tests.conftest import petition_input
from wangge.petitions.tests.outsider_urls import OUTSIDER_URLS

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def petition(officer):  # type: ignore[no-untyped-def]
    return services.register_petition(officer, petition_input())


def routed_to(officer, petition, unit):  # type: ignore[no-untyped-def]
    case = petition.case
    return services.route(officer, case, unit.pk, version=case.version)


def register_post(**changes):  # type: ignore[no-untyped-def]
    data = {
        "form": "visit",
        "matter_kind": "appeal",
        "petitioner_name": "王建国",
        "petitioner_id_number": "620502198001010012",
        "petitioner_phone": "13809381234",
        "petitioner_address": "天水郡村三组12号",
        "request": "补偿款至今未发放。",
        "region_code": "620502001001001",
        "address": "天水郡村三组",
        "people_count": "1",
    }
    data.update(changes)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_the_officer_lists_the_petitions_in_reach_with_few_queries(  # type: ignore[no-untyped-def]
    client, officer, petition, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("petitions:list"))

    assert response.status_code == 200
    assert petition.case.number in response.content.decode()


def test_an_officer_elsewhere_does_not_see_the_petition(client, far_officer, petition):  # type: ignore[no-untyped-def]
    client.force_login(far_officer)

    response = client.get(reverse("petitions:list"))

    assert petition.case.number not in response.content.decode()


def test_the_list_filters_by_stage_and_overdue(client, officer, petition):  # type: ignore[no-untyped-def]
    client.force_login(officer)

    assert (
        petition.case.number
        not in client.get(reverse("petitions:list"), {"stage": "review"}).content.decode()
    )
    assert (
        petition.case.number
        not in client.get(reverse("petitions:list"), {"overdue": "on"}).content.decode()
    )
    assert (
        petition.case.number
        in client.get(
            reverse("petitions:list"), {"stage": "initial", "status": "registered"}
        ).content.decode()
    )


def test_a_handler_sees_only_the_petitions_routed_to_the_unit(  # type: ignore[no-untyped-def]
    client, officer, petition, station, station_handler
):
    client.force_login(station_handler)
    assert petition.case.number not in client.get(reverse("petitions:list")).content.decode()
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404

    routed_to(officer, petition, station)

    assert petition.case.number in client.get(reverse("petitions:list")).content.decode()
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200


@pytest.mark.parametrize("name", ["petitions:list", "petitions:register", "petitions:statistics"])
def test_a_signed_in_user_without_the_capability_is_refused(staff_client, name):  # type: ignore[no-untyped-def]
    assert staff_client.get(reverse(name)).status_code == 403


# --- registration ----------------------------------------------------------------------------


def test_a_dispatcher_may_view_but_not_register(client, dispatcher):  # type: ignore[no-untyped-def]
    client.force_login(dispatcher)

    assert client.get(reverse("petitions:register")).status_code == 403
    assert client.get(reverse("petitions:list")).status_code == 200


def test_the_officer_registers_a_group_visit(client, officer):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    reps = {f"rep_name_{n}": f"代表{n}" for n in range(1, 4)}

    response = client.post(
        reverse("petitions:register"), register_post(group="on", people_count="20", **reps)
    )

    created = Petition.objects.get(petitioner_name="王建国")
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[created.pk])
    assert created.representatives.count() == 3


def test_six_representatives_are_refused_on_the_page_and_nothing_is_saved(client, officer):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    reps = {f"rep_name_{n}": f"代表{n}" for n in range(1, 7)}
    counts = (Petition.objects.count(), Case.objects.count(), Representative.objects.count())

    response = client.post(
        reverse("petitions:register"), register_post(group="on", people_count="20", **reps)
    )

    assert response.status_code == 422
    assert "至多 5 人" in response.content.decode()
    assert (
        Petition.objects.count(),
        Case.objects.count(),
        Representative.objects.count(),
    ) == counts


def test_a_missing_request_is_shown_on_its_field(client, officer):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    count = Case.objects.count()

    response = client.post(reverse("petitions:register"), register_post(request=""))

    assert response.status_code == 422
    assert response.context["form"].errors["request"]
    assert Case.objects.count() == count


# --- one petition -------------------------------------------------------------------------------


def test_the_detail_page_masks_the_petitioners_data_and_shows_the_clock(  # type: ignore[no-untyped-def]
    client, officer, petition
):
    client.force_login(officer)

    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()

    assert "620502198001010012" not in page and "620502********0012" in page
    assert "13809381234" not in page and "138****1234" in page
    due = petition.case.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert due in page
    assert 'id="action-route"' in page


def test_scoped_routes_answer_an_officer_elsewhere_not_found(client, far_officer, petition):  # type: ignore[no-untyped-def]
    client.force_login(far_officer)

    for url in (
        reverse("petitions:detail", args=[petition.pk]),
        reverse("petitions:act", args=[petition.pk]),
        reverse("petitions:letter", args=[petition.pk, "acceptance"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("petitions:act", args=[petition.pk])).status_code == 404


@pytest.mark.parametrize("name", sorted(OUTSIDER_URLS))
def test_each_scoped_route_answers_the_township_dispatcher_not_found(  # type: ignore[no-untyped-def]
    client, request, outsider, name
):
    persona, url_for = OUTSIDER_URLS[name]
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url_for(outsider)).status_code == 404


def test_routing_from_the_page_and_a_stale_form_is_a_conflict(  # type: ignore[no-untyped-def]
    client, officer, petition, station
):
    client.force_login(officer)
    url = reverse("petitions:act", args=[petition.pk])
    stale = petition.case.version

    response = client.post(
        url, {"action": "route", "version": stale, "lead_department": station.pk}
    )
    assert response.status_code == 302
    again = client.post(url, {"action": "route", "version": stale, "lead_department": station.pk})

    assert again.status_code == 409
    assert 'id="conflict"' in again.content.decode()
    assert Case.objects.get(pk=petition.pk).tasks.count() == 1


def test_a_handler_cannot_route(client, officer, petition, station, station_handler):  # type: ignore[no-untyped-def]
    case = routed_to(officer, petition, station)
    client.force_login(station_handler)

    response = client.post(
        reverse("petitions:act", args=[petition.pk]),
        {"action": "route", "version": case.version, "lead_department": station.pk},
    )

    assert response.status_code == 403
    assert Case.objects.get(pk=petition.pk).version == case.version


def test_an_opinion_without_its_parts_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    client, officer, petition, station, station_handler
):
    case = routed_to(officer, petition, station)
    case = services.accept(station_handler, case, "受理", version=case.version)
    client.force_login(station_handler)

    response = client.post(
        reverse("petitions:act", args=[petition.pk]),
        {"action": "issue_opinion", "version": case.version, "decision": "support"},
    )

    assert response.status_code == 422
    assert 'id="action-error"' in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).opinion_at is None


def test_the_acceptance_notice_prints_once_accepted(  # type: ignore[no-untyped-def]
    client, officer, petition, station, station_handler
):
    client.force_login(station_handler)
    url = reverse("petitions:letter", args=[petition.pk, "acceptance"])
    case = routed_to(officer, petition, station)
    assert client.get(url).status_code == 404

    services.accept(station_handler, case, "本单位依法受理。", version=case.version)
    page = client.get(url).content.decode()

    assert "本单位依法受理。" in page
    assert "http://" not in page and "https://" not in page
    assert "620502198001010012" not in page
    assert (
        client.get(reverse("petitions:letter", args=[petition.pk, "nonsense"])).status_code == 404
    )


# --- statistics --------------------------------------------------------------------------------


def test_timeliness_figures_match_the_records(officer, station, station_handler):  # type: ignore[no-untyped-def]
    calendar.seed_years([2026])
    on_time = services.register_petition(officer, petition_input(), now=at("2026-09-21T10:00"))
    late = services.register_petition(officer, petition_input(), now=at("2026-09-22T10:00"))
    # Routed on time, accepted on time, opinion on time, then closed and reviewed.
    case = services.route(
        officer, on_time.case, station.pk, version=on_time.case.version, now=at("2026-09-30T10:00")
    )
    case = services.accept(
        station_handler, case, "", version=case.version, now=at("2026-10-09T10:00")
    )
    case = services.issue_opinion(
        station_handler,
        case,
        "explain",
        "事实",
        "理由",
        "依据",
        version=case.version,
        now=at("2026-10-20T10:00"),
    )
    case = services.close(officer, case, version=case.version, now=at("2026-10-21T10:00"))
    services.request_review(
        officer, Petition.objects.get(pk=case.pk), "不服", now=at("2026-10-22T10:00")
    )
    # Routed late (after 8 October), accepted late (after 15 days), opinion late.
    case = services.route(
        officer, late.case, station.pk, version=late.case.version, now=at("2026-10-09T10:00")
    )
    case = services.accept(
        station_handler, case, "", version=case.version, now=at("2026-10-27T10:00")
    )
    services.issue_opinion(
        station_handler,
        case,
        "not_support",
        "事实",
        "理由",
        "依据",
        version=case.version,
        now=at("2026-12-29T10:00"),
    )

    figures = selectors.timeliness(Petition.objects.all(), 2026)

    september = next(row for row in figures.rows if row.month == "2026-09")
    assert (september.unit, september.received) == (station.name, 2)
    assert september.routed_in_time == 1
    assert september.accepted_in_time == 1
    assert (september.opinions, september.opinions_on_time, september.on_time_rate) == (2, 1, 50.0)
    assert september.reviews == 1
    review_month = next(row for row in figures.rows if row.month == "2026-10")
    assert review_month.received == 1 and review_month.unit != station.name


def test_the_statistics_page_shows_the_figures(client, officer, petition):  # type: ignore[no-untyped-def]
    client.force_login(officer)

    response = client.get(reverse("petitions:statistics"), {"year": "nonsense"})

    assert response.status_code == 200
    assert response.context["figures"].total.received >= 1
