"""The default steps, in order: each is a small ``Document -> Document`` function.

    html → clean → dedup → dateline → language → sentences → dates → entities → quotes → events

Each step reads what the steps before it added; none opens a database or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from warta.dedup import NearDuplicates
from warta.document import Dateline, Document
from warta.pipeline import DEFAULT_TIME_LIMIT, Pipeline, SkipDocument, Step

DEFAULT_LANGUAGES = ("id", "en", "ms")
MIN_CHARS = 20


def html_step(doc: Document) -> Document:
    """HTML pages: trafilatura body and metadata (the text then goes through the cleaner)."""
    if doc.html is None:
        return doc
    from warta.clean.html import extract_html

    res = extract_html(doc.html, url=doc.url)
    doc.text = doc.raw = res.text or ""
    doc.title = doc.title or res.title
    doc.published = doc.published or res.published
    doc.site = doc.site or res.site
    doc.author = doc.author or res.author
    doc.url = doc.url or res.url
    if not doc.language and res.language:
        doc.language = res.language
    return doc


def clean_step(doc: Document) -> Document:
    from warta.clean.boilerplate import clean_text

    res = clean_text(doc.text)
    doc.text = res.text
    doc.boilerplate.extend(res.boilerplate)
    doc.source_code = doc.source_code or res.source_code
    if len(doc.text.strip()) < MIN_CHARS:
        raise SkipDocument("no article text: nothing left after cleaning")
    return doc


def dateline_step(doc: Document) -> Document:
    from warta.clean.dateline import find_dateline
    from warta.kb import load_kb

    m = find_dateline(doc.text)
    if m is None:
        return doc
    doc.dateline = Dateline(m.text, load_kb().place(m.text.split(",")[0].strip()), m.start, m.end)
    doc.site = doc.site or m.site
    if m.date and not doc.published:
        doc.published = m.date
    return doc


def language_step(doc: Document, allowed: Sequence[str] = DEFAULT_LANGUAGES) -> Document:
    from warta.clean.language import detect_language

    lang, _conf = detect_language(doc.text, allowed=tuple(allowed))
    if lang is None:
        raise SkipDocument(f"language: not one of {','.join(allowed)}")
    doc.language = lang
    return doc


def sentences_step(doc: Document) -> Document:
    from warta.nlp.text import sentences

    doc.sentences = sentences(doc.text)
    return doc


def dates_step(doc: Document) -> Document:
    from warta.nlp.dates import find_dates

    doc.dates, published, inferred = find_dates(doc.text, doc.language, doc.published)
    if not doc.published and published:
        doc.published, doc.published_inferred = published, inferred
    return doc


def entities_step(doc: Document) -> Document:
    from warta.extract.entities import find_entities

    doc.entities, warnings = find_entities(doc.text, language=doc.language or "id", date=doc.published)
    doc.warnings.extend(warnings)
    return doc


def quotes_step(doc: Document) -> Document:
    from warta.extract.quotes import find_quotes

    doc.quotes = find_quotes(doc, language=doc.language)
    return doc


def events_step(doc: Document) -> Document:
    from warta.extract.events import code_events

    doc.events = code_events(doc, doc.language)
    return doc


def default_steps(languages: Sequence[str] = DEFAULT_LANGUAGES) -> list[Step]:
    return [
        Step("html", html_step, reads=("html",), adds=("text", "title", "published", "site")),
        Step("clean", clean_step, reads=("text",), adds=("text", "boilerplate", "source_code")),
        Step("dedup", NearDuplicates(), reads=("text",), adds=("duplicate_of",), stateful=True),
        Step("dateline", dateline_step, reads=("text",), adds=("dateline", "site")),
        Step("language", partial(language_step, allowed=tuple(languages)), reads=("text",), adds=("language",)),
        Step("sentences", sentences_step, reads=("text",), adds=("sentences",)),
        Step("dates", dates_step, reads=("text", "published"), adds=("dates", "published")),
        Step("entities", entities_step, reads=("text", "published"), adds=("entities", "warnings")),
        Step("quotes", quotes_step, reads=("text", "sentences", "entities"), adds=("quotes",)),
        Step("events", events_step, reads=("text", "sentences", "entities", "dates", "quotes"), adds=("events",)),
    ]


# Run once through the steps before the first document under a time limit: they load the data files,
# the KB, lingua's models and dateparser's tables for each language and page kind (see warta.pipeline).
WARM_UP = (
    Document(id="warm-up:id", text="Jakarta - Presiden Joko Widodo bertemu Perdana Menteri Malaysia di Istana, "
             "Selasa (4/7/2017). \"Kami sepakat bekerja sama,\" kata Jokowi kepada wartawan. Menurut dia, "
             "Indonesia dan Malaysia akan menandatangani perjanjian pada 5 Januari 2018."),
    Document(id="warm-up:en", text="Moscow - Russian President Vladimir Putin met Iranian President Hassan Rouhani "
             "on Tuesday, Oct. 25, 2019. \"We agreed to cooperate,\" Putin told reporters. The ministry said "
             "the two countries would sign a treaty."),
    Document(id="warm-up:html", text="", html="<html lang=\"id\"><head><title>Warta</title></head><body><article>"
             "<p>Jakarta - Menteri Luar Negeri Retno Marsudi bertemu Duta Besar Jepang di Jakarta pada Senin.</p>"
             "</article></body></html>"),
)


def default_pipeline(languages: Sequence[str] = DEFAULT_LANGUAGES,
                     time_limit: float | None = DEFAULT_TIME_LIMIT) -> Pipeline:
    """The default steps; ``time_limit``: seconds per document (None: no limit)."""
    return Pipeline(default_steps(languages), time_limit=time_limit, warm_up=WARM_UP)
