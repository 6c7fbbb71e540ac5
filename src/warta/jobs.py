"""Plain functions behind the CLI commands (tests call these directly)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from warta.document import Document
from warta.pipeline import DEFAULT_TIME_LIMIT, Failure, Summary
from warta.readers import read_inputs
from warta.steps import DEFAULT_LANGUAGES, default_pipeline
from warta.store import Store


def extract(paths: Iterable[str | Path], languages: Sequence[str] = DEFAULT_LANGUAGES,
            time_limit: float | None = DEFAULT_TIME_LIMIT) -> Iterator[Document | Failure]:
    """Documents (or failures) for every input, in input order, without touching a database.

    ``time_limit``: seconds per document (None: none); a document over it becomes a ``timeout`` failure.
    """
    pipe = default_pipeline(languages, time_limit)
    yield from pipe.stream(read_inputs(paths, lazy=True))


WRITER_BUFFER_MB = 32  # DuckDB's working memory in a local run, beyond its index (docs/benchmarks.md)


def run(paths: Iterable[str | Path], db: str | Path = "warta.duckdb", *, executor: str = "local",
        workers: int | None = None, scheduler: str | None = None, progress: bool | None = None,
        languages: Sequence[str] = DEFAULT_LANGUAGES, batch: int | None = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT) -> Summary:
    """Process inputs into the DuckDB database ``db``; returns the run summary.

    ``batch`` is the unit a crash can lose: documents per transaction (local) or
    input files per partition (Dask); the executor's default when None.
    """
    if executor == "dask":
        from warta.executors.dask import FILES_PER_PARTITION, run_dask

        return run_dask(list(paths), db, workers=workers, scheduler=scheduler, languages=languages,
                        partition_size=batch or FILES_PER_PARTITION, time_limit=time_limit)
    from warta.executors.local import BATCH, run_local

    with Store(db, buffer_mb=WRITER_BUFFER_MB) as store:
        return run_local(paths, default_pipeline(languages, time_limit), sink=store.write, progress=progress,
                         batch=batch or BATCH)
