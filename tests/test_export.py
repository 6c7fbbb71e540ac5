from __future__ import annotations

import csv
import json
from pathlib import Path

from test_document import make_doc
from warta.export import GDELT_COLUMNS, export
from warta.store import Store


def test_export_gdelt_row_field_by_field(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    doc = make_doc()
    doc.url = "https://example.com/a"
    with Store(db) as s:
        s.write([doc])
    (f,) = export(db, tmp_path / "out", "gdelt")
    rows = list(csv.reader(f.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 1 and len(rows[0]) == len(GDELT_COLUMNS) == 61
    row = dict(zip(GDELT_COLUMNS, rows[0], strict=True))
    assert row["Day"] == "20170704" and row["MonthYear"] == "201707" and row["Year"] == "2017"
    assert row["Actor1Code"] == "IRNGOV" and row["Actor1CountryCode"] == "IRN" and row["Actor1Type1Code"] == "GOV"
    assert row["Actor2Code"] == "RUSGOV" and row["Actor2Name"] == "NIKOLAI PATRUSHEV"
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("041", "041", "04")
    assert row["QuadClass"] == "1" and row["GoldsteinScale"] == "1.0"
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("1", "1", "1")
    assert row["SOURCEURL"] == "https://example.com/a" and row["GlobalEventID"].isdigit()
    assert row["AvgTone"] == ""


def test_export_tables_as_jsonl_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        s.write([make_doc()])
    files = export(db, tmp_path / "j", "jsonl")
    ev = [json.loads(x) for x in (tmp_path / "j" / "events.jsonl").read_text().splitlines()]
    assert ev[0]["type"] == "CONSULT" and len(files) == 7
    export(db, tmp_path / "c", "csv")
    assert (tmp_path / "c" / "entities.csv").read_text().startswith("doc_id,idx,char_start")
