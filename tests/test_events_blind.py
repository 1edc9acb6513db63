"""Evaluation gates on the held-out corpora written blind (tests/fixtures/events_heldout3 and events_heldout4, see
their README.md files): the figures measured when each was first used, before its errors were looked at, and the
floors below them. The floors catch a regression; they are not targets.

events_heldout3: 47 articles in 14 languages, 17 gold events, eight pairs of hard negatives; written in session 8
after that session's changes to events and dates. Blind (bench/events_heldout.py --corpus
tests/fixtures/events_heldout3/articles.jsonl, both orders): B-cubed P 1.000 R 0.823 F1 0.903, against 0.847 with
the code of the session's start. Storylines (bench/storylines_eval.py --corpus heldout3): F1 0.944 over articles,
0.954 over events; 5 of the 7 gold storylines of several events whole.

events_heldout4: 45 articles in 15 languages, 16 gold events, eight pairs of hard negatives; written at the end of
session 8, first run in session 9 on that session's starting code. Blind: B-cubed P 0.880 R 0.819 F1 0.848 by
date, 0.842 shuffled (two merges of happenings two days apart); storylines F1 0.906 / 0.884, all 4 gold storylines
of several events whole. After session 9's changes (no longer blind): P 1.000 R 0.881 F1 0.937. Held-out 3 after
them: P 1.000 R 0.943 F1 0.971 by date, 1.000 shuffled.

events_heldout5: 50 articles in 15 languages, 16 gold events, nine pairs of hard negatives; written blind in session
9. Blind, totals only: 0.858 on that session's starting code, 0.925 after its event-scorer changes (P 0.908 R 0.943);
storylines 0.955 / 0.968. Its errors then looked at (spent): the written-date background rule went from a week to
three days, which joins the Italian report of the Ever Given refloated (P 0.940 R 0.970 F1 0.955). Session 10:
0.985 (a date after "until" is a count's end, not the happening: the Potomac collision's English report no longer
merges it with the Philadelphia crash).

events_heldout6: 49 articles in 15 languages, 16 gold events, eight pairs of hard negatives (and a weaker ninth);
written blind in session 9. Blind, totals only: 0.832 on that session's starting code, 0.947 on its final code;
storylines 0.932 / 0.933. Its errors then looked at in session 10 (spent): German and Dutch weekdays written with
the part of the day ("Montagmorgen"), "until" before a date and "the day before" the date named last, which took
out its one merge (the Crimean bridge blast and the strikes two days later): P/R/F1 1.000.

events_heldout7: 50 articles in 15 languages, 16 gold events, eight pairs of hard negatives; written blind in session
10. Blind, totals only: 0.891 on that session's starting code, 0.927 on its final code; storylines 0.851 / 0.905.
Its errors read in session 11 (spent): 0.927 by date, 0.913 shuffled; the Hungarian and Serbian elections of the same
day still merge (a known merge below).

events_heldout8: 49 pages as scraped (breadcrumbs, bylines, "Read more" blocks naming other stories) in 15
languages, 16 gold events, nine pairs of hard negatives; written blind in session 10. Blind, totals only: 0.883 on
that session's starting code, 0.914 on its final code. Its errors read in session 11 (spent): follow-ups dated by
their own news day split, and the abdication and the accession a day apart merge (a known merge below); 0.914,
0.925 once a date in the first sentence counts more.

events_heldout9: 51 articles in 15 languages, 17 gold events in five developing storylines, syndicated copies and
late reports; written blind in session 11. Blind, totals only: 0.905 on that session's starting code and after its
first changes. Its errors then read (spent): three late reports dated by a background day or a misread Korean "전",
and the Norcia quake's Portuguese report dated by the Visso quakes four days before (so merged with them); 0.973
after the first-sentence and Korean date changes.

events_heldout10: 51 pages as scraped (live blogs, bylines, related-story blocks) in 15 languages, 17 gold events,
four pairs of hard negatives; written blind in session 11. Blind, totals only: 0.939 on that session's final code.
Its errors read in session 12 (spent): a related story's headline ("the elections go ahead on Wednesday") and a
Turkish "to be held on Wednesday" dated the Utrecht shooting five days early, which split it; 0.951 after the
navigation, update-stamp and Turkish future changes. The two Champions League semi-finals a day apart still merge
(a known merge below), and the Arabic report of Ardern's pledge the day after Christchurch stays apart.

events_heldout13: 52 articles in 15 languages, 19 gold events, seven pairs of hard negatives, most reports dated only
relatively ("hier soir", "지난 3일", "в ночь на среду"); written blind in session 12. Blind, totals only: 0.867 by
date, 0.856 shuffled on that session's starting code and after its first changes. Its errors then read (spent):
TASS's "НЬЮ-ЙОРК, 6 июля. /ТАСС/." dateline taken for the happening, "que este miércoles debía disputar" (was to
play) for a past Wednesday, and "vandaag" leading a report halved against the "dinsdag" it recalls; 0.905 / 0.895
after those. Three pairs of one cast a day or three apart still merge (known merges below).

events_heldout12: 52 long reports (1,500-4,000 characters) whose background paragraphs recall earlier happenings with
their dates, 15 languages, 18 gold events, five pairs of hard negatives; written blind in session 12. Blind, totals
only: 0.858 in both orders on that session's starting code and after its first changes. Its errors then read
(spent): background days retold past the lead outvoted the first sentence's, a weekday written with its date counted
as an "on Wednesday", and a Japanese report's home-time date ("日本時間27日") beside the local one; 0.926 after
those. The two pairs a day apart still merge (known merges below).

events_heldout15: 54 articles in 15 languages, 20 gold events, 16 of them in seven storylines of one cast one to three
days apart (an arrest and the court hearing, a quake and the reactor blast the next day, a launch scrubbed and flown
three days later); written blind in session 13. Blind, totals only: 0.812 by date, 0.821 shuffled on that session's
code before its event changes. Its errors then read (spent): a launch scrubbed and flown three days later, both
dated by their texts, still joined; 0.822 / 0.833 once two days or more between read dates count -3 (was -2), and
0.915 / 0.901 once an event whose reports read two days of their own splits in two (held-out 12 0.958 / 0.931 and 13
0.949 / 0.936 then too; blind held-out 14 0.834 -> 0.920, 16 0.927 -> 0.973). Two pairs still merge through a report
dated by the other happening's day (known merges below).

events_heldout17: a news stream of April 2010, 57 articles in 15 languages, 20 gold events, nine same-language pairs
of one event; written blind at the end of session 13. Blind, totals only: 0.882 by date, 0.875 shuffled on that
session's final code (precision 0.845). Its errors read in session 14 (spent): a bridging report merged two
countries' mine stories of one day, and "da sabato" (since Saturday) dated the coffin's return by the crash; 0.960
by date, 0.922 shuffled once events of different countries are not merged, "since" days do not vote and a day in a
relative clause beside another day weighs half.

events_heldout19: look-alike news of a busy fortnight of June 2016 (three central banks holding rates within a day,
three tech takeovers, four votes in eight days, two Euro 2016 games won 2-1 late), 62 articles in 15 languages, 24
gold events; written blind in session 14. Blind, totals only: 0.905 by date, 0.901 shuffled on that session's
starting code, 0.893 / 0.889 after its first changes. Its errors then read (spent): "Virginia Occidental" was a
person and "West Virginia" a South African town, "Batley Town Hall" put Schwäbisch Hall in a report from Yorkshire
(both then counted against one place), and "前日比" (a market's "against the day before") dated the Bank of Japan's
decision by the Fed's; 0.921 / 0.920 once states and provinces are places and those two are mended. The central
banks' reports still chain (known merges below): one's report names the others, and none names its bank in a way
the lexicon knows.

events_heldout18: a messy web news stream of April 2013 (bylines, "Read more" lines naming other stories, related
headlines, cookie notices, a syndicated dpa copy), 62 articles in 14 languages, 20 gold events; written blind in
session 14. Blind, totals only: 0.880 in both orders on that session's starting code and after all its changes but the
last. Its errors then read (spent): the Saravan quake's Arabic report was dated by "last Tuesday (9 April)", the
Bushehr quake's, counted twice (now a weekday and its date in brackets are one day); 0.902 in both orders. The Götze
transfer, Bayern-Barcelona and Dortmund-Real (the same clubs and players on 23 and 24 April) still merge, and so do
Suárez's bite and his ban through the English report of the ban, which names only Sunday's bite (known merges below).

events_heldout21: same kind of news days apart (March 2023: four central-bank rises in eight days, Manchester City
twice in five days, two earthquakes, Xi in Moscow and Kishida in Kyiv on one day), 54 articles in 15 languages, 20
gold events; written blind in session 15. Blind, totals only: 0.851 by date, 0.870 shuffled on that session's code
before any change to events or dates. Its errors then read (spent): same-day reports whose lead names no day were
dated by a day recalled further down (the Fed's rise in the Bank of England's report); 0.863 / 0.885 once a lead
that names no day leaves the day to the publication. Reports that name the other happening in the lead still go
with it (known merges below).

events_heldout22: long pages as scraped (bylines, "Related" lines, background paragraphs, site furniture), with three
syndicated copies and three follow-ups a few days after their first happening, October 2010, 52 pages in 15
languages, 19 gold events; written blind in session 15. Blind, totals only: 0.897 in both orders on that session's
code before any change to events or dates; 0.908 after the lead rule, 0.934 once a day in a relative clause after an
apposition weighs half. The follow-up whose reports are dated by the first happening still merges with it (known
merges below).

events_heldout23: big events with many reports (March 2016: the Ankara, Brussels and Lahore bombings and the Rostov
crash, 8-10 reports each over one or two days, flashes, updates with changing tolls, next-day reports), with smaller
happenings of the same kind nearby and three follow-ups, 64 articles in 15 languages, 18 gold events; written blind
in session 16. Blind, totals only: 0.890 by date, 0.894 shuffled on that session's starting code. Its errors then
read (spent): Dutch "gisterennamiddag" was no day (0.898 / 0.902), and the Rostov crash split in two because two of
its nine reports misread the day; 0.934 in both orders once reports that read no day count half on their publication
day when a second day is weighed. The claim for the Ankara bombing four days later is dated by "Sunday's" bombing
its reports recall, and one Dutch report of the bombers' identities joins the ministers' resignation offer through
the other Dutch report (known merges below).

events_heldout47: 113 reports in 16 languages (two Greek ones, which the model lacks, are skipped), 38 gold events of
one general week, 22-28 July 2011, seven pages undated (each arrives after the page before it in the file); written
blind in session 25. Blind, on session 24's final code: 0.842 by date, 0.813 shuffled (P 0.778 / 0.744); storylines
0.908 / 0.888, 6 of its 8 gold storylines of several events whole. Spent at once: 0.857 / 0.827 after that session's
changes (a weekday in the English possessive days back recalled, not read as the happening's day).

events_heldout48: 115 reports in 16 languages (one Ukrainian, which the model lacks, is skipped), 38 gold events of
one general week, 17-23 August 2014, 37 pages undated; written blind in session 26. Blind, on session 25's final
code: 0.870 by date, 0.860 shuffled (P 0.833 / 0.816); storylines 0.900 / 0.890. Spent at once: its merges are one
cast's or one place's happenings a day apart (known merges below), told in one language or by undated reports.

events_heldout50: 114 reports in 16 languages (two Greek ones, which the model lacks, are skipped), 36 gold events of
one general week, 5-11 November 2012, 34 pages undated; written blind in session 29. Blind, on session 28's final
code with that session's first facts changes: 0.885 by date, 0.875 shuffled (P 0.942 / 0.933). Spent at once:
0.897 / 0.889 after that session's changes (syndicated copies reading another day no longer split the Guatemala
quake; a live blog's other story no longer carries the Greek vote's reports into the Merkel-Cameron dinner).

events_heldout53: 97 reports in 16 languages (two Haitian Creole ones, which the model lacks, are skipped), the
Haiti earthquake's three weeks of January 2010 (21 happenings) and 8 unrelated events of those weeks, 29 gold events,
24 pages undated; written blind in session 29. Blind, on that session's code before its date change: 0.821 by date,
0.854 shuffled (P 0.782 / 0.838). Spent at once: 0.858 / 0.881 once a lead's background day ("the earthquake of 12
January") no longer hid the report's own ("on Friday"). Its merges are happenings of one day in one city, or of one
cast a day apart (known merges below).

events_heldout55: 105 reports in 16 languages (two Hebrew ones, which the model lacks, are skipped), the last two and
a half weeks of the 2006 Israel-Hezbollah war (30 July - 17 August: 24 happenings of one cast, most of them on a day
with another) and 5 unrelated events of those weeks, 29 gold events, 17 pages undated; written blind in session 30.
Blind, on that session's code: 0.736 by date, 0.711 shuffled (P 0.642 / 0.582): happenings of one day in one war
merge (known merges below), and the corpus was read at once (spent).

events_heldout59: 117 reports in 16 languages (two Danish ones, which the model lacks, are skipped), a general week
of news, 24-30 November 2008: the Mumbai attacks (16 reports) and four next happenings of theirs, the seizure of
Bangkok's airport and two next days, Obama's economic team named on three days, 39 gold events; written blind in
session 31. Blind: 0.862 by date, 0.870 shuffled (P 0.852 / 0.853); read at once (spent): one cast's happenings a
day or two apart merge (known merges below), and two digest pages stay apart from the story they are about. 0.886 /
0.902 once two days read one apart counted against one happening (Bangkok's three days apart).

events_heldout62: 107 reports of LOCAL news, Cologne, 9-15 March 2026 (93 German; 28 press releases of the police,
fire brigade and city, several a day from one authority), 43 gold events, most of them a city's crimes, fires and
accidents of one day told in one vocabulary; written blind in session 32. Blind: 0.703 by date, 0.708 shuffled (P
0.590 / 0.599): the same city and day weigh as much as in a world feed, where they tell one happening, and here
join a robbery with another, a fire with another (known merges below). Read at once (spent). Session 32's opt-in
local-stream setting (a city that two other happenings among an article's candidates name within two days is no
evidence): 0.804 / 0.819. Since session 33, by default, a city that four events of the whole stream name within two
days is no evidence (``[events] common_place_events = 4``): 0.804 / 0.819, the world corpora unchanged. Its sibling,
Brussels (held-out 63), is reserved.

events_heldout64: 104 reports in 16 languages (54 undated) of six casts' recurring meetings, 2019-2024 (Putin and
Erdogan in Moscow and three times in Sochi; Xi and Putin by video twice, in Beijing, in Moscow, in Beijing again; Biden
and Xi by video, by telephone, in Bali, Woodside and Lima; Germany and France; Japan and Korea; Iran and Russia) and
five unrelated happenings, 33 gold events; written blind in session 34, its theme chosen like the seeds'. Session 33's
code: 0.837 by date, 0.865 shuffled; blind on arrival (after ``call_against``, before its errors were read): 0.863 /
0.864 (P 0.925 / 0.908). Read at once (spent): most errors are undated reports of one cast's meeting in the same
city a year apart (Sochi 2022 and 2023), and single reports left apart. 0.853 / 0.864 once "Rusya Devlet Başkanı" no
longer made a person "Rusya Devlet": an undated Turkish report of the 2023 Sochi meeting then joined the 2022 one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, check_event_corpus

from tidings.evaluation import bcubed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import events_heldout  # noqa: E402  (the bench's arrival order)


@dataclass(frozen=True)
class Gate:
    folder: str
    min_bcubed_f1: float
    min_whole_storylines: int       # of the gold storylines of several events
    min_events: int
    hard_negatives: tuple[tuple[str, str], ...]
    # hard negatives the detector still merges: asserted merged, so that a fix is noticed and moved up
    known_merges: tuple[tuple[str, str], ...] = ()
    copies: int = 0                 # syndicated copies: reports in a language their event already has
    max_reports: int = 4            # reports of the largest gold event
    local: bool = False             # one city's news, mostly in its own language(s): not the world corpora's shape


GATES = {
    "heldout3": Gate("events_heldout3", 0.92, 6, 15, (
        ("turkey-presidential-election-2023-05-14", "turkey-presidential-runoff-2023-05-28"),
        ("turkey-syria-earthquake-2023-02-06", "hatay-earthquake-2023-02-20"),
        ("trump-putin-alaska-summit-2025-08-15", "zelensky-europeans-white-house-2025-08-18"),
        ("gaza-ceasefire-deal-announced-2025-01-15", "gaza-ceasefire-takes-effect-2025-01-19"),
        ("iran-attack-on-israel-2024-04-13", "israeli-strike-isfahan-2024-04-19"),
        ("ucl-semi-barcelona-inter-first-leg-2025-04-30", "ucl-semi-inter-barcelona-second-leg-2025-05-06"),
        ("pope-francis-death-2025-04-21", "pope-francis-funeral-2025-04-26"),
        ("pope-francis-funeral-2025-04-26", "pope-leo-xiv-elected-2025-05-08"),
    )),
    "heldout4": Gate("events_heldout4", 0.89, 3, 15, (
        ("abe-shooting-nara-2022-07-08", "japan-upper-house-election-2022-07-10"),
        ("hurricane-helene-landfall-2024-09-26", "hurricane-milton-landfall-2024-10-09"),
        ("svb-collapse-2023-03-10", "ubs-credit-suisse-takeover-2023-03-19"),
        ("move-forward-dissolved-2024-08-07", "srettha-removed-by-court-2024-08-14"),
        ("srettha-removed-by-court-2024-08-14", "paetongtarn-elected-pm-2024-08-16"),
        ("wc2022-semifinal-argentina-croatia-2022-12-13", "wc2022-final-argentina-france-2022-12-18"),
        ("louvre-jewel-heist-2025-10-19", "louvre-heist-arrests-2025-10-25"),
        ("morocco-al-haouz-earthquake-2023-09-08", "derna-floods-2023-09-10"),
    )),
    # 0.980 until session 31's one-day term parted the Crocus attack's next-day updates, which read their own day
    "heldout5": Gate("events_heldout5", 0.94, 3, 15, (
        ("ever-given-grounded-suez-canal-2021-03-23", "ever-given-refloated-suez-canal-2021-03-29"),
        ("german-coalition-collapse-lindner-fired-2024-11-06", "us-presidential-election-trump-wins-2024-11-05"),
        ("german-coalition-collapse-lindner-fired-2024-11-06", "scholz-loses-confidence-vote-2024-12-16"),
        ("scholz-loses-confidence-vote-2024-12-16", "german-federal-election-2025-02-23"),
        ("israel-strikes-iran-rising-lion-2025-06-13", "us-strikes-iran-nuclear-sites-2025-06-22"),
        ("us-strikes-iran-nuclear-sites-2025-06-22", "iran-missile-attack-al-udeid-qatar-2025-06-23"),
        ("liz-truss-resigns-2022-10-20", "rishi-sunak-becomes-prime-minister-2022-10-24"),
        ("jeju-air-crash-muan-2024-12-29", "potomac-midair-collision-2025-01-29"),
        # merged until session 10: the collision's English report was dated by "until Thursday" (a count's end)
        ("potomac-midair-collision-2025-01-29", "philadelphia-medevac-jet-crash-2025-01-31"),
    )),
    "heldout6": Gate("events_heldout6", 0.96, 5, 15, (
        ("beirut-port-explosion-2020-08-04", "lebanon-diab-government-resigns-2020-08-10"),
        ("sri-lanka-presidents-house-stormed-2022-07-09", "wickremesinghe-elected-president-2022-07-20"),
        ("queen-elizabeth-ii-death-2022-09-08", "queen-elizabeth-ii-funeral-2022-09-19"),
        ("wagner-mutiny-2023-06-24", "prigozhin-plane-crash-2023-08-23"),
        ("luna-25-crash-2023-08-19", "chandrayaan-3-moon-landing-2023-08-23"),
        ("womens-world-cup-final-spain-england-2023-08-20", "rubiales-refuses-to-resign-2023-08-25"),
        ("milei-wins-argentina-runoff-2023-11-19", "milei-inauguration-2023-12-10"),
        ("prigozhin-plane-crash-2023-08-23", "chandrayaan-3-moon-landing-2023-08-23"),
        # merged until session 10: the Korean report of the blast leads on Putin's words the next day ("9일 ... 전날
        # 발생한 폭발"), and was dated by them, a day from the strikes whose reports quote those words
        ("crimean-bridge-explosion-2022-10-08", "russian-missile-strikes-ukraine-2022-10-10"),
    )),
    "heldout8": Gate("events_heldout8", 0.89, 5, 15, (
        ("paris-attacks-2015-11-13", "saint-denis-raid-2015-11-18"),
        ("kumamoto-earthquake-mainshock-2016-04-16", "ecuador-earthquake-2016-04-16"),
        ("euro2016-semifinal-germany-france-2016-07-07", "euro2016-final-portugal-france-2016-07-10"),
        ("berlin-christmas-market-attack-2016-12-19", "anis-amri-shot-dead-milan-2016-12-23"),
        ("tham-luang-boys-found-2018-07-02", "tham-luang-cave-rescue-2018-07-08"),
        ("soleimani-killed-baghdad-2020-01-03", "iran-missile-strikes-iraq-bases-2020-01-08"),
        ("iran-missile-strikes-iraq-bases-2020-01-08", "ukraine-airlines-ps752-downed-2020-01-08"),
        ("ukraine-airlines-ps752-downed-2020-01-08", "iran-admits-downing-ps752-2020-01-11"),
        # a day apart, the same emperors and palace, each side's reports announcing or recalling the other: merged
        # until session 13 (an event of two happenings splits, and a report goes to the event of its own day)
        ("akihito-abdication-2019-04-30", "naruhito-accession-2019-05-01"),
    )),
    "heldout9": Gate("events_heldout9", 0.95, 5, 15, (
        ("niger-coup-bazoum-detained-2023-07-26", "ecowas-abuja-summit-niger-sanctions-2023-07-30"),
        ("ecowas-abuja-summit-niger-sanctions-2023-07-30", "ecowas-standby-force-niger-2023-08-10"),
        ("central-italy-visso-earthquakes-2016-10-26", "norcia-earthquake-2016-10-30"),
        ("hasina-resigns-flees-bangladesh-2024-08-05", "yunus-sworn-in-bangladesh-2024-08-08"),
        ("romania-presidential-first-round-2024-11-24", "romania-parliamentary-election-2024-12-01"),
        ("romania-parliamentary-election-2024-12-01", "romania-presidential-election-annulled-2024-12-06"),
        ("india-operation-sindoor-strikes-2025-05-07", "india-pakistan-ceasefire-2025-05-10"),
        ("niger-coup-bazoum-detained-2023-07-26", "gabon-coup-bongo-ousted-2023-08-30"),
    ), copies=3),
    "heldout10": Gate("events_heldout10", 0.93, 3, 15, (
        ("lula-habeas-corpus-denied-2018-04-04", "lula-surrenders-to-police-2018-04-07"),
        ("trump-cancels-singapore-summit-2018-05-24", "moon-kim-second-panmunjom-summit-2018-05-26"),
        ("ethiopian-airlines-302-crash-2019-03-10", "us-grounds-boeing-737-max-2019-03-13"),
        ("christchurch-mosque-attacks-2019-03-15", "utrecht-tram-shooting-2019-03-18"),
        ("sri-lanka-easter-bombings-2019-04-21", "zelensky-wins-ukraine-runoff-2019-04-21"),
        ("notre-dame-fire-2019-04-15", "sri-lanka-easter-bombings-2019-04-21"),
    ), known_merges=(
        # a day apart, one round of one contest; the Thai Liverpool report reads no date (its stamp is the next
        # day's) and names its players in Thai script, which no Latin name can meet
        ("ucl-semi-liverpool-barcelona-2019-05-07", "ucl-semi-ajax-tottenham-2019-05-08"),
    )),
    "heldout12": Gate("events_heldout12", 0.90, 4, 15, (
        ("imamoglu-detained-2025-03-19", "imamoglu-jailed-2025-03-23"),
        ("thailand-cambodia-border-clashes-2025-07-24", "thailand-cambodia-ceasefire-2025-07-28"),
        ("wc2022-japan-germany-2022-11-23", "wc2022-japan-costa-rica-2022-11-27"),
    ), known_merges=(
        # a day apart, one cast; every report of the second recaps the first, and those of the first announce it.
        # Lee's election and oath split apart, but TASS's report of the election, dated a day late (its dateline's
        # day), goes to the oath, the event of the day it reads
        ("lee-jae-myung-wins-election-2025-06-03", "lee-jae-myung-sworn-in-2025-06-04"),
        ("bayrou-loses-confidence-vote-2025-09-08", "lecornu-named-prime-minister-2025-09-09"),
    )),
    "heldout13": Gate("events_heldout13", 0.92, 4, 15, (
        ("rmt-rail-strike-2022-06-21", "rmt-rail-strike-2022-06-23"),
        ("chapecoense-plane-crash-2016-11-28", "chapecoense-medellin-tribute-2016-11-30"),
        ("storm-ciaran-2023-11-02", "storm-domingos-2023-11-04"),
        ("braunsbach-flash-flood-2016-05-29", "simbach-inn-flood-2016-06-01"),
        # merged until session 13, when an event whose reports read two days of their own splits in two
        ("nba-finals-game6-cavs-warriors-2016-06-16", "nba-finals-game7-cavs-title-2016-06-19"),
        ("ridgecrest-earthquake-m64-2019-07-04", "ridgecrest-earthquake-m71-2019-07-05"),
    ), known_merges=(
        # a day apart, one cast and place, each side's reports recalling or announcing the other; the draw's
        # reports read the 1st and the 2nd, the title's the 2nd and 3rd: no second day held by two of each
        ("man-utd-leicester-draw-2016-05-01", "leicester-win-premier-league-2016-05-02"),
    )),
    "heldout15": Gate("events_heldout15", 0.88, 6, 18, (
        ("dsk-arrested-new-york-2011-05-14", "dsk-resigns-imf-2011-05-18"),
        ("dsk-denied-bail-arraignment-2011-05-16", "dsk-resigns-imf-2011-05-18"),
        ("tohoku-earthquake-tsunami-2011-03-11", "fukushima-unit3-explosion-2011-03-14"),
        ("fukushima-unit1-explosion-2011-03-12", "fukushima-unit3-explosion-2011-03-14"),
        ("ghosn-arrested-tokyo-2018-11-19", "nissan-board-ousts-ghosn-2018-11-22"),
        # joined until session 13: both dated by their texts, three days apart, told in the same words
        ("crew-dragon-demo2-launch-scrubbed-2020-05-27", "crew-dragon-demo2-launch-2020-05-30"),
        # merged until an event whose reports read two days of their own splits in two (session 13)
        ("tohoku-earthquake-tsunami-2011-03-11", "fukushima-unit1-explosion-2011-03-12"),
        ("sudan-army-ousts-bashir-2019-04-11", "ibn-auf-steps-down-sudan-2019-04-12"),
        ("dsk-arrested-new-york-2011-05-14", "dsk-denied-bail-arraignment-2011-05-16"),
    ), known_merges=(
        # two days apart, through a report dated by the other happening's day: the Portuguese report of Bolsonaro's
        # speech by "a eleição de domingo (30)" in its first sentence (the speech's only report)
        ("lula-wins-brazil-runoff-2022-10-30", "bolsonaro-breaks-silence-2022-11-01"),
        # the final's Dutch report names no day for it, only the Friday of the semi-final and of Nadal's birthday
        ("nadal-zverev-rg-semifinal-2022-06-03", "nadal-wins-14th-roland-garros-2022-06-05"),
    )),
    # 0.89 since session 13: two next-day reports of the French first round lead on "today" (the results) and split
    # off when an event whose reports read two days of their own splits in two
    "heldout7": Gate("events_heldout7", 0.89, 3, 15, (
        ("storm-dudley-2022-02-16", "storm-eunice-2022-02-18"),
        ("hungary-parliamentary-election-2022-04-03", "france-presidential-first-round-2022-04-10"),
        ("france-presidential-first-round-2022-04-10", "france-presidential-runoff-2022-04-24"),
        ("taliban-take-kabul-2021-08-15", "kabul-airport-bombing-2021-08-26"),
        ("uk-general-election-2024-07-04", "france-legislative-second-round-2024-07-07"),
        ("trump-zelensky-oval-office-clash-2025-02-28", "london-ukraine-leaders-summit-2025-03-02"),
        ("nice-basilica-knife-attack-2020-10-29", "vienna-city-centre-attack-2020-11-02"),
    ), known_merges=(
        # the same day, and each report names the other country's leader and the war next door
        ("hungary-parliamentary-election-2022-04-03", "serbia-general-election-2022-04-03"),
    )),
    "heldout17": Gate("events_heldout17", 0.93, 3, 18, (
        ("sudan-general-election-opens-2010-04-11", "hungary-election-first-round-2010-04-11"),
        ("yushu-earthquake-2010-04-14", "eyjafjallajokull-eruption-2010-04-14"),
        ("smolensk-presidential-plane-crash-2010-04-10", "bangkok-red-shirt-clashes-2010-04-10"),
        ("eyjafjallajokull-eruption-2010-04-14", "europe-airspace-closed-volcanic-ash-2010-04-15"),
        ("greece-requests-eu-imf-bailout-2010-04-23", "greece-downgraded-to-junk-sp-2010-04-27"),
        # merged until session 14: the Spanish report of the blast recalls the Chinese rescue of the same day
        ("upper-big-branch-mine-explosion-2010-04-05", "wangjiazhai-mine-miners-rescued-2010-04-05"),
        # merged until session 14: the Italian report's "da sabato" (since Saturday) dated it by the crash
        ("smolensk-presidential-plane-crash-2010-04-10", "kaczynski-body-returns-warsaw-2010-04-11"),
        # merged until session 14 in this order (shuffled they still merge, through the English report of the blast
        # dated by "this morning")
        ("deepwater-horizon-explosion-2010-04-20", "deepwater-horizon-rig-sinks-2010-04-22"),
    ), copies=9, max_reports=5),
    "heldout19": Gate("events_heldout19", 0.88, 2, 21, (
        ("orlando-pulse-nightclub-shooting-2016-06-12", "magnanville-police-couple-killed-2016-06-13"),
        ("orlando-pulse-nightclub-shooting-2016-06-12", "obama-visits-orlando-2016-06-16"),
        ("jo-cox-killed-birstall-2016-06-16", "thomas-mair-court-appearance-2016-06-18"),
        ("jo-cox-killed-birstall-2016-06-16", "obama-visits-orlando-2016-06-16"),
        ("jo-cox-killed-birstall-2016-06-16", "euro2016-england-wales-2016-06-16"),
        ("microsoft-acquires-linkedin-2016-06-13", "tencent-buys-supercell-2016-06-21"),
        ("tencent-buys-supercell-2016-06-21", "tesla-offers-to-buy-solarcity-2016-06-21"),
        ("euro2016-england-wales-2016-06-16", "euro2016-iceland-austria-2016-06-22"),
        ("euro2016-iceland-austria-2016-06-22", "iceland-presidential-election-2016-06-25"),
        ("funing-jiangsu-tornado-2016-06-23", "west-virginia-floods-2016-06-23"),
        ("uk-eu-referendum-leave-wins-2016-06-23", "cameron-resigns-2016-06-24"),
        ("italy-mayoral-runoffs-rome-turin-2016-06-19", "spain-general-election-2016-06-26"),
        ("uk-eu-referendum-leave-wins-2016-06-23", "spain-general-election-2016-06-26"),
        ("sco-summit-tashkent-2016-06-24", "putin-xi-talks-beijing-2016-06-25"),
        ("spain-general-election-2016-06-26", "copa-america-final-chile-argentina-2016-06-26"),
        ("le-mans-24h-toyota-last-lap-failure-2016-06-19", "italy-mayoral-runoffs-rome-turin-2016-06-19"),
        ("fed-holds-rates-2016-06-15", "boj-holds-policy-2016-06-16"),
        # apart since session 20 (two Japanese reports count their one dense-script language against one happening)
        ("boj-holds-policy-2016-06-16", "uk-eu-referendum-leave-wins-2016-06-23"),
    ), known_merges=(
        # the Bank of England's report names the Fed and the Bank of Japan, has no day of its own and no bank the
        # lexicon knows
        ("fed-holds-rates-2016-06-15", "boe-holds-rates-2016-06-16"),
    ), copies=7),
    "heldout18": Gate("events_heldout18", 0.87, 3, 18, (
        ("awaji-earthquake-2013-04-13", "lushan-earthquake-2013-04-20"),
        ("saravan-earthquake-2013-04-16", "lushan-earthquake-2013-04-20"),
        ("venezuela-presidential-election-2013-04-14", "paraguay-election-cartes-2013-04-21"),
        ("venezuela-presidential-election-2013-04-14", "maduro-sworn-in-2013-04-19"),
        ("boston-marathon-bombing-2013-04-15", "west-fertilizer-plant-explosion-2013-04-17"),
        ("boston-marathon-bombing-2013-04-15", "boston-manhunt-watertown-capture-2013-04-19"),
        ("thatcher-death-2013-04-08", "thatcher-funeral-2013-04-17"),
        ("letta-government-sworn-in-2013-04-28", "palazzo-chigi-shooting-2013-04-28"),
        ("maduro-sworn-in-2013-04-19", "boston-manhunt-watertown-capture-2013-04-19"),
        ("rana-plaza-collapse-2013-04-24", "west-fertilizer-plant-explosion-2013-04-17"),
        # merged until session 14: "يوم الثلاثاء الماضي (9 أبريل)" counted the Bushehr quake's day twice
        ("bushehr-earthquake-2013-04-09", "saravan-earthquake-2013-04-16"),
        # merged until session 25: the English report of the ban names no day but "Sunday's 2-2 draw", the bite's,
        # three days before: recalled now (facts_dates.POSSESSIVE_RECALLED_DAYS)
        ("suarez-bites-ivanovic-2013-04-21", "suarez-ten-match-ban-2013-04-24"),
    ), known_merges=(
        # the same clubs and players on 23 and 24 April; the German reports of the match and the transfer share
        # Götze, the day and the places, and the Dortmund report is dated by the transfer's Tuesday
        ("goetze-bayern-transfer-2013-04-23", "bayern-barcelona-ucl-semi-2013-04-23"),
        ("bayern-barcelona-ucl-semi-2013-04-23", "dortmund-real-ucl-semi-2013-04-24"),
    ), copies=9, max_reports=5),
    "heldout21": Gate("events_heldout21", 0.83, 2, 18, (
        ("fed-raises-quarter-point-2023-03-22", "snb-raises-half-point-2023-03-23"),
        ("ecb-raises-rates-half-point-2023-03-16", "snb-raises-half-point-2023-03-23"),
        ("man-city-leipzig-haaland-five-2023-03-14", "man-city-burnley-fa-cup-2023-03-18"),
        ("barcelona-real-madrid-clasico-2023-03-19", "man-city-burnley-fa-cup-2023-03-18"),
        ("wbc-semifinal-japan-mexico-2023-03-20", "wbc-final-japan-usa-2023-03-21"),
        ("ecuador-guayas-earthquake-2023-03-18", "hindu-kush-earthquake-2023-03-21"),
        ("yoon-kishida-tokyo-summit-2023-03-16", "kishida-kyiv-visit-2023-03-21"),
        ("france-censure-motions-rejected-2023-03-20", "thailand-house-dissolved-2023-03-20"),
        ("netanyahu-pauses-judicial-overhaul-2023-03-27", "germany-transport-warning-strike-2023-03-27"),
        # merged until session 25: each report names the other banks, but the bank each is about (in its lead, or
        # named twice) is its own (similarity: central_orgs_against)
        ("fed-raises-quarter-point-2023-03-22", "boe-raises-to-4-25-2023-03-23"),
        ("boe-raises-to-4-25-2023-03-23", "snb-raises-half-point-2023-03-23"),
    ), known_merges=(
        # the first Russian report of Xi in Moscow joins the Polish report of Kishida in Kyiv: both name both
        # visits, Putin, Zelensky and the day (the Kremlin and the G7 they lead with do not count against one
        # happening where the people are shared and the dates agree)
        ("xi-putin-kremlin-talks-2023-03-21", "kishida-kyiv-visit-2023-03-21"),
        # reports of the second step dated by the first one their lead recalls ("giovedì", "Sonntagabend")
        ("borne-invokes-49-3-pensions-2023-03-16", "france-censure-motions-rejected-2023-03-20"),
        ("gallant-dismissed-2023-03-26", "netanyahu-pauses-judicial-overhaul-2023-03-27"),
    ), copies=4, max_reports=3),
    "heldout22": Gate("events_heldout22", 0.88, 2, 17, (
        ("ahmadinejad-arrives-beirut-2010-10-13", "ahmadinejad-bint-jbeil-rally-2010-10-14"),
        ("nobel-chemistry-cross-coupling-2010-10-06", "vargas-llosa-nobel-literature-2010-10-07"),
        ("vargas-llosa-nobel-literature-2010-10-07", "liu-xiaobo-nobel-peace-2010-10-08"),
        ("nobel-chemistry-cross-coupling-2010-10-06", "liu-xiaobo-nobel-peace-2010-10-08"),
        ("france-pension-strike-day-2010-10-12", "italy-serbia-abandoned-genoa-2010-10-12"),
        ("chile-miners-rescue-completed-2010-10-13", "ahmadinejad-arrives-beirut-2010-10-13"),
        ("rutte-cabinet-sworn-in-2010-10-14", "ahmadinejad-bint-jbeil-rally-2010-10-14"),
        ("xi-jinping-cmc-vice-chair-2010-10-18", "north-korea-party-anniversary-parade-2010-10-10"),
        ("uk-spending-review-2010-10-20", "france-pension-strike-day-2010-10-12"),
        # merged until a day in a relative clause after an apposition weighed half ("Liu Xiaobo, the imprisoned
        # dissident who was awarded the prize on Friday,") and "on Saturday, the day before her visit" named no Friday
        ("liu-xiaobo-nobel-peace-2010-10-08", "liu-xia-prison-visit-house-arrest-2010-10-10"),
    ), known_merges=(
        # a follow-up dated by the first happening: "Monday's reservoir burst" and Monday twice more outvote
        # "reached the Danube on Thursday"
        ("ajka-red-sludge-spill-2010-10-04", "red-sludge-reaches-danube-2010-10-07"),
        # the same Sunday, the same party and Kim Jong Un in both; the parade's Korean report names Hwang's death
        ("hwang-jang-yop-found-dead-2010-10-10", "north-korea-party-anniversary-parade-2010-10-10"),
    ), copies=9),
    "heldout23": Gate("events_heldout23", 0.90, 1, 16, (
        # the Rostov crash split in two until reports that read no day counted on their publication day
        ("flydubai-981-rostov-crash-2016-03-19", "istanbul-istiklal-suicide-bombing-2016-03-19"),
        ("ankara-kizilay-car-bombing-2016-03-13", "grand-bassam-beach-attack-2016-03-13"),
        ("ankara-kizilay-car-bombing-2016-03-13", "istanbul-istiklal-suicide-bombing-2016-03-19"),
        ("salah-abdeslam-arrested-molenbeek-2016-03-18", "brussels-airport-metro-bombings-2016-03-22"),
        ("brussels-airport-metro-bombings-2016-03-22", "brussels-bourse-hooligans-2016-03-27"),
        ("iskandariya-stadium-bombing-2016-03-25", "lahore-gulshan-iqbal-park-bombing-2016-03-27"),
        ("lahore-gulshan-iqbal-park-bombing-2016-03-27", "palmyra-recaptured-syrian-army-2016-03-27"),
        ("karadzic-genocide-verdict-2016-03-24", "johan-cruyff-death-2016-03-24"),
    ), known_merges=(
        # the claim's reports are dated by the bombing they recall ("Sunday's suicide car bombing", "der Anschlag vom
        # Sonntagabend" outvote "on Thursday"), the same cast and toll
        ("ankara-kizilay-car-bombing-2016-03-13", "tak-claims-ankara-bombing-2016-03-17"),
        # the Dutch report naming the bombers (the day after, its people none of the other reports') joins the Dutch
        # report of the resignation offers, which retells them
        ("brussels-airport-metro-bombings-2016-03-22", "jambon-geens-offer-resignation-2016-03-24"),
    ), copies=6, max_reports=10),
    # a general week of July 2011 (blind, spent in session 25: 0.842 by date on session 24's code; 0.857 in sessions
    # 25-28, 0.840 since session 29 counts a syndicated copy's day once: the Wenzhou crash's two French copies, which
    # read the next day, no longer split off early and go with the press conference when a digest merges the two and
    # the merged event splits by day)
    "heldout47": Gate("events_heldout47", 0.83, 6, 38, (
        # apart since session 25: "the site of Saturday's high-speed rail crash", five days on, is recalled
        ("wenzhou-high-speed-train-collision-2011-07-23", "wen-jiabao-visits-wenzhou-crash-site-2011-07-28"),
        ("moodys-downgrades-greece-to-ca-2011-07-25", "sp-downgrades-greece-to-cc-2011-07-27"),
        ("rbi-raises-repo-rate-to-8-percent-2011-07-26", "rbnz-holds-ocr-2011-07-28"),
        ("seoul-umyeonsan-landslide-2011-07-27", "chuncheon-landslide-inha-students-2011-07-27"),
        ("amy-winehouse-found-dead-london-2011-07-23", "amy-winehouse-funeral-london-2011-07-26"),
    ), known_merges=(
        # one perpetrator's bomb in Oslo and shooting on Utøya two hours later; most reports name both
        ("oslo-government-quarter-bombing-2011-07-22", "utoya-island-shooting-2011-07-22"),
        # one day in one city: Breivik before the judge, the rose march that evening
        ("breivik-custody-hearing-oslo-2011-07-25", "oslo-rose-march-2011-07-25"),
        # one evening in one pool; the Korean and Chinese reports name no person the lexicon knows
        ("park-taehwan-wins-400m-freestyle-shanghai-2011-07-24", "pellegrini-wins-400m-freestyle-shanghai-2011-07-24"),
    ), copies=20, max_reports=11),
    # a general week of August 2014 (blind, spent in session 26: 0.870 by date on session 25's code)
    # 5 storylines whole until session 31's one-day term parted Foley's video from Obama's statement the next day,
    # which the storyline linker does not join again
    "heldout48": Gate("events_heldout48", 0.85, 4, 38, (
        ("bardarbunga-aviation-orange-alert-2014-08-18", "bardarbunga-aviation-red-alert-2014-08-23"),
        ("supercopa-first-leg-real-atletico-2014-08-19", "supercopa-second-leg-atletico-win-2014-08-22"),
        ("hiroshima-landslides-2014-08-20", "tamba-fukuchiyama-heavy-rain-2014-08-17"),
        ("prayuth-elected-thai-prime-minister-2014-08-21", "davutoglu-named-akp-leader-candidate-2014-08-21"),
        ("eduardo-campos-funeral-recife-2014-08-17", "marina-silva-named-psb-candidate-2014-08-20"),
        ("monrovia-west-point-ebola-quarantine-2014-08-20", "brantly-writebol-discharged-emory-2014-08-21"),
        ("gaza-truce-collapses-rockets-strikes-2014-08-19", "rafah-strike-kills-hamas-commanders-2014-08-21"),
        ("mosul-dam-recaptured-2014-08-18", "renzi-visits-baghdad-erbil-2014-08-20"),
    ), known_merges=(
        # the same city a day apart, two German reports at 0.82: the Guard sent in, a man shot by the police
        ("ferguson-national-guard-deployed-2014-08-18", "kajieme-powell-shot-st-louis-2014-08-19"),
        # the same war a day apart, two German reports at 0.85, Merkel named in both
        ("russian-aid-convoy-enters-ukraine-2014-08-22", "merkel-visits-kiev-2014-08-23"),
        # one day of the Pope in Korea: the Mass in Seoul, the press conference on the flight home
        ("pope-myeongdong-reconciliation-mass-2014-08-18", "pope-return-flight-press-conference-2014-08-18"),
        # the executions "au lendemain" of the strike; both reports undated
        ("rafah-strike-kills-hamas-commanders-2014-08-21", "hamas-executes-suspected-collaborators-2014-08-22"),
    ), copies=20, max_reports=9),
    # a general week of November 2012 (blind, spent in session 29: 0.885 by date on session 28's code and the first
    # facts changes of session 29)
    "heldout50": Gate("events_heldout50", 0.87, 2, 36, (
        ("guatemala-earthquake-2012-11-07", "myanmar-shwebo-earthquake-2012-11-11"),
        ("us-election-obama-reelected-2012-11-06", "obama-fiscal-cliff-statement-2012-11-09"),
        ("obama-fiscal-cliff-statement-2012-11-09", "petraeus-resigns-cia-2012-11-09"),
        ("us-election-obama-reelected-2012-11-06", "marijuana-legalization-colorado-washington-2012-11-06"),
        ("us-election-obama-reelected-2012-11-06", "puerto-rico-status-referendum-2012-11-06"),
        ("greek-parliament-austerity-vote-2012-11-07", "greek-parliament-2013-budget-vote-2012-11-11"),
        ("syrian-national-coalition-formed-doha-2012-11-11", "israel-warning-shots-syria-golan-2012-11-11"),
        ("gaza-border-jeep-attack-escalation-2012-11-10", "israel-warning-shots-syria-golan-2012-11-11"),
        ("mainali-acquitted-tokyo-high-court-retrial-2012-11-07", "tanaka-approves-three-universities-2012-11-07"),
        ("ahn-moon-single-candidacy-meeting-2012-11-06", "yeonggwang-reactors-halted-forged-certificates-2012-11-05"),
        ("bundestag-betreuungsgeld-praxisgebuehr-vote-2012-11-09", "camara-oil-royalties-bill-2012-11-06"),
        ("rutte-ii-cabinet-sworn-in-2012-11-05", "serdyukov-dismissed-shoigu-defense-minister-2012-11-06"),
        ("warsaw-independence-march-clashes-2012-11-11", "greece-48-hour-general-strike-2012-11-06"),
    ), known_merges=(
        # one government a day apart: the Gallois report, the pact that answers it; an English report of the pact
        # tells the report's proposals
        ("ayrault-competitiveness-pact-2012-11-06", "gallois-report-delivered-2012-11-05"),
        # the vote on the strike's second day, outside the same parliament
        ("greece-48-hour-general-strike-2012-11-06", "greek-parliament-austerity-vote-2012-11-07"),
        # the live blog of the vote that opens with the dinner joined the dinner, the first to arrive (since session
        # 29 the vote's other reports no longer follow it there)
        ("greek-parliament-austerity-vote-2012-11-07", "merkel-cameron-downing-street-dinner-2012-11-07"),
    ), copies=26, max_reports=10),
    # the Haiti earthquake's three weeks, 21 happenings, and 8 unrelated events of those weeks (blind, spent in
    # session 29: 0.821 by date on that session's code before its date change)
    "heldout53": Gate("events_heldout53", 0.83, 0, 29, (
        ("haiti-earthquake-2010-01-12", "eureka-offshore-earthquake-2010-01-09"),
        ("chile-runoff-pinera-elected-2010-01-17", "ukraine-presidential-first-round-2010-01-17"),
        ("massachusetts-senate-scott-brown-wins-2010-01-19", "jal-files-for-bankruptcy-2010-01-19"),
        # merged until a report's background day ("the earthquake of 12 January") no longer hid its own ("Friday")
        ("unsc-resolution-1908-haiti-troops-2010-01-19", "haiti-search-rescue-phase-ended-2010-01-22"),
        ("haiti-search-rescue-phase-ended-2010-01-22", "wismond-exantus-rescued-2010-01-23"),
        ("ban-ki-moon-visits-port-au-prince-2010-01-17", "bill-clinton-visits-haiti-2010-01-18"),
        ("hillary-clinton-visits-port-au-prince-2010-01-16", "ban-ki-moon-visits-port-au-prince-2010-01-17"),
        ("hope-for-haiti-now-telethon-2010-01-22", "haiti-search-rescue-phase-ended-2010-01-22"),
        ("darlene-etienne-rescued-2010-01-27", "wismond-exantus-rescued-2010-01-23"),
        ("montreal-haiti-ministerial-conference-2010-01-25", "eu-ministers-haiti-aid-brussels-2010-01-18"),
        # a girl rescued, the aftershock next morning: merged until session 30 read organisations' acronyms
        ("ena-zizi-rescued-2010-01-19", "haiti-aftershock-m59-2010-01-20"),
    ), known_merges=(
        # one day in Port-au-Prince: the archbishop's funeral before the ruined cathedral, a man pulled alive
        ("archbishop-miot-funeral-2010-01-23", "wismond-exantus-rescued-2010-01-23"),
        # one day of aid for Haiti: Bill Clinton in Port-au-Prince, the EU's ministers in Brussels
        ("bill-clinton-visits-haiti-2010-01-18", "eu-ministers-haiti-aid-brussels-2010-01-18"),
        # the aftershock in the morning, the hospital ship arriving that day
        ("haiti-aftershock-m59-2010-01-20", "usns-comfort-arrives-haiti-2010-01-20"),
        # the Pope's appeal the day after the quake
        ("haiti-earthquake-2010-01-12", "pope-benedict-haiti-appeal-2010-01-13"),
        # one day of the Clintons: her visit, the fund he launched with Bush at the White House
        ("hillary-clinton-visits-port-au-prince-2010-01-16", "obama-bush-clinton-haiti-fund-2010-01-16"),
    ), copies=12, max_reports=14),
    # the 2006 Israel-Hezbollah war's last three weeks: 24 happenings of one cast, most of them beside another of the
    # same day, and 5 unrelated events (blind, spent in session 30: 0.736 / 0.711)
    "heldout55": Gate("events_heldout55", 0.72, 1, 29, (
        ("baalbek-hospital-commando-raid-2006-08-01", "tyre-naval-commando-raid-2006-08-05"),
        ("nasrallah-tel-aviv-threat-speech-2006-08-03", "nasrallah-divine-victory-speech-2006-08-14"),
        ("israel-security-cabinet-widens-ground-offensive-2006-08-09", "unsc-adopts-resolution-1701-2006-08-11"),
        ("arab-league-ministers-meet-in-beirut-2006-08-07", "chiyah-airstrike-beirut-2006-08-07"),
        ("qana-airstrike-2006-07-30", "chiyah-airstrike-beirut-2006-08-07"),
        ("us-france-agree-draft-resolution-2006-08-05", "unsc-adopts-resolution-1701-2006-08-11"),
    ), known_merges=(
        # the strike, the protest it set off in Beirut that day, the pause in air strikes it brought the next
        ("qana-airstrike-2006-07-30", "beirut-protesters-storm-un-house-2006-07-30"),
        ("qana-airstrike-2006-07-30", "israel-48h-airstrike-suspension-2006-07-31"),
        # two rocket strikes on northern Israel one day; a speech and the day's rockets; a strike and a bombing in
        # Lebanon one day
        ("kfar-giladi-rocket-kills-12-reservists-2006-08-06", "haifa-rocket-strike-kills-three-2006-08-06"),
        ("nasrallah-tel-aviv-threat-speech-2006-08-03", "rockets-kill-eight-acre-maalot-2006-08-03"),
        ("qaa-airstrike-farm-workers-2006-08-04", "israel-bombs-bridges-north-of-beirut-2006-08-04"),
        # one day's news of the war: a helicopter shot down, the cabinet's yes; the ceasefire, the victory speech
        ("idf-helicopter-shot-down-2006-08-12", "lebanon-cabinet-accepts-1701-2006-08-12"),
        ("lebanon-ceasefire-takes-effect-2006-08-14", "nasrallah-divine-victory-speech-2006-08-14"),
    ), copies=7, max_reports=9),
    # a general week, 24-30 November 2008: the Mumbai attacks and their next days, Bangkok's airports, Obama's
    # economic team named a day at a time, Medvedev in Caracas and Havana (blind, spent in session 31: 0.862 / 0.870;
    # 0.886 / 0.902 after that session's one-day term)
    "heldout59": Gate("events_heldout59", 0.84, 2, 39, (
        ("mumbai-attacks-2008-11-26", "nariman-house-operation-ends-2008-11-28"),
        ("mumbai-attacks-2008-11-26", "shivraj-patil-resigns-2008-11-30"),
        ("mumbai-attacks-2008-11-26", "perpignan-a320-test-flight-crash-2008-11-27"),
        ("obama-names-geithner-summers-2008-11-24", "obama-names-volcker-recovery-board-2008-11-26"),
        ("pboc-cuts-rates-108-basis-points-2008-11-26", "fed-800-billion-credit-programmes-2008-11-25"),
        ("eu-commission-200bn-recovery-plan-2008-11-26", "italy-anticrisis-decree-2008-11-28"),
        ("damian-green-arrested-2008-11-27", "vittorio-de-filippis-arrest-2008-11-28"),
        ("romania-parliamentary-election-2008-11-30", "swiss-federal-votes-2008-11-30"),
        ("delhi-assembly-election-2008-11-29", "vp-singh-dies-2008-11-27"),
        # Bangkok's airport seized, the army chief's call the next day, the emergency the day after: merged until
        # session 31's one-day term
        ("pad-seizes-suvarnabhumi-airport-2008-11-25", "anupong-urges-house-dissolution-2008-11-26"),
        ("pad-seizes-suvarnabhumi-airport-2008-11-25", "thai-airports-state-of-emergency-2008-11-27"),
    ), known_merges=(
        # the attacks and a politician's return from them the next day, told in Spanish by one cast
        ("mumbai-attacks-2008-11-26", "aguirre-returns-to-madrid-2008-11-27"),
        # one leader's talks in two capitals two days apart, a next-day paper reading no day of its own
        ("medvedev-chavez-caracas-talks-2008-11-26", "medvedev-raul-castro-havana-talks-2008-11-28"),
        # Obama's economic team named on consecutive days
        ("obama-names-geithner-summers-2008-11-24", "obama-names-orszag-budget-director-2008-11-25"),
        # two Black Friday deaths in two American towns, each report naming the other
        ("walmart-valley-stream-stampede-2008-11-28", "palm-desert-toys-r-us-shooting-2008-11-28"),
        # two ends of one siege, a German report of the Taj with the Nariman House's
        ("nariman-house-operation-ends-2008-11-28", "taj-hotel-siege-ends-2008-11-29"),
    ), copies=22, max_reports=16),
    # a week of local news in Cologne: the city's crimes, fires and accidents of one day (blind, spent in session 32:
    # 0.703 / 0.708; 0.804 / 0.819 since session 33 counts a city that four events of the same days name as no
    # evidence; the local-stream settings are tested below). Storylines: one of its four gold storylines of several
    # events whole (two in session 32, each inside a storyline of 17 or 42 reports that the city's over-merged events
    # carried; local storylines: the local-stream test below)
    "heldout62": Gate("events_heldout62", 0.78, 1, 43, (
        ("ueberfall-wettbuero-muelheim-2026-03-09", "raub-spielhalle-muelheim-2026-03-10"),
        ("grossbrand-lagerhalle-niehl-2026-03-10", "wohnungsbrand-nippes-2026-03-12"),
        ("fliegerbombe-deutz-2026-03-11", "fliegerbombe-porz-2026-03-13"),
        ("fliegerbombe-deutz-2026-03-11", "bahn-sperrung-hohenzollernbruecke-2026-03-14"),
        ("geldautomat-sprengung-longerich-2026-03-12", "geldautomat-sprengung-frechen-2026-03-13"),
        ("schockanruf-seniorin-rodenkirchen-2026-03-09", "prozess-schockanrufer-bande-landgericht-2026-03-09"),
        ("vermisster-junge-porz-2026-03-12", "vermisste-seniorin-rodenkirchen-2026-03-13"),
        ("haie-nuernberg-spiel1-2026-03-11", "haie-nuernberg-spiel3-2026-03-15"),
        ("mietendemo-heumarkt-2026-03-14", "gedenkfahrt-radfahrer-ehrenfeld-2026-03-14"),
        ("juwelier-raub-hohe-strasse-2026-03-09", "juwelier-raub-festnahmen-2026-03-13"),
        # a verdict and a new stabbing of one day, two decisions of one council session (merged until session 33)
        ("urteil-messerangriff-hohenzollernring-2026-03-13", "messerangriff-ebertplatz-2026-03-13"),
        ("rat-ost-west-achse-tunnel-2026-03-12", "rat-bewohnerparken-gebuehren-2026-03-12"),
    ), known_merges=(
        # one city's happenings of one day, told in its police's and papers' words
        ("juwelier-raub-hohe-strasse-2026-03-09", "ueberfall-wettbuero-muelheim-2026-03-09"),
        ("trickdiebstahl-wasserwerker-lindenthal-2026-03-10", "wohnungseinbruch-suelz-2026-03-10"),
        ("grossbrand-lagerhalle-niehl-2026-03-10", "kellerbrand-chorweiler-2026-03-10"),
        ("fliegerbombe-deutz-2026-03-11", "gasleck-ehrenfeld-2026-03-11"),
        ("lkw-unfall-a3-dellbrueck-2026-03-11", "strassenbahn-unfall-kalk-2026-03-11"),
        # a cyclist hurt, and her death three days later, both reports reading the accident's day
        ("radfahrer-lkw-unfall-ehrenfeld-2026-03-09", "radfahrer-tod-ehrenfeld-2026-03-12"),
    ), max_reports=8, local=True),
    "heldout64": Gate("events_heldout64", 0.80, 1, 33, (
        # a call or a video call of one cast, and their meeting in a capital (session 34's call_against)
        ("biden-xi-phone-call-2022-07-28", "biden-xi-bali-meeting-2022-11-14"),
        ("xi-putin-video-call-2021-12-15", "putin-xi-beijing-talks-2022-02-04"),
        ("xi-putin-video-call-2021-06-28", "xi-putin-video-call-2021-12-15"),
        ("xi-state-visit-moscow-2023-03-21", "putin-state-visit-beijing-2024-05-16"),
        ("yoon-kishida-tokyo-summit-2023-03-16", "kishida-yoon-seoul-summit-2023-05-07"),
        ("kishida-yoon-seoul-summit-2023-05-07", "kishida-yoon-seoul-summit-2024-09-06"),
        ("biden-xi-woodside-summit-2023-11-15", "biden-xi-lima-meeting-2024-11-16"),
        ("scholz-macron-elysee-lunch-2022-10-26", "elysee-treaty-60th-anniversary-paris-2023-01-22"),
        ("turkey-presidential-runoff-2023-05-28", "putin-erdogan-sochi-2023-09-04"),
    ), known_merges=(
        # undated reports of one cast's meeting in one city, a year or two apart
        ("putin-erdogan-sochi-2022-08-05", "putin-erdogan-sochi-2023-09-04"),
        ("putin-state-visit-beijing-2024-05-16", "putin-xi-beijing-talks-2022-02-04"),
        ("raisi-putin-kremlin-talks-2022-01-19", "putin-pezeshkian-kazan-brics-2024-10-23"),
        # the virtual summit and the first meeting in person a year later (an undated Spanish report of Bali)
        ("biden-xi-virtual-summit-2021-11-15", "biden-xi-bali-meeting-2022-11-14"),
    ), max_reports=7, copies=2),
}


def load(name: str) -> list[dict]:
    path = FIXTURES / GATES[name].folder / "articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module", params=sorted(GATES))
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    """(name, (event, storyline or event) per article id): the corpus ingested once, in order of publication."""
    name = request.param
    return name, ingest_in_order(name, tmp_path_factory.mktemp(name))


def ingest_in_order(name: str, folder: Path, **settings: dict) -> dict[str, tuple[str, str]]:
    """(event, storyline or event) per article id of a corpus ingested in order of publication into a store in
    ``folder``, with these settings over the defaults."""
    from tidings.api import Tidings

    records = events_heldout.arrival(load(name), "date")  # an undated page after the one before it in the file
    inbox = folder / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(folder / f"{name}.db", **settings) as t:
        t.ingest([str(inbox)])
        events = {e.id: e for e in t.store.events()}
        out = {}
        for a in t.store.articles():
            ev = events[t.store.resolve(a.event_id)]
            out[a.id] = (ev.id, ev.storyline_id or ev.id)
    return out


@pytest.mark.parametrize("name", sorted(GATES))
def test_corpus_shape(name):
    gate = GATES[name]
    if gate.local:  # titles and dates absent where a page gave none; a few languages
        records = load(name)
        assert len({r["id"] for r in records}) == len(records)
        assert all(r["text"].strip() and r["language"] and r["event"] for r in records)
        sizes = defaultdict(int)
        for r in records:
            sizes[r["event"]] += 1
        assert len(sizes) >= gate.min_events and max(sizes.values()) <= gate.max_reports
        return
    check_event_corpus(load(name), min_events=gate.min_events, reports=(1, gate.max_reports), copies=gate.copies)


def test_bcubed_floor(corpus):
    name, stored = corpus
    gate = GATES[name]
    gold = {r["id"]: r["event"] for r in load(name)}
    b = bcubed({aid: ev for aid, (ev, _) in stored.items()}, gold)
    print(f"\n{name} B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= gate.min_bcubed_f1, (f"B-cubed F1 {b.f1:.3f} < {gate.min_bcubed_f1}; run python bench/"
                                        f"events_heldout.py --corpus tests/fixtures/{gate.folder}/articles.jsonl")


def predicted_events(name: str, stored: dict[str, tuple[str, str]]) -> dict[str, set[str]]:
    """Gold event -> the predicted events holding its articles."""
    events_of: dict[str, set[str]] = defaultdict(set)
    for r in load(name):
        if r["id"] in stored:  # not a page in a language the model lacks (skipped at ingest)
            events_of[r["event"]].add(stored[r["id"]][0])
    return events_of


def test_hard_negatives_stay_apart(corpus):
    name, stored = corpus
    events_of = predicted_events(name, stored)
    for a, b in GATES[name].hard_negatives:
        assert not events_of[a] & events_of[b], f"{a} and {b} share an event"


def test_known_merges_are_still_merged(corpus):
    name, stored = corpus
    events_of = predicted_events(name, stored)
    for a, b in GATES[name].known_merges:
        assert events_of[a] & events_of[b], f"{a} and {b} are apart now: move them to the hard negatives"


def test_storylines_hold_their_events(corpus):
    # every article of a gold storyline of several events in one predicted storyline
    name, stored = corpus
    path = FIXTURES / GATES[name].folder / "storylines.json"
    storylines = json.loads(path.read_text(encoding="utf-8"))["storylines"]
    by_event: dict[str, set[str]] = defaultdict(set)
    for r in load(name):
        if r["id"] in stored:
            by_event[r["event"]].add(stored[r["id"]][1])
    whole = [s for s, evs in storylines.items() if len(set().union(*(by_event[e] for e in evs))) == 1]
    print(f"\n{name} storylines whole: {len(whole)} of {len(storylines)}")
    assert len(whole) >= GATES[name].min_whole_storylines, sorted(set(storylines) - set(whole))


def test_reedited_wire_copies_count_once(tmp_path):
    """Held-out 9's three syndicated copies: the same wire text republished by another outlet with a new headline,
    a sentence cut and one added (word 5-shingle Jaccard 0.76-0.82). Each is stored as a copy of the original and
    its event counts one source for the two."""
    from tidings.api import Tidings

    copies = {"visso-de-zeit": "visso-de-dpa", "romannul-fr-llb": "romannul-fr-afp",
              "ceasefire-es-lv": "ceasefire-es-efe"}
    records = sorted((r for r in load("heldout9") if r["id"] in set(copies) | set(copies.values())),
                     key=lambda r: (r["published"], r["id"]))
    inbox = tmp_path / "copies.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(tmp_path / "copies.db") as t:
        t.ingest([str(inbox)])
        stored = {a.id: a for a in t.store.articles()}
        for copy, original in copies.items():
            assert stored[copy].duplicate_of == original
            event = t.store.event(t.store.resolve(stored[original].event_id))
            assert stored[copy].event_id == stored[original].event_id
            assert (event.size, event.sources) == (2, 1)


def test_syndicated_copies_reading_another_day_do_not_split_their_event(tmp_path):
    """Held-out 50 (blind, session 29): EFE's report that the Guatemala quake's toll rose to 48 "informaron hoy", the
    day after, republished word for word by two outlets, read the next day. The two copies counted as two reports of
    that day, and an event with two reports of a second day splits in two: the copies left the quake. A copy repeats
    its original's reading; it is no second report of the day."""
    from tidings.api import Tidings

    records = [r for r in events_heldout.arrival(load("heldout50"), "date") if r["id"].startswith("gtquake-")]
    inbox = tmp_path / "quake.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(tmp_path / "quake.db") as t:
        t.ingest([str(inbox)])
        stored = {a.id: a for a in t.store.articles()}
        assert {stored["gtquake-es-2"].duplicate_of, stored["gtquake-es-3"].duplicate_of} & {"gtquake-es-2",
                                                                                           "gtquake-es-3"}
        assert {stored["gtquake-es-2"].happened, stored["gtquake-es-3"].happened} == {dt.date(2012, 11, 8)}
        events = {t.store.resolve(a.event_id) for a in stored.values()}
        assert len(events) == 1, events


