#!/usr/bin/env python3
"""Body-extraction quality of warta.clean.html against trafilatura alone.

Scores both on the same pages, the way ../shared/eval/score.py scores
``body``: 4-word shingle precision/recall per page, macro-averaged, F1 of the
averages. Also reports published-date accuracy where the gold has one.

  python benchmarks/bench_html_extraction.py                 # both corpora
  python benchmarks/bench_html_extraction.py --corpus gold   # ../shared/gold/html only
  python benchmarks/bench_html_extraction.py --corpus scrapinghub --per-page

Corpora (read from ../shared relative to the repository root):
  gold         gold/html/*.html with *.gold.json (body, published): Indonesian pages
  scrapinghub  data/extraction/scrapinghub (html/*.html.gz, ground-truth.json articleBody): English
Targets (issue 3): gold F1 >= 0.96; scrapinghub F1 >= 0.955 (trafilatura alone ~0.958).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura

from warta.clean.encoding import decode_bytes
from warta.clean.html import extract_html

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    toks = WORD.findall((text or "").casefold())
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def page_pr(gold: str, pred: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where undefined (the scorer skips those)."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    prec = tp / sum(p.values()) if sum(p.values()) else None
    rec = tp / sum(g.values()) if sum(g.values()) else None
    return prec, rec


def macro(rows: list[tuple[float | None, float | None]]) -> dict:
    rec = [r for _, r in rows if r is not None]
    if not rec:
        return {"f1": None, "n": 0}
    p = sum(p for p, _ in rows if p is not None) / len(rec)  # no output scores precision 0
    r = sum(rec) / len(rec)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "n": len(rec)}


def gold_pages() -> Iterator[tuple[str, str, str, str | None]]:
    folder = SHARED / "gold" / "html"
    for gf in sorted(folder.glob("*.gold.json")):
        g = json.loads(gf.read_text(encoding="utf-8"))
        html = decode_bytes((folder / g["file"]).read_bytes())
        yield g["file"], html, g["body"], g.get("published")


def scrapinghub_pages() -> Iterator[tuple[str, str, str, str | None]]:
    folder = SHARED / "data" / "extraction" / "scrapinghub"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if path.is_file():
            html = decode_bytes(gzip.decompress(path.read_bytes()))
            yield key, html, truth[key].get("articleBody") or "", None


def run_page(page: tuple[str, str, str, str | None]) -> dict:
    name, html, body, published = page
    t0 = time.perf_counter()
    base = trafilatura.extract(html) or ""
    t1 = time.perf_counter()
    res = extract_html(html)
    t2 = time.perf_counter()
    return {
        "name": name,
        "trafilatura": page_pr(body, base),
        "warta": page_pr(body, res.text),
        "published_ok": None if published is None else res.published == published,
        "recovered": res.recovered,
        "t_traf": t1 - t0,
        "t_warta": t2 - t1,
    }


def bench(corpus: str, per_page: bool, jobs: int) -> dict:
    pages = list(gold_pages() if corpus == "gold" else scrapinghub_pages())
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        rows = list(ex.map(run_page, pages, chunksize=4))
    if per_page:
        for r in rows:
            print(f"  {r['name'][:40]:40} traf P/R {fmt(r['trafilatura'])}  warta P/R {fmt(r['warta'])}  {r['recovered'] or ''}")
    pub = [r["published_ok"] for r in rows if r["published_ok"] is not None]
    out = {
        "corpus": corpus,
        "pages": len(rows),
        "trafilatura": macro([r["trafilatura"] for r in rows]),
        "warta": macro([r["warta"] for r in rows]),
        "recovered": dict(Counter(r["recovered"] for r in rows if r["recovered"])),
        "published_accuracy": round(sum(pub) / len(pub), 3) if pub else None,
        "seconds_per_page": {
            "trafilatura": round(sum(r["t_traf"] for r in rows) / max(1, len(rows)), 4),
            "warta": round(sum(r["t_warta"] for r in rows) / max(1, len(rows)), 4),
        },
    }
    return out


def fmt(pr: tuple[float | None, float | None]) -> str:
    return "/".join("  - " if v is None else f"{v:.2f}" for v in pr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["gold", "scrapinghub", "all"], default="all")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"no shared data at {SHARED}", file=sys.stderr)
        return 1
    results = [bench(c, a.per_page, a.jobs) for c in (["gold", "scrapinghub"] if a.corpus == "all" else [a.corpus])]
    for res in results:
        if a.json:
            print(json.dumps(res))
            continue
        print(f"{res['corpus']}: {res['pages']} pages")
        print(f"  trafilatura alone  {res['trafilatura']}")
        print(f"  warta              {res['warta']}")
        print(f"  recovery stages    {res['recovered']}")
        if res["published_accuracy"] is not None:
            print(f"  published accuracy {res['published_accuracy']}")
        print(f"  seconds/page       {res['seconds_per_page']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
