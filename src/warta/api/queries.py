"""The API's SQL: one function per endpoint, each taking an open (read-only) DuckDB connection.

Every value that comes from a request is a bound parameter (``?``); the only
text spliced into SQL is chosen here from fixed fragments (``_Where`` clauses,
column lists). Substring filters use ``contains(lower(..), lower(?))`` and
prefix filters ``starts_with``, so ``%`` and ``_`` in user input are plain
characters, not LIKE wildcards.

Results are JSON-ready dicts (dates as ``YYYY-MM-DD`` strings) in the shapes of
``docs/api.md``; list functions return ``{"total", "limit", "offset", "items"}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from warta.nlp.text import sentence_of, sentences

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
def _event_filters(country: str | None, actor: str | None, type: str | None, quad_class: int | None,
                   since: date | None, until: date | None, q: str | None) -> _Where:
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
    if q:
        # the evidence sentence is a slice of documents.text (DuckDB substring is 1-based, in code points)
        w.add("(contains(lower(e.trigger_text), lower(?)) OR contains(lower(e.source_text), lower(?))"
              " OR contains(lower(e.target_text), lower(?))"
              " OR contains(lower(substring(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)),"
              " lower(?)))", q, q, q, q)
    return w


def _event_source(q: str | None) -> tuple[str, list[Any]]:
    """FROM clause and its parameters: events, plus for ``q`` the documents whose text holds ``q`` at all
    (one scan of the texts; only their events then cut out and search their evidence sentence)."""
    if not q:
        return "events e", []
    return ("events e LEFT JOIN (SELECT id, text FROM documents WHERE contains(lower(text), lower(?))) d"
            " ON d.id = e.doc_id", [q])


def _date_cutoff(per_date: list[tuple[date | None, int]], k: int) -> date | None:
    """The date of the k-th newest row given row counts per date; None when the first k reach undated rows."""
    seen = 0
    for d, n in sorted(((d, n) for d, n in per_date if d is not None), reverse=True):
        seen += n
        if seen >= k:
            return d
    return None


def events(con: Con, *, country: str | None = None, actor: str | None = None, type: str | None = None,
           quad_class: int | None = None, since: date | None = None, until: date | None = None,
           q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of events, newest first, with their document's title and site.

    Sorting a million rows by (date, doc_id, idx) for every page is what makes a naive query slow
    (issue 8 wants p95 < 100 ms at 1M events), so the page is found in steps: the filtered row
    count per date gives ``total`` and the date of the ``offset + limit``-th row (without filters:
    a metadata count and a top-N over the date column alone); the page query then only sorts rows on
    or after that date by the full key (rows before it cannot be on the page, so the page is the
    same); the page's documents are fetched by id afterwards.
    """
    w = _event_filters(country, actor, type, quad_class, since, until, q)
    src, src_params = _event_source(q)
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
        ids = sorted({e["doc_id"] for e in items})
        # an IN list of constants is pushed into the scan; a join would read every document id
        docs = {r[0]: r[1:] for r in con.execute(
            f"SELECT id, title, site FROM documents WHERE id IN ({', '.join('?' for _ in ids)})", ids).fetchall()}
        for e in items:
            e["title"], e["site"] = docs.get(e["doc_id"], (None, None))
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
