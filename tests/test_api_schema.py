"""schemathesis against the app's own OpenAPI schema: generated requests to every operation, no 5xx.

The same check, run from the command line with its numbers, is recorded in docs/api.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from test_api import build_db
from warta.api.app import create_app


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_app(build_db(tmp_path_factory.mktemp("api-schema") / "w.duckdb"))
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.db.close()


OPERATIONS = ["/api/events", "/api/events/{event_id}", "/api/documents", "/api/documents/{doc_id}", "/api/actors",
              "/api/quotes", "/api/stats", "/api/network", "/api/locations"]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _fuzz(api_schema: Any, path: str, mode: GenerationMode, examples: int) -> None:
    calls: list[int] = []

    @given(case=api_schema[path]["GET"].as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call()
        calls.append(response.status_code)
        assert response.status_code < 500, case.as_curl_command()
        # every answer, errors included, has its documented shape
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    check()
    assert calls


# schemathesis' pytest plugin (lazy schemas) does not run under pytest 9, so the tests drive its
# documented Hypothesis strategies (APIOperation.as_strategy) directly.
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", OPERATIONS)
def test_api_schema_no_server_errors(api_schema: Any, path: str, mode: GenerationMode) -> None:
    _fuzz(api_schema, path, mode, 10)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", OPERATIONS)
def test_api_schema_no_server_errors_long(api_schema: Any, path: str, mode: GenerationMode) -> None:
    _fuzz(api_schema, path, mode, 300)


def test_api_schema_lists_every_operation(api_schema: Any) -> None:
    assert {r.ok().path for r in api_schema.get_all_operations()} == set(OPERATIONS)
