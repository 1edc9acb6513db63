"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis): no input may
produce a server error. Bounded to a few examples per operation so it runs in well under a minute.

Hypothesis is driven directly from schemathesis' strategies rather than through its pytest plugin,
which does not work with pytest 9 (``'Function' object has no attribute '_nodeid'``).
"""

from __future__ import annotations

import pytest
from conftest_web import seeded_db
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

TOKEN = "fuzz-token"
EXAMPLES = 40  # per operation


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - schemathesis' schema type
    from tidings.web import create_app

    app = create_app(seeded_db(tmp_path_factory.mktemp("fuzz")), token=TOKEN)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations() -> list[str]:
    return ["GET /api/events", "GET /api/events/{event_id}", "GET /api/storylines",
            "GET /api/storylines/{storyline_id}", "GET /api/articles/{article_id}", "POST /api/articles",
            "POST /api/similarity"]


def test_schema_lists_every_operation(api_schema) -> None:  # noqa: ANN001
    got = {f"{r.ok().method.upper()} {r.ok().path}" for r in api_schema.get_all_operations()}
    assert set(_operations()) <= got


@pytest.mark.parametrize("operation", _operations())
def test_no_server_errors(api_schema, operation: str) -> None:  # noqa: ANN001
    method, path = operation.split(" ", 1)
    op = next(r.ok() for r in api_schema.get_all_operations()
              if r.ok().method.upper() == method and r.ok().path == path)

    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:  # noqa: ANN001 - schemathesis' Case
        # With the token, so the bodies of writes get past authentication and are really read.
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code < 500, (f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}"
                                            f" -> {response.status_code}: {response.text[:500]}")
        seen.add(response.status_code)
        if response.status_code >= 400:
            assert isinstance(response.json().get("detail"), str), response.text[:300]

    seen: set[int] = set()
    check()
    # Requests must not all bounce off validation: some have to reach the handlers.
    assert any(code < 300 or code in (400, 404, 413, 501) for code in seen), seen
    print(operation, sorted(seen))
