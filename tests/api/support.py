"""Helpers of the API tests: the OpenAPI schema as a response checker, and the test world's
visibility table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

API = "/api/v1"


# ---------------------------------------------------------------- the schema as a checker


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects as JSON Schema 2020-12 (``nullable`` is the one difference
    that matters for validating responses)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class OpenApi:
    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.components = _json_schema(document.get("components", {}))
        self.routes = [
            (re.compile(re.sub(r"\{[^}/]+\}", "[^/]+", template) + r"\Z"), operations)
            for template, operations in document["paths"].items()
        ]

    def operation(self, method: str, path: str) -> dict[str, Any]:
        for pattern, operations in self.routes:
            if pattern.match(path):
                assert method.lower() in operations, f"{method} {path} is not in the schema"
                return operations[method.lower()]
        raise AssertionError(f"{path} is not in the schema")

    def check(self, method: str, path: str, status: int, body: bytes) -> None:
        responses = self.operation(method, path)["responses"]
        documented = responses.get(str(status)) or responses.get("default")
        assert documented is not None, f"{method} {path} answered {status}, not in the schema"
        content = documented.get("content")
        if not content:
            assert not body, f"{method} {path} {status} has a body the schema does not describe"
            return
        schema = _json_schema(content["application/json"]["schema"])
        validator = Draft202012Validator({**schema, "components": self.components})
        errors = sorted(validator.iter_errors(json.loads(body)), key=lambda e: list(e.path))
        assert not errors, f"{method} {path} {status}: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )


class ConformingClient(APIClient):
    """An APIClient that fails the test when a response is not what the schema says."""

    openapi: OpenApi
    default_format = "json"

    def request(self, **kwargs: Any) -> Any:
        response = super().request(**kwargs)
        path = kwargs["PATH_INFO"]
        if path.startswith(API):
            self.openapi.check(
                kwargs["REQUEST_METHOD"], path, response.status_code, response.content
            )
        return response


@dataclass
class World:
    """Cases of two regions, one each with an open and a closed referral, a protected person,
    a support-line case, a measure ending soon and a support-line call."""

    stockholm: Any  # referred to Migrationsverket (pending); has the measure
    closed_referral_case: Any  # Stockholm, referred to the police, referral closed
    protected: Any  # Stockholm, protected identity with an address
    syd: Any
    supportline: Any  # opened by the support line from a call, region Syd
    referral: Any
    closed_referral: Any
    measure: Any
    contact: Any


# Who sees which case of the world (by World attribute), per persona.
VISIBLE = {
    "coordinator_stockholm": {"stockholm", "closed_referral_case", "protected"},
    "coordinator_stockholm_2": {"stockholm", "closed_referral_case", "protected"},
    "coordinator_syd": {"syd", "supportline"},
    "supportline": {"supportline"},
    "supportline_2": set(),
    "liaison_migrationsverket": {"stockholm"},
    "liaison_polisen": set(),
    "analyst": set(),
    "auditor": set(),
    "admin": set(),
    "outsider": set(),
}
CASES = ("stockholm", "closed_referral_case", "protected", "syd", "supportline")
