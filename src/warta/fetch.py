"""URL lists: a ``.urls`` file names one page per line; fetching it is opt-in.

Fetching is off by default so that a run never touches the network by surprise: with it off, every
URL becomes an error row that says how to turn it on (``warta run --fetch`` or ``WARTA_FETCH=1``).
With it on, pages are downloaded with trafilatura's own downloader (its timeouts, size limits and
user agent), and each page is processed like an HTML file whose ``url`` is the address it came from.
Blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from warta.document import Document, sha1_hex
from warta.pipeline import Failure

FETCH_ENV = "WARTA_FETCH"
URL_EXT = {".urls"}

__all__ = ["FETCH_ENV", "URL_EXT", "fetch_bytes", "fetch_enabled", "read_url_list"]


def fetch_enabled() -> bool:
    """Whether URL lists are fetched (the environment, so Dask workers see the same setting)."""
    return os.environ.get(FETCH_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def fetch_bytes(url: str) -> tuple[bytes | None, str]:
    """The page's bytes, or None with the reason."""
    from trafilatura.downloads import fetch_response  # network code only when asked for

    resp = fetch_response(url, decode=False)
    if resp is None:
        return None, "download failed (no response, timeout or page too large)"
    if resp.status != 200:
        return None, f"HTTP status {resp.status}"
    return resp.data or None, "" if resp.data else "empty response"


def read_url_list(data: bytes, path: str) -> Iterator[Document | Failure]:
    """One Document (or Failure) per URL of a list file's bytes."""
    from warta.readers import document_from_bytes

    enabled = fetch_enabled()
    for n, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        url = raw.strip()
        if not url or url.startswith("#"):
            continue
        where = f"{path}:{n}"
        if not url.lower().startswith(("http://", "https://")):
            yield Failure(sha1_hex(url.encode()), where, "read", f"not an http(s) URL: {url[:200]}")
            continue
        if not enabled:
            yield Failure(sha1_hex(url.encode()), where, "read",
                          f"fetching is off: {url} (run with --fetch or {FETCH_ENV}=1 to download it)")
            continue
        body, why = fetch_bytes(url)
        if body is None:
            yield Failure(sha1_hex(url.encode()), where, "read", f"{why}: {url}")
            continue
        yield document_from_bytes(body, url, "html", url=url)
