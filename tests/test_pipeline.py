from __future__ import annotations

from warta.document import Document
from warta.pipeline import Failure, Pipeline, SkipDocument, Step, run_stream


def _upper(doc: Document) -> Document:
    doc.text = doc.text.upper()
    return doc


def _explode(doc: Document) -> Document:
    if "boom" in doc.text.lower():
        raise ValueError("cannot parse")
    if "skip" in doc.text.lower():
        raise SkipDocument("language: xx")
    return doc


def test_pipeline_step_error_fails_one_document_and_batch_goes_on() -> None:
    pipe = Pipeline([Step("upper", _upper), Step("explode", _explode)])
    docs = [Document(id=str(i), text=t, path=f"{i}.txt") for i, t in enumerate(["ok", "boom", "skip me", "fine"])]
    results, summary = run_stream(pipe, docs)
    assert [type(r).__name__ for r in results] == ["Document", "Failure", "Failure", "Document"]
    boom, skip = results[1], results[2]
    assert isinstance(boom, Failure) and boom.step == "explode" and "ValueError: cannot parse" in boom.reason
    assert isinstance(skip, Failure) and skip.skipped and skip.kind == "skipped"
    assert (summary.read, summary.written, sum(summary.failed.values())) == (4, 2, 2)
    assert any("error: ValueError" in line for line in summary.lines())


def test_pipeline_rejects_duplicate_step_names() -> None:
    import pytest

    with pytest.raises(ValueError, match="duplicate"):
        Pipeline([Step("a", _upper), Step("a", _upper)])
