"""A filtered list of people as a spreadsheet or CSV: personal data masked unless the caller
asks for it in full (the view checks the capabilities and the purpose)."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wangge.core import ids
from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.people.models import Person
from wangge.people.selectors import DOCUMENT, MOBILE

FILTERS = ("text", "region", "category", "status", "age_from", "age_to", "tag")
# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    return [
        _("Name"),
        _("Sex"),
        _("Birth date"),
        _("Document"),
        _("Identity number"),
        _("Mobile number"),
        _("Current address"),
        _("Grid"),
        _("Status"),
        _("Categories"),
        _("Tags"),
    ]


def row_of(person: Person, *, full: bool) -> list[str]:
    return [
        person.name,
        str(person.get_sex_display()),
        person.birth_date.isoformat(),
        person.id_type,
        person.id_number if full else mask_identity_number(person.id_number),
        person.mobile if full else mask_mobile(person.mobile),
        person.current_address if full else mask_address(person.current_address),
        person.region_code,
        str(person.get_status_display()),
        "、".join(str(category.get_kind_display()) for category in person.categories.all()),
        "、".join(tag.name for tag in person.tags.all()),
    ]


def rows_of(people: QuerySet[Person], *, full: bool) -> list[list[str]]:
    return [[inert(cell) for cell in row_of(person, full=full)] for person in people]


def inert(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("People"))
    sheet.append(header())
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the Chinese right."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header())
    writer.writerows(rows)
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def filters_for_audit(query: Any) -> dict[str, str]:
    """The list's filters as the audit log keeps them: a search by identity number or mobile
    is personal data itself, so it is masked there too."""
    filters = {key: value for key, value in query.items() if key in FILTERS and value}
    text = filters.get("text", "").strip()
    if ids.is_valid_identity_number(text):
        filters["text"] = mask_identity_number(text)
    elif MOBILE.match(text):
        filters["text"] = mask_mobile(text)
    elif DOCUMENT.match(text.upper()):
        filters["text"] = mask_identity_number(text)
    return filters
