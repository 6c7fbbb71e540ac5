"""PETRARCH verb and agent dictionaries -> warta overlays, country entries, and the unit-test regression harness."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from warta import ontology
from warta.cli import main
from warta.document import Document
from warta.extract import events as ev
from warta.extract.petrarch_verbs import (
    COLUMNS,
    convert,
    import_verbs,
    parse_verb_dictionary,
    write_triggers,
)
from warta.kb.petrarch_agents import convert_agents, convert_countries
from warta.pipeline import Pipeline
from warta.resources import DATA_ENV, parse_tsv
from warta.steps import default_steps

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("petrarch_unittest", ROOT / "scripts" / "petrarch_unittest.py")
assert _spec and _spec.loader
pu = importlib.util.module_from_spec(_spec)
sys.modules["petrarch_unittest"] = pu  # dataclasses look their module up while the class is built
_spec.loader.exec_module(pu)

# Written for these tests in both dialects: PETRARCH 1 connectors (_ and space), a synset whose label ends
# in "_", irregular and multi-word verbs, role markers in both places, null, paired, reverse-only and
# non-CAMEO codes, PETRARCH 2 phrases ((PREP ...) and {MODIFIER HEAD}), an undefined synset, a ~ line.
VERBS = """<!-- VERBS FOR TESTS
   over two lines -->
# a comment line
&TIES_
+MILITARY
+ECONOMIC

--- RESTORE  [064]  ---
RESTORE    # pas 18 Jun 2007
+SET_UP {+SETS_UP +SET_UP +SETTING_UP}
- * DIPLOMATIC TIES  [065]
- * &TIES_RELATIONS  [066]
- NOT_*  [112]
- + * FROM $  [066]
- * FXLL  [---]
- * ODD  [abc]
- % * TALKS  [031:031]
- * TIES  [:064]

--- BREAK [1717] ---
BREAK { BROKE BROKEN }
- * (OFF {DIPLOMATIC RELATIONS})  [161]

