"""Steps, the pipeline that orders them, and the run summary.

A step is a named callable ``Document -> Document``. It never opens the
database, never prints and never decides where it runs; executors do that.
A step that raises fails only the document it was given: the executor
records a :class:`Failure` with the step's name and the reason, and the
batch goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from warta.document import Document


class SkipDocument(Exception):
    """Raised by a step to drop a document on purpose (wrong language, empty body)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Step:
    name: str
    fn: Callable[[Document], Document]
    reads: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()

    def __call__(self, doc: Document) -> Document:
        return self.fn(doc)


@dataclass(slots=True)
class Failure:
    """A document that could not be processed; becomes a row of the ``errors`` table."""

    doc_id: str
    path: str | None
    step: str
    reason: str
    skipped: bool = False  # True for deliberate skips (language, empty), False for errors

    @property
    def kind(self) -> str:
        return "skipped" if self.skipped else "error"


@dataclass(slots=True)
class Summary:
    read: int = 0
    written: int = 0
    failed: Counter = field(default_factory=Counter)  # reason -> count
    events: int = 0
    quotes: int = 0
    entities: int = 0
    seconds: float = 0.0

    def add_doc(self, doc: Document) -> None:
        self.written += 1
        self.events += len(doc.events)
        self.quotes += len(doc.quotes)
        self.entities += len(doc.entities)

    def add_failure(self, f: Failure) -> None:
        self.failed[f"{f.kind}: {f.reason.split(':', 1)[0]}"] += 1

    def add(self, result: Document | Failure) -> None:
        """Count one processed input, whatever became of it."""
        self.read += 1
        if isinstance(result, Failure):
            self.add_failure(result)
        else:
            self.add_doc(result)

    def merge(self, other: Summary) -> None:
        self.read += other.read
        self.written += other.written
        self.failed.update(other.failed)
        self.events += other.events
        self.quotes += other.quotes
        self.entities += other.entities

    def lines(self) -> list[str]:
        out = [
            f"documents read: {self.read}",
            f"documents written: {self.written}",
            f"documents failed: {sum(self.failed.values())}",
        ]
        out += [f"  {reason}: {n}" for reason, n in sorted(self.failed.items())]
        out += [f"entities: {self.entities}", f"events: {self.events}", f"quotes: {self.quotes}",
                f"seconds: {self.seconds:.2f}"]
        return out

    def as_dict(self) -> dict:
        return {"read": self.read, "written": self.written, "failed": dict(self.failed),
                "entities": self.entities, "events": self.events, "quotes": self.quotes,
                "seconds": round(self.seconds, 3)}


Result = Document | Failure


class Pipeline:
    """An ordered list of named steps applied to one document at a time."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = list(steps)
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate step names: {names}")

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def process(self, doc: Document) -> Result:
        for step in self.steps:
            try:
                doc = step(doc)
            except SkipDocument as skip:
                return Failure(doc.id, doc.path, step.name, skip.reason, skipped=True)
            except Exception as exc:  # one broken article never kills a batch
                return Failure(doc.id, doc.path, step.name, f"{type(exc).__name__}: {exc}")
        return doc

    def stream(self, items: Iterable[Document | Failure]) -> Iterator[Result]:
        """Apply the steps to a stream; failures coming from a reader pass straight through."""
        for item in items:
            yield item if isinstance(item, Failure) else self.process(item)


def run_stream(pipeline: Pipeline, items: Iterable[Document | Failure]) -> tuple[list[Result], Summary]:
    """Process everything in memory (for tests and small inputs); executors stream instead."""
    summary, out = Summary(), []
    t0 = time.perf_counter()
    for res in pipeline.stream(items):
        summary.add(res)
        out.append(res)
    summary.seconds = time.perf_counter() - t0
    return out, summary
