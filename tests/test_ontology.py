"""The ontology tables (PLOVER types, CAMEO codes) and the pattern-matching helpers."""

from __future__ import annotations

import pytest

from warta import ontology
from warta.resources import data_dir, read_table

PLOVER_16 = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]


def test_all_sixteen_plover_types_present():
    assert sorted(ontology.plover_types()) == sorted(PLOVER_16)


def test_quad_classes_in_range_and_by_manual():
    for t in ontology.plover_types():
        assert ontology.quad_class(t) in (1, 2, 3, 4)
    assert ontology.quad_class("CONSULT") == 1
    assert ontology.quad_class("aid") == 2
    assert ontology.quad_class("ACCUSE") == 3
    assert ontology.quad_class("ASSAULT") == 4
    with pytest.raises(KeyError):
        ontology.quad_class("FIGHT")


def test_every_cameo_code_is_well_formed():
    types = set(ontology.plover_types())
    codes = ontology.cameo_codes()
    assert len(codes) > 250
    seen = set()
    for c in codes:
        assert c.code.isdigit() and 2 <= len(c.code) <= 4, c
        assert c.code not in seen, c.code
        seen.add(c.code)
        assert c.plover == "" or c.plover in types, c
        assert -10.0 <= c.goldstein <= 10.0, c
        assert c.quad_class in (1, 2, 3, 4), c
        assert c.label
        if len(c.code) > 2:
            assert c.code[:-1] in seen or c.code[:2] in seen, f"{c.code} has no parent"


def test_every_root_code_present():
    for r in range(1, 21):
        assert ontology.cameo(f"{r:02d}") is not None


def test_mapping_follows_cameo2plover():
    expect = {
        "036": "AGREE", "041": "CONSULT", "042": "CONSULT", "043": "CONSULT", "046": "CONSULT",
        "051": "SUPPORT", "057": "SUPPORT", "061": "COOPERATE", "070": "AID", "081": "CONCEDE",
        "0841": "CONCEDE", "085": "CONCEDE", "087": "RETREAT",  # 084/085: the gold guide's deviation "090": "ACCUSE", "100": "REQUEST", "111": "ACCUSE",
        "1121": "ACCUSE", "120": "REJECT", "130": "THREATEN", "140": "PROTEST", "154": "MOBILIZE",
        "161": "SANCTION", "163": "SANCTION", "173": "COERCE", "191": "COERCE", "190": "ASSAULT",
        "195": "ASSAULT", "202": "ASSAULT",
    }
    for code, plover in expect.items():
        assert ontology.cameo(code).plover == plover, code
    assert ontology.cameo("010").plover == ""  # PLOVER drops statements
    assert ontology.cameo("020").plover == ""  # and appeals


def test_standard_goldstein_values():
    assert ontology.goldstein("057") == 8.0
    assert ontology.goldstein("190") == -10.0
    assert ontology.goldstein("041") == 1.0
    assert ontology.goldstein("99") is None


def test_parent_fallback():
    assert ontology.cameo("0412").code == "041"
    assert ontology.cameo("0499").code == "04"
    assert ontology.cameo(" 173 ").code == "173"
    assert ontology.cameo("99") is None
    assert ontology.goldstein("1959") == ontology.goldstein("195")
    assert ontology.root("041") == "04"
    assert ontology.root("1121") == "11"


def test_tables_have_source_headers():
    for name in ("ontology/plover.tsv", "ontology/cameo.tsv"):
        head = (data_dir() / name).read_text(encoding="utf-8")[:2000]
        assert "version" in head and "PLOVER" in head
        assert read_table(name)


def test_pattern_tokens():
    assert ontology.pattern_tokens("Menandatangani ... Perjanjian") == ["menandatangani", "...", "perjanjian"]
    assert ontology.pattern_tokens("kerja-sama") == ["kerja-sama"]


@pytest.mark.parametrize(
    ("pattern", "word"),
    [
        ("menyerang", "diserang"),
        ("menyerang", "serangan"),
        ("menyerang", "menyerangnya"),
        ("bertemu", "pertemuan"),
        ("menelepon", "ditelepon"),
        ("menangkap", "ditangkap"),
        ("mengunjungi", "kunjungan"),
        ("menembak", "ditembak"),
        ("memukul", "dipukul"),
        ("mengirim", "mengirimkan"),
        ("menyepakati", "kesepakatan"),
    ],
)
def test_indonesian_affixes_match(pattern, word):
    assert ontology.tokens_match(pattern, word, "id")


@pytest.mark.parametrize(("pattern", "word"), [("menyerang", "menyerah"), ("bertemu", "bertempur"), ("kerja-sama", "kerja")])
def test_indonesian_different_roots_do_not_match(pattern, word):
    assert not ontology.tokens_match(pattern, word, "id")


def test_english_endings_match():
    for p, w in [("accuse", "accused"), ("attack", "attacks"), ("meet", "meeting"), ("push", "pushes"), ("agree", "agreed")]:
        assert ontology.tokens_match(p, w, "en"), (p, w)
    assert not ontology.tokens_match("meet", "met", "en")


def test_find_pattern_gap_limit():
    words = ontology.text_words("Indonesia menandatangani sebuah dokumen penting soal perjanjian")
    assert ontology.find_pattern("menandatangani ... perjanjian", words) == (1, 7)
    too_far = ontology.text_words("Indonesia menandatangani satu dua tiga empat lima perjanjian")
    assert ontology.find_pattern("menandatangani ... perjanjian", too_far) is None
    assert ontology.find_pattern("kerja sama", ontology.text_words("mereka bekerja sama")) == (1, 3)
    assert ontology.find_pattern("kerja sama", ontology.text_words("kerja keras sama")) is None
