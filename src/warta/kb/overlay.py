"""User overlays of the knowledge base: ``DIR/kb/<table>.tsv`` files named like the shipped ones.

A folder listed in ``WARTA_DATA_PATH`` (or passed with ``--data-dir``) holds them; their rows are
appended after the shipped rows, and a row whose id is already known adds its aliases (and fills
empty fields) instead of replacing the record (see ``KnowledgeBase._load_*``). Nothing here ever
writes into the installed package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from warta.resources import data_dir, extra_dirs, parse_tsv

TABLES = ("persons", "roles", "orgs", "places", "countries")
ID_COLUMN = {"persons": "id", "orgs": "id", "places": "id", "countries": "iso3", "roles": "person_id"}
_ID_RE = re.compile(r"^[\w.\-]+$")
_ACTOR_RE = re.compile(r"^(?:[A-Z]{3})+$")
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class OverlayError(ValueError):
    """A row or an overlay folder that ``warta kb add`` refuses (the message says why)."""


def overlay_dir(explicit: str | Path | None = None) -> Path:
    """The folder to write to: ``explicit``, else the first ``WARTA_DATA_PATH`` entry; never the package."""
    dirs = extra_dirs()
    if explicit is None and not dirs:
        raise OverlayError("no overlay folder: pass --data-dir DIR or set WARTA_DATA_PATH=DIR")
    d = Path(explicit) if explicit is not None else dirs[0]
    package = data_dir().resolve().parent
    r = d.resolve()
    if r == package or package in r.parents:
        raise OverlayError(f"{d} is inside the installed warta package; use a folder of your own")
    return d


def columns(table: str) -> list[str]:
    """Column names of a KB table, from the shipped file's header (the single source of the schema)."""
    if table not in TABLES:
        raise OverlayError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    text = (data_dir() / "kb" / f"{table}.tsv").read_text(encoding="utf-8")
    header = next(ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))
    return header.split("\t")


def _date_ok(d: str) -> bool:
    if not _DATE_RE.match(d):
        return False
    try:
        if len(d) == 10:
            dt.date.fromisoformat(d)
        elif len(d) == 7:
            dt.date.fromisoformat(d + "-01")
    except ValueError:
        return False
    return True


def validate(table: str, row: dict[str, str], known: set[str], countries: set[str]) -> list[str]:
    """Problems with one overlay row. ``known`` holds the ids this row may refer to or extend (the KB's
    plus those added earlier in the same batch); ``countries`` the KB's ISO3 codes."""
    errs: list[str] = []
    cols = columns(table)
    extra = set(row) - set(cols)
    if extra:
        errs.append(f"unknown column(s) {sorted(extra)} for {table} (columns: {', '.join(cols)})")
    for k, v in row.items():
        if any(c in v for c in "\t\r\n"):
            errs.append(f"{k}: tabs and line breaks are not allowed")
    rid = row.get(ID_COLUMN[table], "")
    if not rid or not _ID_RE.match(rid):
        errs.append(f"{ID_COLUMN[table]} {rid!r}: letters, digits, '_', '.', '-' only")
    new = rid not in known
    country = row.get("country", "")
    if country and country not in countries and not (table == "roles" and country == "IGO"):
        errs.append(f"country {country!r} is not an ISO3 code of the KB")
    actor = row.get("actor", "")
    if actor and not _ACTOR_RE.match(actor):
        errs.append(f"actor {actor!r}: CAMEO code, upper-case letters in groups of three (IDNGOV, IGOUNO)")
    if table == "roles":
        if new:
            errs.append(f"person_id {rid!r} is not a person of the KB")
        if not row.get("role"):
            errs.append("role: required")
        start, end = row.get("start", ""), row.get("end", "")
        if start and not _date_ok(start):
            errs.append(f"start {start!r}: YYYY, YYYY-MM or YYYY-MM-DD")
        if end and not _date_ok(end):
            errs.append(f"end {end!r}: YYYY, YYYY-MM or YYYY-MM-DD")
        if start and end and _date_ok(start) and _date_ok(end) and end < start:
            errs.append(f"end {end} is before start {start}")
    elif table == "countries":
        if new:
            errs.append(f"{rid!r} is not a country of the KB (overlays add names to known countries)")
    else:
        name_col = "name" if table == "places" else "canonical"
        if new and not row.get(name_col):
            errs.append(f"{name_col}: required for a new {table[:-1]}")
        if table == "orgs" and row.get("type", "ORG") not in ("", "ORG", "LOC"):
            errs.append("type: ORG or LOC")
        if table == "places" and new:
            try:
                lat, lon = float(row.get("lat", "")), float(row.get("lon", ""))
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    errs.append("lat/lon out of range")
            except ValueError:
                errs.append("lat and lon: required numbers for a new place")
    return errs


