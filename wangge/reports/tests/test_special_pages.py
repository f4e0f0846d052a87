"""The special-report pages: permission (403), place (404), bad input (400, nothing
saved), filing and acknowledging."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_persona
from wangge.accounts.models import User
from wangge.reports import special
from wangge.reports.models import SpecialReport

pytestmark = pytest.mark.django_db
VILLAGE, TOWNSHIP = "620502001001", "620502001"


@pytest.fixture
def cadre(db):  # type: ignore[no-untyped-def]
    return User.objects.get(username="villagecadre")


@pytest.fixture
def report(cadre):  # type: ignore[no-untyped-def]
    data = special.SpecialInput(VILLAGE, "村口聚集", "约三十人聚集。")
    return special.special_report_file(actor=cadre, data=data, now=timezone.now())


def test_a_village_cadre_files_a_report_on_the_page(client, cadre):
    client.force_login(cadre)
    assert client.get(reverse("reports:special_new")).status_code == 200

    response = client.post(
        reverse("reports:special_new"), {"unit": VILLAGE, "title": "山体滑坡", "text": "道路中断。"}
    )

    report = SpecialReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:special_detail", args=[report.pk])
    assert report.acknowledgements.count() == 2


def test_bad_input_on_the_page_saves_nothing(client, cadre):
    client.force_login(cadre)

    response = client.post(
        reverse("reports:special_new"), {"unit": VILLAGE, "title": "", "text": ""}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not SpecialReport.objects.exists()


def test_filing_for_a_unit_outside_ones_area_is_not_found(client, cadre):
    client.force_login(cadre)

    response = client.post(
        reverse("reports:special_new"), {"unit": "620502103200", "title": "甲", "text": "乙"}
    )

    assert response.status_code == 404
    assert not SpecialReport.objects.exists()


def test_a_leader_may_not_file_one(client, leader):
    client.force_login(leader)

    assert client.get(reverse("reports:special_new")).status_code == 403


def test_the_dispatcher_sees_the_report_and_acknowledges_it(
    client, report, django_assert_max_num_queries
):
    dispatcher = User.objects.get(username="dispatcher")
    client.force_login(dispatcher)

    with django_assert_max_num_queries(12):
        listed = client.get(reverse("reports:special_list"))
    assert "村口聚集" in listed.content.decode()
    detail = client.get(reverse("reports:special_detail", args=[report.pk]))
    assert f'id="ack-{TOWNSHIP}"' in detail.content.decode()
    assert 'id="ack-620502"' not in detail.content.decode()

    response = client.post(reverse("reports:special_ack", args=[report.pk]), {"level": TOWNSHIP})

    assert response.status_code == 302
    ack = report.acknowledgements.get(region_code=TOWNSHIP)
    assert ack.acknowledged_by == dispatcher


def test_acknowledging_for_another_level_is_a_clear_error(client, report):
    client.force_login(User.objects.get(username="dispatcher"))

    response = client.post(reverse("reports:special_ack", args=[report.pk]), {"level": "620502"})

    assert response.status_code == 400
    assert 'id="ack-error"' in response.content.decode()
    assert not report.acknowledgements.filter(acknowledged_at__isnull=False).exists()


def test_a_village_cadre_may_not_acknowledge(client, cadre, report):
    client.force_login(cadre)

    response = client.post(reverse("reports:special_ack", args=[report.pk]), {"level": TOWNSHIP})

    assert response.status_code == 403


def test_a_report_outside_ones_area_is_not_found(client, report):
    far = make_persona("t_far_dispatcher", "dispatcher", region="620502103")
    client.force_login(far)

    assert client.get(reverse("reports:special_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:special_ack", args=[report.pk])).status_code == 404
    assert (
        client.post(
            reverse("reports:special_ack", args=[report.pk]), {"level": "620502103"}
        ).status_code
        == 404
    )
    assert "村口聚集" not in client.get(reverse("reports:special_list")).content.decode()


def test_acknowledging_by_get_is_not_allowed(client, report):
    client.force_login(User.objects.get(username="dispatcher"))

    response = client.get(reverse("reports:special_ack", args=[report.pk]))

    assert response.status_code == 405
