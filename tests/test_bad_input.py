"""Bad input: each gives one clear line naming it, the run goes on, nothing stored before is lost."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from conftest import TIDINGS_CLI, seed_files

from tidings.articles import ReadError
from tidings.readers import PathReader

PERSIAN = ("رئیس‌جمهور ایران روز چهارشنبه در تماس تلفنی با رئیس‌جمهور روسیه درباره همکاری‌های اقتصادی "
           "و وضعیت افغانستان گفت‌وگو کرد. دو طرف بر گسترش روابط دوجانبه و اجرای توافق‌های پیشین تأکید کردند.")
HINDI = ("भारत के प्रधानमंत्री ने बुधवार को नई दिल्ली में जापान के प्रधानमंत्री से मुलाकात की। दोनों नेताओं ने "
         "व्यापार, रक्षा सहयोग और हाई-स्पीड रेल परियोजना पर विस्तार से चर्चा की और कई समझौतों पर हस्ताक्षर किए।")
GOOD_EN = ("Ferry services across the Baltic Sea were suspended on Wednesday as a storm with gusts of up to "
           "120 kilometres per hour swept the coasts of Sweden, Finland and Estonia. Port authorities in Tallinn "
           "said no ships would leave before Thursday morning. Several thousand households lost power.")
GOOD_JSONL = [
    {"id": "wire-ok-1", "language": "en", "published": "2023-03-02",
     "text": "Chile's copper output fell four percent in January from a year earlier, the national statistics "
             "institute said on Thursday, as lower ore grades and water shortages weighed on large mines."},
    {"id": "wire-ok-2", "language": "es", "published": "2023-03-02",
     "text": "La producción de cobre de Chile cayó un cuatro por ciento en enero frente al mismo mes del año "
             "anterior, informó el jueves el instituto nacional de estadísticas, por la menor ley del mineral."},
]


@pytest.fixture()
def bad_folder(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "inbox"
    d.mkdir()
    files = {
        "empty": d / "empty.txt",
        "binary": d / "junk.txt",
        "latin1": d / "latin1.txt",
        "jsonl": d / "wire.jsonl",
        "persian": d / "fa-news.txt",
        "hindi": d / "hi-news.txt",
        "big": d / "huge.txt",
        "dump": d / "dump.txt",
        "good": d / "baltic-storm.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 64)
    # not UTF-8, no character set declared, and in no legacy code page a language the encoder covers (a French text in
    # Latin-1 is read: tests/test_readers.py)
    files["latin1"].write_bytes("Ο πρόεδρος της Δημοκρατίας διόρισε νέο πρωθυπουργό την Πέμπτη.".encode("cp1253"))
    lines = [json.dumps(GOOD_JSONL[0], ensure_ascii=False), '{"id": "broken", "text": "unterminated',
             json.dumps(GOOD_JSONL[1], ensure_ascii=False)]
    files["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    files["persian"].write_text(PERSIAN, encoding="utf-8")
    files["hindi"].write_text(HINDI, encoding="utf-8")
    with files["big"].open("wb") as fh:  # 50 MB of real text
        block = (GOOD_EN + "\n").encode() * 2000
        while fh.tell() < 50_000_000:
            fh.write(block)
    # 300,000 characters as one text: under the file limit, but no article (it took minutes to embed, a GB of memory)
    files["dump"].write_text(" ".join(f"Entry {n}: {GOOD_EN}" for n in range(1100)), encoding="utf-8")
    files["good"].write_text(GOOD_EN, encoding="utf-8")
    return files


def test_big_file_refused_without_loading(bad_folder):
    started = time.perf_counter()
    (err,) = list(PathReader(max_bytes=20_000_000).read([str(bad_folder["big"])]))
    assert time.perf_counter() - started < 0.5
    assert isinstance(err, ReadError) and "too large" in err.reason and "50" in err.reason


@pytest.mark.parametrize(("key", "reason"), [("empty", "empty file"), ("binary", "binary data"),
                                             ("latin1", "not valid UTF-8")])
def test_reader_errors(bad_folder, key, reason):
    (err,) = list(PathReader().read([str(bad_folder[key])]))
    assert isinstance(err, ReadError) and err.source == str(bad_folder[key]) and reason in err.reason


def test_cli_bad_inputs_run_goes_on(bad_folder, seeds_copy, tidings_at):
    before = tidings_at(seeds_copy).store.counts()
    missing = bad_folder["good"].parent / "no-such-file.txt"
    proc = subprocess.run([*TIDINGS_CLI, "ingest", str(bad_folder["good"].parent), str(missing),
                           "--db", str(seeds_copy), "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "Traceback" not in err and "Traceback" not in proc.stdout
    lines = [line for line in err.splitlines() if line.startswith("skipped")]
    expected = {
        "empty": "empty file",
        "binary": "binary data",
        "latin1": "not valid UTF-8",
        "big": "too large",
        "dump": "too long for one article",
    }
    for key, reason in expected.items():
        (line,) = [x for x in lines if str(bad_folder[key]) in x]
        assert reason in line, line
    (line,) = [x for x in lines if f"{bad_folder['jsonl']}:2" in x]
    assert "malformed JSON" in line
    for key in ("persian", "hindi"):
        (line,) = [x for x in lines if str(bad_folder[key]) in x]
        assert "language" in line, line
    (line,) = [x for x in lines if str(missing) in x]
    assert "no such file" in line
    assert len(lines) == 9
    assert "stored 3" in proc.stdout

    t = tidings_at(seeds_copy)
    after = t.store.counts()
    assert after["articles"] == before["articles"] + 3
    stored = {a.id for a in t.store.articles()}
    assert {"wire-ok-1", "wire-ok-2", "baltic-storm"} <= stored
    assert {"000_2e75e3fd11f96b7f", "004_55c22112cef1f973"} <= stored  # earlier articles are kept
    assert "fa-news" not in stored and "hi-news" not in stored and "huge" not in stored and "dump" not in stored


def test_cli_only_missing_path(tmp_path):
    db = tmp_path / "empty.db"
    proc = subprocess.run([*TIDINGS_CLI, "ingest", str(tmp_path / "nothing-here"), "--db", str(db), "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "nothing-here: no such file or folder" in proc.stderr
    assert "stored 0" in proc.stdout


def test_half_a_surrogate_pair_in_json_costs_one_character_not_the_run(tmp_path):
    # JSON's "\ud800" escapes can carry half of a surrogate pair, which UTF-8 cannot hold: it stopped the whole
    # ingest ("'utf-8' codec can't encode character"), the good records of the batch with it. Now the half becomes
    # U+FFFD and every record is stored; a pair for `tidings similarity` is scored.
    from tidings.api import Tidings

    seed = seed_files()[0].read_text(encoding="utf-8")
    inbox = tmp_path / "inbox.jsonl"
    inbox.write_text(json.dumps({"id": "whole", "text": seed}) + "\n"
                     + json.dumps({"id": "broken", "text": "Broken \ud800 here. " + seed[:400],
                                   "title": "A title \udc00 too"}) + "\n", encoding="utf-8")
    assert "\\ud800" in inbox.read_text(encoding="utf-8")  # written as the escape a JSON producer writes
    with Tidings(tmp_path / "t.db") as t:
        report = t.ingest([str(inbox)])
        texts = {a.id: a.text for a in t.store.articles()}
        added = t.add("Added \ud800 through the API. " + seed[:400], id="added")
    assert len(report.stored) == 2 and set(texts) == {"whole", "broken"} and len(added.stored) == 1
    assert "\ufffd" in texts["broken"] and "\ud800" not in texts["broken"]

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"pair_id": "p", "text1": "Broken \ud800 here. " + seed[:600], "text2": seed}) + "\n",
                     encoding="utf-8")
    proc = subprocess.run([*TIDINGS_CLI, "similarity", str(pairs)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout.splitlines()[0])
    assert row["pair_id"] == "p" and "error" not in row and 1.0 <= row["overall"] <= 4.0
