from __future__ import annotations

from pathlib import Path

import pytest

from warta.resources import DataFileError, iter_data_files, parse_tsv, read_table, split_list


def test_resources_user_overlay_appends_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = read_table("lang/calendar.tsv")
    (tmp_path / "lang").mkdir()
    (tmp_path / "lang" / "calendar.tsv").write_text("# mine\nword\tlanguage\tkind\tvalue\nkemarennya\tid\trelative\t-1\n",
                                                   encoding="utf-8")
    monkeypatch.setenv("WARTA_DATA_PATH", str(tmp_path))
    rows = read_table("lang/calendar.tsv")
    assert rows[: len(shipped)] == shipped and rows[-1]["word"] == "kemarennya"


def test_resources_parse_comments_lists_and_bad_rows() -> None:
    rows = parse_tsv("# version: 1\na\tb\n\nx\ty|z\n")
    assert rows == [{"a": "x", "b": "y|z"}] and split_list(rows[0]["b"]) == ["y", "z"]
    with pytest.raises(DataFileError, match="row 2"):
        parse_tsv("a\tb\nx\ty\tz\n")


def test_resources_every_shipped_file_parses_and_is_documented() -> None:
    files = list(iter_data_files())
    assert len(files) >= 15
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert text.lstrip().startswith("#"), f"{f.name} has no header comment"
        assert parse_tsv(text, str(f)), f"{f.name} has no rows"
