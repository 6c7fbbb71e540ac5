"""Acceptance run for hostile input: N generated malformed inputs (default 10,000) through `warta run` in one go.

Zero crashes, and every input accounted for in the database (documents + error rows, matched to the input
they came from); prints the counts by outcome and the time as JSON (appended to --out if given).

    .venv/bin/python benchmarks/bench_malformed.py                 # 10,000 inputs, local executor
    .venv/bin/python benchmarks/bench_malformed.py --n 2000 --executor dask --workers 2
    .venv/bin/python benchmarks/bench_malformed.py --big           # also a 50 MB page and an over-limit file

The inputs come from tests/malformed.py (generated from --seed, nothing checked in).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import malformed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--executor", choices=["local", "dask"], default="local")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--doc-timeout", type=float, default=None, help="seconds per document (default: warta's)")
    ap.add_argument("--big", action="store_true", help="add a 50 MB page and a file over the input limit")
    ap.add_argument("--dir", help="work folder (default: a temporary one, removed afterwards)")
    ap.add_argument("--out", help="append the report as one JSON line to this file")
    a = ap.parse_args()

    from warta.jobs import run
    from warta.pipeline import DEFAULT_TIME_LIMIT

    # the code measured is the code at the start (a commit made during the run changes nothing loaded)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    tmp = tempfile.TemporaryDirectory(prefix="warta-malformed-") if not a.dir else None
    work = Path(a.dir or tmp.name)  # type: ignore[union-attr]
    t0 = time.perf_counter()
    cases = list(malformed.generate(a.n, a.seed)) + (malformed.big_cases(a.seed) if a.big else [])
    written = malformed.write(cases, work / "in")
    gen_s = time.perf_counter() - t0
    size = sum(len(c.data) for c in cases)
    print(f"generated {len(cases)} inputs ({size / 1e6:.1f} MB) in {gen_s:.1f} s", file=sys.stderr)

    db = work / "malformed.duckdb"
    limit = a.doc_timeout if a.doc_timeout is not None else DEFAULT_TIME_LIMIT
    t1 = time.perf_counter()
    crashed = None
    try:
        summary = run([work / "in"], db, executor=a.executor, workers=a.workers, progress=sys.stderr.isatty(),
                      time_limit=limit or None)
    except BaseException as exc:  # the point of the exercise: report it, do not hide it
        crashed = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run_s = time.perf_counter() - t1
        if crashed:
            print(f"CRASHED after {run_s:.1f} s: {crashed}", file=sys.stderr)
    acc = malformed.account(written, db)

    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": commit.strip() + (" (src/ modified)" if dirty else ""),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
                   f"{platform.python_version()}",
        "executor": a.executor, "workers": a.workers, "doc_timeout": limit, "seed": a.seed,
        "inputs": acc.inputs, "input_mb": round(size / 1e6, 1),
        "kinds": dict(Counter(c.kind for c in cases)),
        "results": summary.read, "distinct_ids": acc.ids, "documents": acc.documents,
        "error_rows": dict(acc.errors), "rows": acc.rows, "reasons": dict(acc.reasons.most_common()),
        "missing": acc.missing, "extra": acc.extra, "miscounted": acc.miscounted,
        "crashes": 0, "accounted": acc.ok,
        "seconds": round(run_s, 1), "docs_per_s": round(summary.read / run_s, 1),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    if a.out:
        with open(a.out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(report) + "\n")
    print(json.dumps(report, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0 if report["accounted"] else 1


if __name__ == "__main__":
    sys.exit(main())
