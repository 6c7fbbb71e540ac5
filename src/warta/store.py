"""The embedded DuckDB store: schema, idempotent writes, and the queries the CLI and API use.

One writer per database file. Rows of every table carry the ``doc_id`` of the
document they come from, and every span its character offsets
(``char_start``/``char_end``) into ``documents.text``. Writing a document
replaces whatever an earlier run wrote for the same id, so a rerun of the same
input leaves the same rows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from warta.document import Document
from warta.pipeline import Failure

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, path VARCHAR, url VARCHAR, site VARCHAR, source_code VARCHAR,
    language VARCHAR, title VARCHAR, author VARCHAR, published DATE, published_inferred BOOLEAN,
    dateline_text VARCHAR, dateline_place VARCHAR, dateline_country VARCHAR,
    dateline_lat DOUBLE, dateline_lon DOUBLE,
    text VARCHAR, boilerplate VARCHAR[], warnings VARCHAR[], duplicate_of VARCHAR,
    n_entities INTEGER, n_events INTEGER, n_quotes INTEGER, record JSON, processed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS entities (
    doc_id VARCHAR, idx INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR, type VARCHAR,
    canonical VARCHAR, actor VARCHAR, country VARCHAR, kb_id VARCHAR, role VARCHAR, method VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR, doc_id VARCHAR, idx INTEGER, type VARCHAR, cameo VARCHAR, goldstein DOUBLE,
    quad_class INTEGER, source_text VARCHAR, source_actor VARCHAR, source_country VARCHAR,
    target_text VARCHAR, target_actor VARCHAR, target_country VARCHAR, date DATE,
    location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
    trigger_start INTEGER, trigger_end INTEGER, trigger_text VARCHAR,
    sentence_start INTEGER, sentence_end INTEGER, negated BOOLEAN, mode VARCHAR, claimed_by VARCHAR,
    n_mentions INTEGER
);
CREATE TABLE IF NOT EXISTS quotes (
    doc_id VARCHAR, idx INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR, kind VARCHAR,
    speaker_text VARCHAR, speaker_canonical VARCHAR, speaker_actor VARCHAR, speaker_country VARCHAR
);
CREATE TABLE IF NOT EXISTS dates (
    doc_id VARCHAR, idx INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR, value DATE,
    relative BOOLEAN
);
CREATE TABLE IF NOT EXISTS errors (
    doc_id VARCHAR, path VARCHAR, step VARCHAR, kind VARCHAR, reason VARCHAR, recorded_at TIMESTAMP
);
-- One row per real-world event as several articles report it (GDELT's Events over Mentions):
-- same date, PLOVER type, source, target and location country. Symmetric types ignore direction.
-- Near-duplicate articles (documents.duplicate_of) count once in num_articles.
CREATE OR REPLACE VIEW event_groups AS
WITH e AS (
    SELECT ev.*, d.site, d.url, coalesce(d.duplicate_of, d.id) AS article,
        coalesce(ev.source_country, ev.source_actor) AS s_key,
        coalesce(ev.target_country, ev.target_actor, '') AS t_key
    FROM events ev JOIN documents d ON d.id = ev.doc_id
), k AS (
    SELECT *,
        CASE WHEN type IN ('CONSULT', 'COOPERATE', 'AGREE') AND t_key < s_key THEN t_key ELSE s_key END AS a_key,
        CASE WHEN type IN ('CONSULT', 'COOPERATE', 'AGREE') AND t_key < s_key THEN s_key ELSE t_key END AS b_key
    FROM e
)
SELECT
    md5(concat_ws('|', coalesce(CAST(date AS VARCHAR), ''), type, a_key, b_key, coalesce(location_country, ''))) AS group_id,
    date, type, a_key AS actor1_key, b_key AS actor2_key, location_country,
    min(cameo) AS cameo, avg(goldstein) AS goldstein, min(quad_class) AS quad_class,
    any_value(source_actor) AS actor1_code, any_value(source_text) AS actor1_name,
    any_value(target_actor) AS actor2_code, any_value(target_text) AS actor2_name,
    any_value(location_name) AS location_name, any_value(lat) AS lat, any_value(lon) AS lon,
    sum(n_mentions) AS num_mentions, count(DISTINCT site) AS num_sources,
    count(DISTINCT article) AS num_articles, min(url) AS source_url, list(DISTINCT doc_id) AS doc_ids
FROM k
GROUP BY date, type, a_key, b_key, location_country;
"""

