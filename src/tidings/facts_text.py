"""Text helpers for the fact extractor: tokenising, script detection, folding and inflection variants.

Everything here is deterministic and cheap: it runs on every token of every article.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# A report's lead: where it says who it is about, where it happened and how its people met (the pair scorer's central
# people and lead cities, ``Facts.contact``)
LEAD_CHARS = 300

# Letters (and digits: "G7") plus Arabic combining marks; CJK and Thai are left to substring scanning.
TOKEN_RE = re.compile(
    r"(?:[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]"
    r"|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+"
)
# Scripts written without spaces: matched by substring scanning instead of by token.
CJK_RUN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f·・]+")

_AR_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي"})


def script_of(ch: str) -> str:
    """Coarse script class of one character: latin, cyrillic, arabic, cjk, hangul, thai, other."""
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFF00:
        return "arabic"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
        return "hangul"
    if 0x0E00 <= o < 0x0E80:
        return "thai"
    if 0x3040 <= o < 0x3100 or 0x3400 <= o < 0xA000 or 0xF900 <= o < 0xFB00:
        return "cjk"
    return "other"


def is_katakana(ch: str) -> bool:
    """Katakana or its long-vowel mark, not the middle dot "・" that parts the words of a name."""
    return "\u30a0" <= ch <= "\u30ff" and ch != "\u30fb"


def is_cjk_string(s: str) -> bool:
    """True when the name is written in a script without word spaces (Chinese, Japanese, Thai)."""
    letters = [c for c in s if not c.isspace() and c not in "·・"]
    return bool(letters) and all(script_of(c) in ("cjk", "thai") for c in letters)


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Case- and accent-insensitive key of one token (Latin via anyascii; Arabic letter variants unified)."""
    if not token:
        return token
    sc = script_of(token[0])
    if sc == "latin":
        return anyascii(token).lower()
    if sc == "arabic":
        return _AR_DIACRITICS.sub("", token).translate(_AR_MAP)
    if sc == "cyrillic":
        return token.lower().replace("ё", "е")
    return unicodedata.normalize("NFKC", token).lower()


def fold_cjk(s: str) -> str:
    """Key for names in unspaced scripts: NFKC, unify the two middle dots."""
    return unicodedata.normalize("NFKC", s).replace("・", "·").replace(" ", "")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for every word token."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def slug(s: str) -> str:
    """Stable ASCII id fragment from any script ("Kazem Jalali" -> "kazem-jalali")."""
    a = anyascii(unicodedata.normalize("NFKC", s)).lower()
    a = re.sub(r"[^a-z0-9]+", "-", a).strip("-")
    return a or "x"


# --- inflection variants: tried only when the exact form is not in the lexicon -------------------------

_RU_ENDINGS = (
    "ами",
    "ями",
    "ого",
    "его",
    "ому",
    "ему",
    "ыми",
    "ими",
    "ией",
    "ой",
    "ей",
    "ом",
    "ем",
    "ым",
    "им",
    "ам",
    "ям",
    "ах",
    "ях",
    "ию",
    "ии",
    "ия",
    "ую",
    "юю",
    "ая",
    "яя",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "ы",
    "и",
    "о",
)
_RU_ADD = ("", "а", "я", "ия", "ь", "й", "ий", "о")
# and the adjectival surnames' genitive and dative, "Zełenskiego", "Trzaskowskiemu" (-ski)
_PL_ENDINGS = ("ami", "ach", "owi", "iem", "ego", "emu", "em", "ie", "ji", "y", "i", "u", "a", "e")
_PL_ADD = ("", "a", "ja")
_PL_ADJECTIVAL = (("skim", "ski"), ("ckim", "cki"), ("dzkim", "dzki"), ("skiej", "ska"), ("ckiej", "cka"))
_DE_ENDINGS = ("s", "es", "n")
_KO_PARTICLES = (
    "에서는",
    "에서의",
    "에서",
    "에게",
    "으로",
    "과의",
    "와의",
    "측은",
    "까지",
    "부터",
    "이다",
    "로",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "와",
    "과",
    "에",
    "도",
    "만",
    "측",
)
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "لل", "وب", "ول", "و", "ف", "ب", "ل")


@lru_cache(maxsize=100_000)
def suffix_variants(key: str, language: str) -> tuple[str, ...]:
    """Base forms a folded token may be an inflection of (Russian cases, Polish cases, German genitive,
    Korean particles). Cheap rules, not a morphological analyser."""
    out: list[str] = []
    if not key:
        return ()
    sc = script_of(key[0])
    if sc == "cyrillic":
        for e in _RU_ENDINGS:
            if key.endswith(e) and len(key) - len(e) >= 3:
                stem = key[: -len(e)]
                out.extend(stem + a for a in _RU_ADD)
    elif sc == "hangul":
        for p in _KO_PARTICLES:
            if key.endswith(p) and len(key) - len(p) >= 2:
                out.append(key[: -len(p)])
    elif sc == "latin":
        if language == "pl":
            for e in _PL_ENDINGS:
                if key.endswith(e) and len(key) - len(e) >= 3:
                    out.extend(key[: -len(e)] + a for a in _PL_ADD)
            # adjectival surnames' instrumental and feminine cases: "z Zełenskim", "Trzaskowskiej" (-ski, -ska)
            for e, a in _PL_ADJECTIVAL:
                if key.endswith(e) and len(key) - len(e) >= 2:
                    out.append(key[: -len(e)] + a)
        elif language in ("de", "nl", "en", "tr", "it", "es", "fr", "pt"):
            ends = _DE_ENDINGS if language == "de" else ("s",)
            for e in ends:
                if key.endswith(e) and len(key) - len(e) >= 3:
                    out.append(key[: -len(e)])
    return tuple(dict.fromkeys(v for v in out if v != key))


