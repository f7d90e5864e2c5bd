"""API test setup: a small world of cases made through the services, clients per persona, and a
client that checks every response against the OpenAPI schema (status documented, body valid).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from tests.api.support import ConformingClient, OpenApi, World


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_throttles(settings):
    # Argon2 costs about half a second per user on CI's machines and every test makes a dozen
    # personas; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttle counters live in the cache; one test's attempts must not limit the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def openapi() -> OpenApi:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApi(json.loads(OpenApiJsonRenderer().render(schema)))


@pytest.fixture
def anonymous(openapi) -> ConformingClient:
    client = ConformingClient()
    client.openapi = openapi
    return client


@pytest.fixture
def client_for(openapi):
    """``client_for(user, lang="sv")``: a client sending the user's API token (and, unless
    ``lang`` is None, an Accept-Language header)."""
    from rest_framework.authtoken.models import Token

    def make(user: Any, lang: str | None = "en") -> ConformingClient:
        client = ConformingClient()
        client.openapi = openapi
        token, _created = Token.objects.get_or_create(user=user)
        headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", **headers)
        return client

    return make


# ---------------------------------------------------------------- the world


@pytest.fixture
def world(personas, region, agency, stockholm_case) -> World:
    from nmt.cases.services import (
        PersonInput,
        case_register,
        measure_add,
        referral_close,
        referral_create,
    )
    from nmt.supportline.services import contact_create, contact_open_case

    anna = personas.coordinator_stockholm
    referral = referral_create(
        actor=anna,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
        message="Asylum case pending.",
    )
    closed_case = case_register(
        actor=anna,
        channel="police",
        identified_on=dt.date(2024, 6, 1),
        region=region["stockholm"],
        person=PersonInput(given_name="Chidi", family_name="Okafor", citizenships=["NG"]),
        purposes=["forced_labour"],
        industry="construction",
    )
    closed_referral = referral_create(
        actor=anna,
        case=closed_case,
        to_agency=agency["polismyndigheten"],
        legal_ground="secrecy_provision",
        legal_ground_detail="OSL 10 kap. 2 §",
        consent="not_obtained",
    )
    closed_referral = referral_close(actor=anna, referral=closed_referral, expected_version=1)
    protected = case_register(
        actor=anna,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 1, 20),
        region=region["stockholm"],
        person=PersonInput(
            given_name="Mai",
            family_name="Srisuk",
            protected_identity=True,
            address="Skyddad adress 3",
            whereabouts="Skyddat boende",
        ),
        purposes=["sexual"],
    )
    syd = case_register(
        actor=personas.coordinator_syd,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 2, 2),
        region=region["syd"],
        person=PersonInput(given_name="Olena", family_name="Kovalenko", citizenships=["UA"]),
        purposes=["begging"],
    )
    contact = contact_create(
        actor=personas.supportline,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        topic="suspected_case",
        caller_type="social_services",
        region=region["syd"],
        purposes=["crime"],
        summary="A school counsellor about a pupil.",
        follow_up="Call back Monday",
    )
    supportline_case = contact_open_case(actor=personas.supportline, contact=contact)
    measure = measure_add(
        actor=anna,
        case=stockholm_case,
        kind="reflection_period",
        status="active",
        starts_on=timezone.localdate() - dt.timedelta(days=25),
    )
    return World(
        stockholm=stockholm_case,
        closed_referral_case=closed_case,
        protected=protected,
        syd=syd,
        supportline=supportline_case,
        referral=referral,
        closed_referral=closed_referral,
        measure=measure,
        contact=contact,
    )
