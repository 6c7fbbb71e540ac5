"""WARC/ARC reader (warcio): each HTML response record becomes a Document.

A truncated or corrupt file yields an error row for the record where reading
broke and keeps every record read before it. A record cut short (headers
without a length, a body shorter than its Content-Length) is that error row,
never a partial page passed off as a document: warcio hands such records over
without complaint. Decompression is bounded, so a
gzip bomb costs at most ``MAX_RECORD_BYTES`` of memory: a record body is read
up to that size (a larger one is an error row), and a header line (WARC or
HTTP) up to ``MAX_HEADER_LINE`` bytes; warcio's own line reader has no bound,
so a bomb made of one endless header line would otherwise fill memory. A
header line over the bound ends the file with an error row: where the next
record starts can no longer be trusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warta.document import Document, sha1_hex
from warta.pipeline import Failure, Pending
from warta.readers import MAX_BYTES, document_from_bytes

MAX_RECORD_BYTES = MAX_BYTES
MAX_HEADER_LINE = 64 * 1024


class HeaderLineTooLong(ValueError):
    pass


def _bound_readline(reader: Any) -> None:
    """Make warcio's line reader (headers, chunk sizes) give up past ``MAX_HEADER_LINE`` bytes."""
    unbounded = reader.readline

    def readline(length: int | None = None) -> bytes:
        if length == 0:
            return b""
        cap = MAX_HEADER_LINE if length is None or length < 0 or length > MAX_HEADER_LINE else length
        line = unbounded(cap)
        if len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise HeaderLineTooLong(f"header line over {MAX_HEADER_LINE} bytes (corrupt record or decompression bomb)")
        return line

    reader.readline = readline


def _missing_bytes(rec: Any) -> int:
    """Bytes the record declares but the file no longer holds (0 for a whole record)."""
    raw = rec.raw_stream
    left = getattr(raw, "limit", 0)  # warcio's LimitReader: what is left of Content-Length
    if not isinstance(left, int) or left <= 0:
        return 0
    got = 0
    while got < left:  # what the body reader left unread (chunk trailers): read it to see it is there
        piece = raw.read(min(left - got, 1 << 20))
        if not piece:
            break
        got += len(piece)
    return left - got


def read_warc(path: Path, lazy: bool = False) -> Iterator[Document | Pending | Failure]:
    from warcio.archiveiterator import ArchiveIterator

    sp = str(path)
    n = 0
    size = path.stat().st_size
    end = 0
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, arc2warc=True)
            _bound_readline(it.reader)
            for rec in it:
                n += 1
                length = (rec.rec_headers.get_header("Content-Length") or "").strip() if rec.rec_type else ""
                if not length.isdigit():
                    # headers cut or garbled: warcio yields a record without them and goes on quietly
                    where = f"{sp}#{n}"
                    yield Failure(sha1_hex(where.encode()), where, "read",
                                  f"broken WARC: record {n} has no readable header (truncated or corrupt)")
                    return
                url = rec.rec_headers.get_header("WARC-Target-URI")
                where = f"{sp}#{n}"
                ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
                if rec.rec_type != "response" or ("html" not in ctype.lower() and "text" not in ctype.lower()):
                    cut = _missing_bytes(rec)  # not a page; but a record cut short ends the file
                    if cut:
                        yield Failure(sha1_hex(where.encode()), where, "read",
                                      f"broken WARC: record {n} cut short, {cut} bytes missing (truncated?)")
                        return
                    continue
                stream = rec.content_stream()
                body = stream.read(MAX_RECORD_BYTES + 1)
                if len(body) > MAX_RECORD_BYTES:
                    yield Failure(sha1_hex(where.encode()), where, "read",
                                  f"too large: record body over {MAX_RECORD_BYTES} bytes")
                    continue
                cut = _missing_bytes(rec)
                if cut:  # the file ends inside this record: what was read is not the page
                    yield Failure(sha1_hex(where.encode()), where, "read",
                                  f"broken WARC: record {n} cut short, {cut} bytes missing (truncated?)")
                    return
                kind = "html" if "html" in ctype.lower() else "text"
                yield document_from_bytes(body, where, kind, lazy=lazy, url=url)
            it.read_to_end()
            end = it.get_record_offset() + it.get_record_length() if n else 0
    except Exception as exc:  # warcio raises several types for truncated/corrupt input
        where = f"{sp}#{n}"
        yield Failure(sha1_hex(where.encode()), where, "read",
                      f"broken WARC after {max(n - 1, 0)} records: {type(exc).__name__}: {exc}")
        return
    if end < size:
        # warcio stops quietly at a truncated gzip member: bytes left over mean a lost record
        where = f"{sp}#{n + 1}"
        yield Failure(sha1_hex(where.encode()), where, "read",
                      f"broken WARC: {size - end} bytes after record {n} could not be read (truncated?)")
