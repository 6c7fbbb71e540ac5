"""Knowledge-base and entity-step speed: cold KB load (fresh process), memory, lookup/search throughput, docs/s.

    .venv/bin/python benchmarks/bench_kb.py [--runs 5] [--json]

* cold load: a new Python process imports warta.kb and builds the KB (import and build timed apart),
  median of ``--runs`` processes; memory is the RSS the build adds and the process RSS after it;
* lookups: exact name lookups (country_by_name, place, person_role at a date) per second;
* search: fuzzy ``KnowledgeBase.search`` (what ``warta kb search`` runs) per second;
* entity step: ``find_entities`` over the Indonesian dev gold texts (or the bundled example without
  ../shared), documents and characters per second, KB already loaded.
Results go into docs/kb.md by hand (machine, date, commit).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD = """
import json, time
import psutil
proc = psutil.Process()
t0 = time.perf_counter()
from warta.kb import knowledge
t1 = time.perf_counter()
rss0 = proc.memory_info().rss
kb = knowledge.load_kb()
t2 = time.perf_counter()
rss1 = proc.memory_info().rss
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "kb_mb": (rss1 - rss0) / 2**20, "rss_mb": rss1 / 2**20,
                  "aliases": len(kb.index), "persons": len(kb.persons), "roles": sum(map(len, kb.roles.values()))}))
"""


def cold_load(runs: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WARTA_DATA_PATH"}  # the shipped KB only
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True, env=env)
        d = json.loads(r.stdout)
        d["process_s"] = time.perf_counter() - t
        out.append(d)
    med = {k: statistics.median(d[k] for d in out) for k in ("import_s", "build_s", "kb_mb", "rss_mb", "process_s")}
    return {**med, **{k: out[0][k] for k in ("aliases", "persons", "roles")}, "runs": runs}


def _rate(fn, items: list, min_s: float = 1.0) -> float:
    n, t0 = 0, time.perf_counter()
    while True:
        for x in items:
            fn(x)
        n += len(items)
        dt = time.perf_counter() - t0
        if dt >= min_s:
            return n / dt


def lookups() -> dict:
    from warta.kb import load_kb

    kb = load_kb()
    countries = ["Amerika Serikat", "AS", "Tiongkok", "Rusia", "Suriah", "Inggris", "Korut", "Nowhere"]
    places = ["Teheran", "Moskow", "Jakarta", "Jawa Barat", "Gaza", "Damaskus", "Surabaya", "Atlantis"]
    persons = list(kb.persons)[:200]
    search = ["Samkhani", "Vladmir Putn", "Kejagung", "Retno Marsudi", "Sergei Lavrov", "Tepi Barat"]
    kb.search("warm up")  # builds the choice list once, as a long-running process would
    return {
        "country_by_name_per_s": _rate(kb.country_by_name, countries),
        "place_per_s": _rate(kb.place, places),
        "person_role_per_s": _rate(lambda p: kb.person_role(p, "2019-06-01"), persons),
        "search_per_s": _rate(lambda q: kb.search(q, limit=5), search, min_s=2.0),
    }


def entity_step() -> dict:
    from warta.extract.entities import find_entities
    from warta.kb import load_kb

    load_kb()
    dev = ROOT.parent / "shared" / "gold" / "dev" / "id"
    files = sorted(dev.glob("*.txt")) if dev.is_dir() else sorted((ROOT / "examples").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    find_entities(texts[0], language="id", date="2020-01-01")  # per-KB indexes (patterns, fuzzy names)
    n = chars = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 3.0:
        for t in texts:
            find_entities(t, language="id", date="2020-01-01")
            n += 1
            chars += len(t)
    dt = time.perf_counter() - t0
    return {"corpus": str(dev if dev.is_dir() else ROOT / "examples"), "docs": len(texts),
            "docs_per_s": n / dt, "kchars_per_s": chars / dt / 1000, "mean_chars": chars / n}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    res = {"machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
           "date": time.strftime("%Y-%m-%d"), "commit": commit.strip(),
           "cold_load": cold_load(a.runs), "lookups": lookups(), "entity_step": entity_step()}
    if a.json:
        print(json.dumps(res, indent=2))
        return 0
    c, lk, e = res["cold_load"], res["lookups"], res["entity_step"]
    print(f"{res['date']}  commit {res['commit']}  {res['machine']}")
    print(f"cold KB load (median of {c['runs']} fresh processes): import {c['import_s']:.3f} s + build "
          f"{c['build_s']:.3f} s; whole process {c['process_s']:.2f} s; the KB adds {c['kb_mb']:.1f} MiB RSS "
          f"(process {c['rss_mb']:.0f} MiB); {c['aliases']} alias keys, {c['persons']} persons, {c['roles']} roles")
    print(f"lookups/s: country_by_name {lk['country_by_name_per_s']:,.0f}, place {lk['place_per_s']:,.0f}, "
          f"person_role {lk['person_role_per_s']:,.0f}; fuzzy search {lk['search_per_s']:,.1f}/s")
    print(f"entity step: {e['docs_per_s']:.1f} docs/s, {e['kchars_per_s']:.0f} k chars/s "
          f"({e['docs']} docs, mean {e['mean_chars']:.0f} chars; {e['corpus']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
