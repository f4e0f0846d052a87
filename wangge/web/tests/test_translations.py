"""The interface is Chinese first: every message has a Chinese translation, compiled."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES"


def entries() -> list[tuple[str, str, bool]]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            joined = ["".join(re.findall(r'"(.*)"', m.group(1))) for m in (msgid, msgstr)]
            found.append((joined[0], joined[1], "#, fuzzy" in block))
    return [entry for entry in found if entry[0]]


def test_every_message_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr, fuzzy in entries() if not msgstr or fuzzy]
    assert len(entries()) > 50
    assert untranslated == []


def test_the_compiled_catalogue_matches_its_source():
    """A .po edited without recompiling would leave pages in English."""
    from django.utils import translation

    with translation.override("zh-hans"):
        stale = [
            msgid
            for msgid, msgstr, _ in entries()
            if "%(" not in msgid and translation.gettext(msgid) != msgstr
        ]
    assert stale == []
