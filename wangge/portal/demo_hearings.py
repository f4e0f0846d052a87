"""The demo's public notices and hearings: a current 7-day welfare notice (低保) with masked
entries and a generated PDF, an ended notice, a hearing with open registration (10 seats) and
an open comment window, and a concluded consultation with its minutes, expert review and
outcome. Idempotent: what is there already is left alone."""

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.portal.models import Hearing, Notice, NoticeDocument, NoticeEntry

TOWNSHIP = "620502001"
WELFARE_TITLE = "2026年第四季度最低生活保障拟纳入对象公示"
ENDED_TITLE = "2026年秋季道路维修项目资金使用公示"
HEARING_TITLE = "大城街道垃圾转运站选址听证会"
CONCLUDED_TITLE = "老旧小区停车管理办法征求意见"
ENTRIES = (
    ("张建国", "620502195803120017", "3人，月补差 860 元"),
    ("李秀兰", "62050219620718002X", "1人，月补差 540 元"),
    ("王志强", "620502197911050034", "4人，月补差 1120 元"),
)


def welfare_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.setFont("STSong-Light", 16)
    sheet.drawString(72, 770, WELFARE_TITLE)
    sheet.setFont("STSong-Light", 11)
    lines = [
        "经入户调查、邻里访问和民主评议，以下家庭拟纳入最低生活保障。",
        "公示期 7 天。如有异议，请向乡民政办反映。",
        "（姓名、身份号码已做遮蔽处理）",
    ]
    for number, line in enumerate(lines):
        sheet.drawString(72, 740 - 18 * number, line)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def load(now: datetime.datetime | None = None) -> int:
    """Returns how many records were made (0 when there already or without demo accounts)."""
    now = now or timezone.now()
    user = User.objects.filter(username="dispatcher").first()
    if user is None:
        user = User.objects.filter(username="districtadmin").first()
    if user is None:
        return 0
    today = timezone.localdate(now)
    made = 0
    with transaction.atomic():
        if not Notice.objects.filter(title=WELFARE_TITLE).exists():
            notice = Notice.objects.create(
                region_code=TOWNSHIP,
                kind="welfare",
                title=WELFARE_TITLE,
                body=(
                    "根据《社会救助暂行办法》第十一条，经乡镇审核，以下家庭拟纳入最低生活保障，"
                    "现予公示。公示期间如有异议，请向乡民政办实名反映。"
                ),
                issuer="大城街道办事处民政办",
                starts_on=today - datetime.timedelta(days=1),
                ends_on=today + datetime.timedelta(days=5),
                objections_to="大城街道民政办，电话 0938-8212345",
                created_by=user,
                created_at=now,
            )
            for position, (name, id_number, detail) in enumerate(ENTRIES, start=1):
                NoticeEntry.objects.create(
                    notice=notice, position=position, name=name, id_number=id_number, detail=detail
                )
            content = welfare_pdf()
            digest = hashlib.sha256(content).hexdigest()
            document = NoticeDocument(
                notice=notice,
                name="低保公示名单.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=digest,
                uploaded_by=user,
            )
            document.file.save(f"{digest[:16]}.pdf", ContentFile(content), save=False)
            document.save()
            made += 1
        if not Notice.objects.filter(title=ENDED_TITLE).exists():
            Notice.objects.create(
                region_code=TOWNSHIP,
                kind="finance",
                title=ENDED_TITLE,
                body="道路维修项目资金 12.6 万元，使用明细如下：材料 8.1 万元，人工 4.5 万元。",
                issuer="大城街道办事处",
                starts_on=today - datetime.timedelta(days=40),
                ends_on=today - datetime.timedelta(days=30),
                objections_to="大城街道纪工委",
                created_by=user,
                created_at=now - datetime.timedelta(days=40),
            )
            made += 1
        if not Hearing.objects.filter(title=HEARING_TITLE).exists():
            Hearing.objects.create(
                region_code=TOWNSHIP,
                kind="hearing",
                title=HEARING_TITLE,
                agenda="一、项目情况说明\n二、环境影响评估介绍\n三、居民代表发言\n四、答复与总结",
                organiser="大城街道办事处",
                place="大城街道办事处三楼会议室",
                held_at=now + datetime.timedelta(days=10),
                seats=10,
                registration_closes_at=now + datetime.timedelta(days=8),
                comments_open_at=now - datetime.timedelta(days=1),
                comments_close_at=now + datetime.timedelta(days=9),
                created_by=user,
                created_at=now,
            )
            made += 1
        if not Hearing.objects.filter(title=CONCLUDED_TITLE).exists():
            Hearing.objects.create(
                region_code=TOWNSHIP,
                kind="consultation",
                title=CONCLUDED_TITLE,
                agenda="就老旧小区夜间停车、收费和消防通道管理征求居民意见。",
                organiser="大城街道办事处",
                place="各社区居委会",
                held_at=now - datetime.timedelta(days=20),
                comments_open_at=now - datetime.timedelta(days=35),
                comments_close_at=now - datetime.timedelta(days=21),
                minutes="共收到书面意见 46 条，座谈会 2 场，参会居民 38 人。",
                expert_review="交通规划专家 3 人论证：错时共享停车可行，消防通道须画线禁停。",
                outcome="采纳错时共享停车方案，消防通道画线禁停，暂不收费。",
                reasons="多数意见支持共享停车；收费意见分歧较大，一年后再评估。",
                concluded_at=now - datetime.timedelta(days=15),
                created_by=user,
                created_at=now - datetime.timedelta(days=36),
            )
            made += 1
    return made
