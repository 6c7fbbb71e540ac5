"""Schema and quality of the trigger dictionaries (data/triggers/id.tsv, en.tsv)."""

from __future__ import annotations

import pytest

from warta import ontology
from warta.resources import data_dir, read_table

LANGS = ("id", "en")
MIN_ENTRIES = 300
COLUMNS = ["pattern", "cameo", "plover", "example", "note"]


def _rows(lang: str) -> list[dict[str, str]]:
    return read_table(f"triggers/{lang}.tsv")


@pytest.mark.parametrize("lang", LANGS)
def test_header_and_columns(lang):
    text = (data_dir() / "triggers" / f"{lang}.tsv").read_text(encoding="utf-8")
    comments = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any("version" in c for c in comments)
    assert any("Sources" in c for c in comments)
    header = next(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    assert header.split("\t") == COLUMNS


@pytest.mark.parametrize("lang", LANGS)
def test_rows_are_complete_and_consistent_with_the_ontology(lang):
    rows = _rows(lang)
    assert len(rows) >= MIN_ENTRIES
    seen: set[tuple[str, str]] = set()
    for r in rows:
        assert r["pattern"] and r["example"], r
        toks = ontology.pattern_tokens(r["pattern"])
        assert toks[0] != "..." and toks[-1] != "...", r
        assert "... ..." not in r["pattern"], r
        code = ontology.cameo(r["cameo"])
        assert code is not None and code.code == r["cameo"], f"unknown CAMEO code {r['cameo']!r}"
        assert code.plover, f"{r['cameo']} has no PLOVER type"
        assert r["plover"] == code.plover, r
        key = (r["pattern"].casefold(), r["cameo"])
        assert key not in seen, f"duplicate {key}"
        seen.add(key)


@pytest.mark.parametrize("lang", LANGS)
def test_every_type_is_covered(lang):
    types = {r["plover"] for r in _rows(lang)}
    assert types == set(ontology.plover_types())


@pytest.mark.parametrize("lang", LANGS)
def test_every_example_contains_its_pattern(lang):
    missing = [
        (r["pattern"], r["example"])
        for r in _rows(lang)
        if ontology.find_pattern(r["pattern"], ontology.text_words(r["example"]), lang) is None
    ]
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_examples_have_no_competing_trigger_of_another_type(lang):
    """A different-type match in an example must lie inside the entry's own (longer) match."""
    rows = _rows(lang)
    pats = [(ontology.pattern_tokens(r["pattern"]), r["plover"]) for r in rows]
    clashes = []
    for r in rows:
        words = ontology.text_words(r["example"])
        own = ontology.find_pattern(r["pattern"], words, lang)
        assert own is not None
        for toks, plover in pats:
            if plover == r["plover"]:
                continue
            other = ontology.find_pattern(toks, words, lang)
            if other and not (own[0] <= other[0] and other[1] <= own[1]):
                clashes.append((r["pattern"], " ".join(toks), r["example"]))
    assert not clashes


def test_indonesian_has_no_bare_speech_verbs():
    speech = {"mengatakan", "menyatakan", "kata", "ujar", "tutur", "menurut", "berkata", "menegaskan", "menyebut"}
    bare = [r["pattern"] for r in _rows("id") if r["pattern"].casefold() in speech]
    assert not bare


def test_indonesian_core_cues_present():
    patterns = {r["pattern"].casefold() for r in _rows("id")}
    for cue in ("bertemu", "membahas", "kontak telepon", "kontak telefon", "kunjungan", "mengecam", "menuduh",
                "menyerang", "menandatangani", "sepakat", "mendesak", "menolak", "mengancam", "menangkap",
                "menetapkan ... tersangka", "memprotes", "bantuan", "sanksi", "koordinasi", "kerja sama",
                "perundingan", "serangan udara", "mengerahkan ... pasukan", "unjuk rasa", "embargo"):
        assert cue in patterns, cue


def test_english_core_cues_present():
    patterns = {r["pattern"].casefold() for r in _rows("en")}
    for cue in ("meet", "met", "visit", "phone call", "praise", "accuse", "condemn", "attack", "sanction",
                "arrest", "reject", "threaten", "urge", "protest", "sign", "fought", "sought ... help", "struck"):
        assert cue in patterns, cue


def test_triggers_loader():
    trig = ontology.triggers("id")
    assert len(trig) >= MIN_ENTRIES
    t = next(t for t in trig if t.pattern == "menandatangani")
    assert t.plover == "SUPPORT" and t.tokens == ("menandatangani",) and t.lang == "id"
