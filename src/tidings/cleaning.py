"""Cleaning: strip boilerplate and read title, outlet, dateline and publication date from the text."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tidings.articles import Article, RawDocument
from tidings.facts_dates import STAMP_WORDS
from tidings.registry import register

# Lines that web pages and blogs wrap around an article. Matched case-insensitively against
# whole lines at the head or tail of the text only, so a sentence in the body is never cut.
_BOILERPLATE = re.compile(
    r"^(no comments?:?|post a comment|\d+ comments?:?|leave a (comment|reply)|share (this|on)\b.*|"
    r"read more\b.*|related( articles| posts| stories)?:?|tags?:.*|subscribe\b.*|follow us\b.*|"
    r"all rights reserved.*|©.*|copyright\b.*|advertisement|anzeige|werbung|mehr zum thema.*|"
    r"kommentare?:?|teilen|print|email|newer post|older post|home|إقرأ أيضا.*|اقرأ أيضا.*|شارك.*)$",
    re.IGNORECASE,
)
# Page furniture that is never the story, wherever it sits in a scrape: consent and cookie notices, robot checks,
# newsletter and sign-up prompts, share/follow prompts, paywall and ad-blocker walls, donation appeals, comment
# forms, reuse notices. Each pattern is a speech act of the site to its reader ("we use cookies", "subscribe to our
# newsletter", "I am not a robot") in one of the languages the engine covers, not a topic word: a report *about*
# cookies, robots or newsletters does not match. Text is judged sentence by sentence, and a sentence that only
# mentions such a phrase in passing stays (_cut says which go).
_FURNITURE_PATTERNS: dict[str, list[str]] = {
    "consent": [
        # en
        r"\b(we|this (web)?site|our (web)?site|our partners)\b.{0,40}\b(uses?|set|store|place)s? cookies\b",
        r"\bcookies? (policy|settings|preferences|notice|consent|banner)\b", r"\baccept (all )?cookies\b",
        r"\bby (continuing|clicking|using|browsing)\b.{0,80}\b(you )?(agree|consent|accept)",
        r"\byou (agree|consent) to (the|our) (use of cookies|privacy policy|terms)",
        r"\bto (improve|personali[sz]e) (your|our|the) (experience|(web)?site|content)\b.{0,80}\bcookies\b",
        r"\b(see|read|view) our (privacy (policy|notice|statement)|cookie policy|terms)",
        r"\bwe collect (anonymous|anonymi[sz]ed) (technical )?(information|data)\b",
        r"\bto improve (our|this) (web)?site\b.{0,80}\b(we collect|cookies)",
        r"\bby clicking\b.{0,20}\b(accept|agree)\b",
        # where to read or change the settings, in any of the languages: "more information in our cookie policy"
        r"\b(more information|further information|weitere informationen|plus d'informations|más información|"
        r"maggiori informazioni|więcej informacji|daha fazla bilgi|подробнее)\b.{0,60}\b(cookies?|privacy|"
        r"datenschutz\w*|confidentialité|privacidad|prywatności|gizlilik|çerez\w*|конфиденциальности)",
        r"\b(change|cambiar|ändern|modifier|modificare|zmienić|değiştir\w*|изменить)\b.{0,40}\b(settings|"
        r"configuración|einstellungen|paramètres|impostazioni|ustawienia|ayarlar\w*|настройки)\b.{0,40}\bcookie",
        # de
        r"\b(wir|diese (web)?seite|unsere (web)?seite|diese website|unsere website)\b.{0,60}\b"
        r"(verwende[nt]|setze[nn]|nutze[nt]|einsetze[nt]|setzt)\b.{0,40}\bcookies\b",
        r"\bcookies\b.{0,60}\b(verwenden|setzen|einsetzen|nutzen) wir\b",
        r"\bmit dem einsatz von cookies einverstanden",
        r"\bdurch die (weitere )?nutzung (unserer|dieser) (website|webseite|seite|internetseite|angebote)",
        r"\bum (die funktion )?unsere[rn]? ((web)?seite|website|internetseite) zu verbessern",
        r"\b(ihre )?zustimmung\b.{0,40}\bwiderrufen",
        # a news agency's consent banner in each of its languages (held-out: the shared SemEval sample's Sputnik
        # pages, whose banner made six unrelated Polish and German reports one event)
        r"\bsammeln wir\b.{0,30}\banonymisierte\b",
        r"\bausführliche informationen zu(r datenverarbeitung| den von uns)",
        r"\bdatenverarbeitungsinformationen\b", r"\bindem sie\b.{0,30}\b(akzeptieren|anklicken|zustimmen)",
        r"\bcookies\b.{0,40}\b(personalisierung von inhalten|ausspielung von werbung)",
        r"\bzu analysezwecken gesetzt\b",
        r"\bdatenschutz(erklärung|richtlinien?|hinweise?n?)\b.{0,80}\b(akzeptier|gelesen|einverstanden|finden sie)",
        r"\bakzeptieren und schließen\b",
        # fr
        r"\b(nous|ce site|notre site)\b.{0,40}\butilis\w+ (des |les )?(cookies|traceurs)",
        r"\ben poursuivant (votre )?navigation", r"\baccepte[rz]? (tous )?les cookies", r"\bgestion des cookies",
        r"\bpolitique de confidentialité\b.{0,60}\b(consult|accept)",
        r"\bnous collectons des (données|informations) (techniques )?anonym", r"\ben cliquant sur\b.{0,20}\baccepter\b",
        # es
        r"\b(utilizamos|usamos|este sitio( web)? (utiliza|usa))\b.{0,30}\bcookies",
        r"\bsi (continúa|continúas|sigue|sigues) navegando", r"\bacepta(r|s)? (todas )?(las )?cookies",
        r"\bpolítica de (cookies|privacidad)\b.{0,60}\b(acept|consult)",
        r"\brecopilamos (datos|información) (técnic[ao]s? )?anónim", r"\bal hacer clic en\b.{0,20}\baceptar\b",
        # it
        r"\b(utilizziamo|usiamo|questo sito (utilizza|usa))\b.{0,30}\bcookie", r"\bproseguendo (la )?navigazione",
        r"\baccett[ao] (tutti )?i cookie", r"\binformativa (sulla )?(privacy|cookie)",
        r"\braccogliamo (dati|informazioni) (tecnic[he]+ )?anonim", r"\bcliccando (su|sul)\b.{0,20}\baccett",
        # pl
        r"\bplik(i|ów|ach) cookies?\b.{0,60}\b(używa|korzyst|stosuj|wykorzyst|przechowyw|zgod)",
        r"\b(używamy|stosujemy|wykorzystujemy)\b.{0,30}\bplik(i|ów) cookies?",
        r"\b(wyrażasz|wyrażają państwo|wyrażam) (zgodę|zgode)", r"\bwycofać zgodę\b",
        r"\baby (ulepszyć|poprawić) (swoją )?(witrynę|stronę|serwis)", r"\bzaakceptuj i zamknij\b",
        r"\bzbieramy anonimowe\b", r"\bszczegółowy opis (procesu przetwarzania|technologii)",
        r"\bklikając (na )?przycisk\b", r"\bwycofać (zgodę )?(może|mogą)\b",
        r"\bpolityk\w+ (prywatności|cookies)\b.{0,60}\b(znajd|zapozna|akcept)",
        # tr
        r"\bçerez(ler)?\b.{0,60}\b(kullan|kabul|politika)",
        r"\bkişisel verilerin(iz)? (korunması|işlenmesi)\b.{0,60}\b(aydınlatma|metni|politika)",
        r"\bgizlilik politikası\b.{0,60}\b(kabul|okudum|inceley)",
        r"\banonim (teknik )?bilgi\w* topl", r"\bkabul et ve kapat\b",
        # ru
        r"\b(мы )?использу\w+ (файлы )?(cookie|куки)", r"\b(cookie|куки)\b.{0,60}\b(соглаша|согласие|принять)",
        r"\bсогласие на обработку персональных данных", r"\bпродолжая (использовать|пользоваться|просмотр)",
        r"\bсобираем (анонимн|обезличенн)", r"\bнажимая (на )?кнопку\b.{0,10}\bпринять",
        # ar
        r"ملفات (تعريف )?الارتباط", r"\bالكوكيز\b.{0,40}(نستخدم|يستخدم|توافق|قبول)",
        r"سياسة الخصوصية.{0,60}(توافق|قبول|اطلع)",
        r"باستمرارك في (استخدام|تصفح)",
        # zh
        r"(使用|接受|同意).{0,10}(cookie|cookies|Cookie)", r"(同意|阅读).{0,10}隐私(权)?政策",
    ],
    "robot": [
        r"\b(are you a|i'?m not a|i am not a|not a) robot\b", r"\bcaptcha\b",
        r"\bverify (that )?you('re| are) (a )?human", r"\bunusual traffic from your (computer )?network\b",
        r"\b(please )?(enable|activate|turn on) javascript\b", r"\bjavascript (is )?(disabled|required|deactivated)\b",
        r"\byour browser (does not|doesn't) support\b", r"\bthis video (has )?failed to load\b",
        r"\bsind sie ein roboter\b", r"\bkein roboter\b", r"\b(aktivieren sie|bitte aktivieren)\b.{0,20}\bjavascript\b",
        r"\bje ne suis pas un robot\b", r"\bactive[rz]? (le )?javascript\b",
        r"\bno soy un robot\b", r"\b(habilita|activa|habilite|active)r? (el )?javascript\b",
        r"\bnon sono un robot\b", r"\babilita(re)? javascript\b",
        r"\bnie jestem robotem\b", r"\bwłącz javascript\b", r"\b(twój|pana|pani) adres ip\b",
        r"\brobot değilim\b", r"\bjavascript'?i? (etkinleştir|aktif)",
        r"\bя не робот\b", r"\bвключите javascript\b", r"\bваш ip(-адрес)?\b",
        r"لست (روبوت|برنامج روبوت|إنسانا آليا)", r"(فعّل|تفعيل|قم بتفعيل) (الجافا ?سكريبت|javascript)",
        r"我不是机器人", r"验证码", r"(启用|开启|启动)\s*javascript",
        # "we noticed a great many requests from your IP address": a rate limiter's robot check
        r"\b(requests|traffic|connections|queries) (from|coming from) (your|this) (ip|network|computer)",
        r"\b(anfragen|zugriffe|verbindungen) (von|aus) ihre[mr] (ip|netzwerk)",
        r"\bz adresu ip\b.{0,60}\b(połącze|zapyta)", r"\badresu ip, z którego korzystasz\b",
        r"\b(requêtes|connexions) (depuis|en provenance de) votre (adresse ip|réseau)",
        r"\b(solicitudes|conexiones) (desde|de) (tu|su) (dirección ip|red)", r"\bip adresinizden\b",
        r"\bс вашего ip", r"من عنوان ip الخاص بك",
        r"\b(your|ihre|votre|tu|su|la tua|twój|ваш) ip[- ]?(address|adresse|adres|dirección|indirizzo|адрес)?"
        r"\s*(:|est|ist|es|è|to)",
    ],
    "signup": [
        r"\b(sign|signing) up (for|to)\b.{0,60}\b(newsletters?|email|alerts|updates|inbox)",
        r"\bsubscribe to (our|the)\b.{0,40}\b(newsletters?|channel|podcast|alerts)",
        r"\b(get|receive)\b.{0,40}\bnewsletters?\b.{0,40}\b(delivered|inbox|free)", r"\bnewsletters? delivered\b",
        r"\bthank you for (subscribing|signing up|registering)", r"\b(unsubscribe|opt out) at any time\b",
        r"\bwe'?ll send (you )?breaking news\b", r"\bvisit [\w'’ ]{2,40}'s homepage for more (stories|news)\b",
        r"\btap here to see (other|more) videos\b",
        r"\b(in|to) your inbox\b", r"\benter your e-?mail\b", r"\binvalid e-?mail\b",
        r"\bby (registering|signing up|subscribing)\b.{0,40}\b(agree|accept)",
        r"\bnewsletter (abonnieren|bestellen|anmelden)",
        r"\b(melden sie sich|jetzt)\b.{0,40}\bnewsletter\b.{0,20}\ban\b",
        r"\b(erhalten|bekommen) sie\b.{0,40}\bnewsletter", r"\bjederzeit (wieder )?abbestell",
        r"\binscri(vez|s)-vous\b.{0,40}\b(newsletter|lettre d'information)",
        r"\b(recevez|recevoir)\b.{0,30}\bnewsletter",
        r"\bse désabonner\b", r"\bdésinscri(re|vez)\b",
        r"\b(suscríbete|suscríbase|suscribirte|suscribirse)\b.{0,40}\b(newsletter|boletín|canal)",
        r"\b(recibe|recibir)\b.{0,30}\b(newsletter|boletín)",
        r"\bdarse de baja\b",
        r"\biscriviti\b.{0,30}\bnewsletter", r"\bricevi\b.{0,30}\bnewsletter",
        r"\bzapisz się\b.{0,30}\b(newsletter|biuletyn)", r"\b(zaprenumeruj|subskrybuj)\b.{0,30}\b(newsletter|kanał)",
        r"\b(bültenimize|e-bültenimize|bültene) (abone|kayıt)", r"\babone ol(un|mak için)\b",
        r"\babone olabilir\w*", r"\bşimdiden sonsuz teşekkürler\b",
        r"\bподпишитесь на\b.{0,30}\b(рассылк|новостн|канал)", r"\bотписаться\b",
        r"اشترك(وا)? في (النشرة|نشرتنا|قناتنا)", r"النشرة البريدية",
        r"订阅.{0,10}(新闻通讯|邮件|简报)",
    ],
    "social": [
        r"\b(follow|like) (us|[\w.]+) on (facebook|twitter|instagram|telegram|youtube|tiktok|linkedin|google news|x)\b",
        r"\bfollow\b.{0,60}\bon (facebook|twitter|instagram|telegram|youtube|tiktok|linkedin)\b.{0,60}(and|,)",
        r"\bshare (this|on) (article|story|facebook|twitter|whatsapp)\b", r"\bclick (here )?to share\b",
        r"\bfolgen sie uns\b", r"\bteilen sie (diesen|den) (artikel|beitrag)",
        r"\bauf (facebook|twitter|instagram) folgen\b",
        r"\bsuivez-nous\b", r"\bpartager sur (facebook|twitter|whatsapp)",
        r"\bsíguenos\b", r"\bcompartir en (facebook|twitter|whatsapp)",
        r"\bpuedes seguir\b.{0,60}\ben (facebook|twitter|instagram)",
        r"\bseguici su\b", r"\bcondividi su\b",
        r"\bobserwuj\b.{0,40}\b(na|w) (facebook|twitter|instagram|google news)", r"\budostępnij na\b",
        r"\bkliknij obserwuj\b", r"\bjeśli chcesz (się )?połączyć (się )?z nami\b",
        r"\bbizi\b.{0,20}\btakip edin", r"\b(facebook|twitter|instagram)'?(da|ta|dan)?\b.{0,30}\btakip edin",
        r"\bподписывайтесь на\b.{0,40}\b(telegram|канал|facebook|twitter|vk|вконтакте|дзен)", r"\bподелиться в\b",
        r"تابعو?نا على", r"تابعوا .{0,40}على (فيسبوك|تويتر|تلغرام|يوتيوب|انستغرام)",
        r"شارك(ها)? على (فيسبوك|تويتر|واتساب)",
        r"关注我们", r"分享到",
    ],
    "paywall": [
        r"\b(turn(ing)? off|disable|whitelist|pause) (your |the )?ad[- ]?block", r"\bad[- ]?blocker\b",
        r"\b(to continue reading|continue reading with)\b.{0,40}\b(subscri|log ?in|sign in|account)",
        r"\b(already a|are you a) (print |digital )?subscriber\b", r"\bsubscribers?,? (click|log ?in|sign in)",
        r"\b(this|the) (article|content|story) is (only )?(available|reserved|exclusive) (to|for) "
        r"(subscribers|members)",
        r"\bpurchase a subscription\b", r"\b(for )?unlimited digital access\b", r"\bfor unlimited access\b",
        r"\bsubscribe (now|today)\b",
        r"\badblock(er)?\b.{0,60}\b(deaktivier|ausschalt|ausnahme)",
        r"\b(nur|exklusiv) für (abonnenten|abonnentinnen|abonnent\*innen)",
        r"\b(den )?(vollständigen|ganzen|kompletten) (artikel|beitrag|text) lesen",
        r"\b(jetzt|hier) (weiterlesen|abonnieren)\b",
        r"\bals abonnent\b", r"\babo\b.{0,40}\b(abschließen|verlängert|kündig|testen)",
        r"\bbloqueur de pub", r"\bréservée? aux abonnés\b", r"\bdéjà abonné\b",
        r"\bbloqueador de (anuncios|publicidad)", r"\b(exclusivo|contenido) para suscriptores\b",
        r"\b¿ya eres suscriptor\b",
        r"\briservato agli abbonati\b", r"\bblocco (degli )?annunci\b",
        r"\bwyłącz\b.{0,10}\b(adblock|ublock)", r"\bdodaj wyjątek dla naszej domeny\b",
        r"\btreść (dostępna|zablokowana)\b.{0,30}\b(subskrybent|prenumerator)",
        r"\breklam engelleyici", r"\babonelere özel\b",
        r"\bблокировщик\w* реклам", r"\bдоступ\w* только (для )?подписчик",
        r"مانع الإعلانات", r"(حصري|متاح) للمشتركين",
        r"广告拦截", r"订阅.{0,6}(全文|阅读)",
    ],
    "donate": [
        r"\b(please )?(consider )?(donate|donating|make a donation) to\b",
        r"\bsupport (us|our journalism|independent journalism|local journalism|real journalism)\b",
        r"\bunterstützen sie (uns|unabhängigen journalismus|unsere arbeit)\b", r"\bjetzt spenden\b",
        r"\bsoutenez-nous\b", r"\bfaire un don\b", r"\bfaites un don\b",
        r"\bapóyanos\b", r"\bhaz una donación\b", r"\bhazte (socio|suscriptor)\b",
        r"\bsostienici\b", r"\bfai una donazione\b",
        r"\bwesprzyj (nas|nasz)\b", r"\bprzekaż darowiznę\b",
        r"\bbağış yap", r"\bbize destek ol",
        r"\bподдержите (нас|проект|редакцию)\b",
        r"تبرع(وا)? (للموقع|الآن|لنا)", r"التبرع للموقع", r"ادعمو?نا",
        r"支持我们", r"(捐款|捐助)我们",
    ],
    "comments": [
        r"\brequired fields are marked\b",
        r"\byour e-?mail address will not be published\b",
        r"\bpflichtfelder\b", r"\b(kommentar|kommentare) (schreiben|verfassen|anlegen)", r"\bnetiquette\b",
        r"\bkommentar-profil anlegen\b",
        r"\blaisser un commentaire\b", r"\bdeja (un|tu) comentario\b", r"\blascia un commento\b",
        r"\b(dodaj|napisz) komentarz\b", r"\byorum (yap|yaz)", r"\bоставить комментарий\b", r"أضف تعليق(ا|ك)",
    ],
    "rights": [
        r"\ball rights reserved\b", r"\bmay not be (re)?published, broadcast, rewritten,? or redistributed\b",
        # a syndicated feed's notice and a publisher network's
        r"\b(this|the) (story|article|report) has not been edited by\b", r"\bauto-generated from a syndicated feed\b",
        r"\bist teil des\b.{0,40}\bredaktionsnetzwerks?\b",
        r"\balle rechte vorbehalten\b", r"\btous droits réservés\b", r"\btodos los derechos reservados\b",
        r"\btutti i diritti riservati\b", r"\bwszelkie prawa zastrzeżone\b", r"\btüm hakları saklıdır\b",
        r"\bвсе права защищены\b", r"جميع الحقوق محفوظة", r"版权所有",
        # a syndication network's disclaimer under each article it passes on
        r"\blegal disclaimer\b", r"\bprovides the information \W?as is\W? without\b",
        r"\bwithout warranty of any kind\b", r"\bif you have any complaints or copyright issues\b",
        r"توفير المعلومات \W?كما هي\W? دون", r"إخلاء ل?مسؤولي", r"لأية استفسارات تتعلق باستخدام وإعادة استخدام",
    ],
}



def _anchors(pattern: str) -> tuple[str, ...]:
    """Lower-case strings one of which any match of ``pattern`` must contain; () where none is found.

    Searching ~250 alternatives at every position costs ~13 ms for a 4,000-character article; a plain
    substring test of each pattern's anchors first skips nearly all of them for ~0.5 ms. An anchor is the
    longest literal run among the pattern's top-level items, or a top-level group of literal alternatives.
    """
    try:  # the stdlib's own parse of the pattern: exact, not guessed; private, so it may move
        from re import _constants as c
        from re import _parser as p
    except ImportError:  # a Python without it: no anchor, the rule is always tried (slower, same matches)
        return ()

    def literal(items: list) -> str | None:
        if all(op == c.LITERAL for op, _ in items):
            return "".join(chr(v) for _, v in items).lower()
        return None

    best: tuple[str, ...] = ()
    run: list[str] = []
    options: list[tuple[str, ...]] = []
    for op, av in p.parse(pattern):
        if op == c.LITERAL:
            run.append(chr(av).lower())
            continue
        options.append(("".join(run),))
        run = []
        if op == c.SUBPATTERN and len(av[3]) == 1 and av[3][0][0] == c.BRANCH:
            alts = [literal(list(alt)) for alt in av[3][0][1][1]]
            if all(alts):
                options.append(tuple(alts))  # type: ignore[arg-type]
    options.append(("".join(run),))
    def selective(opt: tuple[str, ...]) -> bool:  # two Chinese characters are a word; two Latin letters not
        return min(map(len, opt)) >= 3 or all(len(a) >= 2 and min(map(ord, a)) >= 0x3000 for a in opt)

    for opt in options:
        if selective(opt) and (not best or min(map(len, opt)) > min(map(len, best))):
            best = opt
    return best


_FURNITURE_RULES = [(kind, re.compile(p, re.IGNORECASE), _anchors(p))
                    for kind, pats in _FURNITURE_PATTERNS.items() for p in pats]


def _anchor_automaton() -> tuple[Any, list[int]]:
    """All distinct anchors in one Aho-Corasick automaton, each with the rules it lets through, and the
    rules without anchors (always tried): one pass over the text instead of a substring test per anchor
    (~260 of them: 80 us a line; the automaton, 14)."""
    import ahocorasick

    by_anchor: dict[str, list[int]] = {}
    unanchored: list[int] = []
    for i, (_, _, anchors) in enumerate(_FURNITURE_RULES):
        if not anchors:
            unanchored.append(i)
        for a in anchors:
            by_anchor.setdefault(a, []).append(i)
    automaton = ahocorasick.Automaton()
    for a, rules in by_anchor.items():
        automaton.add_word(a, tuple(rules))
    automaton.make_automaton()
    return automaton, unanchored


_ANCHORS, _UNANCHORED = _anchor_automaton()


def _lowered(text: str) -> str:
    return text.lower().replace("i\u0307", "i")  # "İ" lowers to i + combining dot


def _furniture_match(unit: str) -> tuple[re.Match[str], str] | None:
    """The leftmost furniture phrase in ``unit`` and its kind, or None."""
    rules = set(_UNANCHORED)
    for _, through in _ANCHORS.iter(_lowered(unit)):
        rules.update(through)
    found: tuple[re.Match[str], str] | None = None
    for i in sorted(rules):
        kind, rx, _ = _FURNITURE_RULES[i]
        m = rx.search(unit)
        if m and (found is None or m.start() < found[0].start()):
            found = (m, kind)
    return found


FURNITURE_MAX_CHARS = 400   # a longer unit is prose that mentions such a thing, not furniture
_SANDWICH_MAX_CHARS = 200   # a short unit between two furniture units of one kind belongs to that notice


def furniture_kind(unit: str) -> str | None:
    """The kind of page furniture a line or sentence is or holds ("consent", "robot", "signup", ...), or None."""
    return _cut(unit)[1]


PROSE_BEFORE_CHARS = 20     # a headline or sentence run into a sign-up box without a full stop is kept
SHORT_UNIT_CHARS = 150      # furniture anywhere in a unit this short makes it furniture


def _cut(unit: str) -> tuple[str, str | None]:
    """The unit without its furniture, and the furniture's kind (None: none found, or the unit is prose).

    Furniture speaks first: a unit whose furniture phrase opens it goes, and so does a short one ("Keep
    supporting journalism by turning off your ad blocker."). Where a scrape ran a headline or a sentence into
    a sign-up box without a full stop, the phrase starts with a capital after some prose ("Floods close
    schools Sign up to our newsletter ..."): the prose before it stays. A long sentence that only mentions
    such a phrase in passing ("its banner, which read 'we use cookies', hid the button") is prose.
    """
    if not unit or len(unit) > FURNITURE_MAX_CHARS:
        return unit, None
    found = _furniture_match(unit)
    if found is None:
        return unit, None
    m, kind = found
    before = unit[:m.start()].rstrip(" -–—|:•·")
    if len(before) < PROSE_BEFORE_CHARS or len(unit) <= SHORT_UNIT_CHARS and m.group(0)[0].islower():
        return "", kind
    if not m.group(0)[0].islower():
        return before, kind
    return unit, None


def _drop_furniture(units: list[str], cutter: Callable[[str], tuple[str, str | None]] = _cut) -> tuple[list[str],
                                                                                                          int]:
    """Units with their furniture cut (empty input units kept in place), and the characters dropped."""
    cuts = [cutter(u) for u in units]
    cut = [c for c, _ in cuts]
    filled = [i for i, u in enumerate(units) if u]
    for before, i, after in zip(filled, filled[1:], filled[2:], strict=False):
        kind = cuts[before][1]
        if (kind is not None and cuts[after][1] == kind and cuts[i][1] is None
                and len(units[i]) <= _SANDWICH_MAX_CHARS):
            cut[i] = ""  # "Sie können auch zu Analysezwecken gesetzt werden." inside a cookie notice
    kept = [c for u, c in zip(units, cut, strict=True) if c or not u]
    return kept, sum(len(u) - len(c) for u, c in zip(units, cut, strict=True))


_GLUED_SENTENCES = re.compile(r"(?<=[a-zäöüßàâçéèêëîïôûùüÿñ][.!?])(?=[A-ZÄÖÜÀÂÇÉÈÊËÎÏÔÛÙÑ][a-zäöüßàâçéèêëîïôûùüÿñ])")


def _cut_line(line: str) -> tuple[str, str | None]:
    """A line without its furniture, judged sentence by sentence; the kind only if all of it was furniture."""
    if not line or _furniture_match(line) is None:
        return line, None
    from tidings.embedding import split_sentences

    # a scrape that lost the breaks between a notice's paragraphs glues their sentences ("Datenschutzerklärung.Details
    # Informationen"): parted here, for judging furniture only (the text's chunks are cut elsewhere)
    sentences = [part for s, e in split_sentences(line) for part in _GLUED_SENTENCES.split(line[s:e])]
    if len(sentences) <= 1:
        return _cut(line)
    kept, _ = _drop_furniture(sentences)
    if not kept:
        return "", next(k for s in sentences if (k := _cut(s)[1]) is not None)
    return " ".join(kept), None


def strip_furniture(lines: list[str]) -> tuple[list[str], int]:
    """Lines without page furniture anywhere in the text, and how many characters were furniture.

    A line is judged sentence by sentence (a scrape flattened to one line holds the story and the sign-up
    box side by side); a short line between two lines of one notice goes with them.
    """
    kept, _ = _drop_furniture(lines, _cut_line)
    return kept, max(sum(map(len, lines)) - sum(map(len, kept)), 0)  # kept sentences were rejoined with one space


def page_lines(text: str) -> list[str]:
    """A page's lines as the cleaner reads them: NFC, runs of spaces, tabs and no-break spaces made one space."""
    raw = unicodedata.normalize("NFC", text)
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.replace("\r", "").split("\n")]


FURNITURE_SCRAPS_CHARS = 300  # what is left of a page that was mostly furniture: scraps of its notices, not a story


_WORD = re.compile(r"\w{4,}")  # a word long enough to be the story's, not a function word


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def headline_over_scraps(text: str, title: str | None, furniture: float) -> str:
    """The text to read a page's story in: its headline where the page was mostly furniture (``furniture``: the share
    of its characters) and cleaning left nothing or only scraps of the notices ("OK / Privacy settings", "Thank
    you!", the words a notice in a script without capitals kept before its cut); else ``text``. Scraps read as the
    story would make every walled page of a site one text (stored once, the others dropped as copies).

    Scraps are short and share no word with the headline; a story's opening under a long notice tells of what its
    headline names ("Switzerland restricts exports ..." / "Switzerland has made exports ...") and stays.
    """
    if (title and furniture > 0.5 and len(text.strip()) < FURNITURE_SCRAPS_CHARS
            and not _words(text) & _words(title)):
        return title
    return text


# A scrape that caught only a site's header: its name, its appeal to the reader ("Donate - support us"), then the
# site describing itself ("X is an independent, reader-funded ..."). A headline is followed by its story; a site's
# name by its appeals. Only the appeals a site puts in its own header count (not consent or robot notices, which
# sit over any page).
_APPEAL_KINDS = frozenset({"donate", "signup", "social", "paywall"})
MASTHEAD_NAME_WORDS = 4    # a site's name ("Al-Hewar al-Mutamaddin", "The Daily Example"), not a headline
MASTHEAD_REST_CHARS = 600  # what follows the appeal: a site's few lines about itself, not an article under its header
MASTHEAD_HEAD_CHARS = 160  # where a line's appeal must start and end: after a name's few words at most


def masthead_site(lines: list[str]) -> str | None:
    """The site's name when the text is only a site's header (its name, an appeal to the reader, lines about the site
    itself), else None.

    All three must hold: the page opens with the name and an appeal ("Site Donate - support us", or the name on a
    line of its own and the appeal on the next); what follows is short and names the site again (a site speaking of
    itself); and it holds no digit (a report names a day, an hour, a count or an amount in its first lines). An
    article printed under such a header is longer, or has figures, and is kept.
    """
    at = [i for i, line in itertools.islice(((i, line) for i, line in enumerate(lines) if line.strip()), 2)]
    if not at:
        return None
    # the appeal comes within a name's few words of the page's start: only that much of a line is searched (a
    # headline or a lead is read for furniture again, whole, by strip_furniture)
    first = lines[at[0]].strip()
    found = _furniture_match(first[:MASTHEAD_HEAD_CHARS])
    if found is not None and found[1] in _APPEAL_KINDS:
        name, appeal = first[:found[0].start()], at[0]
    elif (len(at) > 1 and len(first.split()) <= MASTHEAD_NAME_WORDS
          and (found := _furniture_match(lines[at[1]].strip()[:MASTHEAD_HEAD_CHARS])) is not None
          and found[1] in _APPEAL_KINDS and found[0].start() < PROSE_BEFORE_CHARS):  # a line that is an appeal
        name, appeal = first, at[1]
    else:
        return None
    after = [line.strip() for line in lines[appeal + 1:] if line.strip()]
    rest = "\n".join([lines[appeal].strip()[found[0].end():], *after])
    name = name.strip(" -–—|:•·")
    if (not name or len(name.split()) > MASTHEAD_NAME_WORDS or _SENTENCE_END.search(name)
            or len(rest) > MASTHEAD_REST_CHARS or re.search(r"\d", rest)
            or name.casefold() not in rest.casefold()):
        return None
    return name


# Debris such as a page counter "342/" or a lone bullet: no letters at all.
_DEBRIS = re.compile(r"^[\W\d_]{0,12}$")
_SENTENCE_END = re.compile(r"[.!?؟。！？:;…\"”»]$")
_STAMP_DATE = r"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\w+\.? \d{1,2},? \d{4}|\d{1,2}\.? \w+\.? \d{4})"
_STAMP = re.compile(rf"^\W*{_STAMP_DATE}([\s,-–—|]+\d{{1,2}}[:.]\d{{2}}(\s*(am|pm|utc|gmt|cet|cest))?)?\W*$",
                    re.IGNORECASE)
# "Teheran/Moskau (ParsToday/PressTV) -", "TEHRAN –", "Tehran, Iran –": a short place line, an
# optional agency in brackets, then a dash, at the very start of the body. Wire copy adds the day of filing
# ("WASHINGTON, Dec 5 (Reuters) -", "Milán (Italia), 7 may (EFE).-", "(ANSA) - ROMA, 12 SET -"): that day is when
# the report was written, not when its news happened, so it goes with the dateline rather than into the text.
_CAPITAL = "[A-ZÀ-ÖØ-Þ\u0100-\u017F\u0400-\u042F]"  # Latin (with Latin Extended-A: "İSTANBUL") or Cyrillic
_DATELINE = re.compile(
    r"^(?:\((?P<agency_first>[^()\n]{2,30})\)\s*[–—-]{1,2}\s*)?"
    rf"(?P<place>{_CAPITAL}[\w'’.]*(?:[ ,/]+{_CAPITAL}[\w'’.]*){{0,3}})"
    r"(?:\s*\([^()\n]{2,30}\)(?=,))?"
    r"(?:,\s*(?P<day>\d{1,2}\.?\s+[^\W\d_]{3,10}\.?|[^\W\d_]{3,10}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,60})\))?\s*\.?[–—-]{1,2}\s+"
)
@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Country names in the encoder's languages (babel's CLDR data), case-folded."""
    import babel

    names: set[str] = set()
    for code in STAMP_LANGUAGES:
        names.update(n.casefold() for n in babel.Locale.parse(code).territories.values())
    return frozenset(names)


_ATTRIBUTION = [
    re.compile(r"^Wie (?:die |der |das )?(?P<outlet>[^,]{3,80}?) (?:berichtet|berichtete|meldet|meldete),\s*"),
    re.compile(r"^(?:According to|As reported by) (?:the )?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Selon|D'après) (?:l[ae'] ?)?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Según|De acuerdo con) (?:el |la )?(?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:Как сообщает|По данным|Как передает) (?P<outlet>[^,]{3,80}?),\s*"),
    re.compile(r"^(?:وفقا ل|حسب |بحسب )(?P<outlet>[^،,]{3,60}?)[،,]\s*"),
]


@dataclass
class _Head:
    title: str | None = None
    published: dt.datetime | None = None


# The languages of the default encoder: an article in any other is refused after cleaning anyway, and
# dateparser, left to guess among all its ~200 languages, spends ~6 ms on a line that looks like a date
# stamp (2.4 ms among these).
STAMP_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")


@functools.lru_cache(maxsize=4)
def _stamp_parser(languages: tuple[str, ...]) -> Any:
    """One dateparser per language set, reused: building one per line costs its settings and locale set-up."""
    import dateparser

    return dateparser.DateDataParser(languages=list(languages) or None,
                                     settings={"REQUIRE_PARTS": ["day", "month", "year"]})


# A byline or stamp line of a scraped page: "CBC News · Posted: Jan 08, 2020 4:42 AM ET | Last Updated: ...",
# "Le Monde.fr avec AFP | 14.11.2015 à 06h54 • Mis à jour le ...", "Stand: 08.01.2020 09:21 Uhr": the first part
# that starts with a date, after an optional "posted"/"published" word, is the publication date.
_STAMP_PARTS = re.compile(r"\s[|•·]\s|\s\|\s?")
# the word before a byline's date ("Veröffentlicht am", "publicado el"), with the article some languages put after it
_STAMP_WORD_TAILS = {"veröffentlicht": "am", "aktualisiert": "am", "publié": "le", "mis à jour": "le",
                     "publicado": "el| em", "actualizado": "el", "atualizado": "em", "pubblicato": "il",
                     "aggiornato": "il", "gepubliceerd": "op", "bijgewerkt": "op", "yayınlanma": "tarihi",
                     "güncelleme": "tarihi"}
_STAMP_CUE = re.compile(
    "^(" + "|".join([f"{w}( {_STAMP_WORD_TAILS[w]})?" if w in _STAMP_WORD_TAILS else w for w in STAMP_WORDS]
                    + ["first published", "last updated", "stand", "نشر في"]) + r")\s*:?\s*",
    re.IGNORECASE,
)
_STAMP_START = re.compile(rf"^\W*{_STAMP_DATE}(?!\d)")  # the date a byline part starts with, whatever follows
STAMP_LINE_MAX_CHARS = 160


def _parse_stamp(line: str, languages: tuple[str, ...] = STAMP_LANGUAGES) -> dt.datetime | None:
    if not re.search(r"\d{4}", line):
        return None
    if len(line) <= 60 and _STAMP.match(line):
        return _dotted(line) or _stamp_parser(tuple(languages)).get_date_data(line.replace(" - ", " ")).date_obj
    if len(line) > STAMP_LINE_MAX_CHARS:
        return None
    for part in _STAMP_PARTS.split(line):
        part = _STAMP_CUE.sub("", part.strip())
        m = _STAMP_START.match(part)
        if m:
            return _dotted(m.group(1)) or _stamp_parser(tuple(languages)).get_date_data(m.group(1)).date_obj
    return None


def url_date(url: str | None) -> dt.datetime | None:
    """The day a page's address gives ("/world/2021/08/18/...", "/2021-08-18-putin"), as htmldate reads it: a record
    of a crawl often keeps the address and not the date. Not a day after today."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor

    found = extract_url_date(url, Extractor(False, dt.datetime.now(), dt.datetime(1990, 1, 1), True, "%Y-%m-%d"))
    return dt.datetime.fromisoformat(found) if found else None


