"""Event detection: assign each new article, online and in arrival order, to a happening.

Candidates come from the nearest-neighbour index over chunk vectors (so one article costs about
the same however large the store is), are filtered by a time window on the dates of the
happenings, and are scored in full with the pair scorer. An article that reaches the threshold
for two events bridges them: they merge, and the absorbed id keeps resolving to the survivor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, OrderedDict, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection

from tidings.articles import Article
from tidings.facts import Facts, katakana_skeleton, name_aliases
from tidings.index import Days, VectorIndex
from tidings.registry import register
from tidings.similarity import NUMBER_CHARS, ArticleView, PairScorer, entity_ids, text_numbers, with_countries
from tidings.store import Store, StoredArticle, StoredEvent, mean_vector


@dataclass
class Assignment:
    event_id: str
    created: bool
    score: float                         # probability of the best match (1.0 for a copy, 0 for new)
    merged: list[str] = field(default_factory=list)   # event ids merged into event_id
    matched_article: str | None = None
    # (seq, probability) of undated articles in other events that this article claims for its own (``assign``)
    claims: list[tuple[int, float]] = field(default_factory=list)


def _claims(undated: list[tuple[StoredArticle, float]], target: str, merged: list[str], threshold: float
            ) -> list[tuple[int, float]]:
    """The undated articles of other events that a new article claims: it scores at the threshold or more against
    one, and higher than that one scored when it joined its event (a store without that score keeps it where it is)."""
    best: dict[int, float] = {}
    for cand, p in undated:
        joined = 1.0 if cand.event_score is None else cand.event_score  # 0.0: it founded its event unopposed
        if cand.event_id not in (target, *merged) and p >= threshold and p > joined:
            best[cand.seq] = max(p, best.get(cand.seq, 0.0))
    return sorted(best.items())


def facts_from_dict(data: dict | None) -> Any:
    return Facts.from_dict(data) if data else None


def view_of(article: StoredArticle, vectors: np.ndarray) -> ArticleView:
    """The scorer's view of a stored article read in full (not ``light``: its numbers come from the text)."""
    return ArticleView(vectors=vectors, language=article.language, facts=facts_from_dict(article.facts),
                       date=article.date, title=article.title, numbers=text_numbers(article.text))


def _countries(where: Mapping[str, list]) -> set[str]:
    """The countries among an event's places, a city or region standing for its country (and a dependent
    territory for its state), as the pair scorer counts them."""
    return {p for p in with_countries(set(where)) if p.startswith("country:")}


def new_event_id(article: Article) -> str:
    """Derived from the founding article, so the same input in the same order gives the same ids; a newer version of
    an article that was alone in its event founds it again under its id (``Article.event_hint``)."""
    hint = getattr(article, "event_hint", None)
    return hint or "ev-" + hashlib.sha1(article.content_hash.encode()).hexdigest()[:12]


def _within(date: dt.date | None, ev: StoredEvent, window: dt.timedelta) -> bool:
    if date is None or ev.date_min is None or ev.date_max is None:
        return True  # an unknown date cannot rule a candidate out
    return ev.date_min - window <= date <= ev.date_max + window


# Days between a new article's date and an event's dated reports from which an undated member of the event is scored
# at the event's day (``OnlineEventDetector._view``). Reports of one happening come up to two days after it; with
# the undated member placed at its event's days whatever the distance, held-out 25 lost 0.013.
INHERITED_DATE_MIN_DAYS = 3
# ... or two days, where the event's reports read its day from their texts (``StoredEvent.date``): a report that reads
# a day two days from it tells of another happening (held-out 36: Pfizer's final result two days after Moderna's).
INHERITED_READ_MIN_DAYS = 2
# The stream's clock holds where, of the last CLOCK_CHECKS undated articles that reached one event without doubt, at
# least CLOCK_CHECKS_MIN did and every one of them reached an event of the feed's time (``_clock_holds``). A live feed
# passes; a folder whose undated pages come with pages of other years does not (one failure allowed in ten cost reserved
# held-out 27 0.015: a page of another year, in a folder otherwise in order, was shut out of its own event).
CLOCK_CHECKS = 10
CLOCK_CHECKS_MIN = 5
# The feed's time: this many time windows (a month) around its clock. A report two weeks on (an oil spill's cleanup, a
# massacre reported late) is of the feed's time; a page of another year is not. A reach of one window shut late reports
# out of their events (reserved held-out 39 lost 0.018) and failed the check on them.
CLOCK_REACH_WINDOWS = 3


