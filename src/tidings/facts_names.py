"""Names that are in no gazetteer: capitalised-name patterns (Latin, Cyrillic) cued by titles or known given
names, Arabic names after a title, Korean names by their shape and an office or age after them, and CJK names
written with a middle dot. Unknown names get ids from a transliterated slug, so "Kazem Jalali" is
"person:kazem-jalali" in every run."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tidings.facts_dates import calendar_words, weekday_words
from tidings.facts_text import fold, script_of

# Titles and roles that announce a person's name, folded, in all supported languages.
TITLES = set(
    """
president vice-president prime premier minister ministers secretary ambassador envoy
chancellor king queen prince
princess sheikh emir ayatollah spokesman spokeswoman spokesperson mr mrs ms dr general gen
senator governor mayor
chairman chairwoman chair head deputy leader director ceo pope cardinal commander chief judge justice lawyer
attorney professor prof rep representative lawmaker counterpart speaker colonel captain
commissioner inspector superintendent lieutenant sergeant admiral col lt sgt capt adm sir dame
archbishop bishop imam
cleric correspondent diplomat official officer analyst coach striker mufti attache founder candidate
prasident prasidenten prasidentin ministerin ministers aussenminister aussenministerin kanzler kanzlerin
bundeskanzler bundeskanzlerin botschafter botschafterin herr frau regierungschef regierungschefin sprecher
sprecherin chef chefin konig konigin staatschef staatschefin generalsekretar vizeprasident amtskollege
amtskollegen amtskollegin parlamentsprasident kollege kollegen kollegin
president presidente presidenta ministre ministro ministra ambassadeur ambassadrice embajador embajadora
ambasciatore embaixador embaixadora canciller cancelliere chanceler chanceliere porte-
parole portavoz portavoce
porta-voz roi rey re rei senor senora signor sig monsieur madame m mme
premier minister ambassadeur kanselier woordvoerder koning
prezydent prezydenta prezydentem premiera premierem ministra ministrem ambasador
ambasadora kanclerz rzecznik
krol pan pani szef szefowa
cumhurbaskani baskani bakan bakani buyukelcisi buyukelci sozcusu basbakan lideri genel sekreteri
executive administrator manager goalkeeper midfielder defender forward winger player rider cyclist driver
champion economist activist journalist author actor actress singer opposition rapporteur prosecutor
trainer richter richterin sturmer torwart spieler anwalt anwaltin burgermeister burgermeisterin
ministerprasident ministerprasidentin staatsanwalt vorsitzende vorsitzender
juge avocat avocate entraineur attaquant gardien joueur joueuse maire depute deputee senateur opposant opposante
candidat homologue procureur
juez jueza alcalde alcaldesa entrenador delantero portero jugador diputado diputada opositor opositora
candidata candidato gobernador gobernadora fiscal
allenatore sindaco giudice attaccante papa procuratore
governador governadora prefeito juiz tecnico atacante deputado
direktor forvet futbolcu oyuncu kaleci hakem vali valisi savci
губернатор губернатора судья тренер нападающий мэр мэра вратарь прокурор
президент президента президентом президенту премьер премьера министр министра министром глава главы посол
посла канцлер канцлера председатель председателя спикер представитель представителя генсек лидер лидера
""".split()
)

# Particles inside names ("Bashar al-Assad", "Ursula von der Leyen").
CONNECTORS = {
    "al",
    "el",
    "bin",
    "ibn",
    "bint",
    "von",
    "van",
    "der",
    "den",
    "de",
    "da",
    "di",
    "du",
    "dos",
    "del",
    "la",
    "le",
    "ben",
    "abu",
    "ter",
    "zu",
    "y",
}

# Words that start sentences or are capitalised for other reasons; never the first token of a name.
STOP = set(
    """
foreign prime defence defense interior finance supreme vice acting former interim first senior state federal
national international islamic united joint central general european african asian arab western eastern
the a an and or but in on at of for to from by with as this that these those it its his
her their our we they
he she i you after before during while when where why how what who whom which if then than there here also
however meanwhile earlier later today yesterday tomorrow according despite since until
because although though
mr mrs ms
der die das ein eine einer einen dem den des und oder aber in im am an auf aus bei mit
nach von vor zu zur zum
fur uber unter wie wenn als auch noch nur so sie er es wir ihr ich dieser diese dieses
jener laut seit wahrend
doch denn dass heute gestern morgen zudem ausserdem unterdessen inzwischen
le la les un une des du de et ou mais dans sur avec pour par selon ce cette ces il elle ils elles nous vous
el los las una unos unas y o pero en con para por segun este esta estos estas ese esa lo
il lo gli uno una e ma con per su secondo questo questa
o os as um uma e mas com para por segundo este esta
de het een en maar met voor door volgens deze dit
w na z i oraz ale do od po przez dla według ten ta to
ve ile ama bu su bir icin gore
в во на с со и или но по для из от к до о об при после перед это этот эта эти он она они мы
""".split()
)

# Given names that mark a capitalised pair as a person even without a title (Latin/Cyrillic, folded).
GIVEN = set(
    """
