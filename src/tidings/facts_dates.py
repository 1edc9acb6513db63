"""Dates in news text, in every supported language: explicit dates, weekdays, "yesterday", "two days ago".

Own regular expressions rather than dateparser: dateparser misses "am Mittwoch" / "مساء الأربعاء", gives
false hits on German words, and costs ~36 ms a call. Month names come from babel's CLDR data.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)
_B = r"(?<![^\W\d_])"  # left word boundary that also works for Arabic letters
_E = r"(?![^\W\d_])"


@dataclass(frozen=True)
class FoundDate:
    date: dt.date | None  # None: relative expression with no reference date
    surface: str
    start: int
    end: int
    relative: bool
    kind: str  # explicit | weekday | day | ago
    stamp: bool = False  # the article's own publication stamp, not a happening
    future: bool = False  # "will continue on Wednesday", "next Monday"
    status: bool = False  # "as of the 18th" (截至18日): when a count was taken, not when it happened
    home: bool = False  # told by an East Asian reader's clock ("北京时间6月17日"), no later part of the day given
    weekday: int | None = None  # a weekday named with no reference date to resolve it (0 = Monday)


def _adjective(stem: str, endings: str) -> list[str]:
    return [stem + e for e in endings.split(",")]


# The weekday as an adjective, in every case: "w niedzielnym finale" (in Sunday's final), "w piątkowym półfinale",
# "в воскресном матче", "субботняя акция"
_PL_HARD = "y,ego,emu,ym,a,ej,ą,e,ych,ymi"
_PL_SOFT = ",ego,emu,m,a,ej,ą,e,ch,mi"  # sobotni, sobotniego, ...
_RU_HARD = "ый,ого,ому,ым,ом,ая,ой,ую,ое,ые,ых,ыми"
_RU_SOFT = "ий,его,ему,им,ем,яя,ей,юю,ее,ие,их,ими"

# Weekday words, Monday = 0. Inflected forms (Polish/Russian accusative) listed too.
WEEKDAYS: dict[str, list[list[str]]] = {
    "en": [["monday"], ["tuesday"], ["wednesday"], ["thursday"], ["friday"], ["saturday"], ["sunday"]],
    "de": [
        ["montag"],
        ["dienstag"],
        ["mittwoch"],
        ["donnerstag"],
        ["freitag"],
        ["samstag", "sonnabend"],
        ["sonntag"],
    ],
    "fr": [["lundi"], ["mardi"], ["mercredi"], ["jeudi"], ["vendredi"], ["samedi"], ["dimanche"]],
    "es": [
        ["lunes"],
        ["martes"],
        ["miércoles", "miercoles"],
        ["jueves"],
        ["viernes"],
        ["sábado", "sabado"],
        ["domingo"],
    ],
    "it": [
        ["lunedì", "lunedi"],
        ["martedì", "martedi"],
        ["mercoledì", "mercoledi"],
        ["giovedì", "giovedi"],
        ["venerdì", "venerdi"],
        ["sabato"],
        ["domenica"],
    ],
    "pt": [
        ["segunda-feira"],
        ["terça-feira", "terca-feira"],
        ["quarta-feira"],
        ["quinta-feira"],
        ["sexta-feira"],
        ["sábado"],
        ["domingo"],
    ],
    "nl": [["maandag"], ["dinsdag"], ["woensdag"], ["donderdag"], ["vrijdag"], ["zaterdag"], ["zondag"]],
    "pl": [
        ["poniedziałek", "poniedziałku", *_adjective("poniedziałkow", _PL_HARD)],
        ["wtorek", "wtorku", *_adjective("wtorkow", _PL_HARD)],
        ["środa", "środę", "środy", *_adjective("środow", _PL_HARD)],
        ["czwartek", "czwartku", *_adjective("czwartkow", _PL_HARD)],
        ["piątek", "piątku", *_adjective("piątkow", _PL_HARD)],
        ["sobota", "sobotę", "soboty", *_adjective("sobotni", _PL_SOFT)],
        ["niedziela", "niedzielę", "niedzieli", *_adjective("niedzieln", _PL_HARD)],
    ],
    "ru": [
        ["понедельник"],
        ["вторник"],
        ["среда", "среду"],
        ["четверг"],
        ["пятница", "пятницу", *_adjective("пятничн", _RU_HARD)],
        ["суббота", "субботу", *_adjective("субботн", _RU_SOFT)],
        ["воскресенье", *_adjective("воскресн", _RU_HARD)],
    ],
    "tr": [
        ["pazartesi"],
        ["salı"],
        ["çarşamba"],
        ["perşembe"],
        # "cuma" and "pazar" are also "Friday prayer" and "market": with a word for the day or its part only
        ["cuma günü", "cuma günkü", "cuma akşamı", "cuma sabahı", "cuma gecesi"],
        ["cumartesi"],
        ["pazar günü", "pazar günkü", "pazar akşamı", "pazar sabahı", "pazar gecesi"],
    ],
    "ar": [
        ["الاثنين", "الإثنين"],
        ["الثلاثاء"],
        ["الأربعاء", "الاربعاء"],
        ["الخميس"],
        ["الجمعة"],
        ["السبت"],
        ["الأحد", "الاحد"],
    ],
}
# German and Dutch write a weekday and the part of the day as one word ("am Montagmorgen", "zaterdagavond").
_WEEKDAY_PART_OF_DAY = {
    "de": r"(?:morgen|vormittag|mittag|nachmittag|abend|nacht|früh)?",
    "nl": r"(?:ochtend|morgen|middag|namiddag|avond|nacht)?",
}
_CJK_WEEKDAY = re.compile(
    r"(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])|([月火水木金土日])曜日?|([월화수목금토일])요일"
    r"|วัน(จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)"
)
# The week a CJK weekday is of, written before it: this week's, last week's, next week's (Monday to Sunday).
_CJK_WEEK_BEFORE = re.compile(
    r"(?:(?P<this>[本这這](?:个|個)?|今週の?|이번\s?주\s?)|(?P<last>上(?:个|個)?|先週の?|지난\s?주\s?)"
    r"|(?P<next>下(?:个|個)?|来週の?|다음\s?주\s?))$")
# Thai, kana, CJK ideographs and Hangul syllables: every character the "cjk", "hanzi" and weekday patterns need one of.
_WIDE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3000-\u9fff\uac00-\ud7af]")
_CJK_WD_INDEX = {
    **{c: i for i, c in enumerate("一二三四五六日")},
    "天": 6,
    **{c: i for i, c in enumerate("月火水木金土日")},
    **{c: i for i, c in enumerate("월화수목금토일")},
    "จันทร์": 0,
    "อังคาร": 1,
    "พุธ": 2,
    "พฤหัสบดี": 3,
    "พฤหัส": 3,
    "ศุกร์": 4,
    "เสาร์": 5,
    "อาทิตย์": 6,
}

# Days relative to publication.
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    # with the parts of the day news copy names them by: "this morning", "gisteravond", "anoche", "今朝", "昨晚"
    "en": {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
           "this morning": 0, "this afternoon": 0, "this evening": 0},
    "de": {"vorgestern": -2, "gestern": -1, "heute": 0},
    "fr": {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "ce matin": 0, "cet après-midi": 0,
           "ce soir": 0},
    "es": {"anteayer": -2, "antier": -2, "ayer": -1, "anoche": -1, "hoy": 0, "esta mañana": 0, "esta tarde": 0,
           "esta noche": 0},
    "it": {"l'altro ieri": -2, "altroieri": -2, "ieri": -1, "oggi": 0, "stamattina": 0, "stamani": 0,
           "questa mattina": 0, "stasera": 0},
    "pt": {"anteontem": -2, "ontem": -1, "hoje": 0, "esta manhã": 0, "esta tarde": 0, "esta noite": 0},
    # Dutch writes the part of the day into the word, with or without "-en" (Belgian copy: "gisterennamiddag")
    "nl": {"eergisteren": -2, "gisteren": -1,
           **{f"{g}{part}": -1 for g in ("gister", "gisteren")
              for part in ("ochtend", "morgen", "middag", "namiddag", "avond", "nacht")},
           "vandaag": 0, "vanochtend": 0, "vanmorgen": 0, "vanmiddag": 0, "vannamiddag": 0, "vanavond": 0},
    "pl": {"przedwczoraj": -2, "wczoraj": -1, "dzisiaj": 0, "dziś": 0},
    "ru": {"позавчера": -2, "вчера": -1, "сегодня": 0},
    "tr": {"evvelsi gün": -2, "dün": -1, "bugün": 0, "bu sabah": 0, "bu akşam": 0},
    "ar": {"أول أمس": -2, "أول من أمس": -2, "امس": -1, "أمس": -1, "الأمس": -1, "البارحة": -1, "صباح اليوم": 0,
           "ظهر اليوم": 0, "مساء اليوم": 0},
    # not Chinese "今日": it begins names ("今日俄罗斯", RT; "今日美国", USA Today)
    "zh": {"前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1, "今天": 0, "今晨": 0, "今早": 0,
           "今晚": 0, "今夜": 0},
    "ja": {"一昨日": -2, "昨日": -1, "昨夜": -1, "昨晩": -1, "今日": 0, "本日": 0, "今朝": 0, "今夜": 0, "今晩": 0},
    "ko": {"그저께": -2, "그제": -2, "어제": -1, "어젯밤": -1, "오늘": 0},
    "th": {"เมื่อวานซืน": -2, "เมื่อวานนี้": -1, "เมื่อวาน": -1, "วันนี้": 0},
}

_NUM_WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7},
    "de": {"einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7},
    "fr": {"un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7},
    "es": {"un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7},
    "it": {"un": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7},
    "pt": {"um": 1, "dois": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7},
    "nl": {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7},
    "pl": {"dwa": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7},
    "ru": {"два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7},
    "tr": {"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7},
    "ar": {"ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7},
    "zh": {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7},
}
# "N days ago" in each language; group "n" is the number.
_AGO = {
    "en": r"(?P<n>{num}) days? ago",
    "de": r"vor (?P<n>{num}) Tag(?:en)?",
    "fr": r"il y a (?P<n>{num}) jours?",
    "es": r"hace (?P<n>{num}) días?",
    "it": r"(?P<n>{num}) giorni? fa",
    "pt": r"há (?P<n>{num}) dias?",
    "nl": r"(?P<n>{num}) dag(?:en)? geleden",
    "pl": r"(?P<n>{num}) dni temu",
    "ru": r"(?P<n>{num}) (?:дня|дней|день) назад",
    "tr": r"(?P<n>{num}) gün önce",
    "ar": r"قبل (?:(?P<two>يومين)|(?P<n>{num}) أيام)",
    "zh": r"(?P<n>{num})天前",
    "ja": r"(?P<n>{num})日前",
    # "3일 전", "3일 전에": ago; not "10일 전격 합의" (on the 10th, a sudden agreement), "전국", "전쟁"
    "ko": r"(?P<n>{num})일 전(?:에|엔|의|부터|까지)?(?![가-힣])",
}
# Words before a weekday that place it in the future or firmly in the past.
_FUTURE = {
    "en": r"\b(?:will|next|coming|upcoming|scheduled|due|to be held|ahead of|was to|were to)\b",
    "de": r"\b(?:wird|werden|soll|sollen|sollte|sollten|nächsten|kommenden|kommende|nächste)\b",
    # and the future tense itself, "España jugará el domingo", "la France jouera dimanche", "giocherà domenica", in
    # lower case only: "Irán", "Teherán" end the same way
    "fr": r"\b(?:prochain|prochaine|sera|seront|doit|devait|devaient|"
          r"(?-i:[a-zàâçéèêëîïôûùüÿœ]+(?:era|eront|ira|iront|dra|dront)))\b",
    # and what was to come, seen from before the news: "el equipo que este miércoles debía disputar la final"
    "es": r"\b(?:próximo|próxima|será|serán|debía|debían|iba a|iban a|(?-i:[a-záéíóúüñ]+(?:rá|rán)))\b",
    "it": r"\b(?:prossimo|prossima|sarà|doveva|dovevano|(?-i:[a-zàèéìòù]+(?:rà|ranno)))\b",
    "pt": r"\b(?:próximo|próxima|será|deveria|deveriam|iria|iriam|(?-i:[a-záâãàçéêíóôõú]+rá))\b",
    "nl": r"\b(?:volgende|komende|zal|zullen)\b",  # not "zou": "de man zou dinsdag zijn opgepakt" is hearsay
    "pl": r"\b(?:przyszły|przyszłą|przyszłym|będzie)\b",  # not "miał": "miał miejsce" is "took place"
    "ru": r"(?:будет|будут|следующ|предстоящ|должен был|должна была|должны были)",
    # and the future participle, "çarşamba günü yapılacak seçimler" (the elections to be held on Wednesday)
    "tr": r"(?:gelecek|önümüzdeki|olacak|(?-i:\b[a-zçğıöşü]{2,}(?:acak|ecek|acağı|eceği)\w*))",
    "ar": r"(?:سوف|المقبل|القادم|المقبلة|القادمة)",
}
_PAST_STRICT = {
    "en": r"\blast\b",
    "de": r"\b(?:vergangenen|letzten|vorigen)\b",
    "fr": r"\bdernier\b",
    "es": r"\bpasado\b",
    "ru": r"прошл",
    "ar": r"(?:الماضي|الماضية)",
}

# Words a page writes before its publication or update stamp; the cleaner reads byline lines by them too.
STAMP_WORDS = (
    "published", "updated", "posted", "veröffentlicht", "aktualisiert", "publié", "mis à jour", "publicado",
    "actualizado", "atualizado", "pubblicato", "aggiornato", "gepubliceerd", "bijgewerkt", "opublikowano",
    "aktualizacja", "опубликовано", "обновлено", "yayınlanma", "güncelleme", "güncellenme", "تاريخ النشر", "آخر تحديث",
)
# searched in the 40 characters before a date, so also the short forms a byline need not start with
_STAMP_CUES = re.compile(
    "(?i)(?:" + "|".join(STAMP_WORDS + ("نشر", "发布", "更新", "発行", "입력", "기사입력", "수정")) + ")")


_HZ = "〇零一二三四五六七八九"
_HZ_DIGIT = dict(zip("〇一二三四五六七八九", range(10), strict=True)) | {"零": 0}


def _hanzi_number(s: str) -> int:
    """"二〇二四" -> 2024 (digit by digit), "十" -> 10, "二十三" -> 23, "三十一" -> 31."""
    if "十" not in s:
        return int("".join(str(_HZ_DIGIT[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (_HZ_DIGIT[tens] if tens else 1) * 10 + (_HZ_DIGIT[ones] if ones else 0)


_WORDS = re.compile(r"\w+")
_CLAUSE = re.compile(r"[^.,;:!?،؛\n]{0,30}")
_THIS_DAY = re.compile(r"^(?:this|este|esta|neste|nesta|ce|questo|questa|diesen|diesem|deze)$", re.IGNORECASE)
_PAST_CUE_FIRST = {"en", "de", "ru"}  # "last week Thursday", "in der vergangenen Woche am Freitag"
# and "until": the end of a span ("bis Samstagmorgen mehr als 100 Menschen festgenommen"), not when it happened;
# "since": the start of a state ("da sabato si è formato un tappeto di candele", the mourning since the crash), not
# the news of the report (session 14: on our 734 labelled articles one reading changes, to the right day)
_STATUS_BEFORE = re.compile(
    r"(?:截至|截止|(?<![^\W\d_])(?:as of|Stand|по состоянию на|itibarıyla|until|bis(?: zum| zur)?|jusqu['’](?:à|au)"
    r"|hasta(?: el)?|fino a(?:l)?|até(?: o| a)?|tot(?: en met)?|до"
    r"|since|ever since|seit|depuis(?: le)?|desde(?: el| o| a)?|sinds|منذ))\s*$",
    re.IGNORECASE,
)
# "Since" words as short as other languages' common words (Turkish "da"): only in their own language. Not Polish
# "od", as often the start of a span that is the news ("od środy wieczorem do czwartku rano").
_SINCE_BEFORE = {"it": re.compile(r"(?<![^\W\d_])(?:da|dal)\s*$", re.IGNORECASE)}


@lru_cache(maxsize=64)
def _month_names(language: str) -> dict[str, int]:
    """Folded month name -> month number for this language (+ English, which many articles quote)."""
    import babel

    out: dict[str, int] = {}
    locs = {language, "en"}
    if language == "ar":
        locs |= {"ar_SY", "ar_MA", "ar_TN", "ar_IQ", "ar_LB", "ar_DZ"}
    for code in locs:
        try:
            loc = babel.Locale.parse(code)
        except Exception:  # noqa: BLE001 - unknown locale code: just skip its month names
            continue
        for ctx in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in loc.months[ctx][width].items():
                    name = name.strip(".").lower()
                    if len(name) >= 3 and not name[0].isdigit():
                        out[name] = num
    if language == "en" or "en" in locs:
        out["sept"] = 9
    return out


@lru_cache(maxsize=64)
def weekday_words(language: str) -> frozenset[str]:
    """The weekday names of the language, folded (the first word of each form)."""
    from tidings.facts_text import fold

    return frozenset(fold(w) for forms in WEEKDAYS.get(language, []) for form in forms for w in form.split()[:1])


@lru_cache(maxsize=64)
def calendar_words(language: str) -> frozenset[str]:
    """Weekday and month names of the language, folded (months as babel writes them, with English): words that
    name a day, which the fact extractor takes for no place ("Çarşamba", Wednesday and a town)."""
    from tidings.facts_text import fold

    return weekday_words(language) | {fold(m) for m in _month_names(language) if len(m) >= 3}


def _first_letters(words: Iterable[str]) -> str:
    """A lookahead for the letters the words start with, in either case (and the letters that case-fold to them
    under ``re.IGNORECASE``: the Turkish dotted and dotless i, the long s, the Kelvin sign)."""
    letters: set[str] = set()
    for w in words:
        if w:
            c = w[0]
            letters |= {c, c.lower(), c.upper()}
            if c.lower() in ("i", "s", "k"):
                letters |= {"İ", "ı", "ſ", "\u212a"}
    return "(?=[" + "".join(sorted(re.escape(c) for c in letters if len(c) == 1)) + "])"


@lru_cache(maxsize=64)
def _patterns(language: str) -> dict[str, re.Pattern[str]]:
    months = sorted(_month_names(language), key=len, reverse=True)
    m = "|".join(re.escape(x) for x in months)
    nums = _NUM_WORDS.get(language, {})
    num = "|".join([r"\d{1,2}"] + [re.escape(w) for w in sorted(nums, key=len, reverse=True)])
    pats: dict[str, str] = {
        # 21. August 2021 / 21 de agosto de 2021 / 21 августа 2021 года / 21 أغسطس 2021
        "dmy": rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|º)?\s*(?:de\s+|di\s+)?(?P<m>{m}){_E}\.?"
        rf"(?:\s*,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})(?!\d))?",
        # August 21, 2021 / Aug. 21
        "mdy": rf"{_B}(?P<m>{m}){_E}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
        rf"(?:\s*,?\s*(?P<y>\d{{4}})(?!\d))?",
        "iso": r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
        "num": r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)",
        "cjk": r"(?:(?P<y>\d{4})\s*[年년]\s*)?(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일号號]",
        # 二〇二四年十月三日: dates written in Chinese numerals
        "hanzi": rf"(?:(?P<y>[{_HZ}]{{4}})年)?(?P<m>[{_HZ}十]{{1,2}})月(?P<d>[{_HZ}十]{{1,3}})[日号]",
    }
    if language in ("ja", "zh"):
        # "21日" alone: a day of the current month (ja/zh news write the month only when needed)
        pats["jday"] = r"(?<![\d月月])(?P<d>\d{1,2})\s*日(?![本曜間间])"
    elif language == "ko":
        # "3일 밤": the same in Korean; not "3일간" / "3일 동안" (three days), "3일 전" (ago)
        pats["jday"] = (r"(?<![\d월.])(?P<d>\d{1,2})일(?!\s*(?:간|동안|째|만에|부터|까지))"
                        r"(?!\s*전(?:에|엔|의|부터|까지)?(?![가-힣]))")
    if language == "en":
        pats["num"] = r"(?<![\d./])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)"
    elif language not in ("zh", "ja", "ko"):
        pats["num"] = r"(?<![\d./])(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)"
    wd = WEEKDAYS.get(language)
    if wd:
        words = sorted((w for forms in wd for w in forms), key=len, reverse=True)
        if language == "ar":
            pre = r"(?:(?:يوم|مساء|صباح|ليلة|ليل|فجر|ظهر|عصر|اليوم)\s+)?"
            pats["weekday"] = rf"{_B}[وف]?{pre}[وف]?(?P<w>{'|'.join(words)}){_E}"
        else:
            part = _WEEKDAY_PART_OF_DAY.get(language, "")  # "Montagmorgen", "zaterdagavond": one word
            pats["weekday"] = rf"{_B}(?P<w>{'|'.join(re.escape(w) for w in words)}){part}{_E}"
    rel = RELATIVE_DAYS.get(language)
    if rel:
        words = sorted(rel, key=len, reverse=True)
        if language in ("zh", "ja", "th"):
            pats["day"] = rf"(?P<r>{'|'.join(re.escape(w) for w in words)})"
        elif language in ("ko", "tr"):  # a particle or suffix may follow: "어제는", "오늘부터"; "dünkü", "bugünkü"
            tail = "(?:은|는|도|부터|까지|의|에|엔)?" if language == "ko" else "(?:kü|ki)?"
            pats["day"] = rf"{_B}(?P<r>{'|'.join(re.escape(w) for w in words)}){tail}{_E}"
        else:
            pats["day"] = rf"{_B}[وف]?(?P<r>{'|'.join(re.escape(w) for w in words)}){_E}"
    if language in _AGO:
        pats["ago"] = _AGO[language].format(num=num)
    # A pattern that opens with a word boundary and a list of words is tried at every position of a text, word by
    # word; a look at the next letter first turns most positions away at once (a third of these scans' time).
    if months:
        pats["mdy"] = _first_letters(months) + pats["mdy"]
    if wd and language != "ar":
        pats["weekday"] = _first_letters(w for forms in wd for w in forms) + pats["weekday"]
    if rel and language not in ("zh", "ja", "th", "ko", "tr"):
        pats["day"] = _first_letters([*rel, "و", "ف"]) + pats["day"]
    out = {k: re.compile(v, re.IGNORECASE) for k, v in pats.items()}
    out["_cjk_weekday"] = _CJK_WEEKDAY
    if language in _FUTURE:
        out["_future"] = re.compile(_FUTURE[language], re.IGNORECASE)
    if language in _PAST_STRICT:
        out["_past"] = re.compile(_PAST_STRICT[language], re.IGNORECASE)
    return out


# A wire dateline opening a line, wherever a scraped page puts the body: "ПАРИЖ, 15 ноя — РИА Новости.",
# "WASHINGTON, Dec 5 (Reuters) -", "Teherán, 11 ene (EFE).-": the day of filing, not of the happening.
_DATELINE_PLACE = re.compile(r"^\(?[^\W\d_][\w'’./ -]{1,40},\s*$")
# what follows a wire dateline's date: the agency in brackets and a dash, a dash alone, or TASS's "6 июля. /ТАСС/."
_DATELINE_DASH = re.compile(r"^\s*\.?\s*(?:(?:\([^()\n]{2,30}\))?\s*\.?\s*[—–-]|/[^/\n]{2,30}/)")


def _wire_dateline(t: str, start: int, end: int) -> bool:
    line_start = t.rfind("\n", 0, start) + 1
    place = t[line_start:start]
    # the place in capitals, as wire copy writes it ("ПАРИЖ", "WASHINGTON"), then a comma before the date
    if not _DATELINE_PLACE.match(place) or not place.split(",")[0].strip("( ").isupper():
        return False
    return bool(_DATELINE_DASH.match(t[end : end + 40]))


_DAY_IN_BRACKETS = re.compile(r"\s*\((\d{1,2})[º°o]?\)")


def _weekday_index(language: str, word: str) -> int | None:
    w = word.lower()
    for i, forms in enumerate(WEEKDAYS.get(language, [])):
        if w in forms or w in (f.lower() for f in forms):
            return i
    return None


def _prev_month(ref: dt.date) -> tuple[int, int]:
    return (ref.year - 1, 12) if ref.month == 1 else (ref.year, ref.month - 1)


def _infer_year(month: int, day: int, ref: dt.date) -> int | None:
    """Year of a year-less date: its occurrence nearest the reference, forward ones included.

    News names coming days by day and month ("the final on 25 February" in a report of 31 January) as often
    as past ones; taking the last past occurrence would move such a date a year back, where it reads as an
    old happening. A later occurrence wins only when nearer and within half a year (ties go to the past)."""
    past: dt.date | None = None
    ahead: dt.date | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if d <= ref + dt.timedelta(days=1):
            past = d  # years ascend: the last one kept is the nearest
        elif ahead is None:
            ahead = d
    if ahead is not None and (ahead - ref).days <= 183 and (past is None or ahead - ref < ref - past):
        return ahead.year
    return past.year if past is not None else None


_DAY_MONTH = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?|([^\W\d_]+)\.?\s+(\d{1,2})")


def reference_day(published: dt.date | None, dateline_day: str | None, language: str | None) -> dt.date | None:
    """The day a report's relative dates count from: its publication day, or the day after when its wire dateline
    says so. Feeds stamp in UTC and datelines are written by the place's clock: "SEOUL, March 10 (Reuters)" on a
    report stamped 2022-03-09T20:50Z is filed on Thursday the 10th, and its "conceded early on Thursday" is that
    day, not the Thursday before the stamp."""
    if published is None or not dateline_day:
        return published
    m = _DAY_MONTH.fullmatch(dateline_day.strip())
    if not m:
        return published
    day, word = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    month = _month_names(language or "en").get(word.lower().strip("."))
    next_day = published + dt.timedelta(days=1)
    if month == next_day.month and int(day) == next_day.day:
        return next_day
    return published


def _make_date(y: int, m: int, d: int, surface: str) -> dt.date | None:
    if y > 2400:  # Thai Buddhist era
        y -= 543
    try:
        return dt.date(y, m, d)
    except ValueError:
        warnings.warn(f"impossible date dropped: {surface!r}", stacklevel=3)
        return None


def find_dates(text: str, language: str, published: dt.date | None) -> tuple[list[FoundDate], dt.date | None]:
    """All date expressions in the text, resolved where possible, and the reference date used
    (published, else the article's own stamp near the top, else None)."""
    t = text.translate(_DIGITS)  # same length: offsets stay valid
    # a language without its own words reads English ones (a report in Azerbaijani or Swedish quoting dates)
    words_of = language if language in WEEKDAYS or language in RELATIVE_DAYS else "en"
    pats = _patterns(words_of)
    months = _month_names(language)
    taken: list[tuple[int, int]] = []
    explicit: list[FoundDate] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    # The CJK, Hangul and Thai patterns cannot match a text without such letters: most texts skip three scans.
    wide = _WIDE_SCRIPT.search(t) is not None
    keys = ("iso", "dmy", "mdy", "num") + (("cjk",) if wide else ()) + \
        (("hanzi",) if language in ("zh", "ja") and wide else ())
    for key in keys:
        if key not in pats:
            continue
        for mt in pats[key].finditer(t):
            s, e = mt.span()
            if not free(s, e):
                continue
            mo = mt.group("m")
            if key == "hanzi":
                month, day = _hanzi_number(mo), _hanzi_number(mt.group("d"))
                year = str(_hanzi_number(mt.group("y"))) if mt.group("y") else None
            else:
                month = int(mo) if mo.isdigit() else months.get(mo.lower().strip("."))
                day = int(mt.group("d")) if month else 0
                year = mt.group("y")
            if not month or not 1 <= month <= 12:
                continue
            surface = text[s:e]
            taken.append((s, e))
            if year:
                d = _make_date(int(year), month, day, surface)
                if d:
                    explicit.append(FoundDate(d, surface, s, e, False, "explicit"))
            else:  # year-less: resolved below once the reference date is known
                explicit.append(FoundDate(None, surface, s, e, True, f"noyear:{month}:{day}"))
    # The publication stamp: a full date at the top on a short line, or with a time or a "published" cue.
    ref = published
    marked: list[FoundDate] = []
    for f in explicit:
        if f.kind == "explicit" and f.start < 300:
            line_start = t.rfind("\n", 0, f.start) + 1
            line_end = t.find("\n", f.end)
            line = t[line_start : line_end if line_end >= 0 else len(t)]
            after = t[f.end : f.end + 25]  # room for a weekday before the time: "24 Haziran 2019 Pazartesi, 00:15"
            if (
                len(line.strip()) - len(f.surface) <= 25
                or after[:1] in ("电", "電")  # Chinese wire dateline: "新华社广州6月18日电"
                or re.search(r"\d{1,2}:\d{2}", after)
                or re.search(r"\d{1,2}:\d{2}\s*$", t[max(0, f.start - 8) : f.start])  # "13:05 15.11.2015"
                or _STAMP_CUES.search(t[max(0, f.start - 40) : f.start])
            ):
                # a stamp after the publication date is the page's update ("Güncellenme: 24 Haziran 2019"): never
                # the happening either
                if published is None or f.date >= published:
                    f = FoundDate(f.date, f.surface, f.start, f.end, False, f.kind, stamp=True)
                    if ref is None:
                        ref = f.date
        marked.append(f)
    out: list[FoundDate] = []
    for f in marked:
        if f.kind.startswith("noyear:"):
            _, mo, da = f.kind.split(":")
            d = None
            if ref is not None:
                y = _infer_year(int(mo), int(da), ref)
                d = _make_date(y, int(mo), int(da), f.surface) if y else None
            filed = (f.start < 300 and t[f.end : f.end + 1] in ("电", "電")) or _wire_dateline(t, f.start, f.end)
            stamp = filed and (published is None or d == published)
            # after the reference: announced or expected, not what the report is about
            ahead = d is not None and ref is not None and d > ref + dt.timedelta(days=1)
            out.append(FoundDate(d, f.surface, f.start, f.end, True, "dateline" if stamp else "explicit", stamp=stamp,
                                 future=ahead))
        else:
            out.append(f)

    if "jday" in pats:
        for mt in pats["jday"].finditer(t):
            s, e = mt.span()
            if not free(s, e):
                continue
            taken.append((s, e))
            day = int(mt.group("d"))
            d = None
            if ref is not None and 1 <= day <= 31:
                y, m = (ref.year, ref.month) if day <= ref.day else _prev_month(ref)
                d = _make_date(y, m, day, text[s:e])
            out.append(FoundDate(d, text[s:e], s, e, True, "explicit"))
    fut = pats.get("_future")
    past = pats.get("_past")
    if "weekday" in pats:
        for mt in pats["weekday"].finditer(t):
            s, e = mt.span()
            if not free(s, e):
                continue
            idx = _weekday_index(language, mt.group("w").split()[0] if language == "tr" else mt.group("w"))
            if idx is None and language == "tr":
                idx = _weekday_index(language, mt.group("w"))
            if idx is None:
                continue
            taken.append((s, e))
            found = _resolve_weekday(text, t, s, e, idx, ref, fut, past, language)
            if (language == "en" and t[e:e + 2] in ("'s", "’s") and found.date is not None and ref is not None
                    and (ref - found.date).days > POSSESSIVE_RECALLED_DAYS):
                found = replace(found, status=True)  # "the site of Saturday's crash", five days on: recalled
            day = _DAY_IN_BRACKETS.match(t, e)
            if day and ref is not None:
                # "nesta terça-feira (1º)", "no domingo (30)": the Brazilian press writes the day of the month
                # after the weekday; the date of that weekday and day nearest the reference
                near = [ref + dt.timedelta(days=k) for k in range(-10, 11)]
                hit = [d for d in near if d.weekday() == idx and d.day == int(day.group(1))]
                if hit:
                    found = replace(found, date=hit[0], kind="explicit", future=hit[0] > ref + dt.timedelta(days=1))
            out.append(found)
    for mt in pats["_cjk_weekday"].finditer(t) if wide else ():
        s, e = mt.span()
        if not free(s, e):
            continue
        g = next(x for x in mt.groups() if x)
        if g == "日" and mt.group(2) and e - s == 1:  # a lone 日 is "day", not Sunday
            continue
        if mt.group(2) and not t[s:e].endswith(("曜日", "曜")):
            continue
        taken.append((s, e))
        week = _CJK_WEEK_BEFORE.search(t, max(0, s - 6), s)
        if week and ref is not None:  # "本周五", "上星期三", "来週の金曜日", "다음 주 월요일": a day of that week
            offset = 0 if week.group("this") else -1 if week.group("last") else 1
            d = ref + dt.timedelta(days=7 * offset + _CJK_WD_INDEX[g] - ref.weekday())
            out.append(FoundDate(d, text[s:e], s, e, True, "weekday", future=d > ref))
            continue
        out.append(_resolve_weekday(text, t, s, e, _CJK_WD_INDEX[g], ref, fut, past, language))
    if "day" in pats:
        rel = RELATIVE_DAYS[words_of]
        lower = {k.lower(): v for k, v in rel.items()}
        for mt in pats["day"].finditer(t):
            s, e = mt.span()
            if not free(s, e):
                continue
            off = lower.get(mt.group("r").lower())
            if off is None:
                continue
            taken.append((s, e))
            d = ref + dt.timedelta(days=off) if ref else None
            out.append(FoundDate(d, text[s:e], s, e, True, "day" if off else "today"))
    if "ago" in pats:
        nums = _NUM_WORDS.get(language, {})
        for mt in pats["ago"].finditer(t):
            s, e = mt.span()
            if not free(s, e):
                continue
            gd = mt.groupdict()
            if gd.get("two"):
                n = 2
            else:
                raw = (gd.get("n") or "").lower()
                n = int(raw) if raw.isdigit() else nums.get(raw, 0)
            if not n:
                continue
            taken.append((s, e))
            d = ref - dt.timedelta(days=n) if ref else None
            out.append(FoundDate(d, text[s:e], s, e, True, "ago"))
    out.sort(key=lambda f: f.start)
    if language in _DAY_BEFORE:
        out = _days_before(t, text, out, _DAY_BEFORE[language], ref, free)
    out = [
        replace(f, status=True) if _STATUS_BEFORE.search(t, max(0, f.start - 20), f.start)
        or ((since := _SINCE_BEFORE.get(language)) and since.search(t, max(0, f.start - 6), f.start)) else f
        for f in out
    ]
    return _home_time_twins(t, _weekdays_with_their_dates(t, out)), ref


# The reader's clock beside the place's: "19日（日本時間20日）", "当地时间5日晚8时19分（北京时间6日11时19分）",
# "日本時間27日午前8時14分ごろ（米東部時間26日午後7時14分ごろ）". The home date is the same moment told
# again, a day later: it does not vote when the place's date stands within a few words of it.
_HOME_CLOCK = r"日本時間|北京时间|한국\s?시간"  # Japan, Beijing, Korea time
_HOME_TIME_BEFORE = re.compile(rf"(?:日本時間の?|北京時間|台北时间|{_HOME_CLOCK})\s*$")
_HOME_TIME_AFTER = re.compile(rf"^\s*[(（](?:{_HOME_CLOCK})[)）]")
_TWIN_CHARS = 40


# An afternoon, evening or night by that clock is still the same day in the Americas (matched at the date's end)
_LATER_IN_THE_DAY = re.compile(
    rf"[(（]?(?:{_HOME_CLOCK})?[)）]?\s*(?:の)?\s*(?:夜|晚|夕|午後|下午|傍晚|저녁|밤|오후)")


# The same told by a European or Turkish reader's clock: "Pazar akşamı (TSİ Pazartesi sabahı)", "dans la nuit de
# dimanche à lundi, heure de Paris", "el lunes a las 2.00 (hora peninsular)". Only the twin rule applies: these
# clocks say nothing of where the happening was when no local day stands beside them.
_EU_CLOCK = (r"TSİ|TSI|Türkiye saatiyle|hora (?:española|peninsular|de Madrid|de Brasília)|horário de Brasília"
             r"|heure (?:de Paris|française|de France)|ora italiana|deutscher Zeit|MESZ|MEZ|czasu polskiego"
             r"|по московскому времени|мск")
_EU_TIME_BEFORE = re.compile(rf"(?:{_EU_CLOCK})\s*$")
_EU_TIME_AFTER = re.compile(rf"^(?:[^.!?\n]|\.(?=\d)){{0,25}}?[(,]\s*(?:{_EU_CLOCK})(?!\w)")  # "a las 2.00 (hora"


def _home_time_twins(t: str, found: list[FoundDate]) -> list[FoundDate]:
    out = list(found)
    for i, f in enumerate(out):
        if f.date is None:
            continue
        european = bool(_EU_TIME_BEFORE.search(t, max(0, f.start - 22), f.start)
                        or _EU_TIME_AFTER.match(t[f.end : f.end + 45]))
        if not european and not (_HOME_TIME_BEFORE.search(t, max(0, f.start - 8), f.start)
                                 or _HOME_TIME_AFTER.match(t[f.end : f.end + 12])):
            continue
        day_before = f.date - dt.timedelta(days=1)
        if any(g.date == day_before and abs(g.start - f.start) <= _TWIN_CHARS for g in out if g is not f):
            out[i] = replace(f, status=True)
        elif not european and not _LATER_IN_THE_DAY.match(t, f.end):
            out[i] = replace(f, home=True)
    return out


# "The day before": the day before the date the text named last ("Putin sprach am 9. ... von der Explosion am Vortag",
# "vendredi 9 mai ... les cardinaux qui l'ont élu la veille"), or before publication if none came first. Not "the eve
# of" something ("la veille du scrutin", "the day before the vote", "the day before her visit"), nor with its own date
# after it ("la veille, dimanche"). Russian "накануне" is left out: it is as often "on the eve of" with no preposition.
_DAY_BEFORE_WORDS = {
    "en": ["the day before", "the previous day", "a day earlier", "the day prior"],
    "de": ["am Vortag", "tags zuvor", "einen Tag zuvor", "einen Tag vorher"],
    "fr": ["la veille"],
    "es": ["la víspera", "el día anterior", "un día antes"],
    "it": ["il giorno prima", "il giorno precedente", "la vigilia"],
    "pt": ["na véspera", "no dia anterior", "um dia antes"],
    "nl": ["de dag ervoor", "de dag daarvoor", "een dag eerder"],
    "pl": ["dzień wcześniej", "poprzedniego dnia"],
    "ar": ["في اليوم السابق", "قبل ذلك بيوم"],
    "zh": ["前一天", "前一日"],
    "ja": ["前日"],
    "ko": ["전날"],
}
_DAY_BEFORE = {
    # Chinese and Japanese write no spaces: "介绍前一天与..." has a letter on both sides of the words
    lang: re.compile(("" if lang in ("zh", "ja") else _B)
                     + f"(?:{'|'.join(re.escape(w) for w in sorted(ws, key=len, reverse=True))})"
                     + (_E if lang not in ("zh", "ja", "ko") else ""), re.IGNORECASE)
    for lang, ws in _DAY_BEFORE_WORDS.items()
}
# Nor a market's "against the day before" ("前日比485円安", "前一日比"), which names no day's happening.
_EVE_OF = re.compile(r"\s*(?:of|the|an?|his|her|its|their|de|du|des|d['’]|del|della|dello|dei|di|do|da|dos|das"
                     r"|son|sa|ses|leur|su|sus|von|vom|der|van|przed)\b"
                     r"|\s*(?:لل|ل)|比", re.IGNORECASE)
_OWN_DATE_GAP = 8  # "la veille, dimanche", "the day before, on Sunday": the date that follows is the one meant


def _days_before(t: str, text: str, found: list[FoundDate], pattern: re.Pattern[str], ref: dt.date | None,
                 free: Callable[[int, int], bool]) -> list[FoundDate]:
    added: list[FoundDate] = []
    for mt in pattern.finditer(t):
        s, e = mt.span()
        if not free(s, e) or _EVE_OF.match(t, e):
            continue
        if any(0 <= f.start - e <= _OWN_DATE_GAP for f in found):
            continue
        before = [f for f in found if f.end <= s and f.date is not None and not f.stamp and not f.future]
        anchor = before[-1].date if before else ref
        if anchor is None:
            continue
        added.append(FoundDate(anchor - dt.timedelta(days=1), text[s:e], s, e, True, "day"))
    return sorted(found + added, key=lambda f: f.start) if added else found


# Between two words for one day: a weekday and the date that follows it, "vendredi 1er mars", "Friday, March 1", "am
# Freitag, den 1. März", "วันพฤหัสบดีที่ 24" (Thursday the 24th), or "ieri, domenica"
DATE_APPOSITION_GAP = re.compile(r"[\s,،]*(?:(?:الماضي|الماضية|dernier|pasado|passado|scorso)[\s,،]*)?[(（]?\s*"
                                 r"(?:(?:den|the|le|el|il|de)\s+|ที่\s*)?", re.IGNORECASE)
# between a date and the weekday after it: "24 Haziran 2019 Pazartesi", "3月1日（月）"
_DATE_WEEKDAY_GAP = re.compile(r"[\s,،(（]*")


def _weekdays_with_their_dates(t: str, found: list[FoundDate]) -> list[FoundDate]:
    """A weekday written next to a date of that weekday names that date: "vendredi 1er mars" published on 1 March
    is that Friday, whatever else the words around the weekday suggest (a week back, or ahead); so is the weekday
    after it, "24 Haziran 2019 Pazartesi", which is also a stamp when the date is one. Either way the weekday is
    then part of a written date ("explicit"), not an "on Wednesday" that places the day in the days just past."""
    out = list(found)
    for i, f in enumerate(out[:-1]):
        g = out[i + 1]
        if f.date is None or g.date is None or f.date.weekday() != g.date.weekday():
            continue
        if f.kind == "weekday" and g.kind == "explicit":
            if DATE_APPOSITION_GAP.fullmatch(t, f.end, g.start):
                out[i] = replace(f, date=g.date, future=g.future, kind="explicit")
        elif f.kind == "explicit" and g.kind == "weekday" and _DATE_WEEKDAY_GAP.fullmatch(t, f.end, g.start):
            out[i + 1] = replace(g, date=f.date, future=f.future, stamp=f.stamp, kind="explicit")
    return out


# An English weekday in the possessive ("Saturday's crash", "last Thursday's bombings") more than this many days before
# the reference day names a happening the report recalls, not its own: reports of a happening come within two days
# of it, and a follow-up names the first happening so (a premier's visit to "the site of Saturday's crash"; a city
# "fell silent for the victims of last Thursday's bombings"). Nearer, it is as often the news ("won Tuesday's
# election"). bench/happened_dates.py over 3,332 reports: exact 2,162 -> 2,168, the day used 2,352 -> 2,361, none lost.
POSSESSIVE_RECALLED_DAYS = 2


def _resolve_weekday(
    text: str,
    t: str,
    s: int,
    e: int,
    idx: int,
    ref: dt.date | None,
    fut: re.Pattern[str] | None,
    past: re.Pattern[str] | None,
    language: str = "",
) -> FoundDate:
    # Most recent such weekday on or before the reference; "will ... on Wednesday" goes forward instead.
    before = t[max(0, s - 40) : s]
    cut = max(before.rfind("."), before.rfind("\n"), before.rfind("!"), before.rfind("?"))
    before = before[cut + 1 :]
    # and the two words after it, in the same clause: "el domingo irá por la tercera estrella", "domenica si
    # giocherà", "am Sonntag wird gewählt", "vendredi prochain", "الأحد المقبل"
    after = " ".join(_WORDS.findall(_CLAUSE.match(t, e).group(0))[:2])
    is_future = bool(fut and (fut.search(before + " " + t[s:e]) or fut.search(after)))
    if ref is None:
        return FoundDate(None, text[s:e], s, e, True, "weekday", future=is_future, weekday=idx)
    back = (ref.weekday() - idx) % 7
    if is_future:
        # "will be received this Monday" on a Monday is today; "will meet on Monday" on a Monday, next week's
        this = back == 0 and _THIS_DAY.search(" ".join(_WORDS.findall(before)[-1:])) is not None
        fwd = 0 if this else (idx - ref.weekday()) % 7 or 7
        d = ref + dt.timedelta(days=fwd)
    else:
        # "last Friday", "last week Thursday", "am vergangenen Freitag", but "vendredi dernier", "el viernes pasado",
        # "الجمعة الماضية": words next to the weekday, not any word before it ("un dernier hommage vendredi")
        adjacent = " ".join(_WORDS.findall(before)[-2 if language in _PAST_CUE_FIRST else -1:]
                            + _WORDS.findall(t, e, e + 24)[:1])
        if back == 0 and past and past.search(adjacent):
            back = 7
        d = ref - dt.timedelta(days=back)
    return FoundDate(d, text[s:e], s, e, True, "weekday", future=is_future)
