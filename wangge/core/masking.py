"""Masking of personal data: the default everywhere (pages, API, exports).

Shown: enough to recognise a record one already knows (area code and last digits), never
enough to find or impersonate the person.
"""

import re

MASK = "*"


def mask_identity_number(value: str | None) -> str:
    """620502199001010019 → 620502********0019 (the area code and the last four stay)."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return MASK * len(digits)
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_address(value: str | None, keep: int = 6) -> str:
    """Keeps the first characters (district, street or village), hides the house details:
    甘肃省天水市秦州区大城街道进步巷12号3单元501 → 甘肃省天水市******."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= keep:
        return value
    return value[:keep] + MASK * 6


def mask_name(value: str | None) -> str:
    """张三丰 → 张**; names are shown in full only where the person's role needs it."""
    if not value:
        return ""
    return value[0] + MASK * (len(value) - 1)
