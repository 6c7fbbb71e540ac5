"""Generator of malformed and hostile inputs (nothing checked in: every file is made here, from a seed).

``kinds()`` lists the generators; ``one_of_each(seed)`` makes one input of every small kind,
``big_cases(seed)`` the large ones (a 50 MB page, a file over the size limit), and ``generate(n, seed)``
draws ``n`` inputs over all small kinds for the acceptance run (``benchmarks/bench_malformed.py``).
Every input embeds a unique tag (its file name starts with it too), so that inputs differ in their bytes.
``account()`` matches a run's database to its inputs: every result the readers give for an input (its
id: documents are keyed by their bytes, so two inputs holding the same document share one row) must
have its row, and no row may come from nowhere.

``Case.results`` is how many results (documents + error rows) the readers must give for the file when
it is known up front (None for archives: one per record plus a possible error row).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024

ID_SENTENCES = [
    "Presiden Joko Widodo bertemu Perdana Menteri Malaysia di Istana Negara, Jakarta, Selasa (4/7/2017).",
    "Menteri Luar Negeri Retno Marsudi mengatakan bahwa Indonesia mendukung perundingan damai.",
    "\"Kami sepakat memperkuat kerja sama ekonomi kedua negara,\" kata Jokowi kepada wartawan.",
    "Tentara Suriah menyerang posisi oposisi di Aleppo pada 5 Januari 2020.",
    "Menurut dia, Iran dan Rusia akan menandatangani perjanjian baru di Teheran.",
    "Kementerian Luar Negeri RI mengecam serangan terhadap warga sipil di Gaza.",
]
EN_SENTENCES = [
    "Russian President Vladimir Putin met Iranian President Hassan Rouhani in Moscow on Tuesday.",
    "\"We agreed to expand cooperation,\" Putin told reporters after the talks.",
    "The United States imposed new sanctions on Iran, the Treasury Department said.",
    "According to the ministry, troops attacked rebel positions near Aleppo on Oct. 25, 2019.",
]


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # file name, "<tag>-...": its extension picks the reader
    data: bytes
    kind: str  # which generator made it
    results: int | None = 1  # results the readers must give (None: not known up front)


def _article(rng: random.Random, tag: str, n: int = 6, english: bool = False) -> str:
    pool = EN_SENTENCES if english else ID_SENTENCES
    lines = ["Jakarta - " + rng.choice(pool)] + [rng.choice(pool) for _ in range(n)]
    lines.insert(rng.randrange(1, len(lines)), f"Kode liputan {tag}.")
    return "\n\n".join(lines)


def _html(body: str, head: str = "<title>Berita</title>") -> str:
    return f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>"


def _gz(parts: list[bytes]) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, 31)  # one gzip member, written in pieces (bombs stay small)
    return b"".join([co.compress(p) for p in parts] + [co.flush()])


def _warc(records: list[tuple[str, bytes, str]], compress: bool = True) -> bytes:
    """A WARC file of (url, body, content type) response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=compress)
    for url, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


# ------------------------------------------------------------------------------------------- the kinds
def empty(rng: random.Random, tag: str) -> Case:
    # whitespace cannot carry the tag as text: its digits are spelt in spaces and tabs, so no two are alike
    bits = "".join(f"{ord(c):08b}" for c in tag).replace("0", " ").replace("1", "\t")
    ws = "".join(rng.choice(" \t\n\r\f\v") for _ in range(rng.randrange(0, 200)))
    return Case(f"{tag}-empty.txt", (ws + "\n" + bits).encode(), "empty")


def binary(rng: random.Random, tag: str) -> Case:
    return Case(f"{tag}-binary.{rng.choice(['txt', 'html'])}", rng.randbytes(rng.randrange(64, 20000)), "binary")