def test_a_digest_does_not_carry_its_other_story_into_its_event(tmp_path):
    """Held-out 50 (blind, session 29): a live blog of the Greek austerity vote opens with Merkel's dinner with
    Cameron. Arriving right after the dinner's report, it joined the dinner (0.92: its first part is the dinner);
    then every report of the vote matched the blog's other part and joined the dinner too. A report that matches a
    page of several parts through another part than the page's fellow reports do (chunk cosines 0.70 against the
    dinner's report and 0.36-0.38 against the vote's in the first part, the other way round in the others) does not
    join through it."""
    from tidings.api import Tidings

    records = [r for r in events_heldout.arrival(load("heldout50"), "date")
               if r["id"].split("-")[0] in ("grvote", "merkelcam")]
    inbox = tmp_path / "athens.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(tmp_path / "athens.db") as t:
        t.ingest([str(inbox)])
        event_of = {a.id: t.store.resolve(a.event_id) for a in t.store.articles()}
    dinner = {event_of["merkelcam-en-1"], event_of["merkelcam-de-1"]}
    assert len(dinner) == 1
    vote = {event_of[i] for i in ("grvote-de-1", "grvote-es-1", "grvote-fr-1", "grvote-it-1")}
    assert len(vote) == 1 and not vote & dinner


