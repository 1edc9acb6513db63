"""An editor's corrections of the event engine: two events that are one happening merged, a report moved to the event
it tells of (or to one of its own). The engine keeps to them: an event parted by hand is merged again by no report,
and a report placed by hand is claimed by no other event. Ids stay stable: a merged id resolves to its event.

    merge_events(store, "ev-a", into="ev-b")      # ev-a's reports join ev-b; ev-a resolves to ev-b
    move_article(store, "article-7")              # to an event of its own, kept apart from its old one
    move_article(store, "article-7", to="ev-c")   # to ev-c
    delete_articles(store, ["article-7"])         # gone from the store (a takedown, an input read by mistake)
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Connection

from tidings.events import EventTally
from tidings.store import Store, StoredArticle, StoredEvent
from tidings.storylines import storyline_title

PLACED_BY_HAND = 1.0  # the event score of a report an editor placed: above any claim an undated report's event makes


class CorrectionError(ValueError):
    """A correction that cannot be made (an unknown id), said in one line."""


def merge_events(store: Store, event_id: str, into: str, now: dt.datetime | None = None) -> str:
    """Every report of ``event_id`` joins ``into``, whose id, title and storyline stay; ``event_id`` resolves to it
    from now on, and anything that kept the two apart goes. Returns the merged event's id."""
    now = now or _now()
    with store.transaction() as conn:
        source, target = _event(store, conn, event_id), _event(store, conn, into)
        if source.id == target.id:
            return target.id
        members = _members(store, conn, source.id) + _members(store, conn, target.id)
        store.allow_together(conn, source.id, target.id)  # before the source's id resolves to the target
        store.set_article_event(conn, [source.id], target.id)
        store.delete_event(conn, source.id, into=target.id)
        if target.storyline_id is None:
            target.storyline_id = source.storyline_id
        summarise_event(store, conn, target.id, members, target, now)
        _drop_if_empty(store, conn, source.storyline_id, target.storyline_id)
    return target.id


def move_article(store: Store, article_id: str, to: str | None = None, now: dt.datetime | None = None) -> str:
    """The report ``article_id`` (with its syndicated copies in its event) moves to event ``to``, or to a new event of
    its own in its old event's storyline; the old event, if reports are left in it, is kept apart from where it went.
    A report that was all of its event takes it along (its id resolves to where it went). Returns the event's id."""
    now = now or _now()
    with store.transaction() as conn:
        found = store.articles(ids=[article_id], conn=conn, light=True)
        if not found or found[0].event_id is None:
            raise CorrectionError(f"no article {article_id!r} in the store")
        article = found[0]
        source = _event(store, conn, article.event_id)
        members = _members(store, conn, source.id)
        moving = [m for m in members if m.seq == article.seq or m.duplicate_of == article.id]
        staying = [m for m in members if m.seq not in {n.seq for n in moving}]
        target = _event(store, conn, to) if to is not None else None
        if target is not None and target.id == source.id:
            return source.id
        if target is None and not staying:
            return source.id  # alone in its event already
        target_id = target.id if target is not None else _new_event_id(store, conn, source.id, article.id)
        joined = (_members(store, conn, target_id) if target is not None else []) + moving
        store.move_articles(conn, [m.seq for m in moving], target_id, score=PLACED_BY_HAND)
        store.new_founders(conn)  # the moved report may found an event, or have founded the one it left
        for m in moving:
            m.event_id, m.event_score = target_id, PLACED_BY_HAND
        summarise_event(store, conn, target_id, joined, target, now, storyline=source.storyline_id)
        if staying:
            summarise_event(store, conn, source.id, staying, source, now)
            store.keep_apart(conn, source.id, target_id, now)
        else:
            store.delete_event(conn, source.id, into=target_id)
            _drop_if_empty(store, conn, source.storyline_id, target.storyline_id if target else None)
    return target_id


