"""Files that are not UTF-8 and declare no character set: how often ``language.legacy_decode`` reads them right.

Every fixture article with a language (the event corpora, the facts sets, the multilingual fixtures), up to 40 a
language, is saved in each legacy code page of its language, cut to 150 or 400 characters or kept whole, and read
back: right (the very text), wrong (another text), or refused (as before there was any guessing). Texts that need no
byte above ASCII are left out (they are UTF-8 already), as are those a code page cannot hold. Then texts in languages
the encoder does not cover, saved in their own code pages, must all be refused (not read as garbage Russian, Arabic
or Thai).

    python -W ignore bench/legacy_encodings.py
"""

from __future__ import annotations

import collections
import json
import random
from pathlib import Path

from tidings.language import legacy_decode

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"en": ["cp1252"], "de": ["cp1252", "iso8859_15"], "fr": ["cp1252", "latin_1"], "es": ["cp1252"],
         "it": ["cp1252"], "pt": ["cp1252"], "nl": ["cp1252"], "pl": ["cp1250", "iso8859_2"], "ru": ["cp1251"],
         "tr": ["cp1254", "iso8859_9"], "ar": ["cp1256"], "ja": ["shift_jis", "euc_jp"], "zh": ["gb18030", "big5"],
         "ko": ["euc_kr"], "th": ["cp874"]}
# Languages the encoder does not cover, each in a code page of its own (written for this bench)
OTHERS = [
    ("el", "cp1253", "Ο πρόεδρος της Δημοκρατίας διόρισε νέο πρωθυπουργό την Πέμπτη το βράδυ, μετά από διαβουλεύσεις."),
    ("el", "iso8859_7", "Σεισμός 5,8 Ρίχτερ σημειώθηκε στην Κρήτη. Δεν αναφέρθηκαν ζημιές ή τραυματισμοί."),
    ("cs", "cp1250", "Prezident republiky jmenoval nového premiéra. Vláda získala důvěru sněmovny ve čtvrtek večer."),
    ("hu", "cp1250", "A miniszterelnök csütörtökön bejelentette, hogy a kormány újabb gazdasági intézkedéseket hoz."),
    ("bg", "cp1251", "Президентът обяви в четвъртък, че правителството ще приеме нови икономически мерки."),
    ("uk", "cp1251", "Президент оголосив у четвер, що уряд ухвалить нові економічні заходи для підтримки сімей."),
    ("he", "cp1255", "ראש הממשלה הודיע ביום חמישי כי הממשלה תאמץ צעדים כלכליים חדשים לתמיכה במשפחות."),
    ("sv", "cp1252", "Statsministern meddelade på torsdagen att regeringen kommer att vidta nya ekonomiska åtgärder."),
    ("da", "cp1252", "Statsministeren meddelte torsdag, at regeringen vil træffe nye økonomiske foranstaltninger."),
    ("fi", "cp1252", "Pääministeri ilmoitti torstaina, että hallitus toteuttaa uusia taloudellisia toimia perheille."),
    # headlines: too short for the detector to tell garbage Russian from Russian
    ("el", "cp1253", "Ένας σεισμός έπληξε το Μαρόκο."), ("el", "cp1253", "Σεισμός στην Κρήτη."),
    ("el", "cp1253", "Ο πρόεδρος διόρισε νέο πρωθυπουργό."), ("he", "cp1255", "ראש הממשלה הודיע ביום חמישי."),
    ("bg", "cp1251", "Президентът обяви нови мерки."),
]


def fixture_texts(per_language: int = 40) -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and record.get("text") and record.get("language"):
                texts.append((str(record["language"])[:2], str(record["text"])))
    random.Random(1).shuffle(texts)
    taken: collections.Counter[str] = collections.Counter()
    out = []
    for language, text in texts:
        if language in PAGES and taken[language] < per_language:
            taken[language] += 1
            out.append((language, text))
    return out


def main() -> None:
    counts: collections.Counter[str] = collections.Counter()
    by_language: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    wrong = []
    for language, text in fixture_texts():
        for cut in (150, 400, None):
            sample = text[:cut] if cut else text
            for page in PAGES[language]:
                try:
                    data = sample.encode(page)
                except UnicodeEncodeError:
                    continue
                if data.isascii():
                    continue
                got = legacy_decode(data)
                verdict = "refused" if got is None else "right" if got[0] == sample else "wrong"
                counts[verdict] += 1
                by_language[language][verdict] += 1
                if verdict == "wrong":
                    wrong.append((language, page, got[1], cut, sample[:50]))  # type: ignore[index]
    total = sum(counts.values())
    share = 100 * counts["right"] / total
    print(f"fixture texts in a legacy code page: {total}; right {counts['right']} ({share:.1f}%), "
          f"wrong {counts['wrong']}, refused {counts['refused']}")
    for language in sorted(by_language):
        c = by_language[language]
        print(f"  {language}: right {c['right']}, wrong {c['wrong']}, refused {c['refused']}")
    for item in wrong:
        print("  wrong:", item)
    read = [(language, page, legacy_decode(text.encode(page))) for language, page, text in OTHERS]
    print(f"languages the encoder does not cover: {sum(r is None for _, _, r in read)} of {len(read)} refused")
    for language, page, r in read:
        if r is not None:
            print(f"  {language} in {page} read as {r[1]} ({r[2]}): {r[0][:50]!r}")


if __name__ == "__main__":
    main()