mohammad mohammed muhammad mohamed ahmad ahmed ali hassan hasan hussein hossein husain
mahmoud mahmud mustafa
mostafa omar umar abdullah abdul abdel khalid khaled ibrahim ebrahim ismail yusuf youssef yousef hamid hamad
karim reza mehdi majid javad jawad kazem kazim saeed said saleh salman faisal fahad nasser naser jamal walid
tariq samir sami rami fadi nabil adel amir amin hamza yahya zaid zayed kamal jalal mousa musa isa issa jafar
abbas abbasali masoud massoud mansour morteza mojtaba ruhollah akbar esmaeil ismael bagher
baqer seyed seyyed
sayed sayyid fatima fatemeh maryam zahra aisha leila layla nour noor sara sarah huda rania
john james robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason
jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory
alexander frank patrick raymond
jack dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter
ethan jeremy harold keith
christian roger noah gerald carl terry sean austin arthur lawrence jesse dylan bryan joe
jordan billy bruce albert
willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip johnny
mary patricia jennifer linda elizabeth barbara susan jessica karen nancy lisa betty margaret sandra ashley
kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia
kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel
carolyn janet catherine heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan
evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann madison frances kathryn janice
jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella
theresa diana natalie
brittany charlotte marie kayla alexis lori kamala hillary nikki marco mike
hans klaus jurgen wolfgang michael thomas andreas stefan peter frank markus christian
martin uwe dieter horst
gerhard helmut werner heinz manfred rolf olaf friedrich karl heinrich wilhelm johann lars jens sven jan
annalena ursula angela sabine petra monika gabriele susanne claudia birgit heike katrin julia nadine anke
jean pierre jacques michel philippe alain bernard francois nicolas olivier emmanuel thierry eric christophe
sebastien laurent stephane marine segolene anne catherine isabelle sylvie nathalie valerie brigitte
jose juan carlos luis antonio manuel francisco javier miguel pedro alejandro fernando jorge alberto rafael
pablo sergio andres diego ricardo eduardo roberto mario gustavo nicolas claudia maria
carmen ana laura isabel
lucia elena gabriela daniela alessandro giuseppe giovanni luca matteo francesco lorenzo andrea giorgio paolo
sergio silvio giorgia luiz joao paulo fernando lula jair dilma
vladimir sergey sergei dmitry dmitri dmitrij alexei alexey aleksei aleksandr alexandr mikhail nikolai ivan
yuri yury andrei andrey viktor igor oleg pavel boris maxim anton roman denis evgeny
yevgeny vyacheslav valentina
maria olga tatiana natalia elena irina svetlana anastasia ekaterina yekaterina volodymyr dmytro oleksandr
oleksii andriy petro yulia wladimir sergej dmitri michail juri jewgeni
wojciech krzysztof piotr tomasz pawel marcin michal andrzej jaroslaw mateusz rafal
katarzyna malgorzata agnieszka
recep mehmet mustafa ahmet huseyin hakan kemal devlet ekrem ali fatih emre murat ozgur burak mevlut binali
kemal selahattin meral
xi li wang zhang liu chen yang zhao huang zhou wu kim lee park choi jung kang cho yoon jang lim han shin
shinzo fumio yoshihide shigeru taro yoko hiroshi takeshi narendra rahul amit sonia imran nawaz shehbaz asif
benjamin yair naftali isaac yitzhak moshe avigdor itamar bezalel gideon
""".split()
)

# Cyrillic given names (lower case).
GIVEN |= set(
    """
владимир сергей дмитрий алексей александр михаил николай иван юрий андрей виктор игорь олег павел борис
максим антон роман денис евгений вячеслав валентина мария ольга татьяна наталья елена
ирина светлана анастасия
екатерина мухаммед ахмед али хасан джо дональд эммануэль ангела олаф реджеп нарендра биньямин
""".split()
)

ORG_HEADS = set(
    """
organization organisation council ministry agency party bank union committee commission court parliament
assembly association foundation institute university company corporation group forum front movement army
center centre zentrum
organisation rat ministerium partei bank gericht behorde komitee verband stiftung universitat
organisation conseil ministere parti banque cour comite universite
organizacion consejo ministerio partido banco tribunal comite universidad
organizzazione consiglio ministero partito banca
организация совет министерство партия банк суд комитет университет
bakanligi partisi bankasi meclisi mahkemesi universitesi hastanesi belediyesi valiligi kaymakamligi ordusu
baskanligi mudurlugu vakfi dernegi kurumu kurulu konseyi teskilati orgutu ajansi sirketi
""".split()
)

# Adjectives that start no person's name (they are in STOP) but do start an organisation's, before two words or more
# of its name ("National Disaster Management Agency", "Federal Emergency Management Agency"). Not before one: "Supreme
# Court", "National Assembly" are bodies every country has.
ORG_ADJECTIVES = frozenset(
    "national federal international european african asian arab central supreme united islamic joint general state"
    .split()
)

# Capitalised words that make a run of names something other than a person: storms, clubs and competitions,
# the words of ministries and offices ("ministro de Asuntos Exteriores"), a title run into a name.
# English words that begin no person's name where a scrape or a title-case headline capitalises them before one: page
# chrome around photos and videos ("Caption Close Photos", "Gallery Landry", "Watch Hannity", "Newsvine Permalink")
# and a headline's verbs and adverbs ("Asks Trump", "Criticizes McConnell", "Yet Buttigieg", "Both Cooper"). With a
# surname standing alone further down, each made a person: of a sample of 100 person names from our English SemEval-
# sample pages about a quarter were no one, five of them such (a scratch count, session 35); over all 563 English
# pages the rule drops 16 of 659 names (scratch), and bench/facts_accuracy.py's held-out people stay 96.4 / 83.5. Only
# at a run's start, and never a given name; a name known to the lexicon is read before this.
EN_NOT_NAME_START = set(
    """
caption close gallery photo photos image images video videos watch share permalink newsvine enter options click
subscribe download print email comment comments advertisement sponsored related read next previous prev menu search
login follow tweet updated breaking live exclusive opinion analysis editorial podcast newsletter slideshow credit
asks says said denies slams urges warns calls meets visits backs blasts rejects vows claims admits reveals confirms
announces criticizes criticises praises accuses blames defends quits sues hails mourns condemns dismisses responds
welcomes tells seeks faces eyes targets striking yet both why how what even still just instead inside behind
""".split()
)



def not_a_name_start(key: str, language: str) -> bool:
    """``key`` (folded) begins no person's name in ``language`` (``EN_NOT_NAME_START``)."""
    return language == "en" and key in EN_NOT_NAME_START and key not in GIVEN


NOT_PERSON = set(
    """
hurricane storm typhoon cyclone tropical tornado city united fc club league cup championship
olympics grand prix republic republique republica republik repubblica rear adm
asuntos exteriores interior seguridad nacional defensa hacienda exterieures etrangeres affaires esteri
auswartigen inneren
""".split()
)