--- STATE [---] ---
SAY {SAID SAYING}
- * &UNDEFINED  [010]
- * CONCERN  [010]
~ a (a b ATTACK) SAY = a b 015
"""


def _rows(raw: bool = True) -> dict[str, str]:
    res = convert(parse_verb_dictionary(VERBS), source="t.verbs", raw_codes=raw)
    return {r["pattern"]: r["cameo"] for r in res.rows}


def test_parse_blocks_verbs_synsets() -> None:
    d = parse_verb_dictionary(VERBS)
    assert [(b.name, b.code) for b in d.blocks] == [("RESTORE", "064"), ("BREAK", "1717"), ("STATE", "---")]
    restore, brk, _ = d.blocks
    assert [v.words for v in restore.verbs] == [("restore",), ("set", "up")]
    assert brk.verbs[0].forms == [("broke",), ("broken",)]
    assert len(d.synsets["&TIES"]) == 2  # "&TIES_" is used as "&TIES"
    assert d.skipped["verb transformation (~ line)"] == 1


def test_convert_patterns_gaps_synsets_and_verbs() -> None:
    rows = _rows()
    assert rows["restore"] == "064" and rows["set up"] == "064"
    assert rows["restore ... diplomatic ... ties"] == "065"  # a space lets words sit between
    assert rows["set up ... diplomatic ... ties"] == "065"  # the block's patterns belong to every verb
    assert rows["restore ... military relations"] == "066"  # "_" joins consecutive words
    assert rows["restore ... economic relations"] == "066"
    assert rows["not restore"] == "112"
    assert rows["restore ... talks"] == "031"  # "%" dropped, the first of a paired code kept
    assert rows["break ... off ... diplomatic ... relations"] == "161"  # PETRARCH 2 phrases
    assert rows["broke"] == rows["broken"] == "1717"  # irregular forms that share no root with "break"
    assert "restore ... from" not in rows and "restore ... fxll" not in rows and "restore ... odd" not in rows
    assert "say" not in rows and "said" not in rows  # a [---] block: its bare verbs code nothing
    assert rows["say ... concern"] == "010"  # raw codes keep what PLOVER drops (CAMEO 01)
    for p in rows:
        toks = ontology.pattern_tokens(p)
        assert toks[0] != "..." and toks[-1] != "..." and "... ..." not in p


def test_convert_counts_what_it_skips() -> None:
    res = convert(parse_verb_dictionary(VERBS), raw_codes=True)
    s, n = res.skipped, res.notes
    assert s["target before the verb or source after it (roles the coder cannot swap)"] == 1
    assert s["null code [---] (codes no event)"] == 2  # "* FXLL [---]" and the STATE block's verbs
    assert s["not a CAMEO code"] == 1
    assert s["reverse event only ([:code])"] == 1
    assert s["undefined synset"] == 1
    # [031:031] (a symmetric event, coded both ways by PETRARCH): warta emits one event
    assert n["paired code: reverse event dropped"] == 1
    assert n["compound actor % dropped (coordination left to the coder)"] == 1


def test_cameo_mode_maps_codes_to_the_ontology() -> None:
    res = convert(parse_verb_dictionary(VERBS), raw_codes=False)
    for r in res.rows:
        code = ontology.cameo(r["cameo"])
        assert code is not None and code.code == r["cameo"] and code.plover and r["plover"] == code.plover
    patterns = {r["pattern"] for r in res.rows}
    assert "say ... concern" not in patterns  # 010: a statement, which PLOVER drops
    assert res.skipped["no PLOVER type (CAMEO 01/02, or an unknown code)"] >= 1


def test_known_patterns_and_duplicates_keep_the_first() -> None:
    res = convert(parse_verb_dictionary(VERBS), raw_codes=True, known_patterns=["RESTORE"])
    assert "restore" not in {r["pattern"] for r in res.rows}
    assert res.notes["duplicate pattern (first kept)"] >= 1


def test_write_triggers_header_and_no_duplicates_on_reimport(tmp_path: Path) -> None:
    rows = convert(parse_verb_dictionary(VERBS), source="t.verbs", raw_codes=True).rows
    path, n = write_triggers(tmp_path, rows, "t.verbs")
    assert n == len(rows) and path == tmp_path / "triggers" / "en.tsv"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "\t".join(COLUMNS) in text
    assert [r["pattern"] for r in parse_tsv(text)] == [r["pattern"] for r in rows]
    assert write_triggers(tmp_path, rows, "t.verbs")[1] == 0


def test_overlay_triggers_reach_the_coder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_triggers(tmp_path, convert(parse_verb_dictionary(VERBS), raw_codes=True).rows)
    text = "France restored diplomatic ties with Germany on Monday."
    steps = Pipeline([s for s in default_steps(("en",)) if s.name not in ("language", "dedup")])

    def coded() -> set[tuple[str, str | None, str | None]]:
        ev.trigger_index.cache_clear()
        doc = steps.process(Document(id="t", text=text, language="en", published="2020-01-06"))
        assert isinstance(doc, Document)
        return {(e.cameo, e.source and e.source.actor, e.target and e.target.actor) for e in doc.events}

    try:
        assert ("065", "FRA", "DEU") not in coded()
        monkeypatch.setenv(DATA_ENV, str(tmp_path))
        assert ("065", "FRA", "DEU") in coded()  # the longest trigger wins: "restore ... diplomatic ... ties"
    finally:
        monkeypatch.delenv(DATA_ENV, raising=False)
        ev.trigger_index.cache_clear()


def test_cli_dry_run_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    # a pattern warta already has (here from another overlay) is not written again: equal patterns would tie
    other = tmp_path / "other"
    write_triggers(other, [{"pattern": "restore", "cameo": "050", "plover": "SUPPORT", "example": "", "note": ""}])
    monkeypatch.setenv(DATA_ENV, str(other))
    verbs = tmp_path / "t.verbs.txt"
    verbs.write_text(VERBS, encoding="utf-8")
    agents = tmp_path / "t.agents.txt"
    agents.write_text("ENVOY [~GOV]\n", encoding="utf-8")
    assert main(["import-petrarch-verbs", str(verbs), "--dry-run"]) == 0
    assert not (tmp_path / "triggers").exists()
    out = tmp_path / "overlay"
    assert main(["import-petrarch-verbs", str(verbs), "--agents", str(agents), "--out", str(out)]) == 0
    rows = parse_tsv((out / "triggers" / "en.tsv").read_text(encoding="utf-8"))
    assert "restore ... diplomatic ... ties" in {r["pattern"] for r in rows}
    assert "restore" not in {r["pattern"] for r in rows} and "set up" in {r["pattern"] for r in rows}
    assert parse_tsv((out / "kb" / "agents.tsv").read_text(encoding="utf-8")) == [
        {"word": "envoy", "language": "en", "sector": "GOV"}]
    assert "skipped" in capsys.readouterr().err


# ----------------------------------------------------------------------------------- agents, countries
AGENTS = """<!-- AGENTS FOR TESTS -->
!PERSON! = MAN, MEN
CONGRESS!PERSON! [~LEG]
FOREIGN_MINISTER {FOREIGN_MINISTERS} [~GOVFRM] # jap
POLICE {} [ ~COP]
HUMAN_RIGHTS_BODY  [NGO~]
GOVERNMENT  [~GOV]
CHAIR!NOBODY! [~GOV]
NOCODE
"""


def test_agents() -> None:
    res = convert_agents(AGENTS, known={("government", "en"): "GOV"})
    assert [(r["word"], r["sector"]) for r in res.rows] == [
        ("congressman", "LEG"), ("congressmen", "LEG"), ("foreign minister", "GOVFRM"),
        ("foreign ministers", "GOVFRM"), ("police", "COP")]
    assert all(r["language"] == "en" for r in res.rows)
    assert res.skipped["prefix agent (XXX~): its code goes before the country"] == 1
    assert res.skipped["already in the KB"] == 1
    assert res.skipped["undefined substitution (!X!)"] == 1
    assert res.skipped["no code"] == 1
    assert res.notes["multi-word agent (the coder matches one-word agents only)"] == 2


ACTORS = """ARNOR_  [ARN]
+ARNORIAN
EGYPT  [UAR]
FRANCE  [FRA]
+FRANKISH
LORIEN  [ELR/GAL]
GOLLUM
\t[HOB < 950601]
ISRAELI_TROOPS [ISRMIL]
GONDOR [GON]
+MINAS_TIRITH
"""


def test_country_entries() -> None:
    res = convert_countries(ACTORS, countries={"FRA": "France", "EGY": "Egypt"},
                            known_names={"france", "egypt", "minas tirith"})
    by = {r["iso3"]: r for r in res.rows}
    assert set(by) == {"ARN", "FRA", "ELR", "GON"} and res.codes == set(by)
    assert (by["ARN"]["name_en"], by["ARN"]["names_en"]) == ("Arnor", "Arnorian")
    assert (by["FRA"]["name_en"], by["FRA"]["names_en"]) == ("", "Frankish")  # a KB country gains a name
    assert by["GON"]["names_en"] == ""  # a name the KB already has is not taken over
    assert res.skipped["names a KB record under another code"] == 1  # EGYPT [UAR]
    assert res.notes["several codes (first kept)"] == 1


# ----------------------------------------------------------------------------------- harness scoring
def test_harness_scoring_rules() -> None:
    assert pu.norm("---GOV") == "GOV" and pu.norm("---") == "" and pu.norm("gongov") == "GONGOV"
    sents = [pu.Sentence("s1", "DEMO", None, "x", expected=[("ARN", "GON", "064"), ("GON", "ARN", "033"),
                                                             ("---GOV", "---", "023")]),
             pu.Sentence("s2", "DEMO", None, "y", nothing=["noevents"])]

    def e(s: str, t: str | None, code: str) -> dict:
        return {"source": {"actor": s, "country": s[:3]}, "target": t and {"actor": t, "country": t[:3]},
                "cameo": code, "type": "", "trigger": "t"}

    coded = [{"id": "s1", "events": [e("ARN", "GON", "064"), e("GON", "ARN", "036"), e("GOV", None, "023"),
                                     e("ARN", "GON", "064")],
              "mentions": [], "triggers": [("restore", "064")]},
             {"id": "s2", "events": [], "mentions": [], "triggers": []}]
    r = pu.compare(sents, coded, {"ARN", "GON"})
    assert (r["codings"], r["exact"], r["root"]) == (3, 2, 3)  # 036 shares the root of the expected 033
    assert r["false_extras"] == 2  # the unmatched 036 and the repeated 064
    assert (r["nothing_expected"], r["nothing_reproduced"], r["items_reproduced"]) == (1, 1, 3)
    assert r["miss_reasons"] == {"paired": 1}


def test_records_structure(shared: Path) -> None:
    sents = pu.read_records(shared / "data" / "petrarch2" / pu.RECORDS)
    codings = sum(len(s.expected) for s in sents)
    nothing = sum(len(s.nothing) for s in sents)
    assert codings + nothing == 385  # the number: every <EventCoding> is read
    assert all(s.text and (s.date is None or len(s.date) == 10) for s in sents)


def test_real_dictionaries(shared: Path) -> None:
    p = shared / "data" / "petrarch2"
    for name, raw in ((pu.VERBS, True), ("CAMEO.2.0.txt", False)):
        res = import_verbs(p / name, raw_codes=raw, patterns=name == pu.VERBS)
        assert len(res.rows) > 400, name
        for r in res.rows:
            toks = ontology.pattern_tokens(r["pattern"])
            assert toks[0] != "..." and toks[-1] != "..." and "... ..." not in r["pattern"], r
            assert r["cameo"][:2].isdigit(), r
    agents = convert_agents((p / pu.AGENTS).read_text(encoding="utf-8"))
    assert len(agents.rows) > 50 and all(r["sector"].isalpha() for r in agents.rows)


@pytest.mark.slow
def test_unittest_regression_runs(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "petrarch_unittest.py"), "--json", str(out)],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(r["exact"], int) and 0 <= r["exact"] <= r["root"] <= r["codings"]
    assert r["items"] == r["codings"] + r["nothing_expected"] and r["imported"]["verbs"]["rows"] > 0
    assert "(a) exact" in proc.stdout
