"""The OpenAPI document: built from ``schemas/``, valid, and the live server keeps to it.

A bounded schemathesis run sends generated requests (valid and invalid) for every operation to
a real server process and checks each answer: never a 5xx, a documented status, a documented
content type, and a body that validates against the operation's schema (the error shape
included).  Bounded by example count, not by time.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402
from test_service_server import server  # noqa: E402, F401 - the live server fixture

from govdisclose import schemas  # noqa: E402
from govdisclose.service.openapi import SCHEMAS, openapi_document  # noqa: E402

if TYPE_CHECKING:
    from schemathesis import Case

#: Examples per operation (11 operations; the .xlsx body of audit is not generated, its CSV
#: body is): enough to reach every parameter's edge, about 30 s in all.
EXAMPLES = 25


def test_components_are_the_repository_schemas() -> None:
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    for name in SCHEMAS:
        embedded = document["components"]["schemas"][name]
        original = schemas.load(name)
        assert embedded["title"] == original["title"]
        assert embedded.get("properties", {}).keys() == original.get("properties", {}).keys()
    text = json.dumps(document)
    # every reference points into the document itself
    refs = [part.split('"')[0] for part in text.split('"$ref": "')[1:]]
    assert refs and all(ref.startswith("#/components/schemas/") for ref in refs)
    for ref in refs:
        node = document
        for key in ref.removeprefix("#/").split("/"):
            node = node[key]


def test_the_server_serves_the_document(server: str) -> None:  # noqa: F811
    import httpx

    assert httpx.get(f"{server}/openapi.json").json() == json.loads(
        json.dumps(openapi_document()))


API = schemathesis.openapi.from_dict(openapi_document())


@pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload media types")
@API.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_keeps_to_its_contract(case: Case, server: str) -> None:  # noqa: F811
    case.call_and_validate(base_url=server, checks=[
        checks.not_a_server_error, checks.status_code_conformance,
        checks.content_type_conformance, checks.response_schema_conformance])
