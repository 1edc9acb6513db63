"""Records without an id take their place in their file as one ("dump-12"): such an id names no article, so another
text under it is a new article, never a newer version of the stored one (a re-export with a new first row replaced
the stored first article; a second folder's file of the same name was skipped whole)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import FIXTURES

from tidings.api import Tidings

ROWS = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text(encoding="utf-8")
        .splitlines() if line.strip()]


def write_lines(path: Path, rows: list[dict], ids: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({**({"id": r["id"]} if ids else {}), "text": r["text"], "title": r["title"],
                                        "published": r["published"]}, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def stored_texts(t: Tidings) -> dict[str, str]:
    return {a.id: a.text for a in t.store.articles()}


def test_a_dump_exported_again_with_a_new_first_row_replaces_nothing(tmp_path):
    dump = tmp_path / "news.jsonl"
    write_lines(dump, ROWS[:2])
    with Tidings(tmp_path / "t.db") as t:
        assert len(t.ingest([str(dump)]).stored) == 2
        before = stored_texts(t)
        assert set(before) == {"news-1", "news-2"}
        write_lines(dump, [ROWS[5], *ROWS[:2]])  # the newest first, as exports list them
        report = t.ingest([str(dump)])
        assert [s.replaced for s in report.stored] == [False]
        after = stored_texts(t)
        assert {k: after[k] for k in before} == before  # the first two articles as they were
        (new_id,) = set(after) - set(before)
        assert new_id.startswith("news-1-") and after[new_id] == ROWS[5]["text"]
        assert t.ingest([str(dump)]).stored == []  # and the same export again stores nothing


def test_files_of_one_name_in_two_folders_are_all_read(tmp_path):
    write_lines(tmp_path / "2023" / "articles.jsonl", ROWS[:3])
    write_lines(tmp_path / "2024" / "articles.jsonl", ROWS[3:6])
    table = tmp_path / "2025" / "articles.csv"
    table.parent.mkdir()
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["title", "text"])
        writer.writeheader()
        writer.writerows({"title": r["title"], "text": r["text"]} for r in ROWS[6:8])
    with Tidings(tmp_path / "t.db") as t:
        report = t.ingest([str(tmp_path / "2023"), str(tmp_path / "2024"), str(tmp_path / "2025")])
        assert len(report.stored) == 8 and not report.skipped, report.skipped
        assert sorted(stored_texts(t).values()) == sorted(r["text"] for r in ROWS[:8])
        assert t.ingest([str(tmp_path)]).stored == []  # read again: all known


def test_an_id_the_record_gives_still_makes_a_newer_version(tmp_path):
    dump = tmp_path / "wire.jsonl"
    write_lines(dump, ROWS[:1], ids=True)
    with Tidings(tmp_path / "t.db") as t:
        t.ingest([str(dump)])
        corrected = {**ROWS[0], "text": ROWS[0]["text"] + " Rescue teams are still searching the rubble."}
        write_lines(dump, [corrected], ids=True)
        (stored,) = t.ingest([str(dump)]).stored
        assert stored.replaced and stored.id == ROWS[0]["id"]
        assert stored_texts(t) == {ROWS[0]["id"]: corrected["text"]}


def test_files_of_one_name_in_two_folders_are_two_articles_and_a_file_saved_again_a_newer_version(tmp_path):
    """A mirrored site's pages are all "index.html", a newsroom's folders each hold "story.txt": each an article.
    The same file saved again with another text stays the newer version of its article."""
    site = tmp_path / "site"
    for k, row in enumerate(ROWS[:3]):
        page = site / f"section-{k}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><head><title>{row['title']}</title></head><body><article><h1>{row['title']}</h1>"
                        f"<p>{row['text']}</p></article></body></html>", encoding="utf-8")
    for k, row in enumerate(ROWS[3:5]):
        story = tmp_path / "desk" / f"day-{k}" / "story.txt"
        story.parent.mkdir(parents=True)
        story.write_text(f"{row['title']}\n{row['text']}", encoding="utf-8")
    with Tidings(tmp_path / "t.db") as t:
        report = t.ingest([str(site), str(tmp_path / "desk")])
        assert len(report.stored) == 5 and not report.skipped, report.skipped
        ids = sorted(stored_texts(t))
        assert ids[0] == "index" and all(i.startswith("index-") for i in ids[1:3])
        assert ids[3] == "story" and ids[4].startswith("story-")
        assert t.ingest([str(tmp_path / "desk")]).stored == []
        edited = tmp_path / "desk" / "day-1" / "story.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nRescue teams are still searching the rubble.",
                          encoding="utf-8")
        (again,) = t.ingest([str(edited)]).stored
        assert again.replaced and again.id == ids[4]
        assert len(stored_texts(t)) == 5


def test_a_feed_whose_entries_have_no_id_nor_link_loses_none_as_it_moves_on(tmp_path):
    from html import escape

    def feed(rows: list[dict]) -> str:
        items = "".join(f"<item><title>{escape(r['title'])}</title><description>{escape(r['text'])}</description>"
                        f"</item>" for r in rows)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'

    path = tmp_path / "wire.xml"
    path.write_text(feed(ROWS[:2]), encoding="utf-8")
    with Tidings(tmp_path / "t.db") as t:
        assert len(t.ingest([str(path)]).stored) == 2
        before = stored_texts(t)
        path.write_text(feed([ROWS[5], *ROWS[:2]]), encoding="utf-8")  # a new entry on top: "entry-1" is another's
        (new,) = t.ingest([str(path)]).stored
        assert not new.replaced and new.id.startswith("entry-1-")
        after = stored_texts(t)
        assert {k: after[k] for k in before} == before


def test_a_json_file_of_one_article_is_named_by_its_file_as_a_text_file_is(tmp_path):
    """news-please saves each article as a JSON file: without an id, it is the file's name ("x-1" before), and the
    file saved again with another text is a newer version; a list in a .json is still named by places."""
    folder = tmp_path / "news-please" / "wire.example"
    folder.mkdir(parents=True)
    page = folder / "8f2a1c.json"
    page.write_text(json.dumps({"title": ROWS[0]["title"], "maintext": ROWS[0]["text"], "url": "https://wire.example/a",
                                "date_publish": ROWS[0]["published"]}), encoding="utf-8")
    with Tidings(tmp_path / "t.db") as t:
        (first,) = t.ingest([str(tmp_path / "news-please")]).stored
        assert first.id == "8f2a1c" and first.source == str(page)
        page.write_text(json.dumps({"title": ROWS[0]["title"], "maintext": ROWS[0]["text"] + " Rescue teams are still "
                                    "searching the rubble.", "url": "https://wire.example/a"}), encoding="utf-8")
        (again,) = t.ingest([str(page)]).stored
        assert again.replaced and again.id == "8f2a1c"