AR_TITLES = {
    fold(w)
    for w in """
الرئيس رئيس رئيسة وزير وزيرة السفير سفير الأمين المتحدث المتحدثة الملك الأمير الشيخ المستشار قائد زعيم
النائب مدير المدير المبعوث الجنرال العميد اللواء السيد السيدة الدكتور نائب الناطق القائد ولي عاهل مساعد
""".split()
}
# An office in construct after a title, before the country it serves: "رئيس وزراء", "وزير خارجية", "وزيرة دفاع"
AR_OFFICES = {fold(w) for w in "وزراء خارجية دفاع داخلية مالية عدل حكومة مجلس جمهورية".split()}
AR_SKIP_AFTER_TITLE = {fold(w) for w in "العام الخاص الأعلى السابق الجديد الحالي باسم باسمه باسمها الله آية".split()}
AR_STOP = {
    fold(w)
    for w in """
في من على إلى الى عن مع أن إن ان قد لا ما هذا هذه ذلك تلك التي الذي الذين كان كانت قال قالت وقال وقالت
أكد وأكد بعد قبل خلال حول بين عند منذ كما أيضا أيضاً يوم أمس مساء صباح لدى ثم حيث إنه انه إنها انها هو
هي هم وهو وهي او أو لم لن كل بعض غير سوى عبر ضد نحو دون تجاه يوم اليوم الذي إلى أمام وفق وفقا بأن لأن
""".split()
}

# Allowed inside organisation names only ("Council of Europe", "Rat für ...").
ORG_CONNECTORS = {
    "of",
    "for",
    "on",
    "and",
    "fur",
    "des",
    "du",
    "pour",
    "del",
    "per",
    "dla",
    "der",
    "de",
    "the",
}

CJK_DOT_NAME = re.compile(
    r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[\u30a0-\u30ff]{2,}・[\u30a0-\u30ff]{2,}"
)


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    tok_start: int
    tok_end: int
    kind: str  # person | org


# The Arabic article as other languages write it, hyphen-attached ("al-Sharaa", "eş-Şeybani", "ash-Shaibani").
ARTICLE_PREFIXES = {"al", "el", "as", "ash", "ad", "ar", "at", "az", "an", "es", "er", "et", "ed", "ez", "en", "ul"}


# Lower-case words hyphenated to a name that make it an adjective, not a longer name: "Putin-backed", "Biden-led".
HYPHEN_SUFFIXES = {"led", "backed", "based", "born", "style", "era", "run", "linked", "owned", "made", "like", "type",
                   "held", "allied", "aligned", "funded", "armed", "free", "wide", "elect", "designate", "ist", "ism"}


_IN_ADDRESS = set("-/._@#=")
_NAME_ARTICLES = {"der", "den"}
_NOBLE_PARTICLES = {"von", "van", "vom"}


def lower_case_words(text: str, toks: list[tuple[str, int, int]], keys: list[str]) -> set[str]:
    """Folded words the text writes in lower case in running text, not in a web address or a slug
    ("/simon-coveney-urges-new-..."), a handle or glued words ("Nicaraguanse.leyton"); only those it also
    capitalises somewhere, the only ones ever asked about."""
    capitalised = {key for key, (t, _s, _e) in zip(keys, toks, strict=True) if not t[0].islower()}
    return {key for key, (t, s, e) in zip(keys, toks, strict=True) if key in capitalised and t[0].islower()
            and text[s - 1:s] not in _IN_ADDRESS and text[e:e + 1] not in _IN_ADDRESS}


def _is_capword(tok: str) -> bool:
    if len(tok) < 2 or script_of(tok[0]) not in ("latin", "cyrillic"):
        return False
    return tok[0].isupper() and not tok[1:].isupper()


_DE_TIME_NOUNS = frozenset({"anfang", "mitte", "ende"})  # "Anfang Juni": early in June


