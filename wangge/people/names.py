"""Search keys for Chinese names: full pinyin and initials, lower case, without separators.

Middle dots of minority names (阿卜杜·热合曼) and spaces are dropped; characters without a
reading (rare ones outside the BMP such as 𠮷, Latin letters) are kept as they are, so that a
search by the character itself still matches. A surname with a special reading (单 shan,
仇 qiu, 万俟 moqi…) is indexed by its surname reading, and 卜 in minority names by bu.
"""

from pypinyin import lazy_pinyin

SEPARATORS = {"·", "•", "‧", "・", " ", "\u3000", "-"}
# Surnames read differently from the same character elsewhere (单 dan → shan); compound
# surnames first, so that 万俟 is moqi and not wan + qi.
COMPOUND_SURNAMES = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
}
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
    "翟": "zhai",
    "缪": "miao",
    "卜": "bu",
    "薄": "bo",
    "种": "chong",
    "秘": "bi",
    "员": "yun",
    "繁": "po",
    "句": "gou",
    "都": "du",
    "隗": "wei",
    "柏": "bai",
    "祭": "zhai",
    "佴": "nai",
    "召": "shao",
    "折": "she",
}
# Characters whose reading in names anywhere differs from pypinyin's first choice: 卜 in the
# transliterated Uyghur and Hui names (阿卜杜 abudu), 朴 in Korean given names.
NAME_READINGS = {"卜": "bu"}


def name_clean(name: str) -> str:
    return "".join(character for character in name.strip() if character not in SEPARATORS)


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name."""
    cleaned = name_clean(name)
    if not cleaned:
        return "", ""
    syllables = lazy_pinyin(cleaned, errors="default")
    if len(syllables) == len(cleaned):  # one syllable per character: readings can be fixed
        syllables = names_read(cleaned, syllables)
    full = "".join(syllables).lower()
    initials = "".join(syllable[0] for syllable in syllables if syllable).lower()
    return full[:255], initials[:64]


def names_read(name: str, syllables: list[str]) -> list[str]:
    syllables = [
        NAME_READINGS.get(character, syllable)
        for character, syllable in zip(name, syllables, strict=True)
    ]
    if name[:2] in COMPOUND_SURNAMES:
        syllables[:2] = COMPOUND_SURNAMES[name[:2]]
    elif name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return syllables


def query_keys(text: str) -> str:
    """A search text in the form the keys are stored in: letters lower-cased, separators out."""
    return name_clean(text).lower()
