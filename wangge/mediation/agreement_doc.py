"""The mediation agreement (人民调解协议书) as a document: what it says (`agreement_context`,
shared by the print page and the PDF) and the same as a PDF (`render_pdf`).

Its parts follow 人民调解法 art. 29 (domain-facts §6.3): the parties, the facts and the
dispute, the agreed rights and duties, how, when and where they are performed; it takes effect
when the parties have signed (sealed or fingerprinted), the mediators have signed and the
committee has sealed it; the parties hold one copy each and the committee keeps one.

Identity numbers are printed masked, like everywhere else (wangge.core.masking): the parties
sign beside their names, which identify them well enough on paper.

The PDF uses reportlab's built-in CID font STSong-Light (Adobe-GB1, UniGB-UCS2-H). It is not
embedded: PDF readers bring its glyphs (Acrobat, pdf.js in the browsers, poppler with any CJK
font), so the server needs no font file and nothing from the internet.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from wangge.core.masking import mask_identity_number
from wangge.mediation.models import Agreement, Party, PartyRole

FONT = "STSong-Light"
ROLE_ORDER = [PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY]


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    organisation: str
    sex: str
    age: int | None
    address: str
    id_number: str  # masked

    @property
    def details(self) -> str:
        """Everything after the name, in one line: sex, age, unit, address, identity."""
        parts = []
        if self.sex:
            parts.append(self.sex)
        if self.age is not None:
            parts.append(_("%(age)s years old") % {"age": self.age})
        if self.organisation:
            parts.append(_("unit: %(unit)s") % {"unit": self.organisation})
        if self.address:
            parts.append(_("address: %(address)s") % {"address": self.address})
        if self.id_number:
            parts.append(_("identity number: %(number)s") % {"number": self.id_number})
        return _(", ").join(parts)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def party_line(party: Party, day: datetime.date) -> PartyLine:
    person = party.person
    sex = ""
    age = None
    if person is not None:
        sex = person.get_sex_display() if person.sex in {"1", "2"} else ""
        age = age_on(person.birth_date, day)
    return PartyLine(
        role=str(PartyRole(party.role).label),
        name=party.name,
        organisation=party.organisation,
        sex=sex,
        age=age,
        address=party.address,
        id_number=mask_identity_number(party.id_number),
    )


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


def agreement_context(agreement: Agreement) -> dict[str, Any]:
    """What the agreement says, ready to print: the same for the page and the PDF."""
    dispute = agreement.dispute
    day = agreement.effective_on
    parties = sorted(
        dispute.parties.select_related("person"),
        key=lambda party: (ROLE_ORDER.index(PartyRole(party.role)), party.pk),
    )
    lines = [party_line(party, day) for party in parties]
    mediators = [user.name or user.username for user in dispute.mediators.order_by("pk")]
    copies = len(lines) + 1
    return {
        "title": _("People's mediation agreement"),
        "number": agreement.number,
        "case_number": dispute.case.number,
        "committee": dispute.body.department.name,
        "parties": lines,
        "facts": agreement.facts,
        "terms": agreement.terms,
        "performance": agreement.performance,
        "amount": yuan(agreement.amount_fen) if agreement.amount_fen else "",
        "copies": copies,
        "copies_line": _(
            "This agreement is made in %(copies)s copies: each party holds one and the "
            "people's mediation committee keeps one. It takes effect when every party has "
            "signed, sealed or put a fingerprint on it, the mediators have signed it and the "
            "committee has sealed it."
        )
        % {"copies": copies},
        "mediators": mediators,
        "date": date_format(day, "DATE_FORMAT"),
    }


# --- the PDF ----------------------------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=6
        ),
        "number": ParagraphStyle("number", parent=body, alignment=TA_RIGHT, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, spaceBefore=10),
        "body": body,
        "text": ParagraphStyle("text", parent=body, firstLineIndent=24),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """User text as paragraphs, one per line, escaped (reportlab reads a little markup)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Paragraph(escape(line), style) for line in lines]


def parties_block(context: dict[str, Any], style: dict[str, ParagraphStyle]) -> list[Any]:
    block: list[Any] = []
    for party in context["parties"]:
        line = _("%(role)s: %(name)s") % {"role": party.role, "name": party.name}
        if party.details:
            line += _(", ") + party.details
        block.append(Paragraph(escape(line), style["body"]))
    return block


def signatures(context: dict[str, Any], style: dict[str, ParagraphStyle]) -> list[Any]:
    blank = "_" * 16
    block: list[Any] = [Spacer(1, 8 * mm)]
    for party in context["parties"]:
        line = _("%(role)s %(name)s (signature, seal or fingerprint):") % {
            "role": party.role,
            "name": party.name,
        }
        line += " " + blank
        block += [Paragraph(escape(line), style["body"]), Spacer(1, 4 * mm)]
    names = _(", ").join(context["mediators"])
    line = _("Mediators (signature):") + " " + blank
    if names:
        line += " " + _("(%(names)s)") % {"names": names}
    block += [Paragraph(escape(line), style["body"]), Spacer(1, 10 * mm)]
    seal = _("%(committee)s (seal)") % {"committee": context["committee"]}
    block += [Paragraph(escape(seal), style["right"]), Paragraph(context["date"], style["right"])]
    return block


def story(context: dict[str, Any]) -> list[Any]:
    style = styles()
    number = _("No. %(number)s") % {"number": context["number"]}
    flow: list[Any] = [
        Paragraph(escape(context["title"]), style["title"]),
        Paragraph(escape(number), style["number"]),
        *parties_block(context, style),
        Paragraph(
            escape(_("Main facts of the dispute and the matters in dispute:")), style["heading"]
        ),
        *paragraphs(context["facts"], style["text"]),
        Paragraph(
            escape(_("Through mediation, the parties have voluntarily agreed as follows:")),
            style["heading"],
        ),
        *paragraphs(context["terms"], style["text"]),
    ]
    if context["amount"]:
        amount = _("Amount agreed: %(amount)s yuan.") % {"amount": context["amount"]}
        flow.append(Paragraph(escape(amount), style["text"]))
    flow += [
        Paragraph(escape(_("Manner, time and place of performance:")), style["heading"]),
        *paragraphs(context["performance"], style["text"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(context["copies_line"]), style["text"]),
        *signatures(context, style),
    ]
    return flow


def render_pdf(agreement: Agreement) -> bytes:
    context = agreement_context(agreement)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        title=f"{context['title']} {context['number']}",
        author=context["committee"],
    )
    document.build(story(context))
    return buffer.getvalue()