def find_unknown_names(
    text: str,
    toks: list[tuple[str, int, int]],
    consumed: list[bool],
    language: str,
    keys: list[str] | None = None,
    lower_seen: set[str] | None = None,
    places: frozenset[int] = frozenset(),
    sounds: frozenset[str] = frozenset(),
) -> list[NameSpan]:
    """Candidate person (and organisation) names among tokens no lexicon entry claimed. ``lower_seen``: the text's
    ``lower_case_words``, when the caller has them; ``places``: the tokens the lexicon read as a country or city;
    ``sounds``: the characters Chinese spells foreign names with (the lexicon's ``hanzi_sounds``)."""
    out: list[NameSpan] = []
    n = len(toks)
    if keys is None:
        keys = [fold(t) for t, _, _ in toks]
    cap = [_is_capword(t) for t, _, _ in toks]  # asked of every token several times below
    # capitalised tokens standing alone (no capitalised neighbour): a surname used again on its own
    alone: dict[str, list[int]] = {}
    if language != "de":  # German capitalises every noun: a lone capitalised word says nothing there
        for k in range(n):
            if not cap[k] or (k > 0 and cap[k - 1] and _joined(text, toks, k - 1, k)):
                continue
            if not (k + 1 < n and cap[k + 1] and _joined(text, toks, k, k + 1)):
                alone.setdefault(keys[k], []).append(k)
    # Words the text also writes in lower case are words, not names: a headline in title case ("Renault Chooses
    # Volkswagen", "Opinion: Housing ..."), a capitalised word at a line's start. German capitalises its nouns, so
    # they never show up here; names are hardly ever written in lower case.
    if lower_seen is None:
        lower_seen = lower_case_words(text, toks, keys)
    calendar = calendar_words(language)  # weekday and month names of the language
    # Only English and German write a weekday with a capital: elsewhere a capitalised "Domingo" is a name.
    weekdays = weekday_words(language) if language in ("en", "de") else frozenset()

    def time_words(k: int) -> bool:
        """German "Anfang/Mitte/Ende" before a month ("Anfang Juni"), a time like a month's name."""
        return language == "de" and keys[k] in _DE_TIME_NOUNS and k + 1 < n and keys[k + 1] in calendar

    def ends_name(k: int, first: int) -> bool:
        """A day's name ends a run of names begun at ``first``: "Supreme Court Friday", "Wilbur Ross Anfang Juni".
        A month may be a name's second word ("Theresa May"), never its third."""
        if k >= first + 2:
            return keys[k] in calendar or time_words(k)
        return keys[k] in weekdays and keys[first] not in GIVEN

    i = 0
    while i < n:
        if (consumed[i] or not cap[i] or keys[i] in STOP or keys[i] in TITLES or time_words(i)
                or (keys[i] in weekdays and keys[i] not in GIVEN)
                or not_a_name_start(keys[i], language)):
            i += 1
            continue
        j = i + 1
        while j < n and not consumed[j] and _joined(text, toks, j - 1, j):
            tj, kj = toks[j][0], keys[j]
            if ends_name(j, i):
                break
            if cap[j] and kj not in STOP and kj not in TITLES:
                j += 1
            elif _middle_initial(text, toks, keys, cap, consumed, j):
                j += 2  # "Steven T. Mnuchin", "Michael J. Fox": the initial and the surname after it
            elif (text[toks[j - 1][2] : toks[j][1]] == "-" and tj.isalpha() and tj.islower() and len(tj) <= 6
                  and kj not in HYPHEN_SUFFIXES and cap[j - 1]):
                j += 1  # the second syllable of a Korean given name: "Han Duck-soo", "Choi Sang-mok"
            elif kj in ARTICLE_PREFIXES and j + 1 < n and text[toks[j][2] : toks[j + 1][1]] == "-" and (
                cap[j + 1]
            ):
                j += 2
            elif (
                (kj in CONNECTORS or kj in ORG_CONNECTORS)
                and j + 1 < n
                and cap[j + 1]
                and not consumed[j + 1]
                and _joined(text, toks, j, j + 1)
                and keys[j + 1] not in calendar  # "Court on Friday"
            ):
                j += 2
            else:
                break
        heads = [k for k in range(i, j) if keys[k] in ORG_HEADS]
        if heads and j - i >= 2:
            # "... Muftis Council Demir Mohyeddinev", "... of Thought Ali Qazi Asgar": a name may follow
            p0 = next((k for k in range(heads[-1] + 1, j) if keys[k] in GIVEN), None)
            if p0 is None and all(
                cap[k] or keys[k] in CONNECTORS for k in range(heads[-1] + 1, j)
            ):
                p0 = heads[-1] + 1
            p1 = p0
            while p1 is not None and p1 < j and (cap[p1] or keys[p1] in CONNECTORS):
                p1 += 1
            org_end = p0 if p0 is not None and p1 - p0 >= 2 else j
            while org_end > i and keys[org_end - 1] in ORG_CONNECTORS:
                org_end -= 1
            if org_end - i >= 2:
                start = i
                while (start > 0 and cap[start - 1] and keys[start - 1] in ORG_ADJECTIVES and not consumed[start - 1]
                       and _joined(text, toks, start - 1, start)):
                    start -= 1  # "National Disaster Management Agency": the adjective no name starts with is its own
                out.append(NameSpan(toks[start][1], toks[org_end - 1][2], start, org_end, "org"))
            if p0 is not None and p1 - p0 >= 2 and cap[p0]:  # not "der Stadt" after "Zentrum" in "Zentrum der Stadt"
                out.append(NameSpan(toks[p0][1], toks[p1 - 1][2], p0, p1, "person"))
            i = j
            continue
        # no organisation word: a person name may not contain "of", "for" ..., nor an article that no "von" or "van"
        # brings in ("von der Leyen", "van den Berg"; not "Jens Spahn den Export", "Gemeinschaft der Frau")
        for k in range(i + 1, j):
            if (keys[k] in ORG_CONNECTORS and keys[k] not in CONNECTORS) or (
                    keys[k] in _NAME_ARTICLES and keys[k - 1] not in _NOBLE_PARTICLES):
                j = k
                break
        if keys[i] not in GIVEN and _is_title(keys[i]):
            i += 1  # German compound titles: "Regierungssprecher Stefan Kornelius"
            if i >= j:
                continue
        g = next((k for k in range(i + 1, j - 1) if keys[k] in GIVEN), None)
        if keys[i] not in GIVEN and g is not None:
            i = g  # "Thought Ali Qazi Asgar": the name starts at the given name
        j = _one_name_end(keys, i, j)
        size = j - i
        title_before = _title_before(toks, keys, consumed, i, text)
        if any(keys[k] in NOT_PERSON for k in range(i, j)):
            pass  # "Hurricane Helene", "Manchester City", "République Emmanuel Macron", "Asuntos Exteriores"
        elif any(keys[k] in lower_seen and cap[k] for k in range(i + (keys[i] in GIVEN), j)):
            pass  # a given name may be a word too ("Mark Carney" where "to mark" is written): not the rest
        elif j + 1 < n and keys[j] in TITLES and cap[j + 1] and not consumed[j] and _joined(text, toks, j - 1, j):
            pass  # what the title of the name after it says: "Rusya Devlet Başkanı Vladimir Putin" (Russia's president)
        elif 2 <= size <= 4 and (keys[i] in GIVEN or title_before or _surname_repeats(toks, keys, alone, i, j)):
            out.append(NameSpan(toks[i][1], toks[j - 1][2], i, j, "person"))
        elif (
            size == 1
            and title_before == 1
            and not _sentence_start(text, toks[i][1])
            and not (j < n and keys[j] in TITLES)
        ):
            out.append(NameSpan(toks[i][1], toks[i][2], i, j, "person"))
        i = j
    if language == "ar":
        out.extend(_arabic_names(text, toks, keys, consumed, places))
    if language == "ko":
        out.extend(_korean_names(text, toks, consumed, places))
    out.extend(NameSpan(start, end, -1, -1, "person") for start, end in dotted_names(text, sounds))
    return out


def _one_name_end(keys: list[str], i: int, j: int) -> int:
    """Where the first name of a run of capitalised words ``i:j`` ends, when the run is two: a caption's name said
    twice ("Joe Root Joe Root"), or two people's names side by side, each a given name and a surname ("John Hartley
    Mary Brennan")."""
    half = (j - i) // 2
    if j - i >= 4 and (j - i) % 2 == 0 and keys[i:i + half] == keys[i + half:j]:
        return i + half
    if j - i == 4 and keys[i] in GIVEN and keys[i + 2] in GIVEN and not (
            {keys[i + 1], keys[i + 3]} & (CONNECTORS | ORG_CONNECTORS | _NOBLE_PARTICLES)):
        return i + 2  # given name and surname twice; not "Abdullah bin Hamad al-Thani", "Alexis Chavarría y ..."
    return j


