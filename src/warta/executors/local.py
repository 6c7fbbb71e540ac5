"""The local executor: stream documents through the pipeline in this process, with bounded memory.

Results are written in batches (one transaction each), so memory stays flat
however many articles come in, and an interrupted run keeps every batch it
committed; a rerun rewrites the same ids and adds nothing twice.
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
        for res in pipeline.stream(read_inputs(inputs)):
            summary.add(res)
            buf.append(res)
            bar.update(1)
            if len(buf) >= batch:
                if sink:
                    sink(buf)
                buf = []
        if buf and sink:
            sink(buf)
    summary.seconds = time.perf_counter() - t0
    return summary
