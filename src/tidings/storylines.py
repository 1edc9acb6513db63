"""Storylines: events linked into longer stories (e.g. Iran-Russia relations) with a timeline.

An event joins the storyline of the most related earlier event: one whose first article aligns with
its articles above a looser threshold than "same event", within a long window, and that shares
a person, organisation, city or region, or two countries, when both sides name any (organisations alone only at the
full threshold, however close in time, and never between events whose main countries differ). Related events are
found through an index of one vector per event (its first article's mean chunk vector), not of every chunk: a search
over two years of chunks would read every time shard of the chunk index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
from sqlalchemy import Connection

from tidings.index import VectorIndex
from tidings.registry import register
from tidings.similarity import chunk_alignment
from tidings.store import Store, StoredEvent, mean_vector


def _entity_ids(event: StoredEvent) -> set[str]:
    facts = event.facts or {}
    return {e["id"] for key in ("who", "where") for e in facts.get(key, [])}


@register("storylines", "centroid")
class StorylineLinker:
    """Event -> storyline id (or None), linking it to related events already stored."""

    def __init__(self, threshold: float = 0.47, window_days: int = 730, neighbours: int = 24,
                 title_events: int = 200, mean_margin: float = 0.2, near_threshold: float = 0.44,
                 near_days: int = 14, bridge_threshold: float = 0.55, common_place_events: int = 0,
                 core_share: float = 0.5, core_events: int = 50) -> None:
        self.threshold = threshold
        # What a storyline of three or more events is about, its core: the entities that ``core_share`` of its latest
        # ``core_events`` events name. An event joins it only if it names a person, organisation, city or region of
        # the core, or two of its countries, and two storylines become one only if their cores share two specific
        # entities (a cast), not the one leader that two casts hold. Without it a long archive chains storylines
        # through the people many stories name: in one stream of 35 corpora (2005-2026), US-China trade talks,
        # Trump-Kim summits, Xi-Putin visits and the war in Ukraine became one storyline (0: off).
        self.core_share = core_share
        self.core_events = core_events
        # An entity (a city, its police) that this many of the events an event aligns with name is no link between any
        # two of them: a local stream's events all name them (0: off, the default; docs/figures.md, session 32).
        self.common_place_events = common_place_events
        # Alignment at which an event joins the storylines of two related events into one (``link``): above the
        # related-but-different range (the seeds' different events align at most 0.55), where the first reports of
        # a story's first days each founded a storyline of their own. At the linking threshold (0.47) it chained the
        # meetings of recurring casts (held-out 28's storylines 0.577 -> 0.316).
        self.bridge_threshold = bridge_threshold
        # Events within two weeks of each other need less alignment: a follow-up days later is told with other
        # words (the manhunt after an attack, the leaders' summit after a clash), and nearness in time is
        # evidence of a story in itself. They still share an entity (``_compatible``).
        self.near_threshold = min(near_threshold, threshold)
        self.near = dt.timedelta(days=near_days)
        # A pair's chunk alignment is never far above the cosine of its two mean vectors (on our 132 real
        # articles in 14 languages at most 0.096 above, and no pair aligned above 0.47 had means below 0.468:
        # bench/mean_vectors.py), so an event's founder whose mean lies ``mean_margin`` below the threshold is
        # neither read nor aligned. Over a long window most neighbours the index returns are such.
        self.mean_margin = mean_margin
        self.title_events = title_events
        self.window = dt.timedelta(days=window_days)
        self.neighbours = neighbours

    def link(self, event: StoredEvent, index: VectorIndex, store: Store, conn: Connection,
             now: dt.datetime, members: list[int] | None = None) -> str | None:
        """``index``: one vector per event, its first article's mean chunk vector, keyed by that article's
        seq. ``members``: the event's articles to search from, by seq; by default its latest five. An event
        that found no storyline before needs searching only from the articles it gained since: the
        events stored after its earlier tries searched from their side when they came."""
        members = members or store.member_seqs(event.id, conn, last=5)  # the latest few bound the cost
        vecs = store.vectors_of(members, conn) if members else {}
        members = [m for m in members if m in vecs]
        if not members:
            return event.storyline_id
        means = np.stack([mean_vector(vecs[m]) for m in members])
        sims, found = index.search(means, self.neighbours)
        floor = self.near_threshold - self.mean_margin
        firsts = sorted({int(i) for s, i in zip(sims.ravel().tolist(), found.ravel().tolist(), strict=True)
                         if i >= 0 and s >= floor} - set(members))
        owner_events = store.event_ids_of(firsts, conn)  # an article moves with its event when events merge
        first_vecs = store.vectors_of(firsts, conn)
        aligned: list[tuple[float, str]] = []
        for seq, event_id in owner_events.items():
            if not event_id or event_id == event.id or seq not in first_vecs:
                continue
            near_means = means @ mean_vector(first_vecs[seq]) >= floor
            for member, near in zip(members, near_means.tolist(), strict=True):
                if near:
                    ab, ba = chunk_alignment(vecs[member], first_vecs[seq])
                    aligned.append(((ab + ba) / 2, event_id))
        # Whole rows (with their facts) only of the events aligned closely enough to be linked: most are not.
        close = sorted({event_id for score, event_id in aligned if score > self.near_threshold})
        events = {e.id: e for e in store.events(ids=close, conn=conn)} if close else {}
        best_of: dict[str, float] = {}  # event id -> its best alignment with this event's members
        for score, event_id in aligned:
            if event_id in events:
                best_of[event_id] = max(score, best_of.get(event_id, 0.0))
        # The events it may be linked to (each condition holds for an event's best score if for any of its scores)
        common = self._common_entities(event, events.values())
        related = {event_id: score for event_id, score in best_of.items()
                   if score > self._threshold_for(event, events[event_id])
                   and self._compatible(event, events[event_id], common)
                   and self._organisations_suffice(event, events[event_id], score)}
        cores = _Cores(store, conn, self.core_share, self.core_events, event.id)
        # The closest related event whose storyline the event fits, and which may join the event's own storyline if
        # it has one (an event alone fits: ``_compatible`` said so)
        ranked = [events[e] for e in sorted(related, key=related.__getitem__, reverse=True)
                  if cores.fits(event, events[e].storyline_id)
                  and cores.agree(event.storyline_id, events[e].storyline_id)]
        if not ranked:
            return event.storyline_id
        partner = ranked[0]
        if partner.storyline_id and event.storyline_id and partner.storyline_id != event.storyline_id:
            store.merge_storyline(conn, event.storyline_id, into=partner.storyline_id)
            return partner.storyline_id
        sid = partner.storyline_id or event.storyline_id or new_storyline_id(partner.id)
        if partner.storyline_id != sid:
            partner.storyline_id = sid
            store.save_event(conn, partner)
        store.save_storyline(conn, sid, "", now)
        # An event aligned above ``bridge_threshold`` with events of two storylines joins them: a story's first days
        # may found two, and no event of either searches again once linked. Not two storylines about different
        # things that one event tells of both (a Xi-Putin summit, between the US-China and Russia-Turkey talks).
        for event_id, score in related.items():
            other = events[event_id].storyline_id
            if score > self.bridge_threshold and other and other != sid and cores.agree(sid, other):
                store.merge_storyline(conn, other, into=sid)
                for ev in events.values():
                    if ev.storyline_id == other:
                        ev.storyline_id = sid
        return sid

    def _threshold_for(self, a: StoredEvent, b: StoredEvent) -> float:
        if a.date_min and a.date_max and b.date_min and b.date_max:
            gap = max(a.date_min - b.date_max, b.date_min - a.date_max, dt.timedelta(0))
            if gap <= self.near:
                return self.near_threshold
        return self.threshold

    def _organisations_suffice(self, a: StoredEvent, b: StoredEvent, score: float) -> bool:
        """Whether what the two events share suffices at this alignment. Organisations alone link only at the full
        threshold, however close in time, and only where the country each names most is the same: an agency that
        every happening of a kind names (the USGS of every earthquake) links no two countries' happenings."""
        if not _only_organisations_shared(a, b):
            return True
        main_a, main_b = _main_countries(a, 1), _main_countries(b, 1)
        return score > self.threshold and not (main_a and main_b and main_a != main_b)

    def _common_entities(self, event: StoredEvent, aligned: Iterable[StoredEvent]) -> frozenset[str]:
        """The event's people, organisations, cities and regions that ``common_place_events`` of the events it aligns
        with name."""
        if not self.common_place_events:
            return frozenset()
        mine = {e for e in _entity_ids(event) if _specific(e)}
        naming = Counter(e for other in aligned for e in _entity_ids(other) & mine)
        return frozenset(e for e, n in naming.items() if n >= self.common_place_events)

    def _compatible(self, a: StoredEvent, b: StoredEvent, common: frozenset[str] = frozenset()) -> bool:
        if a.date_min and b.date_max and a.date_max and b.date_min:
            if a.date_min - b.date_max > self.window or b.date_min - a.date_max > self.window:
                return False
        ea, eb = _entity_ids(a), _entity_ids(b)
        if not (ea and eb):
            return True
        # A person, organisation, city or region in common, or two countries (a relationship between them). One
        # country alone is shared by every event of a country: two earthquakes in Japan months apart are not one
        # story (session 9; held-out 2's Noto and Hualien quakes, both naming Japan). Nor an entity every event near
        # it names (``common``).
        shared = (ea & eb) - common
        if any(_specific(e) for e in shared):
            return True
        # Two countries, and among the three each event names most: what both are about (Iran and Russia in
        # talks between them), not neighbours named in passing (two storms across Germany and Poland, elections
        # in two countries that both mention the EU and Russia).
        # The country each names most must be one of them: two 2022 elections that both name Russia and Ukraine
        # among their three countries are about France and Hungary.
        main_a, main_b = _main_countries(a), _main_countries(b)
        both = shared & main_a & main_b
        return len(both) >= 2 and _main_countries(a, 1) <= both and _main_countries(b, 1) <= both


