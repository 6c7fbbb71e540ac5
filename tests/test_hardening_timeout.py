"""The per-document time limit: a stalling document becomes a ``timeout`` error row, in the main thread and in
worker threads (Dask), and the documents after it are processed normally."""

from __future__ import annotations

import threading
import time

import pytest

from warta.document import Document
from warta.pipeline import (
    DEFAULT_TIME_LIMIT,
    DocTimeout,
    Failure,
    Pending,
    Pipeline,
    Step,
    check_deadline,
    run_stream,
)

LIMIT = 0.3


def _spin(doc: Document) -> Document:
    """Pure Python that never checks the deadline: only the hard stop ends it."""
    if "stall" in doc.text.lower():
        n = 0
        while True:
            n += 1
    return doc


def _swallow(doc: Document) -> Document:
    """Library-style code that catches Exception around a long loop: the timeout is not an Exception."""
    if "stall" in doc.text.lower():
        try:
            end = time.monotonic() + 30
            while time.monotonic() < end:
                pass
        except Exception:
            return doc
    return doc


def _cooperative(doc: Document) -> Document:
    if "stall" in doc.text.lower():
        while True:
            check_deadline()
            time.sleep(0.01)  # a C call the hard stop cannot cut; the check after it can
    return doc


def _upper(doc: Document) -> Document:
    doc.text = doc.text.upper()
    return doc


def _docs() -> list[Document]:
    return [Document(id=str(i), text=t, path=f"{i}.txt") for i, t in enumerate(["ok", "stall here", "fine"])]


@pytest.mark.parametrize("step", [_spin, _swallow, _cooperative])
def test_timeout_fails_one_document_and_the_batch_goes_on(step) -> None:
    pipe = Pipeline([Step("upper", _upper), Step("slow", step)], time_limit=LIMIT)
    results, summary = run_stream(pipe, _docs())
    assert [type(r).__name__ for r in results] == ["Document", "Failure", "Document"]
    bad = results[1]
    assert isinstance(bad, Failure) and bad.kind == "timeout" and bad.step == "slow"
    assert bad.reason.startswith("time limit:") and bad.doc_id == "1" and bad.path == "1.txt"
    assert results[2].text == "FINE"
    assert summary.failed == {"timeout: time limit": 1}


def test_timeout_in_a_worker_thread_like_dask() -> None:
    pipe = Pipeline([Step("slow", _spin)], time_limit=LIMIT)
    out: list = []
    t = threading.Thread(target=lambda: out.extend(pipe.process(d) for d in _docs()))
    t.start()
    t.join(20)
    assert not t.is_alive()
    assert [getattr(r, "kind", "doc") for r in out] == ["doc", "timeout", "doc"]


def test_timeout_in_dask_worker_threads() -> None:
    distributed = pytest.importorskip("dask.distributed")

    def work(texts: list[str]) -> list[str]:
        pipe = Pipeline([Step("slow", _spin)], time_limit=LIMIT)
        return [getattr(pipe.process(Document(id=t, text=t)), "kind", "doc") for t in texts]

    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as client:
        futures = [client.submit(work, ["ok", "stall", "ok"], pure=False) for _ in range(2)]
        assert client.gather(futures) == [["doc", "timeout", "doc"]] * 2


def test_no_stray_interrupt_after_a_document_finishes_near_its_limit() -> None:
    """Documents that end just before (or at) the deadline leave nothing behind to fire later."""

    def near(doc: Document) -> Document:
        end = time.monotonic() + float(doc.text)
        while time.monotonic() < end:
            pass
        return doc

    pipe = Pipeline([Step("near", near)], time_limit=0.05)
    kinds = [getattr(pipe.process(Document(id=str(i), text=str(0.03 + 0.002 * i))), "kind", "doc") for i in range(20)]
    assert set(kinds) <= {"doc", "timeout"}
    end = time.monotonic() + 0.3  # a pending interrupt would land here, outside any document
    while time.monotonic() < end:
        pass


def test_decoding_counts_against_the_limit() -> None:
    def slow_load() -> Document:
        while True:
            pass

    pipe = Pipeline([Step("upper", _upper)], time_limit=LIMIT)
    res = pipe.process(Pending("p1", "big.html", slow_load))
    assert isinstance(res, Failure) and res.kind == "timeout" and res.step == "read" and res.path == "big.html"
    ok = pipe.process(Pending("p2", "ok.txt", lambda: Document(id="p2", text="ok")))
    assert isinstance(ok, Document) and ok.text == "OK"


def test_without_a_limit_nothing_is_armed() -> None:
    pipe = Pipeline([Step("upper", _upper)])
    assert pipe.process(Document(id="a", text="x")).text == "X"
    with pytest.raises(ValueError, match="positive"):
        Pipeline([], time_limit=0)


def test_warm_up_runs_before_the_first_limited_document_and_skips_stateful_steps() -> None:
    seen: list[str] = []

    def slow_first(doc: Document) -> Document:
        seen.append(doc.id)
        if len(seen) == 1:  # the first call loads something slow
            end = time.monotonic() + 2 * LIMIT
            while time.monotonic() < end:
                pass
        return doc

    def stateful(doc: Document) -> Document:
        seen.append("stateful:" + doc.id)
        return doc

    pipe = Pipeline([Step("load", slow_first), Step("state", stateful, stateful=True)], time_limit=LIMIT,
                    warm_up=[Document(id="sample", text="x")])
    res = pipe.process(Document(id="real", text="y"))
    assert isinstance(res, Document)
    assert seen == ["sample", "real", "stateful:real"]


def test_doc_timeout_is_a_base_exception_and_the_cli_default_matches() -> None:
    from warta.cli import build_parser

    assert not issubclass(DocTimeout, Exception)
    assert build_parser().parse_args(["run", "x"]).doc_timeout == DEFAULT_TIME_LIMIT
    assert build_parser().parse_args(["extract", "x", "--doc-timeout", "0"]).doc_timeout == 0


def test_long_step_loops_stop_at_their_own_deadline_checks() -> None:
    """Without the hard stop (another Python than CPython), the steps' own loops still stop a document."""
    from warta.extract.events import code_events
    from warta.extract.quotes import find_quotes
    from warta.nlp.text import sentences
    from warta.pipeline import Deadline, _deadline

    text = "Presiden bertemu menteri di Jakarta. " * 50
    doc = Document(id="d", text=text, language="id", sentences=sentences(text))
    token = _deadline.set(Deadline(1.0, time.monotonic() - 1))  # already past
    try:
        for fn in (lambda: find_quotes(doc), lambda: code_events(doc, "id")):
            with pytest.raises(DocTimeout):
                fn()
    finally:
        _deadline.reset(token)
    code_events(doc, "id")  # and without a deadline they run


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_time_limit_works_in_a_forked_child() -> None:
    import os

    pipe = Pipeline([Step("slow", _spin)], time_limit=LIMIT)
    pipe.process(Document(id="a", text="ok"))  # the parent's watchdog is running
    pid = os.fork()
    if pid == 0:  # child: a fresh watchdog, not the parent's (possibly locked) one
        import signal

        signal.alarm(30)  # a hung child fails the test instead of hanging it
        res = pipe.process(Document(id="b", text="stall"))
        os._exit(0 if getattr(res, "kind", "") == "timeout" else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
