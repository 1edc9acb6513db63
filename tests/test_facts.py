"""Facts extraction on the shared seeds and on our multilingual fixtures (real data, real lexicon)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import warnings
from pathlib import Path

import pytest

from tidings.facts import FactExtractor, Facts, aggregate, name_skeleton
from tidings.facts_dates import find_dates
from tidings.facts_lexicon import get_lexicon

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ lies beside the checkout
FIXTURES = Path(__file__).parent / "fixtures" / "facts" / "articles.jsonl"
AUG21 = dt.date(2021, 8, 21)


def seed(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not available")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fx() -> FactExtractor:
    return FactExtractor()


def ids(mentions) -> set[str]:
    return {m.entity.id for m in mentions}


@pytest.mark.parametrize("prefix,lang", [("000", "de"), ("002", "ar"), ("003", "en")])
def test_seed_raisi_putin_one_entity_each(fx, prefix, lang):
    f = fx(seed(prefix), lang, AUG21)
    raisi = {m.entity.id for m in f.who if "raisi" in m.entity.id}
    putin = {m.entity.id for m in f.who if "putin" in m.entity.id}
    assert raisi == {"person:ebrahim-raisi"}
    assert putin == {"person:vladimir-putin"}
    assert {"country:IR", "country:RU"} <= ids(f.where)


def test_seed_surfaces_in_their_scripts(fx):
    de = {m.surface for m in fx(seed("000"), "de", AUG21).who}
    ar = {m.surface for m in fx(seed("002"), "ar", AUG21).who}
    assert "Wladimir Putin" in de and "Ebrahim Raisi" in de
    assert "بوتين" in ar and "إبراهيم رئيسي" in ar


@pytest.mark.parametrize("prefix,lang", [("000", "de"), ("002", "ar"), ("003", "en")])
def test_seed_happened_is_wednesday_not_publication(fx, prefix, lang):
    assert fx(seed(prefix), lang, AUG21).happened == dt.date(2021, 8, 18)


@pytest.mark.parametrize("prefix,lang", [("000", "de"), ("002", "ar"), ("001", "de")])
def test_seed_without_publication_date_has_no_happened(fx, prefix, lang):
    f = fx(seed(prefix), lang, None)
    assert f.happened is None
    assert all(d.date is not None for d in f.when)


def test_seed_003_stamp_is_not_a_happening(fx):
    f = fx(seed("003"), "en", AUG21)
    assert AUG21 not in {d.date for d in f.when}
    assert {"person:kazem-jalali", "person:mikhail-bogdanov"} <= ids(f.who)


def test_seed_004_lavrov_visit(fx):
    f = fx(seed("004"), "en", dt.date(2021, 4, 14))
    assert {"person:sergey-lavrov", "person:hassan-rouhani", "person:mohammad-javad-zarif"} <= ids(f.who)
    assert "country:IR" in ids(f.where)
    assert any(m.entity.kind == "city" and m.entity.name == "Tehran" for m in f.where)
    assert f.happened == dt.date(2021, 4, 13)


def test_seed_001_tabas_city_and_no_wrong_date(fx):
    f = fx(seed("001"), "de", None)
    assert any(m.entity.kind == "city" and m.surface == "Tabas" for m in f.where)
    assert {"person:ebrahim-raisi", "person:vladimir-putin"} <= ids(f.who)
    assert f.happened is None


def test_cross_language_orgs(fx):
    de = ids(fx(seed("000"), "de", AUG21).who)
    ar = ids(fx(seed("002"), "ar", AUG21).who)
    en = ids(fx(seed("001"), "de", None).who)
    assert {"org:sco", "org:jcpoa"} <= de & ar
    assert "org:iaea" in en


def test_unknown_name_gets_stable_id(fx):
    text = (
        "Der iranische Botschafter Kazem Jalali traf am Montag in Moskau ein. "
        "Jalali sagte, die Gespräche seien gut."
    )
    a = fx(text, "de", AUG21)
    b = FactExtractor()(text, "de", AUG21)
    jal = [m for m in a.who if m.entity.id == "person:kazem-jalali"]
    assert len(jal) == 2  # full name and the later surname
    assert a.to_dict() == b.to_dict()


# -- fixtures ---------------------------------------------------------------------------------------------

CASES = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]


def _hit(gold: str, facts_mentions) -> bool:
    return any(gold == m.entity.id or gold.lower() == m.entity.name.lower() for m in facts_mentions)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fixture_article(fx, case):
    pub = dt.date.fromisoformat(case["published"]) if case["published"] else None
    f = fx(case["text"], case["language"], pub)
    missing_who = [g for g in case["who"] if not _hit(g, f.who)]
    missing_where = [g for g in case["where"] if not _hit(g, f.where)]
    # at most one miss per field per article: the fixtures are the measured benchmark, not a wish list
    assert len(missing_who) <= 1, missing_who
    assert len(missing_where) <= 1, missing_where
    assert (f.happened.isoformat() if f.happened else None) == case["happened"]


def test_fixtures_cover_required_languages():
    langs = {c["language"] for c in CASES}
    assert {"ru", "zh", "tr", "es", "fr", "ar", "de", "en"} <= langs


# -- dates --------------------------------------------------------------------------------------------------


def test_korean_ago_is_not_a_word_starting_with_jeon():
    # "10일 전격 합의": on the 10th, a sudden agreement; "3일 전": three days ago
    found, _ = find_dates("인도와 파키스탄이 10일 전격 휴전에 합의했다.", "ko", dt.date(2025, 5, 11))
    assert [f.date for f in found] == [dt.date(2025, 5, 10)]
    found, _ = find_dates("사고는 3일 전에 발생했다.", "ko", dt.date(2025, 5, 11))
    assert [f.date for f in found] == [dt.date(2025, 5, 8)]


def test_stamps_and_wire_datelines_in_a_scraped_page_are_no_happening():
    # the stamp line with its time before the date, and the wire dateline opening the body mid-page: the day of
    # publication, not of the attacks ("вечером в пятницу")
    text = ("13:05 15.11.2015 (обновлено: 14:22 15.11.2015)\nЛюди у концертного зала в Париже\n"
            "ПАРИЖ, 15 ноября — РИА Новости. Число погибших в результате терактов вечером в пятницу достигло 129.")
    found, _ = find_dates(text, "ru", dt.date(2015, 11, 15))
    assert [f.date for f in found if not f.stamp] == [dt.date(2015, 11, 13)]
    text = "Home\nWASHINGTON, Dec 5 (Reuters) - The vote was held on Tuesday."
    found, _ = find_dates(text, "en", dt.date(2024, 12, 5))
    assert [f.date for f in found if not f.stamp] == [dt.date(2024, 12, 3)]


def test_the_first_sentence_says_when(fx):
    # the news of the day in the lead sentence; the earlier quakes it recalls are named twice further on
    text = ("Um sismo de magnitude 6,5 abalou o centro de Itália às 7h40 deste domingo, o mais forte desde 1980. O "
            "epicentro situou-se perto de Norcia, a poucos quilómetros das aldeias atingidas por dois abalos na "
            "quarta-feira. As autoridades não registaram vítimas mortais, mas há cerca de 20 feridos. A Basílica de "
            "São Bento, em Norcia, construída no século XIV no local onde, segundo a tradição, nasceu o santo "
            "padroeiro da Europa, ruiu quase por completo, restando apenas a fachada. Imagens da televisão mostraram "
            "freiras e monges de joelhos a rezar na praça diante dos escombros. O abalo foi sentido em Roma, onde o "
            "metro foi encerrado para inspeções, e em grande parte do país. O primeiro-ministro prometeu reconstruir "
            "tudo e disse que o Governo vai disponibilizar os meios necessários para acolher os desalojados. Muitas "
            "localidades tinham sido evacuadas depois dos sismos de quarta-feira.")
    assert fx(text, "pt", dt.date(2016, 10, 30)).happened == dt.date(2016, 10, 30)


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("de", "Das Treffen fand am 21. August 2021 statt.", "2021-08-21"),
        ("ar", "عقد الاجتماع في 21 أغسطس 2021.", "2021-08-21"),
        ("en", "The meeting was held on August 21, 2021.", "2021-08-21"),
        ("en", "Data as of 2021-08-19.", "2021-08-19"),
        ("ru", "Встреча прошла 21 августа 2021 года.", "2021-08-21"),
        ("zh", "会议于2021年8月21日举行。", "2021-08-21"),
        ("ko", "회의는 2021년 8월 21일 열렸다.", "2021-08-21"),
        ("de", "Er kam gestern an.", "2021-08-20"),
        ("de", "Das geschah vor zwei Tagen.", "2021-08-19"),
        ("ar", "وصل امس إلى طهران.", "2021-08-20"),
        ("en", "It happened yesterday.", "2021-08-20"),
        ("tr", "Toplantı Çarşamba günü yapıldı.", "2021-08-18"),
        ("fr", "Il est arrivé mercredi soir.", "2021-08-18"),
        ("es", "Llegó el miércoles.", "2021-08-18"),
        ("ja", "首相は水曜日に会見した。", "2021-08-18"),
        ("ru", "Он прилетел в среду.", "2021-08-18"),
    ],
)
def test_date_expressions(lang, text, expected):
    found, _ = find_dates(text, lang, AUG21)
    assert [f.date.isoformat() for f in found if f.date] == [expected]


def test_weekday_on_publication_day_and_future():
    found, _ = find_dates(
        "Talks will continue on Wednesday. He spoke on Wednesday.", "en", dt.date(2021, 4, 14)
    )
    assert [(f.date, f.future) for f in found] == [
        (dt.date(2021, 4, 21), True),
        (dt.date(2021, 4, 14), False),
    ]


def test_impossible_date_warns_and_is_dropped(fx):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        f = fx("Am 31. Februar 2021 geschah nichts.", "de", AUG21)
    assert f.when == []
    assert any("impossible date" in str(x.message) for x in w)


def test_relative_without_publication_gives_no_date(fx):
    f = fx("Gestern und am Mittwoch trafen sich die Minister.", "de", None)
    assert f.when == [] and f.happened is None


def test_top_stamp_used_as_reference_when_published_unknown(fx):
    text = "Ties discussed\n\nAugust 21, 2021 - 21:45\n\nThe ministers met on Wednesday in Moscow."
    f = fx(text, "en", None)
    assert f.happened == dt.date(2021, 8, 18)


# -- edge cases, serialisation, aggregation -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "1234 5678", "no names here at all.", "。。。", "??!!"])
def test_empty_inputs(fx, text):
    f = fx(text, "en", AUG21)
    assert f.who == [] and f.where == [] and f.when == [] and f.happened is None


def test_no_false_cities_from_common_words(fx):
    f = fx("Aufgrund der aktuellen Lage wollen wir heute essen. La reunión fue larga.", "de", None)
    assert f.where == []


def test_acronyms_are_case_sensitive(fx):
    assert ids(fx("The WHO warned about the virus.", "en").who) == {"org:who"}
    assert fx("People who travel should test.", "en").who == []


def test_offsets_point_at_surfaces(fx):
    text = seed("002")
    f = fx(text, "ar", AUG21)
    for m in f.who + f.where:
        assert text[m.start : m.end] == m.surface
    for d in f.when:
        assert text[d.start : d.end] == d.surface


def test_roundtrip_dict(fx):
    f = fx(seed("003"), "en", AUG21)
    d = f.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert Facts.from_dict(d) == f


def test_dateline_places(fx):
    f = fx("Die Minister trafen sich.", "de", None, dateline="Teheran/Moskau")
    assert {m.entity.name for m in f.where} == {"Tehran", "Moscow"}
    assert all(m.start == -1 for m in f.where)


def test_aggregate_event(fx):
    facts = [fx(seed("000"), "de", AUG21), fx(seed("002"), "ar", AUG21), fx(seed("003"), "en", AUG21)]
    ev = aggregate(facts)
    top = {r["id"] for r in ev["who"][:3]}
    assert {"person:ebrahim-raisi", "person:vladimir-putin"} <= top
    assert ev["who"][0]["count"] == 3
    assert ev["date"] == "2021-08-18" and ev["dates"] == [{"date": "2021-08-18", "count": 3}]
    assert {"country:IR", "country:RU"} <= {r["id"] for r in ev["where"] if r["count"] == 3}
    assert aggregate([]) == {"who": [], "where": [], "dates": [], "date": None}


def test_a_katakana_name_merges_into_its_latin_spelling_in_an_event(fx):
    # The Japanese report of Ghosn's arrest names him "カルロス・ゴーン", a name the lexicon does not know: the event
    # lists one Carlos Ghosn, named by both reports, through the aggregate and through the running tally alike.
    import datetime as dt

    from tidings.events import EventTally

    day = dt.date(2018, 11, 19)
    ja = fx("日産自動車のカルロス・ゴーン会長が19日、金融商品取引法違反の疑いで東京地検特捜部に逮捕された。", "ja", day)
    fr = fx("Carlos Ghosn, le patron de l'alliance, a été arrêté lundi à Tokyo par le parquet.", "fr", day)
    sainz = fx("Carlos Sainz a gagné le rallye lundi à Tokyo.", "fr", day)
    tally = EventTally()
    for seq, f in enumerate((ja, fr)):
        tally.add(seq, None, "", f"{seq}", None, day, False, f)
    for ev in (aggregate([ja, fr]), tally.facts()):
        people = [(r["name"], r["count"]) for r in ev["who"] if r["kind"] == "person"]
        assert people == [("Carlos Ghosn", 2)], people
    # another name of similar letters stays apart; a tally read back from its JSON gives the same
    people = [r["name"] for r in aggregate([ja, sainz])["who"] if r["kind"] == "person"]
    assert len(people) == 2
    old = EventTally(json.loads(json.dumps(tally.to_dict())))
    assert old.facts() == tally.facts()


def test_name_skeleton_links_scripts():
    assert name_skeleton("Kazem Jalali") == name_skeleton("Kasem Dschalali".replace("Dsch", "J"))
    assert name_skeleton("Vladimir") == name_skeleton("Wladimir")
    assert name_skeleton("Lavrov") != name_skeleton("Zarif")
    # the Arabic article kept, dropped or assimilated: one person
    assert name_skeleton("Bashar al-Assad") == name_skeleton("Beşşar Esad") == name_skeleton("بشار الأسد")
    assert name_skeleton("Ahmed al-Sharaa") == name_skeleton("Ahmed eş-Şara") == name_skeleton("أحمد الشرع")
    assert name_skeleton("Alexander Elder") != name_skeleton("Alexander Der")
    # a soft c as the other scripts hear it; a hard one stays k
    assert name_skeleton("Jacinda Ardern") == name_skeleton("جاسيندا أرديرن") == name_skeleton("Джасинда Ардерн")
    assert name_skeleton("Macron") != name_skeleton("Masron")


def test_speed_per_article(fx):
    text = (seed("003") + "\n" + seed("000"))[:4000]
    fx(text, "en", AUG21)
    t = time.perf_counter()
    for _ in range(10):
        fx(text, "en", AUG21)
    assert (time.perf_counter() - t) / 10 < 0.05  # target 15 ms; generous bound for slow CI machines


# -- held-out set: recall gates and specific cases ----------------------------------------------------------

HELDOUT = Path(__file__).parent / "fixtures" / "facts_heldout" / "articles.jsonl"
HELD = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]

# Floors pinned a little below what bench/facts_accuracy.py measures (people recall, places recall) per
# language; the gate catches regressions, it is not the target.
RECALL_FLOORS = {
    "ar": (0.35, 0.85),
    "de": (0.85, 0.70),
    "en": (0.75, 0.80),
    "es": (0.70, 0.70),
    "fr": (0.70, 0.35),
    "ja": (0.75, 0.40),
    "ru": (0.85, 0.60),
    "tr": (0.55, 0.80),
    "zh": (0.60, 0.70),
    "ALL": (0.72, 0.72),
}


@pytest.fixture(scope="module")
def bench():
    import importlib.util

    path = Path(__file__).parents[1] / "bench" / "facts_accuracy.py"
    spec = importlib.util.spec_from_file_location("facts_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def heldout_scores(fx, bench):
    tally: dict[str, list[int]] = {}
    dates_ok = 0
    for c in HELD:
        c = dict(c, places=c["where"], source="heldout")
        pub = dt.date.fromisoformat(c["published"]) if c["published"] else None
        f = fx(c["text"], c["language"], pub)
        dates_ok += (f.happened.isoformat() if f.happened else None) == c["happened"]
        for lang in (c["language"], "ALL"):
            t = tally.setdefault(lang, [0, 0, 0, 0])
            found, _, _, ngold, _, _ = bench.score(f, c, "people")
            t[0] += found
            t[1] += ngold
            found, _, _, ngold, _, _ = bench.score(f, c, "places")
            t[2] += found
            t[3] += ngold
    return tally, dates_ok


def test_heldout_covers_languages():
    langs = {c["language"] for c in HELD}
    assert len(HELD) >= 30 and len(langs) >= 8
    assert {"ru", "zh", "tr", "ar", "de"} <= langs


@pytest.mark.parametrize("lang", sorted(RECALL_FLOORS))
def test_heldout_recall_gate(heldout_scores, lang):
    tally, _ = heldout_scores
    pf, gf, pp, gp = tally[lang]
    people_floor, places_floor = RECALL_FLOORS[lang]
    assert pf / gf >= people_floor, (lang, "people", pf, gf)
    assert pp / gp >= places_floor, (lang, "places", pp, gp)


def test_heldout_happened_dates(heldout_scores):
    _, ok = heldout_scores
    assert ok >= len(HELD) - 2


def _held(id_: str) -> dict:
    return next(c for c in HELD if c["id"] == id_)


def _run(fx, case: dict) -> Facts:
    pub = dt.date.fromisoformat(case["published"]) if case["published"] else None
    return fx(case["text"], case["language"], pub)


def test_cjk_single_character_country_abbreviations(fx):
    f = fx("米大統領選で勝利した。日米同盟を強化する。", "ja")
    assert {"country:US", "country:JP"} <= ids(f.where)
    assert {"country:US", "country:CN"} <= ids(fx("中美关系出现缓和迹象，美方表示欢迎。", "zh").where)
    assert "country:KR" in ids(fx("한미 동맹을 강화하기로 했다.", "ko").where)
    # the same characters as ordinary words are no countries: 米 (rice), 中 (middle), 日 (day)
    assert fx("今日は米を買いに行った。昨日も中で待った。", "ja").where == []


def test_unknown_publication_date_gives_no_happened_for_relative(fx):
    f = _run(fx, _held("ru-lavrov-wang-nopub"))
    assert f.happened is None and f.when == []
    f = _run(fx, _held("tr-izmir-court-nopub"))  # an explicit date still counts
    assert f.happened == dt.date(2025, 3, 12)


def test_shared_surname_two_people(fx):
    f = _run(fx, _held("de-mueller-bayern"))
    names = {m.entity.name for m in f.who if m.entity.kind == "person"}
    assert {"Thomas Müller", "Gerd Müller"} <= names


def test_a_name_said_twice_or_two_names_side_by_side(fx):
    """A scraped caption repeats its name ("Joe Root Joe Root", from the SemEval sample's English pages); a list of
    people drops its commas. Each is a name of its own; a name with "bin" or "y" inside is one name or none."""
    f = fx("Joe Root Joe Root of England celebrates his century at Lord's on Friday.", "en")
    assert {m.entity.name for m in f.who if m.entity.kind == "person"} == {"Joe Root"}
    f = fx("The talks between John Hartley Mary Brennan ended on Monday in Belfast.", "en")
    assert {m.entity.name for m in f.who if m.entity.kind == "person"} == {"John Hartley", "Mary Brennan"}
    f = fx("Emir Abdullah bin Hamad al-Thani met the delegation in Doha on Monday.", "en")
    assert "Abdullah bin" not in {m.surface for m in f.who}


def test_first_names_that_are_places(fx):
    f = _run(fx, _held("en-pickford-dusseldorf"))
    assert "country:JO" not in ids(f.where)
    assert "Jordan Pickford" in {m.entity.name for m in f.who}
    f = _run(fx, _held("fr-le-pen-verdict"))
    assert "country:JO" not in ids(f.where)
    assert "Jordan Bardella" in {m.entity.name for m in f.who}
    f = fx("Bayerns Ministerpräsident Markus Söder dankte den Helfern.", "de")
    assert all(m.entity.kind != "city" for m in f.where)


def test_ambiguous_city_follows_context(fx):
    f = _run(fx, _held("en-milton-florida"))
    assert "city:4171563" in ids(f.where)  # St. Petersburg, Florida
    assert "city:498817" not in ids(f.where)  # not Saint Petersburg, Russia


def test_dates_in_local_numerals_and_wire_datelines(fx):
    assert _run(fx, _held("zh-typhoon-krathon")).happened == dt.date(2024, 10, 3)  # 二〇二四年十月三日
    assert _run(fx, _held("ar-derna-eastern-digits")).happened == dt.date(2023, 9, 10)  # ١٠ سبتمبر ٢٠٢٣
    assert _run(fx, _held("ja-trump-fullwidth")).happened == dt.date(2024, 11, 6)  # ６日
    # "新华社广州6月18日电" is the stamp and "截至18日" a count: the floods were "昨天"
    assert _run(fx, _held("zh-meizhou-floods")).happened == dt.date(2024, 6, 17)
    assert _run(fx, _held("en-riyadh-talks")).happened == dt.date(2025, 2, 18)  # "Earlier on Tuesday"


def test_article_without_places(fx):
    assert _run(fx, _held("en-nvidia-noplace")).where == []
    assert _run(fx, _held("ar-altman-noplace")).where == []


def test_impossible_date_in_other_languages_warns(fx):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        f = fx("The summit was held on 31 February 2024 in Paris.", "en", dt.date(2024, 3, 5))
    assert f.happened is None
    assert any("impossible date" in str(x.message) for x in w)


def test_everyday_words_are_not_cities(fx):
    # GeoNames lists these words as city names (Corona CA, Lander VE, Madinah, El Jadida, Bozhou): in news they
    # are the virus, the German states, "city", "the new", Polish "after"
    de = fx("Die Corona-Krise trifft die Länder hart. Corona bleibt das Thema in Berlin.", "de")
    ar = fx("قالت وزارة الصحة في مدينة الإسكندرية إن الخطة الجديدة تبدأ اليوم في القاهرة.", "ar")
    pl = fx("Po spotkaniu w Warszawie premier zapowiedział zmiany.", "pl")
    places = {lang: {m.entity.name for m in f.where} for lang, f in (("de", de), ("ar", ar), ("pl", pl))}
    assert places["de"] == {"Berlin"}
    assert "Madinah" not in places["ar"] and "El Jadida" not in places["ar"] and "Cairo" in places["ar"]
    assert "Bozhou" not in places["pl"] and "Warsaw" in places["pl"]


@pytest.mark.parametrize(("lang", "text", "places"), [
    # sentence-opening function words that GeoNames lists as a city's name: "Dabei" (Dubai), "Dort" (Dordrecht),
    # "Mitte" (Berlin's district), Turkish "Ama" (but; Amman) and "Orada" (there)
    ("de", "Dabei wurde ein Radfahrer in Bochum verletzt. Dort war die Straße gesperrt. Mitte März folgt der Prozess.",
     {"Bochum"}),
    ("tr", "Ama polis İzmir'de açıklama yaptı. Orada iki kişi yaralandı.", {"İzmir"}),
])
def test_sentence_openers_are_not_cities(fx, lang, text, places):
    assert {m.entity.name for m in fx(text, lang).where} == places


def test_the_wide_script_gate_admits_every_letter_the_gated_date_patterns_need():
    """find_dates skips its CJK, Hangul and Thai patterns on texts without such letters: each of those patterns
    needs at least one letter the gate admits (月/월/曜/星期/วัน...), or the skip would lose dates."""
    from tidings import facts_dates as fd

    for language in ("zh", "ja", "ko", "th"):
        pats = fd._patterns(language)
        for pattern in [pats["cjk"].pattern, pats["hanzi"].pattern, fd._CJK_WEEKDAY.pattern]:
            wide = [c for c in pattern if ord(c) > 0x2000]
            assert wide and all(fd._WIDE_SCRIPT.match(c) for c in wide), (language, pattern)
    text = "（新华社北京2024年6月18日电）习近平星期二在北京会见了普京。"
    found, _ = fd.find_dates(text, "zh", None)
    assert [f.surface for f in found] == ["2024年6月18日", "星期二"]
    assert fd.find_dates("Putin traf Raisi am 18. August 2021 in Moskau.", "de", None)[0][0].date.isoformat() \
        == "2021-08-18"


def test_the_wide_script_gate_changes_no_date_on_real_texts(monkeypatch):
    """The same dates with the gate as with every pattern scanned: the SemEval sample (ten languages), our
    fixtures and the seeds, with a reference date and without."""
    from conftest import FIXTURES, seed_files

    from tidings import facts_dates as fd
    from tidings.language import FastTextLanguageDetector

    sample = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
    texts: list[tuple[str, str]] = []
    for line in sample.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts += [(r["text1"], r["lang1"]), (r["text2"], r["lang2"])]
    detect = FastTextLanguageDetector()
    for path in sorted(FIXTURES.glob("*/articles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            texts.append((r["text"], r.get("language") or detect(r["text"]).language or "en"))
    texts += [(p.read_text(encoding="utf-8"), detect(p.read_text(encoding="utf-8")).language) for p in seed_files()]
    assert len(texts) > 3000 and {lang for _, lang in texts} >= {"ar", "de", "en", "ja", "ko", "zh"}

    def dates() -> list:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [find_dates(t, lang, ref) for t, lang in texts for ref in (dt.date(2021, 8, 21), None)]

    gated = dates()
    monkeypatch.setattr(fd, "_WIDE_SCRIPT", re.compile(""))  # matches every text: every pattern scanned
    assert dates() == gated


FRIDAY = dt.date(2024, 3, 1)  # a Friday


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a past cue is a word next to the weekday, not any word of the 40 characters before it
        ("fr", "Des milliers de personnes ont rendu un dernier hommage vendredi à Navalny.", "2024-03-01"),
        ("en", "The last of the ministers arrived on Friday.", "2024-03-01"),
        ("de", "Nach den letzten Gesprächen kam er am Freitag an.", "2024-03-01"),
        # ... on either side: "last Friday", but "vendredi dernier", "el viernes pasado", "الجمعة الماضية"
        ("en", "He arrived last Friday.", "2024-02-23"),
        ("de", "Er kam am vergangenen Freitag an.", "2024-02-23"),
        ("fr", "Il est arrivé vendredi dernier.", "2024-02-23"),
        ("es", "Llegó el viernes pasado.", "2024-02-23"),
        ("ar", "وصل الوزير يوم الجمعة الماضية إلى موسكو.", "2024-02-23"),
    ],
)
def test_weekday_past_cue_is_next_to_the_weekday(lang, text, expected):
    found, _ = find_dates(text, lang, FRIDAY)
    assert [f.date.isoformat() for f in found if f.kind == "weekday"] == [expected]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Des milliers de personnes ont rendu un dernier hommage vendredi 1er mars à Alexeï Navalny."),
        ("en", "Thousands paid their last respects on Friday, March 1, in Moscow."),
        ("de", "Am vergangenen Freitag, 1. März, nahmen Tausende Abschied."),
    ],
)
def test_weekday_followed_by_its_date_takes_that_date(fx, lang, text):
    # "vendredi 1er mars" names one day: the weekday is the date's, whatever the words around it suggest
    found, _ = find_dates(text, lang, FRIDAY)
    assert {f.date for f in found if f.date} == {FRIDAY}
    assert fx(text, lang, FRIDAY).happened == FRIDAY


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # the weekday as an adjective, in any case: "in Sunday's final", "Friday's semi-final"
        ("pl", "W niedzielnym finale Nadal pokonał Ruuda.", "2022-06-05"),
        ("pl", "W piątkowym półfinale Zverev skręcił kostkę.", "2022-06-03"),
        ("pl", "Po sobotniej akcji policja zatrzymała trzech mężczyzn.", "2022-06-04"),
        ("ru", "В воскресном финале Надаль обыграл Рууда.", "2022-06-05"),
        ("ru", "Субботняя акция собрала тысячи людей.", "2022-06-04"),
    ],
)
def test_weekday_adjectives(lang, text, expected):
    found, _ = find_dates(text, lang, dt.date(2022, 6, 5))  # a Sunday
    assert [f.date.isoformat() for f in found if f.kind == "weekday"] == [expected]


def test_brazilian_day_of_the_month_after_the_weekday():
    # "nesta terça-feira (1º)": the weekday with its day of the month, a written date; "domingo (30)" the month before
    found, _ = find_dates("Bolsonaro falou nesta terça-feira (1º), após a eleição de domingo (30).", "pt",
                          dt.date(2022, 11, 1))
    assert [(f.date.isoformat(), f.kind) for f in found] == [("2022-11-01", "explicit"), ("2022-10-30", "explicit")]
    # a day that is not that weekday's near the reference: the weekday alone
    found, _ = find_dates("Bolsonaro falou na terça-feira (9).", "pt", dt.date(2022, 11, 1))
    assert [(f.date.isoformat(), f.kind) for f in found] == [("2022-11-01", "weekday")]


def test_last_week_weekday():
    found, _ = find_dates("He said so when addressing his congregation last week Thursday.", "en", dt.date(2021, 8, 12))
    assert [f.date for f in found] == [dt.date(2021, 8, 5)]


@pytest.mark.parametrize(("lang", "text", "day", "future"), [
    # held-out 43: the IOC "will vote this Friday" (本周五), in a report of Wednesday 6 July 2005, was read as 1 July
    ("zh", "国际奥委会成员将在本周五就2012年奥运会比赛项目进行表决。", "2005-07-08", True),
    ("zh", "这周一双方举行了会谈。", "2005-07-04", False),
    ("zh", "上周五发生爆炸。", "2005-07-01", False),
    ("zh", "下星期一举行会谈。", "2005-07-11", True),
    ("ja", "来週の金曜日に会談する。", "2005-07-15", True),
    ("ja", "先週金曜日に爆発があった。", "2005-07-01", False),
    ("ko", "지난주 금요일 폭발이 있었다.", "2005-07-01", False),
    ("ko", "이번 주 금요일 회담한다.", "2005-07-08", True),
    ("zh", "星期五发生爆炸。", "2005-07-01", False),  # no week named: the last such weekday, as before
])
def test_cjk_weekday_of_this_last_or_next_week(lang, text, day, future):
    found, _ = find_dates(text, lang, dt.date(2005, 7, 6))  # a Wednesday
    assert [(f.date.isoformat(), f.future) for f in found] == [(day, future)]


def test_chinese_tonight_is_the_publication_day_and_today_in_a_name_is_not():
    found, _ = find_dates("国际奥林匹克委员会今晚在新加坡宣布，伦敦获得2012年奥运会主办权。", "zh", dt.date(2005, 7, 6))
    assert [(f.date.isoformat(), f.kind) for f in found] == [("2005-07-06", "today")]
    found, _ = find_dates("今日俄罗斯电视台报道了此事。", "zh", dt.date(2022, 9, 22))
    assert found == []


DEC8 = dt.date(2024, 12, 8)


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected"),
    [
        # only a date written out well before publication: background of today's news, so no happened date
        ("tr", "Suriyeli muhalif gruplar, 27 Kasım'da İdlib'den başlattıkları operasyonun 12. gününde başkent Şam'a "
               "girdi.", DEC8, None),
        ("en", "Rebels who launched their offensive from Idlib on November 27 entered Damascus.", DEC8, None),
        ("it", "La Ever Given, incagliata nel canale di Suez dal 23 marzo, è stata liberata.", dt.date(2021, 3, 29),
         None),
        # within three days, or tied to the report by a relative expression, it stays the happening
        ("en", "Rebels launched their offensive from Idlib on December 5.", DEC8, dt.date(2024, 12, 5)),
        ("en", "Rebels launched their offensive 14 days ago.", DEC8, dt.date(2024, 11, 24)),
        ("de", "Vor 14 Tagen begann die Offensive.", DEC8, dt.date(2024, 11, 24)),
        # no publication date: nothing to call it background against
        ("en", "Rebels who launched their offensive from Idlib on November 27, 2024 entered Damascus.", None,
         dt.date(2024, 11, 27)),
    ],
)
def test_an_old_written_date_alone_is_background(fx, lang, text, published, expected):
    assert fx(text, lang, published).happened == expected


WED = dt.date(2024, 7, 10)


@pytest.mark.parametrize(
    ("lang", "text", "future"),
    [
        # the future tense places a weekday ahead, as "will" and "wird" do
        ("es", "España jugará el domingo en Berlín su quinta final.", True),
        ("fr", "L'Espagne affrontera dimanche à Berlin les Pays-Bas.", True),
        ("it", "La Spagna giocherà domenica la finale a Berlino.", True),
        ("pt", "A Espanha jogará no domingo a final em Berlim.", True),
        # past tense stays past, and names that end like a future verb are no cue
        ("es", "España ganó el domingo en Berlín.", False),
        ("es", "El comandante de Irán murió el domingo en un ataque.", False),
        ("es", "En Teherán, el domingo, hubo protestas.", False),
        # or right after it, in the same clause
        ("es", "Argentina goleó a Croacia y el domingo irá por la tercera estrella.", True),
        ("it", "E domenica si giocherà il titolo contro la Francia.", True),
        ("de", "Am Sonntag wird in Sachsen gewählt.", True),
        ("fr", "Les ministres se retrouveront vendredi prochain à Bruxelles.", True),
        ("en", "He was campaigning ahead of Sunday's upper house election.", True),
        ("es", "El domingo, ganará quien llegue primero.", False),   # after a comma: another clause
        ("de", "Am Sonntag wurde in Sachsen gewählt.", False),
    ],
)
def test_future_tense_before_a_weekday(lang, text, future):
    found, _ = find_dates(text, lang, WED)
    assert [(f.date > WED, f.future) for f in found if f.kind == "weekday"] == [(future, future)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Papa Francesco è morto questa mattina alle 7.35.", "2021-08-21"),
        ("it", "Il Papa è morto stamattina a Casa Santa Marta.", "2021-08-21"),
        ("en", "The minister resigned this morning.", "2021-08-21"),
        ("en", "Rescuers worked through last night.", "2021-08-20"),
        ("es", "El Gobierno aprobó anoche el decreto.", "2021-08-20"),
        ("es", "El presidente habló esta mañana en Madrid.", "2021-08-21"),
        ("fr", "Le président a parlé ce matin à Paris.", "2021-08-21"),
        ("nl", "Inter won gisteravond in San Siro.", "2021-08-20"),
        ("nl", "De minister trad vanochtend af.", "2021-08-21"),
        ("nl", "De verdachte werd gisterennamiddag in Molenbeek opgepakt.", "2021-08-20"),
        ("nl", "De premier sprak gisterenavond in de Kamer.", "2021-08-20"),
        ("nl", "Beide ministers bevestigden het vannamiddag.", "2021-08-21"),
        ("tr", "Pazar günkü saldırıda 37 kişi öldü.", "2021-08-15"),
        ("tr", "Cuma gecesi İstanbul'da patlama oldu.", "2021-08-20"),
        ("tr", "Cuma namazından sonra halk pazara gitti.", None),
        ("tr", "Bakan bu sabah açıklama yaptı.", "2021-08-21"),
        ("ar", "أعلن الوزير صباح اليوم استقالته.", "2021-08-21"),
        ("ja", "首相は今朝、記者団に語った。", "2021-08-21"),
        ("zh", "外交部昨晚发表声明。", "2021-08-20"),
    ],
)
def test_parts_of_the_day(lang, text, expected):
    found, _ = find_dates(text, lang, AUG21)
    assert [f.date.isoformat() for f in found if f.date] == ([expected] if expected else [])


@pytest.mark.parametrize("text", ["윤 대통령은 어제 담화를 발표했다.", "윤 대통령은 어제는 담화를 발표했다.",
                                  "어제도 국회가 열렸다.", "어제부터 비상계엄이 시행됐다."])
def test_korean_relative_day_with_a_particle(text):
    found, _ = find_dates(text, "ko", AUG21)
    assert [f.date.isoformat() for f in found] == ["2021-08-20"]


@pytest.mark.parametrize(("text", "expected"), [("Dünkü toplantıda Erdoğan konuştu.", ["2021-08-20"]),
                                                ("Bugünkü oturumda karar çıktı.", ["2021-08-21"]),
                                                ("Dünya Bankası açıklama yaptı.", [])])
def test_turkish_relative_day_with_a_suffix(text, expected):
    found, _ = find_dates(text, "tr", AUG21)
    assert [f.date.isoformat() for f in found] == expected


MON = dt.date(2024, 7, 15)  # a Monday


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("es", "La selección será recibida este lunes en Madrid.", MON),
        ("en", "The team will be received this Monday in Madrid.", MON),
        ("en", "The ministers will meet on Monday.", MON + dt.timedelta(days=7)),
    ],
)
def test_this_weekday_ahead_on_that_weekday_is_today(lang, text, expected):
    found, _ = find_dates(text, lang, MON)
    assert [f.date for f in found if f.kind == "weekday"] == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Le Premier ministre Han Duck-soo assure l'intérim.", "person:han-duck-soo"),
        ("en", "Acting president Choi Sang-mok said the cabinet would meet.", "person:choi-sang-mok"),
        ("en", "A group led by Minister Ivan Petrov-led said so.", "person:ivan-petrov"),  # an adjective, not a name
    ],
)
def test_hyphenated_lower_case_given_names(fx, lang, text, expected):
    assert expected in {m.entity.id for m in fx(text, lang, AUG21).who}


def test_apposed_date_expressions_vote_once(fx):
    # "Gestern, Freitag," names one day: it must not outvote the Wednesday of the meeting twice over
    text = "Die Minister trafen sich am Mittwoch in Moskau. Gestern, Freitag, reiste Lawrow ab."
    assert fx(text, "de", AUG21).happened == dt.date(2021, 8, 18)


@pytest.mark.parametrize(
    ("lang", "text", "expected", "not_expected"),
    [
        # regions named after a country they are not in, or not the whole of
        ("en", "The helicopter came down in East Azerbaijan province.", "place:east-azerbaijan", "country:AZ"),
        ("ar", "تحطمت المروحية في محافظة أذربيجان الشرقية.", "place:east-azerbaijan", "country:AZ"),
        ("ru", "Вертолет разбился в провинции Восточный Азербайджан.", "place:east-azerbaijan", "country:AZ"),
        ("en", "Police in Northern Ireland said the riot was over.", "place:northern-ireland", "country:IE"),
    ],
)
def test_regions_named_after_another_country(fx, lang, text, expected, not_expected):
    where = {m.entity.id for m in fx(text, lang, AUG21).where}
    assert expected in where and not_expected not in where


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a title before a dotted name and the words after it are not part of it (Chinese has no spaces)
        ("泰国总理赛塔·他威信任命曾被判入狱的律师皮切·春班为总理府部长。", ["赛塔·他威信", "皮切·春班"]),
        ("商业部长普坦·威差耶猜出任代总理。", ["普坦·威差耶猜"]),
        # a dotted name whose family part the lexicon knows is that one person, not two
        ("美国总统约瑟夫·拜登表示", ["拜登"]),
        ("唐纳德·特朗普和", ["唐纳德·特朗普"]),
        # nor the report's words around it (held-out 13's Sina report of NBA Game 6), though a name may start with
        # a character that also ends one ("比尔", "因凡蒂诺")
        ("此前勒布朗·詹姆斯继上一场比赛后再次砍下41分，凯里·欧文贡献41分，斯蒂芬·库里得到30分。",
         ["勒布朗·詹姆斯", "凯里·欧文", "斯蒂芬·库里"]),
        ("勇士主帅史蒂夫·科尔则表示，国际足联主席詹尼·因凡蒂诺说。", ["史蒂夫·科尔", "詹尼·因凡蒂诺"]),
    ],
)
def test_chinese_dotted_names_end_at_titles_and_function_words(fx, text, names):
    assert [m.surface for m in fx(text, "zh").who if m.entity.kind == "person"] == names


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        # storms, clubs and the words of ministries are no people; a title run into a name is not part of it
        ("en", "Hurricane Helene made landfall late Thursday. Hurricane Helene then weakened.", []),
        ("en", "Manchester City beat Arsenal on Sunday, and Manchester City now lead the table.", []),
        ("fr", "Le président de la République Emmanuel Macron a salué les secours.", ["Emmanuel Macron"]),
        ("es", "El ministro de Asuntos Exteriores, José Manuel Albares, habló en Rabat.", ["José Manuel Albares"]),
    ],
)
def test_capitalised_runs_that_are_no_person(fx, lang, text, people):
    assert [m.entity.name for m in fx(text, lang).who if m.entity.kind == "person"] == people


@pytest.mark.parametrize(
    ("lang", "text", "places"),
    [
        # US states are regions in every language, not a Colombian or Cuban town named Florida
        ("en", "Hurricane Milton made landfall in Florida near Siesta Key.", ["Florida"]),
        ("es", "El huracán tocó tierra en Florida y Carolina del Norte.", ["Florida", "North Carolina"]),
        ("zh", "飓风在佛罗里达州登陆。", ["Florida"]),
        ("ru", "Трамп выступил в Пенсильвании.", ["Pennsylvania"]),
        # a storm named like a place is no place
        ("ru", "Ураган Милтон обрушился на Флориду.", ["Florida"]),
        # nor where it is named again without the storm word, or quoted after it (Dudley, a town near Birmingham)
        ("en", "Storm Dudley hit Scotland overnight. Dudley brought gusts of 80mph to Glasgow.",
         ["United Kingdom", "Glasgow"]),
        ("de", "Das Sturmtief «Dudley» zog über Hamburg. Nach «Dudley» kommt das nächste Tief.", ["Hamburg"]),
    ],
)
def test_us_states_and_storm_names(fx, lang, text, places):
    assert [m.entity.name for m in fx(text, lang).where] == places


STRIKES_MON = dt.date(2022, 10, 10)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # German and Dutch write the weekday and the part of the day as one word: the Monday is the happening, not
        # the Saturday named as background (tagesschau.de, NOS on the strikes of 10 October 2022)
        ("de", "Am Montagmorgen schlugen Raketen in Kiew ein. Putin nannte sie eine Antwort auf die Explosion auf "
               "der Krim-Brücke am Samstag.", STRIKES_MON),
        ("nl", "Maandagochtend vielen raketten op Kyiv. Poetin sprak van vergelding voor de aanslag van zaterdag.",
         STRIKES_MON),
        ("de", "Der Sonntagabend verlief ruhig.", dt.date(2022, 10, 9)),
    ],
)
def test_weekday_and_part_of_day_in_one_word(fx, lang, text, expected):
    assert fx(text, lang, STRIKES_MON).happened == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # "until Saturday morning": when a count was taken, not when anything happened
        ("de", "Nach Nawalnys Tod am Freitag wurden bis Samstagmorgen mehr als 100 Menschen festgenommen."),
        ("en", "Navalny died on Friday; until Saturday more than 100 people were detained."),
        ("es", "Navalni murió el viernes; hasta el sábado fueron detenidas más de cien personas."),
    ],
)
def test_until_a_day_is_no_happening(fx, lang, text):
    assert fx(text, lang, dt.date(2024, 2, 17)).happened == dt.date(2024, 2, 16)


SMOLENSK_MON = dt.date(2010, 4, 12)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # "since Saturday": when a state began (the mourning after the crash), not the news of the report
        ("it", "Il feretro del presidente è atterrato ieri pomeriggio a Varsavia. Da sabato davanti al palazzo si è "
               "formato un tappeto di candele; dal sabato la città è in lutto."),
        ("de", "Der Sarg des Präsidenten kam gestern in Warschau an. Seit Samstag trauert die Stadt, seit Samstag "
               "brennen Kerzen vor dem Palast."),
        ("en", "The president's coffin arrived in Warsaw yesterday. Since Saturday the city has mourned; crowds have "
               "gathered outside the palace ever since Saturday."),
        ("fr", "Le cercueil du président est arrivé hier à Varsovie. Depuis samedi la ville est en deuil, depuis "
               "samedi des bougies brûlent devant le palais."),
    ],
)
def test_since_a_day_is_no_happening(fx, lang, text):
    assert fx(text, lang, SMOLENSK_MON).happened == dt.date(2010, 4, 11)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a day in a clause set off by a comma and a relative pronoun, with another day in the same sentence: what
        # the reader is reminded of, the other day the news
        ("pt", "A plataforma Deepwater Horizon, que explodiu na noite de terça-feira no Golfo do México, afundou "
               "ontem de manhã.", dt.date(2010, 4, 22)),
        ("en", "The Deepwater Horizon rig, which exploded on Tuesday night, sank on Thursday morning.",
         dt.date(2010, 4, 22)),
        # the only day of its sentence: the clause may well tell the news
        ("pl", "Ciężarówka, która we wtorek wieczorem staranowała barierki, należała do polskiej firmy.",
         dt.date(2010, 4, 20)),
    ],
)
def test_a_day_in_a_relative_clause_weighs_less(fx, lang, text, expected):
    assert fx(text, lang, dt.date(2010, 4, 23)).happened == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # held-out 18's swearing-in: "this morning" counts half outside the first sentence, and the Wednesday the
        # premier "had received" his mandate is something done before the news, recalled
        ("it", "ROMA - Il nuovo governo è in carica. I ministri hanno giurato questa mattina al Quirinale. Il premier "
               "aveva ricevuto l'incarico mercoledì dal presidente della Repubblica."),
        ("en", "ROME - Italy has a new government. The ministers were sworn in this morning at the Quirinale. The "
               "premier had received his mandate on Wednesday from the president."),
        ("de", "ROM - Italien hat eine neue Regierung. Die Minister wurden heute im Quirinal vereidigt. Der Premier "
               "hatte am Mittwoch den Auftrag vom Präsidenten erhalten."),
    ],
)
def test_a_day_told_in_the_pluperfect_weighs_less(fx, lang, text):
    assert fx(text, lang, dt.date(2013, 4, 28)).happened == dt.date(2013, 4, 28)


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected"),
    [
        # "the day before" counts for the day before the date named last: the blast of the 8th in a report led by
        # Putin's words of the 9th (Yonhap), the election of the 8th in a report of the mass of the 9th
        ("ko", "(모스크바=연합뉴스) 푸틴 대통령은 9일(현지시간) 크림대교에서 전날 발생한 폭발을 테러로 "
               "규정했다. 8일 오전 트럭이 폭발했다.", dt.date(2022, 10, 9), dt.date(2022, 10, 8)),
        ("fr", "Le pape Léon XIV a célébré vendredi 9 mai sa première messe devant les cardinaux qui l'ont élu la "
               "veille. Il avait été élu jeudi 8 mai au quatrième tour.", dt.date(2025, 5, 9), dt.date(2025, 5, 8)),
        # not the eve of something, which names no day before any date of the text
        ("fr", "Le pape a célébré sa messe vendredi, la veille du scrutin.", dt.date(2025, 5, 9),
         dt.date(2025, 5, 9)),
        ("en", "The minister spoke on Friday, the day before the vote.", dt.date(2025, 5, 9), dt.date(2025, 5, 9)),
    ],
)
def test_the_day_before_the_date_named_last(fx, lang, text, published, expected):
    assert fx(text, lang, published).happened == expected


def people(facts) -> set[str]:
    return {m.entity.id for m in facts.who if m.entity.kind == "person"}


@pytest.mark.parametrize(
    ("lang", "text", "not_a_person"),
    [
        # words the text also writes in lower case: title-case headlines and photo captions (SemEval sample texts)
        ("en", "Renault Chooses Volkswagen Executive as New C.E.O.\nThe French carmaker Renault named a former "
               "Volkswagen executive as its chief executive on Tuesday, a crucial step as it tries to revive its "
               "troubled alliance. Renault chooses its chiefs carefully.", "person:renault-chooses-volkswagen"),
        ("en", "Housing affordability: Two New Year's resolutions for state Opinion Housing affordability: Two New "
               "Year's resolutions for state Image 1 of / 1 Caption Close Housing affordability 1 / 1 Back to "
               "Gallery The lack of affordable housing in many Connecticut communities is more than a zoning issue, "
               "in my opinion.", "person:opinion-housing"),
    ],
)
def test_words_written_in_lower_case_elsewhere_make_no_person(fx, lang, text, not_a_person):
    assert not_a_person not in people(fx(text, lang, AUG21))


def test_a_headlines_verb_or_a_pages_chrome_begins_no_name(fx):
    """English title-case headlines and photo captions capitalise verbs and page words right before a surname that
    stands alone further down: no person "Criticizes Landry", "Watch Hannity" or "Both Cooper" (such were among the
    person names of our English SemEval-sample pages); the people themselves are still found."""
    headline = ("Schumer Criticizes Landry Over Relief Bill\nWatch Hannity weeknights at 9. Caption Close Photos\n"
                "Senator Chuck Schumer criticized Governor Jeff Landry of Louisiana on Tuesday. Landry did not "
                "respond, and Hannity said nothing.")
    assert people(fx(headline, "en", AUG21)) == {"person:chuck-schumer", "person:jeff-landry"}
    poll = ("Yet Buttigieg Trails in Iowa\nFormer mayor Pete Buttigieg trails in the latest Iowa poll. Buttigieg "
            "said he would campaign harder. Both Cooper and Buttigieg spoke on Sunday; Roy Cooper said little.")
    assert people(fx(poll, "en", AUG21)) == {"person:pete-buttigieg", "person:roy-cooper"}
    # a given name that is also a headline word ("Will") is no such word
    assert "person:will-cooper" in people(fx("Will Cooper scored twice. Cooper left the pitch late.", "en", AUG21))


def test_a_name_in_a_web_address_still_makes_a_person(fx):
    # the lower-case "coveney" of a link is no evidence against the name
    text = ("Simon Coveney urged a new beginning. Coveney spoke in Belfast. "
            "Read more: www.example.ie/ireland/simon-coveney-urges-new-beginning")
    assert "person:simon-coveney" in people(fx(text, "en", AUG21))


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        # a common given name and the word after it, without a title before them
        ("سجل محمد صلاح هدفين لفريقه ليفربول.", "person:mhmd-slh", "person:mhmd-slh-hdfyn"),
        ("قال رئيس الحكومة أسامة حماد إن عدد الضحايا ارتفع.", "person:smh-hmd", None),
        # after a title, institutions and words with a glued article or conjunction are no one's name
        ("وقال نائب رئيس مجلس إدارة الشركة إن الأرباح ارتفعت.", None, "person:ri-ys-mjls"),
        ("وأكد الرئيس والمرافق والمجتمعات المحلية أهمية الخطة.", None, "person:wlmrfq-wlmjtm-t"),
        # a family name with the article, of the al-...i form, ends a name; an adjective of that form does not
        ("شاب تونسي يدعى إبراهيم العيساوي، من مواليد عام 1999.", "person:brhym-l-yswy", None),
        ("وقال الناطق باسمه محسن الدالي إن الشاب لم يكن مصنفا.", "person:mhsn-ldly", "person:bsmh"),
        ("وقال محمد الرسمي إن الاجتماع انتهى.", None, "person:mhmd-lrsmy"),
        # and "عبد" with its article word inside a name after a title
        ("قرر تنصيب العميد عبد الغني راشدي مديرا للمخابرات.", "person:bd-lghny-rshdy", None),
    ],
)
def test_arabic_names_by_given_name_and_not_institutions(fx, text, expected, not_expected):
    found = people(fx(text, "ar", AUG21))
    if expected:
        assert expected in found
    if not_expected:
        assert not_expected not in found and not any(p.startswith(not_expected) for p in found)


def test_arabic_names_drop_the_inner_waw_so_latin_spellings_match():
    # "لويس دياز" is "Luis Díaz": inside a word "و" is the vowel, which the Latin spelling writes as one
    from tidings.facts import name_skeleton

    f = FactExtractor()("وسجل لويس دياز هدفا.", "ar", AUG21)
    names = [m.entity.name for m in f.who if m.entity.kind == "person"]
    assert names and name_skeleton(names[0]) == name_skeleton("Luis Díaz")


def places(facts) -> set[str]:
    return {m.entity.id for m in facts.where}


@pytest.mark.parametrize(
    ("lang", "text", "not_a_place"),
    [
        # a surname that is also a place, named alone after the full name (Södermalm, a district of Stockholm)
        ("de", "Bayerns Ministerpräsident Markus Söder kritisierte die Regierung. Söder sagte, die Pläne seien "
               "falsch.", "city:2676209"),
        # weekday and month words are no towns: Çarşamba (Wednesday) in Samsun, Salı (Tuesday), "luty"
        # (February) in Poland
        ("tr", "Fenerbahçe koronavirüs testine girdi, sonuçlar bekleniyor Çarşamba, 15: 21 Çarşamba ile Teknik ve "
               "İdari Çalışanlar.", "city:749704"),
        ("tr", "Hava tahmin raporuna göre haftaya Salı ve Çarşamba günleri ise havanın az bulutlu olacağı "
               "öngörülüyor.", "city:2537763"),
        ("pl", "LUTY 2020: rząd przyjął nowy plan w Warszawie.", "city:1814087"),
        # nor a word the text also writes in lower case (Korona, a town in California, in a Turkish report)
        ("tr", "Vatandaşlar korona virüse karşı yapılan uyarılara rağmen sokakları doldurdu.\n\nKorona virüs "
               "salgını Türkiye'de her geçen gün yayılıyor.", "city:5339631"),
        # German names no city with an article before it: "unter dem Namen" is no Namur (Namen in German), "der
        # Rest" no Rasht, "das Essen" (the food) no Essen
        ("de", "Das Tief zog unter dem Namen Ylenia über Berlin.", "city:2790471"),
        ("de", "Der Rest der Delegation reiste nach Teheran.", "city:118743"),
        ("de", "Das Essen wurde in Berlin serviert.", "city:2928810"),
    ],
)
def test_surnames_and_calendar_words_are_no_places(fx, lang, text, not_a_place):
    assert not_a_place not in places(fx(text, lang, AUG21))


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        # an article joins a name only after "von" or "van" ("von der Leyen"), not the object after a name
        ("Während der Gesundheitsminister Jens Spahn den Export von Atemschutzmasken in China stoppen will, stellt "
         "Trigema die Produktion um.", "person:jens-spahn", "person:jens-spahn-den-export"),
        ("Kommissionspräsidentin Ursula von der Leyen sprach in Brüssel.", "person:ursula-von-der-leyen", None),
    ],
)
def test_german_articles_join_names_only_after_von(fx, text, expected, not_expected):
    found = people(fx(text, "de", AUG21))
    assert expected in found
    assert not_expected is None or not_expected not in found


def test_a_language_without_date_words_of_its_own_reads_english_ones(fx):
    # FactExtractor is a public stage: a language we have no date words for (Azerbaijani) must not crash it
    text = "Vladimir Putin və İlham Əliyev görüşüb. The talks went on today."
    facts = fx(text, "az", dt.date(2024, 8, 19))
    assert facts.happened == dt.date(2024, 8, 19)
    assert "person:vladimir-putin" in people(facts)


def test_arabic_abd_and_its_article_word_are_one_name(fx):
    # Ahmed Abd al-Rahman, not "Ahmed Abd"
    found = people(fx("وصرح أحمد عبد الرحمن للصحفيين بأن الاجتماع انتهى.", "ar", AUG21))
    assert "person:hmd-bd-lrhmn" in found and "person:hmd-bd" not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the title's office and country in construct, then the name
        ("تعهد رئيس وزراء نيوزيلندا كريس هيبكنز، السبت، بتغيير قوانين حيازة الأسلحة.", "person:krys-hybknz"),
        ("وقال وزير خارجية إيران محمد جواد ظريف إن المحادثات ستستمر.", "person:mohammad-javad-zarif"),
    ],
)
def test_arabic_title_office_and_country_before_a_name(fx, text, expected):
    assert expected in people(fx(text, "ar", AUG21))


@pytest.mark.parametrize(
    ("lang", "text", "not_a_person", "person"),
    [
        # "Zentrum" heads organisations, but "der Stadt" after it is the city's centre, not Mr der Stadt
        ("de", "Ein Angreifer hatte im Zentrum der Stadt das Feuer eröffnet.", "person:der-stadt", None),
        # a smaller city's inflected name before a title's name is no part of it (of Krakow's mayor, of Utrecht's)
        ("pl", "Prezydent Krakowa Jacek Majchrowski powiedział, że miasto pomoże.", "person:krakowa-jacek-majchrowski",
         "person:jacek-majchrowski"),
        # but two words may be a given name that is also a city's, and a surname (Sofia, Victoria)
        ("ru", "По словам представителя Софии Ивановой, девять человек получили ранения.", None,
         "person:sofii-ivanovoy"),
    ],
)
def test_no_person_made_of_a_place_or_an_article(fx, lang, text, not_a_person, person):
    found = people(fx(text, lang, AUG21))
    if not_a_person:
        assert not_a_person not in found
    if person:
        assert person in found


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # "بن" (son of) was a spelling of Baneh with its vowel marks, which made it look four letters long
        ("وأدان العاهل السعودي الملك سلمان بن عبدالعزيز الهجوم.", {"country:SA"}),
        # everyday words that are some city's name: "that it" (Baneh), "year", "safely" (Amman with a clitic)
        ("ووصفه شيخ الأزهر بأنه عمل إرهابي في سنة صعبة، ووصل الوفد إلى الجيزة بأمان.", {"city:360995"}),
        # a longer name that starts with one still is a place
        ("زار الرئيس دولة الإمارات العربية المتحدة.", {"country:AE"}),
    ],
)
def test_arabic_everyday_words_are_no_cities(fx, text, places):
    assert {m.entity.id for m in fx(text, "ar", AUG21).where} == places


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected"),
    [
        # the page's update stamp after its publication date is no happening (Cumhuriyet, the Istanbul rerun)
        ("tr", "İstanbul seçimi\nGüncellenme: 24 Haziran 2019 Pazartesi, 00:15\nEkrem İmamoğlu seçimi kazandı.",
         dt.date(2019, 6, 23), None),
        # the weekday after its date is that date, here one to come: not the Sunday of the week before
        ("tr", "İstanbul'da 30 Haziran 2019 Pazar günü seçim var.", dt.date(2019, 6, 24), None),
        # a Turkish future participle sends the weekday forward: the elections to be held on Wednesday
        ("tr", "Hollanda'da çarşamba günü yapılacak il meclisi seçimleri öncesinde partiler kampanyalarını askıya "
               "aldı.", dt.date(2019, 3, 18), None),
        # Chinese writes "the day before" between letters: the summit of the 26th, told on the 27th
        ("zh", "韩国总统文在寅27日上午发表讲话，介绍前一天与金正恩在板门店举行会晤的情况。前一天的会晤持续约两小时。",
         dt.date(2018, 5, 27), dt.date(2018, 5, 26)),
        # TASS's dateline is the publication day; the first sentence after "/ТАСС/." tells the happening
        ("ru", "НЬЮ-ЙОРК, 6 июля. /ТАСС/. Землетрясение магнитудой 7,1 произошло в пятницу вечером по местному "
               "времени на юге штата Калифорния.", dt.date(2019, 7, 6), dt.date(2019, 7, 5)),
        ("ru", "СЕУЛ, 26 мая. /ТАСС/. Мун Чжэ Ин и Ким Чен Ын в субботу провели вторую встречу. Первая прошла "
               "27 апреля.", dt.date(2018, 5, 26), dt.date(2018, 5, 26)),
        # what was to come, seen from before the news, is no past weekday: the team that was to play on Wednesday
        ("es", "Colombia amaneció conmocionada. El avión del Chapecoense, que este miércoles debía disputar la final, "
               "se estrelló anoche cerca de Medellín.", dt.date(2016, 11, 29), dt.date(2016, 11, 28)),
        # but a "today" of the statement beside the day of the news still counts half
        ("en", "Officials said today that yesterday's blast killed nine people. The blast hit a market.",
         dt.date(2022, 6, 23), dt.date(2022, 6, 22)),
        # "Thursday the 24th" names one day once, in Thai too: not two votes against the first sentence's 28th
        ("th", "เมื่อวันที่ 28 ก.ค. ผู้นำทั้งสองตกลงหยุดยิง หลังการปะทะที่เริ่มขึ้นเมื่อวันพฤหัสบดีที่ 24 ก.ค.",
         dt.date(2025, 7, 29), dt.date(2025, 7, 28)),
        # a weekday written with its date is a written date: four days before publication it is background
        ("tr", "İmamoğlu tutuklandı. İmamoğlu 19 Mart Çarşamba günü gözaltına alınmıştı.", dt.date(2025, 3, 23),
         None),
        # the reader's clock beside the place's is the same moment told again: the place's date stands
        ("ja", "NASAは実験に成功したと発表した。"
               "衝突は日本時間27日午前8時14分ごろ（米東部時間26日午後7時14分ごろ）だった。",
         dt.date(2022, 9, 27), dt.date(2022, 9, 26)),
        ("ja", "大谷翔平は19日（日本時間20日）、マイアミでのマーリンズ戦で本塁打を放った。", dt.date(2024, 9, 20),
         dt.date(2024, 9, 19)),
        # alone, an East Asian reader's date of a happening in the Americas is the day before there ...
        ("zh", "北京时间2月10日，第92届奥斯卡金像奖颁奖典礼在美国洛杉矶杜比剧院举行。韩国电影《寄生虫》获得最佳影片。",
         dt.date(2020, 2, 10), dt.date(2020, 2, 9)),
        # ... unless that clock's evening or night is given, still the same day there; nor for a happening elsewhere
        ("ja", "民間宇宙船が日本時間の10日夜、米フロリダ州のケネディ宇宙センターから打ち上げられた。",
         dt.date(2024, 9, 11), dt.date(2024, 9, 10)),
        ("ja", "民間宇宙船が日本時間の10日、米フロリダ州のケネディ宇宙センターから打ち上げられた。",
         dt.date(2024, 9, 11), dt.date(2024, 9, 9)),
        ("zh", "北京时间28日14时20分，缅甸发生7.9级地震，震源深度30公里。", dt.date(2025, 3, 28), dt.date(2025, 3, 28)),
    ],
)
def test_stamps_datelines_apposed_dates_and_plans(fx, lang, text, published, expected):
    assert fx(text, lang, published).happened == expected


def test_today_as_the_one_day_of_the_first_sentence():
    """Held-out 13, NRC on the second RMT strike day: "vandaag" leads, and "net als dinsdag" (like on Tuesday, the
    first strike day) recurs below; it had been dated to that Tuesday and merged with it."""
    from conftest import FIXTURES

    rows = {r["id"]: r for r in map(json.loads, (FIXTURES / "events_heldout13" / "articles.jsonl").open())}
    facts = FactExtractor()(rows["rmt23-nl"]["text"], "nl", dt.date(2022, 6, 23))
    assert facts.happened == dt.date(2022, 6, 23)


def test_a_thai_syllable_is_no_city(fx):
    # "วาน" (Van, Turkey) inside "เมื่อวานนี้" (yesterday), Thai being searched without word spaces
    where = {m.entity.id for m in fx("เลสเตอร์บุกเจ๊าแมนยู 1-1 เมื่อวานนี้ ที่กรุงลอนดอน", "th", AUG21).where}
    assert where == {"city:2644668", "city:2643743"}


def test_a_day_retold_past_the_lead_is_background():
    """Held-out 12, France 24 on İmamoğlu jailed (Sunday 23 March): "arrêté mercredi" recurs in three paragraphs of
    background past the lead and outvoted the first sentence's "dimanche 23 mars"."""
    from conftest import FIXTURES

    rows = {r["id"]: r for r in map(json.loads, (FIXTURES / "events_heldout12" / "articles.jsonl").open())}
    facts = FactExtractor()(rows["imamoglu-jailed-fr"]["text"], "fr", dt.date(2025, 3, 23))
    assert facts.happened == dt.date(2025, 3, 23)


def test_a_wire_dateline_votes_once_where_the_text_tells_no_day():
    """Held-out (spent), TASS on the Putin-Xi statement: the body names only days before (the inauguration on 7 May,
    a Friday); the dateline "ПЕКИН, 16 мая. /ТАСС/." is the day the copy was filed and, weighed as one weak vote,
    the day of the signing."""
    from conftest import FIXTURES

    rows = {r["id"]: r for r in map(json.loads, (FIXTURES / "events_heldout" / "articles.jsonl").open())}
    facts = FactExtractor()(rows["xpb-ru"]["text"], "ru", dt.date(2024, 5, 16))
    assert facts.happened == dt.date(2024, 5, 16)


def test_a_reader_clock_names_no_place(fx):
    # "北京时间" is Beijing time and "日本時間" Japan time: the story is in Los Angeles and Florida
    assert {m.entity.id for m in fx("北京时间2月10日，颁奖典礼在美国洛杉矶举行。", "zh", AUG21).where} == {
        "country:US", "city:5368361"}
    assert {m.entity.id for m in fx("日本時間の10日夜、米フロリダ州から打ち上げられた。", "ja", AUG21).where} == {
        "place:us-florida"}


def test_warm_up_compiles_each_languages_date_patterns(fx):
    """A worker warms up before its first batch: afterwards no language's date patterns are compiled mid-ingest."""
    from tidings.facts_dates import _patterns

    _patterns.cache_clear()
    fx.warm_up(["fr", "ko", "tr"])
    before = _patterns.cache_info()
    assert before.currsize == 3
    fx("Le sommet s'est ouvert mardi 3 mars 2020 à Paris.", "fr", dt.date(2020, 3, 4))
    after = _patterns.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


@pytest.mark.parametrize(
    ("lang", "text", "region"),
    [
        # first-level subdivisions (ISO 3166-2 through pycountry), one entity in every language its names come in
        ("en", "Floods swept through West Virginia on Thursday.", "place:us-wv"),
        ("es", "Las inundaciones en Virginia Occidental dejaron 23 muertos.", "place:us-wv"),
        ("en", "Storms hit Bavaria overnight.", "place:de-by"),
        ("de", "Unwetter in Bayern in der Nacht.", "place:de-by"),
        ("zh", "山西省乡宁县王家岭煤矿发生透水事故。", "place:cn-sx"),
        ("ja", "石川県能登地方で地震があった。", "place:jp-17"),
        ("en", "A tornado hit Texas.", "place:us-texas"),  # the packaged gazetteer's entry keeps its id
        ("pl", "Tornado w Teksasie.", "place:us-texas"),
        ("es", "Cataluña votó el domingo.", "place:es-ct"),  # ISO's "Catalunya [Cataluña]": both names
        ("en", "Wales beat England in Lens.", "place:gb-wls"),
    ],
)
def test_states_and_provinces_are_places(fx, lang, text, region):
    from tidings.facts_lexicon import get_lexicon

    places = {m.entity.id for m in fx(text, lang, AUG21).where}
    assert region in places
    assert get_lexicon().city_country[region] in {"US", "DE", "CN", "JP", "ES", "GB"}  # it stands for its country


@pytest.mark.parametrize(
    ("lang", "text", "not_place"),
    [
        ("en", "Victoria Beckham opened the show.", "place:au-vic"),     # a first name, not the Australian state
        ("en", "Texas Instruments shares fell.", "place:us-texas"),      # a company
        ("en", "Crowds gathered outside Batley Town Hall.", "city:2835481"),  # not Schwäbisch Hall
    ],
)
def test_a_region_or_town_name_inside_a_longer_name_is_no_place(fx, lang, text, not_place):
    assert not_place not in {m.entity.id for m in fx(text, lang, AUG21).where}


def test_generic_region_names_are_not_places():
    # "South-West" (Cameroon), "中央" (Iran's Markazi, "central"), "Güney Batı": everywhere, so nowhere
    from tidings.facts_lexicon import get_lexicon

    lex = get_lexicon()
    assert "place:cm-sw" not in lex.entities and "place:ir-00" not in lex.entities
    assert not any(a.entity_id.startswith("place:") for a in lex.cjk.get("中央", []))
    assert "place:us-wv" in lex.entities and "place:cn-gd" in lex.entities


def test_a_markets_against_the_day_before_names_no_day(fx):
    # "前日比485円安" (485 yen down on the day before) compares prices; the day is the 16th of the decision
    text = "日経平均株価は前日比485円安で取引を終えた。円相場は前日比2円高。日銀は16日、追加緩和を見送った。"
    assert fx(text, "ja", dt.date(2016, 6, 16)).happened == dt.date(2016, 6, 16)
    # the day before itself still counts: "前日には米連邦準備制度理事会も利上げを見送った"
    assert fx("前日には米連邦準備制度理事会も利上げを見送った。", "ja", dt.date(2016, 6, 16)).happened == dt.date(
        2016, 6, 15)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # a European or Turkish reader's clock beside the place's day names the same moment: it does not vote
        ("tr", "Finalde Şili, Pazar akşamı (TSİ Pazartesi sabahı) Arjantin'i penaltılarla yendi. Pazartesi sabahı "
               "Buenos Aires'te hayal kırıklığı vardı."),
        ("es", "Chile ganó la final el domingo por la noche, el lunes a las 2.00 (hora peninsular). El lunes la "
               "prensa argentina lloraba a Messi."),
    ],
)
def test_a_european_clock_beside_the_local_day_does_not_vote(fx, lang, text):
    assert fx(text, lang, dt.date(2016, 6, 27)).happened == dt.date(2016, 6, 26)


