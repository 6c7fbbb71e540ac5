"""The dashboard in a real browser: Playwright driving Debian's Chromium against `warta serve`'s app.

The example article goes into a temporary database; the app runs under uvicorn in a thread. Each test
asserts what it sees against the database, that the page asked nothing of any other host (every
non-local request is aborted and recorded) and that nothing was logged as an error. Screenshots of
each view go to $WARTA_SCREENSHOTS (default test-artifacts/screenshots/).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warta import jobs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CHROMIUM = Path(os.environ.get("WARTA_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(os.environ.get("WARTA_SCREENSHOTS", ROOT / "test-artifacts" / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dashboard") / "warta.duckdb"
    summary = jobs.run([EXAMPLES], path, progress=False)
    assert summary.written >= 1
    return path


@pytest.fixture(scope="module")
def db(served_db: Path) -> Path:
    """A copy of the served database for the tests' own queries (DuckDB refuses a second connection
    with another configuration to a file the app holds open in this process)."""
    copy = served_db.with_name("expected.duckdb")
    shutil.copyfile(served_db, copy)
    return copy


@pytest.fixture(scope="module")
def server(served_db: Path) -> Iterator[str]:
    import uvicorn

    from warta.api.app import create_app

    port = _free_port()
    app = create_app(served_db)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.db.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page whose foreign requests, failed requests, console errors and uncaught exceptions are recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 950}, device_scale_factor=1)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} HTTP {r.status}"))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base or url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, hash_route: str, view: str) -> Any:
        self.page.goto(f"{self.base}/{hash_route}")
        self.page.wait_for_selector(f'main[data-ready="{view}"]', timeout=15000)
        return self.page

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.mouse.move(0, 0)  # no hover tooltip in the picture
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, f"screenshot {path} looks empty"
        return path

    def check_clean(self) -> None:
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def watched(browser: Any, server: str) -> Iterator[Watched]:
    w = Watched(browser, server)
    yield w
    w.context.close()


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_timeline_shows_events_per_day_and_type(watched: Watched, db: Path) -> None:
    page = watched.open("#/", "overview")
    expected = {(str(d), t): n for d, t, n in _rows(
        db, "SELECT date, type, count(*) FROM events WHERE date IS NOT NULL GROUP BY ALL")}
    bars = page.eval_on_selector_all(
        ".timeline rect.bar", "els => els.map(e => [e.dataset.date, e.dataset.type, +e.dataset.n])")
    assert {(d, t): n for d, t, n in bars} == expected
    n_events = _rows(db, "SELECT count(*) FROM events")[0][0]
    assert page.inner_text('[data-total="events"] .n') == f"{n_events:,}"
    watched.shot("timeline")
    # a bar opens the events table filtered by its type and day
    d, t = sorted(expected)[0]
    page.click(f'.timeline rect.bar[data-type="{t}"][data-date="{d}"]')
    page.wait_for_selector('main[data-ready="events"]')
    types = page.eval_on_selector_all("table.events tbody tr", "els => els.map(e => e.dataset.type)")
    assert types == [t] * expected[(d, t)]
    watched.check_clean()


def test_map_draws_every_located_place_on_the_basemap(watched: Watched, db: Path) -> None:
    page = watched.open("#/map", "map")
    assert page.locator(".map path.land").count() > 150  # Natural Earth 110m countries
    places = {(name, country): n for name, country, n in _rows(
        db, "SELECT location_name, location_country, count(*) FROM events WHERE lat IS NOT NULL GROUP BY ALL")}
    dots = page.eval_on_selector_all(
        ".map circle.loc", "els => els.map(e => [e.dataset.name, e.dataset.country, +e.dataset.n])")
    assert {(a, b): n for a, b, n in dots} == places
    watched.shot("map")
    watched.check_clean()


def test_events_table_filters_and_pages(watched: Watched, db: Path) -> None:
    page = watched.open("#/events", "events")
    n_events = _rows(db, "SELECT count(*) FROM events")[0][0]
    assert page.locator("table.events tbody tr").count() == n_events
    assert page.inner_text(".pager span") == f"1–{n_events} of {n_events}"
    watched.shot("events")
    page.select_option('form.filters select[name="type"]', "CONSULT")
    page.fill('form.filters input[name="country"]', "irn")
    page.click('form.filters button[type="submit"]')
    page.wait_for_function("location.hash.includes('type=CONSULT') && location.hash.includes('country=IRN')")
    page.wait_for_selector('main[data-ready="events"]')
    want = _rows(db, "SELECT event_id FROM events WHERE type = 'CONSULT' AND 'IRN' IN "
                     "(source_country, target_country, location_country) ORDER BY event_id")
    got = page.eval_on_selector_all("table.events tbody tr", "els => els.map(e => e.dataset.eventId)")
    assert sorted(got) == [r[0] for r in want] and got
    watched.check_clean()


def test_network_edge_to_consult_article_with_samkhani(watched: Watched, db: Path) -> None:
    page = watched.open("#/network", "network")
    n_pair = _rows(db, "SELECT count(*) FROM events WHERE source_country = 'IRN' AND target_country = 'RUS'")[0][0]
    edge = page.locator('.network g.edge[data-source="IRN"][data-target="RUS"]')
    assert edge.count() == 1
    assert int(edge.get_attribute("data-n")) == n_pair
    labels = page.eval_on_selector_all(".network g.node", "els => els.map(e => e.textContent)")
    assert {"IRN", "RUS"} <= set(labels)
    watched.shot("network")

    edge.click()
    listed = page.locator("aside.side ul.events li")
    listed.first.wait_for()
    assert listed.count() == n_pair
    watched.shot("network-edge")
    consult = page.locator('aside.side ul.events li[data-type="CONSULT"]')
    assert consult.count() == 1
    event_id = consult.get_attribute("data-event-id")
    consult.click()

    page.wait_for_selector('main[data-ready="doc"]')
    trigger_text, doc_id = _rows(db, "SELECT trigger_text, doc_id FROM events WHERE event_id = ?", [event_id])[0]
    assert page.evaluate("location.hash") == f"#/doc/{doc_id}?event={event_id}"
    active = page.locator(".body .trigger.active")
    assert active.count() == 1 and active.inner_text() == trigger_text
    assert "CONSULT" in active.get_attribute("data-type").split()
    samkhani = page.locator(".body .ent", has_text="Samkhani")
    assert samkhani.count() >= 1
    assert samkhani.first.is_visible()
    assert samkhani.first.get_attribute("data-type") == "PER"
    # the highlight is visible: the entity is painted differently from the plain text around it
    bg = samkhani.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    watched.shot("article")
    watched.check_clean()


def test_article_spans_match_their_offsets(watched: Watched, db: Path) -> None:
    doc_id, text = _rows(db, "SELECT id, text FROM documents LIMIT 1")[0]
    page = watched.open(f"#/doc/{doc_id}", "doc")
    assert page.eval_on_selector(".body", "e => e.textContent") == text
    # every span's fragments, in document order, spell text[start:end]
    spans = page.eval_on_selector_all(".body [data-span]", """els => {
        const by = {};
        for (const e of els) {
            const k = e.dataset.span;
            const own = by[k] || (by[k] = {cls: e.className.replace(' cont', ''), start: +e.dataset.start, end: +e.dataset.end, text: ''});
            own.text += e.textContent;
        }
        return Object.values(by);
    }""")
    assert spans
    for s in spans:
        assert s["text"] == text[s["start"]:s["end"]], s
    kinds = {s["cls"].split()[0] for s in spans}
    assert {"ent", "trigger", "quote"} <= kinds
    n_ent = _rows(db, "SELECT count(*) FROM entities WHERE doc_id = ?", [doc_id])[0][0]
    assert sum(s["cls"].startswith("ent") for s in spans) == n_ent
    # hiding a layer keeps the text and removes only that layer's paint
    page.uncheck('input[data-layer="ent"]')
    assert page.eval_on_selector(".body", "e => e.classList.contains('hide-ent')")
    watched.check_clean()


def test_span_renderer_nests_and_splits_crossing_spans(watched: Watched) -> None:
    page = watched.open("#/", "overview")
    rng = random.Random(8)
    cases = [("Ali Samkhani berkata", [{"start": 0, "end": 20, "cls": "quote"}, {"start": 0, "end": 12, "cls": "ent"},
                                       {"start": 4, "end": 12, "cls": "ent"}, {"start": 10, "end": 16, "cls": "trigger"}])]
    for _ in range(200):
        n = rng.randint(0, 40)
        text = "".join(rng.choice("ab \n<&") for _ in range(n))
        spans = []
        for _ in range(rng.randint(0, 8)):
            a, b = rng.randint(-1, n + 1), rng.randint(-1, n + 1)
            spans.append({"start": min(a, b), "end": max(a, b), "cls": rng.choice(["ent", "quote", "trigger"]),
                          "rank": rng.randint(0, 3)})
        cases.append((text, spans))
    bad = page.evaluate("""cases => {
        const bad = [];
        for (const [text, spans] of cases) {
            const box = document.createElement('div');
            box.appendChild(WartaSpans.renderSpans(text, spans));
            if (box.textContent !== text) bad.push(['text', text, spans]);
            const got = {};
            for (const e of box.querySelectorAll('[data-span]')) got[e.dataset.span] = (got[e.dataset.span] || '') + e.textContent;
            spans.forEach((s, i) => {
                const ok = s.start >= 0 && s.end <= text.length && s.start < s.end;
                const want = ok ? text.slice(s.start, s.end) : undefined;
                if (got[i] !== want) bad.push(['span', text, s, got[i]]);
            });
            // a span's first fragment is not a continuation; nested elements lie inside their parent's range
            for (const e of box.querySelectorAll('[data-span]')) {
                const p = e.parentElement.closest('[data-span]');
                if (p && (+e.dataset.start < +p.dataset.start && !e.classList.contains('cont'))) bad.push(['nest', text, spans]);
            }
        }
        return bad.slice(0, 5);
    }""", cases)
    assert bad == []
    watched.check_clean()


def test_search_finds_events_and_articles(watched: Watched, db: Path) -> None:
    page = watched.open("#/", "overview")
    page.fill("#search-q", "Patrushev")
    page.press("#search-q", "Enter")
    page.wait_for_selector('main[data-ready="search"]')
    n_docs = _rows(db, "SELECT count(*) FROM documents WHERE text ILIKE '%Patrushev%' OR title ILIKE '%Patrushev%'")[0][0]
    assert page.locator("table.documents tbody tr").count() == n_docs >= 1
    assert page.locator("ul.events li").count() >= 1
    watched.check_clean()


def test_articles_list_and_unknown_article(watched: Watched, db: Path) -> None:
    page = watched.open("#/documents", "documents")
    ids = page.eval_on_selector_all("table.documents tbody tr", "els => els.map(e => e.dataset.docId)")
    assert sorted(ids) == sorted(r[0] for r in _rows(db, "SELECT id FROM documents"))
    page.click(f'table.documents tbody tr[data-doc-id="{ids[0]}"]')
    page.wait_for_selector('main[data-ready="doc"]')
    assert page.eval_on_selector(".body", "e => e.textContent") == _rows(
        db, "SELECT text FROM documents WHERE id = ?", [ids[0]])[0][0]
    # the API's 404 becomes a message on the page, not a broken view
    page = watched.open("#/doc/no-such-article", "doc")
    assert "Not found" in page.inner_text("main .error")
    assert [f for f in watched.failed if "no-such-article" not in f] == []
    watched.failed.clear()
    watched.errors = [e for e in watched.errors if "404" not in e]
    watched.check_clean()


def test_openapi_docs_render_offline(watched: Watched) -> None:
    watched.page.goto(f"{watched.base}/docs")
    watched.page.wait_for_selector(".swagger-ui .opblock-summary-path", timeout=15000)
    paths = watched.page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent)")
    assert any("/api/events" in p for p in paths)
    watched.shot("docs")
    watched.check_clean()
