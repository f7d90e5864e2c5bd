"""Shared test setup: a temporary data directory, and the personas of the access policy.

One persona per role and region, plus ``outsider`` (active, logged in, no role or agency) who must
get 404 for every case and call.
"""

from __future__ import annotations

import os
import tempfile

# Secrets and the SQLite file of a test run live in a throw-away directory, never in var/.
os.environ.setdefault("NMT_DATA_DIR", tempfile.mkdtemp(prefix="nmt-test-"))

import datetime as dt
from dataclasses import dataclass

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that create many users use a fast hasher instead.
    tests/accounts checks that the real settings use Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """Most tests log in with the test client, which has no authenticator app; the second factor
    is tested on its own in tests/web/test_two_factor.py, with this setting on."""
    settings.NMT_REQUIRE_TWO_FACTOR = False


@pytest.fixture(autouse=True)
def _no_lockout(settings):
    """django-axes needs the request to authenticate, which the test client's login() does not
    pass; the lockout is tested on its own in tests/web/test_two_factor.py, with this on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Throttle counters must not leak between tests (the real cache is a shared file cache)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _organisation_after_flush(request):
    """Regions, counties, municipalities and agencies come from a data migration. Transactional
    tests (live server, browser, concurrency) end with a flush that empties them: seed again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    transactional |= bool({"transactional_db", "live_server"} & set(request.fixturenames))
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from nmt.accounts.models import Region
    from nmt.accounts.organisation import seed_organisation

    if not Region.objects.exists():
        seed_organisation()


@dataclass
class Personas:
    coordinator_stockholm: object
    coordinator_stockholm_2: object
    coordinator_syd: object
    supportline: object
    supportline_2: object
    liaison_migrationsverket: object
    liaison_polisen: object
    analyst: object
    auditor: object
    admin: object
    outsider: object
    inactive_coordinator: object

    def all(self) -> dict[str, object]:
        return dict(self.__dict__)


def make_user(
    username: str,
    role: str = "",
    agency: str | None = None,
    region: str | None = None,
    active: bool = True,
):
    from nmt.accounts.models import Agency, Region, User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.split("_")[0].capitalize(),
        last_name="Test",
        role=role,
        agency=Agency.objects.get(code=agency) if agency else None,
        region=Region.objects.get(code=region) if region else None,
    )
    user.is_active = active
    user.save()
    return user


@pytest.fixture
def personas(db) -> Personas:
    return Personas(
        coordinator_stockholm=make_user("anna_sthlm", "coordinator", "socialtjansten", "stockholm"),
        coordinator_stockholm_2=make_user(
            "erik_sthlm", "coordinator", "socialtjansten", "stockholm"
        ),
        coordinator_syd=make_user("sara_syd", "coordinator", "socialtjansten", "syd"),
        supportline=make_user("lina_stod", "supportline", "jamstalldhetsmyndigheten"),
        supportline_2=make_user("omar_stod", "supportline", "jamstalldhetsmyndigheten"),
        liaison_migrationsverket=make_user("maja_mig", "agency_liaison", "migrationsverket"),
        liaison_polisen=make_user("per_polis", "agency_liaison", "polismyndigheten"),
        analyst=make_user("ali_analys", "analyst", "jamstalldhetsmyndigheten"),
        auditor=make_user("dora_dso", "auditor", "jamstalldhetsmyndigheten"),
        admin=make_user("adam_admin", "admin", "jamstalldhetsmyndigheten"),
        outsider=make_user("otto_outsider"),
        inactive_coordinator=make_user(
            "ingrid_sthlm", "coordinator", "socialtjansten", "stockholm", active=False
        ),
    )


@pytest.fixture
def region(db):
    from nmt.accounts.models import Region

    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def agency(db):
    from nmt.accounts.models import Agency

    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def stockholm_case(personas, region):
    """A case in Stockholm with a named person holding a Swedish personal identity number."""
    from nmt.cases.services import DocumentInput, PersonInput, case_register

    return case_register(
        actor=personas.coordinator_stockholm,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 3, 14),
        region=region["stockholm"],
        person=PersonInput(
            given_name="Ioana Maria",
            family_name="Popescu",
            birth_date="1999-04-02",
            sex="female",
            citizenships=["RO"],
            documents=[DocumentInput(kind="personnummer", number="199904022382")],
            address="Hemliga gatan 1, Solna",
        ),
        purposes=["sexual"],
    )