@pytest.mark.parametrize(
    ("lang", "text", "org"),
    [
        # central banks, whose names hold a country's: the bank, not the place
        ("en", "The Bank of England kept rates on hold, a day after the Fed.", "org:bank-of-england"),
        ("fr", "La Banque d'Angleterre a maintenu ses taux.", "org:bank-of-england"),
        ("ja", "日本銀行（日銀）は16日、現状維持を決めた。", "org:bank-of-japan"),
        ("de", "Die Schweizerische Nationalbank senkte den Leitzins.", "org:snb"),
    ],
)
def test_central_banks_are_organisations_not_places(fx, lang, text, org):
    facts = fx(text, lang, AUG21)
    assert org in {m.entity.id for m in facts.who}
    assert not {m.entity.id for m in facts.where} & {"country:GB", "country:JP", "country:CH"}


def test_geonames_nicknames_are_no_places(fx):
    # "The Own", "The Bank", "The Hub" are alternate names of American towns; "The Hague" is a city's own name
    where = {m.entity.id for m in fx("The own goal came late. The Hub closed. Judges met in The Hague.", "en").where}
    assert where == {"city:2747373"}


def test_a_weekday_and_its_date_in_brackets_are_one_day(fx):
    # "last Tuesday (9 April)": one recalled day, one vote; today's Tuesday of the first sentence is the news
    text = ("ضرب زلزال بلغت قوته 7.8 درجات ظهر اليوم الثلاثاء محافظة سيستان وبلوشستان جنوب شرقي إيران.\n\n"
            "وقالت الهيئة إن مركز الزلزال كان قرب مدينة سراوان.\n\n"
            "ويأتي هذا الزلزال بعد أسبوع من زلزال ضرب يوم الثلاثاء الماضي (9 أبريل/نيسان) محافظة بوشهر.")
    assert fx(text, "ar", dt.date(2013, 4, 16)).happened == dt.date(2013, 4, 16)


