from __future__ import annotations

from pathlib import Path

from test_document import make_doc
from warta.pipeline import Failure
from warta.store import Store


def test_store_rewrite_same_document_keeps_row_counts(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write([make_doc(), Failure("bad", "b.txt", "read", "empty file")])
        first = s.counts()
        s.write([make_doc(), Failure("bad", "b.txt", "read", "empty file")])
        assert s.counts() == first
    assert first == {"documents": 1, "entities": 2, "events": 1, "quotes": 1, "dates": 1, "errors": 1}


def test_store_events_filters(tmp_path: Path) -> None:
    with Store(tmp_path / "w.duckdb") as s:
        s.write([make_doc()])
        cols, rows = s.events(country="irn")
        assert len(rows) == 1 and str(rows[0][cols.index("date")]) == "2017-07-04"
        assert s.events(country="USA")[1] == []
        assert len(s.events(type="consult", since="2017-07-01", until="2017-07-31")[1]) == 1
        assert s.events(since="2018-01-01")[1] == []
        # filter values are bound parameters, never SQL
        assert s.events(country="IRN' OR 1=1 --")[1] == []


def test_store_read_only_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(FileNotFoundError, match="warta run"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_store_event_groups_count_articles_once(tmp_path: Path) -> None:
    a, b, c = make_doc(), make_doc(), make_doc()
    b.id, b.site = "y", "Other.com"
    c.id, c.duplicate_of = "z", "x"  # a syndicated copy of a
    # b reports the same call in the other direction: CONSULT is symmetric
    ev = b.events[0]
    ev.source, ev.target = ev.target, ev.source
    with Store(tmp_path / "w.duckdb") as s:
        s.write([a, b, c])
        _cols, rows = s.query("SELECT type, num_mentions, num_sources, num_articles FROM event_groups")
    assert rows == [("CONSULT", 3, 2, 2)]


def test_store_keeps_events_newest_first_after_a_run(tmp_path: Path) -> None:
    import duckdb

    docs = []
    for i, day in enumerate(["2017-07-04", "2019-01-01", "2015-03-03", "2018-05-05"]):
        d = make_doc()
        d.id = f"d{i}"
        d.events[0].date = day
        docs.append(d)
    with Store(tmp_path / "o.duckdb") as s:
        for d in docs:  # one batch per document, oldest not first
            s.write([d])
    con = duckdb.connect(str(tmp_path / "o.duckdb"), read_only=True)
    con.execute("SET threads = 1")  # storage order is what a single-threaded scan returns
    stored = [str(r[0]) for r in con.execute("SELECT date FROM events").fetchall()]
    assert stored == ["2019-01-01", "2018-05-05", "2017-07-04", "2015-03-03"]
