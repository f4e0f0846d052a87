import datetime
import statistics
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import Department
from wangge.cases.models import Case
from wangge.portal import accountability
from wangge.portal.tests.factories_public import case

pytestmark = pytest.mark.django_db

MONTH = "2026-03"


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def unit(db: Any) -> Department:
    return Department.objects.create(
        code="t-acc-unit", name="测试城管中队", kind="urban_management", region_id="620502001"
    )


@pytest.fixture
def cases(unit: Department) -> list[Case]:
    far = "620502103200001"
    made = [
        # counted: township 620502001
        case(
            reported_at=at(1),
            status="closed",
            closed_at=at(3),
            on_time=True,
            satisfied=True,
            rating=5,
            lead_department=unit,
        ),
        case(
            reported_at=at(2),
            status="closed",
            closed_at=at(9),
            on_time=False,
            satisfied=False,
            rating=2,
            lead_department=unit,
            channel="hotline",
        ),
        case(
            reported_at=at(5),
            status="closed",
            closed_at=at(6),
            on_time=True,
            lead_department=unit,
            channel="phone",
        ),
        case(reported_at=at(31, 23), status="handling", lead_department=unit, channel="open311"),
        # counted: township 620502103
        case(
            region_code=far,
            reported_at=at(10),
            status="closed",
            closed_at=at(14),
            on_time=True,
            satisfied=True,
            rating=4,
        ),
    ]
    # must not count
    case(
        reported_at=at(1) - datetime.timedelta(days=2),
        status="closed",
        closed_at=at(2),
        lead_department=unit,
    )
    case(reported_at=at(31) + datetime.timedelta(days=1), lead_department=unit)
    case(reported_at=at(4), status="cancelled", lead_department=unit)
    case(reported_at=at(4), public=False, status="closed", closed_at=at(5), lead_department=unit)
    case(
        reported_at=at(4), channel="patrol", status="closed", closed_at=at(5), lead_department=unit
    )
    return made


def expected(rows: list[Case]) -> dict[str, Any]:
    closed = [row for row in rows if row.status == "closed"]
    judged = [row for row in rows if row.on_time is not None]
    rated = [row for row in rows if row.satisfied is not None]
    ratings = [row.rating for row in rows if row.rating is not None]
    return {
        "received": len(rows),
        "closed": len(closed),
        "median_days": round(
            statistics.median(
                [(r.closed_at - r.reported_at).total_seconds() / 86400 for r in closed]
            ),
            1,
        )
        if closed
        else None,
        "on_time_rate": round(100 * sum(1 for r in judged if r.on_time) / len(judged), 1)
        if judged
        else None,
        "satisfied_rate": round(100 * sum(1 for r in rated if r.satisfied) / len(rated), 1)
        if rated
        else None,
        "mean_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
    }


def figures(row: accountability.Row) -> dict[str, Any]:
    return {
        key: getattr(row, key)
        for key in (
            "received",
            "closed",
            "median_days",
            "on_time_rate",
            "satisfied_rate",
            "mean_rating",
        )
    }


def test_figures_match_rows_counted_directly(cases: list[Case], unit: Department) -> None:
    period = accountability.period_for(MONTH)
    assert period is not None
    townships = {row.key: row for row in accountability.by_township(period)}
    assert set(townships) == {"620502001", "620502103"}
    assert figures(townships["620502001"]) == expected(cases[:4])
    assert figures(townships["620502103"]) == expected(cases[4:])
    assert townships["620502001"].received == 4 and townships["620502001"].median_days == 2.0
    departments = accountability.by_department(period)
    assert [row.name for row in departments] == ["测试城管中队"]
    assert figures(departments[0]) == expected(cases[:4])


def test_few_queries(cases: list[Case], django_assert_max_num_queries: Any) -> None:
    period = accountability.period_for(MONTH)
    assert period is not None
    with django_assert_max_num_queries(3):
        accountability.by_township(period)


def test_page_renders_figures_for_a_month(client: Any, cases: list[Case]) -> None:
    response = client.get(reverse("portal:accountability"), {"month": MONTH})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="620502001"' in body and "测试城管中队" in body
    assert "2026-03-01" in body and "2026-03-31" in body


def test_default_period_is_last_90_days(client: Any) -> None:
    today = timezone.localdate()
    period = accountability.period_for("", today)
    assert period is not None
    assert period.end == today and (period.end - period.start).days == 89
    assert client.get(reverse("portal:accountability")).status_code == 200


@pytest.mark.parametrize("month", ["2026-13", "<script>", "1800-01", "x" * 100])
def test_bad_month_is_a_clear_message(client: Any, month: str) -> None:
    response = client.get(reverse("portal:accountability"), {"month": month})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="month-error"' in body and "<script>" not in body.split("</header>")[-1]
