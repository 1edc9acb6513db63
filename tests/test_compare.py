"""Comparing the outlets of an event: claims shared by all, by some, unique and omitted; quotes; summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tidings.compare import ArticleInput, ClaimAligner, Sentence, _mark_quotes_and_speakers, compare_articles

ROOT = Path(__file__).resolve().parents[1]
DE, AR, EN = "000_2e75e3fd11f96b7f", "002_177dc29227984ed5", "003_228ee2c8dbe1ae26"


@pytest.fixture(scope="module")
def aligner() -> ClaimAligner:
    return ClaimAligner()  # the model is loaded once per process


@pytest.fixture(scope="module")
def seed_event(seeds_db: Path) -> tuple[Any, str]:
    from tidings.api import Tidings

    t = Tidings(seeds_db)
    ids = [e["id"] for e in t.events() if {a.id for a in t.store.articles(event_id=e["id"])} == {DE, AR, EN}]
    assert ids, "the three Raisi-Putin call reports should form one event"
    return t, ids[0]


@pytest.fixture(scope="module")
def result(seed_event: tuple[Any, str], aligner: ClaimAligner) -> dict[str, Any]:
    from tidings.compare import compare_event

    t, event_id = seed_event
    return compare_event(t, event_id, "en", aligner)


def claim_with(result: dict[str, Any], article: str, needle: str) -> dict[str, Any]:
    hits = [c for c in result["claims"] for s in c["sentences"] if s["article"] == article and needle in s["text"]]
    assert len(hits) == 1, f"{needle!r} should be in exactly one claim"
    return hits[0]


def test_shape(result: dict[str, Any]) -> None:
    assert set(result) == {"event", "claims", "unique", "omitted", "summary"}
    for c in result["claims"]:
        assert set(c) == {"id", "sentences", "articles", "quote", "speaker"}
        assert all(set(s) == {"article", "language", "text"} for s in c["sentences"])
    assert set(result["unique"]) == set(result["omitted"]) == {DE, AR, EN}
    json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize("needle", ["political and media games", "Dushanbe", "etched in my memory"])
def test_reported_only_by_some(result: dict[str, Any], needle: str) -> None:
    # gold.json reported_only_by_some: carried by the Arabic and English reports, left out by the German one.
    claim = claim_with(result, EN, needle)
    assert claim["articles"] == [AR, EN]
    assert {s["language"] for s in claim["sentences"]} == {"ar", "en"}
    assert claim["id"] in result["omitted"][DE]
    assert claim["id"] not in result["omitted"][AR] + result["omitted"][EN]


@pytest.mark.parametrize("needle", ["Shanghai Cooperation Organization", "from September", "hostage"])
def test_carried_by_all(result: dict[str, Any], needle: str) -> None:
    assert claim_with(result, EN, needle)["articles"] == [DE, AR, EN]


def test_other_happenings_are_trimmed(result: dict[str, Any]) -> None:
    # 003 opens with two other meetings: they are neither claims nor omissions of the others.
    texts = [s["text"] for c in result["claims"] for s in c["sentences"]]
    for name in ("Jalali", "Bogdanov", "Mohyeddinev", "Qazi Asgar"):
        assert not any(name in t for t in texts)
    by_id = {c["id"]: c for c in result["claims"]}
    for article in (DE, AR):
        assert all(len(by_id[cid]["articles"]) >= 2 for cid in result["omitted"][article])


def test_quotes_and_speakers(result: dict[str, Any]) -> None:
    us = claim_with(result, EN, "political and media games")
    assert us["quote"] and us["speaker"] == "Ebrahim Raisi"
    jcpoa = claim_with(result, EN, "hostage")
    assert jcpoa["quote"] and jcpoa["speaker"] == "Vladimir Putin"
    assert not claim_with(result, EN, "Dushanbe")["quote"]


def test_summary_is_extractive_and_in_the_chosen_language(seed_event: tuple[Any, str], result: dict[str, Any],
                                                          aligner: ClaimAligner) -> None:
    from tidings.compare import compare_event

    t, event_id = seed_event
    texts = {a.id: a.text for a in t.store.articles(event_id=event_id)}
    assert result["summary"]["language"] == "en"
    assert len(result["summary"]["sentences"]) >= 3
    assert all(s in texts[EN] for s in result["summary"]["sentences"])
    arabic = compare_event(t, event_id, "ar", aligner)["summary"]
    assert arabic["language"] == "ar" and all(s in texts[AR] for s in arabic["sentences"])
    # No article in French: the language most articles use (here a tie, any of them), never "fr".
    assert compare_event(t, event_id, "fr", aligner)["summary"]["language"] in {"de", "ar", "en"}


def test_syndicated_copies_count_once(aligner: ClaimAligner) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from compare_accuracy import load_fixture

    _, articles, _ = load_fixture(ROOT / "tests" / "fixtures" / "compare" / "ecb.json")
    copy = ArticleInput("ecb-en-copy", articles[2].text, "en", duplicate_of=articles[2].id)
    out = compare_articles([*articles, copy], "ecb", "de", aligner)
    assert "ecb-en-copy" not in out["unique"]
    assert not any("ecb-en-copy" in c["articles"] for c in out["claims"])
    assert out["summary"]["language"] == "de"


def test_alignment_on_hand_labelled_fixtures(aligner: ClaimAligner) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from compare_accuracy import load_fixture, score

    for path in sorted((ROOT / "tests" / "fixtures" / "compare").glob("*.json")):
        if path.name == "seeds_labels.json":
            continue
        _, articles, labels = load_fixture(path)
        r = score(articles, labels, aligner)
        assert r["tp"] >= 0.8 * r["pred"] and r["tp"] >= 0.8 * r["gold"], (path.name, r)
        assert r["off_trimmed"] == r["off"], path.name


def test_quote_marks_of_all_scripts_and_pronoun_speakers() -> None:
    text = ("Christine Lagarde a parlé jeudi. Elle a répété que la hausse était nécessaire. "
            "« L'inflation reste trop élevée », a-t-elle ajouté. Die Zinsen steigen weiter.")
    facts = {"who": [{"kind": "person", "name": "Christine Lagarde", "start": 0, "end": 17}]}
    spans = [(0, 32), (33, 87), (88, 138), (139, len(text))]
    sentences = [Sentence("a", "fr", i, s, e, text[s:e], 0) for i, (s, e) in enumerate(spans)]
    _mark_quotes_and_speakers(ArticleInput("a", text, "fr", facts), sentences)
    assert sentences[1].speaker == "Christine Lagarde"  # "Elle" resolves to the last person named
    assert sentences[2].quote and sentences[2].speaker == "Christine Lagarde"
    german = Sentence("b", "de", 0, 0, 40, "„Wir bleiben hart“, sagte die Ministerin.", 0)
    _mark_quotes_and_speakers(ArticleInput("b", german.text, "de"), [german])
    assert german.quote and german.speaker is None
    assert not sentences[3].quote


def test_cli_json(seed_event: tuple[Any, str], seeds_db: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from tidings.cli.compare import register

    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    _, event_id = seed_event
    out = CliRunner().invoke(app, ["compare", event_id, "--db", str(seeds_db), "--json", "--language", "en"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["summary"]["language"] == "en"
    assert CliRunner().invoke(app, ["compare", "no-such-event", "--db", str(seeds_db)]).exit_code == 2
    # an article's id: the event it is in, as `show` takes it
    by_article = CliRunner().invoke(app, ["compare", "002_177dc29227984ed5", "--db", str(seeds_db), "--json",
                                          "--language", "en"])
    assert by_article.exit_code == 0 and json.loads(by_article.output) == json.loads(out.output)
    # a language none of its articles is in: the summary cannot be in it (extractive), and the output says so
    out = CliRunner().invoke(app, ["compare", event_id, "--db", str(seeds_db), "--language", "fr"])
    said = " ".join(out.output.split())
    assert out.exit_code == 0 and "no article of this event is in 'fr': the summary is in" in said


def test_article_without_paragraphs_is_trimmed_too(aligner: ClaimAligner) -> None:
    # A flattened scrape: the other happening at the start of the Russian report is still left out.
    sys.path.insert(0, str(ROOT / "bench"))
    from compare_accuracy import load_fixture, score

    _, articles, labels = load_fixture(ROOT / "tests" / "fixtures" / "compare" / "water.json")
    flat = [ArticleInput(a.id, a.text.replace("\n", " "), a.language) for a in articles]
    r = score(flat, labels, aligner)
    assert r["off_trimmed"] == r["off"] == 2 and r["tp"] >= 0.8 * r["gold"]


def test_single_article_event(seeds_db: Path, aligner: ClaimAligner) -> None:
    from tidings.api import Tidings
    from tidings.compare import compare_event

    t = Tidings(seeds_db)
    event_id = next(e["id"] for e in t.events() if e["size"] == 1)
    out = compare_event(t, event_id, None, aligner)
    assert out["claims"] and all(v == [] for v in out["unique"].values())
    assert all(v == [] for v in out["omitted"].values())
    assert out["summary"]["sentences"]
    with pytest.raises(KeyError):
        compare_event(t, "no-such-event", None, aligner)


def test_chinese_and_japanese_sentences_split_without_spaces():
    # full-width stops take no space after them: a Japanese report was one "sentence", and so one claim
    from tidings.embedding import split_sentences

    sentences = ["トランプ前大統領が銃撃され、右耳を負傷した。",
                 "トランプ氏はSNSで「弾丸が貫通した。」と明らかにした。",  # the quote closes and the sentence goes on
                 "聴衆の1人が死亡した。"]
    ja = "".join(sentences)
    assert [ja[s:e] for s, e in split_sentences(ja)] == sentences
    zh = "习近平同普京举行会谈。双方发表联合声明！"
    assert [zh[s:e] for s, e in split_sentences(zh)] == ["习近平同普京举行会谈。", "双方发表联合声明！"]
