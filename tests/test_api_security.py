"""The API's locks: SQL injection through every parameter, path traversal, the read-only connection."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pytest
from fastapi.testclient import TestClient

from test_api import build_db
from warta.api.app import create_app
from warta.store import Store

INJECTIONS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "IRN' OR '1'='1' --",
    "\" OR \"\"=\"",
    "'; DROP TABLE events; --",
    "x'); DELETE FROM documents; --",
    "1; UPDATE events SET type='X'",
    "') UNION SELECT * FROM documents --",
    "%' OR 1=1 --",
    "' || (SELECT string_agg(text, '') FROM documents) || '",
    "'; COPY events TO '/tmp/warta-pwned.csv'; --",
    "'; ATTACH '/tmp/warta-pwned.duckdb' AS x; --",
    "$$; SELECT 1; $$",
    "1 OR 1=1",
    "IRN\x00",
    "\\'; --",
    "%",
    "_",
]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("api-sec") / "w.duckdb")


@pytest.fixture(scope="module")
def app(db_path: Path) -> Iterator[Any]:
    app = create_app(db_path)
    yield app
    app.state.db.close()


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _fingerprint(db: Path) -> tuple[str, dict[str, int]]:
    with Store(db, read_only=True) as s:
        counts = s.counts()
    return hashlib.sha256(db.read_bytes()).hexdigest(), counts


def _query_params(client: TestClient) -> list[tuple[str, str]]:
    """(path, parameter) for every query parameter of every route in the app's own OpenAPI schema."""
    spec = client.get("/openapi.json").json()
    out = []
    for path, ops in spec["paths"].items():
        for p in ops["get"].get("parameters", []):
            if p["in"] == "query":
                out.append((path, p["name"]))
    return out


def test_api_security_injection_through_every_filter(client: TestClient, app: Any, db_path: Path) -> None:
    app.state.db.close()  # a second config of the same file cannot open in this process while the app holds it
    before = _fingerprint(db_path)
    params = _query_params(client)
    assert {p for _, p in params} == {"country", "actor", "type", "quad_class", "since", "until", "q", "limit",
                                      "offset", "site", "language", "speaker", "min_count"}
    assert len({path for path, _ in params}) == 7
    with Store(db_path, read_only=True) as s:
        texts = [r[0] or "" for r in s.query("SELECT lower(coalesce(title, '') || ' ' || text) FROM documents")[1]]
    for path, name in params:
        for bad in INJECTIONS:
            r = client.get(path, params={name: bad})
            assert r.status_code in (200, 422), (path, name, bad, r.text)
            body = r.json()
            if r.status_code == 422:
                assert body["error"]["code"] == "validation_error"
            elif name == "q" and path in ("/api/events", "/api/documents") and not any(bad.lower() in t for t in texts):
                # a literal substring search: nothing matches a string no document contains
                assert body["total"] == 0, (path, bad)
        for path_tpl in ("/api/events/{}", "/api/documents/{}"):
            for bad in INJECTIONS:
                r = client.get(path_tpl.format(quote(bad, safe="")))
                assert r.status_code in (404, 422), (path_tpl, bad, r.text)
    app.state.db.close()
    assert _fingerprint(db_path) == before
    assert not Path("/tmp/warta-pwned.csv").exists() and not Path("/tmp/warta-pwned.duckdb").exists()


def _raw_get(app: Any, raw_path: bytes) -> tuple[int, bytes]:
    """Send ``raw_path`` to the ASGI app untouched (HTTP clients normalise ``..`` before sending)."""
    sent: list[dict[str, Any]] = []
    received: list[bool] = []

    async def receive() -> dict[str, Any]:
        if received:  # the request has been read: wait (a streaming response listens for a disconnect)
            await asyncio.sleep(3600)
        received.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(msg: dict[str, Any]) -> None:
        sent.append(msg)

    path, _, query = raw_path.partition(b"?")
    from urllib.parse import unquote_to_bytes

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote_to_bytes(path).decode("utf-8", "surrogateescape"), "raw_path": path,
             "query_string": query, "root_path": "", "headers": [(b"host", b"testserver")],
             "server": ("testserver", 80), "client": ("127.0.0.1", 1)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


TRAVERSALS = [
    b"/static/../app.py", b"/static/../../api/app.py", b"/static/../../../../pyproject.toml",
    b"/static/%2e%2e/app.py", b"/static/%2e%2e%2f%2e%2e%2fstore.py", b"/static/..%2fapp.py",
    b"/static/..%5capp.py", b"/static/..\\app.py", b"/static//etc/passwd", b"/static/%2fetc%2fpasswd",
    b"/static/../../../../../../../../etc/passwd", b"/../../../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd",
    b"/static/vendor/../../app.py", b"/static/%00../app.py", b"/static/.%2e/app.py", b"/app.py",
    b"/warta/api/app.py", b"/static/", b"/static/?../app.py",
]


@pytest.mark.parametrize("raw", TRAVERSALS, ids=[t.decode("latin-1") for t in TRAVERSALS])
def test_api_security_no_file_outside_static(app: Any, raw: bytes) -> None:
    status, body = _raw_get(app, raw)
    assert status == 404, (raw, status, body[:200])
    assert b"import " not in body and b"root:" not in body and b"[project]" not in body
    assert body.startswith(b'{"error":')


def test_api_security_static_serves_its_own_files(app: Any) -> None:
    from warta.api.app import STATIC_DIR

    files = [p for p in STATIC_DIR.rglob("*") if p.is_file()] if STATIC_DIR.is_dir() else []
    if not files:
        pytest.skip("no dashboard files installed")
    f = files[0]
    status, body = _raw_get(app, b"/static/" + f.relative_to(STATIC_DIR).as_posix().encode())
    assert status == 200 and body == f.read_bytes()


@pytest.mark.parametrize("sql", [
    "CREATE TABLE pwned (i INTEGER)", "INSERT INTO errors (doc_id) VALUES ('x')", "DELETE FROM documents",
    "UPDATE events SET type = 'X'", "DROP TABLE events", "COPY events TO '/tmp/warta-pwned.csv'",
    "ATTACH '/tmp/warta-pwned.duckdb' AS p", "SELECT * FROM read_csv('/etc/passwd')",
    "SET enable_external_access = true",
])
def test_api_security_connection_cannot_write(app: Any, sql: str) -> None:
    with app.state.db.cursor() as cur, pytest.raises(duckdb.Error):
        cur.execute(sql)
    assert not Path("/tmp/warta-pwned.csv").exists()
