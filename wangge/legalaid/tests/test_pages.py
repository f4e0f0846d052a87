import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wangge.core.ids import identity_check_character
from wangge.core.masking import mask_identity_number
from wangge.legalaid import services
from wangge.legalaid.access import application_get_for, applications_visible_to
from wangge.legalaid.models import Application, Evidence, Status
from wangge.legalaid.tests.factories import (
    OUTSIDE_GRID,
    VILLAGE,
    application_made,
    image_upload,
    input_for,
)

IDENTITY = "62050219900101001" + identity_check_character("62050219900101001")


def form_data(**changes):  # type: ignore[no-untyped-def]
    data = {
        "applicant_name": "李桂兰",
        "applicant_id_number": IDENTITY,
        "applicant_phone": "19900001234",
        "region_code": VILLAGE,
        "matter_kind": "labour",
        "matter": "包工头拖欠工资两万三千元。",
        "hardship": "subsistence",
        "hardship_note": "",
        "dispute_number": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def officer_client(client, officer):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    return client


@pytest.fixture
def application(officer):  # type: ignore[no-untyped-def]
    return services.receive(
        actor=officer,
        data=input_for(applicant_id_number=IDENTITY),
        evidence_files=[image_upload()],
    )


# --- access ----------------------------------------------------------------------------------


def test_a_township_viewer_sees_applications_of_the_township_only(officer, dispatcher):
    inside = application_made(officer, region_code=VILLAGE)
    outside = application_made(officer, region_code=OUTSIDE_GRID)

    seen = set(applications_visible_to(dispatcher))

    assert inside in seen
    assert outside not in seen


def test_someone_without_the_view_capability_sees_no_application(officer, grid_worker_a):
    application_made(officer, region_code=VILLAGE)

    assert not applications_visible_to(grid_worker_a).exists()


def test_an_application_out_of_scope_is_not_found_and_handling_without_capability_forbidden(
    officer, dispatcher
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    inside = application_made(officer, region_code=VILLAGE)
    outside = application_made(officer, region_code=OUTSIDE_GRID)

    with pytest.raises(Http404):
        application_get_for(dispatcher, outside.pk)
    with pytest.raises(PermissionDenied):
        application_get_for(dispatcher, inside.pk, action="legalaid.handle_application")
    assert application_get_for(dispatcher, inside.pk) == inside


# --- pages -----------------------------------------------------------------------------------


def test_an_officer_receives_an_application_with_an_evidence_image(officer_client):
    data = form_data(evidence=[image_upload()])

    response = officer_client.post(reverse("legalaid:receive"), data)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("legalaid:detail", args=[application.pk])
    assert application.evidence.count() == 1
    page = officer_client.get(response["Location"]).content.decode()
    assert application.number in page
    assert mask_identity_number(IDENTITY) in page
    assert IDENTITY not in page  # masked: area code and last four only
    assert "19900001234" not in page
    assert "199****1234" in page


def test_a_fake_image_on_the_receipt_form_is_refused_and_nothing_is_saved(officer_client):
    fake = SimpleUploadedFile("证明.png", b"\x89PNG\r\n\x1a\n but no picture", "image/png")

    response = officer_client.post(reverse("legalaid:receive"), form_data(evidence=[fake]))

    assert response.status_code == 422
    assert "证明.png" in response.content.decode()
    assert 'id="evidence-error"' in response.content.decode()
    assert Application.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_bad_phone_on_the_receipt_form_is_shown_by_the_field(officer_client):
    response = officer_client.post(reverse("legalaid:receive"), form_data(applicant_phone="123"))

    assert response.status_code == 422
    assert Application.objects.count() == 0
    assert response.context["form"].errors["applicant_phone"]


def test_the_receipt_form_offers_the_villages_of_the_officers_reach(client, township_officer):
    client.force_login(township_officer)

    response = client.get(reverse("legalaid:receive"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{VILLAGE}"' in page
    assert 'value="620502103' not in page


def test_the_list_filters_by_status_and_marks_late_decisions(officer_client, officer):
    long_ago = timezone.now() - datetime.timedelta(days=20)
    late = application_made(
        officer, received_at=long_ago, decision_due_at=long_ago + datetime.timedelta(days=7)
    )
    granted = application_made(officer, status=Status.GRANTED)

    everything = officer_client.get(reverse("legalaid:list")).content.decode()
    overdue = officer_client.get(reverse("legalaid:list"), {"status": "overdue"})
    only_granted = officer_client.get(reverse("legalaid:list"), {"status": "granted"})

    assert late.number in everything and granted.number in everything
    assert "row-overdue" in everything
    assert [a.pk for a in overdue.context["page"].object_list] == [late.pk]
    assert [a.pk for a in only_granted.context["page"].object_list] == [granted.pk]


def test_the_list_reads_a_fixed_number_of_queries(
    officer_client, officer, django_assert_max_num_queries
):
    for _ in range(5):
        application_made(officer)
    officer_client.get(reverse("legalaid:list"))  # warm the session and permission caches

    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("legalaid:list"))

    assert len(response.context["page"].object_list) == 5


def test_an_officer_grants_assigns_and_closes_through_the_pages(officer_client, application):
    pk = application.pk

    officer_client.post(reverse("legalaid:decide", args=[pk]), {"grant": "yes", "version": 1})
    officer_client.post(reverse("legalaid:assign", args=[pk]), {"provider": "张律师", "version": 2})
    response = officer_client.post(
        reverse("legalaid:close", args=[pk]), {"outcome": "追回工资", "version": 3}
    )

    assert response.status_code == 302
    stored = Application.objects.get(pk=pk)
    assert (stored.status, stored.provider, stored.outcome) == (Status.CLOSED, "张律师", "追回工资")


def test_a_refusal_without_reason_comes_back_with_the_message(officer_client, application):
    response = officer_client.post(
        reverse("legalaid:decide", args=[application.pk]), {"grant": "no", "version": 1}
    )

    assert response.status_code == 422
    assert response.context["decide_form"].errors["reason"]
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED


def test_a_stale_decision_answers_conflict(officer_client, application):
    url = reverse("legalaid:decide", args=[application.pk])
    officer_client.post(url, {"grant": "yes", "version": 1})

    response = officer_client.post(url, {"grant": "no", "reason": "晚了", "version": 1})

    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).status == Status.GRANTED


def test_the_detail_page_offers_only_the_step_open_now(
    officer_client, client, application, dispatcher
):
    officer_page = officer_client.get(reverse("legalaid:detail", args=[application.pk]))
    client.force_login(dispatcher)
    viewer_page = client.get(reverse("legalaid:detail", args=[application.pk]))

    assert 'id="decide-form"' in officer_page.content.decode()
    assert 'id="assign-form"' not in officer_page.content.decode()
    assert viewer_page.status_code == 200
    assert 'id="decide-form"' not in viewer_page.content.decode()


def test_evidence_is_served_only_through_the_scoped_page(officer_client, application):
    document = application.evidence.get()

    response = officer_client.get(reverse("legalaid:evidence", args=[application.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["detail", "decide", "assign", "close"])
def test_an_outsider_gets_not_found(client, township_officer, officer, name):
    outside = application_made(officer, region_code=OUTSIDE_GRID)
    client.force_login(township_officer)

    response = client.post(reverse(f"legalaid:{name}", args=[outside.pk]), {"version": 1})

    assert response.status_code == 404


def test_an_outsider_gets_not_found_for_evidence(client, township_officer, application):
    from wangge.legalaid.tests.factories import evidence_made

    outside = application_made(application.received_by, region_code=OUTSIDE_GRID)
    document = evidence_made(outside)
    client.force_login(township_officer)

    response = client.get(reverse("legalaid:evidence", args=[outside.pk, document.pk]))
    wrong_pair = client.get(reverse("legalaid:evidence", args=[application.pk, document.pk]))

    assert response.status_code == 404
    assert wrong_pair.status_code == 404


@pytest.mark.parametrize("name", ["list", "receive"])
def test_someone_without_the_capability_is_forbidden(staff_client, name):
    assert staff_client.get(reverse(f"legalaid:{name}")).status_code == 403


def test_a_viewer_cannot_receive_or_decide(client, dispatcher, application):
    client.force_login(dispatcher)

    receive = client.post(reverse("legalaid:receive"), form_data())
    decide = client.post(
        reverse("legalaid:decide", args=[application.pk]), {"grant": "yes", "version": 1}
    )

    assert receive.status_code == 403
    assert decide.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED
    assert Application.objects.count() == 1


# --- the route-coverage module (wired into wangge/core/tests/test_routes.py) --------------


def test_every_scoped_legal_aid_route_is_in_the_outsider_module():
    from django.urls import get_resolver

    from wangge.core.routes import url_routes
    from wangge.legalaid.tests.outsider_urls import OUTSIDER_URLS

    routes = url_routes(get_resolver().url_patterns)
    scoped = [r.name for r in routes if r.name and r.name.startswith("legalaid:") and r.rule.scoped]

    assert sorted(scoped) == sorted(OUTSIDER_URLS)


@pytest.mark.parametrize("name", ["detail", "decide", "assign", "close", "evidence"])
def test_each_entry_of_the_outsider_module_answers_not_found(client, request, outsider, name):
    from wangge.legalaid.tests.outsider_urls import OUTSIDER_URLS

    persona, url_for = OUTSIDER_URLS[f"legalaid:{name}"]
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url_for(outsider)).status_code == 404