@pytest.mark.parametrize(
    ("corpus", "article", "lang", "published"),
    [
        # Held-out 21: the Bank of England's rise told as today's news; "Wednesday" (the Fed's rise) and "Thursday"
        # come only in the closing paragraph, and the Fed's day, named first, had won the tie
        ("events_heldout21", "boe-en-a", "en", dt.date(2023, 3, 23)),
        # Held-out 21: City's 7-0 against Leipzig; past the lead only "tonight" in a quote and the next fixtures told
        # in the present ("come to the Etihad ... on Saturday evening", the draw "on Friday"), read as the days before
        ("events_heldout21", "leipzig-en-a", "en", dt.date(2023, 3, 14)),
    ],
)
def test_a_lead_that_names_no_day_leaves_the_day_to_the_publication(corpus, article, lang, published):
    from conftest import FIXTURES

    rows = {r["id"]: r for r in map(json.loads, (FIXTURES / corpus / "articles.jsonl").open())}
    text = rows[article]["text"]
    assert FactExtractor()(text, lang, published).happened is None
    assert FactExtractor(lead_day_required=False)(text, lang, published).happened not in (None, published)


def test_a_day_named_in_the_lead_is_still_read(fx):
    text = ("Die Polizei hat am Sonntagabend in Hamburg einen Verdächtigen festgenommen. " + "Weitere Angaben machte "
            "sie nicht. " * 40 + "Schon am Freitag hatte es dort eine Durchsuchung gegeben.")
    assert fx(text, "de", dt.date(2023, 3, 27)).happened == dt.date(2023, 3, 26)


