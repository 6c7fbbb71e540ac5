"""warta.clean.boilerplate: markers, trailing blocks, inline links, editor codes, properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean.boilerplate import BOILERPLATE_FILE, EDITOR_CODES_FILE, clean_text, is_prose, match_marker
from warta.resources import read_table

PARA = "Presiden mengatakan pemerintah akan melanjutkan kerja sama dengan negara tetangga pada tahun depan."
PARA2 = "Menteri Luar Negeri menyebut pertemuan itu berjalan lancar dan kedua pihak sepakat bertemu lagi."


def test_clean_exact_marker_line_removed() -> None:
    c = clean_text(f"{PARA}\n\nSCROLL TO CONTINUE WITH CONTENT\n\n{PARA2}")
    assert c.text == f"{PARA}\n\n{PARA2}"
    assert c.boilerplate == ["SCROLL TO CONTINUE WITH CONTENT"]


def test_clean_exact_marker_needs_whole_line() -> None:
    line = "Iklan itu ditayangkan di televisi nasional selama sepekan, kata juru bicara perusahaan."
    assert clean_text(line).text == line


def test_clean_prefix_marker_line_removed() -> None:
    c = clean_text(f"{PARA}\nEditor: Budi Santoso\n{PARA2}")
    assert "Editor" not in c.text
    assert c.boilerplate == ["Editor: Budi Santoso"]


def test_clean_regex_marker_line_removed() -> None:
    c = clean_text(f"{PARA}\n\n1815 views\n\n{PARA2}")
    assert "views" not in c.text
    assert c.boilerplate == ["1815 views"]


def test_clean_table_credit_row_removed() -> None:
    c = clean_text(f"{PARA}\n| Penulis | : Andi Wijaya |")
    assert c.text == PARA


def test_clean_inline_baca_juga_cut_to_line_end() -> None:
    c = clean_text(f"{PARA} Baca juga: Menlu Bertemu Mitra dari Asia\n\n{PARA2}")
    assert c.text == f"{PARA}\n\n{PARA2}"
    assert c.boilerplate == ["Baca juga: Menlu Bertemu Mitra dari Asia"]


def test_clean_baca_juga_own_line() -> None:
    c = clean_text(f"{PARA}\nBaca juga: Harga Minyak Naik Lagi\n{PARA2}")
    assert c.text == f"{PARA}\n{PARA2}"


@pytest.mark.parametrize(
    ("ending", "code"),
    [("(mm/alalam)", "alalam"), ("(ant)", "ant"), ("(dhf/dhf)", "dhf"), ("(rdp/imk)", "imk"), ("(kpl/pur/tch)", "tch")],
)
def test_clean_editor_code_at_end(ending: str, code: str) -> None:
    c = clean_text(f"{PARA}\n\n{PARA2} {ending}")
    assert c.text == f"{PARA}\n\n{PARA2}"
    assert c.source_code == code
    assert c.boilerplate == [ending]


def test_clean_editor_code_on_own_line() -> None:
    c = clean_text(f"{PARA}\n(kpl/pur/tch)")
    assert c.text == PARA
    assert c.source_code == "tch"


def test_clean_upper_case_parenthesis_is_not_a_code() -> None:
    text = f"{PARA} Hal itu disampaikan Amerika Serikat (AS)"
    assert clean_text(text).text == text
    assert clean_text(text).source_code is None


def test_clean_code_only_at_the_end() -> None:
    text = f"Kata dia (ant) kepada wartawan di Jakarta pada hari Senin pagi.\n\n{PARA2}"
    assert clean_text(text).text == text


def test_clean_trailing_block_goes_whole() -> None:
    tail = "DISKUSI:\nSHARE THIS:\n\nLeave a Reply\n\nYour email address will not be published.\n\n*\n\nSome Site Name"
    c = clean_text(f"{PARA}\n\n{PARA2}\n\n{tail}")
    assert c.text == f"{PARA}\n\n{PARA2}"
    assert c.boilerplate[0] == "DISKUSI:" and c.boilerplate[-1] == "Some Site Name"


def test_clean_trailing_block_headline_list() -> None:
    tail = "Populer\n\nHarga Beras Naik Jelang Lebaran\n\nSenin, 27 Januari 2025 | 02:16\n\nBanjir Rendam Tiga Kecamatan"
    c = clean_text(f"{PARA}\n\n{tail}")
    assert c.text == PARA


def test_clean_tail_marker_before_prose_keeps_prose() -> None:
    c = clean_text(f"Bagikan:\n\n{PARA}\n\n{PARA2}")
    assert c.text == f"{PARA}\n\n{PARA2}"
    assert c.boilerplate == ["Bagikan:"]


def test_clean_link_run_paragraph_removed() -> None:
    c = clean_text(f"{PARA}\n\nProfile: Some Person\nTimeline of events\n\n{PARA2}")
    assert c.text == f"{PARA}\n\n{PARA2}"


def test_clean_single_subheading_kept() -> None:
    text = f"{PARA}\n\nLatar Belakang\n\n{PARA2}"
    assert clean_text(text).text == text


def test_clean_keeps_kept_lines_verbatim() -> None:
    text = f"  {PARA}  \n\n\n\n{PARA2}\n"
    out = clean_text(text).text
    assert f"  {PARA}  " in out and "\n\n\n" not in out


def test_clean_is_prose() -> None:
    assert is_prose(PARA)
    assert not is_prose("Harga Beras Naik Jelang Lebaran")
    assert not is_prose("Blog · Forum · Karir · Redaksi · Pedoman · Kontak · Info Iklan · Disclaimer · Sitemap " * 3)


def test_clean_marker_file_rows_valid() -> None:
    rows = read_table(BOILERPLATE_FILE)
    assert rows
    for r in rows:
        assert r["kind"] in {"exact", "prefix", "regex"} and r["scope"] in {"line", "tail", "inline"}
        if r["kind"] == "regex":
            re.compile(r["pattern"])
        else:  # each literal marker matches itself as a line
            assert match_marker(r["pattern"]) is not None, r


def test_clean_editor_code_file_rows_valid() -> None:
    for r in read_table(EDITOR_CODES_FILE):
        assert "code" in re.compile(r["pattern"]).groupindex


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
lines = st.lists(
    st.one_of(
        st.sampled_from(["", "Baca juga: Judul", "DISKUSI:", "*", "(ant)", "Leave a Reply", "Populer", PARA, PARA2, "x (mm/al)"]),
        st.text(max_size=60),
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(texts, lines))
def test_clean_properties(text: str) -> None:
    c = clean_text(text)
    assert len(c.text) <= len(text)
    assert clean_text(c.text).text == c.text
