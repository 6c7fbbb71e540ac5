"""Readers turn paths (files, directories, stdin) into a stream of Documents.

A reader never raises for one bad input: it yields a :class:`Failure` with
the reason ("empty file", "binary file", "invalid JSON on line 3") and goes
on; a file that holds no document at all (an empty JSON Lines file, a WARC
without HTML responses) still gives one row. Document ids are the sha1 of the
raw input bytes, so the same article read twice gets the same id and reruns
add no duplicate rows. A reader's error row is keyed by where the input is as
well as by its bytes: a rerun replaces it, and two broken inputs (two empty
files, say) never share one.

With ``lazy=True`` (what the executors use) an article's bytes come as a
:class:`~warta.pipeline.Pending` and are decoded inside the pipeline, under
the document's time limit: charset detection and mojibake repair of a 50 MB
page take tens of seconds. Memory is bounded too: no input over
``MAX_BYTES`` is read whole, JSON Lines files are read line by line and a
line over ``MAX_BYTES`` is refused.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import BinaryIO

from warta.clean.encoding import decode_bytes, looks_binary
from warta.document import Document, sha1_hex
from warta.pipeline import Failure, Pending

Item = Document | Pending | Failure

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
WARC_EXT = {".warc", ".warc.gz", ".arc", ".arc.gz"}
MAX_BYTES = 50 * 1024 * 1024  # larger inputs are refused, not truncated silently


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for ext in WARC_EXT:
        if name.endswith(ext):
            return ext
    return path.suffix.lower()


def supported(path: Path) -> bool:
    from warta.fetch import URL_EXT

    return _suffix(path) in TEXT_EXT | HTML_EXT | JSONL_EXT | WARC_EXT | URL_EXT


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and supported files found recursively in directories, in sorted order."""
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and supported(f) and not f.name.startswith("."):
                    yield f
        else:
            yield p


def _failure(data: bytes | None, path: str, reason: str, skipped: bool = False) -> Failure:
    key = path.encode("utf-8", "surrogatepass") + b"\0" + (data or b"")
    return Failure(sha1_hex(key), path, "read", reason, skipped=skipped)


def _decode(data: bytes, path: str, kind: str, doc_id: str, meta: dict[str, object]) -> Document:
    text = decode_bytes(data)
    if kind == "html":
        return Document(id=doc_id, text="", raw="", html=text, path=path, **meta)  # type: ignore[arg-type]
    return Document(id=doc_id, text=text, raw=text, path=path, **meta)  # type: ignore[arg-type]


def document_from_bytes(data: bytes, path: str, kind: str, *, lazy: bool = False,
                        **meta: object) -> Document | Pending | Failure:
    """One article's bytes as a Document (``kind``: "text" or "html"); a Pending one when ``lazy``."""
    if not data.strip():
        return _failure(data, path, "empty file")
    if len(data) > MAX_BYTES:
        return _failure(data, path, f"too large: {len(data)} bytes > {MAX_BYTES}")
    if looks_binary(data):
        return _failure(data, path, "binary file: not text or HTML")
    doc_id = str(meta.pop("id", None) or sha1_hex(data))
    if lazy:
        return Pending(doc_id, path, partial(_decode, data, path, kind, doc_id, meta))
    return _decode(data, path, kind, doc_id, meta)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
MAX_FIELD = 2048  # characters kept of a JSON record's url, id or path


def _field(v: object) -> str | None:
    """A JSON record's metadata string made safe to store: no controls or lone surrogates, bounded."""
    if isinstance(v, bool) or not isinstance(v, str | int):
        return None
    out = _UNSAFE.sub("", str(v)).strip()[:MAX_FIELD]
    return out or None


def _iso_date(v: object) -> str | None:
    """``published`` of a JSON record as YYYY-MM-DD, or None when it does not start with a valid date."""
    if not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v.strip()[:10]).isoformat()
    except ValueError:
        return None


def _jsonl_record(line: bytes, where: str, lazy: bool) -> Item:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, nesting too deep
        return _failure(line, where, f"invalid JSON: {type(exc).__name__}: {str(exc)[:200]}")
    if not isinstance(obj, dict) or not (isinstance(obj.get("text"), str) or isinstance(obj.get("html"), str)):
        return _failure(line, where, "invalid JSON record: needs a 'text' or 'html' string field")
    kind = "html" if isinstance(obj.get("html"), str) and not isinstance(obj.get("text"), str) else "text"
    body = obj["html"] if kind == "html" else obj["text"]
    meta = {"url": _field(obj.get("url")), "published": _iso_date(obj.get("published")), "id": _field(obj.get("id"))}
    # JSON may escape lone surrogates ("\\ud800"): keep their bytes, the decoder deals with them
    return document_from_bytes(body.encode("utf-8", "surrogatepass"), _field(obj.get("path")) or where, kind,
                               lazy=lazy, **{k: v for k, v in meta.items() if v})


