"""warta.clean.encoding: charsets, BOMs, mojibake repair, control characters, binary detection."""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252 to build mojibake
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean.encoding import binary_reason, decode_bytes, looks_binary

TEXT = "“Halo,” kata Menteri di café — Jakarta"


def test_encoding_utf8() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_encoding_utf16_with_bom() -> None:
    assert decode_bytes(TEXT.encode("utf-16")) == TEXT


def test_encoding_utf16_without_bom() -> None:
    assert decode_bytes(TEXT.encode("utf-16-le")) == TEXT
    assert decode_bytes(TEXT.encode("utf-16-be")) == TEXT


def test_encoding_latin1_bytes() -> None:
    assert decode_bytes("café olé à Paris".encode("latin-1")) == "café olé à Paris"


def test_encoding_declared_charset() -> None:
    data = "Ярослав".encode("cp1251")
    assert decode_bytes(data, declared="windows-1251") == "Ярослав"


def test_encoding_meta_charset() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Ярослав</body></html>'
    assert "Ярослав" in decode_bytes(html.encode("cp1251"))


def test_encoding_mojibake_repaired() -> None:
    mojibake = TEXT.encode("utf-8").decode("sloppy-windows-1252")
    assert "â€œ" in mojibake
    assert decode_bytes(mojibake.encode("utf-8")) == TEXT


def test_encoding_controls_and_newlines() -> None:
    assert decode_bytes(b"a\x00b\x07c\r\nd\re\tf") == "abc\nd\ne\tf"


def test_encoding_nfc() -> None:
    assert decode_bytes("cafe\u0301".encode()) == "caf\u00e9"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "bogus", "utf-16", ""])))
def test_encoding_never_raises(data: bytes, declared: str | None) -> None:
    out = decode_bytes(data, declared)
    assert isinstance(out, str)
    assert "\x00" not in out and "\r" not in out


def test_encoding_binary_detection() -> None:
    assert looks_binary(b"%PDF-1.7\n...")
    assert looks_binary(b"\x89PNG\r\n\x1a\n")
    assert looks_binary(bytes(range(256)) * 4)
    assert "PDF" in (binary_reason(b"%PDF-1.4") or "")
    assert not looks_binary(TEXT.encode("utf-8"))
    assert not looks_binary(TEXT.encode("utf-16-le"))
    assert not looks_binary(b"")
