"""A petition through every limit of the 信访工作条例 with the clock set through the services'
`now=`, on the official 2026 work calendar: received on Monday 21 September, just before the
Mid-Autumn and National Day holidays (25–27 September, 1–7 October; Saturday 10 October
worked). Calendar-day limits ending on a day off move to the next working day and end at
the close of its working hours (18:00)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wangge.cases import calendar
from wangge.cases import services as engine
from wangge.cases.models import Case, CaseEvent
from wangge.cases.services import CaseConflict
from wangge.cases.workflow import Status, SupervisionLevel, WorkflowError
from wangge.petitions import services
from wangge.petitions.models import Petition, Representative, Stage
from wangge.petitions.tests.conftest import petition_input, representatives

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def official_2026(db):  # type: ignore[no-untyped-def]
    calendar.seed_years([2026])


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def registered(officer, moment="2026-09-21T10:00", **changes):  # type: ignore[no-untyped-def]
    return services.register_petition(officer, petition_input(**changes), now=at(moment))


def routed(officer, station, moment="2026-09-30T10:00"):  # type: ignore[no-untyped-def]
    petition = registered(officer)
    case = petition.case
    return services.route(officer, case, station.pk, version=case.version, now=at(moment))


def accepted(officer, station, handler, moment="2026-10-09T10:00"):  # type: ignore[no-untyped-def]
    case = routed(officer, station)
    return services.accept(handler, case, "本单位受理。", version=case.version, now=at(moment))


def opinion(handler, case, moment):  # type: ignore[no-untyped-def]
    return services.issue_opinion(
        handler,
        case,
        "support",
        "经查，补偿款因账户错误未到账。",
        "诉求合理。",
        "《土地管理法》第四十八条",
        version=case.version,
        now=at(moment),
    )


def closed_initial(officer, station, handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, handler)
    case = opinion(handler, case, "2026-10-20T10:00")
    return services.close(officer, case, version=case.version, now=at("2026-10-21T10:00"))


# --- registration ----------------------------------------------------------------------------


def test_a_registered_petition_is_a_registered_case_due_for_routing_within_fifteen_days(officer):  # type: ignore[no-untyped-def]
    petition = registered(officer, form="letter", matter_kind="suggestion")

    case = fresh(petition.case)
    assert case.status == Status.REGISTERED
    assert case.workflow == "petition"
    assert case.category_code == "P0101"
    assert petition.stage == Stage.INITIAL
    # 21 September + 15 days = 6 October, a holiday: the next working day is 8 October.
    assert case.due_at == at("2026-10-08T18:00")


def test_a_group_visit_keeps_its_representatives(officer):  # type: ignore[no-untyped-def]
    petition = registered(officer, group=True, people_count=30, representatives=representatives(5))

    assert petition.group
    assert list(petition.representatives.values_list("name", flat=True)) == [
        f"代表{n}" for n in range(5)
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"group": True, "people_count": 30, "representatives": representatives(6)},
            "representatives",
        ),
        ({"group": True, "people_count": 30, "representatives": []}, "representatives"),
        ({"petitioner_name": "  "}, "petitioner_name"),
        ({"request": ""}, "request"),
        ({"form": "pigeon"}, "form"),
        ({"matter_kind": "wish"}, "matter_kind"),
        ({"petitioner_phone": "call me"}, "petitioner_phone"),
        ({"petitioner_id_number": "12345"}, "petitioner_id_number"),
        ({"region_code": "", "address": ""}, "location"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(officer, changes, field):  # type: ignore[no-untyped-def]
    counts = (Petition.objects.count(), Case.objects.count(), Representative.objects.count())

    with pytest.raises(ValidationError) as refused:
        registered(officer, **changes)

    assert field in refused.value.message_dict
    assert (
        Petition.objects.count(),
        Case.objects.count(),
        Representative.objects.count(),
    ) == counts


def test_six_representatives_are_refused_with_the_article_named(officer):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        registered(officer, group=True, people_count=30, representatives=representatives(6))

    assert "第二十条" in refused.value.message_dict["representatives"][0]


def test_only_the_petitions_office_registers(dispatcher):  # type: ignore[no-untyped-def]
    count = Case.objects.count()

    with pytest.raises(WorkflowError):
        registered(dispatcher)

    assert Case.objects.count() == count


def test_an_officer_cannot_register_a_petition_about_a_place_outside_their_area(far_officer):  # type: ignore[no-untyped-def]
    count = Case.objects.count()

    with pytest.raises(ValidationError) as refused:
        registered(far_officer)

    assert "region_code" in refused.value.message_dict
    assert Case.objects.count() == count


# --- routing, acceptance, objection ------------------------------------------------------------


def test_routing_starts_the_fifteen_days_to_accept_and_the_five_working_days_to_object(  # type: ignore[no-untyped-def]
    officer, station
):
    case = routed(officer, station)

    assert case.status == Status.DISPATCHED
    assert case.lead_department == station
    # 30 September + 15 days = 15 October, a Thursday.
    assert case.due_at == at("2026-10-15T18:00")
    # Five working days after 30 September: 8, 9, 10 (a Saturday worked), 12 and 13 October.
    assert case.tasks.get().send_back_until == at("2026-10-13T18:00")


def test_only_the_petitions_office_routes(officer, station, dispatcher, station_handler):  # type: ignore[no-untyped-def]
    case = registered(officer).case

    for stranger in (dispatcher, station_handler):
        with pytest.raises(WorkflowError):
            services.route(stranger, case, station.pk, version=case.version)

    assert fresh(case).status == Status.REGISTERED


def test_the_unit_accepts_and_the_sixty_days_of_handling_start(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)

    petition = Petition.objects.get(pk=case.pk)
    assert petition.accepted is True
    assert petition.acceptance_at == at("2026-10-09T10:00")
    assert case.status == Status.HANDLING
    # 9 October + 60 days = 8 December, a Tuesday.
    assert case.due_at == at("2026-12-08T18:00")


def test_a_unit_objects_within_five_working_days_and_the_office_routes_again(  # type: ignore[no-untyped-def]
    officer, station, station_handler, bureau
):
    case = routed(officer, station)

    case = services.object_to(
        station_handler, case, "不属本单位职责", version=case.version, now=at("2026-10-13T17:59")
    )
    assert case.status == Status.SENT_BACK
    case = services.route(
        officer, case, bureau.pk, version=case.version, now=at("2026-10-14T09:00")
    )
    assert case.lead_department == bureau


def test_an_objection_after_five_working_days_is_refused(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = routed(officer, station)

    with pytest.raises(WorkflowError) as refused:
        services.object_to(
            station_handler,
            case,
            "不属本单位职责",
            version=case.version,
            now=at("2026-10-13T18:01"),
        )

    assert refused.value.code == "send_back_too_late"
    assert fresh(case).status == Status.DISPATCHED


def test_an_objection_needs_a_reason(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = routed(officer, station)

    with pytest.raises(ValidationError):
        services.object_to(station_handler, case, " ", version=case.version)


def test_a_stale_version_is_a_conflict_and_nothing_changes(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = routed(officer, station)

    with pytest.raises(CaseConflict):
        services.accept(station_handler, case, "受理", version=case.version - 1)

    assert Petition.objects.get(pk=case.pk).accepted is None


def test_acceptance_past_its_limit_is_supervised_like_any_case(officer, station):  # type: ignore[no-untyped-def]
    case = routed(officer, station)

    engine.sweep(now=at("2026-10-15T18:01"))

    assert fresh(case).supervision == SupervisionLevel.YELLOW


# --- extension and opinion ---------------------------------------------------------------------


def test_one_extension_of_at_most_thirty_days_told_to_the_petitioner(  # type: ignore[no-untyped-def]
    officer, station, station_handler
):
    case = accepted(officer, station, station_handler)
    with pytest.raises(ValidationError):
        services.request_extension(
            station_handler, case, 31, "需鉴定", version=case.version, now=at("2026-11-20T10:00")
        )
    with pytest.raises(ValidationError):
        services.request_extension(
            station_handler, case, 30, " ", version=case.version, now=at("2026-11-20T10:00")
        )

    case = services.request_extension(
        station_handler, case, 30, "需委托鉴定", version=case.version, now=at("2026-11-20T10:00")
    )
    case = services.approve_extension(
        officer, case, version=case.version, now=at("2026-11-21T10:00")
    )

    # 9 October + 60 + 30 days = 7 January 2027, a Thursday.
    assert case.due_at == at("2027-01-07T18:00")
    assert Petition.objects.get(pk=case.pk).extension_told_at == at("2026-11-21T10:00")
    with pytest.raises(WorkflowError) as refused:
        services.request_extension(
            station_handler, case, 5, "仍需时间", version=case.version, now=at("2026-12-01T10:00")
        )
    assert refused.value.code == "extension_limit_reached"


def test_only_the_petitions_office_approves_an_extension(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)
    case = services.request_extension(station_handler, case, 10, "需鉴定", version=case.version)

    with pytest.raises(WorkflowError):
        services.approve_extension(station_handler, case, version=case.version)


def test_the_opinion_needs_decision_facts_reasons_and_basis(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ValidationError) as refused:
        services.issue_opinion(station_handler, case, "maybe", "", "", "", version=case.version)

    assert set(refused.value.message_dict) == {"decision", "facts", "reasons", "basis"}
    assert CaseEvent.objects.filter(case=case).count() == events


def test_an_opinion_by_the_sixtieth_day_is_on_time_and_a_later_one_is_late(  # type: ignore[no-untyped-def]
    officer, station, station_handler
):
    case = accepted(officer, station, station_handler)

    case = opinion(station_handler, case, "2026-12-08T17:59")

    assert case.status == Status.FED_BACK
    assert case.on_time is True
    petition = Petition.objects.get(pk=case.pk)
    assert petition.decision == "support"
    assert petition.opinion_basis == "《土地管理法》第四十八条"


def test_an_opinion_after_the_limit_is_late(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)

    case = opinion(station_handler, case, "2026-12-08T18:01")

    assert case.on_time is False


def test_the_office_closes_only_after_the_opinion(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)
    with pytest.raises(WorkflowError):
        services.close(officer, case, version=case.version)

    case = opinion(station_handler, case, "2026-10-20T10:00")
    with pytest.raises(WorkflowError):
        services.close(station_handler, case, version=case.version)
    case = services.close(officer, case, version=case.version, now=at("2026-10-21T10:00"))

    assert case.status == Status.CLOSED


# --- review and re-review ----------------------------------------------------------------------


def test_a_review_within_thirty_days_is_a_new_case_answered_within_thirty(  # type: ignore[no-untyped-def]
    officer, station, station_handler
):
    case = closed_initial(officer, station, station_handler)
    petition = Petition.objects.get(pk=case.pk)
    # 20 October + 30 days = 19 November, a Thursday.
    assert services.review_until(petition) == at("2026-11-19T18:00")

    review = services.request_review(
        officer, petition, "对处理意见不服", now=at("2026-11-19T17:00")
    )

    assert review.stage == Stage.REVIEW
    assert review.previous == petition
    assert review.case.category_code == "P02"
    assert review.case.status == Status.REGISTERED
    # 19 November + 30 days = 19 December, a Saturday: Monday 21 December.
    assert review.case.due_at == at("2026-12-21T18:00")
    assert review.petitioner_id_number == petition.petitioner_id_number


def test_a_review_asked_after_thirty_days_is_refused(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = closed_initial(officer, station, station_handler)
    count = Case.objects.count()

    with pytest.raises(WorkflowError) as refused:
        services.request_review(
            officer, Petition.objects.get(pk=case.pk), "不服", now=at("2026-11-19T18:01")
        )

    assert "2026-11-19" in str(refused.value.message)
    assert Case.objects.count() == count


def test_a_review_of_an_open_petition_is_refused(officer, station, station_handler):  # type: ignore[no-untyped-def]
    case = accepted(officer, station, station_handler)

    with pytest.raises(WorkflowError):
        services.request_review(officer, Petition.objects.get(pk=case.pk), "不服")


def test_review_then_re_review_then_the_same_request_is_closed(  # type: ignore[no-untyped-def]
    officer, station, station_handler, bureau, bureau_handler
):
    case = closed_initial(officer, station, station_handler)
    review = services.request_review(
        officer, Petition.objects.get(pk=case.pk), "不服", now=at("2026-11-19T17:00")
    )
    with pytest.raises(WorkflowError):  # one review per opinion
        services.request_review(
            officer, Petition.objects.get(pk=case.pk), "再次", now=at("2026-11-19T17:30")
        )
    step = services.route(
        officer, review.case, bureau.pk, version=review.case.version, now=at("2026-11-20T10:00")
    )
    step = services.accept(
        bureau_handler, step, "受理复查", version=step.version, now=at("2026-11-20T11:00")
    )
    step = opinion(bureau_handler, step, "2026-11-30T10:00")
    step = services.close(officer, step, version=step.version, now=at("2026-11-30T11:00"))
    review = Petition.objects.get(pk=step.pk)

    re_review = services.request_review(officer, review, "仍不服", now=at("2026-12-01T10:00"))

    assert re_review.stage == Stage.RE_REVIEW
    assert re_review.case.category_code == "P03"
    assert re_review.case.title == f"复核：{case.title}"
    # 1 December + 30 days = 31 December, a Thursday.
    assert re_review.case.due_at == at("2026-12-31T18:00")
    step = services.route(
        officer,
        re_review.case,
        bureau.pk,
        version=re_review.case.version,
        now=at("2026-12-02T10:00"),
    )
    step = services.accept(
        bureau_handler, step, "受理复核", version=step.version, now=at("2026-12-02T11:00")
    )
    step = opinion(bureau_handler, step, "2026-12-10T10:00")
    step = services.close(officer, step, version=step.version, now=at("2026-12-10T11:00"))
    count = Case.objects.count()
    with pytest.raises(WorkflowError) as refused:
        services.request_review(
            officer, Petition.objects.get(pk=step.pk), "还不服", now=at("2026-12-11T10:00")
        )
    assert "第三十六条" in str(refused.value.message)
    assert Case.objects.count() == count
