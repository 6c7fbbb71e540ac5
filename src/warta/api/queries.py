"""The API's SQL: one function per endpoint, each taking an open (read-only) DuckDB connection.

Every value that comes from a request is a bound parameter (``?``); the only
text spliced into SQL is chosen here from fixed fragments (``_Where`` clauses,
column lists). Substring filters use ``contains(lower(..), lower(?))`` and
prefix filters ``starts_with`` or a range, so ``%`` and ``_`` in user input are plain
characters, not LIKE wildcards; the regular expression of ``/api/events``' word search
is a parameter too, built here with every character but letters and digits escaped.

Results are JSON-ready dicts (dates as ``YYYY-MM-DD`` strings) in the shapes of
``docs/api.md``; list functions return ``{"total", "limit", "offset", "items"}``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any

import duckdb

from warta.nlp.text import sentence_of, sentences
from warta.store import EVENT_INDEX_VERSION, NON_WORD_RE

Con = duckdb.DuckDBPyConnection

EVENT_COLUMNS = (
    "event_id", "doc_id", "date", "type", "cameo", "goldstein", "quad_class",
    "source_text", "source_actor", "source_country", "target_text", "target_actor", "target_country",
    "location_name", "location_country", "lat", "lon", "trigger_text", "trigger_start", "trigger_end",
    "sentence_start", "sentence_end", "negated", "mode", "claimed_by", "n_mentions",
)


def _event_order(alias: str) -> str:
    # newest first; doc_id and idx make the order total, so pages never overlap
    return f"{alias}.date DESC NULLS LAST, {alias}.doc_id, {alias}.idx"


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def _dicts(cur: Con) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [{c: _jsonable(v) for c, v in zip(cols, row, strict=True)} for row in cur.fetchall()]


def _page(total: int, limit: int, offset: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": int(total), "limit": limit, "offset": offset, "items": items}


class _Where:
    """A conjunction of SQL fragments (written here) and their bound parameters (from the request)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.parts)) if self.parts else ""


def _date_range(w: _Where, column: str, since: date | None, until: date | None) -> None:
    if since is not None:
        w.add(f"{column} >= ?", since)
    if until is not None:
        w.add(f"{column} <= ?", until)


# ---------------------------------------------------------------------------------------------- events
class _Text:
    """``q`` of /api/events: words, searched like a search engine does (docs/api.md).

    DuckDB lower-cases ``q`` and removes its accents, as ``warta.store.build_event_index`` did for the
    events' texts before splitting them into words (runs of letters and digits, ``NON_WORD_RE``). An event
    matches when one of its texts holds the words one after the other, the last one as a word
    prefix, the others as whole words; whitespace between words of ``q`` stands for any run of
    non-word characters, any other character (e.g. the ``-`` of ``al-assad``) must appear as typed.
    ``pattern`` is that rule as a regular expression over a folded text; ``exact`` says that the
    index's word sequences alone cannot decide it (``q`` holds such characters).
    """

    def __init__(self, con: Con, q: str) -> None:
        self.folded: str = con.execute("SELECT strip_accents(lower(?))", [q]).fetchone()[0]
        # Split here, not by DuckDB: compiling \p{L} costs RE2 ~5 ms a query. \p{L}\p{N} are the Unicode
        # categories L* and N*, which Python knows too.
        self.words: list[str] = []
        seps = [""]  # before, between and after the words: len(seps) == len(words) + 1
        for is_word, chars in groupby(self.folded, key=lambda c: unicodedata.category(c)[0] in "LN"):
            if is_word:
                self.words.append("".join(chars))
                seps.append("")
            else:
                seps[-1] = "".join(chars)
        self.exact = any(sep.strip() for sep in seps)
        # RE2 runs in linear time whatever the input; every character but letters and digits is escaped
        parts = [_escape(seps[0]) if seps and seps[0].strip() else f"(^|{_NON_WORD})"]
        for i, word in enumerate(self.words):
            parts.append(_escape(word))
            sep = seps[i + 1]
            if sep.strip():
                parts.append(_escape(sep))
            elif i < len(self.words) - 1:
                parts.append(NON_WORD_RE)
        self.pattern = "".join(parts)
        # the longest part of q between spaces: every text that matches holds it as typed
        self.needle = max(self.folded.split(), key=len) if self.words else ""

    def condition(self) -> tuple[str, list[Any]]:
        """SQL over ``e`` (an event's columns) and ``d`` (its document, or NULL) and its parameters."""
        fields = ("e.trigger_text", "e.source_text", "e.target_text",
                  # the evidence sentence is a slice of documents.text (DuckDB substring: 1-based, code points)
                  "substring(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)")
        # a plain search for ``needle`` first: the regular expression then only sees texts that have it
        sql = " OR ".join(f"(contains(strip_accents(lower({f})), ?) AND regexp_matches(strip_accents(lower({f})), ?))"
                          for f in fields)
        return f"({sql})", [self.needle, self.pattern] * len(fields)

    def positions(self) -> tuple[str, list[Any]]:
        """SQL selecting the positions of events holding the words in sequence (with duplicates)."""
        last = len(self.words) - 1
        sql = "SELECT t0.pos FROM event_index_term t0" + "".join(
            f" JOIN event_index_term t{i} ON t{i}.pos = t0.pos AND t{i}.n = t0.n + {i}" for i in range(1, last + 1))
        conds = [f"t{i}.term = ?" for i in range(last)] + [f"t{last}.term >= ? AND t{last}.term < ?"]
        return f"{sql} WHERE {' AND '.join(conds)}", [*self.words[:last], *_prefix_bounds(self.words[last])]


