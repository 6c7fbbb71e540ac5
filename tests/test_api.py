"""The read-only API (``warta serve``) on a database built by running warta on examples/ plus synthetic documents."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES
from test_document import make_doc
from warta.api.app import create_app, host_warning
from warta.document import Actor, Document, Event, Place, Span
from warta.jobs import run
from warta.pipeline import Failure
from warta.store import Store


def _synthetic() -> list[Document]:
    """Three hand-made documents whose events differ in date, type, country and quad class."""
    a = make_doc()
    a.id, a.site, a.published, a.title = "syn-a", "Example.com", "2020-01-02", "Serangan di Suriah"
    ev = a.events[0]
    ev.type, ev.cameo, ev.quad_class, ev.goldstein, ev.date = "ASSAULT", "190", 4, -10.0, "2020-01-01"
    ev.source = Actor("AS", "USA", "USA")
    ev.target = Actor("tentara Suriah", "SYRMIL", "SYR")
    ev.location = Place("Damascus", "SYR", 33.51, 36.29)
    b = make_doc()
    b.id, b.site, b.language, b.published, b.title = "syn-b", "Other.org", "en", None, "Undated protest"
    t = b.text
    b.events = [Event("PROTEST", "140", Span(10, 23, t[10:23]), Span(0, len(t)), Actor("demonstran", "IDNOPP", "IDN"),
                      None, -6.5, 3, None, Place("Jakarta", "IDN", -6.2, 106.8))]
    c = make_doc()
    c.id, c.site, c.published = "syn-c", "Example.com", "2019-06-01"
    c.events[0].date = "2019-05-31"
    return [a, b, c]


def build_db(db: Path) -> Path:
    """warta run on examples/, then the synthetic documents and one error row (shared by the API tests)."""
    summary = run([EXAMPLES], db, progress=False)
    assert summary.read == 1
    with Store(db) as s:
        s.write([*_synthetic(), Failure("bad", "bad.txt", "read", "empty file")])
    return db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("api") / "w.duckdb")


@pytest.fixture(scope="module")
def client(db_path: Path) -> Iterator[TestClient]:
    app = create_app(db_path)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.db.close()


def _get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _is_error(r: Any, status: int, code: str) -> bool:
    body = r.json()
    return (r.status_code == status and set(body) == {"error"}
            and body["error"]["status"] == status and body["error"]["code"] == code
            and isinstance(body["error"]["message"], str) and body["error"]["message"])


def test_api_events_lists_every_event_newest_first(client: TestClient) -> None:
    page = _get(client, "/api/events", limit=500)
    with client.app.state.db.cursor() as cur:  # type: ignore[attr-defined]
        n = cur.execute("SELECT count(*) FROM events").fetchone()[0]
    assert page["total"] == n == len(page["items"]) and page["limit"] == 500 and page["offset"] == 0
    dates = [e["date"] for e in page["items"]]
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True) and dates[-1] is None  # undated last
    first = page["items"][0]
    assert first["date"] == "2020-01-01" and first["type"] == "ASSAULT" and first["title"] == "Serangan di Suriah"
    assert first["site"] == "Example.com"


def test_api_events_filters(client: TestClient) -> None:
    def ids(**params: Any) -> set[str]:
        return {e["event_id"] for e in _get(client, "/api/events", limit=500, **params)["items"]}

    every = _get(client, "/api/events", limit=500)["items"]
    for e in _get(client, "/api/events", country="syr", limit=500)["items"]:
        assert "SYR" in (e["source_country"], e["target_country"], e["location_country"])
    assert ids(country="SYR") == {e["event_id"] for e in every
                                  if "SYR" in (e["source_country"], e["target_country"], e["location_country"])}
    assert ids(actor="irngov") == {e["event_id"] for e in every
                                   if any((x or "").startswith("IRNGOV") for x in (e["source_actor"], e["target_actor"]))}
    assert ids(actor="IRN") >= ids(actor="IRNGOV") and ids(actor="IRN") != ids(actor="IRNGOV")
    assert ids(type="consult") == {e["event_id"] for e in every if e["type"] == "CONSULT"}
    assert ids(quad_class=4) == {e["event_id"] for e in every if e["quad_class"] == 4}
    assert ids(since="2017-07-05", until="2019-12-31") == {
        e["event_id"] for e in every if e["date"] and "2017-07-05" <= e["date"] <= "2019-12-31"}
    assert ids(type="CONSULT", country="RUS", since="2017-01-01", until="2017-12-31")
    assert ids(type="CONSULT", country="USA") == set()
    # q searches the evidence sentence, not only the trigger: "Samkhani" is in a sentence, never a trigger
    hits = _get(client, "/api/events", q="samKHANI", limit=500)["items"]
    assert hits and all("Samkhani" not in (e["trigger_text"] or "") for e in hits)
    assert ids(q="%") == set() and ids(q="_") == set()  # LIKE wildcards are plain characters


def test_api_events_pages_do_not_overlap(client: TestClient) -> None:
    every = [e["event_id"] for e in _get(client, "/api/events", limit=500)["items"]]
    paged: list[str] = []
    for off in range(0, len(every) + 2, 2):
        page = _get(client, "/api/events", limit=2, offset=off)
        assert page["total"] == len(every) and page["offset"] == off
        paged += [e["event_id"] for e in page["items"]]
    assert paged == every


def test_api_event_detail_mentions_index_the_text(client: TestClient) -> None:
    consult = _get(client, "/api/events", type="CONSULT", country="RUS", actor="IRNGOV")["items"][0]
    detail = _get(client, f"/api/events/{consult['event_id']}")
    assert detail["event"] == consult
    doc = _get(client, f"/api/documents/{consult['doc_id']}")
    assert detail["document"]["id"] == doc["id"] and detail["document"]["site"] == doc["site"]
    text = doc["text"]
    assert detail["mentions"][0]["text"] == consult["trigger_text"]
    for m in detail["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["sentence_start"] <= m["start"] < m["end"] <= m["sentence_end"]


def test_api_document_spans_index_its_text(client: TestClient) -> None:
    docs = _get(client, "/api/documents", limit=500)["items"]
    assert len(docs) == 4
    for summary in docs:
        d = _get(client, f"/api/documents/{summary['id']}")
        text = d["text"]
        assert len(d["events"]) == summary["n_events"] and len(d["entities"]) == summary["n_entities"]
        for span in d["entities"] + d["quotes"] + d["dates"]:
            assert text[span["start"]:span["end"]] == span["text"]
        for e in d["events"]:
            assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
            for side in (e["source"], e["target"]):
                if side and side.get("start") is not None:
                    assert text[side["start"]:side["end"]] == side["text"]
        # event ids in a document are those of /api/events
        listed = {e["event_id"] for e in _get(client, "/api/events", limit=500)["items"] if e["doc_id"] == d["id"]}
        assert {e["event_id"] for e in d["events"]} == listed


def test_api_seed_document_highlights(client: TestClient) -> None:
    seed = next(d for d in _get(client, "/api/documents", site="liputanislam.com")["items"])
    d = _get(client, f"/api/documents/{seed['id']}")
    assert any(e["text"] == "Ali Samkhani" and e["canonical"] == "Ali Shamkhani" for e in d["entities"])
    assert d["dateline"]["place"]["country"] == "IRN"
    assert any(q["speaker"] and q["speaker"]["canonical"] == "Ali Shamkhani" for q in d["quotes"])


def test_api_documents_filters(client: TestClient) -> None:
    assert [d["id"] for d in _get(client, "/api/documents", language="EN")["items"]] == ["syn-b"]
    assert {d["id"] for d in _get(client, "/api/documents", site="example.com")["items"]} == {"syn-a", "syn-c"}
    assert [d["id"] for d in _get(client, "/api/documents", q="serangan DI")["items"]] == ["syn-a"]
    assert {d["id"] for d in _get(client, "/api/documents", since="2019-01-01")["items"]} == {"syn-a", "syn-c"}
    assert _get(client, "/api/documents", q="Samkhani")["total"] == 1  # the text too, not only titles


def test_api_network_has_the_seed_edge(client: TestClient) -> None:
    net = _get(client, "/api/network")
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert ("IRN", "RUS") in edges and edges["IRN", "RUS"]["n"] >= 1
    assert all(s != t for s, t in edges)
    nodes = {n["id"]: n["n"] for n in net["nodes"]}
    assert set(nodes) == {c for pair in edges for c in pair}
    assert nodes["IRN"] == sum(e["n"] for e in net["edges"] if "IRN" in (e["source"], e["target"]))
    only = _get(client, "/api/network", type="ASSAULT")["edges"]
    assert {(e["source"], e["target"]) for e in only} >= {("USA", "SYR")}
    assert all(e["goldstein_mean"] == -10.0 for e in only)
    big = edges["IRN", "RUS"]["n"]
    assert ("IRN", "RUS") not in {(e["source"], e["target"]) for e in
                                  _get(client, "/api/network", min_count=big + 1)["edges"]}


def test_api_actors_quotes_stats_locations(client: TestClient) -> None:
    actors = _get(client, "/api/actors")["items"]
    counts = [a["n_events"] for a in actors]
    assert counts == sorted(counts, reverse=True)
    irngov = next(a for a in actors if a["actor"] == "IRNGOV")
    assert irngov["country"] == "IRN" and irngov["n_events"] == _get(client, "/api/events", actor="IRNGOV",
                                                                       limit=500)["total"]
    quotes = _get(client, "/api/quotes", speaker="shamkhani", limit=500)
    assert quotes["total"] >= 1 and all("Shamkhani" in (q["speaker_canonical"] or "") for q in quotes["items"])
    assert _get(client, "/api/quotes", country="USA")["total"] == sum(
        q["speaker_country"] == "USA" for q in _get(client, "/api/quotes", limit=500)["items"])
    st = _get(client, "/api/stats")
    assert st["totals"]["documents"] == 4 and st["totals"]["errors"] == 1
    assert sum(r["n"] for r in st["by_day_type"]) == st["totals"]["events"] - 1  # one undated event
    days = [r["date"] for r in st["by_day_type"]]
    assert days == sorted(days)
    assert {r["date"] for r in _get(client, "/api/stats", since="2020-01-01")["by_day_type"]} == {"2020-01-01"}
    locs = _get(client, "/api/locations", limit=500)["items"]
    assert any(p["name"] == "Jakarta" and p["n"] == 1 for p in locs)
    assert [p["name"] for p in _get(client, "/api/locations", type="PROTEST")["items"]] == ["Jakarta"]


@pytest.mark.parametrize("url", [
    "/api/nothing", "/api/events/no-such-event", "/api/documents/no-such-doc", "/nothing.html",
])
def test_api_unknown_is_404_in_the_error_shape(client: TestClient, url: str) -> None:
    assert _is_error(client.get(url), 404, "not_found")


@pytest.mark.parametrize("query", [
    "limit=501", "limit=0", "offset=-1", "quad_class=5", "since=2020-13-01", "until=yesterday", "country=IRAN",
    "actor=IRN%25", "type=CON SULT", "limit=abc", "q=" + "x" * 201, "until=0", "since=2017-7-5",
])
def test_api_bad_parameters_are_422_in_the_error_shape(client: TestClient, query: str) -> None:
    assert _is_error(client.get(f"/api/events?{query}"), 422, "validation_error")


def test_api_wrong_method_is_an_error_in_the_shape(client: TestClient) -> None:
    r = client.post("/api/events")
    assert _is_error(r, 405, "bad_request") and r.headers["allow"] == "GET"


def test_api_internal_error_has_the_shape(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from warta.api import queries

    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "stats", boom)
    app = create_app(db_path)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/stats")
    app.state.db.close()
    assert _is_error(r, 500, "internal") and "boom" not in r.text


def test_api_timeout_interrupts_the_query(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from warta.api import queries

    def slow(con: Any, **_: Any) -> Any:
        return con.execute("SELECT count(*) FROM range(1000000000000) a").fetchall()

    monkeypatch.setattr(queries, "stats", slow)
    app = create_app(db_path, timeout_s=0.2)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/stats")
        assert _is_error(r, 504, "timeout")
        assert c.get("/api/events").status_code == 200  # the connection is still usable
    app.state.db.close()


def test_api_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="warta run"):
        create_app(tmp_path / "none.duckdb")


def test_api_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = _get(client, "/openapi.json")
    assert set(spec["paths"]) == {
        "/api/events", "/api/events/{event_id}", "/api/documents", "/api/documents/{doc_id}", "/api/actors",
        "/api/quotes", "/api/stats", "/api/network", "/api/locations"}
    docs_md = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for path in spec["paths"]:
        assert f"GET {path}" in docs_md, f"{path} is not documented in docs/api.md"


def test_api_host_warning_only_off_loopback() -> None:
    assert host_warning("127.0.0.1") is None and host_warning("localhost") is None
    for host in ("0.0.0.0", "192.168.1.5", "::"):
        msg = host_warning(host)
        assert msg and "WARNING" in msg and host in msg


def test_api_dashboard_index_is_served(client: TestClient) -> None:
    from warta.api.app import STATIC_DIR

    r = client.get("/")
    if (STATIC_DIR / "index.html").is_file():
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    else:
        assert _is_error(r, 404, "not_found")


def _hold_write_lock(db: Path) -> subprocess.Popen:
    """Another process holding the database open for writing, as `warta run` does."""
    code = ("import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('locked', flush=True)\n"
            "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_api_answers_503_while_a_writer_holds_the_database(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write(_synthetic())
    app = create_app(db, idle_release_s=0)  # the app lets go of the file after each request
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/api/stats").status_code == 200
        writer = _hold_write_lock(db)
        try:
            r = c.get("/api/events")
            assert _is_error(r, 503, "internal") and "writer" in r.json()["error"]["message"]
        finally:
            writer.kill()
            writer.wait()
        assert c.get("/api/events").json()["total"] == 3  # back once the writer has gone
    app.state.db.close()


def test_api_holds_the_database_only_while_busy(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write(_synthetic())
    app = create_app(db, idle_release_s=0.3)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/api/stats").status_code == 200
        assert app.state.db.is_open()  # kept for the next request ...
        time.sleep(1.0)
        assert not app.state.db.is_open()  # ... and let go when idle, so a `warta run` can start
        with Store(db) as s:  # a writer in this process, as DuckDB sees any other
            s.write([make_doc()])
        assert c.get("/api/stats").json()["totals"]["documents"] == 4  # the new rows are seen
    app.state.db.close()


def test_api_serve_warns_loudly_off_loopback(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from warta.cli import main

    bound: list[tuple[str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: bound.append((host, port)))
    assert main(["serve", "--db", str(db_path)]) == 0
    assert bound[-1] == ("127.0.0.1", 8000) and "WARNING" not in capsys.readouterr().err
    assert main(["serve", "--db", str(db_path), "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert bound[-1] == ("0.0.0.0", 9000) and "WARNING" in capsys.readouterr().err
    assert main(["serve", "--db", str(db_path.parent / "missing.duckdb")]) == 2
    assert "warta run" in capsys.readouterr().err


def test_api_docs_page_is_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert "cdn." not in page.text and "https://" not in page.text
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"):
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 10_000, asset
    assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page would load from a CDN
