from __future__ import annotations

import json
from pathlib import Path

from warta.document import Document, sha1_hex
from warta.pipeline import Failure
from warta.readers import read_inputs


def test_readers_directory_with_empty_binary_and_valid_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    good = b"Jakarta - Presiden bertemu Perdana Menteri di Istana."
    (tmp_path / "sub" / "good.txt").write_bytes(good)
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    got = list(read_inputs([tmp_path]))
    assert len(got) == 3
    by_name = {Path(r.path).name: r for r in got}
    assert isinstance(by_name["empty.txt"], Failure) and by_name["empty.txt"].reason == "empty file"
    assert isinstance(by_name["blob.txt"], Failure) and "binary" in by_name["blob.txt"].reason
    doc = by_name["good.txt"]
    assert isinstance(doc, Document) and doc.id == sha1_hex(good) and doc.text.startswith("Jakarta")


def test_readers_jsonl_text_html_and_broken_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Menlu bertemu Dubes di Jakarta hari ini.", "url": "http://x/1", "published": "2024-01-02"}),
        "{not json",
        json.dumps({"html": "<html><body><p>Isi berita yang cukup panjang.</p></body></html>", "id": "abc"}),
        json.dumps({"title": "no body"}),
    ]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(read_inputs([f]))
    assert [type(x).__name__ for x in got] == ["Document", "Failure", "Document", "Failure"]
    assert got[0].url == "http://x/1" and got[0].published == "2024-01-02"
    assert "invalid JSON" in got[1].reason and got[1].path.endswith(":2")
    assert got[2].html is not None and got[2].id == "abc"


def test_readers_missing_path_is_a_failure(tmp_path: Path) -> None:
    (res,) = list(read_inputs([tmp_path / "nope.txt"]))
    assert isinstance(res, Failure) and "no such file" in res.reason