_NON_WORD = NON_WORD_RE.removesuffix("+")


def _escape(s: str) -> str:
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in s)


def _prefix_bounds(prefix: str) -> tuple[str, str]:
    """[lo, hi): the strings that start with ``prefix`` (DuckDB compares UTF-8 bytes: code point order)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # no string holds a surrogate
        last = 0xE000
    return prefix, prefix[:-1] + chr(min(last, 0x10FFFF))


def _event_filters(country: str | None, actor: str | None, type: str | None, quad_class: int | None,
                   since: date | None, until: date | None, text: _Text | None) -> _Where:
    """The WHERE clause over ``events e`` (and, for ``q``, ``documents d`` of ``_event_source``)."""
    w = _Where()
    if country:
        c = country.upper()
        w.add("(e.source_country = ? OR e.target_country = ? OR e.location_country = ?)", c, c, c)
    if actor:
        a = actor.upper()
        w.add("(starts_with(e.source_actor, ?) OR starts_with(e.target_actor, ?))", a, a)
    if type:
        w.add("e.type = ?", type.upper())
    if quad_class is not None:
        w.add("e.quad_class = ?", quad_class)
    _date_range(w, "e.date", since, until)
    if text:
        sql, params = text.condition()
        w.add(sql, *params)
    return w


def _event_source(text: _Text | None) -> tuple[str, list[Any]]:
    """FROM clause and its parameters: events, plus for ``q`` the documents whose text holds its ``needle``
    (one scan of the texts; only their events then cut out and search their evidence sentence)."""
    if not text:
        return "events e", []
    return ("events e LEFT JOIN (SELECT id, text FROM documents WHERE contains(strip_accents(lower(text)), ?)) d"
            " ON d.id = e.doc_id", [text.needle])


def _date_cutoff(per_date: list[tuple[date | None, int]], k: int) -> date | None:
    """The date of the k-th newest row given row counts per date; None when the first k reach undated rows."""
    seen = 0
    for d, n in sorted(((d, n) for d, n in per_date if d is not None), reverse=True):
        seen += n
        if seen >= k:
            return d
    return None


# One value: whether the writer's helper tables (``warta.store.build_event_index``) describe the events
# table now. Without them the statement fails to bind (duckdb.CatalogException).
_INDEX_CURRENT = "(SELECT version = ? AND n_events = (SELECT count(*) FROM events) FROM event_index_info)"


def _indexed_page(con: Con, country: str | None, actor: str | None, type: str | None, quad_class: int | None,
                  since: date | None, until: date | None, text: _Text | None, limit: int,
                  offset: int) -> tuple[int, list[dict[str, Any]]] | None:
    """(total, the page's events) from the helper tables in one statement; None when they are not current.

    A position is the rowid of an event in the sorted events table. The statement selects the
    filters' positions (``cand``), counts them, takes the page's (``page``) and reads those rows with
    their title and site; that the tables are current is checked in the same statement.
    """
    common = _Where()  # columns the helper tables share with events
    if type:
        common.add("type = ?", type.upper())
    if quad_class is not None:
        common.add("quad_class = ?", quad_class)
    _date_range(common, "date", since, until)
    ctes: list[str] = []
    params: list[Any] = []
    if not (country or actor or text or common.parts):
        total_sql, total_params = "(SELECT count(*) FROM events)", []
        ctes.append("page AS (SELECT range AS pos FROM range(?, ?))")
        params += [offset, offset + limit]
    elif not (country or actor or text):  # the events table's own columns: counts per (date, type, quad_class)
        total_sql, total_params = f"(SELECT coalesce(sum(n), 0) FROM event_index_count{common.sql()})", common.params
        ctes.append(f"page AS MATERIALIZED (SELECT rowid AS pos FROM events{common.sql()} ORDER BY pos LIMIT ? OFFSET ?)")
        params += [*common.params, limit, offset]
    else:
        sets: list[tuple[str, list[Any]]] = []  # each selects positions; the filter is their intersection

        def add(sql: str, ps: list[Any], w: _Where) -> None:
            sets.append((sql + (" AND " + " AND ".join(w.parts) if w.parts else ""), ps + w.params))

        if country:
            add("SELECT pos FROM event_index_country WHERE country = ?", [country.upper()], common)
        if actor:
            lo, hi = _prefix_bounds(actor.upper())
            # a target row whose event's source matches too is that event's second row
            add("SELECT pos FROM event_index_actor WHERE actor >= ? AND actor < ?"
                " AND NOT coalesce(starts_with(other, ?), false)", [lo, hi, lo], common)
        if not sets and common.parts:
            sets.append((f"SELECT rowid AS pos FROM events{common.sql()}", common.params))
        if text:
            sets.append(text.positions())
        params += [p for _, ps in sets for p in ps]
        if len(sets) > 1:
            cand = " INTERSECT ".join(f"({sql})" for sql, _ in sets)  # a set operation: no duplicates
        elif text:  # an event can hold the words more than once
            cand = f"SELECT DISTINCT pos FROM ({sets[0][0]})"
        else:
            cand = sets[0][0]
        if text and text.exact:  # the events holding the words, then the text as typed (staged: few rows join)
            cond, cparams = text.condition()
            ctes += [f"words AS MATERIALIZED ({cand})",
                     "w AS MATERIALIZED (SELECT rowid AS pos, doc_id, trigger_text, source_text, target_text,"
                     " sentence_start, sentence_end FROM events WHERE rowid IN (SELECT pos FROM words))",
                     f"cand AS MATERIALIZED (SELECT e.pos FROM w e LEFT JOIN documents d ON d.id = e.doc_id WHERE {cond})"]
            params += cparams
        else:
            ctes.append(f"cand AS MATERIALIZED ({cand})")
        ctes.append("page AS MATERIALIZED (SELECT pos FROM cand ORDER BY pos LIMIT ? OFFSET ?)")
        params += [limit, offset]
        total_sql, total_params = "(SELECT count(*) FROM cand)", []
    # dates as text in SQL: building 500 dicts then needs no per-value conversion. Title and site
    # by position: a lookup of documents by id would scan every id.
    cols = ", ".join(f"CAST(e.{c} AS VARCHAR)" if c == "date" else f"e.{c}" for c in EVENT_COLUMNS)
    ctes.append(f"rows AS (SELECT e.rowid AS pos, {cols}, t.title, t.site FROM events e JOIN event_index_doc t"
                " ON t.pos = e.rowid WHERE e.rowid IN (SELECT pos FROM page) AND t.pos IN (SELECT pos FROM page))")
    # one row even for an empty page, for the total
    result = con.execute(f"WITH {', '.join(ctes)} SELECT {_INDEX_CURRENT}, {total_sql}, rows.*"
                         " FROM (SELECT 1) LEFT JOIN rows ON true ORDER BY rows.pos",
                         [*params, EVENT_INDEX_VERSION, *total_params]).fetchall()
    if not result[0][0]:
        return None
    names = (*EVENT_COLUMNS, "title", "site")
    return result[0][1], [dict(zip(names, row[3:], strict=True)) for row in result if row[2] is not None]


def events(con: Con, *, country: str | None = None, actor: str | None = None, type: str | None = None,
           quad_class: int | None = None, since: date | None = None, until: date | None = None,
           q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of events, newest first, with their document's title and site.

    Issue 8 wants p95 < 100 ms at 1M events. With the writer's helper tables one statement selects
    the positions each filter names in its own sorted table, counts them and reads the page's rows
    (``_indexed_page``). Without current ones (older databases) ``_events_scan`` filters the events
    table itself: same answers, slower.
    """
    text = _Text(con, q) if q else None
    if text is not None and not text.words:  # no letter or digit: no word to search
        return _page(0, limit, offset, [])
    try:
        found = _indexed_page(con, country, actor, type, quad_class, since, until, text, limit, offset)
    except duckdb.CatalogException:  # an older database, or one whose last writer could not build them
        found = None
    if found is None:
        return _events_scan(con, country, actor, type, quad_class, since, until, text, limit, offset)
    return _page(found[0], limit, offset, found[1])


def _add_documents(con: Con, items: list[dict[str, Any]]) -> None:
    """Each event's document title and site."""
    ids = sorted({e["doc_id"] for e in items})
    docs = {r[0]: r[1:] for r in con.execute("SELECT id, title, site FROM documents WHERE id = ANY(?)",
                                             [ids]).fetchall()}
    for e in items:
        e["title"], e["site"] = docs.get(e["doc_id"], (None, None))


def _events_scan(con: Con, country: str | None, actor: str | None, type: str | None, quad_class: int | None,
                 since: date | None, until: date | None, text: _Text | None, limit: int,
                 offset: int) -> dict[str, Any]:
    """``events`` without helper tables: the filtered row count per date gives ``total`` and the date
    of the ``offset + limit``-th row (without filters: a metadata count and a top-N over the date
    column alone); the page query then only sorts rows on or after that date by the full key (rows
    before it cannot be on the page, so the page is the same)."""
    w = _event_filters(country, actor, type, quad_class, since, until, text)
    src, src_params = _event_source(text)
    k = offset + limit
    if w.parts:
        per_date = con.execute(f"SELECT e.date, count(*) FROM {src}{w.sql()} GROUP BY e.date",
                               [*src_params, *w.params]).fetchall()
        total = sum(n for _, n in per_date)
        cutoff = _date_cutoff(per_date, k)
    else:
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        row = con.execute("SELECT date FROM events ORDER BY date DESC NULLS LAST LIMIT 1 OFFSET ?", [k - 1]).fetchone()
        cutoff = row[0] if row else None
    items: list[dict[str, Any]] = []
    if total > offset:
        if cutoff is not None:
            w.add("e.date >= ?", cutoff)
        cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
        items = _dicts(con.execute(f"SELECT {cols} FROM {src}{w.sql()} ORDER BY {_event_order('e')} LIMIT ? OFFSET ?",
                                   [*src_params, *w.params, limit, offset]))
        _add_documents(con, items)
    return _page(total, limit, offset, items)


def event(con: Con, event_id: str) -> dict[str, Any] | None:
    """One event with every mention of it in its article and the article's metadata; None if unknown."""
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    cur = con.execute(
        f"SELECT {cols}, d.title, d.site, e.idx AS _idx, d.id AS _doc, d.url AS _url, d.published AS _published,"
        " d.text AS _text, d.record AS _record FROM events e LEFT JOIN documents d ON d.id = e.doc_id"
        " WHERE e.event_id = ? LIMIT 1", [event_id])
    rows = _dicts(cur)
    if not rows:
        return None
    row = rows[0]
    idx, text, record = row.pop("_idx"), row.pop("_text") or "", row.pop("_record")
    document = {"id": row.pop("_doc"), "title": row["title"], "url": row.pop("_url"), "site": row["site"],
                "published": row.pop("_published")}
    mentions = []
    if row["trigger_start"] is not None:
        mentions.append({"start": row["trigger_start"], "end": row["trigger_end"], "text": row["trigger_text"],
                         "sentence_start": row["sentence_start"], "sentence_end": row["sentence_end"]})
    rec_events = (json.loads(record) if record else {}).get("events") or []
    extra = rec_events[idx].get("mentions") or [] if 0 <= idx < len(rec_events) else []
    if extra:
        spans = sentences(text)
        for m in extra:
            sent = sentence_of(spans, m["start"]) or (m["start"], m["end"])
            mentions.append({"start": m["start"], "end": m["end"], "text": m["text"],
                             "sentence_start": sent[0], "sentence_end": sent[1]})
    return {"event": row, "mentions": mentions, "document": document}


# ------------------------------------------------------------------------------------------- documents
def documents(con: Con, *, q: str | None = None, site: str | None = None, language: str | None = None,
              since: date | None = None, until: date | None = None, limit: int = 50,
              offset: int = 0) -> dict[str, Any]:
    """A page of documents, newest first; ``q`` is a case-insensitive substring of the title or text."""
    w = _Where()
    if q:
        w.add("(contains(lower(title), lower(?)) OR contains(lower(text), lower(?)))", q, q)
    if site:
        w.add("lower(site) = lower(?)", site)
    if language:
        w.add("language = ?", language.lower())
    _date_range(w, "published", since, until)
    total = con.execute(f"SELECT count(*) FROM documents{w.sql()}", w.params).fetchone()[0]
    items: list[dict[str, Any]] = []
    if total > offset:
        items = _dicts(con.execute(
            "SELECT id, title, url, site, language, published, n_entities, n_events, n_quotes FROM documents"
            f"{w.sql()} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?", [*w.params, limit, offset]))
    return _page(total, limit, offset, items)


def _actor(a: dict[str, Any] | None) -> dict[str, Any] | None:
    if a is None:
        return None
    out = {"text": a.get("text"), "actor": a.get("actor"), "country": a.get("country")}
    if a.get("start") is not None:
        out["start"], out["end"] = a["start"], a.get("end")
    return out


def document(con: Con, doc_id: str) -> dict[str, Any] | None:
    """One document with its text and every span (entities, events, quotes, dates); None if unknown.

    Spans come from the stored record (``documents.record``, the SPEC record the pipeline wrote),
    event ids from the events table, so the ids match ``/api/events``.
    """
    rows = _dicts(con.execute(
        "SELECT id, title, url, site, language, published, published_inferred, dateline_text, dateline_place,"
        " dateline_country, dateline_lat, dateline_lon, text, record FROM documents WHERE id = ?", [doc_id]))
    if not rows:
        return None
    r = rows[0]
    rec = json.loads(r["record"]) if r["record"] else {}
    dateline = None
    if r["dateline_text"] is not None:
        dl = rec.get("dateline") or {}
        dateline = {"text": r["dateline_text"], "start": dl.get("start"), "end": dl.get("end"),
                    "place": {"name": r["dateline_place"], "country": r["dateline_country"],
                              "lat": r["dateline_lat"], "lon": r["dateline_lon"]} if r["dateline_place"] else None}
    ids = {i: eid for eid, i in con.execute(
        "SELECT event_id, idx FROM events WHERE doc_id = ?", [doc_id]).fetchall()}
    events_out = []
    for i, e in enumerate(rec.get("events") or []):
        trig = e.get("trigger") or {}
        events_out.append({
            "event_id": ids.get(i, f"{doc_id[:16]}-{i}"), "type": e.get("type"), "cameo": e.get("cameo"),
            "trigger": {"start": trig.get("start"), "end": trig.get("end"), "text": trig.get("text")},
            "sentence": e.get("sentence"), "source": _actor(e.get("source")), "target": _actor(e.get("target")),
            "date": e.get("date"), "location": e.get("location"),
        })
    entities = [{k: e.get(k) for k in ("start", "end", "text", "type", "canonical", "actor", "country")}
                for e in rec.get("entities") or []]
    quotes = []
    for q in rec.get("quotes") or []:
        sp = q.get("speaker")
        speaker = None
        if sp:
            speaker = {k: sp.get(k) for k in ("text", "canonical", "actor", "country")}
            if sp.get("start") is not None:
                speaker["start"], speaker["end"] = sp["start"], sp.get("end")
        quotes.append({"start": q.get("start"), "end": q.get("end"), "text": q.get("text"), "kind": q.get("kind"),
                       "speaker": speaker})
    dates = [{k: d.get(k) for k in ("start", "end", "text", "value")} for d in rec.get("dates") or []]
    return {
        "id": r["id"], "title": r["title"], "url": r["url"], "site": r["site"], "language": r["language"],
        "published": r["published"], "published_inferred": r["published_inferred"], "dateline": dateline,
        "text": r["text"] or "", "entities": entities, "events": events_out, "quotes": quotes, "dates": dates,
    }


# --------------------------------------------------------------------------------- actors and quotes
def actors(con: Con, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Actor codes by the number of events they take part in (either side), most first.

    ``name`` is the entity canonical name most often coded with the actor, else its most frequent text.
    """
    base = ("WITH a AS (SELECT event_id, source_actor AS actor, source_country AS country, source_text AS text"
            " FROM events WHERE source_actor IS NOT NULL UNION ALL SELECT event_id, target_actor, target_country,"
            " target_text FROM events WHERE target_actor IS NOT NULL)")
    total = con.execute(f"{base} SELECT count(DISTINCT actor) FROM a").fetchone()[0]
    items: list[dict[str, Any]] = []
    if total > offset:
        items = _dicts(con.execute(
            f"{base}, g AS (SELECT actor, mode(country) AS country, mode(text) AS text,"
            " count(DISTINCT event_id) AS n_events FROM a GROUP BY actor ORDER BY n_events DESC, actor LIMIT ? OFFSET ?),"
            " n AS (SELECT actor, mode(canonical) AS canonical FROM entities"
            " WHERE canonical IS NOT NULL AND actor IN (SELECT actor FROM g) GROUP BY actor)"
            " SELECT g.actor, coalesce(n.canonical, g.text) AS name, g.country, g.n_events"
            " FROM g LEFT JOIN n USING (actor) ORDER BY g.n_events DESC, g.actor", [limit, offset]))
    return _page(total, limit, offset, items)


def quotes(con: Con, *, speaker: str | None = None, country: str | None = None, limit: int = 50,
           offset: int = 0) -> dict[str, Any]:
    """A page of quotations, newest article first; ``speaker`` is a substring of the speaker's name or text."""
    w = _Where()
    if speaker:
        w.add("(contains(lower(q.speaker_canonical), lower(?)) OR contains(lower(q.speaker_text), lower(?)))",
              speaker, speaker)
    if country:
        w.add("q.speaker_country = ?", country.upper())
    total = con.execute(f"SELECT count(*) FROM quotes q{w.sql()}", w.params).fetchone()[0]
    items: list[dict[str, Any]] = []
    if total > offset:
        items = _dicts(con.execute(
            "SELECT q.doc_id, q.char_start AS start, q.char_end AS \"end\", q.text, q.kind, q.speaker_text,"
            " q.speaker_canonical, q.speaker_actor, q.speaker_country, d.title FROM quotes q"
            f" LEFT JOIN documents d ON d.id = q.doc_id{w.sql()}"
            " ORDER BY d.published DESC NULLS LAST, q.doc_id, q.idx LIMIT ? OFFSET ?", [*w.params, limit, offset]))
    return _page(total, limit, offset, items)


# ---------------------------------------------------------------------------- stats, network, places
def table_counts(con: Con, tables: Sequence[str]) -> dict[str, int]:
    """Row counts; table names come from the caller's constants, never from a request."""
    return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def stats(con: Con, *, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Row counts of the whole database, and events per day and PLOVER type (in the date range)."""
    totals = table_counts(con, ("documents", "events", "quotes", "entities", "errors"))
    w = _Where()
    w.add("date IS NOT NULL")
    _date_range(w, "date", since, until)
    by_day = _dicts(con.execute(
        f"SELECT date, type, count(*) AS n FROM events{w.sql()} GROUP BY date, type ORDER BY date, type", w.params))
    return {"totals": totals, "by_day_type": by_day}


def network(con: Con, *, type: str | None = None, since: date | None = None, until: date | None = None,
            min_count: int = 1) -> dict[str, Any]:
    """Directed country pairs (source -> target, both known and different) with counts and mean Goldstein."""
    w = _Where()
    w.add("source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country")
    if type:
        w.add("type = ?", type.upper())
    _date_range(w, "date", since, until)
    edges = _dicts(con.execute(
        f"SELECT source_country AS source, target_country AS target, count(*) AS n,"
        f" avg(goldstein) AS goldstein_mean FROM events{w.sql()} GROUP BY ALL HAVING count(*) >= ?"
        " ORDER BY n DESC, source, target", [*w.params, min_count]))
    weight: dict[str, int] = {}
    for e in edges:
        for k in (e["source"], e["target"]):
            weight[k] = weight.get(k, 0) + e["n"]
    nodes = [{"id": k, "n": n} for k, n in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


def locations(con: Con, *, since: date | None = None, until: date | None = None, type: str | None = None,
              limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Places of events that have coordinates, with event counts, most first."""
    w = _Where()
    w.add("lat IS NOT NULL AND lon IS NOT NULL")
    if type:
        w.add("type = ?", type.upper())
    _date_range(w, "date", since, until)
    base = (f"SELECT location_name AS name, location_country AS country, lat, lon, count(*) AS n"
            f" FROM events{w.sql()} GROUP BY ALL")
    total = con.execute(f"SELECT count(*) FROM ({base})", w.params).fetchone()[0]
    items: list[dict[str, Any]] = []
    if total > offset:
        items = _dicts(con.execute(f"{base} ORDER BY n DESC, name, country, lat, lon LIMIT ? OFFSET ?",
                                   [*w.params, limit, offset]))
    return _page(total, limit, offset, items)
