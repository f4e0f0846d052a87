"""Dispute pages through the test client: recording, the steps, scope (404), capability
(403) and bad input (400, nothing saved)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GRID_A
from wangge.cases.models import Case
from wangge.mediation.models import Dispute, Session

pytestmark = pytest.mark.django_db


def record_form(committee, **changes):  # type: ignore[no-untyped-def]
    data = {
        "body": committee.pk,
        "category": "D0201",
        "grid": GRID_A,
        "address": "某村三组",
        "description": "排水沟纠纷",
        "scale": "01",
        "people_involved": 2,
        "amount_yuan": 0,
        "entry": "active",
        "party1_role": "applicant",
        "party1_name": "张三",
        "party2_role": "respondent",
        "party2_name": "李四",
        "party3_role": "respondent",
        "party4_role": "respondent",
    }
    data.update(changes)
    return data


def test_a_mediator_records_a_dispute_and_a_session(client, mediator, committee):
    client.force_login(mediator)
    assert client.get(reverse("mediation:record")).status_code == 200
    response = client.post(reverse("mediation:record"), record_form(committee))
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    page = client.get(reverse("mediation:detail", args=[dispute.pk]))
    assert page.status_code == 200 and "张三" in page.content.decode()
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "session"]),
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "村委会",
            "attendees": "双方",
            "summary": "释法说理",
        },
    )
    assert response.status_code == 302 and Session.objects.count() == 1


def test_bad_input_says_what_is_wrong_and_saves_nothing(client, mediator, committee):
    client.force_login(mediator)
    before = Case.objects.count()
    response = client.post(
        reverse("mediation:record"),
        record_form(committee, category="E0102", party1_name="", description=""),
    )
    assert response.status_code == 400
    assert Case.objects.count() == before and not Dispute.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_an_agreement_without_parties_is_refused_on_the_page(client, mediator, committee):
    from wangge.mediation.services import PartyInput, record_dispute
    from wangge.mediation.tests.conftest import dispute_input

    lone = record_dispute(
        mediator, dispute_input(committee, parties=[PartyInput("applicant", name="王五")])
    )
    client.force_login(mediator)
    response = client.post(
        reverse("mediation:step", args=[lone.pk, "agreement"]),
        {
            "version": lone.version,
            "facts": "事实",
            "terms": "内容",
            "performance": "当面",
            "amount_yuan": 0,
            "effective_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "两" in response.content.decode() or "two parties" in response.content.decode()
    assert not hasattr(Dispute.objects.get(pk=lone.pk), "agreement")


def test_outsiders_get_404_and_the_uncapable_403(client, dispute, far_mediator, staff_user):
    client.force_login(far_mediator)
    for url in (
        reverse("mediation:detail", args=[dispute.pk]),
        reverse("mediation:step", args=[dispute.pk, "session"]),
    ):
        response = client.post(url) if "/steps/" in url else client.get(url)
        assert response.status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("mediation:list")).status_code == 403
    assert client.get(reverse("mediation:record")).status_code == 403
    assert client.get(reverse("mediation:major")).status_code == 403


def test_a_viewer_who_does_not_mediate_cannot_act(client, dispute, township_leader):
    client.force_login(township_leader)
    assert client.get(reverse("mediation:detail", args=[dispute.pk])).status_code == 200
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "session"]),
        {"held_on": "2026-12-01", "place": "x", "attendees": "x", "summary": "x"},
    )
    assert response.status_code == 403 and not Session.objects.exists()


def test_the_township_lists_a_major_dispute_on_the_leaders_page(client, dispute, township_leader):
    client.force_login(township_leader)
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "major"]),
        {
            "leader": township_leader.pk,
            "unit": dispute.body.department_id,
            "reason": "涉及多户",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("mediation:major")).content.decode()
    assert dispute.case.number in page


def test_a_transfer_is_answered_by_the_receiving_body_only(
    client, mediator, dispute, court_body, court_clerk, far_mediator
):
    from wangge.mediation.services_transfer import offer_transfer

    offered = offer_transfer(mediator, dispute, to_body_id=court_body.pk, reason="司法调解")
    url = reverse("mediation:transfer_answer", args=[offered.pk])
    client.force_login(far_mediator)
    assert client.get(url).status_code == 404
    client.force_login(court_clerk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"accept": "no", "answer": ""}).status_code == 400
    assert client.post(url, {"accept": "yes"}).status_code == 302
    assert Dispute.objects.get(pk=dispute.pk).body_id == court_body.pk


def png_upload(name="scan.png", size=(40, 30)):  # type: ignore[no-untyped-def]
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_signed_scan_is_attached_and_served_only_in_scope(
    client, mediator, dispute, far_mediator
):
    from wangge.mediation.services_agreement import make_agreement

    make_agreement(
        mediator,
        dispute,
        facts="事实",
        terms="内容",
        performance="当面",
        amount_yuan=0,
        effective_on=timezone.localdate(),
    )
    client.force_login(mediator)
    bad = client.post(
        reverse("mediation:step", args=[dispute.pk, "scan"]),
        {"scan": png_upload("fake.png").__class__("fake.png", b"not an image", "image/png")},
    )
    assert bad.status_code == 400
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "scan"]), {"scan": png_upload()}
    )
    assert response.status_code == 302
    agreement = Dispute.objects.get(pk=dispute.pk).agreement
    assert agreement.signed_scan is not None
    url = reverse("cases:photo", args=[dispute.pk, agreement.signed_scan_id])
    assert client.get(url).status_code == 200
    client.force_login(far_mediator)
    assert client.get(url).status_code == 404


def test_a_late_confirmation_is_refused_on_the_page(client, mediator, dispute):
    from datetime import timedelta

    from wangge.mediation.models import JudicialConfirmation
    from wangge.mediation.services_agreement import make_agreement

    signed = timezone.localdate() - timedelta(days=45)
    make_agreement(
        mediator,
        dispute,
        facts="事实",
        terms="内容",
        performance="当面",
        amount_yuan=0,
        effective_on=signed,
    )
    client.force_login(mediator)
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "confirmation"]),
        {"applied_on": timezone.localdate().isoformat(), "court": "秦州区人民法院"},
    )
    assert response.status_code == 400 and not JudicialConfirmation.objects.exists()


def test_a_mediator_cannot_list_a_dispute_as_major(client, mediator, dispute):
    client.force_login(mediator)
    response = client.post(
        reverse("mediation:step", args=[dispute.pk, "major"]),
        {"leader": mediator.pk, "unit": dispute.body.department_id, "reason": "x"},
    )
    assert response.status_code == 403
    assert not Dispute.objects.get(pk=dispute.pk).major


def test_an_unknown_step_is_404(client, mediator, dispute):
    client.force_login(mediator)
    assert client.post(reverse("mediation:step", args=[dispute.pk, "nonsense"])).status_code == 404


def test_the_district_sets_bodies_and_the_screening_cadence_in_the_admin(client, db):
    from wangge.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    for url in ("/admin/mediation/mediationbody/", "/admin/mediation/screeningsettings/add/"):
        assert client.get(url).status_code == 200


def test_the_case_page_of_a_dispute_links_its_mediation_record(client, mediator, dispute):
    client.force_login(mediator)
    page = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert reverse("mediation:detail", args=[dispute.pk]) in page