# Chinese writes no spaces, so "总理赛塔·他威信任命曾被判" ("Prime Minister Srettha Thavisin appointed, once
# sentenced") matches the dotted-name pattern whole. A transliterated name is made of sound characters: a title
# before it and the first function word, verb or common noun after it end the name.
_HANZI_TITLES = re.compile(
    "总理|总统|主席|部长|外长|首相|国王|王储|女王|议长|大使|发言人|秘书长|国务卿|领导人|司令|将军|教皇|教宗|"
    "主教|总督|州长|市长|议员|总裁|董事长|律师|教练|球员|前锋|队长|记者|候选人|总书记|副总统|副总理|"
    "执行官|财务官|运营官|首席|法官|领袖|秘书|得主|上校|中校|少校|上将|中将|少将|伊玛目|名叫|死囚|王子|公主|"
    "亲王|导演|演员|歌手|选手|主帅|教授|博士|作家"
)
_NOT_IN_NAMES = frozenset("的在于与是被将已曾说称表示任命对向及等为从到就也都又并而但后时中日月年国政府"
                          "总统部长席外交会见访问指出认判狱律师商业代由当选首相议员宣发言通过今天昨这其们"
                          "个名之所新社电记者报了着和"
                          # and the report's words around a name ("勒布朗·詹姆斯继上一场", "凯里·欧文贡献",
                          # "此前勒布朗", "勇士主帅史蒂夫"): never a sound in a transliterated name
                          "继则此前献帅队场砍投助攻获赢输败负球篮板季决冠军"
                          "再又还更最均共各每该指望让使令给把仍只即两首次上下全近"
                          # verbs that follow a name ("蒂姆·库克接任", "纳德拉汇报", "斯科塞斯致敬")
                          "接汇致"
                          # and a weekday ("周四", Thursday)
                          "周")
# and some that are, at a name's start ("比尔", "道格拉斯", "因凡蒂诺", "赛义德", "拿破仑", "本杰明"): a stop once two
# characters of the part are read
_NOT_IN_NAMES_AFTER_TWO = frozenset("得比道因赛贡拿刚以第本")


def dotted_names(text: str, sounds: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of every Chinese or Japanese name written with a middle dot, a Chinese one cut to its sounds
    (``_trim_hanzi_name``)."""
    spans = []
    for m in CJK_DOT_NAME.finditer(text):
        start, end = _trim_hanzi_name(text, m.start(), m.end(), sounds)
        if end > start:
            spans.append((start, end))
    return spans


def _trim_hanzi_name(text: str, start: int, end: int, sounds: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The transliterated name inside a dotted-name match: (start, end), empty when nothing is left of one part.
    ``sounds``: characters used to spell foreign names; two in a row that are not (and not the last before a word
    that ends the name anyway) are the report's words after it ("菲尼克斯凭借", "卡斯特罗举行", "艾班率团")."""
    if not "\u4e00" <= text[start] <= "\u9fff":
        return start, end  # Japanese katakana names are written apart already
    dot = text.index("·", start, end)
    left = start
    for t in _HANZI_TITLES.finditer(text, start, dot):
        left = t.end()
    for k in range(dot - 1, left - 1, -1):
        c = text[k]
        if c in _NOT_IN_NAMES or (c in _NOT_IN_NAMES_AFTER_TWO and dot - k > 2):
            left = k + 1
            break
    right = dot + 1
    while right < end:
        c = text[right]
        if c in _NOT_IN_NAMES or (c in _NOT_IN_NAMES_AFTER_TWO and right - dot > 2):
            break
        after = text[right + 1] if right + 1 < len(text) else ""
        if (sounds and right - dot > 1 and c not in sounds and "\u4e00" <= after <= "\u9fff" and after not in sounds
                and after not in _NOT_IN_NAMES):
            break  # ("威差亚猜表示": the name's last sound before a word the list above ends it at)
        right += 1
    if left >= dot or right == dot + 1:
        return start, start
    return left, right


_TITLE_SUFFIXES = (
    "sprecher",
    "sprecherin",
    "minister",
    "ministerin",
    "prasident",
    "prasidentin",
    "kanzler",
    "kanzlerin",
    "botschafter",
    "botschafterin",
    "chef",
    "chefin",
    "sekretar",
    "direktor",
    "vorsitzende",
    "vorsitzender",
    "kommissar",
    "kommissarin",
    "fuhrer",
    "general",
    "voorzitter",
    "prasidenten",
    "ministern",
    "richter",
    "richterin",
)


def _surname_repeats(
    toks: list[tuple[str, int, int]], keys: list[str], alone: dict[str, list[int]], i: int, j: int
) -> bool:
    """News style names a person in full once, then by surname ("Tadej Pogačar ... Pogačar, 25 ans"): the last
    word of a 2-3 word run of capitalised words (no "of", "de") that also stands alone elsewhere marks a person."""
    if not 2 <= j - i <= 3 or not all(_is_capword(toks[k][0]) for k in range(i, j)):
        return False
    last = keys[j - 1]
    if last in STOP or last in ORG_HEADS or len(last) < 3 or any(keys[k] in ORG_HEADS for k in range(i, j)):
        return False
    return any(p < i or p >= j for p in alone.get(last, ()))


def _is_title(key: str) -> bool:
    return key in TITLES or (len(key) > 8 and key.endswith(_TITLE_SUFFIXES))


def _middle_initial(text: str, toks: list[tuple[str, int, int]], keys: list[str], cap: list[bool],
                    consumed: list[bool], j: int) -> bool:
    """Token ``j`` is a middle initial inside a name: one capital letter, its full stop, and a capitalised word
    after it that no lexicon entry took ("Franklin D. Roosevelt"; not "Plan B. The ...")."""
    tok = toks[j][0]
    return (len(tok) == 1 and tok.isupper() and script_of(tok) in ("latin", "cyrillic") and j + 1 < len(toks)
            and text[toks[j][2] : toks[j + 1][1]] == ". " and cap[j + 1] and not consumed[j + 1]
            and keys[j + 1] not in STOP and keys[j + 1] not in TITLES)


def _joined(text: str, toks: list[tuple[str, int, int]], a: int, b: int) -> bool:
    gap = text[toks[a][2] : toks[b][1]]
    return gap in (" ", "-", "\u00a0")


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].strip()
    return not before or before[-1] in '.!?\n"“«:'