def append_rows(folder: Path, table: str, rows: Sequence[dict[str, str]]) -> Path:
    """Append rows to ``folder/kb/<table>.tsv``, creating it (with a header comment) when missing."""
    path = folder / "kb" / f"{table}.tsv"
    cols = columns(table)
    if path.is_file():
        parsed = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.lstrip().startswith("#")]
        if parsed:
            cols = parsed[0].split("\t")
            missing = {k for r in rows for k, v in r.items() if v} - set(cols)
            if missing:
                raise OverlayError(f"{path}: its header lacks column(s) {sorted(missing)}")
        text = path.read_text(encoding="utf-8")
        lines = [] if text.endswith("\n") or not text else [""]
        if not parsed:
            lines.append("\t".join(cols))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"# warta KB overlay ({table}); rows are appended after the shipped kb/{table}.tsv.",
                 "# written by `warta kb add` / `warta kb import-petrarch`; same columns as the shipped file.",
                 "\t".join(cols)]
    lines += ["\t".join(r.get(c, "") for c in cols) for r in rows]
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def read_rows(path: Path, table: str | None = None) -> dict[str, list[dict[str, str]]]:
    """Rows of a user file for ``warta kb add file``: TSV or CSV (the table from ``table`` or the file's
    stem, e.g. ``persons.csv``) or YAML (a list of rows for ``table``/the stem, or a mapping
    table -> list of rows). List values (aliases) become ``|``-joined strings."""
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text) or []
        tables = data if isinstance(data, dict) else {table or path.stem: data}
    elif suffix == ".csv":
        import csv
        import io

        tables = {table or path.stem: list(csv.DictReader(io.StringIO(text)))}
    else:
        tables = {table or path.stem: parse_tsv(text, str(path))}
    out: dict[str, list[dict[str, str]]] = {}
    for name, rows in tables.items():
        if name not in TABLES:
            raise OverlayError(f"{path}: unknown table {name!r} (name the file persons.csv, roles.tsv ... "
                               f"or pass --table)")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise OverlayError(f"{path}: {name} must be a list of rows")
        out[name] = [{str(k): _cell(v) for k, v in r.items() if k is not None} for r in rows]
    return out


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "|".join(str(x).strip() for x in v)
    return str(v).strip()


def add_rows(folder: Path, batch: dict[str, list[dict[str, str]]], known: dict[str, set[str]],
             countries: set[str]) -> list[tuple[Path, int]]:
    """Validate every row of a batch (persons and orgs before the roles that may refer to them), then write;
    nothing is written when a row is refused."""
    known = {t: set(ids) for t, ids in known.items()}
    errors: list[str] = []
    order = [t for t in TABLES if t != "roles"] + ["roles"]
    for table in order:
        for n, row in enumerate(batch.get(table, ()), start=1):
            ref = known["persons"] if table == "roles" else known[table]
            for e in validate(table, row, ref, countries):
                errors.append(f"{table} row {n}: {e}")
            if table != "roles":
                known[table].add(row.get(ID_COLUMN[table], ""))
    if errors:
        raise OverlayError("\n".join(errors))
    return [(append_rows(folder, t, batch[t]), len(batch[t])) for t in order if batch.get(t)]


def split_aliases(values: Iterable[str]) -> str:
    return "|".join(dict.fromkeys(v.strip() for v in values if v.strip()))
