"""``GET /openapi.json``: the HTTP API described with the repository's own JSON Schemas.

OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so the bodies are the files of ``schemas/``
themselves, placed under ``components.schemas`` by name: nothing is written twice.  Only
their references move: ``#/$defs/X`` inside schema ``name`` and ``name.schema.json#/$defs/X``
from another both become ``#/components/schemas/name/$defs/X``, so that any OpenAPI reader
resolves them in this one document (and ``$id``/``$schema`` are dropped, as an embedded schema
must not change the document's base).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .._schema import load_schema
from .config import MAX_WORKDAYS

__all__ = ["SCHEMAS", "openapi_document"]

#: The schemas the API's bodies use.
SCHEMAS = ("request", "item", "outcome", "audit", "rulebooks", "rulebook-description",
           "limits", "deadline", "workdays", "calendar-month", "service-error")
_SUFFIX = ".schema.json"
_RULEBOOK_ID = {"name": "id", "in": "path", "required": True,
                "description": "A rulebook id (never a path), e.g. national, huadian.",
                "schema": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$",
                           "maxLength": 100}}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
_PROVISIONAL = {"name": "provisional", "in": "query", "required": False,
                "description": "Past the holiday data, count weekends and statutory holidays "
                               "only (results marked provisional).",
                "schema": {"enum": ["true", "false"]}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _moved(node: Any, name: str) -> Any:
    """``node`` (a part of schema ``name``) with every ``$ref`` pointing into this document."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str):
                file, _, pointer = value.partition("#")
                target = file.removesuffix(_SUFFIX) if file else name
                out[key] = f"#/components/schemas/{target}{pointer}"
            else:
                out[key] = _moved(value, name)
        return out
    if isinstance(node, list):
        return [_moved(item, name) for item in node]
    return node


def _answers(ok: dict[str, Any], *errors: int) -> dict[str, Any]:
    out: dict[str, Any] = {"200": ok}
    error = {"application/json": {"schema": _ref("service-error")}}
    words = {400: "bad query parameters", 404: "no such rulebook, limit or workflow",
             413: "body or ledger over the cap", 415: "unsupported body format",
             422: "invalid input, with located problems",
             503: "busy, or over the time cap"}
    for status in (*errors, 503):
        out[str(status)] = {"description": words[status], "content": error}
    return out


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _query(name: str, description: str, schema: dict[str, Any], *, required: bool = False
           ) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


def _paths() -> dict[str, Any]:
    as_of = _query("as_of", "Judge the status as of this date (default: today in China, as "
                   "the CLI without --as-of).", _DATE)
    on = _query("on", "The rules in force on this date (default: the day the book's rules "
                "last changed).", _DATE)
    body_json = {"required": True, "content": {"application/json": {"schema": _ref("request")}}}
    return {
        "/healthz": {"get": {"summary": "liveness", "operationId": "healthz", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"status": {"const": "ok"}},
                "required": ["status"]}}}}}}},
        "/v1/rulebooks": {"get": {"summary": "rulebooks --json", "operationId": "rulebooks",
                                  "responses": _answers(_json("rulebooks", "the rulebooks"))}},
        "/v1/rulebooks/{id}": {"get": {
            "summary": "a rulebook's facts, channels, events, replies, limits, review notes",
            "operationId": "rulebook", "parameters": [_RULEBOOK_ID, on],
            "responses": _answers(_json("rulebook-description", "the description"), 400,
                                  404)}},
        "/v1/rulebooks/{id}/limits": {"get": {
            "summary": "limits RULEBOOK --on DATE --json", "operationId": "limits",
            "parameters": [_RULEBOOK_ID, on],
            "responses": _answers(_json("limits", "every limit in force"), 400, 404, 422)}},
        "/v1/rulebooks/{id}/deadline/{limit}": {"get": {
            "summary": "deadline RULEBOOK LIMIT --from DATE --json", "operationId": "deadline",
            "parameters": [_RULEBOOK_ID, {"name": "limit", "in": "path", "required": True,
                                          "description": "Limit id, e.g. request.reply.",
                                          "schema": {"type": "string", "maxLength": 200}},
                           _query("from", "The day (or YYYY-MM-DDTHH:MM for hour limits) the "
                                  "period counts from.", {"type": "string", "pattern":
                                  r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$"},
                                  required=True), _PROVISIONAL],
            "responses": _answers(_json("deadline", "the deadline with its trace"), 400, 404,
                                  422)}},
        "/v1/rulebooks/{id}/workflow.svg": {"get": {
            "summary": "a workflow as an SVG picture", "operationId": "workflowSvg",
            "parameters": [_RULEBOOK_ID, _query("kind", "request or item",
                                                {"enum": ["request", "item"]}), on],
            "responses": _answers({"description": "the picture", "content": {
                "image/svg+xml": {"schema": {"type": "string"}}}}, 400, 404)}},
        "/v1/workdays": {"get": {
            "summary": "workdays DATE N --json", "operationId": "workdays",
            "parameters": [_query("from", "Start day (not counted).", _DATE, required=True),
                           _query("n", "Working days to add.", {"type": "integer", "minimum": 0,
                                  "maximum": MAX_WORKDAYS}, required=True), _PROVISIONAL],
            "responses": _answers(_json("workdays", "the N-th working day"), 400, 422)}},
        "/v1/calendar": {"get": {
            "summary": "one month of the working-day calendar", "operationId": "calendarMonth",
            "parameters": [_query("month", "YYYY-MM", {"type": "string",
                                  "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}, required=True),
                           _PROVISIONAL],
            "responses": _answers(_json("calendar-month", "the month, day by day"), 400,
                                  422)}},
        "/v1/rulebooks/{id}/evaluate": {"post": {
            "summary": "evaluate RULEBOOK REQUEST --json", "operationId": "evaluate",
            "parameters": [_RULEBOOK_ID, as_of, _PROVISIONAL], "requestBody": body_json,
            "responses": _answers(_json("outcome", "the request's outcome"), 400, 404, 413,
                                  422)}},
        "/v1/rulebooks/{id}/plan": {"post": {
            "summary": "plan RULEBOOK ITEM --json", "operationId": "plan",
            "parameters": [_RULEBOOK_ID, _query("as_of", "Also report what is overdue on this "
                                                "date.", _DATE), _PROVISIONAL],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("item")}}},
            "responses": _answers(_json("outcome", "the item's plan"), 400, 404, 413, 422)}},
        "/v1/rulebooks/{id}/audit": {"post": {
            "summary": "audit RULEBOOK LEDGER --json", "operationId": "audit",
            "parameters": [_RULEBOOK_ID, as_of, _PROVISIONAL],
            "requestBody": {"required": True, "description": "The ledger (台账): CSV (UTF-8, "
                            "or the charset given) or .xlsx.", "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}},
            "responses": _answers(_json("audit", "every row's state"), 400, 404, 413, 415,
                                  422)}},
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "govdisclose", "version": "1",
                 "description": "Chinese government-information-disclosure rules and deadlines "
                                "(政府信息公开规则与期限计算). Every answer is what the same "
                                "CLI command prints with --json; see docs/service.md."},
        "paths": _paths(),
        "components": {"schemas": {name: _moved(load_schema(name), name)
                                   for name in SCHEMAS}},
    }
