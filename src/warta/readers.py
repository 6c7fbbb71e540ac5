"""Readers turn paths (files, directories, stdin) into a stream of Documents.

A reader never raises for one bad input: it yields a :class:`Failure` with
the reason ("empty file", "binary file", "invalid JSON on line 3") and goes
on. Document ids are the sha1 of the raw input bytes, so the same article
read twice gets the same id and reruns add no duplicate rows.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from warta.clean.encoding import decode_bytes, looks_binary
from warta.document import Document, sha1_hex
from warta.pipeline import Failure

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


def _failure(data: bytes | None, path: str, reason: str) -> Failure:
    return Failure(sha1_hex(data if data is not None else path.encode()), path, "read", reason)


def document_from_bytes(data: bytes, path: str, kind: str, **meta: object) -> Document | Failure:
    """One article's bytes as a Document (``kind``: "text" or "html")."""
    if not data.strip():
        return _failure(data, path, "empty file")
    if len(data) > MAX_BYTES:
        return _failure(data, path, f"too large: {len(data)} bytes > {MAX_BYTES}")
    if looks_binary(data):
        return _failure(data, path, "binary file: not text or HTML")
    text = decode_bytes(data)
    doc_id = str(meta.pop("id", None) or sha1_hex(data))
    if kind == "html":
        return Document(id=doc_id, text="", raw="", html=text, path=path, **meta)  # type: ignore[arg-type]
    return Document(id=doc_id, text=text, raw=text, path=path, **meta)  # type: ignore[arg-type]


def read_jsonl(data: bytes, path: str) -> Iterator[Document | Failure]:
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield _failure(line, where, f"invalid JSON: {exc}")
            continue
        if not isinstance(obj, dict) or not (isinstance(obj.get("text"), str) or isinstance(obj.get("html"), str)):
            yield _failure(line, where, "invalid JSON record: needs a 'text' or 'html' string field")
            continue
        kind = "html" if isinstance(obj.get("html"), str) and not isinstance(obj.get("text"), str) else "text"
        body = obj["html"] if kind == "html" else obj["text"]
        meta = {"url": obj.get("url"), "published": obj.get("published"), "id": obj.get("id")}
        yield document_from_bytes(body.encode("utf-8"), str(obj.get("path") or where), kind,
                                  **{k: v for k, v in meta.items() if v})


def read_path(path: Path) -> Iterator[Document | Failure]:
    """Every Document (or Failure) one file holds."""
    sp = str(path)
    try:
        if path.stat().st_size > MAX_BYTES and _suffix(path) not in WARC_EXT | JSONL_EXT:
            yield _failure(None, sp, f"too large: {path.stat().st_size} bytes > {MAX_BYTES}")
            return
        ext = _suffix(path)
        if ext in WARC_EXT:
            from warta.warc import read_warc  # warcio only when needed

            yield from read_warc(path)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield _failure(None, sp, f"unreadable: {exc.strerror or exc}")
        return
    if ext == ".urls":
        from warta.fetch import read_url_list

        yield from read_url_list(data, sp)
    elif ext in JSONL_EXT:
        yield from read_jsonl(data, sp)
    elif ext in HTML_EXT or (ext not in TEXT_EXT and data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))):
        yield document_from_bytes(data, sp, "html")
    else:
        yield document_from_bytes(data, sp, "text")


def read_stdin() -> Iterator[Document | Failure]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:15].lower()
    if head.startswith(b"{"):
        yield from read_jsonl(data, "<stdin>")
    else:
        yield document_from_bytes(data, "<stdin>", "html" if head.startswith((b"<!doctype", b"<html")) else "text")


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[Document | Failure]:
    """The documents of every input; "-" reads stdin."""
    for inp in inputs:
        if str(inp) == "-":
            yield from read_stdin()
            continue
        p = Path(inp)
        if not p.exists():
            yield _failure(None, str(p), "no such file or directory")
            continue
        for f in iter_paths([p]):
            yield from read_path(f)
