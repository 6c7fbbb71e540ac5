"""URL lists: off by default (an error row per URL), fetched pages become HTML documents. No network:
the downloader is replaced in every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta import fetch
from warta.document import Document
from warta.jobs import extract
from warta.pipeline import Failure
from warta.readers import read_inputs

PAGE = (b"<html><head><title>Uji</title></head><body><article><p>Menteri Luar Negeri Indonesia bertemu "
        b"Menteri Luar Negeri Malaysia di Jakarta pada Selasa untuk membahas perbatasan laut kedua negara."
        b"</p></article></body></html>")


@pytest.fixture
def url_list(tmp_path: Path) -> Path:
    p = tmp_path / "halaman.urls"
    p.write_text("# daftar\n\nhttps://contoh.id/a\nftp://contoh.id/b\nhttps://contoh.id/c\n", encoding="utf-8")
    return p


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def fake(url: str) -> tuple[bytes | None, str]:
        asked.append(url)
        return (PAGE, "") if url.endswith("/a") else (None, "HTTP status 404")

    monkeypatch.setattr(fetch, "fetch_bytes", fake)
    return asked


def test_fetching_is_off_by_default(url_list: Path, no_network: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(fetch.FETCH_ENV, raising=False)
    out = list(read_inputs([url_list]))
    assert no_network == []
    assert [type(x) for x in out] == [Failure] * 3
    assert "fetching is off" in out[0].reason and out[0].path.endswith(":3")  # type: ignore[union-attr]
    assert "not an http(s) URL" in out[1].reason  # type: ignore[union-attr]


def test_fetched_pages_are_html_documents_and_failures_are_rows(url_list: Path, no_network: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.FETCH_ENV, "1")
    out = list(extract([url_list]))
    assert no_network == ["https://contoh.id/a", "https://contoh.id/c"]
    docs = [x for x in out if isinstance(x, Document)]
    fails = [x for x in out if isinstance(x, Failure)]
    assert len(docs) == 1 and len(fails) == 2
    assert docs[0].url == "https://contoh.id/a" and "bertemu" in docs[0].text
    assert any(e.type == "CONSULT" for e in docs[0].events)
    assert any("404" in f.reason for f in fails)


def test_cli_fetch_flag_sets_the_environment(url_list: Path, no_network: list[str],
                                              monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from warta.cli import main

    monkeypatch.setenv(fetch.FETCH_ENV, "0")  # recorded, so the flag's change is undone after the test
    main(["extract", str(url_list)])
    assert no_network == []
    main(["extract", "--fetch", str(url_list)])
    assert no_network == ["https://contoh.id/a", "https://contoh.id/c"]
    assert '"url": "https://contoh.id/a"' in capsys.readouterr().out
