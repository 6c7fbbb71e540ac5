"""Plain functions behind the CLI commands (tests call these directly)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from warta.document import Document
from warta.pipeline import Failure, Summary
from warta.readers import read_inputs
from warta.steps import DEFAULT_LANGUAGES, default_pipeline
from warta.store import Store


def extract(paths: Iterable[str | Path], languages: Sequence[str] = DEFAULT_LANGUAGES
            ) -> Iterator[Document | Failure]:
    """Documents (or failures) for every input, in input order, without touching a database."""
    pipe = default_pipeline(languages)
    yield from pipe.stream(read_inputs(paths))


def run(paths: Iterable[str | Path], db: str | Path = "warta.duckdb", *, executor: str = "local",
        workers: int | None = None, scheduler: str | None = None, progress: bool | None = None,
        languages: Sequence[str] = DEFAULT_LANGUAGES, batch: int | None = None) -> Summary:
    """Process inputs into the DuckDB database ``db``; returns the run summary.

    ``batch`` is the unit a crash can lose: documents per transaction (local) or
    input files per partition (Dask); the executor's default when None.
    """
    if executor == "dask":
        from warta.executors.dask import FILES_PER_PARTITION, run_dask

        return run_dask(list(paths), db, workers=workers, scheduler=scheduler, languages=languages,
                        partition_size=batch or FILES_PER_PARTITION)
    from warta.executors.local import BATCH, run_local

    with Store(db) as store:
        return run_local(paths, default_pipeline(languages), sink=store.write, progress=progress,
                         batch=batch or BATCH)