@pytest.mark.parametrize(
    "text",
    [
        # held-out 21's Polish report of Kishida in Kyiv: the instrumental of an adjectival surname had made a
        # second, unknown person ("Wołodymyrem Zełenskim")
        "Kishida spotkał się w Kijowie z Wołodymyrem Zełenskim.",
        "Rozmowa z prezydentem Zełenskim trwała dwie godziny.",
        "Premier podziękował Zełenskiemu za zaproszenie.",
    ],
)
def test_polish_cases_of_an_adjectival_surname_are_the_known_person(fx, text):
    assert "person:volodymyr-zelensky" in {m.entity.id for m in fx(text, "pl").who}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("1997년 망명한 황장엽(87) 전 북한 노동당 비서가 10일 서울 자택에서 숨진 채 발견됐다.", "황장엽"),
        ("북한 최고위급 망명자였던 황장엽 전 노동당 비서가 어제 숨졌다.", "황장엽"),
        ("한덕수 국무총리는 이날 담화를 발표했다.", "한덕수"),
        ("봉준호 감독은 시상식에서 소감을 밝혔다.", "봉준호"),
        ("경찰은 외상이나 외부 침입 흔적이 없다고 밝혔다.", None),
        ("북한 노동당 비서 출신인 그는 망명했다.", None),
    ],
)
def test_korean_names_by_their_shape_and_an_office_or_age_after_them(fx, text, person):
    # Hangul has no capitals: a native name is a common surname and two syllables, told by an age, its Chinese
    # characters or an office right after it; words of that shape without such a cue are left alone
    found = {m.surface for m in fx(text, "ko").who if m.entity.kind == "person"}
    assert found == ({person} if person else set())