def _title_before(
    toks: list[tuple[str, int, int]], keys: list[str], consumed: list[bool], i: int, text: str
) -> int:
    """Distance (in tokens, 1..5) back to a title word, through only places, capitalised words and "to",
    "of" ("Iranian Ambassador to Russia Kazem Jalali"); 0 when none."""
    commas = lowers = 0
    for back in range(1, 7):
        k = i - back
        if k < 0:
            return 0
        gap = text[toks[k][2] : toks[k + 1][1]]
        if gap.strip() == "," and back == 1 and not commas:
            commas = 1  # apposition: "the president of the court, Bénédicte de Perthuis,"
        elif any(ch in gap for ch in '.!?;:\n,"“”«»'):
            return 0
        if _is_title(keys[k]):
            return back
        t = toks[k][0]
        if commas and t[0].isupper() and not consumed[k] and not t.isupper():
            return 0  # "Richterin Gabriele Keller erklärte, Käufer ...": another clause, not an apposition
        if not (
            consumed[k]
            or t[0].isupper()
            or keys[k] in ("to", "of", "in", "for", "de", "del", "in", "bei", "der", "des", "du", "al", "el")
        ):
            # adjectives after the title: "le président sénégalais", "chief executive", "губернатор края"
            if lowers < 2 and len(t) >= 4 and keys[k] not in STOP and t.isalpha():
                lowers += 1
                continue
            return 0
    return 0


def _arabic_names(
    text: str, toks: list[tuple[str, int, int]], keys: list[str], consumed: list[bool],
    places: frozenset[int] = frozenset(),
) -> list[NameSpan]:
    # "وزير الخارجية الروسي سيرغي لافروف": title, then ال- words, then two or three name tokens; or the title's office
    # and country in construct, "رئيسة وزراء نيوزيلندا جاسيندا أرديرن", "وزير خارجية إيران محمد جواد ظريف".
    out: list[NameSpan] = []
    n = len(toks)
    for i in range(n):
        k = keys[i]
        if k not in AR_TITLES and not (k[:1] in "وف" and k[1:] in AR_TITLES):
            continue
        j = i + 1
        while (
            j < n
            and j - i <= 4
            and (keys[j].startswith("ال") or keys[j] in AR_SKIP_AFTER_TITLE or keys[j] in AR_OFFICES
                 or (j in places and j - 1 > i and keys[j - 1] in AR_OFFICES))
            and _ar_joined(text, toks, j - 1, j)
        ):
            j += 1
        if j < n and consumed[j]:
            continue  # the title belongs to a name we already know
        s = j
        while (
            j < n
            and j - s < 3
            and not consumed[j]
            and _ar_name_word(keys[j])
            and _ar_joined(text, toks, j - 1, j)
        ):
            j += 1
            if keys[j - 1] == _AR_ABD and j < n and keys[j].startswith("ال") and _ar_joined(text, toks, j - 1, j):
                j += 1  # "العميد عبد الغني راشدي"
        if j > s and keys[j - 1] != _AR_ABD and _ar_family_name_at(text, toks, keys, consumed, j):
            j += 1  # "الناطق باسمه محسن الدالي"
        if j - s >= 2:
            out.append(NameSpan(toks[s][1], toks[j - 1][2], s, j, "person"))
    # no title before it: a common given name and the name word after it ("محمد صلاح", "أسامة حماد")
    taken = {k for span in out for k in range(span.tok_start, span.tok_end)}
    i = 0
    while i < n:
        k = keys[i]
        bare = k[1:] if k[:1] in "وف" and k[1:] in AR_GIVEN else k
        if i in taken or consumed[i] or bare not in AR_GIVEN:
            i += 1
            continue
        # one name word after it, or a link and one ("محمد بن سلمان"): a third word is as often the sentence going on
        # ("محمد صلاح فريقه", "Mohamed Salah his team"), and there are no capitals to tell
        j = i + 1
        if j + 1 < n and keys[j] in AR_NAME_LINKS and _ar_joined(text, toks, i, j):
            j += 1
        if j < n and not consumed[j] and j not in taken and _ar_joined(text, toks, j - 1, j) and _ar_name_word(keys[j]):
            j += 1
            # "عبد" and the word with the article after it are one name ("أحمد عبد العزيز"), not "Ahmed Abd"
            if keys[j - 1] == _AR_ABD and j < n and keys[j].startswith("ال") and _ar_joined(text, toks, j - 1, j):
                j += 1
        elif j == i + 1 and j not in taken and _ar_family_name_at(text, toks, keys, consumed, j):
            j += 1  # "إبراهيم العيساوي"
        if j - i >= 2 and keys[j - 1] not in AR_NAME_LINKS:
            start = toks[i][1] + (len(k) - len(bare))  # without the glued "and"
            out.append(NameSpan(start, toks[j - 1][2], i, j, "person"))
        i = max(j, i + 1)
    return out


# Given names common in Arabic news, Arabic and foreign, that are not also everyday words (not "حسن" good, "سعيد"
# happy, "علي", which is often "على" without its dots): in front of one more name word, a person.
AR_GIVEN = {
    fold(w)
    for w in """
محمد أحمد محمود مصطفى إبراهيم ابراهيم يوسف عمر خالد حسين طارق وليد فيصل سلمان عبدالله عبدالعزيز عبدالرحمن ماجد
فهد ناصر سامي هاني رامي ياسر أسامة اسامة حمد تميم بشار نبيه نجيب ميشال ميشيل إسماعيل اسماعيل هشام عماد رشيد
فاطمة مريم زينب عائشة هدى منى ليلى رانيا
جون جو جوزيف ديفيد دافيد بيتر مايكل جورج لويس سام دونالد فلاديمير سيرغي سيرجي إيمانويل ايمانويل أنطونيو أنتوني
بوريس أنجيلا أولاف ريشي كير جاستن شينزو فوميو ناريندرا رجب بنيامين يائير كامالا هيلاري ريتشارد روبرت ويليام
""".split()
}
AR_NAME_LINKS = {fold(w) for w in "بن ابن بنت".split()}
_AR_ABD = fold("عبد")

# Nouns of institutions and offices, which follow a title ("رئيس مجلس إدارة", "مدير مركز") and are no one's name.
AR_NOT_NAME = {
    fold(w)
    for w in """
مجلس مركز مدينة هيئة إدارة ادارة برنامج لجنة حكومة وزارة جامعة شركة منظمة مؤسسة دائرة قسم مديرية محافظة بلدية
مكتب مجموعة اتحاد جمعية حزب جهاز مصلحة سلطة بنك مستشفى مدرسة معهد صندوق قوات جيش شرطة دولة منطقة ولاية
""".split()
}


_AR_NOT_IN_NAME = frozenset(AR_STOP | AR_TITLES | AR_NOT_NAME)


