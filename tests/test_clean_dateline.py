"""warta.clean.dateline: every data row matches its examples; offsets; scope."""

from __future__ import annotations

import pytest

from warta.clean.dateline import DATELINES_FILE, find_dateline
from warta.resources import read_table, split_list

BODY = " Presiden mengatakan pemerintah akan melanjutkan kerja sama."
ROWS = read_table(DATELINES_FILE)


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_dateline_row_matches_its_examples(row: dict[str, str]) -> None:
    examples = split_list(row["examples"])
    assert examples, f"{row['name']} has no example"
    for ex in examples:
        text = ex + ("\n\nForeign ministers met on Friday." if row["name"] == "bare_place_line" else BODY)
        m = find_dateline(text)
        assert m is not None, ex
        assert m.form == row["name"], (ex, m)
        assert text[m.start : m.end] == m.text
        assert m.text in ex


@pytest.mark.parametrize(
    ("line", "place", "site"),
    [
        ("Teheran, LiputanIslam.com –", "Teheran", "LiputanIslam.com"),
        ("JAKARTA, KOMPAS.com -", "JAKARTA", "KOMPAS.com"),
        ("Jakarta (ANTARA) -", "Jakarta", "ANTARA"),
        ("TEMPO.CO, Jakarta -", "Jakarta", "TEMPO.CO"),
        ("Mataram, NTB (ANTARA News) -", "Mataram, NTB", "ANTARA News"),
        ("Jakarta, CNN Indonesia --", "Jakarta", "CNN Indonesia"),
        ("WASHINGTON (Reuters) -", "WASHINGTON", "Reuters"),
        ("LONDON, Jan 5 (Reuters) -", "LONDON", "Reuters"),
        ("Liputan6.com, Jakarta -", "Jakarta", "Liputan6.com"),
        ("Rio de Janeiro (AFP) —", "Rio de Janeiro", "AFP"),
        ("JAKARTA -", "JAKARTA", None),
    ],
)
def test_dateline_place_and_site(line: str, place: str, site: str | None) -> None:
    m = find_dateline(line + BODY)
    assert m is not None
    assert (m.text, m.site) == (place, site)


def test_dateline_date_with_year() -> None:
    m = find_dateline("JAKARTA, 5 Januari 2017 (ANTARA) -" + BODY)
    assert m is not None and m.date == "2017-01-05"


def test_dateline_date_without_year_is_none() -> None:
    m = find_dateline("LONDON, Jan 5 (Reuters) -" + BODY)
    assert m is not None and m.date is None


def test_dateline_offsets_after_title_lines() -> None:
    text = "Judul Berita Hari Ini\n\nFoto: dokumentasi\n\nPBB (ANTARA) -" + BODY
    m = find_dateline(text)
    assert m is not None and m.text == "PBB"
    assert text[m.start : m.end] == "PBB"


def test_dateline_not_in_prose() -> None:
    assert find_dateline("Presiden Joko Widodo tiba di Jakarta pada Senin pagi.") is None
    assert find_dateline("AS - negara itu menolak.") is None
    assert find_dateline("") is None


def test_dateline_only_near_the_start() -> None:
    text = "\n\n".join(["Kalimat pembuka yang cukup panjang untuk satu paragraf."] * 8) + "\n\nJakarta (ANTARA) -" + BODY
    assert find_dateline(text) is None


def test_dateline_bare_place_only_on_first_line() -> None:
    assert find_dateline("Moscow\n\nForeign ministers met.") is not None
    assert find_dateline("Ministers met today.\n\nMoscow\n\nMore text.") is None