def test_a_korean_name_found_by_its_shape_links_to_its_latin_spelling():
    from tidings.facts import name_skeleton

    assert name_skeleton("황장엽") == name_skeleton("Hwang Jang-yop")


def test_a_day_in_an_apposition_and_its_relative_clause_weighs_less(fx):
    # Held-out 22, the New York Times on Liu Xia: the prize's Friday is told in a relative clause after an apposition
    # ("Liu Xiaobo, the imprisoned Chinese dissident who was awarded ... on Friday,"), the news is Sunday's; and "on
    # Saturday, the day before her visit" names Saturday once, not a Friday as well
    text = ("BEIJING - The wife of Liu Xiaobo, the imprisoned Chinese dissident who was awarded the Nobel Peace Prize "
            "on Friday, was allowed to visit him in prison on Sunday but was placed under house arrest after she "
            "returned. She said prison officials had informed Mr. Liu of the prize on Saturday, the day before her "
            "visit.")
    assert fx(text, "en", dt.date(2010, 10, 10)).happened == dt.date(2010, 10, 10)


def test_a_decimal_comma_opens_no_relative_clause(fx):
    # Held-out 8, G1 on the Ecuador quake: "magnitude 7,8 que atingiu ... no sábado (16)" is the quake's day, not a day
    # in a clause set off by a comma
    text = ("O número de mortos no terremoto de magnitude 7,8 que atingiu o litoral do Equador no sábado (16) subiu "
            "para 413, informou nesta segunda-feira (18) o presidente Rafael Correa.")
    assert fx(text, "pt", dt.date(2016, 4, 18)).happened == dt.date(2016, 4, 16)


