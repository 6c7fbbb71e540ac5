"""The Dask executor: the same steps mapped over partitions of the input files.

Each partition writes one Parquet file per table into
``<db>.shards/<partition>/`` and, last, a ``_SUCCESS.json`` marker with its
counts. A rerun skips partitions that have a marker, so a crash loses at most
the partitions in flight; a half-written partition is written to a temporary
folder and renamed into place only when complete. The shards are then loaded
into the DuckDB database (replacing rows of the same documents), so queries
look the same whichever executor ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warta.pipeline import Failure, Summary
from warta.readers import iter_paths, read_inputs
from warta.steps import DEFAULT_LANGUAGES, default_pipeline
from warta.store import TABLES, Store, rows_for, rows_for_failure

MARKER = "_SUCCESS.json"
FILES_PER_PARTITION = 64  # text files per partition (WARC/JSONL files are one each)


def partitions(inputs: Sequence[str | Path], size: int = FILES_PER_PARTITION) -> list[list[str]]:
    """Input files in stable chunks (one chunk per WARC or JSONL file: those are big already)."""
    chunks: list[list[str]] = []
    cur: list[str] = []
    for p in iter_paths(inputs):
        name = p.name.lower()
        if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz", ".jsonl", ".ndjson")):
            chunks.append([str(p)])
            continue
        cur.append(str(p))
        if len(cur) >= size:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    return chunks


def partition_id(paths: Sequence[str]) -> str:
    h = hashlib.sha1()
    for p in paths:
        st = os.stat(p) if os.path.exists(p) else None
        h.update(f"{os.path.abspath(p)}\0{st.st_size if st else -1}\0{st.st_mtime_ns if st else -1}\n".encode())
    return h.hexdigest()[:20]


def process_partition(paths: Sequence[str], out_dir: str, languages: Sequence[str] = DEFAULT_LANGUAGES
                      ) -> dict[str, Any]:
    """Run the pipeline over one partition and write its shards; returns the partition summary."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    marker = out / MARKER
    if marker.exists():
        return json.loads(marker.read_text(encoding="utf-8")) | {"skipped": True}
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    summary = Summary()
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for res in default_pipeline(languages).stream(read_inputs(paths)):
        summary.add(res)
        if isinstance(res, Failure):
            tables["errors"].append(rows_for_failure(res))
        else:
            for t, rows in rows_for(res).items():
                tables[t].extend(rows)
    for t, rows in tables.items():
        if rows:
            pq.write_table(pa.Table.from_pylist(rows), tmp / f"{t}.parquet")
    info = summary.as_dict() | {"paths": len(paths)}
    (tmp / MARKER).write_text(json.dumps(info), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return info


def load_shards(shard_root: Path, db: str | Path) -> None:
    """Load every completed partition into the database; rows of the same documents are replaced."""
    done = sorted(p for p in shard_root.iterdir() if (p / MARKER).exists()) if shard_root.exists() else []
    with Store(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        try:
            for part in done:
                files = {t: part / f"{t}.parquet" for t in TABLES if (part / f"{t}.parquet").exists()}
                ids: set[str] = set()
                if "documents" in files:
                    ids |= {r[0] for r in con.execute("SELECT id FROM read_parquet(?)", [str(files["documents"])]).fetchall()}
                if "errors" in files:
                    ids |= {r[0] for r in con.execute("SELECT doc_id FROM read_parquet(?)", [str(files["errors"])]).fetchall()}
                if ids:
                    idl = sorted(ids)
                    con.execute("DELETE FROM documents WHERE id IN (SELECT unnest(?))", [idl])
                    for t in ("entities", "events", "quotes", "dates", "errors"):
                        con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT unnest(?))", [idl])
                for t, f in files.items():
                    con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM read_parquet(?)", [str(f)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def run_dask(inputs: Sequence[str | Path], db: str | Path = "warta.duckdb", *, workers: int | None = None,
             scheduler: str | None = None, languages: Sequence[str] = DEFAULT_LANGUAGES,
             partition_size: int = FILES_PER_PARTITION) -> Summary:
    """Process inputs on a Dask cluster (a local one unless ``scheduler`` names one)."""
    import time

    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    shard_root = Path(f"{db}.shards")
    shard_root.mkdir(parents=True, exist_ok=True)
    parts = partitions(inputs, partition_size)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [
            client.submit(process_partition, p, str(shard_root / partition_id(p)), tuple(languages),
                          key=f"warta-{partition_id(p)}", pure=False)
            for p in parts
        ]
        infos = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    load_shards(shard_root, db)
    summary = Summary()
    for info in infos:
        summary.read += info["read"]
        summary.written += info["written"]
        summary.failed.update(info["failed"])
        summary.entities += info["entities"]
        summary.events += info["events"]
        summary.quotes += info["quotes"]
    summary.seconds = time.perf_counter() - t0
    return summary
