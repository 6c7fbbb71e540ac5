"""The reference article from file to database, through the real steps and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, SEED
from warta.cli import main
from warta.document import Document
from warta.jobs import extract, run
from warta.store import Store


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    (doc,) = list(extract([SEED]))
    assert isinstance(doc, Document)
    return doc


def test_end_to_end_seed_offsets_are_honest(seed_doc: Document) -> None:
    assert seed_doc.offset_errors() == []
    assert seed_doc.language == "id" and seed_doc.published == "2017-07-05" and seed_doc.published_inferred
    assert seed_doc.dateline is not None and seed_doc.dateline.place is not None
    assert seed_doc.dateline.place.country == "IRN" and seed_doc.site == "LiputanIslam.com"
    assert "(mm/alalam)" not in seed_doc.text and seed_doc.source_code == "alalam"
    assert {"DISKUSI:", "Leave a Reply", "Positive SSL"} <= set(seed_doc.boilerplate)


def test_end_to_end_seed_call_is_consult_irn_rus_on_the_day(seed_doc: Document) -> None:
    calls = [e for e in seed_doc.events if e.type == "CONSULT" and e.cameo.startswith("04")
             and {e.source.country, e.target.country} == {"IRN", "RUS"}]
    assert calls and calls[0].date == "2017-07-04"
    assert seed_doc.text[calls[0].trigger.start:calls[0].trigger.end] == calls[0].trigger.text
    talks = [e for e in seed_doc.events if e.type == "CONSULT" and e.source.country == e.target.country == "SYR"]
    assert talks and {talks[0].source.actor, talks[0].target.actor} == {"SYRGOV", "SYROPP"}
    assert talks[0].location is not None and talks[0].location.country == "KAZ"


def test_end_to_end_seed_scores_with_warta_eval(shared: Path) -> None:
    from warta import eval as ev

    records = [d.to_record() for d in extract([SEED]) if isinstance(d, Document)]
    res = ev.evaluate([shared / "gold" / "seed.gold.json"], records)
    assert res["cleaning"]["accuracy"] == 1.0 and res["published"]["accuracy"] == 1.0
    assert res["entities"]["f1"] >= 0.9
    assert res["events"]["f1"] >= 0.8
    assert res["quotes"]["tp"] == 3


def test_end_to_end_run_twice_same_rows_and_events_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "w.duckdb"
    first = run([EXAMPLES], db, progress=False)
    with Store(db, read_only=True) as s:
        counts = s.counts()
    run([EXAMPLES], db, progress=False)
    with Store(db, read_only=True) as s:
        assert s.counts() == counts
    assert first.written == 1 and counts["events"] >= 5
    assert main(["events", "--db", str(db), "--country", "IRN", "--format", "jsonl"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert any(r["type"] == "CONSULT" and r["date"] == "2017-07-04" and r["target_actor"].startswith("RUS")
               for r in rows)


def test_end_to_end_broken_files_go_to_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (src / "article.txt").write_bytes(SEED.read_bytes())
    db = tmp_path / "w.duckdb"
    assert main(["run", str(src), "--db", str(db), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "documents written: 1" in err and "documents failed: 2" in err
    with Store(db, read_only=True) as s:
        _cols, rows = s.query("SELECT path, reason FROM errors ORDER BY path")
        assert s.counts()["documents"] == 1
    reasons = {Path(p).name: r for p, r in rows}
    assert reasons["empty.txt"] == "empty file" and "binary" in reasons["binary.txt"]


def test_end_to_end_extract_cli_prints_jsonl(capsys: pytest.CaptureFixture) -> None:
    assert main(["extract", str(SEED)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    rec = json.loads(line)
    assert rec["schema"] == "warta.document/1" and rec["source"]["path"].endswith(SEED.name)