@lru_cache(maxsize=100_000)
def prefix_variants(key: str) -> tuple[str, ...]:
    """Arabic clitics glued to the front of a word (و, ب, ل, ال ...)."""
    if not key or script_of(key[0]) != "arabic":
        return ()
    out = []
    for p in _AR_PREFIXES:
        if key.startswith(p) and len(key) - len(p) >= 3:
            rest = key[len(p) :]
            out.append(rest)
            if p.endswith("ل") or p.endswith("ال"):
                out.append("ال" + rest)
    return tuple(dict.fromkeys(out))


# --- how the people of a lead met: by telephone, by video, or (saying neither) in person -----------------------
# The forms that name a conversation, not the device ("phone and internet links", "smartphone" stay out): a call of
# one cast and their meeting in a capital are told in the same words, and an undated pair has nothing else to part
# them. Every language the encoder covers, and a few more the corpora bring.
_PHONE_CALL_RE = re.compile(
    r"\b(?:tele)?phon(?:ed|ing)\b|\b(?:tele)?phone\s+(?:call|conversation|talk|discussion)s?\b"
    r"|\b(?:by|over\s+the)\s+(?:tele)?phone\b|\bcall(?:ed)?\s+with\b|\b(?:\d+|one|two|three)[- ](?:hour|minute)\s+call"
    r"|\b(?:in|during|on)\s+(?:a|an|the|their|his|her)\s+(?:[\w-]+\s+){0,2}call\b(?!\s+(?:for|to|on|from|of)\b)"
    r"|telefonat|telefonisch|telefongespr|telefoniert|telefonkonferenz|telefonschalte"
    r"|t[ée]l[ée]phoni|(?:par|au)\s+t[ée]l[ée]phone"
    r"|telef[oóô]nic|llamada|telefonat[ao]|telefonema|(?:al|por|pelo|per)\s+tel[ée]fon[oe]"
    r"|telefoongesprek|telefoniczn|telefonda|telefon\s+görüşme|telefonla"
    r"|телефонн|по\s+телефону|созвонил"
    r"|هاتفي|عبر\s+الهاتف|تلفنی"
    r"|通电话|通電話|电话会谈|電話会談|电话交谈|電話で|通话|通話|전화\s?통화|전화\s?회담|통화했|통화를|ทางโทรศัพท์"
    r"|τηλεφωνικ|טלפונית|שיחת\s+טלפון|melalui\s+telepon|điện\s+đàm|फ़ोन\s+पर|फोन\s+पर",
    re.IGNORECASE,
)
_VIDEO_CALL_RE = re.compile(
    r"\bvideo\s*(?:call|conference|link|summit)|\bvideoconferenc|\bvirtual\s+(?:summit|meeting|talks|call)"
    r"|videoschalte|videokonferenz|per\s+video|visioconf[ée]rence|videoconferencia|videollamada|videoconferenza"
    r"|videochiamata|videoconfer[êe]ncia|videogesprek|wideokonferencj|video\s?konferans|видеосвяз|видеоконференц"
    r"|видеоформат|عبر\s+(?:تقنية\s+)?الفيديو|الاتصال\s+المرئي"
    r"|视频会晤|视频通话|视频连线|视频会议|視訊|テレビ会議|オンライン(?:会談|形式)|화상\s?(?:회담|통화|회의|정상회담)",
    re.IGNORECASE,
)


# Every form above holds one of these stems (tests/test_similarity.py checks each alternative): a lead without any
# (nine in ten) is told apart by substring tests, not by two long case-insensitive alternations (0.13 -> 0.02 ms).
CONTACT_STEMS = ("phon", "call", "tel", "llamada", "телефон", "созвон", "هاتف", "تلفن", "电话", "電話", "通话", "通話",
                 "전화", "통화", "โทรศัพท์", "τηλεφων", "טלפו", "điện", "फ़ोन", "फोन", "video", "virtual", "visio",
                 "wideo", "видео", "الفيديو", "المرئي", "视频", "視訊", "テレビ", "オンライン", "화상")


def contact_mode(text: str) -> str | None:
    """"video" or "phone" where ``text`` (a lead, a title) tells of a video or telephone call, else None."""
    if not text:
        return None
    low = text.lower()
    if not any(stem in low for stem in CONTACT_STEMS):
        return None
    if _VIDEO_CALL_RE.search(text):
        return "video"
    if _PHONE_CALL_RE.search(text):
        return "phone"
    return None
