#!/usr/bin/env python3
"""Throughput, scaling, memory and start-up of warta (issue 7); results go into docs/benchmarks.md.

Run by hand, one part at a time or all of them; each prints one JSON line:

  python benchmarks/bench_throughput.py machine
  python benchmarks/bench_throughput.py text --articles 5000      # text -> records, articles/s per core
  python benchmarks/bench_throughput.py html --passes 3           # HTML -> records vs trafilatura.extract
  python benchmarks/bench_throughput.py dask --articles 1500      # 2 Dask workers vs 1
  python benchmarks/bench_throughput.py rss --articles 50000      # peak RSS of `warta run` (local executor)
  python benchmarks/bench_throughput.py cli                       # `warta --help`, `warta extract FILE`
  python benchmarks/bench_throughput.py profile --articles 400    # cProfile: where the time goes

Articles are real (read from ../shared): the seed, the gold development articles, the
gold bodies of gold/html and the ground-truth bodies of the ScrapingHub extraction set,
cycled to the count asked for. Each copy gets a numbered closing line so it is a new
document (its own id) rather than a rerun of the same bytes; the dedup step then sees
it as a near-duplicate, as it would a syndicated copy. The `rss` and `dask` inputs are
article files on disk, processed by the real `warta run` / Dask executor.

Every rate is reported per wall second and per CPU second of the process: the CPU rate
is the per-core figure, and it is the one that holds up when other work shares the
machine (the wall figures then come out lower). `uptime` load is recorded with each run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WARTA = [sys.executable, "-m", "warta.cli"]


# ------------------------------------------------------------------ inputs
def text_pool() -> list[tuple[str, str]]:
    """(name, text) of every real article text available."""
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.txt"))]
    out += [(str(p.relative_to(SHARED)), p.read_text(encoding="utf-8"))
            for p in sorted((SHARED / "gold" / "dev").glob("*/*.txt"))]
    for g in sorted((SHARED / "gold" / "html").glob("*.gold.json")):
        body = json.loads(g.read_text(encoding="utf-8")).get("body") or ""
        if body.strip():
            out.append((g.name, body))
    truth = SHARED / "data" / "extraction" / "scrapinghub" / "ground-truth.json"
    if truth.is_file():
        for key, rec in sorted(json.loads(truth.read_text(encoding="utf-8")).items()):
            if (rec.get("articleBody") or "").strip():
                out.append((f"scrapinghub/{key[:12]}", rec["articleBody"]))
    seen: set[str] = set()
    return [(n, t) for n, t in out if not (t.strip() in seen or seen.add(t.strip()))]  # type: ignore[func-returns-value]


def html_pool() -> list[tuple[str, bytes]]:
    """(name, raw bytes) of every real HTML page available."""
    out = [(p.name, p.read_bytes()) for p in sorted((SHARED / "gold" / "html").glob("*.html"))]
    out += [(p.name, gzip.decompress(p.read_bytes()))
            for p in sorted((SHARED / "data" / "extraction" / "scrapinghub" / "html").glob("*.html.gz"))]
    return out


def articles(n: int) -> Iterator[tuple[str, str]]:
    """``n`` articles cycling the pool; copy k of an article ends with its own numbered line."""
    pool = text_pool()
    for i in range(n):
        name, text = pool[i % len(pool)]
        rnd = i // len(pool)
        yield name, text if rnd == 0 else f"{text.rstrip()}\n\n(Salinan {rnd}.)\n"


def write_corpus(folder: Path, n: int, per_file: int = 1) -> Path:
    """``n`` articles as .txt files (``per_file`` = 1) or JSON Lines files of ``per_file`` articles."""
    folder.mkdir(parents=True, exist_ok=True)
    if per_file == 1:
        for i, (_, text) in enumerate(articles(n)):
            sub = folder / f"{i // 1000:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
        return folder
    fh = None
    for i, (name, text) in enumerate(articles(n)):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = open(folder / f"part{i // per_file:04d}.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        fh.write(json.dumps({"id": f"bench-{i}", "text": text, "url": f"https://example.org/{name}/{i}"},
                            ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return folder


# ------------------------------------------------------------------ machine
def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**20, 1),
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "commit": commit.strip() + (" (+uncommitted changes)" if dirty.strip() else ""), "load": load()}


@contextlib.contextmanager
def clock() -> Iterator[dict]:
    """Wall and CPU seconds of the block (CPU: this process and the children it waited for)."""
    def cpu() -> float:
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

    out: dict = {"load_before": load()}
    w0, c0 = time.perf_counter(), cpu()
    yield out
    out.update(wall=time.perf_counter() - w0, cpu=cpu() - c0, load_after=load())


# ------------------------------------------------------------------ parts
def bench_text(n: int) -> dict:
    from warta.readers import document_from_bytes
    from warta.steps import default_pipeline

    docs = [(f"{name}#{i}", text.encode("utf-8")) for i, (name, text) in enumerate(articles(n))]
    pipe = default_pipeline()
    pipe.process(document_from_bytes(docs[0][1], "warmup", "text"))  # resources load once per process
    records = skipped = 0
    with clock() as t:
        for path, data in docs:
            res = pipe.process(document_from_bytes(data, path, "text"))
            if hasattr(res, "to_record"):
                res.to_record()
                records += 1
            else:
                skipped += 1
    return {"part": "text", "articles": n, "distinct": len(text_pool()), "records": records, "skipped": skipped,
            "wall_s": round(t["wall"], 1), "cpu_s": round(t["cpu"], 1),
            "per_wall_s": round(n / t["wall"], 1), "per_cpu_s": round(n / t["cpu"], 1),
            "load": f"{t['load_before']} -> {t['load_after']}"}


def timed_steps(pipe: object) -> dict[str, float]:
    """Wrap each step of ``pipe`` so that its CPU seconds add up in the returned dict."""
    acc: dict[str, float] = {}
    for step in pipe.steps:  # type: ignore[attr-defined]
        def timed(doc: object, fn: object = step.fn, name: str = step.name) -> object:
            t0 = time.process_time()
            try:
                return fn(doc)  # type: ignore[operator]
            finally:
                acc[name] = acc.get(name, 0.0) + time.process_time() - t0
        step.fn = timed
    return acc


def bench_html(passes: int) -> dict:
    """trafilatura.extract alone and warta's HTML -> record on each page, interleaved, CPU time each.

    Both start from the page's bytes: trafilatura decodes them itself, warta's reader decodes
    (with mojibake repair) inside the pipeline. CPU seconds outside the steps are reading/decoding.
    """
    import trafilatura

    from warta.readers import document_from_bytes
    from warta.steps import default_pipeline

    pages = html_pool()
    pipe = default_pipeline()
    pipe.process(document_from_bytes(pages[0][1], "warmup.html", "html"))
    trafilatura.extract(pages[0][1])
    steps = timed_steps(pipe)
    t_traf = t_warta = 0.0
    records = 0
    with clock() as t:
        for k in range(passes):
            for name, raw in pages:
                c0 = time.process_time()
                trafilatura.extract(raw)
                c1 = time.process_time()
                res = pipe.process(document_from_bytes(raw + f"<!-- {k} -->".encode(), f"{name}#{k}", "html"))
                if hasattr(res, "to_record"):
                    res.to_record()
                    records += 1
                c2 = time.process_time()
                t_traf += c1 - c0
                t_warta += c2 - c1
    n = passes * len(pages)
    ms = {name: round(1000 * v / n, 1) for name, v in steps.items()}
    ms["read+decode+record"] = round(1000 * (t_warta - sum(steps.values())) / n, 1)
    return {"part": "html", "pages": n, "distinct": len(pages), "records": records,
            "trafilatura_ms": round(1000 * t_traf / n, 1), "warta_ms": round(1000 * t_warta / n, 1),
            "ratio": round(t_traf / t_warta, 3), "warta_ms_by_step": ms, "wall_s": round(t["wall"], 1),
            "load": f"{t['load_before']} -> {t['load_after']}"}


def bench_dask(n: int, partition: int) -> dict:
    """The same input through 1 and 2 Dask workers; cluster start-up is timed apart from the run."""
    from dask.distributed import Client, LocalCluster

    from warta.executors.dask import run_dask

    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-dask-"))
    try:
        corpus = write_corpus(tmp / "in", n)
        out: dict = {"part": "dask", "articles": n, "partition": partition}
        for workers in (1, 2):
            t0 = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                client.wait_for_workers(workers)
                # every worker loads the language data before the clock starts, as in a long run
                client.run(lambda: __import__("warta.steps").steps.default_pipeline().process(
                    __import__("warta.readers").readers.document_from_bytes(b"Presiden bertemu menteri.", "w", "text")))
                start = time.perf_counter() - t0
                with clock() as t:
                    s = run_dask([corpus], tmp / f"w{workers}.duckdb", scheduler=cluster.scheduler_address,
                                 partition_size=partition)
            out[f"w{workers}"] = {"startup_s": round(start, 1), "run_s": round(t["wall"], 1),
                                  "per_s": round(s.written / t["wall"], 1), "written": s.written,
                                  "load": f"{t['load_before']} -> {t['load_after']}"}
        out["speedup"] = round(out["w1"]["run_s"] / out["w2"]["run_s"], 2)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_rss(n: int, per_file: int, keep: bool) -> dict:
    """Peak RSS of one `warta run` over ``n`` articles (local executor), sampled and from the kernel."""
    import psutil

    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-rss-"))
    try:
        corpus = write_corpus(tmp / "in", n, per_file)
        db = tmp / "bench.duckdb"
        samples: list[tuple[float, int]] = []
        with clock() as t:
            proc = subprocess.Popen([*WARTA, "run", str(corpus), "--db", str(db), "--quiet"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            ps = psutil.Process(proc.pid)
            t0 = time.perf_counter()
            while proc.poll() is None:
                with contextlib.suppress(psutil.Error):
                    samples.append((time.perf_counter() - t0, ps.memory_info().rss))
                if len(samples) % 300 == 1:  # progress every ~5 minutes
                    print(f"rss: {samples[-1][0]:.0f} s, {samples[-1][1] / 2**20:.0f} MB, "
                          f"max {max(r for _, r in samples) / 2**20:.0f} MB, load {load()}", file=sys.stderr, flush=True)
                time.sleep(1.0)
            err = proc.stderr.read().decode() if proc.stderr else ""
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kB
        mb = [r / 2**20 for _, r in samples]
        tenth = [round(max(mb[i * len(mb) // 10:(i + 1) * len(mb) // 10] or [0])) for i in range(10)]
        return {"part": "rss", "articles": n, "per_file": per_file, "rc": proc.returncode,
                "peak_rss_mb": round(peak_kb / 1024), "rss_mb_by_tenth_of_run": tenth,
                "db_mb": round(sum(p.stat().st_size for p in tmp.glob("bench.duckdb*")) / 2**20),
                "wall_s": round(t["wall"], 1), "cpu_s": round(t["cpu"], 1),
                "per_cpu_s": round(n / t["cpu"], 1), "load": f"{t['load_before']} -> {t['load_after']}",
                "summary": [ln for ln in err.splitlines() if ln.strip()][-12:]}
    finally:
        if keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def bench_cli(repeat: int) -> dict:
    warta = Path(sys.executable).with_name("warta")
    cmd = [str(warta)] if warta.exists() else WARTA
    seed = next((ROOT / "examples").glob("*.txt"))

    def times(args: list[str]) -> tuple[list[float], list[float]]:
        wall, cpu = [], []
        for _ in range(repeat):
            with clock() as t:
                subprocess.run([*cmd, *args], check=True, capture_output=True)
            wall.append(t["wall"])
            cpu.append(t["cpu"])
        return wall, cpu

    (h, hc), (e, ec) = times(["--help"]), times(["extract", str(seed)])
    return {"part": "cli", "repeat": repeat, "help_median_s": round(statistics.median(h), 3),
            "help_max_s": round(max(h), 3), "help_cpu_median_s": round(statistics.median(hc), 3),
            "extract_median_s": round(statistics.median(e), 3), "extract_max_s": round(max(e), 3),
            "extract_cpu_median_s": round(statistics.median(ec), 3), "load": load()}


def bench_profile(n: int, top: int) -> dict:
    from warta.readers import document_from_bytes
    from warta.steps import default_pipeline

    docs = [(f"{name}#{i}", text.encode("utf-8")) for i, (name, text) in enumerate(articles(n))]
    pipe = default_pipeline()
    pipe.process(document_from_bytes(docs[0][1], "warmup", "text"))
    steps: dict[str, float] = dict.fromkeys(pipe.names, 0.0)

    def work() -> None:
        for path, data in docs:
            doc = document_from_bytes(data, path, "text")
            for step in pipe.steps:
                t0 = time.process_time()
                try:
                    doc = step(doc)
                except Exception:
                    break
                finally:
                    steps[step.name] += time.process_time() - t0
            else:
                doc.to_record()

    work()  # step shares without the profiler's overhead
    shares = dict(steps)
    total = sum(shares.values())
    prof = cProfile.Profile()
    prof.runcall(work)
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    rows = []
    for (file, line, fn), (_cc, nc, tt, ct, _callers) in sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:top]:
        rows.append({"function": f"{Path(file).relative_to(ROOT) if file.startswith(str(ROOT)) else Path(file).name}"
                                 f":{line}({fn})", "calls": nc, "tottime_s": round(tt, 2), "cumtime_s": round(ct, 2)})
    return {"part": "profile", "articles": n, "step_cpu_share": {k: round(v / total, 3) for k, v in shares.items()},
            "step_ms_per_article": {k: round(1000 * v / n, 2) for k, v in shares.items()},
            "top_by_own_time": rows, "load": load()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("part", choices=["machine", "text", "html", "dask", "rss", "cli", "profile", "all"])
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--passes", type=int, default=3, help="html: passes over the pages")
    ap.add_argument("--partition", type=int, default=64, help="dask: files per partition")
    ap.add_argument("--per-file", type=int, default=1, help="rss: articles per input file (>1: JSON Lines)")
    ap.add_argument("--repeat", type=int, default=10, help="cli: runs of each command")
    ap.add_argument("--top", type=int, default=10, help="profile: functions listed")
    ap.add_argument("--keep", action="store_true", help="rss: keep the generated corpus and database")
    a = ap.parse_args(argv)
    if not (SHARED / "gold").is_dir():
        print(f"no shared data at {SHARED}", file=sys.stderr)
        return 1
    runs = {
        "machine": machine,
        "text": lambda: bench_text(a.articles or 5000),
        "html": lambda: bench_html(a.passes),
        "dask": lambda: bench_dask(a.articles or 1500, a.partition),
        "rss": lambda: bench_rss(a.articles or 50000, a.per_file, a.keep),
        "cli": lambda: bench_cli(a.repeat),
        "profile": lambda: bench_profile(a.articles or 400, a.top),
    }
    for part in (list(runs) if a.part == "all" else [a.part]):
        print(json.dumps(runs[part](), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