def magic(rng: random.Random, tag: str) -> Case:
    sig = rng.choice([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x1f\x8b\x08", b"\x7fELF", b"GIF89a"])
    return Case(f"{tag}-magic.txt", sig + tag.encode() + rng.randbytes(2000), "magic")


def nul_bytes(rng: random.Random, tag: str) -> Case:
    text = _article(rng, tag).encode()
    pos = sorted(rng.randrange(len(text)) for _ in range(rng.randrange(1, 50)))
    out = bytearray(text)
    for p in reversed(pos):
        out[p:p] = b"\x00"
    return Case(f"{tag}-nul.txt", bytes(out), "nul_bytes")


def invalid_utf8(rng: random.Random, tag: str) -> Case:
    text = bytearray(_article(rng, tag).encode())
    for _ in range(rng.randrange(1, 30)):
        bad = rng.choice([b"\xff", b"\xfe", b"\xc3(", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"])
        p = rng.randrange(len(text))
        text[p:p] = bad
    return Case(f"{tag}-invalid-utf8.txt", bytes(text), "invalid_utf8")


def utf16_no_bom(rng: random.Random, tag: str) -> Case:
    codec = rng.choice(["utf-16-le", "utf-16-be", "utf-32-le"])
    return Case(f"{tag}-utf16.txt", _article(rng, tag).encode(codec), "utf16_no_bom")


def mojibake(rng: random.Random, tag: str) -> Case:
    text = _article(rng, tag) + " Café naïve “kutipan” – 5 °C"
    data = text.encode("utf-8")
    for _ in range(rng.randrange(1, 3)):  # once or twice mis-decoded and re-encoded
        data = data.decode("cp1252", errors="replace").encode("utf-8")
    return Case(f"{tag}-mojibake.txt", data, "mojibake")


def wrong_charset(rng: random.Random, tag: str) -> Case:
    body = "".join(f"<p>{s}</p>" for s in _article(rng, tag).split("\n\n")) + "<p>Café – “naïve”</p>"
    page = _html(body).replace('charset="utf-8"', f'charset="{rng.choice(["iso-8859-1", "koi8-r", "x-bogus"])}"')
    return Case(f"{tag}-charset.html", page.encode(rng.choice(["utf-8", "cp1252", "utf-16"]), errors="replace"),
                "wrong_charset")


def deep_nesting(rng: random.Random, tag: str, depth: int = 10_000) -> Case:
    t = rng.choice(["div", "span", "b", "table><tr><td", "ul><li"])
    closing = "".join(f"</{x}>" for x in reversed(t.split("><")))
    inner = f"<p>{_article(rng, tag, 2)}</p>"
    body = f"<{t}>" * depth + inner + (closing * depth if rng.random() < 0.5 else "")
    return Case(f"{tag}-deep.html", _html(body).encode(), "deep_nesting")


def script_only(rng: random.Random, tag: str) -> Case:
    js = f"var k='{tag}';" + "document.write('<p>' + k + '</p>');" * rng.randrange(1, 2000)
    body = f"<script>{js}</script><style>p{{color:red}}</style><!-- {tag} --><noscript></noscript>"
    return Case(f"{tag}-script.html", _html(body, f"<script>{js}</script>").encode(), "script_only")


def long_line(rng: random.Random, tag: str, size: int = MB) -> Case:
    vocab = ["presiden", "bertemu", "menteri", "di", "jakarta", "kata", "dia", "bahwa", "iran", "dan", "rusia", "sepakat", "selasa", "oleh"]
    words, n = [tag], len(tag)
    while n < size:
        w = rng.choice(vocab)
        words.append(w)
        n += len(w) + 1
    return Case(f"{tag}-long-line.txt", " ".join(words).encode(), "long_line")


def long_word(rng: random.Random, tag: str) -> Case:
    return Case(f"{tag}-long-word.txt", (tag + "a" * rng.randrange(1000, 200_000)).encode(), "long_word")


def many_lines(rng: random.Random, tag: str, n: int = 50_000) -> Case:
    lines = [rng.choice(["Baca juga:", "Presiden", "-", "“", "Jakarta", "", "5/1"]) for _ in range(n)]
    return Case(f"{tag}-many-lines.txt", (tag + "\n" + "\n".join(lines)).encode(), "many_lines")


def quote_storm(rng: random.Random, tag: str, n: int = 20_000) -> Case:
    marks = ['"', "“", "”", "'", "‘", "’", "«", "»", "„", ","]
    parts = [rng.choice([*marks, "kata", "dia", "Presiden", "Iran", "said"]) for _ in range(rng.randrange(100, n))]
    return Case(f"{tag}-quotes.txt", (tag + " " + " ".join(parts)).encode(), "quote_storm")


def unicode_noise(rng: random.Random, tag: str) -> Case:
    zalgo = "".join(chr(rng.randrange(0x300, 0x370)) for _ in range(rng.randrange(10, 3000)))
    junk = "".join(rng.choice(["\u200b", "\u202e", "\ufeff", "\u2028", "\ud7ff", "\U0001f600", "\x1b", "\x7f"])
                   for _ in range(200))
    return Case(f"{tag}-unicode.txt", (_article(rng, tag) + "a" + zalgo + junk).encode("utf-8"), "unicode_noise")


def date_storm(rng: random.Random, tag: str, n: int = 5000) -> Case:
    forms = ["5 Januari 2020", "Selasa (4/7/2017)", "Oct. 25, 2019", "kemarin", "Senin lalu", "31/2/2020", "99/99"]
    return Case(f"{tag}-dates.txt", (tag + " " + " ".join(rng.choice(forms) for _ in range(n))).encode(),
                "date_storm")


def name_storm(rng: random.Random, tag: str, n: int = 20_000) -> Case:
    caps = ["Presiden", "Menteri", "Joko", "Widodo", "Iran", "Rusia", "Komisi", "I", "DPR", "RI", "Kementerian", "Luar", "Negeri", "Vladimir", "Putin"]
    return Case(f"{tag}-names.txt", (tag + " " + " ".join(rng.choice(caps) for _ in range(n))).encode(),
                "name_storm")


def truncated_utf8(rng: random.Random, tag: str) -> Case:
    data = (_article(rng, tag) + " “kutipan” café").encode()
    return Case(f"{tag}-truncated.txt", data[: len(data) - rng.randrange(1, 3)], "truncated_utf8")


def valid_article(rng: random.Random, tag: str) -> Case:
    english = rng.random() < 0.3
    if rng.random() < 0.5:
        return Case(f"{tag}-article.txt", _article(rng, tag, english=english).encode(), "valid_article")
    body = "".join(f"<p>{s}</p>" for s in _article(rng, tag, english=english).split("\n\n"))
    return Case(f"{tag}-article.html", _html(f"<article>{body}</article>").encode(), "valid_article")


def jsonl_broken(rng: random.Random, tag: str) -> Case:
    good = [json.dumps({"text": _article(rng, f"{tag}-{i}", 2), "url": f"http://x/{tag}/{i}"}) for i in range(3)]
    lines = [x.encode() for x in good] + [
        f'{{"text": "tidak tertutup {tag}'.encode(),  # broken JSON
        f'["{tag}", "an array, not a record"]'.encode(),
        json.dumps({"title": f"no body {tag}"}).encode(),
        json.dumps({"text": 5, "html": None, "id": tag + "-wrongtype"}).encode(),
        json.dumps({"text": f"Presiden bertemu menteri di Jakarta hari ini {tag} untuk membahas.",
                    "published": rng.choice(["kemarin", "2020-13-45", 20200105, {"y": 2020}, "2020-01-05T10:00Z"]),
                    "url": {"not": "a string"}, "id": [1, 2]}).encode(),
        json.dumps({"text": f"Lone surrogate \ud800 and NUL \u0000 in {tag}"}).encode(),  # escaped in the JSON
        b"[" * 100_000 + tag.encode(),  # nested too deep for the JSON parser
        b'{"text": "' + tag.encode() + b' \xff\xfe not utf-8"}',
        json.dumps({"html": f"<html><body><p>{tag}</p></body></html>", "path": f"{tag}-custom\u0000\ud800" + "p" * 5000}).encode(),
    ]
    rng.shuffle(lines)
    bom = codecs.BOM_UTF8 if rng.random() < 0.5 else b""
    return Case(f"{tag}-broken.jsonl", bom + b"\n".join(lines) + b"\n\n   \n", "jsonl_broken", results=len(lines))


def jsonl_empty(rng: random.Random, tag: str) -> Case:
    return Case(f"{tag}-empty.jsonl", b"\n" * rng.randrange(0, 5) + b"   " * rng.randrange(3), "jsonl_empty")


def warc_ok(rng: random.Random, tag: str) -> Case:
    recs = [(f"http://x/{tag}/{i}", _html(f"<p>{_article(rng, f'{tag}-{i}', 2)}</p>").encode(), "text/html")
            for i in range(rng.randrange(1, 4))]
    recs.append((f"http://x/{tag}/img", rng.randbytes(100), "image/png"))  # not a page: skipped silently
    return Case(f"{tag}-ok.warc.gz", _warc(recs), "warc_ok", results=None)


def warc_truncated(rng: random.Random, tag: str) -> Case:
    data = _warc([(f"http://x/{tag}/{i}", _html(f"<p>{_article(rng, f'{tag}-{i}', 2)}</p>").encode(), "text/html")
                  for i in range(3)])
    return Case(f"{tag}-truncated.warc.gz", data[: rng.randrange(len(data) // 3, len(data) - 10)], "warc_truncated",
                results=None)


def warc_corrupt(rng: random.Random, tag: str) -> Case:
    data = bytearray(_warc([(f"http://x/{tag}/{i}", _html(f"<p>{_article(rng, f'{tag}-{i}', 2)}</p>").encode(),
                             "text/html") for i in range(3)]))
    for _ in range(rng.randrange(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return Case(f"{tag}-corrupt.warc.gz", bytes(data), "warc_corrupt", results=None)


def warc_garbage(rng: random.Random, tag: str) -> Case:
    data = rng.choice([rng.randbytes(3000), b"WARC/1.0\r\n" + tag.encode() + b"\r\n\r\n", tag.encode() * 50,
                       gzip.compress(tag.encode() * 100)])
    return Case(f"{tag}-garbage.{rng.choice(['warc', 'warc.gz', 'arc.gz'])}", data, "warc_garbage", results=None)


def warc_no_html(rng: random.Random, tag: str) -> Case:
    return Case(f"{tag}-nohtml.warc.gz", _warc([(f"http://x/{tag}", b'{"a": 1}', "application/json")]),
                "warc_no_html")


def gzip_bomb(rng: random.Random, tag: str, size_mb: int = 100) -> Case:
    """A WARC whose gzip member inflates to ``size_mb`` MB: in a header line, an HTTP header or a body."""
    where = rng.choice(["header", "http", "body"])
    chunk = b"A" * MB
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/" + tag.encode() + b"\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (size_mb * MB))
    if where == "header":
        parts = [b"WARC/1.0\r\nX-Bomb-" + tag.encode() + b": "] + [chunk] * size_mb
    elif where == "http":
        parts = [head, b"HTTP/1.1 200 OK\r\nX-Bomb: "] + [chunk] * size_mb
    else:
        parts = [head, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>"] + [chunk] * size_mb
    return Case(f"{tag}-bomb-{where}.warc.gz", _gz(parts), "gzip_bomb", results=None)


# ------------------------------------------------------------------------------------------- large inputs
def big_page(rng: random.Random, tag: str, size: int = 50_000_000) -> Case:
    """A 50 MB HTML page (just under the 50 MiB input limit): processed, or a timeout row."""
    para = f"<p>{_article(rng, tag, 3)}</p>\n".encode()
    return Case(f"{tag}-big-page.html", (_html("").encode()[:-14] + para * (size // len(para)) + b"</body></html>"),
                "big_page")


def over_limit(rng: random.Random, tag: str) -> Case:
    return Case(f"{tag}-over-limit.txt", (tag + " ").encode() + b"kata " * (11 * MB), "over_limit")


Kind = Callable[[random.Random, str], Case]
SMALL: tuple[Kind, ...] = (
    empty, binary, magic, nul_bytes, invalid_utf8, utf16_no_bom, mojibake, wrong_charset, deep_nesting, script_only,
    long_line, long_word, many_lines, quote_storm, unicode_noise, date_storm, name_storm, truncated_utf8,
    valid_article, jsonl_broken, jsonl_empty, warc_ok, warc_truncated, warc_corrupt, warc_garbage, warc_no_html,
    gzip_bomb,
)
BIG: tuple[Kind, ...] = (big_page, over_limit)


def kinds() -> list[str]:
    return [k.__name__ for k in SMALL + BIG]


# Smaller sizes of the costly kinds for the CI suite (the acceptance run uses the full ones).
LIGHT: dict[str, dict[str, int]] = {"long_line": {"size": 100_000}, "many_lines": {"n": 5000},
                                    "quote_storm": {"n": 2000}, "date_storm": {"n": 500}, "name_storm": {"n": 2000},
                                    "gzip_bomb": {"size_mb": 60}}


def one_of_each(seed: int = 0, light: bool = False) -> list[Case]:
    rng = random.Random(seed)
    return [k(rng, f"s{seed}-{i:02d}", **(LIGHT.get(k.__name__, {}) if light else {}))  # type: ignore[call-arg]
            for i, k in enumerate(SMALL)]


def big_cases(seed: int = 0) -> list[Case]:
    rng = random.Random(seed)
    return [k(rng, f"b{seed}-{i:02d}") for i, k in enumerate(BIG)]


# Weights for the acceptance run: the costly kinds (1 MB lines, storms, bombs) are rarer, as in real crawls,
# so that 10,000 inputs fit in one sitting; every kind still appears many times.
WEIGHTS = {"long_line": 0.05, "deep_nesting": 0.2, "many_lines": 0.2, "gzip_bomb": 0.1, "name_storm": 0.2,
           "date_storm": 0.2, "quote_storm": 0.3}


def generate(n: int, seed: int = 0) -> Iterator[Case]:
    """``n`` inputs drawn over the small kinds (every kind at least once when n allows)."""
    rng = random.Random(seed)
    weights = [WEIGHTS.get(k.__name__, 1.0) for k in SMALL]
    for i in range(n):
        kind = SMALL[i] if i < len(SMALL) else rng.choices(SMALL, weights)[0]
        yield kind(rng, f"g{seed}-{i:05d}")


def write(cases: Iterator[Case] | list[Case], folder: Path) -> list[tuple[Path, Case]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for c in cases:
        p = folder / c.name
        p.write_bytes(c.data)
        out.append((p, c))
    return out


@dataclass
class Accounting:
    """What became of each input of a run, read back from the database."""

    inputs: int
    ids: int  # distinct document ids the inputs give (byte-identical documents share one)
    documents: int  # rows in ``documents``
    errors: Counter  # error rows by kind (error / skipped / timeout)
    reasons: Counter  # error rows by kind and reason prefix
    missing: list[str]  # inputs with a result that has no row
    extra: list[str]  # rows that come from no input
    miscounted: list[str]  # inputs that gave another number of results than their Case says

    @property
    def rows(self) -> int:
        return self.documents + sum(self.errors.values())

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.miscounted) and self.rows == self.ids


def expected_ids(path: Path) -> list[str]:
    """The ids of the results the readers give for one input (decoding and steps keep them)."""
    from warta.pipeline import Failure
    from warta.readers import read_inputs

    return [r.doc_id if isinstance(r, Failure) else r.id for r in read_inputs([path], lazy=True)]


def account(written: list[tuple[Path, Case]], db: Path) -> Accounting:
    """Match the database to the inputs: every result of every input has its row, and no row is extra."""
    from warta.store import Store

    with Store(db, read_only=True) as store:
        docs = {r[0] for r in store.query("SELECT id FROM documents")[1]}
        errs = store.query("SELECT doc_id, kind, reason FROM errors")[1]
    in_db = docs | {d for d, _, _ in errs}
    reasons = Counter(f"{kind}: {reason.split(':', 1)[0]}" for _, kind, reason in errs)
    every: set[str] = set()
    missing, miscounted = [], []
    for path, case in written:
        ids = expected_ids(path)
        every.update(ids)
        if not set(ids) <= in_db:
            missing.append(case.name)
        if case.results is not None and len(ids) != case.results:
            miscounted.append(f"{case.name}: {len(ids)} results, expected {case.results}")
    return Accounting(len(written), len(every), len(docs), Counter(k for _, k, _ in errs), reasons, missing,
                      sorted(in_db - every)[:20], miscounted)
