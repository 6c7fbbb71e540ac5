"""The local executor: stream documents through the pipeline in this process, with bounded memory.

Results are written in batches (one transaction each), so memory stays flat
however many articles come in, and an interrupted run keeps every batch it
committed; a rerun rewrites the same ids and adds nothing twice. A batch the
sink refuses is written again one result at a time, and a document that still
cannot be written becomes an error row of step ``store``: one odd value does
not cost the run, nor the rest of its batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from warta.document import Document
from warta.pipeline import Failure, Pipeline, Summary
from warta.readers import read_inputs

BATCH = 200


def run_local(inputs: Iterable[str | Path], pipeline: Pipeline,
              sink: Callable[[list[Document | Failure]], None] | None = None,
              progress: bool | None = None, batch: int = BATCH) -> Summary:
    """Process every input; ``sink`` receives each batch of results (documents and failures)."""
    from tqdm import tqdm

    summary = Summary()
    t0 = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    buf: list[Document | Failure] = []
    with tqdm(desc="warta", unit="doc", disable=not show, file=sys.stderr) as bar:
        for res in pipeline.stream(read_inputs(inputs, lazy=True)):
            summary.add(res)
            buf.append(res)
            bar.update(1)
            if len(buf) >= batch:
                if sink:
                    _write(sink, buf, summary)
                buf = []
        if buf and sink:
            _write(sink, buf, summary)
    summary.seconds = time.perf_counter() - t0
    return summary


def _write(sink: Callable[[list[Document | Failure]], None], buf: list[Document | Failure],
           summary: Summary) -> None:
    try:
        sink(buf)
        return
    except Exception:  # the batch was rolled back: find the result that cannot be written
        if len(buf) == 1 and isinstance(buf[0], Failure):
            raise  # an error row itself cannot be written: the store is broken, not the input
    for res in buf:
        try:
            sink([res])
        except Exception as exc:
            if isinstance(res, Failure):
                raise
            failure = Failure(res.id, res.path, "store", f"{type(exc).__name__}: {str(exc)[:300]}")
            sink([failure])
            # counted as written when it came out of the pipeline
            summary.written -= 1
            summary.events -= len(res.events)
            summary.quotes -= len(res.quotes)
            summary.entities -= len(res.entities)
            summary.add_failure(failure)