class _Cores:
    """What storylines are about (``_core``): each storyline's latest events read once per link."""

    def __init__(self, store: Store, conn: Connection, share: float, latest: int, linking: str) -> None:
        self.store, self.conn, self.share, self.latest, self.linking = store, conn, share, latest, linking
        self._cores: dict[str, set[str] | None] = {}

    def core(self, storyline: str) -> set[str] | None:
        """The storyline's core entities; None for one of fewer than three events (besides the one being linked),
        too few to tell what is its core from what one event names."""
        if storyline not in self._cores:
            members = [e for e in self.store.events(storyline=storyline, conn=self.conn, limit=self.latest)
                       if e.id != self.linking]
            self._cores[storyline] = _core(members, self.share) if len(members) >= 3 else None
        return self._cores[storyline]

    def fits(self, event: StoredEvent, storyline: str | None) -> bool:
        """Whether ``event`` may join ``storyline``: it names an entity of the storyline's core."""
        if not storyline or not self.share or storyline == event.storyline_id:
            return True
        core = self.core(storyline)
        return core is None or _shares_core(event, core)

    def agree(self, a: str | None, b: str | None) -> bool:
        """Whether storylines ``a`` and ``b`` may become one: their cores share two specific entities (a cast, not
        the one person both casts hold), or all of the smaller one's, or two countries where either has none."""
        if not a or not b or a == b or not self.share:
            return True
        core_a, core_b = self.core(a), self.core(b)
        if not core_a or not core_b:  # too few events to tell, or events that share nothing
            return True
        specific_a = {e for e in core_a if _specific(e)}
        specific_b = {e for e in core_b if _specific(e)}
        if specific_a and specific_b:
            return len(specific_a & specific_b) >= min(2, len(specific_a), len(specific_b))
        return len({e for e in core_a & core_b if e.startswith("country:")}) >= 2


