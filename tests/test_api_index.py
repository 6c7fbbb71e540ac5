"""/api/events through the writer's helper tables (``warta.store.build_event_index``) and without them
(older databases, a stale index) against a plain reference: SQL for the structured filters, Python
for ``q``'s word rule, on a small generated database."""

from __future__ import annotations

import logging
import random
import re
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED
from test_document import make_doc
from warta.api import queries
from warta.store import EVENT_INDEX_TABLES, Store

# Words with accents, hyphens, digits and prefixes of one another, so that q's rules all matter.
VOCAB = ["koordinasi", "koordinasinya", "berkoordinasi", "sanksi", "Sanksi", "juru", "bicara", "juru-bicara",
         "Pelé", "pele", "Menteri", "menteri", "Al-Assad", "al", "Assad", "Iran", "IRNA", "orang", "1.000",
         "10", "2024", "café", "naïve", "São", "Paulo", "di", "ke", "dari", "Ünal", "pihak", "bertemu",
         "Straße", "Łódź"]  # ß and ł have no accent to remove: words sorting after every ASCII word
PUNCT = [" ", " ", " ", " ", ", ", " - ", "-", " (", ") ", "; ", "  "]
COUNTRIES = ["IRN", "USA", "IDN", "SYR", "RUS", "FJI"]
ACTORS = ["IRN", "IRNGOV", "IRNMIL", "USA", "USAGOV", "IDN", "IDNOPP", "SYRMIL", "RUSGOV", "FJI"]
TYPES = ["CONSULT", "ACCUSE", "ASSAULT", "AID", "PROTEST"]
DAYS = [date(2020, 1, 1) + timedelta(days=d) for d in (0, 0, 1, 5, 30, 31, 200, 366, 800)]
COLS = ", ".join(f"e.{c}" for c in queries.EVENT_COLUMNS)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCAB) for _ in range(rng.randint(3, 9))]
    out = words[0]
    for w in words[1:]:
        out += rng.choice(PUNCT) + w
    return out + "."


def _fill(db: Path, seed: int = 7) -> None:
    """Documents and events with random filters' values, ties in date and document, NULLs everywhere allowed."""
    rng = random.Random(seed)
    Store(db).close()  # schema
    con = duckdb.connect(str(db))
    docs, events = [], []
    for i in range(120):
        sents = [_sentence(rng) for _ in range(rng.randint(1, 5))]
        text = " ".join(sents)
        doc_id = f"d{i:03d}"
        docs.append((doc_id, f"Judul {i}", f"site{i % 4}.example", text, rng.choice(DAYS)))
        spans, at = [], 0
        for s in sents:
            spans.append((at, at + len(s)))
            at += len(s) + 1
        for k in range(rng.randint(0, 14)):
            s0, s1 = rng.choice(spans)
            t0 = rng.randint(s0, s1 - 1)
            t1 = min(s1, t0 + rng.randint(1, 12))
            sa, ta = rng.choice([*ACTORS, None]), rng.choice([*ACTORS, None, None])
            quad = rng.choice([1, 2, 3, 4, None])
            events.append((
                f"{doc_id}-{k}", doc_id, k, rng.choice(TYPES), "010", 1.0, quad,
                rng.choice([None, _sentence(rng)]), sa, sa[:3] if sa and rng.random() < 0.9 else None,
                rng.choice([None, _sentence(rng)]) if ta else None, ta, ta[:3] if ta else None,
                rng.choice([*DAYS, None]), "Kota", rng.choice([*COUNTRIES, None, None]), None, None,
                t0, t1, text[t0:t1], *((None, None) if rng.random() < 0.03 else (s0, s1)),
                False, None, None, 1))
    # an event whose document is missing: no title, no sentence; its trigger and source text end and
    # begin with "gajah" and "terbang": a phrase of words in two texts must not match
    events.append(("gone-0", "gone", 0, "AID", "070", 3.0, 1, "terbang tinggi", "USA", "USA", None, None, None,
                   DAYS[0], None, None, None, None, 0, 4, "Pelé gajah", 0, 10, False, None, None, 1))
    # one statement per table: executemany binds row by row (seconds for a thousand rows)
    con.execute("INSERT INTO documents (id, title, site, text, published) VALUES "
                + ", ".join(["(?, ?, ?, ?, ?)"] * len(docs)), [v for row in docs for v in row])
    con.execute("INSERT INTO events VALUES " + ", ".join([f"({', '.join('?' * 27)})"] * len(events)),
                [v for row in events for v in row])
    con.close()


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, duckdb.DuckDBPyConnection]]:
    """The same rows three ways: with helper tables, without, and with helper tables that are stale."""
    root = tmp_path_factory.mktemp("index")
    plain = root / "plain.duckdb"
    _fill(plain)
    indexed, stale = root / "indexed.duckdb", root / "stale.duckdb"
    shutil.copy(plain, indexed)
    with Store(indexed) as s:
        s.mark_written()  # rows came in by SQL: close sorts and builds as after a run
    shutil.copy(indexed, stale)
    con = duckdb.connect(str(stale))  # a writer that knows nothing of the helper tables
    con.execute("DELETE FROM events WHERE event_id = (SELECT min(event_id) FROM events WHERE type = 'AID')")
    con.close()
    cons = {name: duckdb.connect(str(p), read_only=True) for name, p in
            (("indexed", indexed), ("plain", plain), ("stale", stale))}
    yield cons
    for c in cons.values():
        c.close()


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


