"""Steps, the pipeline that orders them, and the run summary.

A step is a named callable ``Document -> Document``. It never opens the
database, never prints and never decides where it runs; executors do that.
A step that raises fails only the document it was given: the executor
records a :class:`Failure` with the step's name and the reason, and the
batch goes on.

Time limit per document
-----------------------
One pathological page must not stall a night's run, so a pipeline built with
``time_limit`` (seconds; the CLI's ``--doc-timeout``, default
:data:`DEFAULT_TIME_LIMIT`) gives up on a document that takes longer and
records it as a failure of kind ``timeout`` naming the step it was in. The
limit covers decoding too: readers hand over :class:`Pending` inputs whose
bytes are decoded inside the limit (charset detection and mojibake repair take
tens of seconds on a 50 MB page).

Two mechanisms, because steps run in the main thread under the local executor
but in worker threads under Dask, where ``signal.alarm`` cannot reach
(signals are delivered to the main thread only, and their Python handlers
run between bytecodes anyway, so an alarm would stop nothing a thread
cannot):

1. A cooperative deadline, kept in a context variable (one per thread). The
   pipeline checks it between steps; long loops in steps call
   :func:`check_deadline`. This works everywhere and stops at a clean point.
2. A hard stop: one watchdog thread per process raises :class:`DocTimeout`
   asynchronously in the thread whose document is past its deadline
   (CPython's ``PyThreadState_SetAsyncExc``). It interrupts any Python code,
   in any thread, including a library's loop that never checks the deadline.
   It cannot interrupt a single long call into C (one regex search, one lxml
   parse); inputs are capped (``readers.MAX_BYTES``) and steps are linear in
   their input, so such a call is bounded. Only a process per document could
   stop C code, at a cost per document far above the pipeline's own.

:class:`DocTimeout` derives from ``BaseException`` so that library code that
catches ``Exception`` does not swallow it; if some code swallows it anyway,
the check after the step still fails the document. The interrupted step may
leave caches half-filled; the resources steps load are built once, before the
first document, by :meth:`Pipeline.warm_up` (outside any limit), so an
interrupted document does not leave them half-built and the first document is
not charged for loading them.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from warta.document import Document

DEFAULT_TIME_LIMIT = 5.0  # seconds per document: typical news articles take 0.01-0.5 s


class DocTimeout(BaseException):
    """A document ran past its time limit (a BaseException, so ``except Exception`` does not catch it)."""


@dataclass(slots=True)
class Deadline:
    limit: float
    at: float  # time.monotonic() value

    def expired(self) -> bool:
        return time.monotonic() >= self.at


_deadline: ContextVar[Deadline | None] = ContextVar("warta_deadline", default=None)


def check_deadline() -> None:
    """Raise :class:`DocTimeout` when the document being processed is past its time limit.

    Cheap (one clock read); steps call it inside loops that can run long on big inputs.
    """
    d = _deadline.get()
    if d is not None and time.monotonic() >= d.at:
        raise DocTimeout


def _async_raise(ident: int, exc: type[BaseException] | None) -> bool:
    """Raise ``exc`` in thread ``ident`` at its next bytecode (None: cancel a pending one). CPython only."""
    try:
        import ctypes

        arg = ctypes.py_object(exc) if exc is not None else None
        return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), arg) == 1
    except (ImportError, AttributeError):  # not CPython: the cooperative deadline is all there is
        return False


@dataclass(slots=True)
class _Arm:
    ident: int
    at: float
    fired: bool = False


class _Watchdog:
    """One daemon thread per process that interrupts a thread whose document is past its deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, _Arm] = {}  # thread ident -> its current document's deadline
        self._thread: threading.Thread | None = None

    def arm(self, at: float) -> _Arm:
        arm = _Arm(threading.get_ident(), at)
        with self._cond:
            self._armed[arm.ident] = arm
            if self._thread is None or not self._thread.is_alive():  # also after a fork
                self._thread = threading.Thread(target=self._run, name="warta-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()
        return arm

    def disarm(self, arm: _Arm) -> None:
        with self._cond:
            if self._armed.get(arm.ident) is arm:
                del self._armed[arm.ident]
            if arm.fired:
                _async_raise(arm.ident, None)  # not delivered yet: the document is finished, cancel it

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                wake = None
                for arm in self._armed.values():
                    if arm.fired:
                        continue
                    if arm.at <= now:
                        arm.fired = True  # once per document: a second one could land outside its handler
                        _async_raise(arm.ident, DocTimeout)
                    else:
                        wake = arm.at if wake is None else min(wake, arm.at)
                self._cond.wait(None if wake is None else max(0.0, wake - now))


_WATCHDOG = _Watchdog()


def _after_fork() -> None:
    # a forked child has no watchdog thread, and the parent's may have held the lock at the fork
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


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
    stateful: bool = False  # keeps state across documents (dedup): left out of the warm-up

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
    timeout: bool = False  # True when the document ran past the pipeline's time limit

    @property
    def kind(self) -> str:
        return "skipped" if self.skipped else "timeout" if self.timeout else "error"


@dataclass(slots=True)
class Pending:
    """An input whose bytes are read but not decoded yet: ``load`` makes the Document (or a Failure).

    Readers hand these to the pipeline so that decoding runs under the document's time limit.
    """

    id: str
    path: str | None
    load: Callable[[], Document | Failure]


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
    """An ordered list of named steps applied to one document at a time.

    ``time_limit``: seconds per document (None: no limit), see the module docstring.
    ``warm_up``: sample documents run once through the steps that keep no state, before the
    first document under a time limit, so that loading data files and models is not charged to it.
    """

    def __init__(self, steps: Iterable[Step], time_limit: float | None = None,
                 warm_up: Sequence[Document] = ()) -> None:
        self.steps = list(steps)
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate step names: {names}")
        if time_limit is not None and time_limit <= 0:
            raise ValueError(f"time limit must be positive seconds, got {time_limit}")
        self.time_limit = time_limit
        self._samples = list(warm_up)
        self._warm = False

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def warm_up(self) -> None:
        """Run the sample documents through the stateless steps (once; errors are ignored)."""
        if self._warm:
            return
        self._warm = True
        for sample in self._samples:
            doc = Document(id=sample.id, text=sample.text, raw=sample.raw, html=sample.html, path=sample.path)
            for step in self.steps:
                if step.stateful:
                    continue
                try:
                    doc = step(doc)
                except Exception:  # a sample skipped for its language still loaded what it could
                    break

    def process(self, doc: Document | Pending) -> Result:
        at = ["read"]  # the step running, for the reason of a timeout
        if self.time_limit is None:
            return self._run(doc, at)
        self.warm_up()
        deadline = Deadline(self.time_limit, time.monotonic() + self.time_limit)
        token = _deadline.set(deadline)
        arm = _WATCHDOG.arm(deadline.at)
        try:
            try:
                return self._run(doc, at)
            finally:
                _WATCHDOG.disarm(arm)
                _deadline.reset(token)
        except DocTimeout:
            # the interrupt may have landed in the cleanup above and cut it short; the watchdog
            # fires once per document, so nothing else can land here
            _WATCHDOG.disarm(arm)
            _deadline.set(None)
            return Failure(doc.id, doc.path, at[0], f"time limit: over {self.time_limit:g} s in step {at[0]}",
                           timeout=True)

    def _run(self, doc: Document | Pending, at: list[str]) -> Result:
        if isinstance(doc, Pending):
            loaded = doc.load()
            if isinstance(loaded, Failure):
                return loaded
            doc = loaded
        for step in self.steps:
            check_deadline()
            at[0] = step.name
            try:
                doc = step(doc)
            except SkipDocument as skip:
                return Failure(doc.id, doc.path, step.name, skip.reason, skipped=True)
            except Exception as exc:  # one broken article never kills a batch
                return Failure(doc.id, doc.path, step.name, f"{type(exc).__name__}: {exc}")
        check_deadline()
        return doc

    def stream(self, items: Iterable[Document | Pending | Failure]) -> Iterator[Result]:
        """Apply the steps to a stream; failures coming from a reader pass straight through."""
        for item in items:
            yield item if isinstance(item, Failure) else self.process(item)


def run_stream(pipeline: Pipeline, items: Iterable[Document | Pending | Failure]) -> tuple[list[Result], Summary]:
    """Process everything in memory (for tests and small inputs); executors stream instead."""
    summary, out = Summary(), []
    t0 = time.perf_counter()
    for res in pipeline.stream(items):
        summary.add(res)
        out.append(res)
    summary.seconds = time.perf_counter() - t0
    return out, summary
