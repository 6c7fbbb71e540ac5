from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED
from warta.jobs import run
from warta.store import Store

TABLE_ORDER = {
    "documents": "id", "entities": "doc_id, idx", "events": "doc_id, idx", "quotes": "doc_id, idx",
    "dates": "doc_id, idx", "errors": "doc_id",
}
VOLATILE = {"processed_at", "recorded_at"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    out = {}
    with Store(db, read_only=True) as s:
        for t, order in TABLE_ORDER.items():
            cols, _ = s.query(f"SELECT * FROM {t} LIMIT 0")
            keep = ", ".join(c for c in cols if c not in VOLATILE)
            out[t] = s.query(f"SELECT {keep} FROM {t} ORDER BY {order}")[1]
    return out


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for i in range(6):
        # distinct articles: the same report under different datelines and an extra closing line
        (src / f"a{i}.txt").write_text(seed.replace("Teheran,", f"Teheran {i},", 1) + f"\n\nCatatan {i}.", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    return src


def test_executors_dask_matches_local_and_resumes(tmp_path: Path, corpus: Path) -> None:
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    run([corpus], local_db, progress=False)
    summary = run([corpus], dask_db, executor="dask", workers=2)
    assert summary.read == 7 and summary.written == 6
    assert snapshot(dask_db) == snapshot(local_db)
    # a rerun finds every partition done and loads the same rows again
    shards = Path(f"{dask_db}.shards")
    markers = sorted(shards.glob("*/_SUCCESS.json"))
    assert markers
    run([corpus], dask_db, executor="dask", workers=1)
    assert snapshot(dask_db) == snapshot(local_db)