def _ar_name_word(key: str) -> bool:
    """Whether a word after an Arabic title may be part of the name: not with the article, a conjunction or
    preposition glued to it ("والمرافق", "وفي", "للشؤون"), not a stop word, title or institution noun."""
    if len(key) < 2 or script_of(key[0]) != "arabic" or key.startswith(("ال", "لل")):
        return False
    bare = key[1:] if key[0] in "وفبل" and len(key) > 3 else key
    if bare.startswith("ال"):
        return False
    return key not in _AR_NOT_IN_NAME and bare not in _AR_NOT_IN_NAME


# Words of the form al-...i that are adjectives, not family names: "current", "second", "official", "military"...
_AR_NISBA_ADJECTIVES = {
    fold(w)
    for w in """
الحالي الماضي الثاني التالي الرسمي الدولي الوطني العسكري السياسي الأمني الإسلامي العربي الشعبي المحلي الإقليمي
الاقتصادي الاجتماعي الشرعي القضائي الإعلامي الصحفي الرئاسي الحكومي النووي الجوي البحري الصحي الفعلي الجماعي
""".split()
}


def _ar_family_name_at(text: str, toks: list[tuple[str, int, int]], keys: list[str], consumed: list[bool],
                       j: int) -> bool:
    """A family name with the article that ends a name: a nisba ("العيساوي", "الدالي", "القذافي"); not a nationality
    the lexicon knows ("الفرنسي", consumed as a country) nor an adjective of that form ("الرسمي")."""
    if j >= len(toks) or consumed[j] or not _ar_joined(text, toks, j - 1, j):
        return False
    key = keys[j]
    return (key.startswith("ال") and len(key) >= 5 and key.endswith("ي") and key not in _AR_NISBA_ADJECTIVES
            and key not in _AR_NOT_IN_NAME)


def _ar_joined(text: str, toks: list[tuple[str, int, int]], a: int, b: int) -> bool:
    gap = text[toks[a][2] : toks[b][1]]
    return len(gap) <= 2 and not any(ch in gap for ch in '،,.:؛!?"«»\n')


# Korean names are written in Hangul with no capitals: a person is told by the shape of a name (a common surname and
# a two-syllable given name) and by what follows it in news copy, an age or the name in Chinese characters in brackets
# ("황장엽(87)", "리커창(李克強)"), or an office right after it, past a country or city ("윤석열 대통령은"), or
# past "전" (former) and up to two words ("황장엽 전 북한 노동당 비서가").
KO_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄변채원천방공현"
    "함염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌"
    "팽승간상갈단견당화창옹묵"
)
KO_TITLES = frozenset(
    """대통령 전대통령 총리 국무총리 부총리 장관 차관 위원장 부위원장 국방위원장 비서 총비서
    의원 대표 원내대표 감독 선수 회장 부회장 주석 부주석 국가주석 국가부주석 총장 사무총장
    대변인 교수 시장 지사 도지사 주지사 외무상 총재 간사장 사령관 총참모장 참모총장 판사
    검사 검찰총장 씨 여사 의장 국회의장 국왕 여왕 왕세자 총통 대사 후보 당선인 당선자
    총서기 변호사 코치 사장 이사장 청장 처장 원장 소장 실장 국장 단장 경 장군 대주교
    추기경 교황 목사 스님 작가 시인 배우 가수 회장님 총독 수상 군정청장 최고지도자
    국무위원장""".split()
)
# the last syllable of a three-syllable word that is no name: a particle on a two-syllable word ("경찰은", "모두의"),
# an institution's or a prize's ("노동당", "감독상"), or a verb's ending ("성공한")
_KO_NOT_NAME_END = frozenset("은는이가을를의와과도에로당부청회국처군상소한된던할")
_KO_PARTICLE_ENDS = ("에게서", "에게", "께서", "와의", "과의", "으로", "이나", "이다", "은", "는", "이", "가", "을",
                     "를", "의", "와", "과", "도", "에", "로", "만", "씨")
_KO_AFTER_NAME = re.compile(r"\s*\((?:\d{1,3}(?:세)?|[\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z .\-]{2,30})\)")


def _ko_base(word: str) -> str:
    for p in _KO_PARTICLE_ENDS:
        if word.endswith(p) and len(word) > len(p):
            return word[: -len(p)]
    return word


def _korean_names(
    text: str, toks: list[tuple[str, int, int]], consumed: list[bool], places: frozenset[int] = frozenset(),
) -> list[NameSpan]:
    out: list[NameSpan] = []
    n = len(toks)
    for i, (t, s, e) in enumerate(toks):
        if consumed[i] or i in places or not ("\uac00" <= t[0] <= "\ud7a3") or t[0] not in KO_SURNAMES:
            continue
        if len(t) == 3:
            name_end = e
        elif len(t) in (4, 5) and _ko_base(t) != t and len(_ko_base(t)) == 3:
            name_end = s + 3  # the name with a particle glued on ("황장엽이", "윤석열은")
        else:
            continue
        if t[:3] in KO_TITLES or (len(t) == 3 and t[2] in _KO_NOT_NAME_END):
            continue
        cue = name_end == e and _KO_AFTER_NAME.match(text, e) is not None
        k = i + 1
        # the office right after the name, past a country or city, or past "전" (former) or "현" (current) and up to
        # two words of its body
        former = False
        while not cue and k < n and k <= i + 4 and text[toks[k - 1][2]:toks[k][1]].strip() == "" and name_end == e:
            word = _ko_base(toks[k][0])
            cue = word in KO_TITLES
            former = former or (k == i + 1 and word in ("전", "현"))
            if not (former or k in places):
                break
            k += 1
        if cue:
            out.append(NameSpan(s, name_end, i, i + 1, "person"))
    return out