# The API's helper tables for /api/events (docs/api.md, "Benchmark"). They hold positions in the
# sorted events table (its rowid after sort_events), so every write drops them (in its transaction)
# and the Store's close rebuilds them; the API falls back to scanning events when they are absent.
EVENT_INDEX_VERSION = 1
EVENT_INDEX_TABLES = ("event_index_info", "event_index_country", "event_index_actor", "event_index_term",
                      "event_index_doc", "event_index_count")
# A word, for the API's text search: a run of letters and digits (after lower() and strip_accents()).
NON_WORD_RE = r"[^\p{L}\p{N}]+"
EVENTS_ORDER = "date DESC NULLS LAST, doc_id, idx"

log = logging.getLogger("warta.store")

# DuckDB keeps the documents primary-key index in memory, outside what it can spill:
# measured ~95 bytes per id; a memory limit below it makes writes fail.
INDEX_BYTES_PER_DOC = 192
# DuckDB's working memory (beyond that index) while close sorts events and builds the API's helper
# tables, when the Store has a smaller one: 1M events sorted in 80 MB on one thread, not in 32 MB.
CLOSE_BUFFERS_MB = (48, 96, 192)
TERM_CHUNK_EVENTS = 5_000  # events whose words are indexed per statement (see build_event_index)
TABLES = ("documents", "entities", "events", "quotes", "dates", "errors")
DOC_TABLES = ("entities", "events", "quotes", "dates")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def _insert_sql(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """INSERT of a whole batch passed as one parameter, a list of structs (DATE and JSON come as text)."""
    fields = ", ".join(f'"{name}" {"VARCHAR" if typ in ("DATE", "JSON") else typ}'
                       for name, typ, *_ in con.execute(f"DESCRIBE {table}").fetchall())
    return f"INSERT INTO {table} SELECT s.* FROM (SELECT unnest(CAST(? AS STRUCT({fields})[])) AS s)"


def drop_event_index(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the API's helper tables (inside a write's transaction: they would describe old rows)."""
    for t in EVENT_INDEX_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {t}")


def build_event_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Build the API's helper tables over the events table, stored in the API's order; False if it is not.

    Run in a transaction of its own after ``Store.sort_events`` committed the sorted table: an event's
    rowid is then its position in the API's order (newest first, then doc_id, idx; within the sorting
    transaction rowids are temporary ones), so a sorted set of positions is a page in API order.
    Each helper table is sorted by its key, so DuckDB's per-row-group min/max skip all but the key's rows:

    - ``event_index_country(country, pos, date, type, quad_class)``: one row per event and distinct
      country among source, target and location (``country=`` is one selective scan, not an OR);
    - ``event_index_actor(actor, pos, other, date, type, quad_class)``: one row for the source actor,
      one for a different target actor with ``other`` = the source actor, so a prefix search counts
      an event once by skipping target rows whose ``other`` matches too;
    - ``event_index_term(term, pos, n)``: the words (``NON_WORD_RE``) of the trigger, actor and evidence
      sentence texts, lower-cased and without accents, ``n`` counting words across the event's texts
      (``q=``: a phrase is words at n, n + 1, ...; duplicates kept, the query removes them);
    - ``event_index_doc(pos, title, site)``: the event's document's title and site (a page's titles
      by position cost less than a lookup by document id, which scans every id);
    - ``event_index_count(date, type, quad_class, n)``: events per value of the events table's own
      filters, for the total of a page filtered by those alone;
    - ``event_index_info(version, n_events, built_at)``: the API uses the tables only when ``version``
      and ``n_events`` match.
    """
    drop_event_index(con)
    misplaced = con.execute(f"SELECT count(*) FROM (SELECT rowid AS r, row_number() OVER (ORDER BY {EVENTS_ORDER}) - 1"
                            " AS k FROM events) WHERE r <> k").fetchone()[0]
    if misplaced:
        return False
    con.execute("""
        CREATE TABLE event_index_country AS
        SELECT source_country AS country, rowid AS pos, date, type, quad_class FROM events
        WHERE source_country IS NOT NULL
        UNION ALL SELECT target_country, rowid, date, type, quad_class FROM events
        WHERE target_country IS NOT NULL AND target_country IS DISTINCT FROM source_country
        UNION ALL SELECT location_country, rowid, date, type, quad_class FROM events
        WHERE location_country IS NOT NULL AND location_country IS DISTINCT FROM source_country
              AND location_country IS DISTINCT FROM target_country
        ORDER BY country, pos""")
    con.execute("""
        CREATE TABLE event_index_actor AS
        SELECT source_actor AS actor, rowid AS pos, NULL::VARCHAR AS other, date, type, quad_class FROM events
        WHERE source_actor IS NOT NULL
        UNION ALL SELECT target_actor, rowid, source_actor, date, type, quad_class FROM events
        WHERE target_actor IS NOT NULL AND target_actor IS DISTINCT FROM source_actor
        ORDER BY actor, pos""")
    # Words of each text in order (n), an empty word between texts so that no phrase spans two; the
    # evidence sentence is a slice of documents.text (DuckDB substring is 1-based, in code points).
    texts = ("e.trigger_text", "e.source_text", "e.target_text",
             "substring(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)")
    words = ", [''], ".join(f"regexp_split_to_array(strip_accents(lower(coalesce({t}, ''))), '{NON_WORD_RE}')"
                            for t in texts)
    # A chunk of events at a time, joined with only its own documents: a join with the whole documents
    # table hashes every article's text (50,000 articles did not fit in 128 MB); the final sort spills.
    con.execute("CREATE TEMP TABLE event_index_term_raw (term VARCHAR, pos BIGINT, n INTEGER)")
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    for lo in range(0, n_events, TERM_CHUNK_EVENTS):
        con.execute(f"""
            INSERT INTO event_index_term_raw
            SELECT term, pos, n FROM (
                SELECT unnest(w) AS term, unnest(range(len(w)))::INTEGER AS n, pos
                FROM (SELECT e.pos, flatten([{words}]) AS w
                      FROM (SELECT rowid AS pos, * FROM events WHERE rowid >= $lo AND rowid < $hi) e
                      LEFT JOIN (SELECT id, text FROM documents WHERE id IN
                                 (SELECT doc_id FROM events WHERE rowid >= $lo AND rowid < $hi)) d
                      ON d.id = e.doc_id))
            WHERE term <> ''""", {"lo": lo, "hi": lo + TERM_CHUNK_EVENTS})
    con.execute("CREATE TABLE event_index_term AS SELECT term, pos, n FROM event_index_term_raw ORDER BY term, pos")
    con.execute("DROP TABLE event_index_term_raw")
    con.execute("CREATE TABLE event_index_doc AS SELECT e.rowid AS pos, d.title, d.site FROM events e"
                " LEFT JOIN documents d ON d.id = e.doc_id ORDER BY pos")
    con.execute("CREATE TABLE event_index_count AS SELECT date, type, quad_class, count(*) AS n FROM events"
                " GROUP BY ALL ORDER BY ALL")
    con.execute("CREATE TABLE event_index_info AS SELECT ?::INTEGER AS version, count(*) AS n_events,"
                " now()::TIMESTAMP AS built_at FROM events", [EVENT_INDEX_VERSION])
    return True


def rows_for(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """The rows one document contributes to each table (pure: also used for Parquet shards)."""
    rec = doc.to_record()
    dl = doc.dateline
    place = dl.place if dl else None
    now = datetime.now(UTC).replace(tzinfo=None)
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    out["documents"].append({
        "id": doc.id, "path": doc.path, "url": doc.url, "site": doc.site, "source_code": doc.source_code,
        "language": doc.language, "title": doc.title, "author": doc.author, "published": doc.published,
        "published_inferred": doc.published_inferred,
        "dateline_text": dl.text if dl else None, "dateline_place": place.name if place else None,
        "dateline_country": place.country if place else None,
        "dateline_lat": place.lat if place else None, "dateline_lon": place.lon if place else None,
        "text": doc.text, "boilerplate": list(doc.boilerplate), "warnings": list(doc.warnings),
        "duplicate_of": doc.duplicate_of, "n_entities": len(doc.entities), "n_events": len(doc.events),
        "n_quotes": len(doc.quotes), "record": json.dumps(rec, ensure_ascii=False), "processed_at": now,
    })
    for i, e in enumerate(doc.entities):
        out["entities"].append({
            "doc_id": doc.id, "idx": i, "char_start": e.start, "char_end": e.end, "text": e.text, "type": e.type,
            "canonical": e.canonical, "actor": e.actor, "country": e.country, "kb_id": e.kb_id, "role": e.role,
            "method": e.method,
        })
    for i, ev in enumerate(doc.events):
        s, t, loc = ev.source, ev.target, ev.location
        out["events"].append({
            "event_id": f"{doc.id[:16]}-{i}", "doc_id": doc.id, "idx": i, "type": ev.type, "cameo": ev.cameo,
            "goldstein": ev.goldstein, "quad_class": ev.quad_class,
            "source_text": s.text if s else None, "source_actor": s.actor if s else None,
            "source_country": s.country if s else None,
            "target_text": t.text if t else None, "target_actor": t.actor if t else None,
            "target_country": t.country if t else None, "date": ev.date,
            "location_name": loc.name if loc else None, "location_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            "trigger_start": ev.trigger.start, "trigger_end": ev.trigger.end, "trigger_text": ev.trigger.text,
            "sentence_start": ev.sentence.start, "sentence_end": ev.sentence.end, "negated": ev.negated,
            "mode": ev.mode, "claimed_by": ev.claimed_by, "n_mentions": 1 + len(ev.mentions),
        })
    for i, q in enumerate(doc.quotes):
        sp = q.speaker
        out["quotes"].append({
            "doc_id": doc.id, "idx": i, "char_start": q.start, "char_end": q.end, "text": q.text, "kind": q.kind,
            "speaker_text": sp.text if sp else None, "speaker_canonical": sp.canonical if sp else None,
            "speaker_actor": sp.actor if sp else None, "speaker_country": sp.country if sp else None,
        })
    for i, d in enumerate(doc.dates):
        out["dates"].append({"doc_id": doc.id, "idx": i, "char_start": d.start, "char_end": d.end,
                             "text": d.text, "value": d.value, "relative": d.relative})
    return out


def latest(results: Iterable[Document | Failure]) -> list[Document | Failure]:
    """One result per document id, the last one: what a later batch would leave in the tables.

    Identical bytes read from two files are one document (same id); without this, a batch
    holding both would break the primary key, and which copy survives would depend on
    where the batch boundaries fall.
    """
    last: dict[str, Document | Failure] = {}
    for r in results:
        key = r.id if isinstance(r, Document) else r.doc_id
        last.pop(key, None)  # re-insert so the order is that of the last occurrence
        last[key] = r
    return list(last.values())


def rows_for_failure(f: Failure) -> dict[str, Any]:
    return {"doc_id": f.doc_id, "path": f.path, "step": f.step, "kind": f.kind, "reason": f.reason,
            "recorded_at": datetime.now(UTC).replace(tzinfo=None)}


class Store:
    """A DuckDB database file (or ``:memory:``) holding warta's tables."""

    def __init__(self, path: str | Path = "warta.duckdb", read_only: bool = False,
                 buffer_mb: int | None = None) -> None:
        """``buffer_mb`` bounds DuckDB's memory while writing: that much for cached and working data
        (beyond it DuckDB spills to disk), plus room for the primary-key index, which cannot
        spill and grows with the documents. Unbounded (DuckDB: 80% of RAM) when None."""
        self.path = str(path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise FileNotFoundError(f"no database at {self.path}: run `warta run INPUT --db {self.path}` first")
        self.con = duckdb.connect(self.path, read_only=read_only)
        self._buffer = buffer_mb * 2**20 if buffer_mb else None
        if not read_only:
            self.con.execute(SCHEMA_SQL)
        self._cols = {t: _columns(self.con, t) for t in TABLES}
        self._sql: dict[str, str] = {}
        self._written = False
        self._limit_memory()

    def _limit_memory(self, buffer: int | None = None) -> None:
        buffer = buffer or self._buffer
        if buffer is None:
            return
        n = self.con.execute("SELECT count(*) FROM documents").fetchone()[0]
        self.con.execute(f"SET memory_limit = '{(buffer + INDEX_BYTES_PER_DOC * n) // 1024}KiB'")

    def close(self) -> None:
        if self._written:
            self.sort_events()
        self.con.close()

    def sort_events(self) -> None:
        """Store events newest first: DuckDB skips row groups by their date range, so the API's
        date-ordered pages and date filters read a few row groups instead of the whole table.
        Then rebuild the API's helper tables (``build_event_index``); when they do not fit in the
        memory limit the API scans the events table instead (slower, same answers)."""
        def sort() -> None:
            drop_event_index(self.con)
            self.con.execute(f"CREATE OR REPLACE TABLE events AS SELECT * FROM events ORDER BY {EVENTS_ORDER}")

        def index() -> None:
            if not build_event_index(self.con):
                log.warning("events are not stored in the API's order: its helper tables were not built")

        if self._buffer is None:
            self._transaction(sort)
            self._written = False
            self._index_or_warn(index)
            return
        # Close needs more working memory than a batch write (sorting 1M events did not fit in 32 MB; the
        # word index of 50,000 articles not in 40 MB), but every MB here adds to the run's peak: start
        # small and retry a failed step with twice the memory, up to CLOSE_BUFFERS_MB[-1].
        self.con.execute("SET threads = 1")
        try:
            for step in (sort, index):
                for k, mb in enumerate(CLOSE_BUFFERS_MB):
                    self._limit_memory(max(self._buffer, mb * 2**20))
                    try:
                        self._transaction(step)
                        break
                    except duckdb.OutOfMemoryException as exc:
                        if k + 1 < len(CLOSE_BUFFERS_MB):
                            continue
                        if step is sort:  # as before the helper tables: the caller's error
                            raise
                        log.warning("the API's helper tables do not fit in DuckDB's memory limit (%s); "
                                    "/api/events will scan the events table instead", exc)
                if step is sort:
                    self._written = False
        finally:
            self.con.execute("RESET threads")
            self._limit_memory()

    def _index_or_warn(self, index: Callable[[], None]) -> None:
        try:
            self._transaction(index)
        except duckdb.OutOfMemoryException as exc:
            log.warning("the API's helper tables do not fit in DuckDB's memory limit (%s); /api/events will"
                        " scan the events table instead", exc)

    def _transaction(self, fn: Callable[[], object]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            fn()
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def mark_written(self) -> None:
        """For writes that bypass ``write`` (Dask's shard loader): call inside their transaction, so
        the API's helper tables go with it and ``close`` sorts events and rebuilds them."""
        drop_event_index(self.con)
        self._written = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writes
    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        # The batch goes in as one list-of-structs parameter: executemany binds row by row, which
        # cost ~40 ms per article; this costs ~1 ms, without importing pyarrow (~35 MB).
        if not rows:
            return
        sql = self._sql.get(table) or self._sql.setdefault(table, _insert_sql(self.con, table))
        cols = self._cols[table]
        self.con.execute(sql, [[{c: r.get(c) for c in cols} for r in rows]])

    def write(self, results: Iterable[Document | Failure]) -> None:
        """Write a batch in one transaction: documents replace their earlier rows, failures their errors."""
        items = latest(results)
        docs = [r for r in items if isinstance(r, Document)]
        fails = [r for r in items if isinstance(r, Failure)]
        self.con.execute("BEGIN TRANSACTION")
        try:
            if not self._written:
                drop_event_index(self.con)  # until close rebuilds them they would describe old rows
            ids = [d.id for d in docs] + [f.doc_id for f in fails]
            if ids:
                for t in ("documents",):
                    self.con.execute(f"DELETE FROM {t} WHERE id IN (SELECT unnest(?))", [ids])
                for t in (*DOC_TABLES, "errors"):
                    self.con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT unnest(?))", [ids])
            merged: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
            for d in docs:
                for t, rows in rows_for(d).items():
                    merged[t].extend(rows)
            merged["errors"] = [rows_for_failure(f) for f in fails]
            for t in TABLES:
                self._insert(t, merged[t])
            self.con.execute("COMMIT")
            self._written = True
            self._limit_memory()
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ reads
    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()

    def events(self, country: str | None = None, type: str | None = None, since: str | None = None,
               until: str | None = None, actor: str | None = None, limit: int | None = None,
               offset: int = 0) -> tuple[list[str], list[tuple]]:
        """Events filtered by country (either side or the location), PLOVER type and date range."""
        where, params = [], []
        if country:
            where.append("(source_country = ? OR target_country = ? OR location_country = ?)")
            params += [country.upper()] * 3
        if actor:
            where.append("(source_actor LIKE ? OR target_actor LIKE ?)")
            params += [f"{actor.upper()}%"] * 2
        if type:
            where.append("type = ?")
            params.append(type.upper())
        if since:
            where.append("date >= CAST(? AS DATE)")
            params.append(since)
        if until:
            where.append("date <= CAST(? AS DATE)")
            params.append(until)
        sql = ("SELECT date, type, cameo, source_actor, source_text, target_actor, target_text, "
               "location_name, trigger_text, claimed_by, doc_id FROM events")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, type, source_actor, target_actor, doc_id, idx"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        return self.query(sql, params)
