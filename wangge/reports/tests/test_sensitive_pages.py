"""The sensitive-period pages: permission (403), place (404), bad input (400, nothing
saved), and what each shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_persona
from wangge.reports.models import PeriodType, ReportForm, SensitivePeriod, Submission

pytestmark = pytest.mark.django_db
TOWNSHIP = "620502001"


@pytest.fixture
def form(district_admin):  # type: ignore[no-untyped-def]
    return ReportForm.objects.create(
        code="t-daily",
        name="敏感期日报",
        period_type=PeriodType.DAILY,
        unit_levels=["village"],
        deadline_working_days=0,
        created_by=district_admin,
        created_at=timezone.now(),
    )


def form_data(form: ReportForm, **changes: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "name": "两会期间",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
        "form": str(form.pk),
        "units": TOWNSHIP,
    }
    data.update(changes)
    return data


def test_an_administrator_declares_a_period_on_the_page(client, district_admin, form):
    client.force_login(district_admin)
    assert client.get(reverse("reports:sensitive_new")).status_code == 200

    response = client.post(reverse("reports:sensitive_new"), form_data(form))

    assert response.status_code == 302
    declared = SensitivePeriod.objects.get()
    assert declared.region_prefixes == [TOWNSHIP]
    listed = client.get(reverse("reports:sensitive_list"))
    assert "两会期间" in listed.content.decode()


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"ends_on": "2000-01-01"}, 400),
        ({"units": "620502999"}, 400),
        ({"starts_on": "not a day"}, 400),
        ({"name": ""}, 400),
    ],
)
def test_bad_input_on_the_page_saves_nothing(client, district_admin, form, changes, status):
    client.force_login(district_admin)

    response = client.post(reverse("reports:sensitive_new"), form_data(form, **changes))

    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()
    assert not SensitivePeriod.objects.exists()


def test_a_weekly_form_is_refused_with_a_clear_message(client, district_admin, form):
    form.period_type = PeriodType.WEEKLY
    form.save()
    client.force_login(district_admin)

    response = client.post(reverse("reports:sensitive_new"), form_data(form))

    assert response.status_code == 400
    assert not SensitivePeriod.objects.exists()


def test_a_dispatcher_may_not_declare_one(client, dispatcher, form):
    client.force_login(dispatcher)

    assert client.get(reverse("reports:sensitive_new")).status_code == 403
    assert client.post(reverse("reports:sensitive_new"), form_data(form)).status_code == 403
    assert not SensitivePeriod.objects.exists()


def declared_today(form: ReportForm, admin) -> SensitivePeriod:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return SensitivePeriod.objects.create(
        name="两会期间",
        starts_on=today,
        ends_on=today,
        form=form,
        region_prefixes=[TOWNSHIP],
        created_by=admin,
        created_at=timezone.now(),
    )


def test_the_dispatcher_sees_the_day_with_the_missing_list(
    client, dispatcher, district_admin, form, django_assert_max_num_queries
):
    declared_today(form, district_admin)
    today = timezone.localdate()
    Submission.objects.create(
        form=form,
        region_code=f"{TOWNSHIP}001",
        period_start=today,
        period_end=today,
        due_at=timezone.now(),
        state="submitted",
        zero=True,
        submitted_at=timezone.now(),
    )
    client.force_login(dispatcher)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("reports:sensitive_day"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-state="missing"') == 5
    assert page.count('data-state="zero"') == 1
    assert 'data-count="owing">6<' in page


def test_a_village_cadre_may_not_see_the_day_page(client, form):
    cadre = make_persona("t_cadre", "village_cadre", region=f"{TOWNSHIP}001")
    client.force_login(cadre)

    assert client.get(reverse("reports:sensitive_day")).status_code == 403
    assert client.get(reverse("reports:sensitive_list")).status_code == 403


def test_a_township_outside_ones_area_is_not_found(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get(reverse("reports:sensitive_day") + "?parent=620502103")

    assert response.status_code == 404


def test_a_bad_day_is_a_clear_error(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get(reverse("reports:sensitive_day") + "?day=yesterday")

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
