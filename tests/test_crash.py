"""Crash safety (issue 9, item 4): a `warta run` killed with SIGKILL half way, then rerun, ends with
exactly the rows of an uninterrupted run, and the database opens after the kill.

The run is a real subprocess in its own process group, so the kill also takes down Dask's
nanny and worker processes, as a crashed machine or an OOM kill of the job would. Every run
here uses one PYTHONHASHSEED so that these tests see crashes only; that results do not
depend on the seed (they must not: Dask workers are separate processes) is tested apart.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from conftest import EXAMPLES, SHARED
from test_executors_dask import snapshot
from warta.executors.dask import MARKER, TMP_SUFFIX, partitions
from warta.store import Store

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentence_pool() -> list[str]:
    """Sentences of the bundled example, plus the gold development articles where ../shared is present."""
    files = sorted(EXAMPLES.glob("*.txt")) + sorted((SHARED / "gold" / "dev").glob("*/*.txt"))
    out: list[str] = []
    for f in files:
        for para in f.read_text(encoding="utf-8").splitlines():
            out += [s for s in SENTENCE.split(para.strip()) if 40 <= len(s) <= 300]
    return sorted(set(out))


def make_corpus(folder: Path, n: int, seed: int = 9) -> Path:
    """``n`` short articles, each a distinct set of 2–4 pool sentences under its own lead line.

    No two articles share all their sentences, so none is a near-duplicate of another and
    the result does not depend on which documents the dedup step sees together.
    """
    pool, rng, seen = sentence_pool(), random.Random(seed), set()
    # without ../shared the pool is one article's sentences: a line of shuffled pool words makes each
    # article distinct enough for the near-duplicate step whatever the pool
    vocab = sorted({w for s in pool for w in s.split() if w.isalpha()})
    folder.mkdir(parents=True)
    i = 0
    while i < n:
        pick = tuple(rng.sample(range(len(pool)), rng.randint(2, 4)))
        if frozenset(pick) in seen:
            continue
        seen.add(frozenset(pick))
        body = "\n\n".join(pool[j] for j in pick) + "\n\n" + " ".join(rng.sample(vocab, min(40, len(vocab)))) + "."
        (folder / f"doc{i:04d}.txt").write_text(f"Jakarta - Laporan nomor {i}.\n\n{body}\n", encoding="utf-8")
        i += 1
    (folder / "empty.txt").write_bytes(b"")  # one error row goes through the crash too
    return folder


def start_run(corpus: Path, db: Path, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "warta.cli", "run", str(corpus), "--db", str(db), "--quiet", *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=os.environ | {"PYTHONHASHSEED": "0"})


def markers(shards: Path) -> list[Path]:
    """Markers of finished partitions (not those in temporary folders a kill left behind)."""
    return [m for m in shards.glob(f"*/{MARKER}") if TMP_SUFFIX not in m.parent.name]


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool], timeout: float = 240.0) -> None:
    """SIGKILL the whole process group as soon as ``ready()`` holds; fail if the run ends first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"run ended (rc {proc.returncode}) before it could be killed half way:\n{err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            break
        time.sleep(0.02)
    family = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    gone_by = time.monotonic() + 30
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in family):
        assert time.monotonic() < gone_by, "processes of the killed run are still alive"
        time.sleep(0.1)


def run_to_end(corpus: Path, db: Path, *args: str) -> str:
    proc = start_run(corpus, db, *args)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-3000:]
    return err.decode()


def db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}.wal")) if p.exists())


def committed_documents(db: Path) -> int:
    """Open the killed run's database the way every reader does (read-only) and count its documents."""
    with Store(db, read_only=True) as s:
        return s.counts()["documents"]