@cache
def _pieces(s: str) -> tuple[list[str], list[str]]:
    """Words (letters and digits) of ``s`` folded and the separators around them: len(seps) == len(words) + 1."""
    parts = re.split(r"([^\W_]+)", _fold(s))
    return parts[1::2], parts[0::2]


def _matches(q: str, text: str | None) -> bool:
    """q's rule stated over words and separators (the API states it as a regular expression)."""
    if text is None:
        return False
    qw, qs = _pieces(q)
    tw, ts = _pieces(text)
    k = len(qw)
    for i in range(len(tw) - k + 1):
        if qs[0].strip() and not ts[i].endswith(qs[0]):
            continue
        if any(tw[i + j] != qw[j] for j in range(k - 1)):
            continue
        if any(qs[j].strip() and ts[i + j] != qs[j] for j in range(1, k)):
            continue
        if qs[k].strip():
            if tw[i + k - 1] == qw[k - 1] and ts[i + k].startswith(qs[k]):
                return True
        elif tw[i + k - 1].startswith(qw[k - 1]):
            return True
    return False


def reference(con: duckdb.DuckDBPyConnection, *, country: str | None = None, actor: str | None = None,
              type: str | None = None, quad_class: int | None = None, since: date | None = None,
              until: date | None = None, q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    where, params = ["true"], []
    if country:
        where.append("? IN (e.source_country, e.target_country, e.location_country)")
        params.append(country.upper())
    if actor:
        where.append("(e.source_actor LIKE ? OR e.target_actor LIKE ?)")
        params += [actor.upper() + "%"] * 2
    if type:
        where.append("e.type = ?")
        params.append(type.upper())
    if quad_class is not None:
        where.append("e.quad_class = ?")
        params.append(quad_class)
    if since:
        where.append("e.date >= ?")
        params.append(since)
    if until:
        where.append("e.date <= ?")
        params.append(until)
    cur = con.execute(f"SELECT {COLS}, d.title, d.site, d.text AS _text FROM events e LEFT JOIN documents d"
                      f" ON d.id = e.doc_id WHERE {' AND '.join(where)}"
                      " ORDER BY e.date DESC NULLS LAST, e.doc_id, e.idx", params)
    names = [c[0] for c in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    if q:
        def sentence(r: dict[str, Any]) -> str | None:
            if r["_text"] is None or r["sentence_start"] is None:
                return None
            return r["_text"][r["sentence_start"]:r["sentence_end"]]
        rows = [r for r in rows if _pieces(q)[0] and any(
            _matches(q, t) for t in (r["trigger_text"], r["source_text"], r["target_text"], sentence(r)))]
    items = []
    for r in rows[offset:offset + limit]:
        r.pop("_text")
        r["date"] = r["date"].isoformat() if r["date"] else None
        items.append(r)
    return {"total": len(rows), "limit": limit, "offset": offset, "items": items}


CASES: list[dict[str, Any]] = [
    {}, {"limit": 500}, {"limit": 7, "offset": 3}, {"offset": 10_000}, {"limit": 1, "offset": 0},
    {"country": "irn"}, {"country": "FJI", "limit": 3, "offset": 2}, {"country": "XXX"},
    {"actor": "IRN"}, {"actor": "irngov"}, {"actor": "I", "limit": 500}, {"actor": "USA", "country": "IRN"},
    {"type": "consult"}, {"quad_class": 4}, {"since": DAYS[3]}, {"until": DAYS[1]},
    {"since": DAYS[1], "until": DAYS[6], "type": "AID", "country": "USA"},
    {"actor": "IDN", "quad_class": 1, "limit": 500, "offset": 1},
    {"q": "koordinasi"}, {"q": "KOORDINASI", "limit": 500}, {"q": "koord"}, {"q": "berkoordinasi"},
    {"q": "pele"}, {"q": "Pelé"}, {"q": "PELE"}, {"q": "juru bicara"}, {"q": "juru-bicara"}, {"q": "juru  bic"},
    {"q": "al-assad"}, {"q": "al assad"}, {"q": "-assad"}, {"q": "assad,"}, {"q": "1.000"}, {"q": "1 000"},
    {"q": "sao paulo"}, {"q": "menteri (iran"}, {"q": "%"}, {"q": "_"}, {"q": "   "}, {"q": "' OR 1=1 --"},
    {"q": "IRN\x00"}, {"q": "naive"}, {"q": "di ke"}, {"q": "cafe", "country": "USA"},
    {"q": "sanksi", "type": "ACCUSE", "since": DAYS[2]}, {"q": "orang", "actor": "IRN", "country": "IDN"},
    {"q": "bertemu pihak"}, {"q": "unal"}, {"q": "gajah terbang"}, {"q": "terbang tinggi"}, {"q": "pelé gajah"},
    {"q": "stra"}, {"q": "strasse"}, {"q": "łod"}, {"q": "lodz"},
]


def _indexed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether /api/events answers from the helper tables (else it scans the events table)."""
    try:
        return queries._indexed_page(con, None, None, None, None, None, None, None, 1, 0) is not None
    except duckdb.CatalogException:
        return False


def _compare(dbs: dict[str, duckdb.DuckDBPyConnection], params: dict[str, Any]) -> None:
    scan = queries._events_scan
    for name, con in dbs.items():
        calls: list[int] = []

        def counting(*a: Any, _calls: list[int] = calls) -> dict[str, Any]:
            _calls.append(1)
            return scan(*a)

        queries._events_scan = counting  # type: ignore[assignment]
        try:
            assert queries.events(con, **params) == reference(con, **params), name
        finally:
            queries._events_scan = scan  # type: ignore[assignment]
        has_words = not params.get("q") or _pieces(params["q"])[0]
        assert len(calls) == (name != "indexed" and bool(has_words)), name  # which path answered


@pytest.mark.parametrize("params", CASES, ids=[str(sorted(c.items())) for c in CASES])
def test_api_index_events_match_the_reference(dbs: dict[str, duckdb.DuckDBPyConnection], params: dict[str, Any]) -> None:
    _compare(dbs, params)


def test_api_index_is_used_only_when_it_describes_the_events(dbs: dict[str, duckdb.DuckDBPyConnection]) -> None:
    assert _indexed(dbs["indexed"])
    assert not _indexed(dbs["plain"]) and not _indexed(dbs["stale"])
    # the cases above are not vacuous
    assert reference(dbs["indexed"], q="juru bicara")["total"] > reference(dbs["indexed"], q="juru-bicara")["total"] > 0
    assert reference(dbs["indexed"], q="pele")["total"] > 0 and reference(dbs["indexed"], actor="I")["total"] > 500
    assert reference(dbs["indexed"], q="stra")["total"] > 0 and reference(dbs["indexed"], q="terbang tinggi")["total"]


def test_api_index_prefix_bounds() -> None:
    assert queries._prefix_bounds("koord") == ("koord", "koore")
    assert queries._prefix_bounds("a\ud7ff") == ("a\ud7ff", "a\ue000")  # past the surrogates
    for word in ("koord", "straße", "łod", "a\ud7ff"):
        lo, hi = queries._prefix_bounds(word)
        assert all(lo <= w < hi for w in (word, word + "a", word + "ß", word + "\U0010ffff"))
        after = word[:-1] + chr(ord(hi[-1]))  # the first string past the prefix's (surrogates excluded)
        assert not any(lo <= w < hi for w in (word[:-1], after, after + "a"))


_text = st.lists(st.sampled_from([*VOCAB, "koo", "sank", "ba", "1", "Asad", "stra", "ło"]), min_size=1, max_size=3).flatmap(
    lambda ws: st.lists(st.sampled_from([*PUNCT, "", "'"]), min_size=len(ws) + 1, max_size=len(ws) + 1).map(
        lambda ps: ps[0].strip() + "".join(w + p for w, p in zip(ws, ps[1:], strict=True))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=st.sampled_from([None, "IRN", "USA", "FJI"]), actor=st.sampled_from([None, "I", "IRN", "IRNGOV", "US"]),
       type=st.sampled_from([None, "CONSULT", "AID"]), quad_class=st.sampled_from([None, 1, 4]),
       since=st.sampled_from([None, *DAYS[2:5]]), until=st.sampled_from([None, *DAYS[4:8]]),
       q=st.one_of(st.none(), _text), limit=st.sampled_from([1, 5, 50, 500]), offset=st.sampled_from([0, 1, 9, 200]))
def test_api_index_random_filters_match_the_reference(dbs: dict[str, duckdb.DuckDBPyConnection], **params: Any) -> None:
    _compare(dbs, params)


# ------------------------------------------------------------------------------------------ the writer
def _tables(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


def _docs(n: int) -> list[Any]:
    out = []
    for i in range(n):
        d = make_doc()
        d.id = f"w{i}"
        d.events[0].date = f"201{i % 10}-0{1 + i % 9}-0{1 + i % 7}"
        out.append(d)
    return out


def test_api_index_store_rebuilds_it_after_writes_and_drops_it_while_writing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write(_docs(5))
    assert set(EVENT_INDEX_TABLES) <= _tables(db)
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET threads = 1")  # storage order is what a single-threaded scan returns
    order = [r[0] for r in con.execute("SELECT rowid FROM events ORDER BY date DESC NULLS LAST, doc_id, idx").fetchall()]
    assert order == list(range(5))
    con.close()
    with Store(db, buffer_mb=32) as s:
        s.write(_docs(7))
        # until close, the tables would describe the old rows: the write's transaction dropped them
        assert not {r[0] for r in s.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()} & set(
            EVENT_INDEX_TABLES)
    assert set(EVENT_INDEX_TABLES) <= _tables(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT n_events FROM event_index_info").fetchone()[0] == 7
    assert _indexed(con)
    con.close()


def test_api_index_store_without_memory_for_it_keeps_sorted_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    import warta.store

    def no_memory(con: duckdb.DuckDBPyConnection) -> bool:
        con.execute("CREATE TABLE event_index_country AS SELECT 1 AS x")  # half built, then rolled back
        raise duckdb.OutOfMemoryException("simulated")

    monkeypatch.setattr(warta.store, "build_event_index", no_memory)
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING, logger="warta.store"), Store(db) as s:
        s.write(_docs(4))
    assert "memory" in caplog.text
    assert not _tables(db) & set(EVENT_INDEX_TABLES)
    con = duckdb.connect(str(db), read_only=True)
    assert queries.events(con)["total"] == 4
    con.close()


def test_api_index_dask_load_ends_with_the_index(tmp_path: Path) -> None:
    from warta.executors.dask import load_shards, process_partition

    part = tmp_path / "shards" / "p0"
    process_partition([str(SEED)], str(part))
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write(_docs(3))
    load_shards([part], db)
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert n > 3 and con.execute("SELECT n_events FROM event_index_info").fetchone()[0] == n
    assert _indexed(con)
    con.close()


def test_api_index_close_retries_with_more_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warta.store

    real = warta.store.build_event_index
    limits: list[str] = []

    def first_attempt_fails(con: duckdb.DuckDBPyConnection) -> bool:
        limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        if len(limits) == 1:
            raise duckdb.OutOfMemoryException("simulated")
        return real(con)

    monkeypatch.setattr(warta.store, "build_event_index", first_attempt_fails)
    db = tmp_path / "w.duckdb"
    with Store(db, buffer_mb=16) as s:  # a bounded writer, as in a local run
        s.write(_docs(4))
    assert len(limits) == 2 and limits[0] != limits[1]  # the second attempt had a larger limit
    assert set(EVENT_INDEX_TABLES) <= _tables(db)
