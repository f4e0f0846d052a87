"""Search keys for Chinese names: full pinyin and initials, lower case, without separators.

Middle dots of minority names (阿卜杜·热合曼) and spaces are dropped; characters without a
reading (rare ones outside the BMP such as 𠮷, Latin letters) are kept as they are, so that a
search by the character itself still matches. A surname with a special reading (单 shan,
仇 qiu…) is indexed by its surname reading.
"""

from pypinyin import lazy_pinyin

SEPARATORS = {"·", "•", "‧", "・", " ", "\u3000", "-"}
SURNAME_READINGS = {
    "单": "shan",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "解": "xie",
    "查": "zha",
    "曾": "zeng",
    "盖": "ge",
    "乐": "yue",
    "尉": "yu",
    "万": "wan",
    "覃": "qin",
}


def name_clean(name: str) -> str:
    return "".join(character for character in name.strip() if character not in SEPARATORS)


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name."""
    cleaned = name_clean(name)
    if not cleaned:
        return "", ""
    syllables = lazy_pinyin(cleaned, errors="default")
    if cleaned[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[cleaned[0]]
    full = "".join(syllables).lower()
    initials = "".join(syllable[0] for syllable in syllables if syllable).lower()
    return full[:255], initials[:64]


def query_keys(text: str) -> str:
    """A search text in the form the keys are stored in: letters lower-cased, separators out."""
    return name_clean(text).lower()