def crash_and_rerun_local(tmp_path: Path, corpus: Path, batch: int, kill_after_batches: int) -> Path:
    db = tmp_path / "killed.duckdb"
    total = len(list(corpus.glob("*.txt")))
    proc = start_run(corpus, db, "--batch", str(batch))
    # The schema lands in the file at start; each committed batch adds some kB per article. Kill
    # once the file has grown past `kill_after_batches` batches' worth and is not being written.
    seen: list[int] = []

    def ready() -> bool:
        seen.append(db_size(db))
        base = next((s for s in seen if s), None)
        return base is not None and seen[-1] - base > kill_after_batches * batch * 1500 and seen[-1] == seen[-2]

    kill_when(proc, ready)
    n = committed_documents(db)
    assert 0 < n < total, f"not killed half way: {n} of {total} documents committed"
    run_to_end(corpus, db, "--batch", str(batch))
    return db


def crash_and_rerun_dask(tmp_path: Path, corpus: Path, batch: int, kill_after_parts: int) -> Path:
    db = tmp_path / "killed-dask.duckdb"
    shards = Path(f"{db}.shards")
    n_parts = len(partitions([corpus], batch))
    proc = start_run(corpus, db, "--executor", "dask", "--workers", "2", "--batch", str(batch))
    kill_when(proc, lambda: len(markers(shards)) >= kill_after_parts)
    done = {m: m.stat().st_mtime_ns for m in markers(shards)}
    assert 0 < len(done) < n_parts, f"not killed half way: {len(done)} of {n_parts} partitions done"
    if db.exists():
        committed_documents(db)  # opens
    run_to_end(corpus, db, "--executor", "dask", "--workers", "2", "--batch", str(batch))
    # finished partitions were skipped, not redone; no temporary folder is left behind
    assert {m: m.stat().st_mtime_ns for m in done} == done
    assert len(markers(shards)) == n_parts
    assert not [p for p in shards.iterdir() if TMP_SUFFIX in p.name]
    return db


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    """A small corpus and the tables of an uninterrupted run over it."""
    root = tmp_path_factory.mktemp("crash")
    corpus = make_corpus(root / "in", 40)
    ref = root / "reference.duckdb"
    run_to_end(corpus, ref)
    with Store(ref, read_only=True) as s:
        marked = s.query("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL")[1][0][0]
    assert marked == 0, "the corpus has near-duplicates: the test would depend on dedup, not on crashes"
    return corpus, snapshot(ref)


def test_crash_local_sigkill_then_rerun(tmp_path: Path, small: tuple[Path, dict]) -> None:
    corpus, reference = small
    db = crash_and_rerun_local(tmp_path, corpus, batch=10, kill_after_batches=1)
    assert snapshot(db) == reference


def test_crash_dask_sigkill_then_rerun(tmp_path: Path, small: tuple[Path, dict]) -> None:
    corpus, reference = small
    db = crash_and_rerun_dask(tmp_path, corpus, batch=5, kill_after_parts=3)
    assert snapshot(db) == reference


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 3, 5])
def test_crash_local_many_kill_points(tmp_path: Path, kill_after: int) -> None:
    """400 articles in batches of 40, killed after different amounts of work."""
    corpus = make_corpus(tmp_path / "in", 400, seed=kill_after)
    ref = tmp_path / "reference.duckdb"
    run_to_end(corpus, ref)
    db = crash_and_rerun_local(tmp_path, corpus, batch=40, kill_after_batches=kill_after)
    assert snapshot(db) == snapshot(ref)


@pytest.mark.slow
def test_crash_dask_default_partitions(tmp_path: Path) -> None:
    """400 articles in default-sized partitions; killed, rerun, and rerun again over finished shards."""
    corpus = make_corpus(tmp_path / "in", 400, seed=3)
    ref = tmp_path / "reference.duckdb"
    run_to_end(corpus, ref)
    db = crash_and_rerun_dask(tmp_path, corpus, batch=64, kill_after_parts=2)
    assert snapshot(db) == snapshot(ref)
    run_to_end(corpus, db, "--executor", "dask", "--workers", "2")
    assert snapshot(db) == snapshot(ref)
