"""Cleaning: boilerplate at head and tail, title and stamp lines, datelines and attributions."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import seed_files

from tidings.articles import RawDocument
from tidings.cleaning import RuleCleaner, strip_boilerplate

clean = RuleCleaner()


def doc(text: str, **kw) -> RawDocument:
    return RawDocument(id="x", text=text, source="x.txt", **kw)


def test_blog_tail_is_dropped_body_kept():
    text = ("Tehran, Iran – Ministers met on Tuesday to discuss the nuclear deal.\n"
            "Post a comment below if you agree, one reader wrote in the letters page.\n"
            "\nNo comments:\n\nPost a Comment\n\nNewer Post\nOlder Post\nHome\n")
    a = clean(doc(text))
    assert a.dateline == "Tehran, Iran"
    assert a.text.startswith("Ministers met on Tuesday")
    assert "Post a comment below" in a.text  # a sentence in the body is never cut
    assert not a.text.endswith(("Post a Comment", "Home"))


def test_page_counter_debris_at_head():
    a = clean(doc("342/\n\nWie die Ahlulbayt Nachrichtenagentur ABNA berichtet, hat Raisi mit Putin telefoniert."))
    assert "342/" not in a.text
    assert a.outlet == "Ahlulbayt Nachrichtenagentur ABNA"
    assert a.text.startswith("Hat Raisi mit Putin telefoniert")


def test_title_and_stamp_lines():
    text = "Iran, Russia discuss boosting ties\nAugust 21, 2021 - 21:45\n\nTEHRAN – Iranian President spoke."
    a = clean(doc(text))
    assert a.title == "Iran, Russia discuss boosting ties"
    assert a.published == dt.date(2021, 8, 21)
    assert a.dateline == "TEHRAN"
    assert a.text == "Iranian President spoke."


def test_metadata_from_reader_wins():
    a = clean(doc("Some headline\nBody text of the article goes here.", title="Given title",
                  outlet="Given outlet", published=dt.datetime(2020, 1, 2), language="en"))
    assert (a.title, a.outlet, a.published, a.language) == ("Given title", "Given outlet", dt.date(2020, 1, 2), "en")
    assert a.text.startswith("Some headline")


def test_sentence_is_not_a_title():
    a = clean(doc("The minister arrived on Tuesday.\nTalks began an hour later."))
    assert a.title is None and a.text.startswith("The minister arrived")


@pytest.mark.parametrize("lead, place, agency", [
    ("Teheran/Moskau (ParsToday/PressTV) - Text folgt hier.", "Teheran/Moskau", "ParsToday/PressTV"),
    ("MOSCOW (Reuters) — Text follows here.", "MOSCOW", "Reuters"),
    ("Ankara – Metin burada devam ediyor.", "Ankara", None),
])
def test_datelines(lead, place, agency):
    a = clean(doc(lead))
    assert a.dateline == place and a.outlet == agency


def test_strip_boilerplate_keeps_middle():
    lines = ["Share this", "", "Body one.", "Read more about it below.", "Body two.", "© 2021 Outlet", "Tags: x"]
    assert strip_boilerplate(lines) == ["Body one.", "Read more about it below.", "Body two."]


def test_whitespace_normalised_and_content_hash_stable():
    a = clean(doc("Line  one\u00a0with   spaces.\r\n\r\nLine two."))
    b = clean(doc("Line one with spaces.\nLine two."))
    assert a.text == "Line one with spaces.\nLine two." and a.content_hash == b.content_hash


def test_seed_004_blog_copy(seeds_dir):
    raw = seed_files()[4].read_text(encoding="utf-8")
    assert "No comments" in raw
    a = clean(doc(raw))
    assert "No comments" not in a.text and "Post a Comment" not in a.text
    assert a.dateline == "Tehran, Iran"
