"""Loading warta's language data files.

All language knowledge lives in ``warta/data/`` as tab-separated files:

* lines starting with ``#`` are comments (the file's version, sources and
  licence go there); blank lines are ignored;
* the first non-comment line is the header;
* list-valued columns separate items with ``|``.

Users extend the shipped data by pointing ``WARTA_DATA_PATH`` (``os.pathsep``
separated) at folders with files of the same relative name: their rows are
appended after the shipped ones, so a user row can add aliases or override a
lookup that keeps the last row for a key.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

DATA_ENV = "WARTA_DATA_PATH"


class DataFileError(ValueError):
    """A data file is malformed (wrong columns, unreadable)."""


def data_dir() -> Path:
    return Path(str(resources.files("warta") / "data"))


def extra_dirs() -> list[Path]:
    raw = os.environ.get(DATA_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def parse_tsv(text: str, name: str = "<data>") -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    header = [h.strip() for h in rows[0]]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise DataFileError(f"{name}: row {n} has {len(row)} fields, header has {len(header)}: {row!r}")
        row = row + [""] * (len(header) - len(row))
        out.append({h: v.strip() for h, v in zip(header, row, strict=True)})
    return out


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def table_paths(name: str) -> list[Path]:
    paths = [data_dir() / name]
    paths += [d / name for d in extra_dirs() if (d / name).is_file()]
    return paths


@cache
def _read(path: str, mtime: float) -> tuple[dict[str, str], ...]:
    return tuple(parse_tsv(Path(path).read_text(encoding="utf-8"), path))


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a shipped data file followed by the rows of user overlays of the same name."""
    rows: list[dict[str, str]] = []
    for p in table_paths(name):
        if not p.is_file():
            raise DataFileError(f"missing data file {p}")
        rows.extend(_read(str(p), p.stat().st_mtime))
    return rows


def iter_data_files() -> Iterator[Path]:
    yield from sorted(data_dir().rglob("*.tsv"))


def words(rows: Iterable[dict[str, str]], column: str) -> list[str]:
    return [r[column] for r in rows if r.get(column)]
