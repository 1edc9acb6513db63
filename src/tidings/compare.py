"""Compare the outlets of one event: what every account says, what only some say, what each leaves out.

Sentences of all articles are embedded with the multilingual USE, aligned across articles by mutual best
match, and grouped into claims (at most ``max_per_article`` sentences of one article per claim). Articles
that cover several happenings are trimmed to their passages about this event first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tidings.embedding import Embedder, UniversalSentenceEncoder, split_sentences

# Opening and closing quotation marks of Latin, German, French, CJK and other scripts. Single quotes
# (’ ‘) are left out: ’ is also the apostrophe ("Iran’s").
_QUOTE_MARKS = re.compile(r"[\"“”„«»‹›「」『』〝〞＂]")
# Speech verbs and reporting phrases (lowercase stems, matched at a word start).
_SPEECH = {
    "en": r"said|says|say|stated|states|stating|added|adding|told|tells|declared|stressed|emphasi[sz]ed|"
          r"noted|remarked|announced|insisted|warned|pointed out|according to|quoted",
    "de": r"sagte|sagt|erklärte|erklärt|betonte|betont|fügte|hob|hervor|kündigte|meinte|teilte|"
          r"forderte|warnte|zufolge|so der|so die",
    "fr": r"a déclaré|déclare|a dit|dit|a affirmé|affirme|a ajouté|ajoute|a souligné|souligne|selon|"
          r"a annoncé|annonce|a estimé|a indiqué",
    "es": r"dijo|afirmó|declaró|añadió|agregó|señaló|subrayó|aseguró|anunció|según|indicó|explicó",
    "it": r"ha detto|ha dichiarato|ha affermato|ha aggiunto|ha sottolineato|secondo|ha spiegato",
    "pt": r"disse|afirmou|declarou|acrescentou|segundo|sublinhou|anunciou",
    "ru": r"сказал|заявил|заявила|отметил|отметила|добавил|добавила|подчеркнул|подчеркнула|по словам|"
          r"сообщил|сообщила",
    "ar": r"قال|قالت|قائلا|قائلاً|أضاف|أضافت|مضيفا|مضيفاً|أكد|أكدت|مؤكدا|مؤكداً|صرح|أعلن|ذكر|أشار|"
          r"وقال|وأضاف|وأكد|وذكر|وأشار",
    "tr": r"dedi|söyledi|açıkladı|belirtti|ekledi|vurguladı",
    "nl": r"zei|zegt|verklaarde|voegde|benadrukte|aldus|volgens",
    "pl": r"powiedział|powiedziała|stwierdził|dodał|podkreślił|według",
}
_SPEECH_RE = {lang: re.compile(rf"(?<!\w)(?:{verbs})(?!\w)", re.IGNORECASE) for lang, verbs in _SPEECH.items()}
_SPEECH_ANY = re.compile(r"(?<!\w)(?:" + "|".join(_SPEECH.values()) + r")(?!\w)", re.IGNORECASE)
# Third-person subject pronouns: a sentence led by one speaks of the last person named.
_PRONOUN = re.compile(r"^(?:\W*)(?:he|she|er|sie|il|elle|él|ella|lui|lei|ele|ela|он|она|هو|هي|o|hij|zij|on|ona)"
                      r"(?!\w)", re.IGNORECASE)


@dataclass
class Sentence:
    article: str
    language: str
    index: int  # position among the article's kept sentences
    start: int
    end: int
    text: str
    paragraph: int
    vector: np.ndarray | None = None
    kept: bool = True  # False: outside the article's passage about this event
    speaker: str | None = None
    speaker_weight: float = 0.0
    quote: bool = False


@dataclass
class ArticleInput:
    """What the aligner needs of an article (a StoredArticle or a hand-written fixture)."""

    id: str
    text: str
    language: str
    facts: dict | None = None
    duplicate_of: str | None = None


@dataclass
class Claim:
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({s.article for s in self.sentences})


def _min_chars(language: str) -> int:
    return 8 if language in ("zh", "ja", "ko", "zh-TW") else 20


class ClaimAligner:
    """Articles of one event -> claims (groups of sentences, across articles, that say the same thing).

    threshold: least cosine for a mutual best match between sentences of two articles.
    strong: least cosine for a match that need not be mutual (one article splits what another says once).
    max_per_article: most sentences of one article in a claim.
    passage_min: least share of a paragraph's sentences that must align for it to count as on-event.
    window: sentences per passage when an article has no paragraph breaks.
    cache_size: sentence vectors kept between calls (0: none, every sentence is embedded each time).
    linkage: least mean cosine between the sentences (of different articles) of two claims to merge them.
    """

    def __init__(self, threshold: float = 0.5, strong: float = 0.7, max_per_article: int = 2,
                 passage_min: float = 0.34, linkage: float = 0.6, window: int = 3, cache_size: int = 20_000,
                 embedder: Embedder | None = None) -> None:
        self.window = window
        self.cache_size = cache_size
        self._cache: dict[str, np.ndarray] = {}
        self.threshold = threshold
        self.linkage = linkage
        self.strong = strong
        self.max_per_article = max_per_article
        self.passage_min = passage_min
        self.embedder = embedder or UniversalSentenceEncoder()

    # ---- sentences ------------------------------------------------------------------------------
    def sentences(self, article: ArticleInput) -> list[Sentence]:
        text = article.text
        out: list[Sentence] = []
        lang = article.language or "und"
        for start, end in split_sentences(text):
            piece = text[start:end].strip()
            # Too short to be a claim: datelines, bylines, page furniture ("342/").
            if len(piece) < _min_chars(lang) or len(re.findall(r"\w+", piece)) < 4 and lang not in ("zh", "ja"):
                continue
            paragraph = text.count("\n\n", 0, start) if "\n\n" in text else text.count("\n", 0, start)
            out.append(Sentence(article.id, lang, len(out), start, end, piece, paragraph))
        return out

    # ---- alignment ------------------------------------------------------------------------------
    def _edges(self, per_article: list[list[Sentence]]) -> list[tuple[float, Sentence, Sentence]]:
        edges: list[tuple[float, Sentence, Sentence]] = []
        # each article's sentence vectors stacked once (an event of n articles compares n^2/2 pairs)
        stacked = [np.stack([s.vector for s in ss]) if ss else None for ss in per_article]
        for i in range(len(per_article)):
            for j in range(i + 1, len(per_article)):
                a, b = per_article[i], per_article[j]
                if not a or not b:
                    continue
                sim = stacked[i] @ stacked[j].T
                best_b = sim.argmax(axis=1)
                best_a = sim.argmax(axis=0)
                mutual = np.zeros_like(sim, dtype=bool)
                rows = np.arange(len(a))
                mutual[rows, best_b] = best_a[best_b] == rows
                xs, ys = np.nonzero((mutual & (sim >= self.threshold)) | (sim >= self.strong))
                edges.extend((float(sim[x, y]), a[x], b[y]) for x, y in zip(xs, ys, strict=True))
        edges.sort(key=lambda e: -e[0])
        return edges

    def _trim(self, sentences: list[Sentence], aligned: set[int]) -> None:
        """Keep only the contiguous passage about this event.

        A paragraph is on-event when enough of its sentences align with another article; leading and
        trailing paragraphs that are not are dropped (an article opening with other meetings). Without
        paragraph breaks (a flattened scrape), the passage runs from the first to the last aligned
        sentence that opens/closes a window of ``window`` sentences dense enough in aligned ones.
        """
        if not sentences:
            return
        hit = [id(s) in aligned for s in sentences]
        if len({s.paragraph for s in sentences}) == 1:
            w = self.window
            dense = [i for i in range(len(sentences)) if hit[i]
                     and (sum(hit[i:i + w]) / len(hit[i:i + w]) >= self.passage_min
                          or sum(hit[max(0, i - w + 1):i + 1]) / len(hit[max(0, i - w + 1):i + 1]) >= self.passage_min)]
            if dense:
                for i, s in enumerate(sentences):
                    s.kept = dense[0] <= i <= dense[-1]
            return
        by_par: dict[int, list[bool]] = defaultdict(list)
        for s, h in zip(sentences, hit, strict=True):
            by_par[s.paragraph].append(h)
        on = [p for p, hs in sorted(by_par.items()) if sum(hs) / len(hs) >= self.passage_min]
        if on:
            for s in sentences:
                s.kept = on[0] <= s.paragraph <= on[-1]

    def align(self, articles: Sequence[ArticleInput]) -> list[Claim]:
        per_article = [self.sentences(a) for a in articles]
        flat = [s for ss in per_article for s in ss]
        # Vectors are cached by text: asking again (another summary language, the CLI then the web page)
        # re-embeds nothing.
        if self.cache_size <= 0:
            for s, v in zip(flat, self.embedder.encode([s.text for s in flat]), strict=True):
                s.vector = v
        else:
            todo = list(dict.fromkeys(s.text for s in flat if s.text not in self._cache))
            if len(self._cache) + len(todo) > self.cache_size:
                self._cache.clear()
            self._cache.update(zip(todo, self.embedder.encode(todo), strict=True))
            for s in flat:
                s.vector = self._cache[s.text]
        for a, ss in zip(articles, per_article, strict=True):
            _mark_quotes_and_speakers(a, ss)
        edges = self._edges(per_article)
        if len(per_article) > 1:
            aligned = {id(s) for _, x, y in edges for s in (x, y)}
            for ss in per_article:
                self._trim(ss, aligned)
            # Matches to dropped passages do not count.
            edges = [e for e in edges if e[1].kept and e[2].kept]
        return self._group([s for s in flat if s.kept], edges)

    @staticmethod
    def _mean_link(xs: list[Sentence], ys: list[Sentence]) -> float:
        if len(xs) * len(ys) <= _LOOP_PAIRS:
            sims = [float(x.vector @ y.vector) for x in xs for y in ys if x.article != y.article]
            return sum(sims) / len(sims) if sims else 0.0
        # Two large claims (an event of many reports that share their sentences): one product of their matrices.
        other = np.array([x.article for x in xs], dtype=object)[:, None] != np.array([y.article for y in ys],
                                                                                   dtype=object)[None, :]
        n = int(other.sum())
        if not n:
            return 0.0
        sims = (np.stack([x.vector for x in xs]) @ np.stack([y.vector for y in ys]).T).astype(np.float64)
        return float(sims[other].sum() / n)

    def _group(self, sentences: list[Sentence], edges: list[tuple[float, Sentence, Sentence]]) -> list[Claim]:
        # Kruskal-style union, strongest matches first, refusing merges that would put more than
        # max_per_article sentences of one article into a claim (stops chains of loose matches).
        parent = {id(s): id(s) for s in sentences}
        members: dict[int, list[Sentence]] = {id(s): [s] for s in sentences}

        def find(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        refused: set[tuple[int, int, int, int]] = set()  # claims (root, size) found too far apart: unchanged, still
        for _, x, y in edges:
            rx, ry = find(id(x)), find(id(y))
            if rx == ry:
                continue
            key = (rx, len(members[rx]), ry, len(members[ry]))
            if key in refused:
                continue
            counts = Counter(s.article for s in members[rx] + members[ry])
            if max(counts.values()) > self.max_per_article:
                continue
            # Average linkage: one strong pair may not chain two different claims together.
            # Two formed claims need a closer mean (linkage) than a sentence joining a claim (threshold).
            need = self.linkage if min(len(members[rx]), len(members[ry])) > 1 else self.threshold
            if len(members[rx]) + len(members[ry]) > 2 and self._mean_link(members[rx], members[ry]) < need:
                refused.add(key)
                continue
            parent[ry] = rx
            members[rx] = members[rx] + members.pop(ry)
        return [Claim(sorted(ms, key=lambda s: (s.article, s.index))) for ms in members.values()]


# Up to this many sentence pairs, two claims' mean similarity is summed pair by pair (numpy's set-up costs more)
_LOOP_PAIRS = 64


def _mark_quotes_and_speakers(article: ArticleInput, sentences: list[Sentence]) -> None:
    persons = sorted(((m["start"], m["end"], m["name"]) for m in (article.facts or {}).get("who", [])
                      if m.get("kind") == "person" and m.get("start") is not None), key=lambda p: p[0])
    speech = _SPEECH_RE.get(article.language, _SPEECH_ANY)
    last: str | None = None  # the last person named before the current sentence
    for s in sentences:
        verb = speech.search(s.text)
        s.quote = bool(_QUOTE_MARKS.search(s.text)) or verb is not None
        inside = [p for p in persons if s.start <= p[0] < s.end]
        if inside:
            # The person nearest the speech verb, else the first named (usually the subject).
            anchor = s.start + (verb.start() if verb else 0)
            s.speaker, s.speaker_weight = min(inside, key=lambda p: abs(p[0] - anchor))[2], 2.0
        elif last is not None and _PRONOUN.match(s.text):
            s.speaker, s.speaker_weight = last, 1.5
        elif last is not None and s.quote:
            s.speaker, s.speaker_weight = last, 1.0
        before = [p for p in persons if p[0] < s.end]
        if before:
            last = before[-1][2]


def _claim_speaker(claim: Claim) -> str | None:
    votes: Counter[str] = Counter()
    for s in claim.sentences:
        if s.quote and s.speaker:
            votes[s.speaker] += s.speaker_weight
    return votes.most_common(1)[0][0] if votes else None


_DEFAULT: ClaimAligner | None = None


def default_aligner() -> ClaimAligner:
    """One aligner per process, so its sentence vectors are reused across calls."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ClaimAligner()
    return _DEFAULT


