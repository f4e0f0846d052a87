"""Demo report forms and submissions, made through the report services: the weekly social
security report (社会治安周报) of the villages, with last week's report of the first village
submitted, a zero report from the second and nothing from the other villages of the township;
and the daily report of sensitive periods (敏感时期日报), owed only while one runs."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from wangge.accounts.models import User
from wangge.regions.models import Region
from wangge.reports import periods, prefill, submissions
from wangge.reports.definitions import FormInput, reportform_create
from wangge.reports.models import ReportForm

WEEKLY, DAILY = "weekly-security", "sensitive-daily"
WEEKLY_FIELDS: list[dict[str, Any]] = [
    {
        "name": "disputes_found",
        "label": "排查矛盾纠纷数",
        "type": "number",
        "required": True,
        "help": "本周排查发现的矛盾纠纷（平台已登记的纠纷数已预填）。",
        "prefill": "disputes_reported",
    },
    {"name": "disputes_resolved", "label": "化解数", "type": "number", "required": True},
    {
        "name": "hazards",
        "label": "安全隐患数",
        "type": "number",
        "required": True,
        "prefill": "hazards_reported",
    },
    {"name": "note", "label": "情况说明", "type": "text", "help": "重要情况请简要说明。"},
    {
        "name": "visits",
        "label": "重点人员走访",
        "type": "table",
        "columns": [
            {"name": "who", "label": "走访对象", "type": "text"},
            {"name": "times", "label": "走访次数", "type": "number"},
            {"name": "on", "label": "最近走访日期", "type": "date"},
        ],
    },
]
WEEKLY_RULES = [
    {
        "left": "disputes_resolved",
        "op": "<=",
        "right": "disputes_found",
        "message": "化解数不能大于排查矛盾纠纷数。",
    }
]
DAILY_FIELDS: list[dict[str, Any]] = [
    {
        "name": "situation",
        "label": "今日情况",
        "type": "choice",
        "required": True,
        "choices": ["平稳", "有异常"],
    },
    {"name": "incidents", "label": "异常情况数", "type": "number"},
    {"name": "note", "label": "情况说明", "type": "text"},
]


def forms_create(admin: User) -> ReportForm:
    weekly = reportform_create(
        actor=admin,
        data=FormInput(
            code=WEEKLY,
            name="社会治安周报",
            description="各村（社区）每周上报社会治安情况；无情况可报的请上报零报告。",
            period_type="weekly",
            unit_levels=["village"],
            deadline_working_days=3,
            fields=WEEKLY_FIELDS,
            rules=WEEKLY_RULES,
        ),
    )
    reportform_create(
        actor=admin,
        data=FormInput(
            code=DAILY,
            name="敏感时期日报",
            description="敏感时期内各村（社区）每日上报，当日 18:00 前。",
            period_type="daily",
            unit_levels=["village"],
            deadline_working_days=0,
            fields=DAILY_FIELDS,
        ),
    )
    return weekly


def monday_morning(today: datetime.date) -> datetime.datetime:
    """This week's Monday 09:30: last week is open then, and not yet due."""
    monday = today - datetime.timedelta(days=today.weekday())
    return datetime.datetime.combine(monday, datetime.time(9, 30), ZoneInfo(settings.TIME_ZONE))


def demo_reports_load(now: datetime.datetime | None = None) -> int:
    """The demo's report forms and last week's reports; returns how many reports were made
    (0 when they are there already or the demo accounts are missing)."""
    now = now or timezone.now()
    admin = User.objects.filter(username="districtadmin").first()
    cadre = User.objects.filter(username="villagecadre").first()
    cadre2 = User.objects.filter(username="villagecadre2").first()
    if admin is None or cadre is None or cadre2 is None:
        return 0
    if ReportForm.objects.filter(code=WEEKLY).exists():
        return 0
    weekly = forms_create(admin)
    today = timezone.localdate(now)
    week = periods.previous_period("weekly", periods.period_containing("weekly", today))
    at = monday_morning(today)
    first = cadre.memberships.filter(region__isnull=False).values_list("region_id", flat=True)[0]
    second = cadre2.memberships.filter(region__isnull=False).values_list("region_id", flat=True)[0]
    figures = prefill.figures(first, week)
    found = max(figures["disputes_reported"], 3)
    village = Region.objects.get(code=first)
    submissions.submission_submit(
        actor=cadre,
        write=submissions.Write(weekly, first, week.start, 0),
        raw={
            "disputes_found": str(found),
            "disputes_resolved": str(found - 1),
            "hazards": str(max(figures["hazards_reported"], 1)),
            "note": f"{village.name}本周排查矛盾纠纷{found}起，化解{found - 1}起，其余正在调解。",
            "visits": [
                {"who": "社区矫正对象甲", "times": "2", "on": week.end.isoformat()},
                {"who": "刑满释放人员乙", "times": "1", "on": week.start.isoformat()},
            ],
        },
        now=at,
    )
    submissions.submission_zero_declare(
        actor=cadre2,
        write=submissions.Write(weekly, second, week.start, 0),
        statement=True,
        now=at,
    )
    return 2