def _jsonl_lines(lines: Iterable[tuple[int, bytes | None]], path: str, lazy: bool) -> Iterator[Item]:
    for n, line in lines:
        where = f"{path}:{n}"
        if line is None:
            yield _failure(where.encode(), where, f"line too long: over {MAX_BYTES} bytes")
        elif line.strip():
            yield _jsonl_record(line, where, lazy)


def read_jsonl(data: bytes, path: str, lazy: bool = False) -> Iterator[Item]:
    """The records of JSON Lines bytes (one Document or Failure per non-blank line)."""
    yield from _jsonl_lines(enumerate(data.splitlines(), start=1), path, lazy)


def bounded_lines(fh: BinaryIO, limit: int = MAX_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a binary file, reading at most ``limit`` bytes of a line at once.

    A longer line is skipped, read in pieces, and given as None: one endless line cannot exhaust memory.
    """
    n = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def _or_one_row(items: Iterable[Item], path: str, why: str) -> Iterator[Item]:
    """Everything ``items`` holds, or one skipped row for a file that holds no document."""
    empty = True
    for it in items:
        empty = False
        yield it
    if empty:
        yield _failure(None, path, why, skipped=True)


def _read_jsonl_file(path: Path, lazy: bool) -> Iterator[Item]:
    sp = str(path)
    try:
        with open(path, "rb") as fh:
            yield from _or_one_row(_jsonl_lines(bounded_lines(fh), sp, lazy), sp, "empty file: no JSON records")
    except OSError as exc:  # unreadable, or gone while being read
        yield _failure(None, sp, f"unreadable: {exc.strerror or exc}")


def read_path(path: Path, lazy: bool = False) -> Iterator[Item]:
    """Every Document (or Failure) one file holds."""
    sp = str(path)
    ext = _suffix(path)
    try:
        if ext in JSONL_EXT:
            yield from _read_jsonl_file(path, lazy)
            return
        if ext in WARC_EXT:
            from warta.warc import read_warc  # warcio only when needed

            yield from _or_one_row(read_warc(path, lazy=lazy), sp, "no HTML or text responses in the archive")
            return
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield _failure(None, sp, f"too large: {size} bytes > {MAX_BYTES}")
            return
        with open(path, "rb") as fh:  # a file that grew since stat() is still read bounded
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        yield _failure(None, sp, f"unreadable: {exc.strerror or exc}")
        return
    if ext == ".urls":
        from warta.fetch import read_url_list

        yield from _or_one_row(read_url_list(data, sp), sp, "empty file: no URLs")
    elif ext in HTML_EXT or (ext not in TEXT_EXT and data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))):
        yield document_from_bytes(data, sp, "html", lazy=lazy)
    else:
        yield document_from_bytes(data, sp, "text", lazy=lazy)


class _Joined:
    """Bytes already read, then the rest of a stream, behind one ``readline``."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = io.BytesIO(head), rest

    def readline(self, limit: int = -1) -> bytes:
        line = self.head.readline(limit)
        if line.endswith(b"\n") or (limit >= 0 and len(line) >= limit):
            return line
        return line + self.rest.readline(limit - len(line) if limit >= 0 else -1)


def read_stdin(lazy: bool = False) -> Iterator[Item]:
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    head = data.lstrip()[:15].lower()
    if head.startswith(b"{"):  # JSON Lines are streamed, like a file
        lines = bounded_lines(_Joined(data, sys.stdin.buffer))  # type: ignore[arg-type]
        yield from _or_one_row(_jsonl_lines(lines, "<stdin>", lazy), "<stdin>", "empty input: no JSON records")
    elif len(data) > MAX_BYTES:
        yield _failure(None, "<stdin>", f"too large: over {MAX_BYTES} bytes")
    else:
        kind = "html" if head.startswith((b"<!doctype", b"<html")) else "text"
        yield document_from_bytes(data, "<stdin>", kind, lazy=lazy)


def read_inputs(inputs: Iterable[str | Path], lazy: bool = False) -> Iterator[Item]:
    """The documents of every input; "-" reads stdin. ``lazy``: articles come as Pending (see above)."""
    for inp in inputs:
        if str(inp) == "-":
            yield from read_stdin(lazy)
            continue
        p = Path(inp)
        if not p.exists():
            yield _failure(None, str(p), "no such file or directory")
            continue
        for f in iter_paths([p]):
            yield from read_path(f, lazy)