def compare_articles(articles: Sequence[ArticleInput], event_id: str = "", language: str | None = None,
                     aligner: ClaimAligner | None = None, summary_size: int = 8) -> dict[str, Any]:
    """The comparison of one event's articles (see :func:`compare_event`)."""
    aligner = aligner or default_aligner()
    # Syndicated copies count once: the original stands for them (a copy whose original is not in
    # the event stands for itself).
    ids_here = {a.id for a in articles}
    originals = [a for a in articles if not a.duplicate_of or a.duplicate_of not in ids_here]
    claims = aligner.align(originals)
    n = len(originals)
    position = {a.id: i for i, a in enumerate(originals)}
    n_sent = Counter(s.article for c in claims for s in c.sentences)

    def order(c: Claim) -> tuple:
        rel = np.mean([s.index / max(n_sent[s.article], 1) for s in c.sentences])
        return (-len(c.articles), float(rel))

    claims.sort(key=order)
    ids = [f"c{i + 1}" for i in range(len(claims))]
    out_claims = []
    for cid, c in zip(ids, claims, strict=True):
        out_claims.append({
            "id": cid,
            "sentences": [{"article": s.article, "language": s.language, "text": s.text}
                          for s in sorted(c.sentences, key=lambda s: (position[s.article], s.index))],
            "articles": sorted(c.articles, key=position.__getitem__),
            "quote": (quote := sum(s.quote for s in c.sentences) * 2 >= len(c.sentences)),
            "speaker": _claim_speaker(c) if quote else None,
        })
    unique: dict[str, list[str]] = {a.id: [] for a in originals}
    omitted: dict[str, list[str]] = {a.id: [] for a in originals}
    if n > 1:
        for cid, c in zip(ids, claims, strict=True):
            carriers = c.articles
            if len(carriers) == 1:
                unique[carriers[0]].append(cid)
            for a in originals:
                # "Most others": more than half of the other articles carry it.
                if a.id not in carriers and len(carriers) * 2 > n - 1:
                    omitted[a.id].append(cid)
    return {"event": event_id, "claims": out_claims, "unique": unique, "omitted": omitted,
            "summary": _summary(originals, claims, ids, language, summary_size)}