# Acronyms that name no party to the news: diseases and measures, titles and degrees, clocks, currencies and units,
# page words, the agencies and broadcasters that carry or credit a report (an outlet is no actor of its story), and
# bodies every country has ("МИД", the foreign ministry: whose, the words after it say). Folded (lower case).
NOT_ORG_ACRONYMS = frozenset(
    """
covid aids hiv sars mers dna rna gdp bip pib pil ppp cpi ceo cfo cto coo md phd mba mp mep tv pc pm am ok vip suv
ai ki it ip id sms gps sos usb lgbt lgbtq lgbti ngo ong ngos pme kmu
usd eur gbp jpy cny rmb chf rub inr brl krw utc gmt cet cest mez mesz est edt pst pdt bst cst jst kst msk ist
km kg mw gw kw mph kmh mm cm ft hp cv
live news video videos foto fotos photo update updated breaking urgent eil exclusive
ap afp dpa efe ansa tass ria irna isna kcna wam spa mena sana qna kuna pap anp apa sda kna epd ctk mti upi pti
ians ani aap nhk bbc cnn nbc cbs abc npr pbs ard zdf orf srf rai rtve tve rtp rtl nos kbs mbc sbs cctv cgtn rt trt
ntv dw wsj nyt rfi rtbf bfm lci ndr wdr mdr swr hr br rbb
fc sc ac cf afc gp wm em op ob dc dana fm lka max mvp var aaa et tsi lng png wk ek euro jo sz
watch read more online related
bb tl tva iva mwst vat cac dax ftse icbm eez mf msz msw ag gmbh sa rp vs srl nv bv
jan feb mar apr may jun jul aug sep sept oct nov dec gen mag giu lug ago set ott dic ene abr dez out
dpr lpr usa us uk uae eu un
сми дтп ввп чп жкх тасс риа рф ссср днр лнр фрг мск тв тэц аэс гэс
мид мвд цб вс вмс ввс ук
""".split()
)
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")
_MODEL_NUMBER = re.compile(r"-\d")
_LABEL_END = re.compile(r"\s?[,:(\u2013\u2014-]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _in_capital_run(text: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    """Whether the word before or after token ``i``, joined to it by a space or a hyphen, is in capitals too."""
    for j, gap in ((i - 1, (toks[i - 1][2], toks[i][1]) if i > 0 else None),
                   (i + 1, (toks[i][2], toks[i + 1][1]) if i + 1 < len(toks) else None)):
        if gap is not None and text[gap[0] : gap[1]] in (" ", "-") and toks[j][0].isalpha() and toks[j][0].isupper():
            return True
    return False


def acronym_orgs(text: str, toks: list[tuple[str, int, int]], keys: list[str], consumed: list[bool]) -> list[NameSpan]:
    """Organisations written as an acronym the lexicon does not know ("FEMA", "AFAD", "МЧС", "DWD"): a word of two
    to six capital letters, in Latin, Greek or Cyrillic script, in running text (not in a line set in capitals, a
    headline), that is no roman numeral, none of NOT_ORG_ACRONYMS, and no part of a longer name."""
    out: list[NameSpan] = []
    shouting: dict[int, bool] = {}  # line start -> whether most of its words are in capitals
    for i, (t, s, e) in enumerate(toks):
        if consumed[i] or not 2 <= len(t) <= 6 or not t.isalpha() or not t.isupper():
            continue
        if script_of(t[0]) not in ("latin", "cyrillic", "greek") or _ROMAN_NUMERAL.fullmatch(t):
            continue
        if keys[i] in NOT_ORG_ACRONYMS:
            continue
        if _in_capital_run(text, toks, i):
            continue  # "READ MORE", "LEGGI ANCHE", "ИТАР-ТАСС", "LAC-MÉGANTIC": words set in capitals, not an acronym
        if _MODEL_NUMBER.match(text, e):
            continue  # a model: "AR-15", "ATR-72"
        line = text.rfind("\n", 0, s) + 1
        if not text[line:s].strip() and _LABEL_END.match(text, e):
            continue  # a dateline's or a label's first word: "LONDON, Feb 18", "WATCH: ...", "ROMA, 26 AGO -"
        if (i + 1 < len(toks) and text[e : toks[i + 1][1]] == " " and _is_capword(toks[i + 1][0])
                and keys[i + 1] not in TITLES):
            continue  # part of a longer name: "RAMS Park", "CSKA Moscow"
        if line not in shouting:
            end = text.find("\n", e)
            words = _WORD.findall(text, line, end if end >= 0 else len(text))
            shouting[line] = sum(w.isupper() for w in words) * 2 > len(words) >= 3
        if shouting[line]:
            continue
        out.append(NameSpan(s, e, i, i + 1, "org"))
    return out


# German idioms with "zu" after a name: "brachte Marco Reus zu Fall", "war Macron zu Gast".
_DE_ZU_IDIOMS = frozenset("fall gast ende hause beginn wort tode besuch hilfe lasten gunsten protokoll".split())
# A capitalised word right after a German article or an article fused with a preposition: a noun ("die Anklage",
# "im Feuer"), not before a hyphen ("der Scholz-Regierung" says nothing of "Scholz").
_DE_DETERMINED = re.compile(r"\b(?:[Dd](?:er|ie|as|en|em|es)|[Ee]in(?:e[mnrs]?)?|[Kk]ein(?:e[mnrs]?)?|zu[mr]|im|am|vom"
                            r"|beim|ins)\s+([A-ZÄÖÜ][^\W\d_]+)(?![-\w])")


def german_nouns(text: str) -> set[str]:
    """Folded capitalised words the text writes after an article: German nouns, which German capitalises too."""
    return {fold(m.group(1)) for m in _DE_DETERMINED.finditer(text)}


def trim_german_name(span: NameSpan, toks: list[tuple[str, int, int]], keys: list[str],
                     nouns: set[str]) -> NameSpan | None:
    """A German person span without the capitalised words run into it: nouns the text writes after an article
    before the name ("Regierung von ...") or after its first two words ("Robert Mueller Anklage", "Mark Webber
    Feuer"), an idiom with "zu" ("Marco Reus zu Fall"). (A month, "Anfang Juni", already ends the run of names in
    ``find_unknown_names``.) None when fewer than two words are left of a trimmed one."""
    i, j = span.tok_start, span.tok_end
    while i < j and keys[i] in nouns and keys[i] not in GIVEN:
        i += 1
        while i < j and keys[i] in CONNECTORS:
            i += 1
    for k in range(i + 2, j):
        if ((keys[k] in nouns and keys[k] not in GIVEN)
                or (keys[k] == "zu" and k + 1 < j and keys[k + 1] in _DE_ZU_IDIOMS)):
            j = k
            break
    while j > i and keys[j - 1] in CONNECTORS:
        j -= 1
    if (i, j) == (span.tok_start, span.tok_end):
        return span  # a surname or a given name alone, found as such, stays
    if j - i < 2:
        return None
    return NameSpan(toks[i][1], toks[j - 1][2], i, j, span.kind)
