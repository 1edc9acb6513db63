"""Following sources (`tidings ingest --every`, `Tidings.follow`): each round reads only what may be new, the model
stays loaded, and what came in later joins the events of what came before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, TIDINGS_CLI, fail_to_insert, gold_groups, seed_files

from tidings.readers import PathReader, SourceFollower, parse_interval


def no_sleep(_seconds: float) -> None:
    pass


def age(path: Path, seconds: float = 60.0) -> None:
    """Make ``path`` look written ``seconds`` ago (past the follower's settling time)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_folder_followed_round_by_round_reads_each_new_file_once(tmp_path, seeds_dir, gold, tidings_at):
    """The seeds arrive in a drop folder two, then three at a time: each round reads only the files that came, and
    the late reports join the events of the early ones exactly as one ingest of all five would group them."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, later = seed_files()[:2], seed_files()[2:]
    for p in first:
        shutil.copy(p, inbox)
    t = tidings_at(tmp_path / "f.db")
    rounds = t.follow([str(inbox)], every=0, rounds=3, sleep=no_sleep)
    one = next(rounds)
    assert (one.read, len(one.stored)) == (2, 2)
    for p in later:
        age(Path(shutil.copy(p, inbox)))
    two = next(rounds)
    assert (two.read, len(two.stored)) == (3, 3) and not two.skipped  # the first two were not read again
    three = next(rounds)
    assert (three.read, len(three.stored), three.skipped) == (0, 0, [])
    assert next(rounds, None) is None  # three rounds asked, three done
    groups = {frozenset(a["id"] for a in t.event(e["id"])["articles"]) for e in t.events()}
    assert groups == gold_groups(gold)


def test_a_file_still_being_written_waits_a_round(tmp_path, tidings_at):
    """A file modified within the settling time is left for a later round (a report half written would be stored
    half); one changed since it was read is read again, and only its new lines are stored."""
    rows = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()][:3]
    feed = tmp_path / "wire.jsonl"
    feed.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    t = tidings_at(tmp_path / "w.db")
    rounds = t.follow([str(feed)], every=0, rounds=4, settle_seconds=30, sleep=no_sleep)
    assert len(next(rounds).stored) == 1  # the first round reads everything there, as a plain ingest does
    with feed.open("a", encoding="utf-8") as f:
        f.write(json.dumps(rows[1], ensure_ascii=False) + "\n")
    assert next(rounds).read == 0  # just written: not yet
    age(feed)
    grown = next(rounds)  # only the line added: a log appended to all day is not read whole every round
    assert grown.read == 1 and [s.id for s in grown.stored] == [rows[1]["id"]] and not grown.skipped
    assert next(rounds).read == 0


def test_a_json_lines_file_is_read_on_from_where_it_grew(tmp_path):
    """Lines appended are read alone, numbered on; a line cut short is read again once whole; a file rewritten (its
    first bytes changed) or cut shorter is read whole again."""
    log = tmp_path / "log.jsonl"

    def line(n: int) -> str:
        return json.dumps({"id": f"a{n}", "text": f"Report number {n} about the talks in Vienna."}) + "\n"

    log.write_text(line(1) + line(2), encoding="utf-8")
    follower = SourceFollower(PathReader(), settle_seconds=0)
    assert [d.source for d in follower.read([str(log)])] == [f"{log}:1", f"{log}:2"]
    with log.open("a", encoding="utf-8") as f:
        f.write(line(3) + line(4)[:20])  # the writer is halfway through line 4
    age(log, 30)
    third, cut = follower.read([str(log)])
    assert third.source == f"{log}:3" and third.id == "a3" and cut.source == f"{log}:4" and "malformed" in cut.reason
    with log.open("a", encoding="utf-8") as f:
        f.write(line(4)[20:])
    age(log, 20)
    assert [(d.source, d.id) for d in follower.read([str(log)])] == [(f"{log}:4", "a4")]
    with log.open("a", encoding="utf-8") as f:
        f.write("\n\n")  # blank lines: nothing to read, and no error
    age(log, 15)
    assert list(follower.read([str(log)])) == []
    log.write_text(line(5) + line(1) + line(2) + line(3) + line(4), encoding="utf-8")  # rewritten: a new first line
    age(log, 10)
    assert [d.id for d in follower.read([str(log)])] == ["a5", "a1", "a2", "a3", "a4"]
    log.write_text(line(6), encoding="utf-8")
    age(log, 5)
    assert [d.id for d in follower.read([str(log)])] == ["a6"]


def test_an_article_that_could_not_be_stored_is_read_again(tmp_path, seeds_dir, tidings_at, monkeypatch):
    """A file whose article the store refused is read again next round though it did not change, and stored then."""
    from tidings.store import Store

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in seed_files()[:2]:
        age(Path(shutil.copy(p, inbox)))
    refused = seed_files()[1].stem
    insert = fail_to_insert(monkeypatch, refused)
    t = tidings_at(tmp_path / "r.db")
    rounds = t.follow([str(inbox)], every=0, rounds=3, sleep=no_sleep)
    one = next(rounds)
    assert [s.id for s in one.stored] == [seed_files()[0].stem]
    assert [(s.source, s.reason) for s in one.skipped] == [(str(inbox / seed_files()[1].name),
                                                            "not stored (RuntimeError: disk said no)")]
    monkeypatch.setattr(Store, "insert_article", insert)
    two = next(rounds)
    assert two.read == 1 and [s.id for s in two.stored] == [refused]
    assert next(rounds).read == 0


@pytest.fixture()
def feed_server(web_site):
    """A local web server over a folder that answers If-Modified-Since (304): (folder, base URL, codes answered)."""
    return web_site.folder, web_site.base, web_site.codes


def rss(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><title>{title}</title><link>https://wire.example/{key}</link>"
                   f"<pubDate>Tue, 13 Apr 2021 09:30:00 +0000</pubDate><description>{text}</description></item>"
                   for key, title, text in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'


LAVROV = ("1", "Lavrov in Tehran", "Russian Foreign Minister Sergey Lavrov met Iranian President Hassan Rouhani in "
          "Tehran on Tuesday to discuss the nuclear deal and trade between the two countries.")
ZARIF = ("2", "Zarif and Lavrov", "Iranian Foreign Minister Mohammad Javad Zarif told reporters after meeting "
         "Sergey Lavrov in Tehran that Russia and Iran oppose new sanctions.")


def test_a_feed_that_did_not_change_is_not_downloaded_again(feed_server):
    """The second fetch of a feed asks whether it changed: the server answers 304 and nothing is read; once the feed
    changes its entries are read again (the store keeps out the ones it holds)."""
    folder, base, answered = feed_server
    feed = folder / "feed.xml"
    feed.write_text(rss(LAVROV), encoding="utf-8")
    age(feed, 120)
    follower = SourceFollower(PathReader())
    url = f"{base}/feed.xml"
    assert [d.title for d in follower.read([url])] == ["Lavrov in Tehran"]
    assert list(follower.read([url])) == [] and answered == [200, 304]
    feed.write_text(rss(LAVROV, ZARIF), encoding="utf-8")
    age(feed, 60)  # a newer Last-Modified than the server sent before
    assert [d.title for d in follower.read([url])] == ["Lavrov in Tehran", "Zarif and Lavrov"]
    follower.forget(f"{url}#2")  # an entry the store refused: the whole feed is fetched next time
    assert len(list(follower.read([url]))) == 2 and answered == [200, 304, 200, 200]
    plain = PathReader()  # a plain ingest always fetches whole: its last fetch's articles may not have been stored
    assert len(list(plain.read([url]))) == len(list(plain.read([url]))) == 2 and answered[4:] == [200, 200]


def test_intervals_are_read_as_people_write_them():
    assert [parse_interval(t) for t in ("90", "30s", "15m", "1h", "1h30m", "2d", "0.5s")] == \
        [90, 30, 900, 3600, 5400, 172800, 0.5]
    for bad in ("", "soon", "15 minutes", "-5m", "1w"):
        with pytest.raises(ValueError, match="not an interval"):
            parse_interval(bad)


def test_the_command_follows_and_says_what_each_round_did(tmp_path, seeds_dir):
    """`tidings ingest --every 0 --rounds 2`: a line per round, the second reading nothing; wrong options are named."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in seed_files()[:2]:
        shutil.copy(p, inbox)
    env = {**os.environ, "TIDINGS_DB": str(tmp_path / "c.db")}
    run = subprocess.run([*TIDINGS_CLI, "ingest", str(inbox), "--every", "0", "--rounds", "2", "--quiet"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("round")]
    assert len(lines) == 2 and "read 2, stored 2" in lines[0] and "read 0, stored 0" in lines[1]
    for args, message in ((["--rounds", "2"], "--rounds counts the rounds of --every"),
                          (["--every", "soon"], "--every: not an interval: 'soon'")):
        bad = subprocess.run([*TIDINGS_CLI, "ingest", str(inbox), *args], capture_output=True, text=True, env=env,
                             timeout=120)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr


def test_an_opml_feed_list_is_read_feed_by_feed_and_followed(feed_server, tmp_path, tidings_at):
    """The feed list a feed reader exports (OPML, feeds in folders): each feed is read as its URL, and followed, each
    answers 304 while it does not change; what is no feed is named."""
    folder, base, answered = feed_server
    (folder / "wire.xml").write_text(rss(LAVROV), encoding="utf-8")
    (folder / "agency.xml").write_text(rss(ZARIF), encoding="utf-8")
    for name in ("wire.xml", "agency.xml"):
        age(folder / name, 120)
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Desk</title></head><body>'
        f'<outline text="Iran"><outline text="Wire" type="rss" xmlUrl="{base}/wire.xml"/>'
        f'<outline text="Agency" type="rss" xmlUrl="{base}/agency.xml"/></outline>'
        f'<outline text="Wire again" xmlUrl="{base}/wire.xml"/><outline text="Local" xmlUrl="file:///etc/passwd"/>'
        "</body></opml>", encoding="utf-8")
    t = tidings_at(tmp_path / "o.db")
    rounds = t.follow([str(opml)], every=0, rounds=2, sleep=no_sleep)
    one = next(rounds)
    assert sorted(s.id for s in one.stored) == ["https-wire.example-1", "https-wire.example-2"]
    assert [(s.source, s.reason) for s in one.skipped] == [(f"{opml}: file:///etc/passwd", "not an http(s) URL")]
    two = next(rounds)
    assert two.read == 1 and not two.stored and answered == [200, 200, 304, 304]  # the bad outline named again
    bad = tmp_path / "empty.opml"
    bad.write_text("<opml><body><outline text='folder'/></body></opml>", encoding="utf-8")
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body>", encoding="utf-8")
    rss_as_opml = tmp_path / "feed.opml"
    rss_as_opml.write_text(rss(LAVROV), encoding="utf-8")
    errors = [e.reason for e in PathReader().read([str(bad), str(broken), str(rss_as_opml)])]
    assert errors[0] == "an OPML file that lists no feed (no outline with an xmlUrl)"
    assert errors[1].startswith("not a readable OPML file")
    assert errors[2] == "not an OPML file (its root element is <rss>, not <opml>)"


def test_a_follower_started_again_reads_only_what_changed(feed_server, tmp_path, seeds_dir, tidings_at, monkeypatch):
    """What a follower knew of its sources is kept in the store: started again (another process, another working
    folder), it reads neither the files it read nor the lines of a log it read, and asks the feed whether it
    changed; a new file and a log's new line are read, alone."""
    folder, base, answered = feed_server
    (folder / "wire.xml").write_text(rss(LAVROV), encoding="utf-8")
    age(folder / "wire.xml", 120)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in seed_files()[:2]:
        age(Path(shutil.copy(p, inbox)))
    rows = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()][:2]
    log = inbox / "wire.jsonl"
    log.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    age(log)
    monkeypatch.chdir(tmp_path)
    sources = ["inbox", f"{base}/wire.xml"]  # a relative folder: the state holds absolute paths
    first = next(tidings_at(tmp_path / "r.db").follow(sources, every=0, rounds=1, sleep=no_sleep))
    assert (first.read, len(first.stored)) == (4, 4) and answered == [200]
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    sources = [str(inbox), f"{base}/wire.xml"]
    again = next(tidings_at(tmp_path / "r.db").follow(sources, every=0, rounds=1, sleep=no_sleep))
    assert (again.read, again.stored, again.skipped) == (0, [], []) and answered == [200, 304]
    age(Path(shutil.copy(seed_files()[2], inbox)))
    with log.open("a", encoding="utf-8") as f:
        f.write(json.dumps(rows[1], ensure_ascii=False) + "\n")
    age(log)
    third = next(tidings_at(tmp_path / "r.db").follow(sources, every=0, rounds=1, sleep=no_sleep))
    assert third.read == 2 and sorted(a.id for a in third.stored) == sorted([seed_files()[2].stem, rows[1]["id"]])
    # a state of another version, or damaged, is not taken back: everything is read once more, nothing stored twice
    t = tidings_at(tmp_path / "r.db")
    t.store.put_meta("follower_state", "{not json")
    fourth = next(t.follow(sources, every=0, rounds=1, sleep=no_sleep))
    assert fourth.read == 6 and not fourth.stored


def test_a_followed_feed_that_corrects_an_entry_replaces_it(feed_server, tmp_path, tidings_at):
    """A wire corrects an entry (same link, new text) and puts a new one above it: the next round stores the new
    entry and replaces the corrected one, whose place in the feed moved down."""
    folder, base, _answered = feed_server
    feed = folder / "feed.xml"
    feed.write_text(rss(LAVROV), encoding="utf-8")
    age(feed, 120)
    t = tidings_at(tmp_path / "f.db")
    rounds = t.follow([f"{base}/feed.xml"], every=0, rounds=2, sleep=no_sleep)
    one = next(rounds)
    (first,) = one.stored
    corrected = (LAVROV[0], LAVROV[1], LAVROV[2] + " Correction: an earlier version named the wrong day.")
    feed.write_text(rss(ZARIF, corrected), encoding="utf-8")
    age(feed, 60)
    two = next(rounds)
    assert sorted((s.id, s.replaced) for s in two.stored) == [(first.id, True), ("https-wire.example-2", False)]
    assert "Correction" in t.store.article(first.id).text and t.store.counts()["articles"] == 2
