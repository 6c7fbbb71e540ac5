"""Property-based tests (hypothesis) of the steps that read outside text: the cleaner, the date parser, the
entity finder, the quote finder, the event coder and the readers. For any input: no exception escapes,
every span's offsets point at its text (``text[start:end] == span.text``), and what is idempotent by
design stays so. Example counts are moderate so the CI suite stays fast."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from warta.document import Document
from warta.pipeline import Failure, Pending
from warta.readers import read_inputs

# Words that trigger the extractors (names, titles, places, speech verbs, triggers, calendar words),
# glue that changes their meaning (quote marks, commas, line breaks), and noise.
VOCAB = [
    "Presiden", "Joko", "Widodo", "Jokowi", "Menteri", "Luar", "Negeri", "Retno", "Marsudi", "Iran", "Rusia",
    "Indonesia", "Amerika", "Serikat", "Jakarta", "Teheran", "Moskow", "Komisi", "I", "DPR", "RI", "TNI",
    "Vladimir", "Putin", "Russia", "China", "Foreign", "Ministry", "President", "the", "minister",
    "kata", "ujarnya", "mengatakan", "menurut", "said", "told", "according", "to", "bahwa", "that",
    "bertemu", "menyerang", "sepakat", "kerja", "sama", "met", "attacked", "agreed", "sanksi", "dengan",
    "dan", "di", "oleh", "dia", "ia", "mereka", "kedua", "negara", "tentara", "pemerintah", "police",
    "Selasa", "kemarin", "Senin", "lalu", "hari", "ini", "Januari", "2020", "5", "4/7/2017", "Oct.", "25,",
    "(4/7)", "(mm/alalam)", "Baca", "juga:", "-", "–", ",", ".", ":", ";", "!", "?", "\"", "“", "”", "'", "‘",
    "’", "(", ")", "\n", "\n\n", "é", "Ã©", "\u200b", "\u0301", "\ufeff",
]

words = st.lists(st.sampled_from(VOCAB), max_size=60).map(lambda ws: " ".join(ws))
noise = st.text(max_size=40)
news_text = st.one_of(words, st.tuples(words, noise, words).map(lambda t: "".join(t)))

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_spans(text: str, spans: list, what: str) -> None:
    for sp in spans:
        assert 0 <= sp.start <= sp.end <= len(text), (what, sp)
        assert text[sp.start:sp.end] == sp.text, (what, sp)


@SETTINGS
@given(news_text)
@example("He met the Russia")  # the last token ends a pattern slot: was an IndexError
@example("Anggota Komisi I")
def test_entities_never_raise_and_offsets_hold(text: str) -> None:
    from warta.extract.entities import find_entities

    for lang in ("id", "en"):
        ents, _ = find_entities(text, language=lang, date="2020-01-05")
        _check_spans(text, ents, "entity")


@SETTINGS
@given(news_text)
def test_default_steps_never_fail_on_any_text(text: str) -> None:
    """Only deliberate skips (language, nothing left after cleaning); never an error row."""
    from warta.steps import default_pipeline

    res = default_pipeline(time_limit=None).process(Document(id="p", text=text, raw=text))
    assert isinstance(res, Document) or res.kind == "skipped", res
    if isinstance(res, Document):
        _check_all(res)


def _check_all(doc: Document) -> None:
    text = doc.text
    _check_spans(text, doc.entities, "entity")
    _check_spans(text, doc.dates, "date")
    _check_spans(text, doc.quotes, "quote")
    for q in doc.quotes:
        if q.cue is not None and q.cue.end > q.cue.start:
            _check_spans(text, [q.cue], "cue")
        sp = q.speaker
        if sp is not None and sp.start is not None and sp.end is not None:
            assert text[sp.start:sp.end] == sp.text, ("speaker", sp)
    for ev in doc.events:
        _check_spans(text, [ev.trigger, *ev.mentions], "trigger")
        assert 0 <= ev.sentence.start < ev.sentence.end <= len(text)
        assert ev.sentence.start <= ev.trigger.start and ev.trigger.end <= ev.sentence.end
        for a in (ev.source, ev.target):
            if a is not None and a.start is not None and a.end is not None:
                assert text[a.start:a.end] == a.text, ("actor", a)
    for s, e in doc.sentences:
        assert 0 <= s < e <= len(text) and text[s:e] == text[s:e].strip()
    if doc.dateline is not None and doc.dateline.start is not None:
        assert text[doc.dateline.start:doc.dateline.end] == doc.dateline.text


@SETTINGS
@given(news_text, st.sampled_from(["id", "en", None]), st.sampled_from([None, "2020-01-05", "kemarin", "2020-02-30"]))
def test_dates_never_raise_offsets_hold_values_are_iso(text: str, lang: str | None, published: str | None) -> None:
    from datetime import date

    from warta.nlp.dates import find_dates

    mentions, pub, _ = find_dates(text, lang, published)
    _check_spans(text, mentions, "date")
    for v in [m.value for m in mentions] + [pub]:
        assert v is None or date.fromisoformat(v).isoformat() == v


@SETTINGS
@given(news_text, st.sampled_from(["id", "en"]))
def test_quotes_and_events_offsets_hold(text: str, lang: str) -> None:
    from warta.extract.entities import find_entities
    from warta.extract.events import code_events
    from warta.extract.quotes import find_quotes
    from warta.nlp.dates import find_dates
    from warta.nlp.text import sentences

    doc = Document(id="q", text=text, language=lang, sentences=sentences(text))
    doc.dates = find_dates(text, lang)[0]
    doc.entities = find_entities(text, language=lang)[0]
    doc.quotes = find_quotes(doc, language=lang)
    doc.events = code_events(doc, lang)
    _check_all(doc)


lines_text = st.lists(st.one_of(words, st.sampled_from(["Baca juga: Presiden bertemu menteri", "SHARE THIS:",
                                                         "Leave a Reply", "(mm/alalam)", "", "  ", "Populer",
                                                         "Editor: Ani", "Komentar"])),
                      max_size=12).map("\n".join)


@SETTINGS
@given(st.one_of(lines_text, news_text))
def test_cleaning_is_idempotent_and_only_removes(text: str) -> None:
    from warta.clean.boilerplate import clean_text

    once = clean_text(text)
    assert clean_text(once.text).text == once.text  # cleaning clean text changes nothing
    assert len(once.text) <= len(text)
    # kept lines are never rewritten: each is (the start of) a line of the input
    originals = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for line in once.text.split("\n"):
        assert not line or any(o.startswith(line) for o in originals), line


@SETTINGS
@given(st.binary(max_size=3000) | news_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | news_text.map(lambda t: t.encode("cp1252", "replace")) | news_text.map(lambda t: t.encode("utf-16-le")))
def test_decoding_any_bytes_gives_clean_text(data: bytes) -> None:
    import unicodedata

    from warta.clean.encoding import decode_bytes, looks_binary

    looks_binary(data)
    text = decode_bytes(data)
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in text) and "\r" not in text
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)  # storable as UTF-8
    assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".html", ".jsonl", ".warc", ".warc.gz", ".urls"]))
def test_readers_take_any_bytes_and_lazy_agrees_with_eager(tmp_path_factory: pytest.TempPathFactory,
                                                          data: bytes, ext: str) -> None:
    f = tmp_path_factory.mktemp("r") / f"x{ext}"
    f.write_bytes(data)
    eager = list(read_inputs([f]))
    lazy = list(read_inputs([f], lazy=True))
    assert eager and len(eager) == len(lazy)  # every file gives at least one row
    for e, z in zip(eager, lazy, strict=True):
        if isinstance(z, Pending):
            z = z.load()
        assert type(e) is type(z) and e.path == z.path
        if isinstance(e, Failure):
            assert e.reason and e.kind in ("error", "skipped") and e.doc_id == z.doc_id
        else:
            assert (e.id, e.text, e.html, e.url, e.published) == (z.id, z.text, z.html, z.url, z.published)


@SETTINGS
@given(st.lists(st.fixed_dictionaries({}, optional={
    "text": st.one_of(news_text, st.integers(), st.none()), "html": st.one_of(news_text, st.none()),
    "url": st.one_of(st.text(max_size=30), st.integers(), st.none()), "id": st.one_of(st.text(max_size=10), st.none()),
    "published": st.one_of(st.text(max_size=25), st.dates().map(str), st.integers()),
}), max_size=6))
def test_jsonl_records_become_documents_or_rows_with_safe_values(records: list[dict]) -> None:
    from datetime import date

    from warta.readers import read_jsonl

    data = "\n".join(json.dumps(r) for r in records).encode()
    got = list(read_jsonl(data, "x.jsonl"))
    assert len(got) == len(records)
    for r in got:
        if isinstance(r, Document):
            assert r.published is None or date.fromisoformat(r.published).isoformat() == r.published
            for v in (r.url, r.id, r.path):
                assert v is None or (isinstance(v, str) and not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in v))
