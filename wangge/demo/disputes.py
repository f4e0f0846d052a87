"""Demo disputes, made through the mediation services as the demo's mediator: one being
mediated, one with two sessions and a signed agreement, one that ended without agreement."""

from datetime import datetime, timedelta

from django.utils import timezone

from wangge.accounts.models import User
from wangge.mediation import services
from wangge.mediation import services_agreement as agreements
from wangge.mediation.access import bodies_of
from wangge.regions.models import Level, Region

STORIES = (
    ("D0201", "排水沟堵塞引发邻里纠纷", "两户因排水沟堵塞、雨水倒灌发生争执。", "open"),
    ("D0902", "宅基地界址纠纷", "两户对宅基地分界墙的位置有争议，多次口角。", "agreement"),
    ("D0701", "拖欠务工工资纠纷", "六名务工人员称包工头拖欠工资。", "no_agreement"),
)


def demo_disputes_load(now: datetime | None = None) -> int:
    now = now or timezone.now()
    mediator = User.objects.filter(username="mediator").first()
    if mediator is None:
        return 0
    bodies = bodies_of(mediator)
    if not bodies:
        return 0
    body = bodies[0]
    grid = (
        Region.objects.filter(level=Level.GRID, code__startswith=body.department.region_id)
        .order_by("code")
        .first()
    )
    if grid is None:
        return 0
    made = 0
    for number, (code, title, text, ending) in enumerate(STORIES):
        start = now - timedelta(days=6 - number)
        dispute = services.record_dispute(
            mediator,
            services.DisputeInput(
                body_id=body.pk,
                category_code=code,
                grid_code=grid.code,
                address="三组",
                title=title,
                description=text,
                people_involved=6 if code == "D0701" else 2,
                scale="02" if code == "D0701" else "01",
                parties=[
                    services.PartyInput("applicant", name="张建国", address="三组"),
                    services.PartyInput("respondent", name="李有福", address="三组"),
                ],
            ),
            now=start,
        )
        made += 1
        if ending == "open":
            continue
        for day in (1, 2):
            services.add_session(
                mediator,
                dispute,
                held_on=(start + timedelta(days=day)).date(),
                place="村委会调解室",
                attendees="双方当事人、调解员",
                summary="听取双方陈述，调解员释法说理。",
                now=start + timedelta(days=day),
            )
        if ending == "agreement":
            agreements.make_agreement(
                mediator,
                dispute,
                facts=text,
                terms="以现有分界墙中线为界，双方互不越界；李有福于十日内拆除越界部分。",
                performance="现场拆除，调解员见证。",
                amount_yuan=0,
                effective_on=(start + timedelta(days=2)).date(),
                now=start + timedelta(days=2, hours=1),
            )
        else:
            services.record_outcome(
                mediator,
                dispute,
                outcome="no_agreement",
                route="competent_body",
                note="已引导向劳动保障监察部门投诉。",
                now=start + timedelta(days=3),
            )
    return made
