"""The OpenAPI schema: generated without warnings, valid, served; the docs served without a CDN.

Every response in the other API tests is checked against this schema (tests.api.support), so the
schema's 400/404/409 shapes are what the API really sends.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from tests.api.support import API


def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3.0")


def test_schema_is_served(anonymous):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "NMT API"


def test_docs_use_only_our_own_assets(anonymous):
    page = anonymous.get("/api/docs/")
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "http" not in policy
    html = page.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3
    for source in sources:
        assert source.startswith("/"), source
        assert anonymous.get(source.replace("&amp;", "&")).status_code == 200, source


def test_the_schema_checker_catches_a_wrong_body_and_an_undocumented_status(openapi):
    with pytest.raises(AssertionError, match="count"):
        openapi.check("GET", f"{API}/cases/", 200, b'{"results": []}')
    with pytest.raises(AssertionError, match="not in the schema"):
        openapi.check("GET", f"{API}/cases/NMT-2025-00001/", 418, b"{}")
    with pytest.raises(AssertionError, match="current"):
        openapi.check(
            "PATCH", f"{API}/cases/NMT-2025-00001/", 409, b'{"detail": "x", "current_version": 2}'
        )
