"""Cleaning: strip boilerplate and read title, outlet, dateline and publication date from the text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tidings.articles import Article, RawDocument
from tidings.registry import register

# Lines that web pages and blogs wrap around an article. Matched case-insensitively against
# whole lines at the head or tail of the text only, so a sentence in the body is never cut.
_BOILERPLATE = re.compile(
    r"^(no comments?:?|post a comment|\d+ comments?:?|leave a (comment|reply)|share (this|on)\b.*|"
    r"read more\b.*|related( articles| posts| stories)?:?|tags?:.*|subscribe\b.*|follow us\b.*|"
    r"all rights reserved.*|©.*|copyright\b.*|advertisement|anzeige|werbung|mehr zum thema.*|"
    r"kommentare?:?|teilen|print|email|newer post|older post|home|إقرأ أيضا.*|اقرأ أيضا.*|شارك.*)$",
    re.IGNORECASE,
)
# Debris such as a page counter "342/" or a lone bullet: no letters at all.
_DEBRIS = re.compile(r"^[\W\d_]{0,12}$")
_SENTENCE_END = re.compile(r"[.!?؟。！？:;…\"”»]$")
_STAMP = re.compile(r"^\W*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\w+\.? \d{1,2},? \d{4}|\d{1,2}\.? \w+\.? \d{4})"
                    r"([\s,-–—|]+\d{1,2}[:.]\d{2}(\s*(am|pm|utc|gmt|cet|cest))?)?\W*$", re.IGNORECASE)
# "Teheran/Moskau (ParsToday/PressTV) -", "TEHRAN –", "Tehran, Iran –": a short place line, an
# optional agency in brackets, then a dash, at the very start of the body.
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÖØ-Þ\u0400-\u042F][\w'’.]*(?:[ ,/]+[A-ZÀ-ÖØ-Þ\u0400-\u042F][\w'’.]*){0,3})"
    r"\s*(?:\((?P<agency>[^()\n]{2,60})\))?\s*[–—-]{1,2}\s+"
)
_ATTRIBUTION = [
    re.compile(r"^Wie (?:die |der |das )?(?P<outlet>[^,]{3,80}?) (?:berichtet|berichtete|meldet|meldete),\s*"),
    re.compile(r"^(?:According to|As reported by) (?:the )?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Selon|D'après) (?:l[ae'] ?)?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Según|De acuerdo con) (?:el |la )?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Как сообщает|По данным|Как передает) (?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:وفقا ل|حسب |بحسب )(?P<outlet>[^،,]{3,60}?)[،,]\s*"),
]


@dataclass
class _Head:
    title: str | None = None
    published: dt.datetime | None = None


def _parse_stamp(line: str) -> dt.datetime | None:
    if len(line) > 60 or not _STAMP.match(line) or not re.search(r"\d{4}", line):
        return None
    import dateparser

    return dateparser.parse(line.replace(" - ", " "), settings={"REQUIRE_PARTS": ["day", "month", "year"]})


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate and debris lines from the head and the tail of the text."""
    def junk(line: str) -> bool:
        s = line.strip()
        return not s or bool(_BOILERPLATE.match(s)) or bool(_DEBRIS.match(s))

    start, end = 0, len(lines)
    while start < end and junk(lines[start]):
        start += 1
    while end > start and junk(lines[end - 1]):
        end -= 1
    return lines[start:end]


@register("cleaner", "rules")
class RuleCleaner:
    """RawDocument -> Article: boilerplate removed, head metadata read, body normalised."""

    def __init__(self, max_title_chars: int = 160) -> None:
        self.max_title_chars = max_title_chars

    def __call__(self, doc: RawDocument) -> Article:
        lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in doc.text.replace("\r", "").split("\n")]
        lines = strip_boilerplate(lines)
        head = self._read_head(lines, doc)
        body_lines = [line for line in lines if line]
        text = "\n".join(body_lines)
        dateline, outlet, text = self._read_lead(text)
        published = doc.published or head.published
        return Article(
            id=doc.id,
            text=text,
            source=doc.source,
            title=doc.title or head.title,
            url=doc.url,
            outlet=doc.outlet or outlet,
            dateline=dateline,
            published=published.date() if published else None,
            language=doc.language,
        )

    def _read_head(self, lines: list[str], doc: RawDocument) -> _Head:
        """A title line and a publication stamp among the first lines; removed from ``lines``."""
        head = _Head()
        nonempty = [i for i, line in enumerate(lines) if line][:4]
        remove: list[int] = []
        for pos, i in enumerate(nonempty):
            line = lines[i]
            stamp = _parse_stamp(line)
            if stamp is not None:
                head.published = head.published or stamp
                remove.append(i)
                continue
            # A title is a short first line without closing punctuation, followed by more text.
            if (pos == 0 and not doc.title and len(line) <= self.max_title_chars
                    and not _SENTENCE_END.search(line) and len(nonempty) > 1):
                head.title = line
                remove.append(i)
        for i in reversed(remove):
            lines[i] = ""
        return head

    def _read_lead(self, text: str) -> tuple[str | None, str | None, str]:
        """Dateline and source attribution at the start of the body, cut from it."""
        dateline = outlet = None
        m = _DATELINE.match(text)
        if m and len(m.group("place")) <= 60:
            dateline = m.group("place").strip(" ,")
            outlet = m.group("agency")
            text = text[m.end():]
        for pattern in _ATTRIBUTION:
            m = pattern.match(text)
            if m:
                outlet = outlet or m.group("outlet").strip()
                rest = text[m.end():]
                text = rest[:1].upper() + rest[1:]
                break
        return dateline, outlet, text
