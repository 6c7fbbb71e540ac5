from __future__ import annotations

import json

from warta.document import (
    SCHEMA,
    Actor,
    Dateline,
    DateMention,
    Document,
    Entity,
    Event,
    Place,
    Quote,
    Span,
    Speaker,
)


def make_doc() -> Document:
    text = "Teheran - Ali Shamkhani menelepon Nikolai Patrushev, Selasa (4/7/2017). “Kami siap,” katanya."
    def at(s: str) -> tuple[int, int]:
        i = text.index(s)
        return i, i + len(s)
    a, b = at("Ali Shamkhani")
    c, d = at("Nikolai Patrushev")
    t0, t1 = at("menelepon")
    q0, q1 = at("Kami siap,")
    d0, d1 = at("Selasa (4/7/2017)")
    return Document(
        id="x", text=text, path="a.txt", site="Example.com", language="id", published="2017-07-05",
        published_inferred=True, dateline=Dateline("Teheran", Place("Tehran", "IRN", 35.69, 51.42), 0, 7),
        boilerplate=["SHARE THIS:"],
        entities=[Entity(a, b, "Ali Shamkhani", "PER", "Ali Shamkhani", "IRNGOV", "IRN", "p1"),
                  Entity(c, d, "Nikolai Patrushev", "PER", "Nikolai Patrushev", "RUSGOV", "RUS", "p2")],
        events=[Event("CONSULT", "041", Span(t0, t1, "menelepon"), Span(10, 70),
                      Actor("Ali Shamkhani", "IRNGOV", "IRN", "Ali Shamkhani", a, b),
                      Actor("Nikolai Patrushev", "RUSGOV", "RUS", None, c, d), 1.0, 1, "2017-07-04")],
        quotes=[Quote(q0, q1, "Kami siap,", "direct", Speaker("katanya", "Ali Shamkhani", "IRNGOV", "IRN"))],
        dates=[DateMention(d0, d1, "Selasa (4/7/2017)", "2017-07-04")],
    )


def test_document_record_has_spec_shape_and_round_trips() -> None:
    doc = make_doc()
    rec = doc.to_record()
    assert rec["schema"] == SCHEMA
    assert set(rec) >= {"id", "source", "language", "title", "published", "published_inferred", "dateline",
                        "text", "boilerplate", "entities", "events", "quotes", "dates"}
    assert rec["dateline"]["place"] == {"name": "Tehran", "country": "IRN", "lat": 35.69, "lon": 51.42}
    ev = rec["events"][0]
    assert ev["trigger"]["text"] == "menelepon" and ev["source"]["country"] == "IRN" and ev["cameo"] == "041"
    json.dumps(rec)  # serialisable
    again = Document.from_record(rec)
    assert again.to_record() == rec


def test_document_offset_errors_finds_bad_spans() -> None:
    doc = make_doc()
    assert doc.offset_errors() == []
    doc.entities[0].start += 1
    doc.quotes[0].text = "Kami"
    errs = doc.offset_errors()
    assert len(errs) == 2 and errs[0].startswith("entity") and errs[1].startswith("quote")
