"""The Dask executor: the same steps mapped over partitions of the input files.

Each partition writes one Parquet file per table into
``<db>.shards/<partition>/`` and, last, a ``_SUCCESS.json`` marker with its
counts. A rerun skips partitions that have a marker, so a crash loses at most
the partitions in flight: a partition is written into a temporary folder of its
own (files flushed to disk, marker last) and renamed into place only when
complete, so a folder under its final name is always whole. The shards of the
run are then loaded into the DuckDB database in input order, in one
transaction (replacing rows of the same documents), so queries look the same
whichever executor ran and a kill during the load leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warta.pipeline import DEFAULT_TIME_LIMIT, Failure, Summary
from warta.readers import iter_paths, read_inputs
from warta.steps import DEFAULT_LANGUAGES, default_pipeline
from warta.store import TABLES, Store, rows_for, rows_for_failure

MARKER = "_SUCCESS.json"
FILES_PER_PARTITION = 64  # text files per partition (WARC/JSONL files are one each)
TMP_SUFFIX = ".tmp-"


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


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def process_partition(paths: Sequence[str], out_dir: str, languages: Sequence[str] = DEFAULT_LANGUAGES,
                      time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict[str, Any]:
    """Run the pipeline over one partition and write its shards; returns the partition summary."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    marker = out / MARKER
    if marker.exists():
        return json.loads(marker.read_text(encoding="utf-8")) | {"skipped": True}
    # one folder per attempt: a retried or orphaned attempt never writes into another's files
    tmp = out.with_name(f"{out.name}{TMP_SUFFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir(parents=True)
    try:
        summary = Summary()
        by_id: dict[str, dict[str, list[dict[str, Any]]]] = {}  # rows per document; a later copy replaces it
        for res in default_pipeline(languages, time_limit).stream(read_inputs(paths, lazy=True)):
            summary.add(res)
            key, rows = (res.doc_id, {"errors": [rows_for_failure(res)]}) if isinstance(res, Failure) else (res.id, rows_for(res))
            by_id.pop(key, None)
            by_id[key] = rows
        tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        for rows in by_id.values():
            for t, r in rows.items():
                tables[t].extend(r)
        for t, rows in tables.items():
            if rows:
                pq.write_table(pa.Table.from_pylist(rows), tmp / f"{t}.parquet")
                _fsync_path(tmp / f"{t}.parquet")
        info = summary.as_dict() | {"paths": len(paths)}
        (tmp / MARKER).write_text(json.dumps(info), encoding="utf-8")  # last: the marker vouches for the data
        _fsync_path(tmp / MARKER)
        _fsync_path(tmp)
        if out.exists() and not marker.exists():
            shutil.rmtree(out)  # not ours and not complete: nothing to keep
        try:
            tmp.rename(out)
        except OSError:
            if not marker.exists():
                raise
            # another attempt finished first: keep its (identical) shards
        _fsync_path(out.parent)
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_stale(shard_root: Path) -> None:
    """Remove temporary folders that killed attempts left behind (call only while no run uses the folder)."""
    if shard_root.exists():
        for p in shard_root.iterdir():
            if TMP_SUFFIX in p.name and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


def load_shards(parts: Sequence[Path], db: str | Path) -> None:
    """Load completed partitions into the database, in the order given (a later one wins for a shared id).

    Rows of the same documents are replaced; everything happens in one transaction.
    """
    done = [p for p in parts if (p / MARKER).exists()]
    with Store(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        try:
            store.mark_written()  # drops the API's helper tables here; the Store's close sorts and rebuilds
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
             partition_size: int = FILES_PER_PARTITION, time_limit: float | None = DEFAULT_TIME_LIMIT) -> Summary:
    """Process inputs on a Dask cluster (a local one unless ``scheduler`` names one)."""
    import time

    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    shard_root = Path(f"{db}.shards")
    shard_root.mkdir(parents=True, exist_ok=True)
    parts = partitions(inputs, partition_size)
    remove_stale(shard_root)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    ids = [partition_id(p) for p in parts]
    try:
        futures = [
            client.submit(process_partition, p, str(shard_root / pid), tuple(languages), time_limit,
                          key=f"warta-{pid}", pure=False)
            for p, pid in zip(parts, ids, strict=True)
        ]
        infos = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    load_shards([shard_root / pid for pid in ids], db)
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