def test_without_a_publication_date_only_a_day_of_the_first_sentence_is_the_happening():
    # with no publication date (nor a dated stamp) to tell the news's day from the days it recalls, a day named past
    # the first sentence is no reading of the happening; it still bounds it: the happening was that day or after
    text = "Die Polizei hat in Hamburg einen Verdächtigen festgenommen. " + "Weitere Angaben machte sie nicht. " * 30 \
        + "Am 26. März 2023 war der Mann bereits aufgefallen."
    undated = FactExtractor()(text, "de", None)
    assert undated.happened is None and undated.after == dt.date(2023, 3, 26)
    assert FactExtractor()(text, "de", dt.date(2023, 3, 27)).happened is None
    assert FactExtractor()(text, "de", dt.date(2023, 3, 27)).after is None  # dated: the publication date places it
    # a day the first sentence names is read, past an ordinal's full stop ("3. Ağır Ceza": no sentence end)
    court = "İzmir 3. Ağır Ceza Mahkemesi, 12 Mart 2025 tarihinde görülen duruşmada eski yöneticiyi mahkum etti."
    assert FactExtractor()(court, "tr", None).happened == dt.date(2025, 3, 12)
    # a headline line the page repeats above the body is no first sentence: the body's first sentence is read
    body = text.replace("Die Polizei hat", "Die Polizei hat am 24. März 2023")
    page = "Polizei fasst Verdächtigen in Hamburg\n" + body
    assert FactExtractor()(page, "de", None).happened == dt.date(2023, 3, 24)


@pytest.mark.parametrize(
    ("corpus", "article", "read"),
    [
        # real reports of our spent corpora with their publication dates removed. Each had been read as happening
        # on a day its body recalls: the election before (2022), the impeachment vote (2024), the 2017 removal of
        # Park, the Chelyabinsk meteor (2013), Imamoglu's 2019 election.
        ("events_heldout12", "lee-wins-ko", None),
        ("events_heldout12", "lee-wins-ru", None),
        ("events_heldout12", "yoon-removed-en", None),
        ("events_heldout12", "dart-en", None),
        ("events_heldout12", "imamoglu-detained-tr", None),
        # a wire dateline with its year opens the copy: that is the news's day
        ("events_heldout3", "gzc-pt", dt.date(2025, 1, 19)),
        ("events_heldout12", "thai-clash-th", dt.date(2025, 7, 24)),
    ],
)
def test_undated_reports_are_not_dated_by_the_days_they_recall(corpus, article, read):
    path = Path(__file__).parent / "fixtures" / corpus / "articles.jsonl"
    row = next(r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r["id"] == article)
    facts = FactExtractor()(row["text"], row["language"], None)
    assert facts.happened == read
    happened = dt.date.fromisoformat(row["event"][-10:])
    if facts.after is not None:  # the bound holds: no day named after the happening
        assert facts.after <= happened


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        # held-out 18 and 21 (Mainichi, Asahi): "ルラ" (Lula) in "タメルラン" (Tamerlan), "ルト" (Ruto) in "ヤクルト"
        ("兄のタメルラン容疑者（２６）は同日未明に死亡した。", "person:lula-da-silva"),
        ("村上宗隆内野手（23＝ヤクルト）が中堅フェンス直撃の二塁打を放った。", "person:william-ruto"),
        # held-out 2: "アバ" (Aba, Nigeria) in "エアバス" (Airbus)
        ("日本航空のエアバスA350型機が海上保安庁の航空機と衝突した。", "city:2353151"),
    ],
)
def test_a_katakana_name_inside_a_longer_katakana_word_is_not_found(fx, text, not_found):
    facts = fx(text, "ja")
    assert not_found not in {m.entity.id for m in facts.who + facts.where}


def test_a_katakana_name_standing_alone_is_still_found(fx):
    found = {m.entity.id for m in fx("ルラ大統領とプーチン大統領が会談し、ゼレンスキー氏も声明を出した。", "ja").who}
    assert {"person:lula-da-silva", "person:vladimir-putin", "person:volodymyr-zelensky"} <= found


def test_lexicon_match_is_the_same_whatever_the_languages_before() -> None:
    # The lexicon remembers per token and language how long a name starting with it may be; a Polish case ending
    # ("z Zełenskim") is an inflection in Polish only, and a name behind a common first word ("the", "la") is still
    # found at its full length.
    from tidings.facts_lexicon import get_lexicon
    from tidings.facts_text import fold, tokens

    lex = get_lexicon()

    def found(text: str, language: str) -> list[tuple[str, str]]:
        toks = tokens(text)
        return [(lex.entities[h.entity_id][0], text[h.start:h.end])
                for h in lex.match(text, toks, language, [fold(t) for t, _, _ in toks])]

    texts = {"pl": "Rozmowa z Zełenskim w Kijowie, potem spotkanie w Hadze.",
             "en": "Talks with Zelenskim in the Hague and in Bosnia and Herzegovina.",
             "es": "La reunión en La Haya y en la Ciudad de México."}
    first = {lang: found(t, lang) for lang, t in texts.items()}
    assert ("Volodymyr Zelensky", "Zełenskim") in first["pl"]
    assert not any("Zelensk" in name for name, _ in first["en"])
    # CLDR writes "Bosnia & Herzegovina"; news writes "and"
    assert ("The Hague", "Hague") in first["en"] and ("Bosnia & Herzegovina", "Bosnia and Herzegovina") in first["en"]
    assert ("The Hague", "La Haya") in first["es"] and ("Mexico City", "Ciudad de México") in first["es"]
    for lang_a in texts:  # every text again after every other language: the same matches
        for lang_b, t in texts.items():
            found(texts[lang_a], lang_b)
            assert found(t, lang_b) == first[lang_b]
    # and per token as written: an acronym in capitals is the organisation, the same letters in lower case a word
    for _ in range(2):
        assert ("World Health Organization", "WHO") in found("Experts of the WHO met.", "en")
        assert found("Experts who met.", "en") == []


def test_widely_reported_organisations_across_languages(fx):
    # One organisation under its name in each language and script is one entity; a bare Arabic "القاعدة" (also
    # "the base", "the rule") counts only beside the group's full name.
    said = {
        "en": "Doctors Without Borders said the Wagner Group and Boko Haram had attacked clinics.",
        "de": "Ärzte ohne Grenzen teilte mit, die Wagner-Gruppe und Boko Haram hätten Kliniken angegriffen.",
        "ar": "قالت منظمة أطباء بلا حدود إن مجموعة فاغنر وبوكو حرام هاجمتا عيادات.",
        "ja": "国境なき医師団によると、ワグネルとボコ・ハラムが診療所を襲撃した。",
    }
    found = {lang: ids(fx(text, lang).who) for lang, text in said.items()}
    for lang, got in found.items():
        assert {"org:msf", "org:wagner", "org:boko-haram"} <= got, lang
    assert "org:al-qaeda" not in ids(fx("وصلت القوات إلى القاعدة العسكرية في الشمال.", "ar").who)
    assert "org:al-qaeda" in ids(fx("أعلن تنظيم القاعدة مسؤوليته. وقالت القاعدة في بيان إن الهجوم انتقام.", "ar").who)


