"""Response shapes of the API (pydantic), so ``/openapi.json`` documents every field and schemathesis can check them.

Dates are ``YYYY-MM-DD`` strings (or null); offsets are character offsets into the document's ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

ErrorCode = Literal["not_found", "bad_request", "validation_error", "timeout", "internal"]


class ErrorDetail(BaseModel):
    status: int
    code: ErrorCode
    message: str


class ErrorBody(BaseModel):
    """The one shape of every error response."""

    error: ErrorDetail


class Event(BaseModel):
    event_id: str
    doc_id: str
    date: str | None
    type: str | None
    cameo: str | None
    goldstein: float | None
    quad_class: int | None
    source_text: str | None
    source_actor: str | None
    source_country: str | None
    target_text: str | None
    target_actor: str | None
    target_country: str | None
    location_name: str | None
    location_country: str | None
    lat: float | None
    lon: float | None
    trigger_text: str | None
    trigger_start: int | None
    trigger_end: int | None
    sentence_start: int | None
    sentence_end: int | None
    negated: bool | None
    mode: str | None
    claimed_by: str | None
    n_mentions: int | None
    title: str | None
    site: str | None


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class EventPage(Page):
    items: list[Event]


class Mention(BaseModel):
    start: int
    end: int
    text: str | None
    sentence_start: int | None
    sentence_end: int | None


class DocumentRef(BaseModel):
    id: str | None
    title: str | None
    url: str | None
    site: str | None
    published: str | None


class EventDetail(BaseModel):
    event: Event
    mentions: list[Mention]
    document: DocumentRef


class DocumentSummary(BaseModel):
    id: str
    title: str | None
    url: str | None
    site: str | None
    language: str | None
    published: str | None
    n_entities: int | None
    n_events: int | None
    n_quotes: int | None


class DocumentPage(Page):
    items: list[DocumentSummary]


class Place(BaseModel):
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Dateline(BaseModel):
    text: str
    start: int | None = None
    end: int | None = None
    place: Place | None = None


class EntitySpan(BaseModel):
    start: int
    end: int
    text: str
    type: str | None
    canonical: str | None
    actor: str | None
    country: str | None


class Span(BaseModel):
    start: int | None
    end: int | None
    text: str | None = None


class Sentence(BaseModel):
    start: int
    end: int


class ActorRef(BaseModel):
    """An event side; ``start``/``end`` are given when the actor is a span of the text."""

    text: str | None
    actor: str | None
    country: str | None
    start: int | None = None
    end: int | None = None


class DocumentEvent(BaseModel):
    event_id: str
    type: str | None
    cameo: str | None
    trigger: Span
    sentence: Sentence | None
    source: ActorRef | None
    target: ActorRef | None
    date: str | None
    location: Place | None


class Speaker(ActorRef):
    canonical: str | None


class QuoteSpan(BaseModel):
    start: int
    end: int
    text: str
    kind: str | None
    speaker: Speaker | None


class DateSpan(BaseModel):
    start: int
    end: int
    text: str
    value: str | None


class DocumentDetail(BaseModel):
    id: str
    title: str | None
    url: str | None
    site: str | None
    language: str | None
    published: str | None
    published_inferred: bool | None
    dateline: Dateline | None
    text: str
    entities: list[EntitySpan]
    events: list[DocumentEvent]
    quotes: list[QuoteSpan]
    dates: list[DateSpan]


class Actor(BaseModel):
    actor: str
    name: str | None
    country: str | None
    n_events: int


class ActorPage(Page):
    items: list[Actor]


class Quote(BaseModel):
    doc_id: str
    start: int
    end: int
    text: str
    kind: str | None
    speaker_text: str | None
    speaker_canonical: str | None
    speaker_actor: str | None
    speaker_country: str | None
    title: str | None


class QuotePage(Page):
    items: list[Quote]


class Totals(BaseModel):
    documents: int
    events: int
    quotes: int
    entities: int
    errors: int


class DayType(BaseModel):
    date: str
    type: str | None
    n: int


class Stats(BaseModel):
    totals: Totals
    by_day_type: list[DayType]


class Node(BaseModel):
    id: str
    n: int


class Edge(BaseModel):
    source: str
    target: str
    n: int
    goldstein_mean: float | None


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]


class Location(BaseModel):
    name: str | None
    country: str | None
    lat: float
    lon: float
    n: int


class LocationPage(Page):
    items: list[Location]