@register("events", "online")
class OnlineEventDetector:
    """Article -> Assignment, against what the store holds so far."""

    def __init__(self, scorer: PairScorer, threshold: float = 0.45, window_days: int = 10,
                 max_candidates: int = 24, neighbours: int = 8, merge_margin: float = 0.15,
                 per_event: int = 4, undated_events: int = 8, undated_min_cosine: float = 0.2,
                 split_min: int = 2, split_days: int = 3, split_share: float = 0.5,
                 split_unread_weight: float = 0.5, merge_days: int = 2, undated_merge_days: int = 1,
                 clock_arrivals: int = 8, clock_tolerance_days: int = 2, rehome_undated: bool = True,
                 digest_margin: float = 0.15, common_place_events: int = 4, common_place_days: int = 2,
                 dense_events: int = 40, dense_weight: float = 0.25) -> None:
        self.scorer = scorer
        # A city or region that ``common_place_events`` events of the stream name within ``common_place_days`` of an
        # article's day tells no happening there from another, as a word in every document tells none from another: a
        # local stream names its own city in nearly every report, a dense world stream its capitals (0: never). Counted
        # over the whole stream (``StreamDays``), not the article's candidates: those are a few nearest events, fewer
        # still where the city's happenings merged, and the count could not tell a local stream from a world one.
        self.common_place_events = common_place_events
        self.common_place_days = common_place_days
        # That two reports tell of one day is weaker evidence of one happening where a day holds many happenings: the
        # chance that a look-alike told on the same days is another happening grows with them, and the best of many
        # look-alikes scores higher. The pair scorer was set on streams of at most 26 happenings within a day of each
        # other. Where the stream's events with a report within a day of an article's day number more than
        # ``dense_events``, the odds of each of its pair scores are divided by (events / dense_events) **
        # ``dense_weight`` (0: never). Happenings, not reports: a day of one big story, told by hundreds, holds few
        # look-alikes. See ``bench/events_heldout.py --distractors`` and docs/figures.md, session 48.
        self.dense_events = dense_events
        self.dense_weight = dense_weight
        self._stream_days: dict[str, StreamDays] = {}  # by store
        # A page whose parts tell two happenings (a live blog that opens with another story, a digest) scores high
        # against both events, each through its own part: it merges neither into the other, and a report of one of
        # them does not join the other's event through it. Its parts count as apart where the part nearest each
        # side's report is nearer that report than the other's by ``digest_margin`` in cosine, and the two reports
        # are that much further apart from each other (``parts_apart``; 0: never). Two events of one happening, or
        # two reports of one, match the same part of a report, or lie near each other.
        self.digest_margin = digest_margin
        # An undated page that came before any report of its happening joined the nearest look-alike, often the same
        # cast's happening of another period; when a dated report of its own happening comes and scores higher against
        # it than what it joined with, it moves there (``assign``'s claims). Only in a stream in no order of time
        # (``in_no_order``): in order, an undated page came with its own time's news and where it joined stands
        # (on our spent corpora by date, late moves were wrong as often as right). Needs the clock (``clock_arrivals``).
        self.rehome_undated = rehome_undated
        # The stream's clock: the days of the last ``clock_arrivals`` dated articles, in arrival order. Where they came
        # in order of time (none more than ``clock_tolerance_days`` before the one before it, but one), and the
        # stream's undated pages have been seen to come in their time (``_clock_holds``), a page that gives no date is
        # of their time: it is matched with the events around them only (``CLOCK_REACH_WINDOWS``). An undated report
        # of one summit resembles every summit of its cast; arriving with this month's news, it is not of the summit
        # two years ago. A folder read in no order of time keeps no clock; one whose undated pages come with pages of
        # other years fails the check (unchecked, that cost our reserved corpora up to 0.067 B-cubed F1).
        self._clock: deque[dt.date] = deque(maxlen=max(clock_arrivals, 0))
        self._arrivals: deque[dt.date] = deque(maxlen=max(clock_arrivals, 0))  # the same, never restarted
        # Whether this stream's undated pages do come in their time, by its own evidence (``_clock_holds``): for each
        # undated article that reaches one event without doubt, the clock aside, whether that event lies in its window.
        self._clock_checks: deque[bool] = deque(maxlen=CLOCK_CHECKS)
        self.clock_tolerance = dt.timedelta(days=clock_tolerance_days)
        # A report that scores high against two events merges them only where their dated reports lie at most
        # ``merge_days`` apart, ``undated_merge_days`` for a report without a date (``far_apart``): the dated reports,
        # each scored against the other event, kept them apart (two rounds of talks three days apart, a nuclear plant
        # seized a week after another); what joins the bridge to the farther event is an undated report in it.
        self.merge_days = merge_days
        self.undated_merge_days = undated_merge_days
        # An event whose reports read two days of their own from their texts, each day told by at least
        # ``split_min`` of them and at most ``split_days`` apart, holds two happenings of one cast (a quake and the
        # reactor blast the next day; a ruler's fall and his successor's resignation): one misread report is
        # common, two on one other day rare (3 of 231 gold events of our corpora). 0 turns splitting off. In a large
        # event a few misread reports on one day are to be expected: the second day also needs ``split_share`` of
        # the first's reports (on our corpora the second happening's reports were half the first's or more).
        self.split_min = split_min
        self.split_days = split_days
        self.split_share = split_share
        # Reports that read no day of their own stand for their publication day at this weight when the first day's
        # support is weighed (a big event's same-day flashes say "this morning" or nothing; two misread reports
        # among nine then outnumber nobody).
        self.split_unread_weight = split_unread_weight
        # Candidates scored per event, nearest first: an event of fifty articles needs no fifty pair scores
        # to tell whether a new article belongs to it, and the others' places go to other events.
        self.per_event = per_event
        self.threshold = threshold
        self.window = dt.timedelta(days=window_days)
        self.clock_reach = CLOCK_REACH_WINDOWS * self.window  # the feed's time around the stream's clock
        self.max_candidates = max_candidates
        self.neighbours = neighbours
        self.merge_margin = merge_margin
        self.undated_events = undated_events
        # An undated article's own event has a first article near it as a whole: every same-event pair of our
        # 132 real articles in 14 languages has mean vectors at cosine >= 0.42 (bench/mean_vectors.py). Events
        # whose first article lies below this floor are not where it belongs; their periods are not searched.
        self.undated_min_cosine = undated_min_cosine
        # Parsed facts and numbers of stored articles, by (store, article id): they never change once
        # stored, and the articles of live events are everyone's candidates. Filled as articles are
        # committed (``remember``), read from the store for the others.
        self._known: OrderedDict[tuple[str, str], tuple[Any, frozenset[str], dict]] = OrderedDict()
        self.memory = 50_000

    def candidates(self, vectors: np.ndarray, index: VectorIndex, store: Store, conn: Connection,
                   date: dt.date | None = None, event_index: VectorIndex | None = None,
                   pending: Mapping[str, StoredEvent] | None = None, around: dt.date | None = None) -> list[int]:
        """Article seqs whose chunks are nearest to this article's chunks, best first: at most
        ``max_candidates``, and at most ``per_event`` of any one event. ``date``: the article's; only
        articles within the time window of it can be candidates, so the index need search no further.
        Without a date, ``event_index`` (a vector per event and language, the pipeline's periods index) tells when
        to look (see ``undated_periods``), and
        the stream's day (``around``, see ``stream_day``) where its clock holds."""
        days: Days = None
        if date is not None:
            days = (date.toordinal() - self.window.days, date.toordinal() + self.window.days)
        elif event_index is not None:
            days = self.undated_periods(vectors, event_index, store, conn, pending)
            if around is not None:  # and the stream's time
                reach = self.clock_reach.days
                days = sorted({*days, (around.toordinal() - reach, around.toordinal() + reach)})
        ranked = self._nearest(vectors, index, store, conn, days)[: 4 * self.max_candidates]
        chosen: list[int] = []
        per: Counter[str] = Counter()
        step = self.max_candidates  # event ids read a slice at a time: most articles fill their places early
        for start in range(0, len(ranked), step):
            part = ranked[start:start + step]
            owners = store.event_ids_of(part, conn)
            for seq in part:
                event_id = owners.get(seq)
                if event_id is None or per[event_id] >= self.per_event:
                    continue
                per[event_id] += 1
                chosen.append(seq)
                if len(chosen) >= self.max_candidates:
                    return chosen
        return chosen

    def clock_state(self) -> tuple[tuple[dt.date, ...], tuple[dt.date, ...], tuple[bool, ...]]:
        """The stream's clock, its arrivals and its checks as they stand (``restore_clock`` puts them back)."""
        return tuple(self._clock), tuple(self._arrivals), tuple(self._clock_checks)

    def restore_clock(self, state: tuple[tuple[dt.date, ...], tuple[dt.date, ...], tuple[bool, ...]]) -> None:
        """Back to a state ``clock_state`` gave: a rolled-back batch is read again, and its arrivals must tick once."""
        for queue, items in zip((self._clock, self._arrivals, self._clock_checks), state, strict=True):
            queue.clear()
            queue.extend(items)  # type: ignore[arg-type]

    def restart_clock(self) -> None:
        """Forget the stream's clock and its checks (``tick`` does, when a page of another time comes)."""
        self._clock.clear()
        self._clock_checks.clear()

    def _check_clock(self, ranked: list[tuple[str, tuple[float, str]]], evs: Mapping[str, StoredEvent],
                     around: dt.date) -> None:
        """One check of the clock by an undated article that reaches one event without doubt (at the threshold plus
        the merge margin, no other event within the margin): whether that event is of the feed's time."""
        if not ranked or ranked[0][1][0] < self.threshold + self.merge_margin:
            return
        if len(ranked) > 1 and ranked[1][1][0] > ranked[0][1][0] - self.merge_margin:
            return
        self._clock_checks.append(_within(around, evs[ranked[0][0]], self.clock_reach))

    def _clock_holds(self) -> bool:
        """Whether the stream's undated pages come in their time: of the last ``CLOCK_CHECKS`` checks
        (``_check_clock``), at least ``CLOCK_CHECKS_MIN``, and none failed."""
        checks = list(self._clock_checks)
        return len(checks) >= CLOCK_CHECKS_MIN and checks.count(False) == 0

    def tick(self, day: dt.date | None) -> None:
        """The stream's clock moves on with each dated arrival (``stream_day``). One from before the feed's time starts
        it again, checks and all: it begins another stream (a folder of older pages read after today's news), whose
        undated pages are of its own time, not the last one's. A live feed posted one article at a time keeps its
        clock from post to post."""
        if day is None or not self._clock.maxlen:
            return
        self._arrivals.append(day)
        if self._clock and day < max(self._clock) - self.clock_reach:
            self.restart_clock()
        self._clock.append(day)

    def in_no_order(self) -> bool:
        """Whether the last ``clock_arrivals`` dated arrivals came in no order of time: two or more of them each more
        than ``clock_tolerance_days`` before the one before it (a folder of older pages read after today's news has
        one such arrival, where it starts; a shuffled archive has most), as ``stream_day`` counts them, but over
        arrivals a restart of the clock does not clear. Not known (False) while fewer have come."""
        days = list(self._arrivals)
        if not days or len(days) < (self._arrivals.maxlen or 1):
            return False
        return self._late(days) >= 2

    def stream_day(self) -> dt.date | None:
        """The day the stream has reached, where its last dated arrivals came in order of time (one late arrival
        allowed): the latest of the last three. None while fewer have come, or where they came in no order."""
        days = list(self._clock)
        if not days or len(days) < (self._clock.maxlen or 1):
            return None
        return max(days[-3:]) if self._late(days) <= 1 else None

    def _late(self, days: list[dt.date]) -> int:
        """Arrivals more than ``clock_tolerance_days`` before the one before them."""
        return sum(1 for a, b in zip(days, days[1:], strict=False) if b < a - self.clock_tolerance)

    def two_happenings(self, happened: Mapping[str, int], unread: Mapping[str, int] | None = None
                       ) -> tuple[dt.date, dt.date] | None:
        """(the day most reports read, the other day) when an event's read days (ISO day -> reports) tell two
        happenings; which of them keeps the event is ``split_off``'s choice. ``unread``: publication days (ISO day
        -> reports) of the reports that read no day, weighed by ``split_unread_weight``."""
        if self.split_min < 1:
            return None
        top = sorted(happened.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        if len(top) < 2:
            return None
        first_support = top[0][1] + self.split_unread_weight * (unread or {}).get(top[0][0], 0)
        if top[1][1] < max(self.split_min, self.split_share * first_support):
            return None
        first, second = dt.date.fromisoformat(top[0][0]), dt.date.fromisoformat(top[1][0])
        if not 0 < abs((first - second).days) <= self.split_days:
            return None
        return first, second

    @staticmethod
    def elsewhere(where_a: Mapping[str, list], where_b: Mapping[str, list]) -> bool:
        """Two events' places (``EventTally.where``) lie in different countries: each names a country or a city
        of one, and none of them is shared. Such events are not merged, whatever one article bridging them says
        (a report of one mine blast that recalls the other country's mine rescue of the same day)."""
        a, b = _countries(where_a), _countries(where_b)
        return bool(a) and bool(b) and not a & b

    def far_apart(self, a: EventTally, b: EventTally, bridge_dated: bool = True) -> bool:
        """Two events may not be merged by the report that scores high against both: their days (of their dated
        reports) lie more than ``merge_days`` apart, or, for a report without a date (``bridge_dated`` False), more
        than ``undated_merge_days`` apart or one of them has no dated report at all. Two events whose dated reports
        lie days apart were kept apart by those reports' own dates, each scored against the other event; the one
        report that scores high against both does so through a report of the farther event that gives no date. An
        undated report is compared with events of every period it resembles and would otherwise merge two
        earthquakes, two rate decisions or two summits of one cast years apart; in a folder of undated pages nothing
        but that one report would place two events in one period."""
        if not (a.date_min and a.date_max and b.date_min and b.date_max):
            return not bridge_dated
        gap = max(dt.date.fromisoformat(b.date_min) - dt.date.fromisoformat(a.date_max),
                  dt.date.fromisoformat(a.date_min) - dt.date.fromisoformat(b.date_max))
        return gap.days > (self.merge_days if bridge_dated else self.undated_merge_days)

    def parts_apart(self, vectors: np.ndarray, a: np.ndarray | None, b: np.ndarray | None) -> bool:
        """Whether different parts (chunks) of an article are nearest to the reports ``a`` and ``b`` (chunk
        vectors, unit length), each by ``digest_margin`` more than to the other report, and the two reports lie
        that much further apart from each other: the article tells two happenings, one in each part (held-out 50: a
        live blog of the Greek austerity vote that opens with the Merkel-Cameron dinner, 0.70 against the dinner in
        its first part and 0.36-0.38 against the vote's reports, 0.53-0.67 against those in its other parts). Two
        reports of one happening that each tell another part of a long report are near each other."""
        if self.digest_margin <= 0 or a is None or b is None or len(vectors) < 2:
            return False
        near_a, near_b = (vectors @ a.T).max(axis=1), (vectors @ b.T).max(axis=1)
        ia, ib = int(near_a.argmax()), int(near_b.argmax())
        return (ia != ib and near_a[ia] - near_b[ia] >= self.digest_margin
                and near_b[ib] - near_a[ib] >= self.digest_margin
                and min(near_a[ia], near_b[ib]) - float((a @ b.T).max()) >= self.digest_margin)

    def _other_part(self, vectors: np.ndarray, cand: StoredArticle, scored: list[StoredArticle],
                    vecs: Mapping[int, np.ndarray], store: Store, conn: Connection) -> bool:
        """Whether a new article (chunk ``vectors``) matches a page of several parts (``cand``) through another part
        than the one a fellow report of the page's event matches (``parts_apart``): the page tells two happenings
        and joined the event of the other one (held-out 50: the Greek austerity vote's reports joined the
        Merkel-Cameron dinner through a live blog of the vote that opens with the dinner)."""
        own = vecs.get(cand.seq)
        if self.digest_margin <= 0 or own is None or len(own) < 2 or not cand.event_id:
            return False
        mate = next((c.seq for c in scored if c.event_id == cand.event_id and c.seq != cand.seq and c.seq in vecs),
                    None)
        if mate is None:  # no fellow report among the candidates: the event's latest other one
            mate = next((s for s in reversed(store.member_seqs(cand.event_id, conn, last=2)) if s != cand.seq), None)
        if mate is None:
            return False
        mate_vectors = vecs.get(mate)
        if mate_vectors is None:
            mate_vectors = store.vectors_of([mate], conn).get(mate)
        return mate_vectors is not None and self.parts_apart(own, vectors, mate_vectors)

    def split_off(self, members: list[StoredArticle]) -> list[StoredArticle]:
        """The members of an event that report its second happening (``two_happenings``): those whose read day is
        nearer the day of the group without the event's first report. Reports with no day read stay."""
        originals = [a for a in members if not a.duplicate_of]  # copies count once, with their original
        days = self.two_happenings(Counter(a.happened.isoformat() for a in originals if a.happened),
                                   Counter(a.published.isoformat() for a in originals
                                           if a.happened is None and a.published is not None))
        if days is None:
            return []
        founder = min(members, key=lambda a: a.seq)
        keep, move = days
        if founder.happened is not None and abs((founder.happened - move).days) < abs((founder.happened - keep).days):
            keep, move = move, keep  # the event's id stays with its first report
        return [a for a in members if a.happened is not None
                and abs((a.happened - move).days) < abs((a.happened - keep).days)]

    def undated_periods(self, vectors: np.ndarray, event_index: VectorIndex, store: Store, conn: Connection,
                        pending: Mapping[str, StoredEvent] | None = None) -> list[tuple[int, int]]:
        """Where in time an article without a date may find its happening: the spans (± the window) of the
        ``undated_events`` events whose first article in some language is nearest to it as a whole (and not below
        ``undated_min_cosine``). A time-sharded index then searches those periods and the undated articles,
        not every period of a long archive; an event it has no vector near is missed, which a search of
        every period would have found. One vector per language, not per event: an article lies nearest reports in
        its own language, and an event first reported in another was missed (held-out 41 read in no order: an
        undated English report of the Osaka meeting, that event then holding a Korean and a Japanese report, joined
        the tariff rise of seven weeks before)."""
        sims, founders = event_index.search(mean_vector(vectors)[None], self.undated_events)
        near = [int(s) for c, s in zip(sims.ravel().tolist(), founders.ravel().tolist(), strict=True)
                if s >= 0 and c >= self.undated_min_cosine]
        owners = store.event_ids_of(near, conn)
        ids, pending = sorted({i for i in owners.values() if i}), pending or {}
        # Events this batch created or grew are not written yet: their state in ``pending`` is the current one.
        events = store.events(ids=[i for i in ids if i not in pending], conn=conn, light=True) + \
            [pending[i] for i in ids if i in pending]
        spans = [(e.date_min.toordinal() - self.window.days, e.date_max.toordinal() + self.window.days)
                 for e in events if e.date_min is not None and e.date_max is not None]
        return sorted(set(spans))

    def _nearest(self, vectors: np.ndarray, index: VectorIndex, store: Store, conn: Connection,
                 days: Days = None) -> list[int]:
        """All article seqs found near this article's chunks, by summed best chunk similarity."""
        sims, seqs = index.search(vectors, self.neighbours, days)  # the chunk index is keyed by article seq
        votes: dict[int, float] = defaultdict(float)
        for row_sims, row_seqs in zip(sims, seqs, strict=True):
            best_per_article: dict[int, float] = {}
            for s, seq in zip(row_sims.tolist(), row_seqs.tolist(), strict=True):
                if seq >= 0:
                    best_per_article[seq] = max(best_per_article.get(seq, -1.0), s)
            for seq, s in best_per_article.items():
                votes[seq] += s
        return [seq for seq, _ in sorted(votes.items(), key=lambda kv: -kv[1])]

    def remember(self, store: Store, article_id: str, facts: Any, numbers: frozenset[str],
                 memo: dict | None = None) -> None:
        """What scoring needs of an article just stored (its facts, its numbers, what the scorer derived
        from them), kept for when it is a candidate. Keyed by article id, not seq: a rolled-back batch
        gives its seqs out again."""
        self._known[(store.url, article_id)] = (facts, numbers, {} if memo is None else memo)
        while len(self._known) > self.memory:
            self._known.popitem(last=False)

    def _note_day(self, store: Store, article: Article, event_id: str) -> None:
        """The article as one more report of its day, naming its cities and regions in ``event_id`` (its event is
        about to be stored)."""
        day = article.happened or article.published
        if (self.common_place_events or self.dense_weight) and day is not None:
            self._days_of(store).note(day, event_id, entity_ids(article.facts, "where", PLACE_KINDS))

    def forget_articles(self, store: Store, article_ids: Iterable[str]) -> None:
        """Drop what was remembered of these articles (replaced by newer versions, or deleted): their facts and numbers
        are read again from the store when they are candidates."""
        for article_id in article_ids:
            self._known.pop((store.url, article_id), None)

    def forget(self) -> None:
        """Drop what was remembered (after a rolled-back batch: some of it was never stored)."""
        self._known.clear()
        self._stream_days.clear()  # read again from the store, which holds what was committed

    def recall(self, store: Store, cands: list[StoredArticle], conn: Connection) -> None:
        """Facts and numbers of stored articles, from what this detector remembers or else from the store."""
        missing = [c.id for c in cands if (store.url, c.id) not in self._known]
        if missing:
            for aid, (facts, head) in store.facts_and_heads(missing, NUMBER_CHARS, conn).items():
                self.remember(store, aid, facts_from_dict(facts), text_numbers(head))
        for c in cands:
            if (store.url, c.id) in self._known:
                self._known.move_to_end((store.url, c.id))

    def _view(self, store: Store, cand: StoredArticle, vectors: np.ndarray, event: StoredEvent | None = None,
              date: dt.date | None = None) -> ArticleView:
        """A stored candidate as the scorer sees it. A candidate that read no day from its text (undated, or dated by
        its publication only) stands at the day its event's reports read (``StoredEvent.date``), as a date read from
        its own text, when that lies ``INHERITED_READ_MIN_DAYS`` or more from ``date`` (the new article's). An
        undated one in an event whose reports read no day stands at the event's publication day nearest ``date``,
        ``INHERITED_DATE_MIN_DAYS`` or more away. The event's reports placed it there, and a report of the same cast's
        next happening a week later (the maternity hospital struck on a Wednesday, the theatre the next) would otherwise
        meet it with no date to tell the two apart. Nearer, the event's days say too little (reports read a happening's
        day a day off; publication days are as often a day or two after it)."""
        facts, numbers, memo = self._known.get((store.url, cand.id), (None, None, {}))
        day, read = cand.date, False
        if cand.happened is None and date is not None and event is not None:
            if event.date is not None:
                # The day most of the event's reports read. Not the end of its days nearest ``date``: that end moves
                # as reports a day or two apart join, and an undated report placed there would follow it. Nor a
                # publication day, a day or two after what a report tells (held-out 37: a report of Mali's coup of
                # the 18th published on the 19th let the West African summit of the 20th join the coup).
                if abs((date - event.date).days) >= INHERITED_READ_MIN_DAYS:
                    day, read = event.date, True
            elif day is None and event.date_min and event.date_max:
                near = min(max(date, event.date_min), event.date_max)
                if abs((date - near).days) >= INHERITED_DATE_MIN_DAYS:
                    day = near
        return ArticleView(vectors=vectors, language=cand.language, facts=facts, date=day, title=cand.title,
                           numbers=numbers, memo=memo, date_read=read)

    def _common_places(self, view: ArticleView, day: dt.date | None, store: Store, conn: Connection) -> frozenset[str]:
        """The article's cities and regions that ``common_place_events`` events of the stream name within
        ``common_place_days`` of ``day``, its own or, undated, the stream's."""
        mine = entity_ids(view.facts, "where", PLACE_KINDS)
        if not mine or day is None:
            return frozenset()
        days = self._days_of(store).around(day, self.common_place_days, store, conn)
        return frozenset(p for p in mine
                         if len(set().union(*(d.get(p, ()) for d in days))) >= self.common_place_events)

    def _density_discount(self, day: dt.date | None, store: Store, conn: Connection) -> float:
        """How much less likely one happening is, in log odds, for the article's pairs, by how many events of the
        stream have a report within a day of ``day`` (``dense_events``): 0 for an undated article, or a stream no
        denser."""
        if day is None or not self.dense_weight or self.dense_events <= 0:
            return 0.0
        events = self._days_of(store).events(day, 1, store, conn)
        return self.dense_weight * math.log(events / self.dense_events) if events > self.dense_events else 0.0

    def _days_of(self, store: Store) -> StreamDays:
        if store.url not in self._stream_days:
            self._stream_days[store.url] = StreamDays()
        return self._stream_days[store.url]

    def assign(self, article: Article, index: VectorIndex, store: Store, conn: Connection,
               pending: Mapping[str, StoredEvent] | None = None, event_index: VectorIndex | None = None
               ) -> Assignment:
        """``pending``: events changed earlier in this batch and not yet written, newest state.
        ``event_index``: a vector per event and language, to place an undated article in time (``candidates``)."""
        vectors = article.vectors
        view = ArticleView(vectors=vectors, language=article.language, facts=article.facts,
                           date=article.happened or article.published, title=article.title,
                           numbers=text_numbers(article.text))
        around = self.stream_day() if view.date is None else None
        self.tick(article.published or article.happened)
        claiming = self.rehome_undated and view.date is not None and self.in_no_order()
        undated: list[tuple[StoredArticle, float]] = []  # undated candidates in events, with this article's score
        holds = around is not None and self._clock_holds()
        seqs = self.candidates(vectors, index, store, conn, view.date, event_index, pending, around if holds else None)
        evs: dict[str, StoredEvent] = {}
        best_by_event: dict[str, tuple[float, str]] = {}
        best_vectors: dict[str, np.ndarray] = {}  # chunk vectors of each event's best-scoring report
        same_day: set[str] = set()  # events with a scored report that reads the article's own day
        if seqs:
            discount = self._density_discount(view.date, store, conn)
            stored = store.articles(seqs=seqs, conn=conn, light=True, facts=False)
            event_ids = sorted({a.event_id for a in stored if a.event_id})
            pending = pending or {}
            evs = {e.id: e for e in store.events(ids=[i for i in event_ids if i not in pending], conn=conn,
                                                 light=True)}
            evs.update({i: pending[i] for i in event_ids if i in pending})
            # Dates first: vectors and facts are read only for candidates inside the time window (in a dense
            # window, about a third of those the index finds; the graphs it searches span whole periods).
            scored = [c for c in stored if (ev := evs.get(c.event_id or "")) is not None
                      and _within(view.date, ev, self.window)
                      and not (view.date and c.date and abs(view.date - c.date) > self.window)]
            # undated pages in events of other periods, which this article may claim (scored on their own text)
            strays = [c for c in stored if claiming and c.date is None and not c.duplicate_of
                      and (ev := evs.get(c.event_id or "")) is not None and not _within(view.date, ev, self.window)]
            vecs = store.vectors_of([c.seq for c in scored + strays], conn)
            self.recall(store, scored + strays, conn)
            if self.common_place_events:
                view.common = self._common_places(view, view.date or around, store, conn)
            for cand in strays:
                if cand.seq in vecs:
                    undated.append((cand, _discounted(
                        self.scorer.score(view, self._view(store, cand, vecs[cand.seq])).probability, discount)))
            for cand in scored:
                ev = evs[cand.event_id or ""]
                if cand.seq not in vecs:
                    continue
                scored_pair = self.scorer.score(view, self._view(store, cand, vecs[cand.seq], ev, view.date))
                p = _discounted(scored_pair.probability, discount)
                if claiming and cand.date is None and not cand.duplicate_of:
                    undated.append((cand, p))
                if p >= self.threshold and self._other_part(vectors, cand, scored, vecs, store, conn):
                    continue  # a digest of two happenings, matched through the part its event's reports do not tell
                if article.happened is not None and cand.happened == article.happened:
                    same_day.add(ev.id)
                if p > best_by_event.get(ev.id, (-1.0, ""))[0]:
                    best_by_event[ev.id] = (p, cand.id)
                    best_vectors[ev.id] = vecs[cand.seq]
        # Kept for when this article is a candidate in its turn (``forget`` if it is not stored after all).
        self.remember(store, article.id, article.facts, view.numbers or frozenset(), view.memo)
        ranked = sorted(best_by_event.items(), key=lambda kv: -kv[1][0])
        if around is not None:
            self._check_clock(ranked, evs, around)
            if holds:  # the stream's undated pages come in their time: this one is of the feed's time
                ranked = [kv for kv in ranked if _within(around, evs[kv[0]], self.clock_reach)]
        if same_day and self.split_min > 0:
            ranked = same_day_first(ranked, same_day, {k: evs[k].date for k, _ in ranked}, self.threshold)
        if not ranked or ranked[0][1][0] < self.threshold:
            target = new_event_id(article)
            self._note_day(store, article, target)
            return Assignment(target, created=True, score=ranked[0][1][0] if ranked else 0.0,
                              claims=_claims(undated, target, [], self.threshold))
        target, (p, matched) = ranked[0]
        self._note_day(store, article, target)
        merged = [eid for eid, (q, _) in ranked[1:] if q >= self.threshold + self.merge_margin
                  and not self.parts_apart(vectors, best_vectors.get(target), best_vectors.get(eid))]
        return Assignment(target, created=False, score=p, merged=merged, matched_article=matched,
                          claims=_claims(undated, target, merged, self.threshold))


PLACE_KINDS = {"city", "place"}  # the places a local stream's reports share: not countries


class StreamDays:
    """Day by day, the events of the stream and which of them name each city or region: what the store holds, read a
    few days at a time as articles of those days come, and what this process adds to it since (``note``). A cache of
    the store: dropped when a batch is rolled back (``OnlineEventDetector.forget``), the least recently read days first
    beyond ``max_days``."""

    # A dense feed's day holds thousands of reports: a stream read in no order of time reads a day again rather than
    # keep years of them.
    def __init__(self, max_days: int = 64) -> None:
        self._days: OrderedDict[int, dict[str, set[str]]] = OrderedDict()  # day ordinal -> place -> event ids
        self._events: dict[int, set[str]] = {}  # day ordinal -> events with a report of that day, as ``_days``
        self._read: set[int] = set()  # days read from the store
        self.max_days = max_days

    def note(self, day: dt.date, event_id: str, places: set[str]) -> None:
        """A report of ``day`` in ``event_id``, naming ``places``."""
        by_place = self._day(day.toordinal())
        self._events.setdefault(day.toordinal(), set()).add(event_id)
        for place in places:
            by_place.setdefault(place, set()).add(event_id)

    def around(self, day: dt.date, days: int, store: Store, conn: Connection) -> list[dict[str, set[str]]]:
        """Place -> event ids of each day from ``days`` before ``day`` to ``days`` after it."""
        first, last = day.toordinal() - days, day.toordinal() + days
        unread = [o for o in range(first, last + 1) if o not in self._read]
        if unread:
            for on, event_id, where in store.places_by_day(dt.date.fromordinal(unread[0]),
                                                           dt.date.fromordinal(unread[-1]), conn):
                by_place = self._day(on.toordinal())
                self._events.setdefault(on.toordinal(), set()).add(event_id)
                for m in where:
                    if m.get("kind") in PLACE_KINDS:
                        by_place.setdefault(m["id"], set()).add(event_id)
            self._read.update(range(unread[0], unread[-1] + 1))
        out = [self._day(o) for o in range(first, last + 1)]
        while len(self._days) > self.max_days:
            old, _ = self._days.popitem(last=False)
            self._events.pop(old, None)
            self._read.discard(old)
        return out

    def events(self, day: dt.date, days: int, store: Store, conn: Connection) -> int:
        """Events with a report of a day from ``days`` before ``day`` to ``days`` after it."""
        self.around(day, days, store, conn)
        return len(set().union(*(self._events.get(o, ()) for o in range(day.toordinal() - days,
                                                                        day.toordinal() + days + 1))))

    def _day(self, ordinal: int) -> dict[str, set[str]]:
        if ordinal in self._days:
            self._days.move_to_end(ordinal)
        else:
            self._days[ordinal] = {}
        return self._days[ordinal]


def _discounted(p: float, log_odds: float) -> float:
    """``p`` with its log odds lowered by ``log_odds``."""
    if log_odds <= 0.0 or p <= 0.0 or p >= 1.0:
        return p
    return 1.0 / (1.0 + math.exp(log_odds) * (1.0 - p) / p)


def same_day_first(ranked: list[tuple[str, tuple[float, str]]], same_day: set[str],
                   days: Mapping[str, dt.date | None], threshold: float) -> list[tuple[str, tuple[float, str]]]:
    """Events over the threshold, those with a report that reads the article's own day first: the other, a day or
    two off, is the same cast's other happening (an event split in two, or about to be). An event that reads no day
    at all (``days`` None) is no other day's: it keeps its rank by score. ``ranked``: (event, (score, article))."""
    return sorted(ranked, key=lambda kv: (kv[1][0] < threshold, kv[0] not in same_day and days[kv[0]] is not None,
                                          -kv[1][0]))


class EventTally:
    """Running counts over an event's articles: adding one article costs O(its own facts), and the
    summary O(the event's distinct names), so a growing event is not re-read from the store.

    Stored as JSON beside the event (``Store.tallies``); ``absorb`` adds a merged-away event's counts.
    """

    def __init__(self, data: dict | None = None) -> None:
        d = data or {}
        self.size: int = d.get("size", 0)
        self.sources: int = d.get("sources", 0)
        # [seq, title, publication day]: the earliest published titled article wins (arrival order breaks ties and
        # ranks undated ones), so a file read in no order is titled by its first report, not a late follow-up
        self.title: list | None = d.get("title")
        self.fallback: list | None = d.get("fallback")    # [seq, display title, publication day] when none has a title
        self.date_min: str | None = d.get("date_min")
        self.date_max: str | None = d.get("date_max")
        self.languages: Counter[str] = Counter(d.get("languages", {}))
        self.outlets: Counter[str] = Counter(d.get("outlets", {}))
        self.happened: Counter[str] = Counter(d.get("happened", {}))
        self.unread: Counter[str] = Counter(d.get("unread", {}))  # publication days of reports that read no day
        # entity id -> [articles naming it, mentions, name, kind(, katakana skeleton of a name written in katakana)]
        self.who: dict[str, list] = d.get("who", {})
        self.where: dict[str, list] = d.get("where", {})
        self.with_facts: int = d.get("with_facts", 0)

    def to_dict(self) -> dict:
        return {"size": self.size, "sources": self.sources, "title": self.title, "fallback": self.fallback,
                "date_min": self.date_min, "date_max": self.date_max, "languages": dict(self.languages),
                "outlets": dict(self.outlets), "happened": dict(self.happened), "unread": dict(self.unread),
                "who": self.who, "where": self.where, "with_facts": self.with_facts}

    def add(self, seq: int, title: str | None, display_title: str, language: str | None, outlet: str | None,
            date: dt.date | None, copy: bool, facts: Any, published: dt.date | None = None) -> None:
        self.size += 1
        self.sources += 0 if copy else 1
        day = published.isoformat() if published else None
        if title and (self.title is None or _first((seq, title, day), self.title)):
            self.title = [seq, title, day]
        if self.fallback is None or _first((seq, display_title, day), self.fallback):
            self.fallback = [seq, display_title, day]
        if date is not None:
            iso = date.isoformat()
            self.date_min = min(self.date_min or iso, iso)
            self.date_max = max(self.date_max or iso, iso)
        if language:
            self.languages[language] += 1
        if outlet:
            self.outlets[outlet] += 1
        if facts is None:
            return
        self.with_facts += 1
        if copy:
            pass  # a syndicated copy repeats its original's reading of the day: no second report of that day
        elif facts.happened:
            self.happened[facts.happened.isoformat()] += 1
        elif date is not None:  # the publication date stands in
            self.unread[date.isoformat()] += 1
        for field_name in ("who", "where"):
            counts = getattr(self, field_name)
            seen: set[str] = set()
            for m in getattr(facts, field_name):
                row = counts.get(m.entity.id)
                if row is None:
                    kana = katakana_skeleton(m.surface) if m.entity.kind == "person" else None
                    row = counts[m.entity.id] = [0, 0, m.entity.name, m.entity.kind] + ([kana] if kana else [])
                row[1] += 1
                if m.entity.id not in seen:
                    row[0] += 1
                    seen.add(m.entity.id)

    def absorb(self, other: EventTally) -> None:
        self.size += other.size
        self.sources += other.sources
        if other.title and (self.title is None or _first(other.title, self.title)):
            self.title = other.title
        if other.fallback and (self.fallback is None or _first(other.fallback, self.fallback)):
            self.fallback = other.fallback
        dmins = [d for d in (self.date_min, other.date_min) if d]
        dmaxs = [d for d in (self.date_max, other.date_max) if d]
        self.date_min, self.date_max = (min(dmins) if dmins else None), (max(dmaxs) if dmaxs else None)
        self.languages.update(other.languages)
        self.outlets.update(other.outlets)
        self.happened.update(other.happened)
        self.unread.update(other.unread)
        self.with_facts += other.with_facts
        for field_name in ("who", "where"):
            counts = getattr(self, field_name)
            for eid, (n_art, n_men, *rest) in getattr(other, field_name).items():
                row = counts.setdefault(eid, [0, 0, *rest])
                row[0] += n_art
                row[1] += n_men

    def facts(self) -> dict | None:
        """Event-level who/where/when, as ``tidings.facts.aggregate`` gives it: count = articles naming the
        entity, ties broken by mentions; names the lexicon does not know merge into a same-skeleton entity
        (their article counts add up, capped at the event's size)."""
        if not self.with_facts:
            return None
        out: dict = {}
        for field_name in ("who", "where"):
            counts = getattr(self, field_name)
            alias = name_aliases((eid, row[2], row[3], row[0], row[4] if len(row) > 4 else None)
                                 for eid, row in counts.items())
            n_art: Counter[str] = Counter()
            n_men: Counter[str] = Counter()
            for eid, (a, m, *_) in counts.items():
                n_art[alias.get(eid, eid)] += a
                n_men[alias.get(eid, eid)] += m
            rows = [{"id": eid, "name": counts[eid][2], "kind": counts[eid][3],
                     "count": min(n_art[eid], self.with_facts)} for eid in n_art]
            rows.sort(key=lambda r: (-r["count"], -n_men[r["id"]], r["id"]))
            out[field_name] = rows
        out["dates"] = [{"date": d, "count": c}
                        for d, c in sorted(self.happened.items(), key=lambda x: (-x[1], x[0]))]
        out["date"] = out["dates"][0]["date"] if out["dates"] else None
        return out

    def summary(self, event_id: str, previous: StoredEvent | None, now: dt.datetime,
                light: bool = False) -> StoredEvent:
        """The event as stored. ``light``: without who/where/when (what the event engine needs in the middle of a
        batch, at a fraction of the cost); its date, the day most reports read (as ``facts()`` gives it), is kept."""
        facts = None if light else self.facts()
        top = min(self.happened.items(), key=lambda kv: (-kv[1], kv[0]), default=None)
        date = dt.date.fromisoformat(top[0]) if top else None
        title = (self.title or self.fallback or [0, None])[1]
        return StoredEvent(
            id=event_id, title=title, date=date,
            date_min=dt.date.fromisoformat(self.date_min) if self.date_min else None,
            date_max=dt.date.fromisoformat(self.date_max) if self.date_max else None,
            size=self.size, sources=self.sources,
            languages=[lang for lang, _ in self.languages.most_common()],
            outlets=[o for o, _ in self.outlets.most_common()],
            facts=facts, storyline_id=previous.storyline_id if previous else None,
            created_at=previous.created_at if previous and previous.created_at else now, updated_at=now,
        )

    @classmethod
    def of(cls, members: list[StoredArticle]) -> EventTally:
        """The tally of stored articles (events stored before tallies existed, or after a rebuild)."""
        tally = cls()
        for a in members:
            tally.add(a.seq, a.title, a.display_title, a.language, a.outlet, a.date, bool(a.duplicate_of),
                      facts_from_dict(a.facts), a.published)
        return tally


def _first(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """Whether title entry ``a`` ([seq, title, publication day]) comes before ``b``: published first, then by
    arrival; an undated entry after every dated one. An entry stored before entries carried the day keeps its
    place: a stored event's title does not move to a report that joins it later."""
    def key(entry: Sequence[Any]) -> tuple[str, int]:
        if len(entry) < 3:
            return ("", entry[0])
        return (entry[2] or "9999-12-31", entry[0])
    return key(a) < key(b)

