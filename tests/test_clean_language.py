"""warta.clean.language: restricted set, short texts, Indonesian preferred over Malay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.clean.boilerplate import clean_text
from warta.clean.language import detect_language

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

ID = "Presiden Joko Widodo mengatakan pemerintah akan melanjutkan pembangunan infrastruktur di luar Jawa tahun depan."
EN = "The government said on Tuesday that it would raise fuel taxes next year to cut the budget deficit."
MS = (
    "Kerajaan Malaysia telah mengumumkan bahawa sekolah-sekolah akan dibuka semula pada bulan hadapan, "
    "kata Menteri Pendidikan dalam satu kenyataan semalam."
)


def test_language_indonesian_and_english() -> None:
    assert detect_language(ID)[0] == "id"
    assert detect_language(EN)[0] == "en"


def test_language_clear_malay() -> None:
    assert detect_language(MS)[0] == "ms"


def test_language_too_short() -> None:
    assert detect_language("") == (None, 0.0)
    assert detect_language("ok ya") == (None, 0.0)


def test_language_restricted_set() -> None:
    code, conf = detect_language("Der Präsident sagte am Dienstag, die Regierung werde die Steuern erhöhen.", ["id", "en"])
    assert code in {"id", "en"} and 0.0 <= conf <= 1.0
    assert detect_language(EN, ["en"])[0] == "en"


def test_language_unknown_code() -> None:
    with pytest.raises(ValueError):
        detect_language(EN, ["xx"])


def test_language_dev_articles() -> None:
    dev = SHARED / "gold" / "dev"
    if not dev.is_dir():
        pytest.skip("shared gold data absent")
    wrong = []
    for gold in sorted(dev.glob("*/*.gold.json")):
        g = json.loads(gold.read_text(encoding="utf-8"))
        text = clean_text((gold.parent / g["file"]).read_text(encoding="utf-8")).text
        if detect_language(text)[0] != gold.parent.name:
            wrong.append(gold.name)
    assert not wrong
