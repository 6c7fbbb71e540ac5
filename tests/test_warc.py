from __future__ import annotations

import gzip
import io
from pathlib import Path

from warta.document import Document
from warta.pipeline import Failure
from warta.readers import read_inputs


def write_warc(path: Path, n: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for i in range(n):
            body = f"<html><body><p>Berita nomor {i}: Presiden bertemu menteri.</p></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = w.create_warc_record(f"http://example.com/{i}", "response", payload=io.BytesIO(body),
                                       http_headers=headers)
            w.write_record(rec)


def test_warc_truncated_file_keeps_complete_records(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    write_warc(f, 100)
    data = f.read_bytes()
    # cut into the last gzip member: the 100th record is broken
    members = data.split(b"\x1f\x8b\x08")
    last = len(data) - len(members[-1]) - 3
    f.write_bytes(data[: last + 40])
    got = list(read_inputs([f]))
    docs = [g for g in got if isinstance(g, Document)]
    errs = [g for g in got if isinstance(g, Failure)]
    assert len(docs) == 99 and len(errs) == 1
    assert "broken WARC" in errs[0].reason and docs[0].url == "http://example.com/0"


def test_warc_gzip_is_real(tmp_path: Path) -> None:
    f = tmp_path / "one.warc.gz"
    write_warc(f, 1)
    assert gzip.decompress(f.read_bytes()).startswith(b"WARC/1")