def test_an_undated_lead_keeps_its_weekday(fx):
    # Without a publication date "am Mittwoch" resolves to no date, but the weekday is kept for pair scoring; with
    # one, the date is read and no weekday is needed; an announced day ("next Monday") is not the news.
    text = seed("000")
    undated = fx(text, "de", None)
    assert undated.happened is None and undated.weekday == 2  # Wednesday
    assert Facts.from_dict(undated.to_dict()).weekday == 2
    dated = fx(text, "de", AUG21)
    assert dated.happened == dt.date(2021, 8, 18) and dated.weekday is None
    assert fx("The ministers will meet again next Monday in Geneva.", "en", None).weekday is None
    assert fx("Vladimir Putin spoke with Olaf Scholz on Friday about gas.", "en", None).weekday == 4
    assert Facts.from_dict({"who": [], "where": [], "when": [], "happened": None}).weekday is None  # stored before


def test_a_country_named_does_not_move_a_capital_to_a_small_namesake() -> None:
    # "Moscow" in a report that names the United States (and not Russia) stayed Moscow, Idaho until session 20; a
    # namesake of a fair size still goes with the country named, and a neighbouring city moves any.
    def cities(text: str) -> dict[str, str]:
        facts = FactExtractor()(text, "en", None)
        return {m.surface: get_lexicon().city_country[m.entity.id] for m in facts.where if m.entity.kind == "city"}

    assert cities("Lavrov said in Moscow that the United States must lift its sanctions.") == {"Moscow": "RU"}
    assert cities("Storms hit Birmingham, the United States weather service said.") == {"Birmingham": "US"}
    assert cities("Flooding in St. Petersburg and Tampa.") == {"St. Petersburg": "US", "Tampa": "US"}


@pytest.mark.parametrize(("text", "published", "happened"), [
    # held-out 47: the premier's visit five days after the crash was read at the crash's day and joined it
    ("Chinese Premier Wen Jiabao has visited the site of Saturday's high-speed rail crash in Wenzhou and promised "
     "an open investigation.", dt.date(2011, 7, 28), None),
    ("London fell silent today for the victims of last Thursday's bombings.", dt.date(2005, 7, 14),
     dt.date(2005, 7, 14)),
    # the day before: as often the news itself
    ("Ollanta Humala won Sunday's presidential run-off, official results showed.", dt.date(2011, 6, 6),
     dt.date(2011, 6, 5)),
    # not in the possessive: still the happening's day, however far back
    ("A tanker ran aground off the coast on Saturday, officials said.", dt.date(2011, 7, 28), dt.date(2011, 7, 23)),
])
def test_a_weekday_in_the_english_possessive_days_back_is_recalled(fx, text, published, happened):
    assert fx(text, "en", published).happened == happened


def _heldout(corpus: str, article_id: str) -> dict:
    path = Path(__file__).parent / "fixtures" / corpus / "articles.jsonl"
    return next(r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r["id"] == article_id)


@pytest.mark.parametrize(("corpus", "article_id", "person", "noun_and_name"), [
    ("events_heldout48", "merkel-de-1", "person:petro-poroshenko", "Treffen Poroschenkos"),
    ("events_heldout23", "lwahl-de-a", "person:angela-merkel", "Wahlkampf Merkels"),
    ("events_heldout48", "davu-de-1", "person:recep-tayyip-erdogan", "Vereidigung Erdogans"),
])
def test_a_german_noun_before_a_name_in_the_genitive_is_no_first_name(fx, corpus, article_id, person, noun_and_name):
    """German capitalises its nouns, and a name in the genitive follows the noun it qualifies: the noun was taken
    for a first name, and the two made an unknown person of their own out of one the lexicon knows. Blind reports
    of held-out corpora."""
    record = _heldout(corpus, article_id)
    assert noun_and_name in record["text"]
    facts = fx(record["text"], "de")
    assert person in ids(facts.who)
    assert noun_and_name not in {m.surface for m in facts.who}


def test_the_ukrainian_first_name_petro_is_not_gustavo_petro(fx):
    """"Petro" alone is Colombia's president only where his full name is named too: in a German report of Merkel in
    Kiev it is Petro Poroshenko's first name."""
    facts = fx(_heldout("events_heldout48", "merkel-de-1")["text"], "de")
    assert "person:gustavo-petro" not in ids(facts.who)
    assert "person:petro-poroshenko" in ids(facts.who)


@pytest.mark.parametrize(("corpus", "article_id", "language", "person", "office_and_name"), [
    ("events_heldout37", "navalny-omsk-de-1", "de", "person:alexei-navalny", "Oppositionspolitiker Alexej Nawalny"),
    ("events_heldout36", "trumpclaim-en-1", "en", "person:joe-biden", "Democrat Joe Biden"),
    ("events_heldout48", "merkel-pl-1", "pl", "person:angela-merkel", "Niemiec Angela Merkel"),
    ("events_heldout2", "nvd-pl", "pl", "person:charles-michel", "Rady Europejskiej Charles Michel"),
])
def test_a_word_before_a_known_full_name_is_no_part_of_it(fx, corpus, article_id, language, person, office_and_name):
    """Before a name the lexicon matched with its first name, a capitalised word is an office, a party or a genitive
    ("kanclerz Niemiec", of Germany), not a second first name: it made an unknown person of its own out of one the
    lexicon knows, and alone it is no person either. Blind reports of held-out corpora."""
    record = _heldout(corpus, article_id)
    assert office_and_name in record["text"]
    facts = fx(record["text"], language)
    word = office_and_name.split()[0]
    assert person in ids(facts.who)
    assert not {m.surface for m in facts.who} & {office_and_name, word}


@pytest.mark.parametrize(("corpus", "article_id", "name", "words_after"), [
    ("events_heldout12", "parasite-zh", "华金·菲尼克斯", "凭借"),   # Joaquin Phoenix, "by virtue of"
    ("events_heldout12", "parasite-zh", "萨姆·门德斯", "执导"),     # Sam Mendes, "directed"
    ("events_heldout28", "saudi-iran-zh-1", "阿里·沙姆哈尼", "率团"),  # Ali Shamkhani, "led a delegation"
    ("events_heldout15", "jobs-death-zh", "蒂姆·库克", "接任"),     # Tim Cook, "took over"
    ("events_heldout11", "intel-zh", "帕特·基辛格", "（"),          # Pat Gelsinger, after "chief executive officer"
])
def test_a_dotted_chinese_name_ends_where_its_sounds_end(fx, corpus, article_id, name, words_after):
    """Chinese writes no spaces: a foreign name spelt by sound runs on into the title before it ("首席执行官") and the
    words after it ("凭借", "率团"), which made an unknown person that no other writing of the name could meet. The
    sounds are the characters Chinese names foreign cities with. Blind reports of held-out corpora."""
    record = _heldout(corpus, article_id)
    assert name + words_after in record["text"]
    surfaces = {m.surface for m in fx(record["text"], "zh").who}
    assert name in surfaces
    assert not any(name in s and s != name for s in surfaces)


@pytest.mark.parametrize(("corpus", "reports", "person"), [
    ("events_heldout48", [("pmass-ko-1", "ko"), ("pmass-en-1", "en"), ("pmass-es-1", "es")], "person:park-geun-hye"),
    ("events_heldout27", [("fr12-ar-a", "ar"), ("fr12-en-a", "en")], "person:francois-hollande"),
    ("events_heldout27", [("mubresign-ar-a", "ar")], "person:hosni-mubarak"),
    ("events_heldout14", [("sarko-ar", "ar")], "person:nicolas-sarkozy"),
])
def test_people_of_the_last_twenty_years_news_are_one_person_across_scripts(fx, corpus, reports, person):
    """Heads of state and government, ministers and others the news of the last two decades names in every
    language are in the gazetteer: a Korean, Arabic or Latin writing of one is one id, where unknown names in
    different scripts only met by their consonant skeletons (박근혜 "bkn" is not Park's "brkn"), and an Arabic
    name ran on into the next word ("نيكولا ساركوزي خمس"). Blind reports of held-out corpora."""
    for article_id, language in reports:
        record = _heldout(corpus, article_id)
        assert person in ids(fx(record["text"], language).who), article_id


def test_a_first_name_of_a_known_person_before_a_one_word_place_is_a_first_name(fx):
    """"Premier Tim Houston", "Nasa administrator Bill Nelson": Houston and Nelson are places too, and Tim and Bill
    start names the gazetteer knows (Tim Cook, Bill Gates), which no longer read as the start of a place's name. A
    blind report of held-out 44, and a sentence of our own."""
    record = _heldout("events_heldout44", "fiona-en-3")
    assert "Premier Tim Houston" in record["text"]
    assert "person:tim-houston" in ids(fx(record["text"], "en").who)
    facts = fx("Nasa administrator Bill Nelson criticised Beijing on Sunday.", "en")
    assert "person:bill-nelson" in ids(facts.who)
    assert "person:bill" not in ids(facts.who)


def test_a_short_chinese_name_inside_a_part_of_a_dotted_name_is_not_that_person(fx):
    """"戈恩" is Carlos Ghosn in Chinese news, and also the end of "莫戈恩" (Mogoeng): inside one part of a dotted name
    it is no one; alone, or a whole part ("卡洛斯·戈恩"), it is him. Sentences of our own."""
    facts = fx("南非首席大法官莫戈恩·莫戈恩周四主持了宣誓仪式。", "zh")
    assert "person:carlos-ghosn" not in ids(facts.who)
    assert "莫戈恩·莫戈恩" in {m.surface for m in facts.who}
    assert "person:carlos-ghosn" in ids(fx("日产前董事长戈恩在东京被捕。", "zh").who)
    assert "person:carlos-ghosn" in ids(fx("日产前董事长卡洛斯·戈恩在东京被捕。", "zh").who)


def test_a_surname_two_known_people_share_is_the_one_the_article_names_in_full(fx):
    """"Clinton" alone is weak and Bill's or Hillary's: the article's full name says which, in any script.
    Sentences of our own."""
    bill = fx("Former US President Bill Clinton visited Haiti on Monday. Clinton said the rebuilding would go on.",
              "en")
    assert [m.entity.id for m in bill.who if m.surface == "Clinton"] == ["person:bill-clinton"]
    hillary = fx("Hillary Clinton conceded the election on Wednesday. Clinton told her supporters to accept it.",
                 "en")
    assert [m.entity.id for m in hillary.who if m.surface == "Clinton"] == ["person:hillary-clinton"]
    ru = fx("Бывший президент США Билл Клинтон прибыл в Гаити. Клинтон заявил, что помощь продолжится.", "ru")
    assert {m.entity.id for m in ru.who} == {"person:bill-clinton"}


def test_a_known_persons_weak_surname_before_another_surname_is_a_first_name(fx):
    """"Cameron" alone is David Cameron where the article names him, but "Cameron Norrie" is another man; "the
    Morrison Government" is still Scott Morrison's. Sentences of our own."""
    en = fx("Prime Minister David Cameron watched Cameron Norrie win on Centre Court. Cameron praised him.", "en")
    assert "person:cameron-norrie" in ids(en.who)
    assert [m.surface for m in en.who if m.entity.id == "person:david-cameron"] == ["David Cameron", "Cameron"]
    au = fx("Prime Minister Scott Morrison spoke in Canberra. The Morrison Government will spend more.", "en")
    assert ids(au.who) & {"person:morrison-government", "person:government"} == set()
    assert [m.surface for m in au.who if m.entity.id == "person:scott-morrison"] == ["Scott Morrison", "Morrison"]


def test_organisations_of_the_news_are_one_id_across_languages_and_share_buttons_are_none(fx):
    """Parties, governments' seats, armed groups and companies are in the gazetteer in our languages; a
    "Twitter" share button on a scraped page is recognised (no person "Twitter Partager") and reported as nothing;
    a party name many countries share ("Democratic Party") is the US party only beside its full name. Sentences of
    our own."""
    elysee = {"fr": "L'Élysée a confirmé lundi la visite du chancelier.",
              "en": "The Elysee Palace confirmed the visit on Monday.",
              "zh": "爱丽舍宫周一证实了这次访问。"}
    for language, text in elysee.items():
        assert "org:elysee-palace" in ids(fx(text, language).who), language
    page = fx("Partager sur Twitter Partager sur Facebook. Le gouvernement a annoncé la réforme.", "fr")
    assert not [m for m in page.who if "Twitter" in m.surface]
    korea = fx("South Korea's Democratic Party won a majority in the National Assembly on Wednesday.", "en")
    assert "org:democratic-party-us" not in ids(korea.who)
    # clubs are recognised, so they are no unknown people, but not reported: one club's matches days apart are
    # different happenings (held-out 21: Manchester City's two games in a week)
    clubs = fx("Real Madrid beat Borussia Dortmund 2-0 at Wembley.", "en")
    assert not [m for m in clubs.who if "Madrid" in m.surface or "Dortmund" in m.surface]


def test_a_wire_reports_credit_line_names_no_one_of_the_news(fx):
    """"(Reporting by ...; Editing by ...)" names the agency's reporters and editors: two reports by one reporter are
    not one happening, so they are no people of the report. A blind report of held-out 18."""
    record = _heldout("events_heldout18", "chigi-shooting-en")
    assert "(Reporting by Roberto Carli" in record["text"]
    facts = fx(record["text"], "en")
    assert not {m.surface for m in facts.who} & {"Roberto Carli", "Naomi Fenwick", "Alison Reed"}
    assert "place:rome" in ids(facts.where) or any(m.surface == "Rome" for m in facts.where)


@pytest.mark.parametrize("corpus,article,lang,writers", [
    ("events_heldout18", "letta-sworn-in-it", "it", {"GIOVANNA MARCHI"}),
    ("events_heldout18", "letta-sworn-in-fr", "fr", {"Paul Mercier"}),
    ("events_heldout47", "uto-en-1", "en", {"Helen Pidd"}),
    ("events_heldout8", "berlin-attack-de", "de", {"Frank Jansen", "Hannes Heine", "Lena Thiel"}),
    ("events_heldout41", "wash0130-en-1", "en", {"Lingling Wei", "Bob Davis", "Vivian Salama"}),
])
def test_a_byline_names_no_one_of_the_news(fx, corpus, article, lang, writers):
    """"di GIOVANNA MARCHI", "Par Paul Mercier, à Rome | Publié le ...", "Von Frank Jansen, Hannes Heine und Lena
    Thiel": a byline line names the page's writers; two reports by one writer are not one happening. Blind reports."""
    text = _heldout(corpus, article)["text"]
    assert all(w in text for w in writers)
    facts = fx(text, lang)
    assert not {m.surface for m in facts.who} & writers
    assert facts.who  # the news's people are still read


