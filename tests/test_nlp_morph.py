from __future__ import annotations

import pytest

from warta.nlp.morph import roots_en, roots_id, same_word


@pytest.mark.parametrize(("a", "b"), [
    ("menyerang", "diserang"), ("menyerang", "serangan"), ("bertemu", "pertemuan"),
    ("menuduh", "tuduhan"), ("mengirim", "kiriman"), ("posisi-posisi", "posisi"),
])
def test_morph_affixed_forms_share_a_root(a: str, b: str) -> None:
    assert same_word(a, b, "id")


def test_morph_lexicon_blocks_false_roots() -> None:
    assert not same_word("perang", "menyerang", "id")
    assert "rang" not in roots_id("menyerang")


def test_morph_english_suffixes() -> None:
    assert "accuse" in roots_en("accused") and "stop" in roots_en("stopped") and "meet" in roots_en("meets")
