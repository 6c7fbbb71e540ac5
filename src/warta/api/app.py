"""``warta serve``: a read-only JSON API over the DuckDB store, plus the dashboard's static files.

Database access
    The app only ever opens the database with ``read_only=True`` and external access off: a write,
    ``COPY ... TO``, ``ATTACH`` or reading another file fails inside DuckDB.
    DuckDB lets one process write a file *or* any number of processes read it, never both, and
    opening it costs tens of milliseconds, so the app keeps one read-only connection while requests
    come in (each request gets its own cursor) and closes it after ``idle_release_s`` without
    requests. Hence:

    * while a ``warta run`` holds the file, requests answer **503** ``{"error": {"code": "internal",
      "message": "database is locked by a writer ..."}}`` and succeed again once the run ends;
    * a ``warta run`` started while the API is busy (or idle for less than ``idle_release_s``)
      stops at once with DuckDB's lock error, before it has read or written anything; rerun it.

Limits
    Page sizes are capped (``limit`` ≤ 500, larger is a 422). Each request's queries are interrupted
    after ``timeout_s`` seconds (504, code ``timeout``). Every error — unknown route, validation,
    timeout, crash — has the one shape ``{"error": {"status", "code", "message"}}``.

Files
    Only ``GET /`` (``static/index.html``) and ``/static/*`` (Starlette's ``StaticFiles``, which refuses
    paths that resolve outside its folder, symlinks included) serve files; ``/docs`` is FastAPI's
    Swagger UI page with the Swagger UI files vendored in ``static/vendor`` (no CDN). ``serve`` binds 127.0.0.1
    unless told otherwise and warns loudly on stderr when bound anywhere else.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from warta import __version__
from warta.api import models, queries

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_LIMIT = 500
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_IDLE_RELEASE_S = 2.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_MAX_OFFSET = 1_000_000_000  # keeps OFFSET inside DuckDB's BIGINT
# Defence in depth beyond read_only: no file access besides the database itself (COPY TO, read_csv,
# ATTACH, extension installs all fail), and no statement can turn that back on. One thread per query:
# /api/events reads a few row groups of the helper tables, where handing work to other threads costs
# more than it saves (and waits for a free core on a busy machine). Requests have cursors of their own,
# each running its query in the request's thread, so they can still run side by side.
DUCKDB_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                 "autoload_known_extensions": False, "lock_configuration": True, "threads": 1}

log = logging.getLogger("warta.api")
T = TypeVar("T")


class ApiError(Exception):
    """An error answered as ``{"error": {"status", "code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status_code=status,
                        headers=headers)


def _code_for(status: int) -> str:
    if status == 404:
        return "not_found"
    if status == 422:
        return "validation_error"
    if status == 504:
        return "timeout"
    return "internal" if status >= 500 else "bad_request"


class Database:
    """Read-only access to one DuckDB file: a shared connection, a cursor per request, a time limit per request."""

    def __init__(self, path: str | Path, timeout_s: float = DEFAULT_TIMEOUT_S,
                 idle_release_s: float = DEFAULT_IDLE_RELEASE_S) -> None:
        self.path = str(path)
        self.timeout_s = timeout_s
        self.idle_release_s = idle_release_s
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._release: threading.Timer | None = None

    def _open(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(self.path, read_only=True, config=dict(DUCKDB_CONFIG))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise ApiError(503, "internal", "database is locked by a writer (a `warta run` is in progress?);"
                                                " retry when it has finished") from exc
            raise ApiError(503, "internal", f"cannot open the database {self.path}") from exc

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._release is not None:
                self._release.cancel()
                self._release = None
            if self._con is None:
                self._con = self._open()
            self._users += 1
            return self._con.cursor()

    def _done(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._con is not None:
                if self.idle_release_s <= 0:
                    self._close_locked()
                else:
                    self._release = threading.Timer(self.idle_release_s, self._close_if_idle)
                    self._release.daemon = True
                    self._release.start()

    def _close_locked(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close_locked()

    def is_open(self) -> bool:
        """Whether the app holds the database file now (a writer cannot open it meanwhile)."""
        with self._lock:
            return self._con is not None

    def close(self) -> None:
        with self._lock:
            if self._release is not None:
                self._release.cancel()
            self._close_locked()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only cursor whose queries are interrupted after ``timeout_s``."""
        cur = self._acquire()
        expired = threading.Event()

        def interrupt() -> None:
            expired.set()
            cur.interrupt()

        timer = threading.Timer(self.timeout_s, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield cur
            if expired.is_set():  # the limit passed between two queries
                raise ApiError(504, "timeout", f"the request took longer than {self.timeout_s:g} s")
        except duckdb.InterruptException as exc:
            raise ApiError(504, "timeout", f"the request took longer than {self.timeout_s:g} s") from exc
        finally:
            timer.cancel()
            cur.close()
            self._done()

    def run(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with self.cursor() as cur:
            return fn(cur)


def _found(value: T | None, what: str, key: str) -> T:
    if value is None:
        raise ApiError(404, "not_found", f"no {what} with id {key!r}")
    return value


# Request parameters: strict patterns turn malformed codes into a 422 before any SQL runs.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=_MAX_OFFSET, description="rows to skip")]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code, e.g. IRN")]
Actor = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{1,32}$", description="actor code prefix, e.g. IRNGOV or IRN")]
EventType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,32}$", description="PLOVER type, e.g. CONSULT")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(v: Any) -> Any:
    # pydantic alone also takes "0" or "1700000000" as a date (Unix time); the API promises YYYY-MM-DD
    if isinstance(v, str) and not _ISO_DATE.fullmatch(v):
        raise ValueError("expected a date as YYYY-MM-DD")
    return v


Since = Annotated[date | None, BeforeValidator(_iso_date), Query(description="first date, YYYY-MM-DD")]
Until = Annotated[date | None, BeforeValidator(_iso_date), Query(description="last date, YYYY-MM-DD")]
Text = Annotated[str | None, Query(max_length=200, description="case-insensitive substring")]
EventText = Annotated[str | None, Query(max_length=200, description=(
    "words, as a search engine takes them: case and accents ignored; an event matches when its evidence "
    "sentence, trigger or actor text holds the words one after the other, the last as the start of a word "
    "(koordinasi also finds koordinasinya), the others whole; spaces between the words stand for any "
    "spacing or punctuation, other characters must appear as typed (al-assad)"))]
Key = Annotated[str, PathParam(max_length=200)]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    s: {"model": models.ErrorBody, "description": d} for s, d in (
        (404, "not found"), (422, "invalid parameter"), (500, "server error"),
        (503, "database locked by a writer"), (504, "request timed out"))
}


def create_app(db_path: str | Path, *, timeout_s: float = DEFAULT_TIMEOUT_S,
               idle_release_s: float = DEFAULT_IDLE_RELEASE_S) -> FastAPI:
    """The API and dashboard app over the database at ``db_path`` (which must exist)."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no database at {db_path}: run `warta run INPUT --db {db_path}` first")
    db = Database(db_path, timeout_s=timeout_s, idle_release_s=idle_release_s)
    # /docs is served below with the vendored Swagger UI: FastAPI's default page loads it from a CDN
    app = FastAPI(title="warta", version=__version__, responses=ERROR_RESPONSES, docs_url=None, redoc_url=None,
                  description="Read-only API over a warta database: events, documents with spans, actors, "
                              "quotes, stats, the country network and event locations.")
    app.state.db = db

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # keeps e.g. the Allow header of a 405
        return error_response(exc.status_code, _code_for(exc.status_code), str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()))
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return error_response(422, "validation_error", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return error_response(500, "internal", "internal server error (details in the server log)")

    @app.get("/api/events", response_model=models.EventPage, tags=["events"])
    def list_events(country: Country = None, actor: Actor = None, type: EventType = None,
                    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None, since: Since = None,
                    until: Until = None, q: EventText = None, limit: Limit = 50, offset: Offset = 0) -> Any:
        """Events, newest first. ``country`` matches either side or the location; ``q`` searches words
        of the evidence sentence, the trigger and the actor texts."""
        return db.run(lambda c: queries.events(c, country=country, actor=actor, type=type, quad_class=quad_class,
                                               since=since, until=until, q=q, limit=limit, offset=offset))

    @app.get("/api/events/{event_id}", response_model=models.EventDetail, tags=["events"])
    def get_event(event_id: Key) -> Any:
        """One event, every mention of it in its article, and the article."""
        return _found(db.run(lambda c: queries.event(c, event_id)), "event", event_id)

    @app.get("/api/documents", response_model=models.DocumentPage, tags=["documents"])
    def list_documents(q: Text = None, site: Text = None,
                       language: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}$")] = None,
                       since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> Any:
        """Documents, newest first; ``q`` is a substring of the title or the text."""
        return db.run(lambda c: queries.documents(c, q=q, site=site, language=language, since=since, until=until,
                                                  limit=limit, offset=offset))

    @app.get("/api/documents/{doc_id}", response_model=models.DocumentDetail, tags=["documents"])
    def get_document(doc_id: Key) -> Any:
        """One document: its text and every entity, event, quote and date span (offsets index ``text``)."""
        return _found(db.run(lambda c: queries.document(c, doc_id)), "document", doc_id)

    @app.get("/api/actors", response_model=models.ActorPage, tags=["actors"])
    def list_actors(limit: Limit = 50, offset: Offset = 0) -> Any:
        """Actor codes by number of events (source or target side), most first."""
        return db.run(lambda c: queries.actors(c, limit=limit, offset=offset))

    @app.get("/api/quotes", response_model=models.QuotePage, tags=["quotes"])
    def list_quotes(speaker: Text = None, country: Country = None, limit: Limit = 50, offset: Offset = 0) -> Any:
        """Quotations; ``speaker`` is a substring of the speaker's canonical name or text."""
        return db.run(lambda c: queries.quotes(c, speaker=speaker, country=country, limit=limit, offset=offset))

    @app.get("/api/stats", response_model=models.Stats, tags=["stats"])
    def get_stats(since: Since = None, until: Until = None) -> Any:
        """Row counts of the database and events per day and PLOVER type."""
        return db.run(lambda c: queries.stats(c, since=since, until=until))

    @app.get("/api/network", response_model=models.Network, tags=["stats"])
    def get_network(type: EventType = None, since: Since = None, until: Until = None,
                    min_count: Annotated[int, Query(ge=1, le=_MAX_OFFSET)] = 1) -> Any:
        """Directed country pairs (source → target) with event counts and mean Goldstein score."""
        return db.run(lambda c: queries.network(c, type=type, since=since, until=until, min_count=min_count))

    @app.get("/api/locations", response_model=models.LocationPage, tags=["stats"])
    def list_locations(since: Since = None, until: Until = None, type: EventType = None, limit: Limit = 50,
                       offset: Offset = 0) -> Any:
        """Event locations with coordinates and event counts, most first."""
        return db.run(lambda c: queries.locations(c, since=since, until=until, type=type, limit=limit,
                                                  offset=offset))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        page = STATIC_DIR / "index.html"
        if not page.is_file():
            raise ApiError(404, "not_found", "the dashboard is not installed (no static/index.html)")
        return FileResponse(page)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="warta API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def host_warning(host: str) -> str | None:
    """The warning to print when ``host`` exposes the API beyond this machine, else None."""
    if host in LOCAL_HOSTS:
        return None
    bar = "!" * 78
    return (f"{bar}\nWARNING: warta serve is listening on {host}, not 127.0.0.1: anyone who can reach this\n"
            "machine can read the whole database (articles, events, quotes). There is no authentication.\n"
            f"Use --host 127.0.0.1 unless you mean it.\n{bar}")


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, timeout_s: float = DEFAULT_TIMEOUT_S,
          idle_release_s: float = DEFAULT_IDLE_RELEASE_S) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    app = create_app(db_path, timeout_s=timeout_s, idle_release_s=idle_release_s)
    warning = host_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"warta: serving {db_path} on http://{host}:{port}/ (API docs at /docs)", file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        app.state.db.close()
