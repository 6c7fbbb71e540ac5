from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "000_b537b8d3466c59e7.txt"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
