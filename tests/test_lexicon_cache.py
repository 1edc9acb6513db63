"""The built name lexicon is cached on disk: the next process reads what the first one built, exactly."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from tidings import facts_lexicon
from tidings.facts import FactExtractor
from tidings.facts_lexicon import Lexicon, cache_path, get_lexicon, load_or_build, save_cache

TABLES = ("entities", "index", "cjk", "cjk_starts", "max_ngram", "demonym_stems", "nisba", "city_country",
          "first_max", "cjk_cued", "cjk_cued_starts")


@pytest.fixture(scope="module")
def built() -> Lexicon:
    return Lexicon()  # a fresh build (7 s), not the cached one


@pytest.fixture()
def builds(built, monkeypatch) -> list[int]:
    """Counts builds, each of which hands out a copy of ``built`` at once instead of building again."""
    calls: list[int] = []

    def build(self: Lexicon) -> None:
        calls.append(1)
        self.__dict__.update(vars(built))

    monkeypatch.setattr(Lexicon, "__init__", build)
    return calls


def test_a_cached_lexicon_is_the_built_one(tmp_path, built):
    path = tmp_path / "lexicon.pickle"
    assert save_cache(built, path) and path.is_file()
    again = load_or_build(path)  # reads
    for table in TABLES:
        assert getattr(again, table) == getattr(built, table), table


def test_a_missing_cache_is_built_and_written(tmp_path, built, builds):
    path = tmp_path / "sub" / "lexicon.pickle"
    assert load_or_build(path).index == built.index and builds == [1]
    assert load_or_build(path).first_max == built.first_max and builds == [1]  # read, not built again


def test_facts_from_the_cached_lexicon_are_those_of_a_fresh_build(tmp_path, built, monkeypatch):
    path = tmp_path / "lexicon.pickle"
    save_cache(built, path)
    rows = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines()]
    extract = FactExtractor()

    def facts_with(lex: Lexicon) -> list[dict]:
        monkeypatch.setattr(facts_lexicon, "_LEX", lex)
        return [extract(r["text"], r["language"]).to_dict() for r in rows]

    assert facts_with(load_or_build(path)) == facts_with(built)


@pytest.mark.parametrize("damage", [b"\x80\x05not a pickle at all", b"", b"\x80\x05N."])
def test_a_damaged_cache_is_rebuilt_and_replaced(tmp_path, built, builds, damage):
    path = tmp_path / "lexicon.pickle"
    path.write_bytes(damage)
    assert load_or_build(path).index == built.index and builds == [1]
    assert load_or_build(path).first_max == built.first_max and builds == [1]  # the file was rewritten whole


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path, built, builds):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    lex = load_or_build(blocker / "lexicon.pickle")
    assert lex.city_country == built.city_country and builds == [1]
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_the_cache_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TIDINGS_CACHE", str(tmp_path))
    assert cache_path().parent == tmp_path and cache_path().name.startswith("lexicon-")
    monkeypatch.setenv("TIDINGS_CACHE", "")
    assert cache_path() is None
    monkeypatch.delenv("TIDINGS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_path().parent == tmp_path / "xdg" / "tidings"


def test_the_process_lexicon_is_one_object():
    assert get_lexicon() is get_lexicon()


def test_old_versions_files_go_and_files_in_use_stay(tmp_path, built):
    import os
    import time

    month_ago = time.time() - 31 * 86400
    old = tmp_path / "lexicon-0000000000000000.pickle"         # another version's, unread for a month
    recent = tmp_path / "lexicon-1111111111111111.pickle"      # another installed version's, read yesterday
    killed = tmp_path / "lexicon-2222222222222222.pickle.77.tmp"  # a killed writer's leftover
    other = tmp_path / "notes.txt"                             # not ours
    for p in (old, recent, killed, other):
        p.write_bytes(b"x")
    for p in (old, killed, other):
        os.utime(p, (month_ago, month_ago))
    os.utime(recent, (time.time() - 86400,) * 2)
    path = tmp_path / "lexicon-3333333333333333.pickle"
    assert save_cache(built, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([recent.name, other.name, path.name])
    # reading a cache file refreshes its time, so the versions in use never remove each other's
    os.utime(path, (month_ago, month_ago))
    load_or_build(path)
    assert path.stat().st_mtime > time.time() - 60