def delete_articles(store: Store, article_ids: list[str], now: dt.datetime | None = None,
                    for_good: bool = False) -> dict[str, str | None]:
    """The articles leave the store, all or none (an unknown id: nothing goes): their texts, vectors (hidden from
    every process's searches) and signatures. Their events are counted again from the reports left; an event left
    empty goes (its id then resolves to no event), and so does a storyline left empty. Their syndicated copies stand
    alone (the earliest as the original). Reading an article again after stores it again, unless ``for_good`` (a
    takedown: a feed that still lists it must not bring it back), which refuses its id from then on. Returns each
    id's event."""
    now = now or _now()
    wanted = list(dict.fromkeys(article_ids))
    if not wanted:
        return {}
    with store.transaction() as conn:
        found = {a.id: a for k in range(0, len(wanted), 2_000)  # a few thousand ids a statement (SQLite binds)
                 for a in store.articles(ids=wanted[k:k + 2_000], conn=conn, light=True, facts=False)}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise CorrectionError(f"no article {missing[0]!r} in the store" + (
                f" (nor {len(missing) - 1} more of those given; nothing was deleted)" if len(missing) > 1 else
                " (nothing was deleted)" if len(wanted) > 1 else ""))
        events = {a.id: store.resolve(a.event_id, conn=conn) if a.event_id else None for a in found.values()}
        for a in found.values():
            store.remove_article(conn, a.seq, now, replaced=False)
            if for_good:
                store.ban(conn, a.id, now)
        store.count_removed(conn, len(found))
        founders_moved = False
        storylines: set[str] = set()
        for event_id in sorted({e for e in events.values() if e}):
            event = store.event(event_id, conn=conn)
            members = _members(store, conn, event_id)
            gone = [a for a in found.values() if events[a.id] == event_id]
            if event is not None and event.storyline_id:
                storylines.add(event.storyline_id)
            if members:
                summarise_event(store, conn, event_id, members, event, now)
                first = min(m.seq for m in members)
                founders_moved |= any(a.seq < first or a.seq < min(
                    (m.seq for m in members if m.language == a.language), default=a.seq) for a in gone)
            else:
                store.drop_event(conn, event_id)
        for sid in sorted(storylines):  # titled again from the events left, or gone with the last of them
            if not store.drop_storyline_if_empty(conn, sid):
                store.save_storyline(conn, sid, storyline_title(store.events(storyline=sid, conn=conn, limit=200)),
                                     now)
        if founders_moved:
            store.new_founders(conn)  # indexes of one vector per event: another report founds those events now
    return events


def _drop_if_empty(store: Store, conn: Connection, storyline: str | None, into: str | None) -> None:
    """A storyline whose last event went into another storyline's event goes too, its id resolving to that one."""
    if storyline and into and storyline != into and not store.events(storyline=storyline, conn=conn, limit=1):
        store.merge_storyline(conn, storyline, into=into)


def summarise_event(store: Store, conn: Connection, event_id: str, members: list[StoredArticle],
                    previous: StoredEvent | None, now: dt.datetime, storyline: str | None = None) -> None:
    """The event's summary and tally, counted again from its reports."""
    tally = EventTally.of(sorted(members, key=lambda m: m.seq))
    summary = tally.summary(event_id, previous, now)
    if previous is None:
        summary.storyline_id = storyline
    store.save_event(conn, summary, exists=previous is not None)
    store.save_tallies(conn, {event_id: tally.to_dict()})


def _event(store: Store, conn: Connection, event_id: str) -> StoredEvent:
    found = store.event(event_id, conn=conn)
    if found is None:
        raise CorrectionError(f"no event {event_id!r} in the store")
    return found


def _members(store: Store, conn: Connection, event_id: str) -> list[StoredArticle]:
    """The event's reports as this transaction sees them (``event_id`` resolved already)."""
    seqs = store.member_seqs(event_id, conn)
    return store.articles(seqs=seqs, conn=conn, light=True) if seqs else []


def _new_event_id(store: Store, conn: Connection, source: str, article_id: str) -> str:
    """Derived from the event and the report (the same correction gives the same id), never an id in use or merged
    away."""
    n = 0
    while True:
        candidate = "ev-" + hashlib.sha1(f"{source}/{article_id}/moved/{n}".encode()).hexdigest()[:12]
        if store.resolve(candidate, conn=conn) == candidate and store.event(candidate, conn=conn) is None:
            return candidate
        n += 1


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
