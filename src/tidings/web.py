"""The REST API (``/api/...``) and the web pages (``/``, ``/events/{id}``, ``/storylines``...) over one store.

``create_app(db)`` builds a FastAPI app around one shared :class:`tidings.api.Tidings`. Every request
queries the store anew, so articles posted (or ingested by another process) show without a restart;
the embedding model loads only on the first write or comparison. Run it with ``tidings serve``.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import importlib.util
import logging
import os
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.api import Tidings, day_bound
from tidings.articles import shorten

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "ps", "yi", "dv", "ku", "sd", "ug"}
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "it": "Italian",
    "pl": "Polish", "ru": "Russian", "tr": "Turkish", "zh": "Chinese", "fa": "Persian", "he": "Hebrew",
    "ur": "Urdu", "uk": "Ukrainian", "pt": "Portuguese", "nl": "Dutch", "ja": "Japanese", "ko": "Korean",
}
MAX_TEXT = 1_000_000     # characters per posted article: bigger bodies are almost certainly mistakes
MAX_BATCH = 200          # articles per POST: keeps one request from holding the write lock for minutes
SHORT = 200              # length limit of filter and metadata strings
PER_PAGE = 30            # events or storylines on one web page

# Query parameter types shared by the API and the pages.
Text = Annotated[str | None, Query(max_length=SHORT)]
Day = Annotated[str | None, Query(max_length=SHORT, description="A day (YYYY-MM-DD), or a month (YYYY-MM) or a year "
                                                                  "(YYYY): from its first day as 'since', to its last "
                                                                  "as 'until'.")]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
# Module level because FastAPI resolves the (string) annotations in the module's namespace.
_bearer = HTTPBearer(auto_error=False, description="The server's TIDINGS_TOKEN.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route and its dependencies take."""
    names = {q.alias for q in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class ApiRoute(APIRoute):
    """A route that, under ``/api``, refuses query parameters it does not take: ``?query=`` for ``?q=``, or
    ``?lang=`` for ``?language=``, would otherwise be ignored and answer as if unfiltered. The pages stay lenient
    (a browser or a shared link adds its own parameters)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.path.startswith("/api/"):
            return handler
        known = _query_names(self.dependant)

        async def strict(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                takes = ", ".join(sorted(known)) if known else "no query parameters"
                raise HTTPException(400, f"unknown query parameter{'s' if len(unknown) > 1 else ''} "
                                         f"{', '.join(repr(u) for u in unknown)}; {self.path} takes: {takes}")
            return await handler(request)

        return strict


# ---- request and response bodies ------------------------------------------------------------------
class ArticleIn(BaseModel):
    """One article to ingest; the same fields as a JSON-lines input file."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = Field(None, max_length=SHORT, description="Your id; default: a hash of the text.")
    text: str = Field(..., max_length=MAX_TEXT, description="The article's text (plain or HTML).")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=SHORT)
    published: str | None = Field(None, max_length=100, description="Publication date or time, ISO 8601 preferred.")
    language: str | None = Field(None, max_length=20, description="ISO 639-1 code; detected when left out.")


class SimilarityIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text1: str = Field(..., min_length=1, max_length=MAX_TEXT)
    text2: str = Field(..., min_length=1, max_length=MAX_TEXT)
    lang1: str | None = Field(None, max_length=20)
    lang2: str | None = Field(None, max_length=20)
    title1: str | None = Field(None, max_length=2000)
    title2: str | None = Field(None, max_length=2000)
    published1: str | None = Field(None, max_length=100)
    published2: str | None = Field(None, max_length=100)


class ErrorOut(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
    413: {"model": ErrorOut}, 501: {"model": ErrorOut}, 503: {"model": ErrorOut},
}