_DOTTED_DATE = re.compile(r"\W*(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


def _dotted(text: str) -> dt.datetime | None:
    """08.01.2020 is the 8th of January wherever dates are written with dots (dateparser may read it US-style)."""
    m = _DOTTED_DATE.match(text)
    if not m:
        return None
    try:
        return dt.datetime(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


# Page navigation a scraper carries along with the article, anywhere in the text: what the site shows around the
# story, never the story itself. Judged line by line, and only on short lines that are not sentences, so that a
# paragraph quoting "read more" or a copyright stays.
_NAV_HEADING = re.compile(
    r"^(related( articles| news| stories| posts| content| coverage| topics)?|"
    r"more (on this|from|stories|news|about)\b.*|(most|top) (read|popular|viewed|shared|stories)|"
    r"trending( now| stories)?|recommended( for you)?|you may also like|"
    r"see also|also read|read (also|next)|latest (news|stories|from \w+( \w+)?)|editor'?s picks|"
    r"mehr zu(m| diesem| dem) thema.*|lesen sie auch|auch interessant|meistgelesen|meist gelesen|top-artikel|"
    r"weitere (artikel|meldungen|nachrichten)|das könnte sie (auch )?interessieren|"
    r"(à|a) lire (aussi|également)|lire aussi|sur le même (sujet|thème)|les plus lus|(à )?voir aussi|notre sélection|"
    r"(lea|leer|lee) (también|más)|noticias relacionadas|lo más (leído|visto)|relacionad[oa]s|más información|"
    r"(también )?te puede interesar|(mirá|mira|ver|vea) también|"
    r"leggi anche|potrebbe interessarti|ti potrebbe interessare|articoli correlati|(i )?più (letti|visti)|"
    r"(vedi|guarda) anche|"
    r"leia (também|mais)|(notícias )?relacionadas|(as )?mais (lidas|vistas)|veja também|saiba mais|"
    r"lees ook|meest gelezen|gerelateerd|meer over dit onderwerp|(bekijk|zie) ook|"
    r"czytaj (też|także|również|więcej)|zobacz (też|także|również)|najczęściej czytane|najpopularniejsze|"
    r"więcej na ten temat|przeczytaj (też|także|również)|"
    r"(ayrıca )?(bunlar(ı)? da )?(okuyun|ilginizi çekebilir)|(ilgili|benzer|diğer) haberler|en çok okunan(lar)?|"
    r"читайте (также|еще|ещё)|по теме|самое читаемое|популярное|(смотрите|см\.) также|(материалы|новости) по теме|"
    r"лента новостей|"
    r"(إقرأ|اقرأ) (أيضا|أيضاً|أيضًا|المزيد)|مواضيع (ذات صلة|قد تهمك)|(أخبار|مقالات) ذات صلة|الأكثر (قراءة|مشاهدة)|"
    r"(شاهد|طالع) (أيضا|أيضاً|أيضًا)|"
    r"関連記事|関連ニュース|アクセスランキング|よく読まれている記事|注目コンテンツ|あわせて読みたい|おすすめ記事|"
    r"相关(新闻|阅读|文章|报道|稿件)|延伸阅读|热门(新闻|文章|推荐)?|推荐阅读|"
    r"관련\s?기사|관련\s?뉴스|많이 본 뉴스|인기 기사|"
    r"อ่านข่าวที่เกี่ยวข้อง|ข่าวที่เกี่ยวข้อง|ข่าวยอดนิยม|อ่านเพิ่มเติม|ข่าวที่น่าสนใจ)\W*$",
    re.IGNORECASE,
)
# The same cue with the other story's headline on its line: "Read more: ...", "Lire aussi › ...", "اقرأ أيضا: ..."
_NAV_INLINE = re.compile(
    r"^(read (more|also)|see also|also read|more|related|next in [\w ]{1,30}|lesen sie (auch|mehr)|"
    r"mehr zu(m| diesem| dem) thema|auch interessant|fotostrecke|"
    r"(à )?lire aussi|(à )?voir aussi|(lea|leer|lee) (también|más)|(mirá|mira|ver|vea) también|leggi anche|"
    r"(vedi|guarda) anche|leia (também|mais)|veja também|lees (ook|meer)|(bekijk|zie) ook|czytaj (też|także|"
    r"również|więcej)|zobacz (też|także)|przeczytaj (też|także|również)|(ayrıca )?okuyun|ilgili|diğer haberler|"
    r"читайте (также|еще|ещё)|(смотрите|см\.) также|(إقرأ|اقرأ|شاهد|طالع) (أيضا|أيضاً|أيضًا)|"
    r"関連記事|相关(新闻|阅读)|延伸阅读|관련\s?기사|อ่านเพิ่มเติม|อ่านข่าว(ที่เกี่ยวข้อง)?|"
    # a page's topic tags: "Onderwerpen: Iran · Oekraïne", "Etiketler: Almanya, İtalya"
    r"tags?|topics|related topics|schlagw(ö|o)rter|themen|mots-clés|sujets|etiquetas|temas|tag|argomenti|"
    r"onderwerpen|tagi|tematy|etiketler|anahtar kelimeler|теги|темы|الكلمات (الدالة|المفتاحية)|وسوم|"
    r"タグ|标签|태그|แท็ก)\s*[:：›»>|—–-](\s|$)",
    re.IGNORECASE,
)
# A line that only marks where an advertisement was: "Advertisement", "ANZEIGE", "Publicité", "إعلان"
_AD_MARK = re.compile(
    r"^(advertisement|advertising|sponsored( content)?|paid content|story continues below( advertisement)?|"
    r"anzeige|werbung|publicité|publicidad|publicidade|pubblicità|advertentie|reklama|reklam|реклама|"
    r"إعلان|広告|广告|광고|โฆษณา)\W*$",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(
    "share shares sharing social tweet tweets email e-mail mail print comment comments facebook twitter x whatsapp "
    "telegram linkedin pinterest reddit messenger copy link google + google+ instagram youtube vk flipboard "
    "teilen drucken twittern tweeten weiterleiten kommentare partager imprimer "
    "commenter compartir imprimir comentar comentarios condividi stampa commenta compartilhar comentários delen "
    "printen udostępnij drukuj paylaş yazdır paylas поделиться печать مشاركة طباعة ツイート シェア ブックマーク メール "
    "印刷 保存 分享 微博 微信 打印 공유 카카오톡 페이스북 트위터 인쇄 แชร์".split()
)
_COPYRIGHT = re.compile(
    # "copyright" itself only as a footer says it ("Copyright 2020 NPR", "Copyright © ..."), not in a sentence
    r"(©|\(c\) ?\d{4}|\bcopyright\s*(©\s*)?(\d{4}|by\b)|^copyright\b|"
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los "
    r"derechos reservados|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|wszelkie "
    r"prawa zastrzeżone|tüm hakları saklıdır|все права защищены|جميع الحقوق محفوظة|無断転載|版权所有|版權所有|"
    r"무단\s?전재|재배포\s?금지|สงวนลิขสิทธิ์)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^(image copyright|image caption|caption close|photo credit|enlarge this image|image \d+ (of|von|de|di|van) \d+|"
    r"(foto|photo|bild|bildquelle|picture|image|fotografía|imagen|immagine|zdjęcie|fotoğraf|фото|صورة)\s*\d*\s*"
    r"(:|\d+ (of|von|de|di|van|z) \d+)|写真を拡大する|写真拡大|▲|사진\s*=)",
    re.IGNORECASE,
)
_CRUMB_SPLIT = re.compile(r"\s+[>›»|·/]\s+|\s*[>›»]\s*")
_CRUMB_MARK = re.compile(r"[>›»]")  # a breadcrumb's own arrows; pipes and dots also part a page title
_HOME = re.compile(r"^(home|homepage|startseite|accueil|inicio|portada|home page|pagina iniziale|início|página "
                   r"inicial|strona główna|ana ?sayfa|anasayfa|главная|الرئيسية|トップ|ホーム|首页|首頁|홈|หน้าแรก|"
                   r"news|nachrichten|actualités|noticias|notizie|notícias|nieuws|wiadomości|haberler|новости|"
                   r"أخبار|ニュース|新闻|뉴스|ข่าว)$", re.IGNORECASE)
NAV_MAX_CHARS = 160        # a longer line is prose
_HEADLINE_MAX_CHARS = 140  # the other stories listed after a "Related" or "Most read" heading
_PROSE_END = re.compile(r"[.!?؟。！？]$")


def _is_crumbs(line: str) -> bool:
    parts = [p.strip() for p in _CRUMB_SPLIT.split(line) if p.strip()]
    # no digits: "CBC News · Posted: Jan 08, 2020 | Updated" is the publication stamp, read later
    if len(parts) < 2 or any(len(p) > 40 or _PROSE_END.search(p) or any(c.isdigit() for c in p) for p in parts):
        return False
    # "Home › World › Europe"; not "Headline | Section | Site", a page title the head may read
    return bool(_HOME.match(parts[0])) or (len(parts) >= 3 and bool(_CRUMB_MARK.search(line)))


_PLATFORMS = frozenset("facebook twitter x whatsapp telegram linkedin pinterest reddit messenger google + google+ "
                       "instagram youtube vk flipboard 微博 微信 카카오톡 페이스북 트위터".split())


def _share_run_end(line: str) -> int:
    """Where a share bar run into the line's text ends ("Teilen Teilen Weiterleiten Tweeten Drucken SPD-Chef ..."):
    three share words or more at its start, else 0."""
    pos = count = actions = 0
    for m in re.finditer(r"\S+", line):
        word = m.group().casefold().strip("()[]:|·•,")
        if word not in _SHARE_WORDS:
            break
        pos, count, actions = m.end(), count + 1, actions + (word not in _PLATFORMS)
    # two of its words actions ("share", "print"): "Facebook, Instagram, WhatsApp und Telegram ..." is a sentence
    return pos if count >= 3 and actions >= 2 else 0


def _is_share_bar(line: str) -> bool:
    words = [w for w in re.split(r"[\s|·/•,]+", line.casefold()) if w and not w.isdigit()]
    return bool(words) and all(w.strip("()[]:") in _SHARE_WORDS for w in words)


def page_navigation(line: str) -> str | None:
    """What kind of page navigation a line is ("related", "read-more", "share", "ad", "copyright", "caption",
    "crumbs"), or None."""
    s = line.strip()
    if not s or len(s) > NAV_MAX_CHARS:
        return None
    if _NAV_HEADING.match(s):
        return "related"
    if _NAV_INLINE.match(s) and not _PROSE_END.search(s):
        return "read-more"
    if _is_share_bar(s):
        return "share"
    if _AD_MARK.match(s):
        return "ad"
    if _COPYRIGHT.search(s) and len(s) <= 120:
        return "copyright"
    if _CAPTION.match(s):
        return "caption"
    if _is_crumbs(s):
        return "crumbs"
    return None


def _headline_like(line: str) -> bool:
    return 0 < len(line) <= _HEADLINE_MAX_CHARS and not _PROSE_END.search(line)


def strip_page_navigation(lines: list[str]) -> list[str]:
    """Lines with page navigation blanked: breadcrumbs, share bars, "Read more" lines, "Related" and "Most read"
    blocks (the heading and the other stories' headlines listed under it), copyright and photo-credit lines."""
    out = list(lines)
    i = 0
    while i < len(out):
        if run := _share_run_end(out[i]):
            out[i] = out[i][run:].lstrip()
        kind = page_navigation(out[i])
        if kind is None:
            i += 1
            continue
        out[i] = ""
        i += 1
        if kind == "related":  # the headlines listed under it, up to the next sentence of prose
            listed = 0
            while i < len(out) and listed < 10 and (not out[i] or _headline_like(out[i])):
                listed += bool(out[i])
                out[i] = ""
                i += 1
    return out


# ---- press releases: the contact block and the wire's credit at their end ----
# Press releases (police stations, parties, companies, NGOs) reach news feeds through wires (news aktuell's ots,
# APA-OTS, PR Newswire, Business Wire) and end in the issuer's contact block and the wire's credit. Two releases of
# one issuer share that tail word for word, phone numbers included: left in, it made two different police reports
# of one station one happening (of 43 wire releases in the shared SemEval sample, 10 such pairs were joined).
# Contact cues open the block; each speaks to the press ("press contact", "queries to"), not about a topic.
_CONTACT_CUE = re.compile(
    r"(?:(?<=\s)|^)(?:"
    r"rückfragen(?: bitte an| (?:&|und) kontakt| an)?\s*:|rückfragehinweis\s*:|für rückfragen\s*:|bitte an\s*:|"
    r"(?:presse|medien|pressestelle)kontakte?\s*:|kontakt für (?:die )?(?:presse|medien)\b|pressekontakt\b|"
    r"(?:media|press|investor|news media) (?:contacts?|inquiries|enquiries|relations)\s*:|"
    r"for (?:further|more|additional) information,? (?:please )?contact\b|"
    r"contacts? (?:presse|médias?)\b|pour (?:plus|toute) d'informations?,? (?:veuillez )?contacter\b|"
    r"contactos? (?:de prensa|para (?:los )?medios|de medios)\b|para más información,? (?:contact|diríjase)|"
    r"contatti? (?:stampa|per la stampa)\b|ufficio stampa\s*:|"
    r"kontakt dla (?:mediów|prasy)\b|biuro prasowe\s*:|perscontact\b|noot voor de redactie\b|"
    r"basın (?:iletişim|irtibat|bilgi)\w*\b|контакты для (?:сми|прессы)\b|"
    r"contatos? (?:para a )?imprensa\b|assessoria de imprensa\s*:"
    r")",
    re.IGNORECASE,
)
# The wire's credit: the block's last line wherever a contact cue was cut off by the scrape.
_WIRE_CREDIT = re.compile(
    r"original-(?:content|inhalt) von\s*:|übermittelt durch news aktuell|weiteres material\s*:|ots-originaltext|"
    r"\*{3} ?ots|view (?:original content|source version)\b|(?-i:(?<![\w/])SOURCE [A-Z][\w&.,' -]{1,60}$)",
    re.IGNORECASE | re.MULTILINE,
)
_WIRE_SOURCE = re.compile(r"original-(?:content|inhalt) von\s*:\s*(?P<source>[^,\n]{2,80}?)\s*,\s*übermittelt",
                          re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+ ?(?:@|\(at\)|\[at\]) ?[\w-]+(?:\.[\w-]+)+")
# a web address, or a bare domain of the countries and kinds a release's block gives ("polizei.nrw.de")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:de|at|ch|com|org|net|eu|info|gov|uk)\b(?:/\S*)?",
                  re.IGNORECASE)
# A phone number: international ("+49 40 4286-56213"), after a phone word ("Telefon: 0711 8990-3333"), or a
# national number with its area code set apart ("0711 8990-3333", "030/2345678"): never a toll or a score.
PHONE = re.compile(
    r"(?:\+|\b00)\d{1,3}[\s./-]?(?:\(\d{1,5}\)[\s./-]?)?\d[\d\s./-]{5,}\d|"
    # North American "313-596-5940", "(313) 596-5940", "1-800-SPEAK-UP" (every Detroit police report ends in the
    # department's number: its 313 and 596 made four Detroit happenings share numbers), French "01 23 45 67 89"
    r"(?:\b1[-. ]?)?(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b|\b1[-. ]8\d\d[-. ][A-Z0-9][A-Z0-9-]{3,}|"
    r"(?<![\d.,])0\d(?:[ .]\d{2}){4}(?![\d.,]\d)|"
    r"\b(?:tel(?:efon|éfono|efone|éphone|\.)?|phone|fax|mobil\w*|handy|hotline|rufnummer)\s?[.:]?\s*"
    r"\(?\d[\d\s()/.-]{4,}\d|"
    r"(?<![\d.,])0\d{2,5}(?:[ /-]\d{2,}){1,3}(?![\d.,]\d)",
    re.IGNORECASE,
)
# a word every contact cue and wire credit holds, lower-cased
_RELEASE_KEYS = ("rückfrage", "bitte an", "kontakt", "contact", "contatt", "ufficio stampa", "biuro prasowe",
                 "perscontact", "noot voor de redactie", "basın", "контакты для", "imprensa", "original-",
                 "news aktuell", "weiteres material", "ots-originaltext", "*** ots", "***ots", "view original",
                 "view source")
RELEASE_TAIL_CHARS = 1500    # where a release's contact block can start: its last characters
_CHAIN_GAP_CHARS = 24        # a scrap between two details ("-kreis.polizei.nrw") still joins them; a sentence does not
_LABELS = r"(?:e-?mail|mail|telefon|tel\.?|phone|fax|mobil|internet|web|weitere informationen|more information)"
_CONTACT_LABEL = re.compile(rf"\b{_LABELS}\s*:?", re.IGNORECASE)
_TRAILING_LABEL = re.compile(rf"\b{_LABELS}\s*:?\s*$", re.IGNORECASE)
_BLOCK_PUNCTUATION = " -–—|:•·,;/\n"
_ABOUT_ISSUER = re.compile(
    r"^(?:about|über|à propos de|acerca de|sobre|informazioni su|o firmie|hakkında) [^\n.]{2,60}:?$",
    re.IGNORECASE | re.MULTILINE)
_ABOUT_MAX_CHARS = 800


# Cheap tests of whether each pattern can match at all: most texts hold no contact detail, and the patterns, tried
# at every position, cost more than the rest of the text's numbers (0.26 ms against 0.11 for 2,000 characters).
_EMAIL_MARK = re.compile(r"@|\(at\)|\[at\]")
_URL_MARK = re.compile(r"://|www\.|\.(?:de|at|ch|com|org|net|eu|info|gov|uk)\b")  # addresses are lower case
_PHONE_MARK = re.compile(r"\d[\d ()/.-]{5,}\d")
_DETAILS = ((_EMAIL_MARK, _EMAIL), (_URL_MARK, _URL), (_PHONE_MARK, PHONE))


def _contact_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    spans = [m.span() for mark, pattern in _DETAILS if mark.search(text, start) for m in pattern.finditer(text, start)]
    return sorted(spans)


def strip_contact_details(text: str) -> str:
    """The text with its phone numbers, e-mail and web addresses blanked (what ``text_numbers`` leaves out: a
    hotline is no toll, an article's address no count)."""
    for mark, pattern in _DETAILS:
        if mark.search(text):
            text = pattern.sub(" ", text)
    return text


def strip_release_footer(text: str) -> tuple[str, str | None, int]:
    """A press release without its contact block and wire credit: (text, the issuer the credit names, characters
    cut). The block is cut only where it is one: a contact cue in the text's tail followed by contact details (a
    phone number, an e-mail or web address) or a wire credit, else a wire credit; with the details and their
    labels ("Telefon:", "E-Mail:") that run into it, where a scrape lost the cue."""
    start = max(0, len(text) - RELEASE_TAIL_CHARS)
    tail = text[start:].casefold()
    if not any(key in tail for key in _RELEASE_KEYS) and "SOURCE " not in text[start:]:
        return text, None, 0  # most texts: no cue or credit can match (the patterns cost 0.1 ms a text)
    source_match = _WIRE_SOURCE.search(text, start)
    source = source_match.group("source").strip() if source_match else None
    details = _contact_spans(text, start)
    credits = [m.start() for m in _WIRE_CREDIT.finditer(text, start)]
    cut = None
    for cue in _CONTACT_CUE.finditer(text, start):
        if any(s >= cue.end() for s, _ in details) or any(c >= cue.start() for c in credits):
            cut = cue.start()
            break
    if cut is None and credits:
        cut = credits[0]
    if cut is None:
        return text, source, 0
    for s, e in reversed([d for d in details if d[1] <= cut]):
        # only details that touch the block: a witness hotline in the story's last sentence stays
        gap = _CONTACT_LABEL.sub("", text[e:cut]).strip(_BLOCK_PUNCTUATION)
        if len(gap) > _CHAIN_GAP_CHARS or _PROSE_END.search(gap) or ". " in gap:
            break
        cut = s
    # the issuer's standard paragraph just before the block ("About Northwind Robotics" and one paragraph)
    about = next(_ABOUT_ISSUER.finditer(text, max(start, cut - _ABOUT_MAX_CHARS), cut), None)
    if about is not None and text.count("\n", about.end(), cut) <= 2:
        cut = about.start()
    kept = _TRAILING_LABEL.sub("", text[:cut]).rstrip(_BLOCK_PUNCTUATION)
    return kept, source, len(text) - len(kept)


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate and debris lines from the head and the tail of the text."""
    def junk(line: str) -> bool:
        s = line.strip()
        return not s or bool(_BOILERPLATE.match(s)) or bool(_DEBRIS.match(s))

    start, end = 0, len(lines)
    while start < end and junk(lines[start]):
        start += 1
    while end > start and junk(lines[end - 1]):
        end -= 1
    return lines[start:end]


HEADLINE_MIN_CHARS = 20      # a repeated opening shorter than this is no headline ("In Berlin ... In Berlin")
HEADLINE_MAX_CHARS = 200
HEADLINE_GAP_CHARS = 60      # what may stand between a page's title and its headline: a stamp, "Video", a section
HEADLINE_GAP_WORDS = 3


def split_repeated_headline(lines: list[str]) -> list[str]:
    """A scrape that ran the page's title and its headline into the text's first line ("Tear gas fired in Hong Kong
    Tear gas fired in Hong Kong A woman is detained ...", a twelfth of the shared SemEval sample's pages): the first
    copy becomes a line of its own, and what stood between the two (a date stamp, "Video") another, so that the head
    reads a title and a stamp there as on any page. The first line said twice, on lines of their own, is said once."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return lines
    line = lines[first]
    second = next((i for i in range(first + 1, len(lines)) if lines[i]), None)
    if second is not None and lines[second] == line and len(line) <= HEADLINE_MAX_CHARS:
        return lines[:second] + lines[second + 1:]
    words = line.split(" ")
    if len(words) < 8:
        return lines
    opening = " ".join(words[:4])
    again = line.find(" " + opening, len(opening), HEADLINE_MAX_CHARS + HEADLINE_GAP_CHARS + len(opening))
    if again < 0:
        return lines
    rest = line[again + 1:]
    same = next((i for i, (x, y) in enumerate(zip(line[:again], rest, strict=False)) if x != y),
                min(again, len(rest)))  # the longest common start of the line and its second copy
    if same < again:
        same = line.rfind(" ", 0, same + 1)  # in whole words
    headline, gap = line[:same].strip(), line[same:again].strip()
    # between the two copies a stamp or a word or three ("Video"), not the rest of a headline the second copy words
    # otherwise (a machine translation's two renderings of one title)
    if (len(headline) < HEADLINE_MIN_CHARS or len(gap) > HEADLINE_GAP_CHARS
            or len(gap.split()) > HEADLINE_GAP_WORDS and not _STAMP_START.match(gap)):
        return lines
    return lines[:first] + [headline] + ([gap] if gap else []) + [rest] + lines[first + 1:]


@register("cleaner", "rules")
class RuleCleaner:
    """RawDocument -> Article: boilerplate removed, head metadata read, body normalised."""

    def __init__(self, max_title_chars: int = 160, stamp_languages: list[str] | tuple[str, ...] = STAMP_LANGUAGES
                 ) -> None:
        """``stamp_languages``: the languages a publication stamp line is read in (empty: any dateparser knows)."""
        self.max_title_chars = max_title_chars
        self.stamp_languages = tuple(stamp_languages)

    def __call__(self, doc: RawDocument) -> Article:
        return self.clean(doc)[0]

    def clean(self, doc: RawDocument) -> tuple[Article, float]:
        """The article, and the share of the text's characters that were page furniture (0..1).

        A share near 1 says the scrape is not a story at all (a consent wall, a robot check, a sign-up
        page): what is left of it, often only the headline, is all there is to compare.
        """
        # NFC: one text typed on another system (decomposed "Pra\u0308sident") is the same text, for the duplicate
        # check, the word shingles of syndication and every pattern that reads letters.
        lines = page_lines(doc.text)
        total = sum(map(len, lines))
        given = unicodedata.normalize("NFC", doc.title) if doc.title else None
        site = masthead_site(lines)
        if site is not None:  # only the site's header: its first line is the site's name, no headline
            return Article(id=doc.id, text=headline_over_scraps("", given, 1.0), source=doc.source, title=given,
                           url=doc.url, outlet=doc.outlet or site,
                           published=doc.published.date() if doc.published else None, language=doc.language), 1.0
        lines, furniture = strip_furniture(lines)
        lines = strip_page_navigation(lines)
        lines = strip_boilerplate(lines)
        if not doc.title:
            lines = split_repeated_headline(lines)
        head = self._read_head(lines, doc)
        body_lines = [line for line in lines if line]
        text = "\n".join(body_lines)
        text, issuer, release_chars = strip_release_footer(text)
        furniture += release_chars
        dateline, dateline_day, outlet, text = self._read_lead(text)
        published = doc.published or head.published or url_date(doc.url)
        title = given or head.title
        share = furniture / total if total else 0.0
        article = Article(
            id=doc.id,
            text=headline_over_scraps(text, title, share),
            source=doc.source,
            title=title,
            url=doc.url,
            outlet=doc.outlet or issuer or outlet,  # the issuer a wire credit names, not the wire ("ots")
            dateline=dateline,
            dateline_day=dateline_day,
            published=published.date() if published else None,
            language=doc.language,
        )
        return article, share

    def _read_head(self, lines: list[str], doc: RawDocument) -> _Head:
        """A title line and a publication stamp among the first lines; removed from ``lines``."""
        head = _Head()
        nonempty = [i for i, line in enumerate(lines) if line][:4]
        remove: list[int] = []
        for pos, i in enumerate(nonempty):
            line = lines[i]
            stamp = _parse_stamp(line, self.stamp_languages)
            if stamp is not None:
                head.published = head.published or stamp
                remove.append(i)
                continue
            # A title is a short first line without closing punctuation, followed by more text.
            if (pos == 0 and not doc.title and len(line) <= self.max_title_chars
                    and not _SENTENCE_END.search(line) and len(nonempty) > 1):
                head.title = line
                remove.append(i)
        for i in reversed(remove):
            lines[i] = ""
        return head

    def _read_lead(self, text: str) -> tuple[str | None, str | None, str | None, str]:
        """Dateline (its place, and its day of filing as written: "March 10"), and source attribution at the start
        of the body, cut from it."""
        dateline = day = outlet = None
        m = _DATELINE.match(text)
        if m and len(m.group("place")) <= 60:
            dateline = m.group("place").strip(" ,")
            day = m.group("day")
            outlet = m.group("agency") or m.group("agency_first")
            if outlet and outlet.strip().casefold() in _country_names():
                outlet = None  # "LUSAIL (Qatar) -": the place's country, not an agency
            text = text[m.end():]
        for pattern in _ATTRIBUTION:
            m = pattern.match(text)
            if m:
                outlet = outlet or m.group("outlet").strip()
                rest = text[m.end():]
                text = rest[:1].upper() + rest[1:]
                break
        return dateline, day, outlet, text
