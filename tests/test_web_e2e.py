"""End to end in a real headless Chromium: the pages people use, over a store with the seeds.

Needs the Debian package ``chromium`` (/usr/bin/chromium) and the Python package ``playwright``
(its own browser download is not used). Screenshots go to test-output/ for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_web import seed_event_ids, seeded_db

CHROMIUM = os.environ.get("TIDINGS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parent.parent / "test-output"

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install playwright)"),
    pytest.mark.skipif(not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)),
                       reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seeded_db(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module")
def ids(db: str) -> dict[str, str]:
    return seed_event_ids(db)


@pytest.fixture(scope="module")
def base_url(db: str) -> Iterator[str]:
    """The app served by uvicorn in a background thread, as `tidings serve` would."""
    import uvicorn

    from tidings.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token="e2e"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def _shot(page: Page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_front_page_lists_latest_events(page: Page, base_url: str, ids: dict[str, str]) -> None:
    page.goto(base_url + "/")
    expect(page).to_have_title("Latest events · tidings")
    cards = page.locator("li.event-card")
    expect(cards).to_have_count(3)
    first = cards.first
    expect(first.locator("a.event-title")).to_have_text("Iran, Russia discuss boosting ties")
    expect(first.locator(".lang")).to_have_text(["de", "ar", "en"])
    expect(first).to_contain_text("2021-08-18")
    expect(first).to_contain_text("3 articles")
    _shot(page, "front")


def test_event_page_shows_articles_side_by_side(page: Page, base_url: str, ids: dict[str, str]) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Iran, Russia discuss boosting ties").click()
    expect(page).to_have_url(f"{base_url}/events/{ids['raisi_putin']}")
    expect(page.locator("h1")).to_have_text("Iran, Russia discuss boosting ties")
    for lang, direction, words in (("de", "ltr", "Putin"), ("ar", "rtl", "بوتين"), ("en", "ltr", "Putin")):
        art = page.locator(f'article.article[lang="{lang}"]')
        expect(art).to_have_count(1)
        expect(art).to_have_attribute("dir", direction)
        expect(art.locator(".text")).to_be_visible()
        expect(art).to_contain_text(words)
    # Side by side at laptop width: the three language columns share one row.
    tops = {round(b["y"]) for b in (c.bounding_box() for c in page.locator(".column").all())}
    assert len(tops) == 1, tops
    expect(page.locator(".facts")).to_contain_text("Vladimir Putin")
    expect(page.locator(".facts")).to_contain_text("Tehran")
    if page.locator(".comparison").count():
        expect(page.locator(".comparison")).to_contain_text("Reported by all")
        # A claim's [n] points at the article it comes from.
        ref = page.locator(".claim .claim-meta a.ref").first
        ref.click()
        expect(page.locator("article.article:target")).to_have_count(1)
    _shot(page, "event")


def test_event_page_at_phone_width(browser: Browser, base_url: str, ids: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base_url}/events/{ids['raisi_putin']}")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    xs = {round(c.bounding_box()["x"]) for c in page.locator(".column").all()}
    assert len(xs) == 1, f"columns should stack on a phone, got x positions {xs}"
    _shot(page, "event-phone")
    _shot(page, "event-phone-top", full_page=False)  # what a phone shows first
    page.locator(".columns").scroll_into_view_if_needed()
    _shot(page, "event-phone-articles", full_page=False)
    page.goto(base_url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "front-phone", full_page=False)
    context.close()


def test_search_lavrov_reaches_the_tehran_event(page: Page, base_url: str, ids: dict[str, str]) -> None:
    page.goto(base_url + "/")
    box = page.get_by_role("searchbox", name="Search events")
    box.fill("Lavrov")
    box.press("Enter")
    expect(page).to_have_url(f"{base_url}/search?q=Lavrov")
    expect(page.locator("li.event-card")).to_have_count(1)
    _shot(page, "search-lavrov")
    page.locator("li.event-card a.event-title").click()
    expect(page).to_have_url(f"{base_url}/events/{ids['lavrov']}")
    expect(page.locator("article.article")).to_contain_text("Lavrov")
    expect(page.locator(".facts")).to_contain_text("Tehran")
    _shot(page, "event-lavrov")


def test_filters_and_storyline_timeline(page: Page, base_url: str, ids: dict[str, str]) -> None:
    page.goto(base_url + "/")
    page.locator("form.filters select[name=language]").select_option("ar")  # submits on change
    expect(page).to_have_url(f"{base_url}/?language=ar")
    expect(page.locator("li.event-card")).to_have_count(1)
    page.get_by_role("link", name="Storylines").first.click()
    page.locator("li.event-card a.event-title").first.click()
    expect(page).to_have_url(f"{base_url}/storylines/{ids['storyline']}")
    svg = page.locator("svg.timeline")
    expect(svg).to_be_visible()
    expect(svg.locator("circle")).to_have_count(len(page.locator("ol.timeline-list li").all()))
    _shot(page, "storyline")
    svg.locator("a").first.click()
    expect(page).to_have_url(f"{base_url}/events/{ids['raisi_putin']}")


def test_an_editor_moves_a_report_out_and_merges_it_back(page: Page, base_url: str, ids: dict[str, str]) -> None:
    """The event page's corrections: a wrong token is said in the page; with the right one seed 003 goes to an event of
    its own (the page follows it there), and that event merged back into the call leaves the store as it was."""
    page.goto(f"{base_url}/events/{ids['raisi_putin']}")
    editor = page.locator("details.editor")
    editor.locator("summary").click()
    editor.locator("input[name=token]").fill("wrong")
    editor.locator("form[data-action=move] select[name=article]").select_option("003_228ee2c8dbe1ae26")
    editor.get_by_role("button", name="Move").click()
    expect(editor.locator(".editor-status")).to_contain_text("missing or wrong token")
    expect(page.locator("article.article")).to_have_count(3)  # nothing moved
    editor.scroll_into_view_if_needed()
    _shot(page, "event-editor", full_page=False)
    editor.locator("input[name=token]").fill("e2e")
    editor.get_by_role("button", name="Move").click()
    expect(page).not_to_have_url(f"{base_url}/events/{ids['raisi_putin']}")
    expect(page.locator("h1")).to_have_text("Iran, Russia discuss boosting ties")
    expect(page.locator("article.article")).to_have_count(1)
    _shot(page, "event-moved")
    moved = page.url
    editor = page.locator("details.editor")
    editor.locator("summary").click()
    editor.locator("input[name=token]").fill("e2e")
    editor.locator("input[name=into]").fill(ids["raisi_putin"])
    editor.get_by_role("button", name="Merge").click()
    expect(page).to_have_url(f"{base_url}/events/{ids['raisi_putin']}")
    expect(page.locator("article.article")).to_have_count(3)
    page.goto(moved)  # the moved-to event's id resolves to the call now
    expect(page.locator(".note")).to_contain_text("was merged into this event")


def test_an_editor_deletes_a_report(page: Page, base_url: str) -> None:
    """A report posted by mistake, deleted from its event page after a confirmation: it was alone in its event, so
    the page goes to the events list, and the event's page is gone."""
    import json
    import urllib.request

    body = json.dumps({"id": "mistake", "language": "de", "text": "Wegen eines Streiks fielen am Montag in Hamburg "
                       "alle Busse und U-Bahnen aus, teilte die Hochbahn mit. Der Streik soll bis Dienstag dauern."})
    request = urllib.request.Request(f"{base_url}/api/articles", data=body.encode(), method="POST",
                                     headers={"Authorization": "Bearer e2e", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        event = json.loads(r.read())["event"]
    page.goto(f"{base_url}/events/{event}")
    editor = page.locator("details.editor")
    editor.locator("summary").click()
    editor.locator("input[name=token]").fill("e2e")
    delete = editor.locator("form[data-action=delete]")
    delete.locator("select[name=article]").select_option("mistake")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Delete mistake from the store?" No: nothing happens
    delete.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(f"{base_url}/events/{event}")
    page.once("dialog", lambda dialog: dialog.accept())
    delete.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(f"{base_url}/")
    assert page.goto(f"{base_url}/events/{event}").status == 404
