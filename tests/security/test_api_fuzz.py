"""API fuzzing: schemathesis generates requests for every operation of ``/api/schema/`` and sends
them, in process, to the WSGI application, authenticated as a regional coordinator (token).

Every response must be free of server errors and conform to the schema (status code documented,
content type, headers and body as declared). Both valid requests (positive: shaped as the schema
says, with content the platform may still refuse) and invalid ones (negative: wrong types,
missing fields, unknown fields, which must be refused with 4xx) are sent, at least 1,000 in all.

Half the time a path parameter names a real object of the test world (a case, a measure, a
referral, a call), so the requests reach the code behind the lookups and not only the 404.
Hypothesis is derandomised: CI sends the same requests on every run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from tests.api.conftest import world as api_world

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MIN_REQUESTS = 1000
EXAMPLES = {GenerationMode.POSITIVE: 18, GenerationMode.NEGATIVE: 9}
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)


world = api_world  # the API tests' world: cases of two regions, referrals, a measure, a call


@pytest.fixture
def real_values(world, personas) -> dict[str, list[Any]]:
    """Values of path parameters that exist, per parameter name."""
    from nmt.methods.guidance_seed import seed_guidance

    seed_guidance()
    cases = [world.stockholm, world.closed_referral_case, world.protected, world.syd]
    return {
        "case_number": [c.case_number for c in cases] + [world.supportline.case_number],
        "measure_id": [world.measure.pk],
        "referral_id": [world.referral.pk, world.closed_referral.pk],
        "contact_id": [world.contact.pk],
    }


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes "old" database connections around each request; inside the test's
    transaction that would close it (Django's own test client disconnects the same handlers)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    world, personas, real_values, keep_test_connection
):
    from rest_framework.authtoken.models import Token

    from nmt.config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    token, _created = Token.objects.get_or_create(user=personas.coordinator_stockholm)
    headers = {"Authorization": f"Token {token.key}", "Accept-Language": "en"}
    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "the schema lost its operations"

    def fuzz(operation: Any, mode: GenerationMode, examples: int) -> None:
        checks = [*CHECKS, negative_data_rejection] if mode == "negative" else CHECKS

        @settings(FUZZ, max_examples=examples)
        @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(0, 9))
        def send(case: Any, pick: int) -> None:
            # Only valid requests get real objects: putting a real value in place of a
            # deliberately invalid path parameter would make a negative request valid.
            for name in case.path_parameters or {}:
                values = real_values.get(name)
                if values and pick < 5 and mode == GenerationMode.POSITIVE:
                    case.path_parameters[name] = values[pick % len(values)]
            cache.clear()  # the token endpoint's throttle would otherwise answer 429
            # DELETE /auth/token/ revokes the token: the next request brings it back.
            Token.objects.get_or_create(key=token.key, user=token.user)
            response = case.call(headers=headers)
            sent[operation.label] += 1
            statuses[response.status_code] += 1
            try:
                assert response.status_code < 500, response.text[:500]
                case.validate_response(response, checks=checks, headers=headers)
            except (AssertionError, Exception) as error:  # schemathesis raises FailureGroup
                failures.append(f"{operation.label} ({mode}): {str(error)[:600]}")

        try:
            send()
        except Unsatisfiable:
            # Nothing to get wrong (no parameters, no body): no negative requests exist.
            assert mode == GenerationMode.NEGATIVE, operation.label

    for operation in operations:
        for mode, examples in EXAMPLES.items():
            fuzz(operation, mode, examples)

    total = sum(sent.values())
    print(
        f"\nschemathesis: {total} requests over {len(sent)} operations; statuses {dict(statuses)}"
    )
    assert not failures, f"{len(failures)} of {total} requests failed:\n" + "\n".join(failures[:20])
    assert not [s for s in statuses if s >= 500]
    assert total >= MIN_REQUESTS, f"only {total} requests generated"
    # Most requests must get past authentication, or the fuzzing tested only the login.
    assert statuses[401] < total / 10, statuses
    assert len(sent) == len(operations), "some operation was never called"


@pytest.mark.django_db
def test_an_api_path_with_a_line_break_gets_the_json_404(client):
    """Found by the fuzzer: the API's catch-all did not match an encoded line break, so such a
    path fell through to the HTML 404 page, which the schema does not describe."""
    response = client.get("/api/v1/contacts/x%0Ay/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_token_limit_per_address_is_not_lifted_by_a_forged_forwarded_header(client):
    """Found in review of the fuzzer's throttle keys: DRF's default client identity is the
    X-Forwarded-For header when present, so a password sprayer sending a new one each time was
    never limited per address. Ten attempts a minute per address, whatever the header says."""
    statuses = []
    for attempt in range(11):
        response = client.post(
            "/api/v1/auth/token/",
            {"username": f"guess{attempt}", "password": "wrong password"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