def _summary(articles: Sequence[ArticleInput], claims: list[Claim], ids: list[str], language: str | None,
             size: int) -> dict[str, Any]:
    langs = Counter(a.language for a in articles)
    lang = language if language in langs else (langs.most_common(1)[0][0] if langs else language)
    n = len(articles)
    # The claims most articles share, told in the chosen language (extractive: source sentences only).
    shared = [c for c in claims if len(c.articles) * 2 > n or n == 1 or len(c.articles) == n]
    if len(shared) < size:
        shared += [c for c in claims if c not in shared and len(c.articles) > 1][: size - len(shared)]
    picked: list[Sentence] = []
    for c in shared:
        in_lang = [s for s in c.sentences if s.language == lang]
        if in_lang:
            picked.append(in_lang[0])
        if len(picked) >= size:
            break
    # Read in the order of the source article.
    order = {a.id: i for i, a in enumerate(articles)}
    picked.sort(key=lambda s: (order[s.article], s.index))
    return {"language": lang, "sentences": [s.text for s in picked]}


def compare_event(t: Any, event_id: str, language: str | None = None,
                  aligner: ClaimAligner | None = None) -> dict[str, Any]:
    """Claims of an event's articles, which articles carry each, what each article alone reports
    ("unique") or leaves out of what most others report ("omitted"), and an extractive summary in
    ``language`` (or the language most articles use)."""
    event = t.store.event(event_id)
    if event is None:
        raise KeyError(f"no event {event_id!r}")
    stored = t.store.articles(event_id=event.id)
    articles = [ArticleInput(a.id, a.text, a.language or "und", a.facts, a.duplicate_of) for a in stored]
    return compare_articles(articles, event.id, language, aligner)
