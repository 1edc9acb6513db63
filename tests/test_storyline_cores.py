"""What a storyline is about (its core) decides what may join it and which storylines may become one.

In a long archive the leaders that many stories name chain them: the US-China trade talks, a Xi-Putin visit, the
Russia-Turkey talks on Idlib all name one of the same few people. One stream of 35 of our corpora (2005-2026,
``bench/storylines_eval.py --one-stream``) made them one storyline. The events' facts here are what the extractor
gives those reports (ids of people and countries, most named first).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.store import Store, StoredEvent
from tidings.storylines import StorylineLinker, _Cores


def _event(event_id: str, day: dt.date, *ids: str, storyline: str | None = None) -> StoredEvent:
    who = [{"id": i, "name": i} for i in ids if i.split(":")[0] in ("person", "org")]
    where = [{"id": i, "name": i} for i in ids if i.split(":")[0] not in ("person", "org")]
    stamp = dt.datetime(2024, 1, 1)
    return StoredEvent(event_id, event_id, day, day, day, 2, 2, facts={"who": who, "where": where},
                       storyline_id=storyline, created_at=stamp, updated_at=stamp)


TRADE = ("person:donald-trump", "person:xi-jinping", "person:steven-mnuchin", "country:US", "country:CN")
XI_PUTIN = ("person:vladimir-putin", "person:xi-jinping", "org:sco", "country:RU", "country:CN")
IDLIB = ("person:recep-tayyip-erdogan", "person:vladimir-putin", "person:bashar-al-assad", "country:TR", "country:RU",
         "country:SY")


@pytest.fixture()
def archive(tmp_path):
    """A store holding a US-China trade storyline (four rounds of talks), a China-Russia one (three Xi-Putin
    meetings), a two-event Russia-Turkey one, and a later US-China one (the same cast, its own storyline)."""
    store = Store(str(tmp_path / "cores.db"))
    now = dt.datetime(2024, 1, 1)
    day = dt.date(2019, 1, 10)
    stories = {"st-trade": [TRADE] * 4, "st-xi-putin": [XI_PUTIN] * 3, "st-idlib": [IDLIB] * 2,
               "st-trade-later": [TRADE[:2] + ("person:robert-lighthizer",) + TRADE[3:]] * 3}
    with store.transaction() as conn:
        for sid, members in stories.items():
            for n, ids in enumerate(members):
                store.save_event(conn, _event(f"{sid}-{n}", day + dt.timedelta(days=30 * n), *ids, storyline=sid))
            store.save_storyline(conn, sid, sid, now)
    yield store
    store.engine.dispose()


def test_an_event_joins_a_storyline_only_naming_what_it_is_about(archive):
    linker = StorylineLinker()
    with archive.engine.connect() as conn:
        cores = _Cores(archive, conn, linker.core_share, linker.core_events, "new")
        assert {"person:donald-trump", "person:xi-jinping", "country:US"} <= cores.core("st-trade")
        assert cores.core("st-idlib") is None  # two events: too few to tell its core; the pair's rules decide
        talks = _event("new", dt.date(2019, 5, 1), "person:vladimir-putin", "person:recep-tayyip-erdogan",
                       "country:RU", "country:TR")
        assert cores.fits(talks, "st-xi-putin")     # Putin is what that storyline is about
        assert not cores.fits(talks, "st-trade")    # nothing of the trade talks' cast
        assert cores.fits(talks, "st-idlib")
        tariffs = _event("new", dt.date(2019, 5, 1), "org:ustr", "country:US", "country:CN")
        assert cores.fits(tariffs, "st-trade")      # two of its countries
        assert cores.fits(_event("new", dt.date(2019, 5, 1)), "st-trade")  # naming nothing: the alignment decides


def test_two_storylines_become_one_only_sharing_a_cast(archive):
    with archive.engine.connect() as conn:
        cores = _Cores(archive, conn, 0.5, 50, "new")
        assert not cores.agree("st-trade", "st-xi-putin")  # Xi Jinping alone: two casts
        assert cores.agree("st-trade", "st-trade-later")    # Trump and Xi in both
        assert cores.agree("st-trade", "st-idlib")          # two events: the pair's rules decide
        assert cores.agree("st-trade", None) and cores.agree("st-trade", "st-trade")
        off = _Cores(archive, conn, 0.0, 50, "new")          # core_share = 0: as before
        assert off.agree("st-trade", "st-xi-putin")
        assert off.fits(_event("new", dt.date(2019, 5, 1), *IDLIB), "st-trade")
