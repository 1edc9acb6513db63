"""A brief (a feed's summary, an agency's flash: one passage) is encoded with its headline; whole reports are not."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tidings.config import load_settings
from tidings.embedding import split_sentences, with_headline
from tidings.pipeline import Pipeline
from tidings.readers import RawDocument
from tidings.similarity import chunk_alignment


def test_with_headline_puts_the_headline_first_once() -> None:
    text = "Ebrahim Raisi und Wladimir Putin haben am Mittwoch telefoniert."
    assert with_headline("Raisi  telefoniert mit Putin", text) == f"Raisi telefoniert mit Putin. {text}"
    assert with_headline("Telefonat mit Putin?", text) == f"Telefonat mit Putin? {text}"
    assert with_headline("Ebrahim Raisi und Wladimir Putin haben", text) is None  # the text opens with it
    assert with_headline(None, text) is None and with_headline("  ", text) is None


@pytest.fixture(scope="module")
def seeds_prepared(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Pipeline, dict]:
    db = tmp_path_factory.mktemp("briefs") / "briefs.db"
    pipeline = Pipeline(load_settings(overrides={"store": {"url": str(db)}, "embedder": {"workers": 0}}))
    articles = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = RawDocument(id=path.stem[:3], text=path.read_text(encoding="utf-8"), source=str(path))
        articles[path.stem[:3]] = pipeline.prepare(doc)
    yield pipeline, articles
    pipeline.close()


def _brief(article, chars: int = 280):
    """The article's first sentences up to ``chars`` characters, headline kept: a feed's summary of it."""
    out = ""
    for start, end in split_sentences(article.text):
        if len(out) >= 120 and len(out) + 1 + end - start > chars:
            break
        out = f"{out} {article.text[start:end]}".strip()
    brief = copy.copy(article)
    brief.text, brief.chunks = out, []
    return brief


def test_a_brief_is_encoded_with_its_headline_and_a_whole_report_is_not(seeds_prepared) -> None:
    pipeline, seeds = seeds_prepared
    whole = seeds["003"]  # "Iran, Russia discuss boosting ties", several passages
    assert whole.title == "Iran, Russia discuss boosting ties"
    texts = pipeline.article_embedder.chunk([whole])
    assert len(whole.chunks) > 1 and sorted(texts) == sorted(c.text for c in whole.chunks)

    brief = _brief(whole)
    (text,) = pipeline.article_embedder.chunk([brief])
    assert text == f"Iran, Russia discuss boosting ties. {brief.text}"
    assert brief.chunks[0].text == brief.text  # the passage's span is the text's own


def test_the_headline_brings_a_brief_closer_to_other_languages_reports_of_its_happening(seeds_prepared) -> None:
    """003's lead tells of another meeting; its headline of the call that 000 (German) and 002 (Arabic) report."""
    pipeline, seeds = seeds_prepared
    for mate in ("000", "002"):
        pipeline.article_embedder([seeds[mate]])
    headed, plain = _brief(seeds["003"]), _brief(seeds["003"])
    plain.title = None
    pipeline.article_embedder([headed])
    pipeline.article_embedder([plain])
    for mate in ("000", "002"):
        with_it = sum(chunk_alignment(headed.vectors, seeds[mate].vectors)) / 2
        without = sum(chunk_alignment(plain.vectors, seeds[mate].vectors)) / 2
        assert with_it > without + 0.03, (mate, with_it, without)
