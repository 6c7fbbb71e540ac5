"""``warta`` command line: thin wrappers over :mod:`warta.jobs`, :mod:`warta.store` and :mod:`warta.eval`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from warta import __version__


def _print_table(cols: list[str], rows: list[tuple], fmt: str) -> None:
    out = sys.stdout
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(cols)
        w.writerows(rows)
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=str) + "\n")
    else:
        cells = [[("" if v is None else str(v)) for v in r] for r in rows]
        widths = [min(40, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(cols)]
        line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
        out.write(line.rstrip() + "\n" + "  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")
        out.write(f"({len(rows)} rows)\n")


def _fetch_setting(a: argparse.Namespace) -> None:
    if getattr(a, "fetch", False):
        import os

        from warta.fetch import FETCH_ENV

        os.environ[FETCH_ENV] = "1"  # the environment reaches Dask workers too


def cmd_extract(a: argparse.Namespace) -> int:
    from warta.jobs import extract
    from warta.pipeline import Failure

    _fetch_setting(a)
    failed = 0
    limit = a.doc_timeout if a.doc_timeout > 0 else None
    for res in extract(a.paths, languages=a.languages.split(","), time_limit=limit):
        if isinstance(res, Failure):
            failed += 1
            print(f"warta: {res.path}: {res.kind} in {res.step}: {res.reason}", file=sys.stderr)
            continue
        rec = res.to_record()
        if a.format == "jsonl":
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2 if a.format == "pretty" else None) + "\n")
    return 0


def cmd_run(a: argparse.Namespace) -> int:
    from warta.jobs import run

    _fetch_setting(a)
    summary = run(a.paths, a.db, executor=a.executor, workers=a.workers, scheduler=a.scheduler,
                  progress=None if not a.quiet else False, languages=a.languages.split(","), batch=a.batch,
                  time_limit=a.doc_timeout if a.doc_timeout > 0 else None)
    for line in summary.lines():
        print(line, file=sys.stderr)
    if summary.read == 0:
        print("warta: no input documents found", file=sys.stderr)
        return 1
    return 0


def _open_store(db: str) -> Any:
    """The database read-only, or None after telling the user how to create it."""
    from warta.store import Store

    try:
        return Store(db, read_only=True)
    except FileNotFoundError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return None


def cmd_events(a: argparse.Namespace) -> int:
    store = _open_store(a.db)
    if store is None:
        return 2
    with store:
        cols, rows = store.events(country=a.country, type=a.type, since=a.since, until=a.until,
                                  actor=a.actor, limit=a.limit)
    _print_table(cols, rows, a.format)
    return 0


def cmd_quotes(a: argparse.Namespace) -> int:
    where, params = [], []
    if a.speaker:
        where.append("(speaker_canonical ILIKE ? OR speaker_text ILIKE ?)")
        params += [f"%{a.speaker}%"] * 2
    if a.country:
        where.append("speaker_country = ?")
        params.append(a.country.upper())
    sql = "SELECT speaker_canonical, speaker_actor, kind, text, doc_id FROM quotes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY doc_id, idx"
    store = _open_store(a.db)
    if store is None:
        return 2
    with store:
        cols, rows = store.query(sql, params)
    _print_table(cols, rows, a.format)
    return 0


def cmd_eval(a: argparse.Namespace) -> int:
    from warta import eval as ev

    gold = ev.load_gold(a.gold)
    if a.records:
        records: Any = list(ev.read_records(a.records))
    else:
        from warta.jobs import extract
        from warta.pipeline import Failure

        records = [r.to_record() for r in extract([str(p) for p, _ in gold]) if not isinstance(r, Failure)]
    result = ev.evaluate(a.gold, records)
    print(json.dumps(result, indent=2) if a.json else ev.format_report(result))
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    from warta.export import export

    try:
        files = export(a.db, a.out, a.format)
    except FileNotFoundError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    for f in files:
        print(f)
    return 0


def cmd_serve(a: argparse.Namespace) -> int:
    from warta.api.app import serve

    try:
        serve(a.db, host=a.host, port=a.port, timeout_s=a.timeout)
    except FileNotFoundError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_import_petrarch_verbs(a: argparse.Namespace) -> int:
    from warta.extract.petrarch_verbs import run_cli

    return run_cli(a.verbs, out=a.out, agents=a.agents, raw_codes=a.raw_codes, dry_run=a.dry_run,
                   patterns=not a.verbs_only)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warta", description="News pages in, who did what to whom out.")
    p.add_argument("--version", action="version", version=f"warta {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    langs = {"default": "id,en,ms", "help": "languages to process; others are recorded as skipped (default id,en,ms)"}
    # warta.pipeline.DEFAULT_TIME_LIMIT, written out so that --help imports nothing (a test keeps them equal)
    timeout = {"type": float, "default": 5.0, "metavar": "SECONDS",
               "help": "time limit per document; a slower one is recorded as a timeout error (default 5, 0: none)"}

    e = sub.add_parser("extract", help="print document records for articles (no database)")
    e.add_argument("paths", nargs="+", help="files, directories (recursive) or - for stdin")
    e.add_argument("--format", choices=["jsonl", "json", "pretty"], default="jsonl")
    e.add_argument("--languages", **langs)
    e.add_argument("--doc-timeout", **timeout)
    e.add_argument("--fetch", action="store_true", help="download the pages of .urls lists (off by default)")
    e.set_defaults(fn=cmd_extract)

    r = sub.add_parser("run", help="process articles into the DuckDB database")
    r.add_argument("paths", nargs="+")
    r.add_argument("--db", default="warta.duckdb")
    r.add_argument("--executor", choices=["local", "dask"], default="local")
    r.add_argument("--workers", type=int, default=None, help="dask: local cluster size")
    r.add_argument("--scheduler", default=None, help="dask: address of an existing scheduler")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--batch", type=int, default=None,
                   help="documents per committed transaction (local, default 200) or files per partition (dask, default 64)")
    r.add_argument("--languages", **langs)
    r.add_argument("--doc-timeout", **timeout)
    r.add_argument("--fetch", action="store_true", help="download the pages of .urls lists (off by default)")
    r.set_defaults(fn=cmd_run)

    v = sub.add_parser("events", help="list events from the database")
    v.add_argument("--db", default="warta.duckdb")
    v.add_argument("--country", help="ISO3 code on either side or as the location")
    v.add_argument("--actor", help="actor code prefix, e.g. IRNGOV or IGOUNO")
    v.add_argument("--type", help="PLOVER type, e.g. CONSULT")
    v.add_argument("--since", help="first date, YYYY-MM-DD")
    v.add_argument("--until", help="last date, YYYY-MM-DD")
    v.add_argument("--limit", type=int, default=None)
    v.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    v.set_defaults(fn=cmd_events)

    q = sub.add_parser("quotes", help="list quotations from the database")
    q.add_argument("--db", default="warta.duckdb")
    q.add_argument("--speaker", help="part of the speaker's name")
    q.add_argument("--country", help="speaker's country, ISO3")
    q.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    q.set_defaults(fn=cmd_quotes)

    x = sub.add_parser("export", help="write tables as parquet/jsonl/csv, or GDELT 2.0 event files")
    x.add_argument("--db", default="warta.duckdb")
    x.add_argument("--format", choices=["parquet", "jsonl", "csv", "gdelt"], default="parquet")
    x.add_argument("--out", required=True, help="output folder")
    x.set_defaults(fn=cmd_export)

    s = sub.add_parser("serve", help="serve the read-only API and dashboard over the database")
    s.add_argument("--db", default="warta.duckdb")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others warn loudly)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--timeout", type=float, default=10.0, help="seconds a request's queries may run (default 10)")
    s.set_defaults(fn=cmd_serve)

    g = sub.add_parser("eval", help="score warta against gold files (rules of gold/SPEC.md)")
    g.add_argument("gold", nargs="+", help="*.gold.json files or folders of them")
    g.add_argument("--records", help="score this JSONL file of records instead of running warta")
    g.add_argument("--json", action="store_true")
    g.set_defaults(fn=cmd_eval)

    pv = sub.add_parser("import-petrarch-verbs",
                        help="PETRARCH verb dictionary (and --agents dictionary) -> English trigger/agent overlays")
    pv.add_argument("verbs", help="CAMEO.2.0.txt, PETR.Validate.verbs.txt ...; rows go to DIR/triggers/en.tsv")
    pv.add_argument("--agents", help="a PETRARCH agents dictionary; rows go to DIR/kb/agents.tsv")
    pv.add_argument("--out", help="overlay folder (default: first WARTA_DATA_PATH entry)")
    pv.add_argument("--raw-codes", action="store_true",
                    help="keep codes as written and rows without a PLOVER type (regression runs)")
    pv.add_argument("--verbs-only", action="store_true", help="the verbs with their codes, no patterns")
    pv.add_argument("--dry-run", action="store_true", help="report and show rows; write nothing")
    pv.set_defaults(fn=cmd_import_petrarch_verbs)

    from warta.kb.cli import register as register_kb  # argparse only: keeps `warta --help` fast

    register_kb(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