@pytest.mark.parametrize("text,lang,person", [
    ("Von der Leyen trifft Biden\n\nDie Kommissionspräsidentin reiste am Freitag nach Washington.", "de", "Leyen"),
    ("Di Maio, Salvini e Conte\n\nI tre leader si sono incontrati a Roma.", "it", "Salvini"),
    ("By Friday, Emmanuel Macron had met Olaf Scholz twice in Berlin.", "en", "Macron"),
])
def test_a_line_that_only_starts_like_a_byline_keeps_its_people(fx, text, lang, person):
    assert any(person in m.surface for m in fx(text, lang).who)


def test_a_middle_initial_is_part_of_the_name_and_not_of_its_id(fx):
    """"Steven T. Mnuchin" was read as "Steven" (the initial broke the run of capitalised words) and "Michael J.
    Fox" not at all. The whole name is read, and its id is the one the name without the initial gets, so the
    English report and the German one name one person."""
    en = fx("Treasury Secretary Steven T. Mnuchin met Chinese Vice Premier Liu He in Washington on Thursday, "
            "while the actor Michael J. Fox watched. Mnuchin said talks would go on.", "en")
    de = fx("Finanzminister Steven Mnuchin traf am Donnerstag in Washington den chinesischen Vizepremier Liu He.", "de")
    who_en = {m.surface: m.entity.id for m in en.who}
    assert who_en["Steven T. Mnuchin"] == who_en["Mnuchin"]
    assert "Michael J. Fox" in who_en and "Steven" not in who_en
    assert who_en["Steven T. Mnuchin"] in {m.entity.id for m in de.who}
    # an initial that ends a sentence is no part of a name
    assert not [m for m in fx("They voted for Plan B. The Senate said no.", "en").who if "Plan" in m.surface]


def test_turkish_cues_after_a_small_town_and_an_institution_after_a_given_name(fx):
    """Held-out 50 (blind): "Ceylanpınar'daki evlere", "Resulayn kasabasında" name small towns, which need a cue
    word; Turkish puts it after the name (the locative after the apostrophe, "kasabası", "ilçesi"). And "Ceylanpınar
    Devlet Hastanesi" (the state hospital) is no person called Devlet: "Hastanesi" heads an institution's name."""
    text = _heldout("events_heldout50", "rasalain-tr-1")["text"]
    assert "Ceylanpınar Devlet Hastanesi" in text
    facts = fx(text, "tr")
    assert any(m.surface == "Ceylanpınar" for m in facts.where)
    assert not [m for m in facts.who if m.entity.kind == "person" and "Hastanesi" in m.surface]
    other = fx("Resulayn kasabasında çatışma çıktı; Erdoğan'a göre sınır güvende.", "tr")
    assert any(m.surface == "Resulayn" for m in other.where)
    assert not any("Erdoğan" in m.surface for m in other.where)


@pytest.mark.parametrize("text,lang", [
    ("Die haitianische Regierung hat die Suche nach Überlebenden des verheerenden Erdbebens vom 12. Januar beendet. "
     "Die Entscheidung sei am Freitag gefallen, teilten die Vereinten Nationen mit.", "de"),
    ("El Gobierno haitiano dio por terminada la búsqueda de supervivientes del terremoto del 12 de enero. La decisión "
     "se tomó el viernes, informó la ONU.", "es"),
])
def test_past_a_background_day_the_next_day_the_lead_tells_is_the_happenings(fx, text, lang):
    """The day the lead names most is the earthquake of 12 January, eleven days before publication: background. The
    report is then not undated: the next day its lead tells ("on Friday", the day before) is its news's."""
    assert fx(text, lang, dt.date(2010, 1, 23)).happened == dt.date(2010, 1, 22)


def test_past_a_background_day_a_blind_report_reads_its_own():
    """Held-out 53 (blind, session 29): "Haiti ends search for quake survivors" read no day (its lead names "the
    devastating earthquake of 12 January" and "the decision on Friday") and joined the Security Council's vote of
    four days before."""
    record = _heldout("events_heldout53", "search-en-1")
    facts = FactExtractor()(record["text"], "en", dt.date.fromisoformat(record["published"][:10]))
    assert facts.happened == dt.date(2010, 1, 22)


@pytest.mark.parametrize(("corpus", "reports", "org"), [
    ("events_heldout33", ["elazig-de-1", "elazig-en-1", "elazig-tr-1"], "org:afad"),
    ("events_heldout40", ["panama-en-1", "panama-de-1", "panama-es-1", "panama-ru-1"], "org:icij"),
    ("events_heldout4", ["svb-en", "svb-de", "svb-zh"], "org:fdic"),
])
def test_an_organisation_named_by_its_acronym_is_one_id_across_languages(fx, corpus, reports, org):
    """An agency or a party the gazetteer lacks is written with the same capitals in every language's report of
    the news (Turkey's disaster agency AFAD, the journalists' consortium ICIJ, the US deposit insurer FDIC). Blind
    reports of held-out corpora."""
    for report in reports:
        record = _heldout(corpus, report)
        assert org in ids(fx(record["text"], record["language"]).who), report


def test_an_acronym_in_brackets_after_a_name_is_that_organisation(fx):
    """"Deutscher Wetterdienst (DWD)": the name and every later "DWD" are one organisation, with the acronym's id
    (a report in another language writes "DWD" more often than the German name) and the name to show; one in
    brackets after a gazetteer's organisation is that organisation. Sentences of our own."""
    facts = fx("Das Gemeinsame Zentrum für Katastrophenschutz (GZK) warnte am Montag vor Hochwasser. "
               "Das GZK rechnet mit Pegelständen wie 2021.", "de")
    orgs = [m for m in facts.who if m.entity.kind == "org"]
    assert {m.entity.id for m in orgs} == {"org:gzk"}
    assert {m.surface for m in orgs} == {"Gemeinsame Zentrum für Katastrophenschutz", "GZK"}
    assert {m.entity.name for m in orgs} == {"Gemeinsame Zentrum für Katastrophenschutz"}
    opec = fx("The Organization of the Petroleum Exporting Countries (OPEC) met in Vienna.", "en")
    assert ids(opec.who) == {"org:opec"}


@pytest.mark.parametrize("text,lang", [
    ("COVID cases and GDP figures rose, the CEO said on TV.", "en"),
    ("LONDON, Feb 18 (Reuters) - Storm Eunice battered the south.", "en"),  # a dateline set in capitals
    ("READ MORE: Storm Eunice hits the coast\nThe storm hit on Friday.", "en"),  # page furniture in capitals
    ("FLOODS HIT THE NORTH AS RIVERS BURST\nThe rivers burst on Friday.", "en"),  # a headline in capitals
    ("A former student armed with an AR-15 opened fire; the ATR-72 landed.", "en"),  # models
    ("The match was played at the RAMS Park in Istanbul.", "en"),  # part of a longer name
    ("Глава МИД Турции прибыл в Анкару, сообщили СМИ после ДТП.", "ru"),  # every country has a foreign ministry
    ("(ANSA) - ROMA, 26 AGO - Decine di feriti.", "it"),  # an agency and a month
])
def test_capitals_that_name_no_organisation_of_the_news_are_none(fx, text, lang):
    """Diseases, measures, titles, an agency's credit, datelines, headlines and "READ MORE" lines set in capitals, a
    rifle's or an aircraft's model, a stadium's name, a body every country has: no organisation. Sentences of our
    own."""
    acronyms = [m.surface for m in fx(text, lang).who if m.surface.isupper()]
    assert acronyms == [], acronyms


@pytest.mark.parametrize("text,lang,country", [
    ("A maior parte das vendas brasileiras aos EUA é de aço.", "pt", "country:US"),
    ("Des combats ont repris dans l'est de la RDC.", "fr", "country:CD"),
    ("Президент РФ провёл совещание.", "ru", "country:RU"),
    ("The DPRK fired a missile on Monday.", "en", "country:KP"),
])
def test_a_country_written_with_capitals_is_the_country(fx, text, lang, country):
    """Countries' short forms in capitals are places, not organisations: the acronym rule would take them."""
    facts = fx(text, lang)
    assert country in ids(facts.where)
    assert not [m for m in facts.who if m.entity.kind == "org"]


@pytest.mark.parametrize(("corpus", "article_id", "person", "run_on"), [
    ("events_heldout41", "tariffs0706-de-1", "Wilbur Ross", "Wilbur Ross Anfang Juni"),
    ("events_heldout18", "dortmund-real-de", "Marco Reus", "Marco Reus zu Fall"),
    ("events_heldout28", "iran-russia-fm-de-1", "Hussein Amirabdollahian", "Kollegen Hussein Amirabdollahian"),
])
def test_german_words_run_into_a_name_are_no_part_of_it(fx, corpus, article_id, person, run_on):
    """German capitalises its nouns, so the words after a name may look like more of it: a month ("Anfang Juni"),
    an idiom with "zu" ("zu Fall bringen"), a colleague before it. Blind reports of held-out corpora."""
    record = _heldout(corpus, article_id)
    assert run_on in record["text"]
    people = {m.surface for m in fx(record["text"], "de").who if m.entity.kind == "person"}
    assert person in people and run_on not in people


def test_german_nouns_after_an_article_are_no_people(fx):
    """A capitalised word the text also writes after an article is a noun: "Robert Mueller Anklage" is Robert
    Mueller, "Regierung von Premierminister" nobody; a surname written after an article before a hyphen ("der
    Kramer-Stiftung") is still a surname. Sentences of our own."""
    text = ("Sonderermittler Robert Mueller Anklage erhoben hat, ist die Anklage nun öffentlich. Die Regierung von "
            "Premierminister Boris Johnson schwieg. Auch Karl Theodor Kramer, Gründer der Kramer-Stiftung, schwieg.")
    people = {m.surface for m in fx(text, "de").who if m.entity.kind == "person"}
    assert "Robert Mueller" in people and "Robert Mueller Anklage" not in people
    assert not any("Regierung" in p for p in people)
    assert {"Boris Johnson", "Karl Theodor Kramer"} <= people


def test_an_organisations_leading_adjective_is_part_of_its_name(fx):
    """"National", "Federal" start no person's name but do start an organisation's: Helene's and Milton's reports name
    the "National Hurricane Center", one id for both (blind reports of held-out 4). Before a single word of a body
    every country has ("the Supreme Court on Friday") there is no organisation, and a weekday ends one's name."""
    for article_id in ("helene-en", "milton-en"):
        record = _heldout("events_heldout4", article_id)
        orgs = {m.surface: m.entity.id for m in fx(record["text"], "en").who if m.entity.kind == "org"}
        assert orgs.get("National Hurricane Center") == "org:national-hurricane-center", article_id
    court = fx("The Supreme Court on Friday rejected the appeal; the Court of Appeal on Monday upheld it.", "en")
    assert {m.surface for m in court.who if m.entity.kind == "org"} == {"Court of Appeal"}


@pytest.mark.parametrize(("lang", "text", "named", "not_named"), [
    # a weekday or a month ends a run of names, in any language: the happening's day is no part of a name
    ("en", "Officials said Tomasz Wrenfield Monday that the talks would go on.", "Tomasz Wrenfield",
     "Tomasz Wrenfield Monday"),
    ("de", "Die Ministerin Karoline Edtstadler Anfang Juni in Wien sagte, es gebe keinen Plan.",
     "Karoline Edtstadler", "Karoline Edtstadler Anfang Juni"),
    # the day alone, after a name the lexicon knows, is no person ("Karl Lauterbach Anfang Juni")
    ("de", "Gesundheitsminister Karl Lauterbach Anfang Juni in Berlin sagte, es gebe keinen Plan.", "Karl Lauterbach",
     "Anfang Juni"),
    # a month may be a name's second word, and a weekday where the language writes its days in lower case
    ("en", "Prime Minister Theresa May said on Tuesday that the deal stood.", "Theresa May", None),
    ("es", "El presidente Plácido Domingo dijo el sábado en Viena que cantará.", "Plácido Domingo", None),
])
def test_a_day_ends_a_run_of_names(fx, lang, text, named, not_named):
    """Sentences of our own: the name finder's run of capitalised words stops at a month after a name's second word
    (and at German "Anfang/Mitte/Ende" before a month), and at an English or German weekday, where it never starts."""
    people = {m.surface for m in fx(text, lang).who if m.entity.kind == "person"}
    assert named in people
    if not_named is not None:
        assert not any(not_named in p for p in people), people


def test_the_words_a_title_says_a_name_is_are_no_name(fx):
    """Turkish names a foreign leader "Rusya Devlet Başkanı Vladimir Putin" (Russia's head of state): the capitalised
    words before the title are what the title says, not a person "Rusya Devlet" (given name Devlet, as Devlet
    Bahçeli). Held-out 28's report of the Erdogan-Putin call of 2016 had that person (session 33's code)."""
    text = _heldout("events_heldout28", "putin-erdogan-tr-4")["text"]
    assert "Rusya Devlet Başkanı Vladimir Putin" in text
    people = {m.entity.id for m in fx(text, "tr").who if m.entity.kind == "person"}
    assert "person:vladimir-putin" in people and not any("rusya" in p for p in people)
    who = {m.surface for m in fx("Cumhurbaşkanı Erdoğan, Rusya Devlet Başkanı Putin ile görüştü.", "tr").who}
    assert who == {"Erdoğan", "Putin"}
    # a name before another name's title stays a name where no title follows it
    assert "Devlet Bahçeli" in {m.surface for m in fx("MHP Genel Başkanı Devlet Bahçeli açıklama yaptı.", "tr").who}
