"""The same bytes in two files are one document: a batch (local) or partition (Dask) holding
both must not break the run, and the later file wins wherever the batch boundaries fall."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED
from test_executors_dask import snapshot
from warta.executors.dask import load_shards, partition_id, partitions, process_partition
from warta.jobs import run
from warta.store import Store


def corpus(root: Path) -> Path:
    src = root / "in"
    src.mkdir()
    seed = SEED.read_bytes()
    (src / "a.txt").write_bytes(seed)
    (src / "b.txt").write_bytes(seed + b"\n\nCatatan redaksi.\n")
    (src / "c.txt").write_bytes(seed)  # a copy of a.txt: same id
    (src / "d.txt").write_bytes(b"")
    (src / "e.txt").write_bytes(b"  \n")
    (src / "f.txt").write_bytes(b"")  # the same bytes as d.txt, another file
    return src


def test_crash_duplicate_inputs_local_and_dask_agree_whatever_the_batches(tmp_path: Path) -> None:
    src = corpus(tmp_path)
    whole, small = tmp_path / "whole.duckdb", tmp_path / "small.duckdb"
    s = run([src], whole, progress=False)  # one batch holds both copies
    assert s.read == 6 and s.written == 3
    run([src], small, progress=False, batch=1)  # every result its own batch
    assert snapshot(whole) == snapshot(small)
    with Store(whole, read_only=True) as st:
        docs = st.query("SELECT path FROM documents ORDER BY path")[1]
        errs = st.query("SELECT path, reason FROM errors ORDER BY path")[1]
    assert [Path(p).name for (p,) in docs] == ["b.txt", "c.txt"]
    # error rows are keyed by input location and bytes: two empty files are two rows
    assert [(Path(p).name, r) for p, r in errs] == [("d.txt", "empty file"), ("e.txt", "empty file"),
                                                      ("f.txt", "empty file")]

    dask_db = tmp_path / "dask.duckdb"
    shards = tmp_path / "shards"
    parts = partitions([src])
    assert len(parts) == 1
    info = process_partition(parts[0], str(shards / partition_id(parts[0])))
    assert info["read"] == 6 and info["written"] == 3
    load_shards([shards / partition_id(parts[0])], dask_db)
    assert snapshot(dask_db) == snapshot(whole)