def _core(events: list[StoredEvent], share: float) -> set[str]:
    """The entities (people, organisations, places) that ``share`` of ``events`` name."""
    counts = Counter(e for ev in events for e in _entity_ids(ev))
    least = max(2.0, share * len(events))
    return {e for e, n in counts.items() if n >= least}


def _shares_core(event: StoredEvent, core: set[str]) -> bool:
    """Whether ``event`` names a specific entity of a storyline's ``core``, or two of its countries among the three it
    names most; an event that names nothing, or a storyline whose events share nothing, has no say against it."""
    mine = _entity_ids(event)
    if not mine or not core:
        return True
    if any(_specific(e) for e in mine & core):
        return True
    return len(_main_countries(event) & core) >= 2


def _only_organisations_shared(a: StoredEvent, b: StoredEvent) -> bool:
    """Whether what links two events is organisations alone (no person, city or region): an agency or a company
    named in passing (the FBI in two US stories, Microsoft in another takeover's report) is weaker evidence than a
    person, and nearness in time does not make up for it."""
    shared = {e for e in _entity_ids(a) & _entity_ids(b) if _specific(e)}
    return bool(shared) and all(e.startswith("org:") for e in shared)


def _specific(entity_id: str) -> bool:
    """A person, organisation, city or region: not a country or a world region, which many events name."""
    return not entity_id.startswith("country:") and entity_id not in WORLD_REGIONS


# Continents and world regions: named by the events of dozens of countries, weaker evidence than one country
# (two attacks days apart in Nice and Vienna, both "in Europe").
WORLD_REGIONS = frozenset(f"place:{r}" for r in ("europe", "africa", "asia", "latin-america", "middle-east",
                                                  "west-asia", "arctic", "sahel", "balkans", "caucasus"))


def _main_countries(event: StoredEvent, top: int = 3) -> set[str]:
    where = (event.facts or {}).get("where", [])  # most named first
    return set([e["id"] for e in where if e["id"].startswith("country:")][:top])


def new_storyline_id(founding_event: str) -> str:
    return "st-" + hashlib.sha1(founding_event.encode()).hexdigest()[:10]


def storyline_title(events: list[StoredEvent]) -> str:
    """The entities most of its events share ("Iran – Russia"), else its first event's title."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for ev in events:
        for key in ("where", "who"):
            for e in (ev.facts or {}).get(key, [])[:6]:
                counts[e["id"]] += 1
                names[e["id"]] = e["name"]
    shared = [eid for eid, n in counts.most_common(3) if n >= max(2, len(events) // 2 + 1)]
    if shared:
        return " – ".join(names[e] for e in shared[:2])
    dated = sorted(events, key=lambda e: (e.date or e.date_min or dt.date.max))
    return dated[0].title or dated[0].id if dated else ""


def timeline(events: list[StoredEvent]) -> list[dict[str, Any]]:
    """Events of a storyline in the order they happened (undated last)."""
    ordered = sorted(events, key=lambda e: (e.date or e.date_min or dt.date.max, e.id))
    return [{"event": e.id, "date": (e.date or e.date_min).isoformat() if (e.date or e.date_min) else None,
             "title": e.title, "articles": e.size, "languages": e.languages} for e in ordered]
