"""Generated data for the early-warning and dashboard tests: dispute cases reported through
the case service at chosen moments, open cases with chosen deadlines, a weekly report form."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from conftest import GRID_A
from wangge.cases import services
from wangge.cases.models import Case
from wangge.cases.services import ReportInput
from wangge.reports.models import ReportForm, RuleKind, WarningRule

ZONE = ZoneInfo("Asia/Shanghai")
VILLAGE = GRID_A[:12]
# A Wednesday morning: its ISO week runs from 2026-11-16 to 2026-11-22.
NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZONE)


def dispute(actor: Any, when: datetime.datetime, grid: str = GRID_A) -> Case:
    return services.report(
        actor,
        ReportInput(
            category_code="D0201",
            description="邻里纠纷：排水沟堵塞",
            region_code=grid,
            address="测试地址",
        ),
        now=when,
    )


def weeks_of_disputes(actor: Any, per_week: list[int], grid: str = GRID_A) -> list[list[Case]]:
    """per_week[0] disputes this week (before NOW), per_week[n] n weeks earlier."""
    made = []
    for weeks_back, count in enumerate(per_week):
        monday = NOW - datetime.timedelta(days=NOW.weekday(), weeks=weeks_back)
        moments = [monday + datetime.timedelta(hours=9 + n) for n in range(count)]
        made.append([dispute(actor, moment, grid) for moment in moments])
    return made


def open_case(actor: Any, *, overdue: bool, grid: str = GRID_A, **changes: Any) -> Case:
    """A registered (open) dispute case due an hour ago or in a week; the workflow is not the
    subject, so its state is set directly."""
    case = dispute(actor, datetime.datetime.now(tz=ZONE) - datetime.timedelta(days=10), grid)
    due = datetime.datetime.now(tz=ZONE) + datetime.timedelta(hours=-1 if overdue else 24 * 7)
    Case.objects.filter(pk=case.pk).update(status="registered", due_at=due, **changes)
    case.refresh_from_db()
    return case


def rule(kind: str, **params: Any) -> WarningRule:
    return WarningRule.objects.create(name=f"测试规则 {kind}", kind=kind, params=params)


def surge_rule(k: float = 2, at_least: int = 3) -> WarningRule:
    return rule(RuleKind.DISPUTE_SURGE, k=k, at_least=at_least)


def weekly_form(creator: Any, code: str = "weekly-safety") -> ReportForm:
    return ReportForm.objects.create(
        code=code,
        name="平安建设周报",
        period_type="weekly",
        unit_levels=["village"],
        deadline_working_days=3,
        fields=[{"name": "found", "label": "排查发现", "type": "number", "required": True}],
        created_by=creator,
        created_at=NOW - datetime.timedelta(days=60),
    )
