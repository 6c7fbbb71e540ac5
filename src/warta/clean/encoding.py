"""Bytes → text: charset choice, mojibake repair, normalisation.

Order of evidence for the charset: a byte-order mark, then the declared
charset (HTTP header / reader argument), then a ``<meta charset>`` or XML
declaration in the first bytes, then strict UTF-8, then charset-normalizer,
then cp1252 with replacement (which cannot fail). A declared legacy charset
loses to strict UTF-8 when the bytes hold multi-byte UTF-8 sequences: such
bytes are practically never legacy text, and mislabelled pages are common.

After decoding, ftfy's ``fix_encoding`` repairs UTF-8 read as cp1252/latin-1
("â€œ" → "“"); it only changes text that is clearly mojibake. The result is
NFC-normalised, CRLF/CR become LF, and NULs and other control characters
except newline and tab are dropped. The returned string is the text every
later offset indexes into.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# C0/C1 controls and other non-characters except \t and \n
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252
_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}

# Statistical detection needs text: on a few words charset-normalizer picks
# exotic code pages, so shorter undeclared non-UTF-8 bytes are read as cp1252
# (the legacy encoding of Indonesian and English pages).
MIN_DETECT_BYTES = 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/epub …)"),
    (b"\x1f\x8b", "gzip data (decompress first)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\xd0\xcf\x11\xe0", "OLE document (doc/xls)"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"PAR1", "Parquet file"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canon = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _ALIASES.get(canon, canon)


def _sniff_declared(head: bytes) -> str | None:
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return _codec(m.group(1).decode("ascii", "ignore")) if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_guess(head: bytes) -> str | None:
    """BOM-less UTF-16: NULs (high bytes of ASCII-range code units) sit at one parity."""
    nuls = head.count(0)
    if nuls <= len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < 0.9 * nuls:
        return None
    codec = "utf-16-be" if even > odd else "utf-16-le"
    return codec if _strict(head[: len(head) // 2 * 2], codec) is not None else None


def _decode(data: bytes, declared: str | None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    wide = _utf16_guess(data[:8192])
    if wide is not None:
        return data[: len(data) // 2 * 2].decode(wide, errors="replace")
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8  # multi-byte UTF-8 beats any declaration (see module docstring)
    for codec in (_codec(declared), _sniff_declared(data[:4096])):
        if codec and codec not in {"utf-16", "utf-32"}:
            text = _strict(data, codec)
            if text is not None:
                return text
    if utf8 is not None:
        return utf8
    if len(data) < MIN_DETECT_BYTES:
        return data.decode("cp1252", errors="replace")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            text = _strict(data, best.encoding)
            if text is not None:
                return text
    except Exception:  # detection is best effort; the fallback below cannot fail
        pass
    return data.decode("cp1252", errors="replace")


def repair_text(text: str) -> str:
    """Mojibake repair, NFC, newline and control-character normalisation of decoded text."""
    if not text.isascii():
        # line by line, as ftfy.fix_text does: ASCII lines (most of a page's markup and scripts) are
        # skipped, and one line's mojibake does not decide for the whole page (was ~100 ms per page)
        text = "".join(ftfy.fix_encoding(line) if not line.isascii() else line
                       for line in text.splitlines(keepends=True))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text of ``data`` (see the module docstring). Never raises on any bytes."""
    try:
        return repair_text(_decode(bytes(data), declared))
    except Exception:  # the contract is "never raises"; cp1252+replace always decodes
        return repair_text(bytes(data).decode("cp1252", errors="replace"))


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not a text document (file signature, NULs, control bytes), or None."""
    head = bytes(data[:8192])
    if not head:
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    nuls = head.count(0)
    if nuls:
        if _utf16_guess(head) is not None:
            return None
        return f"binary data ({nuls} NUL bytes in the first {len(head)})"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) * 0.1:
        return f"binary data ({controls} control bytes in the first {len(head)})"
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not a text document; ``binary_reason`` says why."""
    return binary_reason(data) is not None
