"""The one record type: a Document and the spans it carries.

Every span (entity, event trigger, quote, date mention) holds ``start``/``end``
character offsets into ``Document.text`` and the exact ``text`` they cover.
``Document.to_record()`` produces the JSON of ``shared/gold/SPEC.md``
(schema ``warta.document/1``); nothing else defines that shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "warta.document/1"


def sha1_hex(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass(slots=True)
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    @classmethod
    def from_record(cls, r: dict | None) -> Place | None:
        if not r:
            return None
        return cls(r.get("name") or "", r.get("country"), r.get("lat"), r.get("lon"))


@dataclass(slots=True)
class Dateline:
    text: str
    place: Place | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Entity:
    start: int
    end: int
    text: str
    type: str  # PER | ORG | LOC (MISC allowed for non-scored spans)
    canonical: str | None = None
    actor: str | None = None
    country: str | None = None
    kb_id: str | None = None
    role: str | None = None  # the role that produced ``actor`` (e.g. "Secretary of the SNSC")
    method: str | None = None  # how it was found: gazetteer, fuzzy, title, pattern, short-form


@dataclass(slots=True)
class Actor:
    """One side of an event: the words that name it and what they resolve to."""

    text: str
    actor: str | None = None
    country: str | None = None
    canonical: str | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_record(cls, r: dict | None) -> Actor | None:
        if not r:
            return None
        return cls(r.get("text") or "", r.get("actor"), r.get("country"), r.get("canonical"),
                   r.get("start"), r.get("end"))


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str = ""


@dataclass(slots=True)
class Event:
    type: str  # PLOVER type
    cameo: str
    trigger: Span
    sentence: Span
    source: Actor | None = None
    target: Actor | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    date: str | None = None
    location: Place | None = None
    negated: bool = False
    mode: str | None = None  # None (asserted) | "future" | "hypothetical"
    claimed_by: str | None = None
    mentions: list[Span] = field(default_factory=list)  # other triggers supporting the same event


@dataclass(slots=True)
class Speaker:
    text: str
    canonical: str | None = None
    actor: str | None = None
    country: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # direct | indirect
    speaker: Speaker | None = None
    cue: Span | None = None


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str | None  # ISO date
    relative: bool = False


@dataclass(slots=True)
class Document:
    id: str
    text: str
    raw: str = ""  # the decoded input before cleaning (not written to records)
    html: str | None = None
    path: str | None = None
    url: str | None = None
    site: str | None = None
    language: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_inferred: bool = False
    dateline: Dateline | None = None
    boilerplate: list[str] = field(default_factory=list)
    source_code: str | None = None  # editor/wire code such as "alalam" from "(mm/alalam)"
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    duplicate_of: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes, text: str, **kw: Any) -> Document:
        return cls(id=sha1_hex(data), text=text, raw=text, **kw)

    # ------------------------------------------------------------------ records
    def to_record(self) -> dict:
        def place(p: Place | None) -> dict | None:
            return None if p is None else asdict(p)

        def actor(a: Actor | None) -> dict | None:
            if a is None:
                return None
            d = {"text": a.text, "actor": a.actor, "country": a.country}
            if a.canonical:
                d["canonical"] = a.canonical
            if a.start is not None:
                d["start"], d["end"] = a.start, a.end
            return d

        dl = None
        if self.dateline is not None:
            dl = {"text": self.dateline.text, "place": place(self.dateline.place)}
            if self.dateline.start is not None:
                dl["start"], dl["end"] = self.dateline.start, self.dateline.end
        return {
            "schema": SCHEMA,
            "id": self.id,
            "source": {"path": self.path, "url": self.url, "site": self.site, "code": self.source_code},
            "language": self.language,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "published_inferred": self.published_inferred,
            "dateline": dl,
            "text": self.text,
            "boilerplate": list(self.boilerplate),
            "duplicate_of": self.duplicate_of,
            "warnings": list(self.warnings),
            "entities": [asdict(e) for e in self.entities],
            "events": [
                {
                    "type": e.type, "cameo": e.cameo, "goldstein": e.goldstein, "quad_class": e.quad_class,
                    "source": actor(e.source), "target": actor(e.target),
                    "date": e.date, "location": place(e.location),
                    "trigger": asdict(e.trigger),
                    "sentence": {"start": e.sentence.start, "end": e.sentence.end},
                    "negated": e.negated, "mode": e.mode, "claimed_by": e.claimed_by,
                    "mentions": [asdict(m) for m in e.mentions],
                }
                for e in self.events
            ],
            "quotes": [
                {
                    "start": q.start, "end": q.end, "text": q.text, "kind": q.kind,
                    "speaker": None if q.speaker is None else asdict(q.speaker),
                    "cue": None if q.cue is None else asdict(q.cue),
                }
                for q in self.quotes
            ],
            "dates": [asdict(d) for d in self.dates],
        }

    @classmethod
    def from_record(cls, r: dict) -> Document:
        text = r.get("text") or ""
        src = r.get("source") or {}
        dl = r.get("dateline")

        def span(d: dict | None) -> Span:
            d = d or {}
            s, e = d.get("start", 0), d.get("end", 0)
            return Span(s, e, d.get("text", text[s:e]))

        return cls(
            id=r.get("id") or "",
            text=text,
            path=src.get("path"), url=src.get("url"), site=src.get("site"), source_code=src.get("code"),
            language=r.get("language"), title=r.get("title"), author=r.get("author"),
            published=r.get("published"), published_inferred=bool(r.get("published_inferred")),
            dateline=None if not dl else Dateline(dl.get("text") or "", Place.from_record(dl.get("place")),
                                                   dl.get("start"), dl.get("end")),
            boilerplate=list(r.get("boilerplate") or []),
            duplicate_of=r.get("duplicate_of"),
            warnings=list(r.get("warnings") or []),
            entities=[Entity(**e) for e in r.get("entities") or []],
            events=[
                Event(
                    type=e["type"], cameo=e.get("cameo") or "", trigger=span(e.get("trigger")),
                    sentence=span(e.get("sentence")), source=Actor.from_record(e.get("source")),
                    target=Actor.from_record(e.get("target")), goldstein=e.get("goldstein"),
                    quad_class=e.get("quad_class"), date=e.get("date"),
                    location=Place.from_record(e.get("location")), negated=bool(e.get("negated")),
                    mode=e.get("mode"), claimed_by=e.get("claimed_by"),
                    mentions=[span(m) for m in e.get("mentions") or []],
                )
                for e in r.get("events") or []
            ],
            quotes=[
                Quote(q["start"], q["end"], q["text"], q.get("kind") or "direct",
                      None if not q.get("speaker") else Speaker(**q["speaker"]),
                      None if not q.get("cue") else Span(**q["cue"]))
                for q in r.get("quotes") or []
            ],
            dates=[DateMention(**d) for d in r.get("dates") or []],
        )

    # --------------------------------------------------------------- provenance
    def offset_errors(self) -> list[str]:
        """Every span whose offsets do not reproduce its text (empty when the record is honest)."""
        t, bad = self.text, []

        def check(kind: str, s: int | None, e: int | None, txt: str) -> None:
            if s is None or e is None:
                return
            if not (0 <= s <= e <= len(t)) or t[s:e] != txt:
                bad.append(f"{kind}[{s}:{e}] {txt!r} != {t[s:e] if 0 <= s <= e <= len(t) else None!r}")

        for x in self.entities:
            check("entity", x.start, x.end, x.text)
        for d in self.dates:
            check("date", d.start, d.end, d.text)
        for q in self.quotes:
            check("quote", q.start, q.end, q.text)
            if q.speaker is not None:
                check("speaker", q.speaker.start, q.speaker.end, q.speaker.text)
        for ev in self.events:
            check("trigger", ev.trigger.start, ev.trigger.end, ev.trigger.text)
            for a in (ev.source, ev.target):
                if a is not None:
                    check("actor", a.start, a.end, a.text)
            for m in ev.mentions:
                check("mention", m.start, m.end, m.text)
        if self.dateline is not None:
            check("dateline", self.dateline.start, self.dateline.end, self.dateline.text)
        return bad
