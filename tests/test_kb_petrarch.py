"""PETRARCH actor dictionaries -> KB overlay rows: the file grammar, dates, persons vs organisations, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from warta.cli import main
from warta.kb import load_kb
from warta.kb.petrarch import convert, display_name, parse_actor_dictionary, parse_code, petr_date

# Written for these tests in the format of the Phoenix files (indented date blocks, inline codes,
# synonyms, comments, an XML comment over two lines, an unreadable date).
DICT = """# a comment line
<!-- a comment
that spans lines -->
ATLANTIS_  [ATL]
+CITY_OF_ATLANTIS_
+POSEIDONIA

# National Institutions
ATLANTEAN_NAVY_
+NAVY_OF_ATLANTIS
\t[ATLMIL]

ZARA_KUMALA_  # CountryInfo.txt
+Z._KUMALA_
+KUMALA
\t[ATLELI 880101-130630]
\t[ATLGOV 130701-190930]
\t[ATLGOV >191001]
\t[ATLELI]
OLD_KING_COLE_  # CountryInfo.txt
\t[ATLGOV <700101]
\t[ATLGOV 990101-980101]
BRAVO_JANSEN_\t[IGOUNO 20040101-20081231] [ELI]# IGOrulers.txt
JOKO_WIDODO_  # already in warta's KB
\t[IDNGOV >141020]
---STOP---
IGNORED_AFTER_STOP_ [ATLGOV 010101-020202]
"""


def test_petr_dates_and_codes() -> None:
    assert petr_date("130701") == dt.date(2013, 7, 1)
    assert petr_date("880101") == dt.date(1988, 1, 1)  # YY over 30: 19YY
    assert petr_date("19270101") == dt.date(1927, 1, 1)
    with pytest.raises(ValueError):
        petr_date("9008223")
    with pytest.raises(ValueError):
        petr_date("130231")
    c = parse_code("ATLGOV 130701-190930")
    assert (c.code, c.start, c.end) == ("ATLGOV", "2013-07-01", "2019-10-01")  # inclusive -> exclusive end
    assert (parse_code("ATLGOV >191001").start, parse_code("ATLGOV >191001").end) == ("2019-10-01", "")
    assert (parse_code("HOB < 950601").start, parse_code("HOB < 950601").end) == ("", "1995-06-01")
    assert parse_code("HOBGOV 19950601 - 19990815").end == "1999-08-16"
    assert parse_code("---") is None
    assert not parse_code("ATLELI").dated


def test_petr_parse_entries() -> None:
    problems: list[str] = []
    entries = {e.phrase: e for e in parse_actor_dictionary(DICT, problems)}
    assert list(entries) == ["ATLANTIS_", "ATLANTEAN_NAVY_", "ZARA_KUMALA_", "OLD_KING_COLE_", "BRAVO_JANSEN_",
                             "JOKO_WIDODO_"]
    z = entries["ZARA_KUMALA_"]
    assert z.synonyms == ["Z._KUMALA_", "KUMALA"] and z.default == "ATLELI"
    assert [c.code for c in z.codes if c.dated] == ["ATLELI", "ATLGOV", "ATLGOV"]
    assert [c.code for c in entries["BRAVO_JANSEN_"].codes] == ["IGOUNO", "ELI"]  # codes on the phrase line
    assert len(problems) == 1 and "ends before it starts" in problems[0]
    assert display_name("B._LYNN_PASCOE_") == "B. Lynn Pascoe"
    assert display_name("BASHAR_AL-ASSAD_") == "Bashar Al-Assad"
    assert display_name("POPE_JOHN_PAUL_II") == "Pope John Paul II"


def _convert(**kw: object) -> object:
    kb = load_kb()
    known = {" ".join(k) for k, es in kb.index.items() if any(e.kind in ("person", "org") for e in es)}
    return convert(DICT, known_names=known, known_ids=set(kb.persons), countries=set(kb.countries) | {"ATL"},
                   **kw)


def test_petr_convert_persons_roles_orgs() -> None:
    res = _convert()
    ids = [p["id"] for p in res.persons]
    assert ids == ["petr_zara_kumala", "petr_old_king_cole", "petr_bravo_jansen"]
    z = res.persons[0]
    assert z["canonical"] == "Zara Kumala" and z["actor"] == "ATLELI" and z["country"] == "ATL"
    assert z["aliases"] == "Z. Kumala"  # the one-word "Kumala" is dropped by default
    zr = [(r["actor"], r["start"], r["end"]) for r in res.roles if r["person_id"] == "petr_zara_kumala"]
    assert zr == [("ATLELI", "1988-01-01", "2013-07-01"), ("ATLGOV", "2013-07-01", "2019-10-01"),
                  ("ATLGOV", "2019-10-01", "")]
    bravo = [r for r in res.roles if r["person_id"] == "petr_bravo_jansen"]
    assert [(r["country"], r["actor"]) for r in bravo] == [("IGO", "IGOUNO")]
    assert res.skipped["already in the KB"] == 1  # Joko Widodo
    assert res.skipped["country entry"] == 1 and res.skipped["organisation (use --orgs)"] == 1
    assert not res.orgs
    orgs = _convert(orgs=True).orgs
    assert [(o["canonical"], o["actor"], o["aliases"]) for o in orgs] == [
        ("Atlantean Navy", "ATLMIL", "Navy Of Atlantis")]


def test_petr_convert_since_and_open_until() -> None:
    res = _convert(since="2015-01-01", open_until="2014-01-30")
    assert [p["id"] for p in res.persons] == ["petr_zara_kumala"]
    assert res.skipped["no role since 2015-01-01"] == 2
    ends = [r["end"] for r in res.roles]
    assert ends[-1] == ""  # starts after the dictionary's date: left open
    res = _convert(open_until="2019-01-01")
    z = [r for r in res.roles if r["person_id"] == "petr_zara_kumala"]
    assert z[-1]["end"] == ""  # started after open_until: stays open
    assert z[1]["end"] == "2019-10-01"


def test_petr_import_cli_writes_overlay_and_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "overlay"
    monkeypatch.setenv("WARTA_DATA_PATH", str(d))
    f = tmp_path / "test.actors.txt"
    f.write_text(DICT.replace("ATL", "NOR"), encoding="utf-8")  # a real ISO3 so the country column fills
    assert main(["kb", "import-petrarch", str(f), "--dry-run"]) == 0
    assert not d.exists()
    assert main(["kb", "import-petrarch", str(f)]) == 0
    kb = load_kb()
    assert kb.person_role("petr_zara_kumala", "2015-06-01").actor == "NORGOV"
    assert kb.person_actor("petr_zara_kumala", "1980-01-01")[0] == "NORELI"  # the undated default code
    assert kb.persons["petr_zara_kumala"].country == "NOR"
    capsys.readouterr()
    assert main(["kb", "import-petrarch", str(f)]) == 0
    assert "nothing to import" in capsys.readouterr().err
    assert len(load_kb().roles["petr_zara_kumala"]) == 3


def test_petr_real_dictionaries(shared: Path) -> None:
    folder = shared / "data" / "petrarch2"
    problems: list[str] = []
    entries = list(parse_actor_dictionary((folder / "PETR.Validate.actors.txt").read_text(encoding="utf-8"),
                                          problems))
    gollum = next(e for e in entries if e.phrase.startswith("GOLLUM"))
    assert gollum.synonyms[:2] == ["SMEAGOL", "SLINKER"]
    assert [(c.code, c.start, c.end) for c in gollum.codes] == [
        ("HOB", "", "1995-06-01"), ("HOBGOV", "1995-06-01", "1999-08-16"), ("HOBREB", "1999-08-16", "")]
    intl = (folder / "Phoenix.International.actors.txt").read_text(encoding="utf-8")
    annan = next(e for e in parse_actor_dictionary(intl) if e.phrase.startswith("KOFI_ANNAN"))
    assert any(c.code == "IGOUNO" and c.start.startswith("1997") for c in annan.codes)