# ---- helpers ------------------------------------------------------------------------------------
def _optional(module: str, attr: str) -> Any | None:
    """A function of a module another part of the project may not have yet (compare, similarity)."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
        return getattr(importlib.import_module(module), attr, None)
    except Exception:  # a half-written module must not take the server down
        log.warning("could not import %s", module, exc_info=True)
        return None


def text_direction(language: str | None) -> str:
    return "rtl" if (language or "")[:2] in RTL_LANGUAGES else "ltr"


def group_claims(comparison: dict[str, Any], n_articles: int) -> dict[str, list[dict[str, Any]]]:
    """Claims carried by all the event's articles, by some, by one (the view readers ask for)."""
    groups: dict[str, list[dict[str, Any]]] = {"all": [], "some": [], "one": []}
    for claim in comparison.get("claims", []):
        n = len(set(claim.get("articles") or []))
        key = "all" if n >= n_articles > 1 else "one" if n <= 1 else "some"
        groups[key].append(claim)
    return groups


def timeline_svg(items: list[dict[str, Any]], width: int = 900) -> Markup:
    """The storyline's events on a time axis as inline SVG: one dot per event, size by article count.

    Undated events are drawn in a separate band at the right, so they are visible but not misplaced.
    """
    dated = [i for i in items if i.get("date")]
    undated = [i for i in items if not i.get("date")]
    left, right, top = 40, 30, 30
    undated_w = 140 if undated else 0
    axis_w = width - left - right - undated_w
    rows = max(len(items), 1)
    height = top + rows * 28 + 40
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Timeline of {len(items)} events" xmlns="http://www.w3.org/2000/svg">']
    days = [dt.date.fromisoformat(i["date"][:10]) for i in dated]
    lo, hi = (min(days), max(days)) if days else (None, None)
    span = max((hi - lo).days, 1) if lo and hi else 1
    axis_y = height - 28
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + axis_w}" y2="{axis_y}" class="axis"/>')
    if lo and hi and lo == hi:  # one date: its dot sits mid-axis, and so does its label
        parts.append(f'<text x="{left + axis_w / 2}" y="{axis_y + 18}" class="tick" text-anchor="middle">'
                     f'{lo.isoformat()}</text>')
    elif lo and hi:
        parts.append(f'<text x="{left}" y="{axis_y + 18}" class="tick">{lo.isoformat()}</text>')
        if hi != lo:
            parts.append(f'<text x="{left + axis_w}" y="{axis_y + 18}" class="tick" text-anchor="end">'
                         f'{hi.isoformat()}</text>')
    if undated:
        ux = left + axis_w + 20
        parts.append(f'<text x="{ux + undated_w / 2 - 10}" y="{axis_y + 18}" class="tick" '
                     f'text-anchor="middle">undated</text>')
    ordered = sorted(dated, key=lambda i: i["date"]) + undated
    for row, item in enumerate(ordered):
        if item.get("date"):
            d = dt.date.fromisoformat(item["date"][:10])
            x = left + (axis_w * (d - lo).days / span if hi != lo else axis_w / 2)
        else:
            x = left + axis_w + 20 + undated_w / 2 - 10
        y = top + row * 28
        r = 5 + min(int(item.get("articles") or 1), 10)
        full = item.get("title") or item["event"]
        title = html.escape(shorten(full, 60))
        href = f"/events/{html.escape(item['event'])}"
        anchor = "end" if x > width * 0.6 else "start"
        tx = x - r - 6 if anchor == "end" else x + r + 6
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{axis_y}" class="stem"/>')
        parts.append(f'<a href="{href}"><circle cx="{x:.1f}" cy="{y}" r="{r}" class="dot">'
                     f'<title>{html.escape(item.get("date") or "undated")}: {title}</title></circle>'
                     f'<text x="{tx:.1f}" y="{y + 4}" class="label" text-anchor="{anchor}">{title}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _form_date(value: str | None, name: str) -> dt.date | None:
    try:  # a month or a year in the search form means all of it
        return day_bound(value, end=name == "until", name=name)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def _pages(total: int) -> int:
    """Web pages of ``PER_PAGE`` needed for ``total`` items (one, even when empty)."""
    return max(1, -(-total // PER_PAGE))


def _with_page(params: Any, page: int) -> str:
    """The current query string with another page number (the pager's links keep the filters)."""
    from urllib.parse import urlencode

    items = [(k, v) for k, v in params.multi_items() if k != "page"]
    return urlencode([*items, ("page", str(page))])


class _Cache:
    """A small LRU for comparisons: they take seconds, and an event changes only when articles join."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.data: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)


# ---- the app ------------------------------------------------------------------------------------
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def events_feed(events: list[dict[str, Any]], base: str, self_url: str, filters: list[tuple[str, str]]) -> bytes:
    """An Atom document of ``events`` (``event_dict``s) served at ``self_url``; ``base``: the site's address, for
    the events' pages; ``filters``: what chose them, for the feed's title and its page on the site."""
    from feedgen.feed import FeedGenerator

    def xml(text: str) -> str:  # characters XML 1.0 has no place for (a stored text may hold a stray control)
        return _NOT_XML.sub("", text)

    def when(value: str | None) -> dt.datetime:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC) if value else dt.datetime(1970, 1, 1,
                                                                                                 tzinfo=dt.UTC)

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(xml("tidings: events" + (" (" + ", ".join(f"{k} {v}" for k, v in filters) + ")" if filters else "")))
    feed.link(href=self_url, rel="self")
    feed.link(href=f"{base}/" + (f"?{urlencode(filters)}" if filters else ""), rel="alternate")
    feed.generator("tidings")
    feed.updated(max((when(e.get("updated")) for e in events), default=when(None)))
    for e in reversed(events):  # feedgen puts each new entry first: added last to first, they read latest first
        entry = feed.add_entry()
        page = f"{base}/events/{quote(e['id'], safe='')}"
        entry.id(page)
        entry.title(xml(e.get("title") or e["id"]))
        entry.link(href=page, rel="alternate")
        entry.updated(when(e.get("updated")))
        if e.get("created"):
            entry.published(when(e["created"]))
        people = ", ".join(w["name"] for w in e.get("who", [])[:5])
        places = ", ".join(w["name"] for w in e.get("where", [])[:3])
        entry.summary(xml(" · ".join(part for part in (
            e.get("date") or (f"~{e['last_date']}" if e.get("last_date") else "date unknown"),
            f"{e['size']} article{'' if e['size'] == 1 else 's'} in {', '.join(e.get('languages') or []) or '?'}",
            ", ".join(e.get("outlets") or []), f"who: {people}" if people else "",
            f"where: {places}" if places else "") if part)))
        for language in e.get("languages") or []:
            entry.category(term=xml(f"language:{language}"))
    return feed.atom_str(pretty=True)


def create_app(db: str | None = None, token: str | None = None, tidings: Tidings | None = None) -> FastAPI:
    """The web app over the store ``db`` (default: settings / ``./tidings.db``).

    Writes (POST /api/articles) need ``Authorization: Bearer <token>``, the token coming from ``token``
    or the environment variable TIDINGS_TOKEN; with neither, writes are refused. Reads are open.
    """
    t = tidings or Tidings(db)
    token = token if token is not None else (os.environ.get("TIDINGS_TOKEN") or None)
    write_lock = threading.Lock()  # the pipeline and its in-memory index are not thread-safe
    comparisons = _Cache()
    compare_event = _optional("tidings.compare", "compare_event")
    compare_texts = _optional("tidings.similarity", "compare_texts")

    app = FastAPI(
        title="tidings", version="0.1.0",
        description="Multilingual news events: articles in any language grouped into events and storylines. "
                    "Reads are open; POST /api/articles needs `Authorization: Bearer <TIDINGS_TOKEN>`.",
    )
    app.router.route_class = ApiRoute  # before any route is added
    app.state.tidings = t
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(dir_of=text_direction, language_name=lambda c: LANGUAGE_NAMES.get(c or "", c))
    templates.env.filters["replace_page"] = _with_page
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors: always JSON under /api, a page elsewhere; bad input is 4xx, never 500 --
    def _is_api(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path == "/openapi.json"

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        message = "invalid request: " + "; ".join(problems[:10])
        if not _is_api(request):
            return _page_error(request, 400, message)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        return JSONResponse({"detail": message, "errors": errors[:50]}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_api(request) and exc.status_code in (404, 400):
            return _page_error(request, exc.status_code, str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Reaching this is a bug; say so clearly instead of an HTML stack trace or a bare 500.
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"detail": f"internal error ({exc.__class__.__name__}); see the server log"},
                            status_code=500)

    def _page_error(request: Request, status: int, message: str) -> Response:
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                   "title": "Not found" if status == 404 else "Error"},
                                          status_code=status)

    # -- auth --
    def require_token(creds: Credentials) -> None:
        if not token:
            raise HTTPException(403, "writes are disabled on this server: set the environment variable "
                                     "TIDINGS_TOKEN (or pass --token) and send 'Authorization: Bearer <token>'")
        if creds is None or not secrets.compare_digest(creds.credentials.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'",
                                headers={"WWW-Authenticate": "Bearer"})

    # -- shared queries --
    def query_days(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day of a request's ``since`` and ``until`` (a day, a month or a year); a 422 else."""
        try:
            return day_bound(since, name="query.since"), day_bound(until, end=True, name="query.until")
        except ValueError as exc:
            raise HTTPException(422, f"invalid request: {exc}") from None

    def list_events(since: dt.date | None, until: dt.date | None, language: str | None, outlet: str | None,
                    who: str | None, where: str | None, q: str | None, limit: int,
                    offset: int) -> tuple[int, list[dict[str, Any]]]:
        """(how many events match, the page asked for)."""
        if since and until and since > until:
            raise HTTPException(400, f"'since' ({since}) is after 'until' ({until})")
        kwargs = {"language": (language or "").lower() or None, "outlet": outlet or None,
                  "query": (q or "").strip() or None,
                  "since": since.isoformat() if since else None, "until": until.isoformat() if until else None}
        try:
            return t.events_page(limit, offset, who=who or None, where=where or None, **kwargs)
        except Exception:
            if not (who or where):
                raise
            # Reading names in any script runs the fact extractor on the query, which can fail on odd
            # input; plain name matching is a fair fallback for a search box.
            log.warning("entity lookup failed for who=%r where=%r; matching names only", who, where, exc_info=True)
        from tidings.api import _match_entity

        rows = [e for e in t.events(**kwargs)
                if (not who or _match_entity(e["who"], who)) and (not where or _match_entity(e["where"], where))]
        return len(rows), rows[offset:offset + limit]

    def comparison_of(event: dict[str, Any], language: str | None = None) -> dict[str, Any] | None:
        if compare_event is None:
            return None
        # by the reports' seqs: a report moved in or out, or replaced by a newer version of itself, changes them
        key = (event["id"], tuple(t.store.member_seqs(event["id"])), language)
        cached = comparisons.get(key)
        if cached is None:
            try:
                cached = compare_event(t, event["id"], language)
            except Exception as exc:  # the event page must still show when the comparison cannot be made
                log.warning("comparison of %s failed", event["id"], exc_info=True)
                return {"error": f"{exc.__class__.__name__}: {exc}"}
            comparisons.put(key, cached)
        return cached

    def get_event(event_id: str) -> dict[str, Any]:
        e = t.event(event_id)
        if e is None:
            hint = " (an article's id: /api/articles/... names its event)" if t.article_event(event_id) else ""
            raise HTTPException(404, f"no event {event_id!r}{hint}")
        return e

    # ---- API --------------------------------------------------------------------------------------
    @app.get("/api/events", tags=["events"], responses=ERRORS)
    def api_events(since: Day = None, until: Day = None, language: Text = None, outlet: Text = None,
                   who: Text = None, where: Text = None, q: Text = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
        """Events, latest first, filtered by date range, language, outlet, who, where and text."""
        first, last = query_days(since, until)
        total, items = list_events(first, last, language, outlet, who, where, q, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/events/{event_id}", tags=["events"], responses=ERRORS)
    def api_event(event_id: str,
                  compare: Annotated[bool, Query(description="Include the claim comparison.")] = True,
                  language: Annotated[str | None, Query(max_length=20, description="Summary language.")] = None,
                  ) -> dict[str, Any]:
        """One event with its articles and who/where/when; an id merged into another event resolves to it."""
        e = get_event(event_id)
        e["comparison"] = comparison_of(e, language) if compare else None
        e["comparison_available"] = compare_event is not None
        return e

    @app.get("/api/storylines", tags=["storylines"], responses=ERRORS)
    def api_storylines(limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
        """Storylines, latest updated first, each with the timeline of its events."""
        total, items = t.storylines_page(limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/storylines/{storyline_id}", tags=["storylines"], responses=ERRORS)
    def api_storyline(storyline_id: str) -> dict[str, Any]:
        s = t.storyline(storyline_id)
        if s is None:
            raise HTTPException(404, f"no storyline {storyline_id!r}")
        return s

    @app.get("/api/articles/{article_id}", tags=["articles"], responses=ERRORS)
    def api_article(article_id: str) -> dict[str, Any]:
        """One article with its text and the event it belongs to."""
        a = t.article(article_id)
        if a is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return a

    @app.post("/api/articles", tags=["articles"], responses=ERRORS, dependencies=[Depends(require_token)])
    def api_add(body: ArticleIn | list[ArticleIn]) -> JSONResponse:
        """Ingest one article or a list; each is answered with the event it joined or why it was skipped.

        201 when at least one article was stored, 200 when all were skipped (duplicates, empty text...).
        """
        from tidings.readers import record_to_document

        items = body if isinstance(body, list) else [body]
        if not items:
            raise HTTPException(400, "empty list: send one article object or a non-empty list")
        if len(items) > MAX_BATCH:
            raise HTTPException(413, f"{len(items)} articles in one request; send at most {MAX_BATCH}")
        import hashlib

        docs, sources = [], []
        for i, item in enumerate(items):
            record = item.model_dump()
            doc_id = record["id"] or "post-" + hashlib.sha1(record["text"].encode("utf-8", "replace")).hexdigest()[:12]
            record["id"] = doc_id
            source = f"request[{i}]" if isinstance(body, list) else "request"
            sources.append((source, doc_id))
            docs.append(record_to_document(record, source, doc_id))
        with write_lock:
            try:
                report = t.add_documents(docs)
            except ValueError as exc:
                raise HTTPException(400, f"could not ingest: {exc}") from exc
        stored = {s.source: s for s in report.stored}
        skipped = {s.source: s.reason for s in report.skipped}
        results = []
        for source, doc_id in sources:
            if source in stored:
                s = stored[source]
                event = report.events_merged.get(s.event, s.event)
                results.append({"id": s.id, "status": "stored", "event": event, "created_event": s.created,
                                "duplicate_of": s.duplicate_of, "score": round(float(s.score), 4),
                                "replaced": s.replaced})
            else:
                results.append({"id": doc_id, "status": "skipped",
                                "reason": skipped.get(source, "not stored (no reason given)")})
        out: dict[str, Any] = {"summary": report.summary(), "results": results}
        if not isinstance(body, list):
            out.update(results[0])
        return JSONResponse(out, status_code=201 if report.stored else 200)

    # -- an editor's corrections (tidings.corrections): the event as it is after them --
    @app.post("/api/events/{event_id}/merge", tags=["corrections"], responses=ERRORS,
              dependencies=[Depends(require_token)])
    def api_merge(event_id: str, into: Annotated[str, Query(min_length=1, max_length=SHORT, description=(
            "The event that keeps its id, title and storyline."))]) -> dict[str, Any]:
        """Merge an event into another: its reports join it, and its id resolves to it from now on."""
        from tidings.corrections import CorrectionError

        with write_lock:
            try:
                merged = t.merge_events(event_id, into)
            except CorrectionError as exc:
                raise HTTPException(404, str(exc)) from exc
        return get_event(merged)

    @app.post("/api/articles/{article_id}/move", tags=["corrections"], responses=ERRORS,
              dependencies=[Depends(require_token)])
    def api_move(article_id: str, to: Annotated[str | None, Query(max_length=SHORT, description=(
            "The event it tells of; without it, an event of its own."))] = None) -> dict[str, Any]:
        """Move a report (with its syndicated copies) to another event or to one of its own; no later report merges
        its old event and its new one again."""
        from tidings.corrections import CorrectionError

        with write_lock:
            try:
                target = t.move_article(article_id, to or None)
            except CorrectionError as exc:
                raise HTTPException(404, str(exc)) from exc
        return get_event(target)

    @app.delete("/api/articles/{article_id}", tags=["corrections"], responses=ERRORS,
                dependencies=[Depends(require_token)])
    def api_delete(article_id: str, for_good: Annotated[bool, Query(description=(
            "A takedown: the id is refused from now on, whatever text comes under it."))] = False) -> dict[str, Any]:
        """Delete an article (a takedown, an input read by mistake): its event is counted again, or goes if it is left
        without reports. Answers the article's id, its event, and whether that event is still there."""
        from tidings.corrections import CorrectionError

        with write_lock:
            try:
                event = t.delete_articles([article_id], for_good=for_good).get(article_id)
            except CorrectionError as exc:
                raise HTTPException(404, str(exc)) from exc
        return {"deleted": article_id, "event": event, "event_left": bool(event and t.event(event) is not None)}

    @app.get("/feeds/events.atom", tags=["events"], response_class=Response, responses={
        **ERRORS, 200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed of the events"}})
    def feed_events(request: Request, since: Day = None, until: Day = None, language: Text = None,
                    outlet: Text = None, who: Text = None, where: Text = None, q: Text = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Response:
        """The events the filters of ``/api/events`` find, latest first, as an Atom feed for a feed reader: an entry
        an event, linked to its page, timed by its last change (a reader shows it again as it grows)."""
        first, last = query_days(since, until)
        _, items = list_events(first, last, language, outlet, who, where, q, limit, 0)
        filters = [(k, v) for k, v in (("q", q), ("who", who), ("where", where), ("language", language),
                                       ("outlet", outlet), ("since", since), ("until", until)) if v]
        return Response(events_feed(items, str(request.base_url).rstrip("/"), str(request.url), filters),
                        media_type="application/atom+xml")

    @app.get("/api/stats", tags=["events"])
    def api_stats(top: Annotated[int, Query(ge=1, le=1000, description="How many outlets and sources to list.")] = 10
                  ) -> dict[str, Any]:
        """What the store holds: counts; articles by language, outlet and source; first and last days published and
        happened; the last ingest."""
        return t.stats(top)

    @app.get("/api/takedowns", tags=["corrections"])
    def api_takedowns() -> list[dict[str, str]]:
        """The ids deleted for good, latest first: an ingest refuses them whatever text comes under them."""
        return t.takedowns()

    @app.delete("/api/takedowns/{article_id}", tags=["corrections"], responses=ERRORS,
                dependencies=[Depends(require_token)])
    def api_lift_takedown(article_id: str) -> dict[str, str]:
        """Withdraw a takedown: the id may be stored again (its next reading stores it; nothing comes back now)."""
        from tidings.corrections import CorrectionError

        with write_lock:
            try:
                t.lift_takedowns([article_id])
            except CorrectionError as exc:
                raise HTTPException(404, str(exc)) from exc
        return {"lifted": article_id}

    @app.post("/api/similarity", tags=["similarity"], responses=ERRORS)
    def api_similarity(body: SimilarityIn) -> dict[str, Any]:
        """How similar two articles are (1 = very similar .. 4 = very dissimilar) and whether it is the same story."""
        if compare_texts is None:
            raise HTTPException(501, "pair similarity is not available in this installation (tidings.similarity"
                                     ".compare_texts is missing)")
        try:
            result = compare_texts(body.text1, body.text2, body.lang1, body.lang2, body.title1, body.title2,
                                   body.published1, body.published2)
        except ValueError as exc:  # PairError: empty text, uncovered language, unreadable date
            raise HTTPException(400, str(exc)) from exc
        return {k: (v.item() if hasattr(v, "item") else v) for k, v in dict(result).items()}

    # ---- pages ------------------------------------------------------------------------------------
    def _front(request: Request, q: str | None, since_text: str | None, until_text: str | None,
               language: str | None, outlet: str | None, who: str | None, where: str | None,
               page: int, title: str) -> Response:
        # A form sends empty fields as "": on a page that means "no filter", not a bad date.
        since, until = _form_date(since_text, "since"), _form_date(until_text, "until")
        total, rows = list_events(since, until, language, outlet, who, where, q, PER_PAGE, (page - 1) * PER_PAGE)
        languages, outlets = t.facets()
        filters = {"q": q or "", "since": since.isoformat() if since else "",
                   "until": until.isoformat() if until else "", "language": language or "",
                   "outlet": outlet or "", "who": who or "", "where": where or ""}
        chosen = [(k, v) for k, v in filters.items() if v]
        return templates.TemplateResponse(request, "index.html", {
            "title": title, "events": rows, "total": total,
            "page": page, "pages": _pages(total), "filters": filters,
            "languages": languages, "outlets": outlets, "filtered": any(filters.values()),
            "feed_url": "/feeds/events.atom" + (f"?{urlencode(chosen)}" if chosen else ""),
        })

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_front(request: Request, q: Text = None, since: Text = None, until: Text = None, language: Text = None,
                   outlet: Text = None, who: Text = None, where: Text = None, page: PageNo = 1) -> Response:
        return _front(request, q, since, until, language, outlet, who, where, page, "Latest events")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: Text = None, since: Text = None, until: Text = None, language: Text = None,
                    outlet: Text = None, who: Text = None, where: Text = None, page: PageNo = 1) -> Response:
        return _front(request, q, since, until, language, outlet, who, where, page,
                      f"Search: {q}" if q else "Search")

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_event(request: Request, event_id: str) -> Response:
        # an article's id pasted where an event's goes: the event it is in
        if via_article := t.article_event(event_id):
            return RedirectResponse(f"/events/{quote(via_article, safe='')}", status_code=302)
        e = get_event(event_id)
        by_language: dict[str, list[dict[str, Any]]] = {}
        for a in e["articles"]:
            full = t.article(a["id"]) or a
            by_language.setdefault(a["language"] or "und", []).append(full)
        n_articles = len({a["id"] for a in e["articles"]})
        # With one article there is nothing to compare; listing its every sentence as "reported by one" is noise.
        comparison = comparison_of(e) if n_articles > 1 else None
        groups = group_claims(comparison, n_articles) if comparison and "error" not in comparison else None
        storyline = t.storyline(e["storyline"]) if e.get("storyline") else None
        return templates.TemplateResponse(request, "event.html", {
            "title": e["title"] or e["id"], "e": e, "by_language": by_language, "comparison": comparison,
            "groups": groups, "comparison_available": compare_event is not None and n_articles > 1,
            "storyline": storyline, "writes_enabled": bool(token),
            "article_index": {a["id"]: i + 1 for i, a in enumerate(e["articles"])},
        })

    @app.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
    def page_storylines(request: Request, page: PageNo = 1) -> Response:
        total, rows = t.storylines_page(PER_PAGE, (page - 1) * PER_PAGE)
        return templates.TemplateResponse(request, "storylines.html", {
            "title": "Storylines", "storylines": rows, "total": total, "page": page,
            "pages": _pages(total)})

    @app.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_storyline(request: Request, storyline_id: str) -> Response:
        s = t.storyline(storyline_id)
        if s is None:
            raise HTTPException(404, f"no storyline {storyline_id!r}")
        return templates.TemplateResponse(request, "storyline.html", {
            "title": s["title"] or s["id"], "s": s, "svg": timeline_svg(s["timeline"])})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