def test_the_local_stream_settings_part_one_citys_happenings_and_storylines(tmp_path):
    """For a local news stream (README, "Using it"): a city that two events of the stream name within two days tells
    no happening from another (``[events] common_place_events = 2``; the default, 4, serves world and local streams
    alike), and an entity that two of the events an event aligns with name links none of them (``[storylines]
    common_place_events = 2``, off by default). On held-out 62's week of Cologne's news, storylines B-cubed F1 0.491
    with the default settings, 0.628 with these; events 0.804 by date with the default settings, 0.820 with these
    (docs/figures.md, session 33)."""
    stored = ingest_in_order("heldout62", tmp_path, events={"common_place_events": 2},
                             storylines={"common_place_events": 2})
    event_of = {aid: ev for aid, (ev, _) in stored.items()}
    gold = {r["id"]: r["event"] for r in load("heldout62")}
    b = bcubed(event_of, gold)
    print(f"\nheldout62, local setting: B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= 0.78
    # storylines: the city, the police and the fire brigade that every event names link none of them
    labels = json.loads((FIXTURES / "events_heldout62" / "storylines.json").read_text(encoding="utf-8"))["storylines"]
    gold_storyline = {e: label for label, evs in labels.items() for e in evs}
    s = bcubed({aid: storyline for aid, (_, storyline) in stored.items()},
               {aid: gold_storyline.get(ev, ev) for aid, ev in gold.items()})
    print(f"heldout62, local setting: storylines B-cubed F1 {s.f1:.3f}")
    assert s.f1 >= 0.58
    events_of: dict[str, set[str]] = defaultdict(set)
    for aid, ev in event_of.items():
        events_of[gold[aid]].add(ev)
    for a, b_ in (("urteil-messerangriff-hohenzollernring-2026-03-13", "messerangriff-ebertplatz-2026-03-13"),
                  ("rat-ost-west-achse-tunnel-2026-03-12", "rat-bewohnerparken-gebuehren-2026-03-12")):
        assert not events_of[a] & events_of[b_], f"{a} and {b_} share an event"
