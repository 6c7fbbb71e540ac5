"""Hostile and broken inputs: every one yields a record or an error row with a reason, and the batch completes.

The inputs come from ``tests/malformed.py`` (generated, nothing checked in). The acceptance run over 10,000
of them is ``benchmarks/bench_malformed.py``; a slow-marked test here runs a smaller draw and the large ones.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

import malformed  # tests/ is on sys.path under pytest, like conftest
from warta.document import Document
from warta.pipeline import Failure, Pending, Pipeline, Step
from warta.readers import bounded_lines, read_inputs


def _run(cases: list[malformed.Case], tmp_path: Path, **kw: object) -> tuple[malformed.Accounting, object]:
    from warta.jobs import run

    written = malformed.write(cases, tmp_path / "in")
    db = tmp_path / "w.duckdb"
    summary = run([tmp_path / "in"], db, progress=False, **kw)  # type: ignore[arg-type]
    return malformed.account(written, db), summary


def test_every_malformed_kind_gives_a_record_or_an_error_row(tmp_path: Path) -> None:
    cases = malformed.one_of_each(seed=1, light=True)
    assert {c.kind for c in cases} == set(malformed.kinds()) - {"big_page", "over_limit"}
    acc, summary = _run(cases, tmp_path)
    assert acc.ok, (acc.missing, acc.miscounted)
    assert acc.rows == summary.read  # every result was stored, nothing dropped or doubled
    assert summary.written == acc.documents and acc.documents >= 5  # the valid records still come through
    reasons = set(acc.reasons)
    for want in ("skipped: empty file", "error: binary file", "error: invalid JSON",
                 "error: invalid JSON record", "skipped: no HTML or text responses in the archive"):
        assert want in reasons, (want, reasons)
    assert any(r.startswith("error: broken WARC") for r in reasons)


def _read(path: Path) -> list:
    return list(read_inputs([path], lazy=False))


def test_jsonl_hostile_lines_are_error_rows_and_values_are_made_safe(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    lines = [
        b"[" * 50_000,
        json.dumps({"text": "Presiden bertemu menteri di Jakarta.", "published": "kemarin", "url": {"a": 1},
                    "id": 7}).encode(),
        json.dumps({"text": "Presiden bertemu menteri.", "published": "2020-01-05T10:00:00Z",
                    "path": "a\u0000b\ud800c"}).encode(),
        json.dumps({"text": "Lone \ud800 surrogate, bertemu menteri di Jakarta."}).encode(),
        json.dumps({"text": 5}).encode(),
        b'{"text": "\xff\xfe"}',
    ]
    f.write_bytes(b"\n".join(lines))
    got = _read(f)
    assert len(got) == len(lines)
    assert isinstance(got[0], Failure) and "RecursionError" in got[0].reason
    assert isinstance(got[1], Document) and got[1].published is None and got[1].url is None and got[1].id == "7"
    assert got[2].published == "2020-01-05" and got[2].path == "abc"
    assert isinstance(got[3], Document) and "\ud800" not in got[3].text
    assert isinstance(got[4], Failure) and "needs a 'text' or 'html'" in got[4].reason
    assert isinstance(got[5], Failure) and "invalid JSON" in got[5].reason


def test_jsonl_overlong_line_is_refused_without_reading_it_whole() -> None:
    data = b"short\n" + b"x" * 5000 + b"\nlast\n"
    got = list(bounded_lines(io.BytesIO(data), limit=1000))
    assert got == [(1, b"short\n"), (2, None), (3, b"last\n")]


def test_files_without_documents_give_one_skipped_row(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_bytes(b"\n \n")
    (tmp_path / "n.warc.gz").write_bytes(malformed.warc_no_html(random.Random(0), "s9-00").data)
    got = {Path(r.path).name: r for r in read_inputs([tmp_path])}
    assert got["e.jsonl"].kind == "skipped" and got["e.jsonl"].reason.startswith("empty file")
    assert got["n.warc.gz"].kind == "skipped" and "no HTML" in got["n.warc.gz"].reason


@pytest.mark.parametrize("where", ["header", "http", "body"])
def test_warc_gzip_bomb_is_an_error_row(tmp_path: Path, where: str) -> None:
    rng = random.Random(where)
    size = 51 if where == "body" else 1  # a body over the 50 MiB record bound; a header line over 64 KiB
    case = next(c for c in iter(lambda: malformed.gzip_bomb(rng, "s9-01", size_mb=size), None) if where in c.name)
    f = tmp_path / case.name
    f.write_bytes(case.data)
    assert len(case.data) < size * 1024 * 1024 / 200
    (res,) = _read(f)
    assert isinstance(res, Failure)
    assert ("header line over" in res.reason) if where != "body" else ("too large" in res.reason)


def test_lazy_reading_defers_decoding_to_the_pipeline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Presiden bertemu menteri di Jakarta. Café “kutipan”.".encode())
    (res,) = read_inputs([tmp_path / "a.txt"], lazy=True)
    assert isinstance(res, Pending) and res.path.endswith("a.txt")
    doc = Pipeline([Step("noop", lambda d: d)]).process(res)
    assert isinstance(doc, Document) and doc.id == res.id and "“kutipan”" in doc.text


def test_a_result_the_store_refuses_becomes_an_error_row(tmp_path: Path) -> None:
    from warta.executors.local import run_local

    for i, t in enumerate(["satu", "dua", "tiga"]):
        (tmp_path / f"{i}.txt").write_text(f"{t} presiden bertemu menteri")
    written: list = []

    def sink(batch: list) -> None:
        if any(isinstance(r, Document) and r.text.startswith("dua") for r in batch):
            raise ValueError("cannot store this one")
        written.extend(batch)

    summary = run_local([tmp_path], Pipeline([Step("noop", lambda d: d)]), sink=sink, progress=False)
    assert [type(r).__name__ for r in written] == ["Document", "Failure", "Document"]
    assert written[1].step == "store" and "cannot store" in written[1].reason
    assert (summary.read, summary.written, sum(summary.failed.values())) == (3, 2, 1)


@pytest.mark.slow
def test_malformed_draw_and_large_inputs_all_accounted_for(tmp_path: Path) -> None:
    cases = list(malformed.generate(300, seed=7)) + malformed.big_cases(seed=7)
    acc, summary = _run(cases, tmp_path)
    assert acc.ok, (acc.missing[:5], acc.miscounted[:5])
    assert acc.rows == summary.read
    assert "error: too large" in acc.reasons  # the file over the input limit


@pytest.mark.slow
def test_every_malformed_kind_under_dask(tmp_path: Path) -> None:
    acc, summary = _run(malformed.one_of_each(seed=2, light=True), tmp_path, executor="dask", workers=2)
    assert acc.ok, (acc.missing, acc.miscounted)
    assert acc.rows == summary.read and acc.documents >= 5


def test_a_warc_cut_anywhere_keeps_whole_records_and_says_so(tmp_path: Path) -> None:
    """No partial page passes for a document, and no record disappears without an error row (unless the
    cut falls in the last bytes of a gzip member, after its record's content: then nothing is missing
    that the file could show to be missing)."""
    import zlib

    rng = random.Random(3)
    bodies = [malformed._html(f"<p>{malformed._article(rng, f's9-{i:02d}', 2)}</p>").encode() for i in range(3)]
    data = malformed._warc([(f"http://x/{i}", b, "text/html") for i, b in enumerate(bodies)])
    ends, pos = [], 0  # where each record's gzip member ends
    while pos < len(data):
        d = zlib.decompressobj(31)
        d.decompress(data[pos:])
        pos = len(data) - len(d.unused_data)
        ends.append(pos)
    assert len(ends) == 3
    whole = {b.decode() for b in bodies}
    f = tmp_path / "cut.warc.gz"
    for cut in range(1, len(data), 3):
        f.write_bytes(data[:cut])
        got = _read(f)
        docs = [r for r in got if isinstance(r, Document)]
        errors = [r for r in got if isinstance(r, Failure)]
        assert all(d.html in whole for d in docs), (cut, [len(d.html) for d in docs])
        assert len(errors) <= 1
        if not errors:
            assert any(0 <= e - cut <= 32 for e in ends), (cut, ends, len(docs))


def test_two_broken_files_with_the_same_bytes_keep_two_error_rows(tmp_path: Path) -> None:
    from warta.jobs import run
    from warta.store import Store

    for name in ("a.txt", "b.txt", "c.html"):
        (tmp_path / name).write_bytes(b"  \n")
    run([tmp_path], tmp_path / "w.duckdb", progress=False)
    with Store(tmp_path / "w.duckdb", read_only=True) as store:
        rows = store.query("SELECT path, reason FROM errors ORDER BY path")[1]
    assert [(Path(p).name, r) for p, r in rows] == [("a.txt", "empty file"), ("b.txt", "empty file"),
                                                    ("c.html", "empty file")]
