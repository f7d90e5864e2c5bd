"""The authorization matrix: every URL pattern of the platform (web pages, API, admin site) against
every persona, for a read (GET) and a representative write (POST, or PATCH where the API edits
with PATCH), on every kind of object the route takes.

The expected answer comes from ``POLICY`` below, a table declared here from the access model
(DESIGN.md "Users and what they do", docs/adr/0002-access-and-protection.md, docs/api.md), not from
the policy code under test. A route that is not in the table fails
``test_every_route_has_a_declared_policy``: a new route needs a declared policy before it lands.

Dimensions: each role; own and other region (coordinators of Stockholm and of Syd); own and other
agency (Migrationsverket and the police as receivers, social services as a regional receiver);
referral pending, accepted and closed; the support line's own and others' cases; a protected
person; and the people who must get nothing: anonymous, inactive, logged in without a role,
logged in without the second factor.

Speed: the scenario is built once per module; every request runs in a savepoint that is rolled
back, so each write is tried against the same state and no order of tests matters.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient
from tests.conftest import make_user

# ---------------------------------------------------------------------------------- personas

NATIONAL = "national_team"  # an analyst in the national team's group (method support)
UNVERIFIED = "coordinator_unverified"  # password only, second factor not given
SIGNED_IN = (
    "coordinator_stockholm",
    "coordinator_stockholm_2",
    "coordinator_syd",
    "supportline",
    "supportline_2",
    "liaison_migrationsverket",
    "liaison_polisen",
    "analyst",
    NATIONAL,
    "auditor",
    "admin",
    "outsider",
)
SIGNED_OUT = ("anonymous", "inactive_coordinator", UNVERIFIED)
PERSONAS = SIGNED_IN + SIGNED_OUT

COORDINATORS_STHLM = {"coordinator_stockholm", "coordinator_stockholm_2"}
COORDINATORS = COORDINATORS_STHLM | {"coordinator_syd"}
SUPPORTLINE = {"supportline", "supportline_2"}
LIAISONS = {"liaison_migrationsverket", "liaison_polisen"}
CASE_ROLES = COORDINATORS | SUPPORTLINE | LIAISONS
NETWORK = CASE_ROLES | {"analyst", NATIONAL}  # method support: the network's roles
ANALYSTS = {"analyst", NATIONAL}

# ---------------------------------------------------------------------------------- the cases
#
# open       Stockholm, referral to Migrationsverket pending; a measure
# closed     Stockholm, referral to Migrationsverket closed
# accepted   Stockholm, protected person, referral to the police accepted
# syd        Syd, referral to social services in Stockholm pending
# sl         opened by the support line (lina) from a call, region Syd
CASES = ("open", "closed", "accepted", "syd", "sl")

SEES = {
    "coordinator_stockholm": {"open", "closed", "accepted", "syd"},
    "coordinator_stockholm_2": {"open", "closed", "accepted", "syd"},
    "coordinator_syd": {"syd", "sl"},
    "supportline": {"sl"},
    "liaison_migrationsverket": {"open"},
    "liaison_polisen": {"accepted"},
}
OWNS = {
    "coordinator_stockholm": {"open", "closed", "accepted"},
    "coordinator_stockholm_2": {"open", "closed", "accepted"},
    "coordinator_syd": {"syd", "sl"},
    "supportline": {"sl"},
}
# Owners, and receivers of an accepted referral, add notes and measures.
CONTRIBUTES = {**OWNS, "liaison_polisen": {"accepted"}}
# The protected person's address is revealed (audited) to the owners of their case.
REVEALS = OWNS

# Referrals: (case, receiving agency's people, status).
REFERRALS = {
    "r_open": ("open", {"liaison_migrationsverket"}, "pending"),
    "r_closed": ("closed", {"liaison_migrationsverket"}, "closed"),
    "r_accepted": ("accepted", {"liaison_polisen"}, "accepted"),
    "r_syd": ("syd", COORDINATORS_STHLM, "pending"),
}


def sees(p: str, case: str) -> bool:
    return case in SEES.get(p, set())


def owns(p: str, case: str) -> bool:
    return case in OWNS.get(p, set())


def contributes(p: str, case: str) -> bool:
    return case in CONTRIBUTES.get(p, set())


def responds(p: str, referral: str) -> bool:
    _case, receivers, status = REFERRALS[referral]
    return p in receivers and status == "pending"


def closes(p: str, referral: str) -> bool:
    case, receivers, status = REFERRALS[referral]
    if status not in {"pending", "accepted"}:
        return False
    return owns(p, case) or p in receivers


# ---------------------------------------------------------------------------------- outcomes

OK = "ok"  # allowed: 200 for a read; for a write the route's success (or a form shown again)
EMPTY = "empty"  # 200 with an empty list: the role sees none of these
OK_WEB_WRITE = {200, 302}
OK_API_WRITE = {200, 201, 204}
FORBIDDEN, HIDDEN, NOT_ALLOWED = 403, 404, 405

Rule = Callable[[str, str], Any]  # (persona, target label) -> OK or a status code


def everyone(outcome: Any) -> Rule:
    return lambda p, t: outcome


def only(people: set[str], *, otherwise: int = HIDDEN) -> Rule:
    return lambda p, t: OK if p in people else otherwise


def see_case(p: str, t: str) -> Any:
    return OK if sees(p, t) else HIDDEN


def case_action(allowed: Callable[[str, str], bool]) -> Rule:
    """Visible and allowed: OK; visible, not allowed: 403; invisible: 404 (as missing)."""

    def rule(p: str, t: str) -> Any:
        case = t.split(":")[0]
        if not sees(p, case):
            return HIDDEN
        return OK if allowed(p, case) else FORBIDDEN

    return rule


# ---------------------------------------------------------------------------------- scenario


@dataclass
class Scenario:
    users: dict[str, Any]
    cases: dict[str, Any]
    referrals: dict[str, Any]
    measures: dict[str, Any]
    contact: Any
    fresh_contact: Any
    objects: dict[str, Any] = field(default_factory=dict)
    web: dict[str, Client] = field(default_factory=dict)
    api: dict[str, APIClient] = field(default_factory=dict)

    def number(self, case: str) -> str:
        return self.cases[case].case_number


def _verified_session(client: Client, user: Any) -> None:
    """A browser that has given password and second factor (a confirmed authenticator app)."""
    client.force_login(user)
    if "django_otp" not in django_settings.INSTALLED_APPS:
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="app", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Handbok för identifiering")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_scenario() -> Scenario:
    from django.contrib.auth.models import Group, Permission
    from rest_framework.authtoken.models import Token

    from nmt.accounts.models import Agency, Region
    from nmt.accounts.services import sync_role
    from nmt.cases.services import (
        PersonInput,
        case_register,
        measure_add,
        referral_accept,
        referral_close,
        referral_create,
    )
    from nmt.methods import services as methods
    from nmt.methods.guidance_seed import NATIONAL_TEAM_GROUP, seed_guidance
    from nmt.supportline.services import contact_create, contact_open_case

    region = {r.code: r for r in Region.objects.all()}
    agency = {a.code: a for a in Agency.objects.all()}
    specs = {
        "coordinator_stockholm": ("anna_sthlm", "coordinator", "socialtjansten", "stockholm"),
        "coordinator_stockholm_2": ("erik_sthlm", "coordinator", "socialtjansten", "stockholm"),
        "coordinator_syd": ("sara_syd", "coordinator", "socialtjansten", "syd"),
        "supportline": ("lina_stod", "supportline", "jamstalldhetsmyndigheten", None),
        "supportline_2": ("omar_stod", "supportline", "jamstalldhetsmyndigheten", None),
        "liaison_migrationsverket": ("maja_mig", "agency_liaison", "migrationsverket", None),
        "liaison_polisen": ("per_polis", "agency_liaison", "polismyndigheten", None),
        "analyst": ("ali_analys", "analyst", "jamstalldhetsmyndigheten", None),
        NATIONAL: ("nina_nationell", "analyst", "jamstalldhetsmyndigheten", None),
        "auditor": ("dora_dso", "auditor", "jamstalldhetsmyndigheten", None),
        "admin": ("adam_admin", "admin", "jamstalldhetsmyndigheten", None),
        "outsider": ("otto_outsider", "", None, None),
        "inactive_coordinator": ("ingrid_sthlm", "coordinator", "socialtjansten", "stockholm"),
        UNVERIFIED: ("ulf_sthlm", "coordinator", "socialtjansten", "stockholm"),
    }
    users = {}
    for persona, (username, role, agency_code, region_code) in specs.items():
        user = make_user(username, role, agency_code, region_code)
        sync_role(user)  # as the admin site does: only the admin role is staff
        users[persona] = user
    users["inactive_coordinator"].is_active = False
    users["inactive_coordinator"].save()

    seed_guidance()
    team = Group.objects.get(name=NATIONAL_TEAM_GROUP)
    team.permissions.add(
        Permission.objects.get(codename="national_team", content_type__app_label="methods")
    )
    users[NATIONAL].groups.add(team)

    anna, sara, lina = (
        users["coordinator_stockholm"],
        users["coordinator_syd"],
        users["supportline"],
    )

    def register(actor, region_code, given, **person):
        return case_register(
            actor=actor,
            channel="regional_coordinator",
            identified_on=dt.date(2025, 3, 14),
            region=region[region_code],
            person=PersonInput(given_name=given, family_name="Test", **person),
            purposes=["sexual"],
        )

    cases = {
        "open": register(anna, "stockholm", "Ioana", address="Gatan 1"),
        "closed": register(anna, "stockholm", "Chidi"),
        "accepted": register(
            anna,
            "stockholm",
            "Mai",
            protected_identity=True,
            address="Skyddad adress 3",
            whereabouts="Skyddat boende",
        ),
        "syd": register(sara, "syd", "Olena"),
    }

    def refer(actor, case, to, **extra):
        return referral_create(
            actor=actor,
            case=cases[case],
            to_agency=agency[to],
            legal_ground="consent",
            consent="given",
            **extra,
        )

    referrals = {
        "r_open": refer(anna, "open", "migrationsverket"),
        "r_closed": refer(anna, "closed", "migrationsverket"),
        "r_accepted": refer(anna, "accepted", "polismyndigheten"),
        "r_syd": refer(sara, "syd", "socialtjansten", to_region=region["stockholm"]),
    }
    referrals["r_closed"] = referral_close(
        actor=anna, referral=referrals["r_closed"], expected_version=1
    )
    referrals["r_accepted"] = referral_accept(
        actor=users["liaison_polisen"], referral=referrals["r_accepted"], expected_version=1
    )
    contact = contact_create(
        actor=lina,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        topic="suspected_case",
        caller_type="social_services",
        region=region["syd"],
        purposes=["crime"],
        summary="A school counsellor about a pupil.",
    )
    cases["sl"] = contact_open_case(actor=lina, contact=contact)
    fresh_contact = contact_create(
        actor=users["supportline_2"],
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        topic="suspected_case",
        region=region["syd"],
    )
    measures = {
        case: measure_add(
            actor=users["liaison_polisen"]
            if case == "accepted"
            else (sara if case in {"syd", "sl"} else anna),
            case=cases[case],
            kind="safe_housing",
            status="active",
            starts_on=timezone.localdate() - dt.timedelta(days=3),
        )
        for case in CASES
    }

    scenario = Scenario(
        users=users,
        cases={k: type(v).objects.get(pk=v.pk) for k, v in cases.items()},
        referrals={k: type(v).objects.get(pk=v.pk) for k, v in referrals.items()},
        measures=measures,
        contact=contact,
        fresh_contact=fresh_contact,
    )
    from nmt.audit.models import AuditEvent

    scenario.objects["audit_event"] = AuditEvent.objects.order_by("-id").first().pk
    _method_support(scenario, methods)
    _statistics(scenario)
    _admin_objects(scenario)
    for persona in PERSONAS:
        web, api = Client(), APIClient()
        if persona in SIGNED_IN or persona == "inactive_coordinator":
            _verified_session(web, users[persona])
            token, _created = Token.objects.get_or_create(user=users[persona])
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        elif persona == UNVERIFIED:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.create(user=users[UNVERIFIED], name="app", confirmed=True)
            web.force_login(users[UNVERIFIED])
            api.force_login(users[UNVERIFIED])
        scenario.web[persona], scenario.api[persona] = web, api
    return scenario


def _method_support(s: Scenario, methods: Any) -> None:
    from nmt.accounts.models import Region
    from nmt.methods.models import GuidanceVersion

    national, anna, sara = (
        s.users[NATIONAL],
        s.users["coordinator_stockholm"],
        s.users["coordinator_syd"],
    )
    published = GuidanceVersion.objects.get(status="published")
    draft = methods.guidance_draft_create(actor=national, change_note="Next edition")
    everyone_item = methods.library_item_create(
        actor=national,
        kind="document",
        category="handbook",
        title="Handbok",
        upload=io.BytesIO(_docx()),
        filename="handbok.docx",
    )
    syd_item = methods.library_item_create(
        actor=national,
        kind="page",
        category="guidance",
        title="Rutin för region Syd",
        body="Endast för koordinatorer i Syd.",
        roles=["coordinator"],
        regions=[Region.objects.get(code="syd")],
    )
    draft_report = methods.report_create(
        actor=anna, region=Region.objects.get(code="stockholm"), year=2025, term=1
    )
    submitted = methods.report_create(
        actor=sara, region=Region.objects.get(code="syd"), year=2025, term=1
    )
    submitted = methods.report_update(
        actor=sara, report=submitted, expected_version=submitted.version, trends="Läget i Syd."
    )
    submitted = methods.report_submit(
        actor=sara, report=submitted, expected_version=submitted.version
    )
    picture = methods.national_picture_compile(actor=national, year=2025, term=1)
    national_meeting = methods.meeting_create(
        actor=national, title="Nationellt nätverksmöte", kind="meeting", held_on=dt.date(2025, 5, 5)
    )
    regional_meeting = methods.meeting_create(
        actor=anna,
        title="Regionalt möte Stockholm",
        kind="meeting",
        held_on=dt.date(2025, 5, 6),
        region=Region.objects.get(code="stockholm"),
    )
    action = methods.action_add(
        actor=anna,
        meeting=regional_meeting,
        text="Kontakta Migrationsverket",
        due_on=dt.date(2025, 6, 1),
        owner=s.users["coordinator_stockholm_2"],
    )
    s.objects.update(
        guidance_published=published,
        guidance_draft=draft,
        draft_item=draft.items.first(),
        library_everyone=everyone_item,
        library_syd=syd_item,
        report_draft=draft_report,
        report_submitted=submitted,
        picture=picture,
        meeting_national=national_meeting,
        meeting_regional=regional_meeting,
        action=action,
    )


def _statistics(s: Scenario) -> None:
    from nmt.reports.services import agency_list_import

    s.objects["agency_list"] = agency_list_import(
        actor=s.users["analyst"],
        data=b"record_id,given_name,identification_date\nP1,Anna,2025-02-01\n",
        filename="polisen.csv",
        source="ngo_list",
        origin="Frivilligorganisation",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )


def _admin_objects(s: Scenario) -> None:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from rest_framework.authtoken.models import Token

    from nmt.accounts.models import Agency, County, Municipality, Region

    victim = s.users["coordinator_syd"]
    Token.objects.get_or_create(user=victim)
    s.objects["admin"] = {
        "accounts.user": victim.pk,
        "accounts.agency": Agency.objects.get(code="migrationsverket").pk,
        "accounts.region": Region.objects.get(code="syd").pk,
        "accounts.county": County.objects.first().pk,
        "accounts.municipality": Municipality.objects.first().pk,
        "auth.group": Group.objects.first().pk,
        "authtoken.tokenproxy": victim.pk,
    }
    if "django_otp" in django_settings.INSTALLED_APPS:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        totp = TOTPDevice.objects.create(user=victim, name="app", confirmed=True)
        static = StaticDevice.objects.create(user=victim, name="recovery", confirmed=True)
        s.objects["admin"].update(
            {"otp_totp.totpdevice": totp.pk, "otp_static.staticdevice": static.pk}
        )
    if "axes" in django_settings.INSTALLED_APPS:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": victim.username}
        s.objects["admin"].update(
            {
                "axes.accessattempt": AccessAttempt.objects.create(
                    failures_since_start=1, **common
                ).pk,
                "axes.accesslog": AccessLog.objects.create(**common).pk,
                "axes.accessfailurelog": AccessFailureLog.objects.create(**common).pk,
            }
        )
    s.objects["content_type"] = ContentType.objects.get_for_model(type(s.cases["open"])).pk


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker) -> Iterator[Scenario]:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with fast:
                built = build_scenario()
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    body: dict = field(default_factory=dict)  # the representative write's body


@dataclass(frozen=True)
class Policy:
    """How a route is requested and what each persona gets.

    ``targets`` gives the concrete URLs (one per kind of object the route takes); ``read`` and
    ``write`` are rules (persona, target label) -> outcome; ``write_method`` is POST or PATCH.
    ``public`` routes answer signed-out users by their own rule instead of the login.
    """

    targets: Callable[[Scenario, str], list[Target]]
    read: Rule
    write: Rule
    write_method: str = "post"
    public: bool = False
    signed_out: dict[str, Any] = field(default_factory=dict)  # exceptions for signed-out personas


def single(path: str, body: dict | None = None) -> Callable[[Scenario, str], list[Target]]:
    return lambda s, p: [Target("-", path, body or {})]


def per_case(suffix: str, body: Callable[[Scenario, str, str], dict] | None = None, api=False):
    def targets(s: Scenario, p: str) -> list[Target]:
        prefix = "/api/v1/cases/" if api else "/cases/"
        return [
            Target(case, f"{prefix}{s.number(case)}/{suffix}", body(s, case, p) if body else {})
            for case in CASES
        ]

    return targets


# ---------------------------------------------------------------------------------- web pages


def _case_form(s: Scenario, case: str, p: str) -> dict:
    c = s.cases[case]
    return {
        "identified_on": "2025-03-14",
        "channel": c.channel,
        "region": str(c.region_id),
        "purposes": ["begging"],
        "offence": "trafficking",
        "exploitation_place": "sweden",
        "version": str(c.version),
    }


def _person_form(s: Scenario, case: str, p: str) -> dict:
    return {"given_name": "Ändrad", "sex": "female", "version": str(s.cases[case].person.version)}


def _measure_targets(s: Scenario, p: str) -> list[Target]:
    return [
        Target(
            case,
            f"/measures/{m.pk}/",
            {"status": "active", "starts_on": m.starts_on.isoformat(), "version": str(m.version)},
        )
        for case, m in s.measures.items()
    ]


def _respond_targets(s: Scenario, p: str) -> list[Target]:
    targets = []
    for name, referral in s.referrals.items():
        for action in ("accept", "decline", "close"):
            body = {"version": str(referral.version), "reason": "Not ours."}
            targets.append(Target(f"{name}:{action}", f"/referrals/{referral.pk}/{action}/", body))
    return targets


def respond_rule(read: bool) -> Rule:
    def rule(p: str, t: str) -> Any:
        name, action = t.split(":")
        case = REFERRALS[name][0]
        if not sees(p, case):
            return HIDDEN
        if action == "decline" and not responds(p, name):
            return FORBIDDEN
        if read:
            return OK if action == "decline" else HIDDEN  # only declining has a form
        allowed = closes(p, name) if action == "close" else responds(p, name)
        return OK if allowed else FORBIDDEN

    return rule


def _workflow_body(s: Scenario, case: str, p: str) -> dict:
    item = s.objects["guidance_published"].items.first()
    return {"done": [item.key]}


WEB: dict[str, Policy] = {
    "dashboard": Policy(single("/"), everyone(OK), everyone(OK)),
    "healthz": Policy(single("/healthz/"), everyone(OK), everyone(NOT_ALLOWED), public=True),
    "login": Policy(
        single("/login/", {"username": "anna_sthlm", "password": "wrong password"}),
        lambda p, t: 302 if p in SIGNED_IN else OK,
        lambda p, t: 302 if p in SIGNED_IN else OK,
        public=True,
    ),
    "logout": Policy(single("/logout/"), everyone(NOT_ALLOWED), everyone(302), public=True),
    "two-factor-verify": Policy(single("/two-factor/"), everyone(OK), everyone(OK)),
    "two-factor-setup": Policy(single("/two-factor/setup/"), everyone(302), everyone(302)),
    "set_language": Policy(
        single("/i18n/setlang/", {"language": "en", "next": "/"}),
        everyone(302),
        everyone(302),
        public=True,
    ),
    "case-list": Policy(single("/cases/"), everyone(OK), everyone(OK)),
    "case-register": Policy(
        single("/cases/new/"),
        only(COORDINATORS | SUPPORTLINE, otherwise=FORBIDDEN),
        only(COORDINATORS | SUPPORTLINE, otherwise=FORBIDDEN),
    ),
    "case-index": Policy(
        single("/cases/index/?q=Test"),
        only(COORDINATORS | SUPPORTLINE),
        only(COORDINATORS | SUPPORTLINE),
    ),
    "case-detail": Policy(per_case(""), see_case, see_case),
    "case-edit": Policy(per_case("edit/", _case_form), case_action(owns), case_action(owns)),
    "person-edit": Policy(per_case("person/", _person_form), case_action(owns), case_action(owns)),
    "case-status": Policy(
        per_case(
            "status/", lambda s, c, p: {"status": "support", "version": str(s.cases[c].version)}
        ),
        everyone(NOT_ALLOWED),
        case_action(owns),
    ),
    "note-add": Policy(
        per_case("notes/", lambda s, c, p: {"text": "En anteckning"}),
        everyone(NOT_ALLOWED),
        case_action(contributes),
    ),
    "measure-add": Policy(
        per_case("measures/", lambda s, c, p: {"kind": "health_care", "status": "planned"}),
        case_action(contributes),
        case_action(contributes),
    ),
    "referral-add": Policy(
        per_case(
            "referrals/",
            lambda s, c, p: {
                "to_agency": str(s.users["liaison_polisen"].agency_id),
                "legal_ground": "consent",
                "consent": "given",
            },
        ),
        case_action(owns),
        case_action(owns),
    ),
    "case-reveal": Policy(
        per_case("reveal/", lambda s, c, p: {"reason": "Placering av skyddat boende"}),
        case_action(lambda p, c: c in REVEALS.get(p, set())),
        case_action(lambda p, c: c in REVEALS.get(p, set())),
    ),
    "measure-edit": Policy(_measure_targets, case_action(contributes), case_action(contributes)),
    "referral-respond": Policy(_respond_targets, respond_rule(read=True), respond_rule(read=False)),
    "audit-list": Policy(single("/audit/"), only({"auditor"}), only({"auditor"})),
    "audit-detail": Policy(
        lambda s, p: [Target("-", f"/audit/{s.objects['audit_event']}/")],
        only({"auditor"}),
        only({"auditor"}),
    ),
    "contact-list": Policy(single("/supportline/"), only(SUPPORTLINE), only(SUPPORTLINE)),
    "contact-create": Policy(
        single(
            "/supportline/new/",
            {"occurred_at": "2025-05-01T10:00", "topic": "suspected_case", "caller_type": "other"},
        ),
        only(SUPPORTLINE),
        only(SUPPORTLINE),
    ),
    "contact-detail": Policy(
        lambda s, p: [Target("-", f"/supportline/{s.contact.pk}/")],
        only(SUPPORTLINE),
        only(SUPPORTLINE),
    ),
    "contact-edit": Policy(
        lambda s, p: [
            Target(
                "-",
                f"/supportline/{s.contact.pk}/edit/",
                {
                    "occurred_at": "2025-05-01T10:00",
                    "topic": "suspected_case",
                    "caller_type": "other",
                    "version": str(s.contact.version),
                },
            )
        ],
        only(SUPPORTLINE),
        only(SUPPORTLINE),
    ),
    "contact-open-case": Policy(
        lambda s, p: [Target("-", f"/supportline/{s.fresh_contact.pk}/case/")],
        everyone(NOT_ALLOWED),
        only(SUPPORTLINE),
    ),
    # the person's rights (owners of the case)
    "subject-access": Policy(per_case("subject-access.json"), case_action(owns), case_action(owns)),
    "erasure": Policy(
        per_case(
            "erasure/",
            lambda s, c, p: {
                "received_on": "2025-06-01",
                "requested_by": "Personen själv",
                "ongoing_investigation": "on",
                "reason": "Förundersökning pågår.",
            },
        ),
        case_action(owns),
        case_action(owns),
    ),
    # method support
    "workflow-update": Policy(
        per_case("workflow/", _workflow_body), everyone(NOT_ALLOWED), case_action(owns)
    ),
    "guidance-list": Policy(single("/guidance/"), only(NETWORK), only(NETWORK)),
    "guidance-draft": Policy(
        single("/guidance/new/"), everyone(NOT_ALLOWED), only({NATIONAL}, otherwise=FORBIDDEN)
    ),
    "guidance-detail": Policy(
        lambda s, p: [
            Target("published", f"/guidance/{s.objects['guidance_published'].number}/"),
            Target("draft", f"/guidance/{s.objects['guidance_draft'].number}/"),
        ],
        lambda p, t: OK if p == NATIONAL or (t == "published" and p in NETWORK) else HIDDEN,
        lambda p, t: OK if p == NATIONAL or (t == "published" and p in NETWORK) else HIDDEN,
    ),
}


def guidance_manage(p: str, t: str) -> Any:
    if p == NATIONAL:
        return OK
    if t == "published" and p in NETWORK:
        return FORBIDDEN
    return HIDDEN


def _guidance_targets(suffix: Callable[[Scenario], str]) -> Callable[[Scenario, str], list[Target]]:
    def targets(s: Scenario, p: str) -> list[Target]:
        return [
            Target(label, f"/guidance/{s.objects[key].number}/{suffix(s)}", _item_form())
            for label, key in (("published", "guidance_published"), ("draft", "guidance_draft"))
        ]

    return targets


def _item_form() -> dict:
    return {
        "kind": "indicator",
        "key": "security-test",
        "purpose": "",
        "phase": "identify",
        "order": "99",
        "title_sv": "Test",
        "title_en": "Test",
    }


def library_sees(p: str, t: str) -> bool:
    if p == NATIONAL:
        return True
    if t == "everyone":
        return p in NETWORK
    return p == "coordinator_syd"  # tagged: role coordinator, region Syd


def _library_targets(suffix: str) -> Callable[[Scenario, str], list[Target]]:
    def targets(s: Scenario, p: str) -> list[Target]:
        return [
            Target("everyone", f"/library/{s.objects['library_everyone'].pk}/{suffix}"),
            Target("syd", f"/library/{s.objects['library_syd'].pk}/{suffix}"),
        ]

    return targets


def report_sees(p: str, t: str) -> bool:
    if t == "draft":  # Stockholm's draft
        return p in COORDINATORS_STHLM
    return p in COORDINATORS or p == NATIONAL  # Syd's submitted report


def _report_targets(suffix: str, body: dict | None = None):
    def targets(s: Scenario, p: str) -> list[Target]:
        draft, submitted = s.objects["report_draft"], s.objects["report_submitted"]
        return [
            Target(
                "draft",
                f"/situation/{draft.pk}/{suffix}",
                {**(body or {}), "version": str(draft.version)},
            ),
            Target(
                "submitted",
                f"/situation/{submitted.pk}/{suffix}",
                {**(body or {}), "version": str(submitted.version)},
            ),
        ]

    return targets


def comment_rule(p: str, t: str) -> Any:
    """Comments go on submitted reports, from the national team and the region's coordinators;
    other regions read them; a draft takes none."""
    if not report_sees(p, t):
        return HIDDEN
    if t == "submitted" and p in {NATIONAL, "coordinator_syd"}:
        return OK
    return FORBIDDEN


def meeting_sees(p: str, t: str) -> bool:
    if t == "national":
        return p in NETWORK
    return p in COORDINATORS_STHLM or p == NATIONAL  # Stockholm's meeting, organised by anna


def meeting_edits(p: str, t: str) -> Any:
    if not meeting_sees(p, t):
        return HIDDEN
    if p == NATIONAL or (t == "regional" and p in COORDINATORS_STHLM):
        return OK
    return FORBIDDEN


def _meeting_targets(suffix: str, body: dict | None = None):
    def targets(s: Scenario, p: str) -> list[Target]:
        return [
            Target(label, f"/meetings/{s.objects[key].pk}/{suffix}", body or {})
            for label, key in (("national", "meeting_national"), ("regional", "meeting_regional"))
        ]

    return targets


MEETING_FORM = {"title": "Möte", "kind": "meeting", "held_on": "2025-05-05"}

WEB.update(
    {
        "guidance-publish": Policy(
            _guidance_targets(lambda s: "publish/"), everyone(NOT_ALLOWED), guidance_manage
        ),
        "guidance-item-add": Policy(
            _guidance_targets(lambda s: "items/new/"), guidance_manage, guidance_manage
        ),
        "guidance-item": Policy(
            _guidance_targets(lambda s: f"items/{s.objects['draft_item'].pk}/"),
            # The draft's item is not an item of the published version: 404 there too.
            lambda p, t: HIDDEN if t == "published" and p == NATIONAL else guidance_manage(p, t),
            lambda p, t: HIDDEN if t == "published" and p == NATIONAL else guidance_manage(p, t),
        ),
        "library": Policy(single("/library/?q=handbok"), everyone(OK), everyone(OK)),
        "library-add": Policy(
            single("/library/new/"),
            only({NATIONAL}, otherwise=FORBIDDEN),
            only({NATIONAL}, otherwise=FORBIDDEN),
        ),
        "library-item": Policy(
            _library_targets(""),
            lambda p, t: OK if library_sees(p, t) else HIDDEN,
            lambda p, t: OK if library_sees(p, t) else HIDDEN,
        ),
        "library-edit": Policy(
            _library_targets("edit/"),
            lambda p, t: (OK if p == NATIONAL else FORBIDDEN) if library_sees(p, t) else HIDDEN,
            lambda p, t: (OK if p == NATIONAL else FORBIDDEN) if library_sees(p, t) else HIDDEN,
        ),
        "library-download": Policy(
            _library_targets("versions/1/download/"),
            # Only the handbook has a file; a page has nothing to download.
            lambda p, t: OK if t == "everyone" and library_sees(p, t) else HIDDEN,
            lambda p, t: OK if t == "everyone" and library_sees(p, t) else HIDDEN,
        ),
        "situation-list": Policy(
            single("/situation/", {"year": "2025", "term": "2"}),
            only(COORDINATORS | {NATIONAL}),
            lambda p, t: OK if p in COORDINATORS else FORBIDDEN if p == NATIONAL else HIDDEN,
        ),
        "situation-detail": Policy(
            _report_targets(""),
            lambda p, t: OK if report_sees(p, t) else HIDDEN,
            lambda p, t: OK if report_sees(p, t) else HIDDEN,
        ),
        "situation-save": Policy(
            _report_targets("save/", {"trends": "Läget."}),
            everyone(NOT_ALLOWED),
            lambda p, t: (
                HIDDEN
                if not report_sees(p, t)
                else OK
                if t == "draft"  # only the region's own draft is editable
                else FORBIDDEN
            ),
        ),
        "situation-comment": Policy(
            _report_targets("comment/", {"text": "En kommentar"}),
            everyone(NOT_ALLOWED),
            comment_rule,
        ),
        "national-picture-new": Policy(
            single("/situation/national/", {"year": "2025", "term": "1"}),
            only({NATIONAL}),
            only({NATIONAL}),
        ),
        "national-picture": Policy(
            lambda s, p: [Target("-", f"/situation/national/{s.objects['picture'].pk}/")],
            only({NATIONAL}),
            only({NATIONAL}),
        ),
        "meeting-list": Policy(single("/meetings/"), only(NETWORK), only(NETWORK)),
        "meeting-add": Policy(single("/meetings/new/", MEETING_FORM), only(NETWORK), only(NETWORK)),
        "meeting-detail": Policy(
            _meeting_targets(""),
            lambda p, t: OK if meeting_sees(p, t) else HIDDEN,
            lambda p, t: OK if meeting_sees(p, t) else HIDDEN,
        ),
        "meeting-edit": Policy(
            _meeting_targets("edit/", MEETING_FORM), meeting_edits, meeting_edits
        ),
        "meeting-add-row": Policy(
            _meeting_targets("decision/", {"text": "Beslut"}), everyone(NOT_ALLOWED), meeting_edits
        ),
        "action-done": Policy(
            lambda s, p: [Target("-", f"/actions/{s.objects['action'].pk}/done/")],
            everyone(NOT_ALLOWED),
            # The owner (erik) and those who edit the meeting; other viewers may not.
            lambda p, t: OK if p in COORDINATORS_STHLM or p == NATIONAL else HIDDEN,
        ),
        "signals": Policy(single("/signals/"), only({NATIONAL}), only({NATIONAL})),
        # statistics (analysts)
        "report-list": Policy(single("/reports/"), only(ANALYSTS), only(ANALYSTS)),
        "report-lists": Policy(single("/reports/lists/"), only(ANALYSTS), only(ANALYSTS)),
        "report-list-delete": Policy(
            lambda s, p: [Target("-", f"/reports/lists/{s.objects['agency_list'].pk}/delete/")],
            everyone(NOT_ALLOWED),
            only(ANALYSTS),
        ),
        # No yearly run in this scenario (a run links and estimates: tests/reports covers the
        # analyst's pages); a missing run is 404 for everyone, the analyst included.
        "report-detail": Policy(single("/reports/999999/"), everyone(HIDDEN), everyone(HIDDEN)),
        "report-download": Policy(
            single("/reports/999999/pdf/"), everyone(HIDDEN), everyone(HIDDEN)
        ),
    }
)

# ---------------------------------------------------------------------------------- API

V1 = "/api/v1"


def api_per_case(suffix: str, body=None):
    return per_case(suffix, body, api=True)


def _api_register(s: Scenario, p: str) -> list[Target]:
    region = {"coordinator_syd": "syd"}.get(p, "stockholm")
    channel = "support_line" if p in SUPPORTLINE else "regional_coordinator"
    body = {"channel": channel, "identified_on": "2025-05-01", "region": region}
    return [Target("-", f"{V1}/cases/", body)]


def _api_sub(kind: str, suffix: str = "", body=None):
    """Routes under a case that name a measure or referral: every object under its own case."""

    def targets(s: Scenario, p: str) -> list[Target]:
        out = []
        if kind == "measures":
            for case, m in s.measures.items():
                b = body(s, m) if body else {}
                out.append(Target(case, f"{V1}/cases/{s.number(case)}/measures/{m.pk}/{suffix}", b))
        else:
            for name, r in s.referrals.items():
                case = REFERRALS[name][0]
                b = body(s, r) if body else {}
                out.append(
                    Target(
                        f"{case}:{name}",
                        f"{V1}/cases/{s.number(case)}/referrals/{r.pk}/{suffix}",
                        b,
                    )
                )
        return out

    return targets


def api_respond(action: str) -> Rule:
    def rule(p: str, t: str) -> Any:
        case, name = t.split(":")
        if not sees(p, case):
            return HIDDEN
        allowed = closes(p, name) if action == "close" else responds(p, name)
        return OK if allowed else FORBIDDEN

    return rule


def api_library(p: str, t: str) -> Any:
    return OK if library_sees(p, t) else HIDDEN


API: dict[str, Policy] = {
    # The schema and its docs page describe the API, not data: public.
    "api-schema": Policy(
        single("/api/schema/"),
        everyone(OK),
        everyone(NOT_ALLOWED),
        public=True,
        signed_out={"inactive_coordinator": FORBIDDEN},
    ),
    "api-docs": Policy(
        single("/api/docs/"),
        everyone(OK),
        everyone(NOT_ALLOWED),
        public=True,
        signed_out={"inactive_coordinator": FORBIDDEN},
    ),
    "api-v1:token": Policy(
        single(f"{V1}/auth/token/", {"username": "anna_sthlm", "password": "wrong password"}),
        lambda p, t: 401 if p == "anonymous" else NOT_ALLOWED,
        everyone(400),  # wrong password, for everyone alike
        public=True,
    ),
    "api-v1:case-list": Policy(
        _api_register,
        only(set(SEES), otherwise=EMPTY),  # roles without cases get an empty list, not 403
        only(COORDINATORS | SUPPORTLINE, otherwise=FORBIDDEN),
    ),
    "api-v1:case-detail": Policy(
        api_per_case("", lambda s, c, p: {"version": s.cases[c].version, "industry": "cleaning"}),
        see_case,
        case_action(owns),
        write_method="patch",
    ),
    "api-v1:case-status": Policy(
        api_per_case(
            "status/", lambda s, c, p: {"version": s.cases[c].version, "status": "support"}
        ),
        everyone(NOT_ALLOWED),
        case_action(owns),
    ),
    "api-v1:case-person": Policy(
        api_per_case(
            "person/", lambda s, c, p: {"version": s.cases[c].person.version, "given_name": "X"}
        ),
        see_case,
        case_action(owns),
        write_method="patch",
    ),
    "api-v1:case-timeline": Policy(
        api_per_case("timeline/", lambda s, c, p: {"text": "En anteckning"}),
        see_case,
        case_action(contributes),
    ),
    "api-v1:measure-list": Policy(
        api_per_case("measures/", lambda s, c, p: {"kind": "health_care"}),
        see_case,
        case_action(contributes),
    ),
    "api-v1:measure-detail": Policy(
        _api_sub("measures", body=lambda s, m: {"version": m.version, "notes": "Uppdaterad"}),
        see_case,
        case_action(contributes),
        write_method="patch",
    ),
    "api-v1:referral-list": Policy(
        api_per_case(
            "referrals/",
            lambda s, c, p: {
                "to_agency": "aklagarmyndigheten",
                "legal_ground": "consent",
                "consent": "given",
            },
        ),
        see_case,
        case_action(owns),
    ),
    "api-v1:referral-detail": Policy(
        _api_sub("referrals"),
        lambda p, t: see_case(p, t.split(":")[0]),
        everyone(NOT_ALLOWED),
    ),
    "api-v1:referral-accept": Policy(
        _api_sub("referrals", "accept/", lambda s, r: {"version": r.version}),
        everyone(NOT_ALLOWED),
        api_respond("accept"),
    ),
    "api-v1:referral-decline": Policy(
        _api_sub(
            "referrals", "decline/", lambda s, r: {"version": r.version, "decline_reason": "Ej vår"}
        ),
        everyone(NOT_ALLOWED),
        api_respond("decline"),
    ),
    "api-v1:referral-close": Policy(
        _api_sub("referrals", "close/", lambda s, r: {"version": r.version}),
        everyone(NOT_ALLOWED),
        api_respond("close"),
    ),
    "api-v1:referral-inbox": Policy(
        single(f"{V1}/referrals/inbox/"),
        only(LIAISONS | COORDINATORS_STHLM, otherwise=EMPTY),
        everyone(NOT_ALLOWED),
    ),
    "api-v1:deadline-list": Policy(
        single(f"{V1}/deadlines/"), only(CASE_ROLES, otherwise=EMPTY), everyone(NOT_ALLOWED)
    ),
    "api-v1:case-index": Policy(
        single(f"{V1}/case-index/?q=Test"),
        only(COORDINATORS | SUPPORTLINE, otherwise=EMPTY),
        everyone(NOT_ALLOWED),
    ),
    "api-v1:contact-list": Policy(
        single(
            f"{V1}/contacts/",
            {"occurred_at": "2025-05-01T10:00:00+02:00", "topic": "suspected_case"},
        ),
        only(SUPPORTLINE, otherwise=EMPTY),
        only(SUPPORTLINE, otherwise=FORBIDDEN),
    ),
    "api-v1:contact-detail": Policy(
        lambda s, p: [
            Target(
                "-", f"{V1}/contacts/{s.contact.pk}/", {"version": s.contact.version, "advice": "x"}
            )
        ],
        only(SUPPORTLINE),
        only(SUPPORTLINE),
        write_method="patch",
    ),
    "api-v1:contact-open-case": Policy(
        lambda s, p: [Target("-", f"{V1}/contacts/{s.fresh_contact.pk}/open-case/")],
        everyone(NOT_ALLOWED),
        only(SUPPORTLINE),
    ),
    "api-v1:guidance": Policy(single(f"{V1}/guidance/"), only(NETWORK), everyone(NOT_ALLOWED)),
    "api-v1:case-workflow": Policy(
        api_per_case(
            "workflow/",
            lambda s, c, p: {"tick": [s.objects["guidance_published"].items.first().key]},
        ),
        see_case,
        case_action(owns),
    ),
    "api-v1:library-list": Policy(
        single(f"{V1}/library/"), only(NETWORK, otherwise=EMPTY), everyone(NOT_ALLOWED)
    ),
    "api-v1:library-item": Policy(
        lambda s, p: [
            Target("everyone", f"{V1}/library/{s.objects['library_everyone'].pk}/"),
            Target("syd", f"{V1}/library/{s.objects['library_syd'].pk}/"),
        ],
        api_library,
        everyone(NOT_ALLOWED),  # read-only: refused before the lookup, alike for all
    ),
    "api-v1:situation-report-list": Policy(
        single(f"{V1}/situation-reports/"),
        only(COORDINATORS | {NATIONAL}, otherwise=EMPTY),
        everyone(NOT_ALLOWED),
    ),
    "api-v1:situation-report-detail": Policy(
        lambda s, p: [
            Target("draft", f"{V1}/situation-reports/{s.objects['report_draft'].pk}/"),
            Target("submitted", f"{V1}/situation-reports/{s.objects['report_submitted'].pk}/"),
        ],
        lambda p, t: OK if report_sees(p, t) else HIDDEN,
        everyone(NOT_ALLOWED),
    ),
    "api-v1:meeting-list": Policy(
        single(f"{V1}/meetings/"), only(NETWORK, otherwise=EMPTY), everyone(NOT_ALLOWED)
    ),
    "api-v1:action-list": Policy(
        single(f"{V1}/meeting-actions/"), only(NETWORK, otherwise=EMPTY), everyone(NOT_ALLOWED)
    ),
    "api-v1:signal-list": Policy(single(f"{V1}/signals/"), only({NATIONAL}), everyone(NOT_ALLOWED)),
    "api-v1:region-list": Policy(single(f"{V1}/regions/"), everyone(OK), everyone(NOT_ALLOWED)),
    "api-v1:agency-list": Policy(single(f"{V1}/agencies/"), everyone(OK), everyone(NOT_ALLOWED)),
    # Anything else under /api/ is the API's JSON 404, signed in or not.
    "api/^(?:[\\s\\S]*/)?$": Policy(
        single("/api/v2/cases/"),
        everyone(HIDDEN),
        everyone(HIDDEN),
        public=True,
        signed_out={"inactive_coordinator": HIDDEN},
    ),
}

# ---------------------------------------------------------------------------------- admin site
#
# Only the admin role reaches the admin site, and there only users and the organisation's code
# lists (ADR 0002): never case data, API tokens, second-factor devices or lockout records (those
# are for a superuser at the console).

ADMIN_MANAGES = (
    "accounts.user",
    "accounts.agency",
    "accounts.region",
    "accounts.county",
    "accounts.municipality",
)
ADMIN_REFUSED = (
    "auth.group",
    "authtoken.tokenproxy",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
)


def admin_rule(allowed: Any) -> Rule:
    return lambda p, t: allowed if p == "admin" else 302  # everyone else: to the admin login


def _admin_model_policies() -> dict[str, Policy]:
    policies: dict[str, Policy] = {}
    for model in ADMIN_MANAGES + ADMIN_REFUSED:
        app, name = model.split(".")
        allowed = OK if model in ADMIN_MANAGES else FORBIDDEN
        base = f"/admin/{app}/{name}/"

        def obj(suffix: str, model=model, base=base):
            return lambda s, p: [Target("-", f"{base}{s.objects['admin'][model]}/{suffix}")]

        policies[f"admin:{app}_{name}_changelist"] = Policy(
            single(base), admin_rule(allowed), admin_rule(allowed)
        )
        policies[f"admin:{app}_{name}_add"] = Policy(
            single(f"{base}add/"), admin_rule(allowed), admin_rule(allowed)
        )
        policies[f"admin:{app}_{name}_history"] = Policy(
            obj("history/"), admin_rule(allowed), admin_rule(allowed)
        )
        policies[f"admin:{app}_{name}_delete"] = Policy(
            obj("delete/"), admin_rule(allowed), admin_rule(allowed)
        )
        policies[f"admin:{app}_{name}_change"] = Policy(
            obj("change/"), admin_rule(allowed), admin_rule(allowed)
        )
        # The bare object URL redirects to its change page (for those who may see it at all).
        policies[f"admin/{app}/{name}/<path:object_id>/"] = Policy(
            obj(""), admin_rule(302), admin_rule(302)
        )
    # Django shows no history of a lockout record to one who may not see it: to the index.
    policies["admin:axes_accessattempt_history"] = Policy(
        lambda s, p: [
            Target(
                "-",
                f"/admin/axes/accessattempt/{s.objects['admin']['axes.accessattempt']}/history/",
            )
        ],
        admin_rule(302),
        admin_rule(302),
    )
    policies["admin:auth_user_password_change"] = Policy(
        lambda s, p: [
            Target("-", f"/admin/accounts/user/{s.objects['admin']['accounts.user']}/password/")
        ],
        admin_rule(OK),
        admin_rule(OK),
    )
    for name in ("otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"):
        suffix = name.rsplit("_", 1)[1]
        policies[f"admin:{name}"] = Policy(
            lambda s, p, suffix=suffix: [
                Target(
                    "-",
                    f"/admin/otp_totp/totpdevice/{s.objects['admin']['otp_totp.totpdevice']}/{suffix}/",
                )
            ],
            admin_rule(FORBIDDEN),
            admin_rule(FORBIDDEN),
        )
    return policies


ADMIN: dict[str, Policy] = {
    "admin:index": Policy(single("/admin/"), admin_rule(OK), admin_rule(OK)),
    "admin:login": Policy(
        single("/admin/login/", {"username": "adam_admin", "password": "wrong password"}),
        lambda p, t: 302 if p == "admin" else OK,
        everyone(OK),  # a wrong password is a wrong password, signed in or not
        public=True,
    ),
    "admin:logout": Policy(single("/admin/logout/"), admin_rule(NOT_ALLOWED), admin_rule(OK)),
    "admin:password_change": Policy(
        single("/admin/password_change/"), admin_rule(OK), admin_rule(OK)
    ),
    "admin:password_change_done": Policy(
        single("/admin/password_change/done/"), admin_rule(OK), admin_rule(NOT_ALLOWED)
    ),
    "admin:autocomplete": Policy(
        single("/admin/autocomplete/?app_label=accounts&model_name=user&field_name=groups"),
        admin_rule(FORBIDDEN),
        admin_rule(NOT_ALLOWED),
    ),
    "admin:jsi18n": Policy(single("/admin/jsi18n/"), admin_rule(OK), admin_rule(NOT_ALLOWED)),
    "admin:view_on_site": Policy(
        lambda s, p: [Target("-", f"/admin/r/{s.objects['content_type']}/{s.cases['open'].pk}/")],
        admin_rule(HIDDEN),  # cases have no page outside the policy: no shortcut to one
        admin_rule(HIDDEN),
    ),
    "admin:app_list": Policy(
        lambda s, p: [Target("accounts", "/admin/accounts/"), Target("auth", "/admin/auth/")],
        lambda p, t: (OK if t == "accounts" else HIDDEN) if p == "admin" else 302,
        lambda p, t: (OK if t == "accounts" else HIDDEN) if p == "admin" else 302,
    ),
    "admin/(?P<url>.*)$": Policy(
        single("/admin/cases/identification/"), admin_rule(HIDDEN), admin_rule(HIDDEN)
    ),
    **_admin_model_policies(),
}

POLICY: dict[str, Policy] = {**WEB, **API, **ADMIN}

# ---------------------------------------------------------------------------------- the routes


def route_key(prefix: str, pattern: URLPattern, namespace: str | None) -> str:
    if pattern.name:
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    return prefix + str(pattern.pattern)


def all_routes(resolver: URLResolver | None = None, prefix: str = "", namespace=None):
    """Every URL pattern, by name (namespaced) or, unnamed, by its full pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from all_routes(entry, prefix + str(entry.pattern), child_ns)
        else:
            yield route_key(prefix, entry, namespace)


ROUTES = sorted(set(all_routes()))


def test_every_route_has_a_declared_policy():
    undeclared = [route for route in ROUTES if route not in POLICY]
    assert not undeclared, (
        "new route without a declared policy (add it to POLICY in tests/security/test_matrix.py): "
        + ", ".join(undeclared)
    )
    stale = sorted(set(POLICY) - set(ROUTES))
    assert not stale, "declared policy for a route that no longer exists: " + ", ".join(stale)


TWO_FACTOR = "nmt.web.middleware.TwoFactorMiddleware" in django_settings.MIDDLEWARE
# Paths a session without its second factor may still reach (nmt.web.middleware).
OPEN_TO_UNVERIFIED = ("/login/", "/logout/", "/two-factor/", "/static/", "/healthz/", "/i18n/")


def expected(key: str, policy: Policy, persona: str, method: str, target: Target) -> Any:
    """The declared answer; signed-out users get the login (in the route's own form) unless the
    route is public."""
    rule = policy.read if method == "get" else policy.write
    api = key.startswith("api")
    if persona in SIGNED_IN:
        return rule(persona, target.label)
    if persona in policy.signed_out:
        return policy.signed_out[persona]
    if persona == UNVERIFIED:
        if not TWO_FACTOR:
            return rule("coordinator_stockholm", target.label)
        if target.path.startswith(OPEN_TO_UNVERIFIED):
            return rule("coordinator_stockholm", target.label)
        return FORBIDDEN if api else 302  # API: "Verify your second factor first."
    if persona == "inactive_coordinator" and api:
        return 401  # the token of a deactivated user opens nothing, not even public routes
    if policy.public:
        return rule("anonymous", target.label)
    return 401 if api else 302


def _matches(outcome: Any, response: Any, method: str, api: bool) -> bool:
    status = response.status_code
    if outcome == EMPTY:
        body = response.json() if status == 200 else None
        return body == [] or (isinstance(body, dict) and body.get("results") == [])
    if outcome == OK:
        if method == "get":
            return status == 200
        return status in (OK_API_WRITE if api else OK_WEB_WRITE)
    return status == outcome


def _request(client: Client, method: str, target: Target, api: bool) -> Any:
    cache.clear()  # throttles: every request is a first attempt
    # A logout or login changes the browser's cookies; the next request starts from the same.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "get":
            response = client.get(target.path)
        elif api:
            response = getattr(client, method)(target.path, target.body, format="json")
        else:
            response = getattr(client, method)(target.path, target.body)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


SENT: dict[str, int] = {}  # requests per route, for the summary


@pytest.fixture(scope="module", autouse=True)
def _summary():
    yield
    if SENT:
        print(
            f"\nmatrix: {len(SENT)} routes, {len(PERSONAS)} personas, {sum(SENT.values())} requests"
        )


@pytest.fixture
def production_rendering(monkeypatch):
    """Templates render as in production: the test client's capture of every template context
    (a copy per template, for assertions this test does not make) costs most of its time; and
    the expected 403/404/405 warnings are not logged (errors still are)."""
    from django.template import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(POLICY))
def test_route_answers_each_persona_as_declared(key, scenario, settings, production_rendering):
    settings.NMT_REQUIRE_TWO_FACTOR = True  # as in production
    if key not in ROUTES:
        pytest.skip("route no longer exists (see test_every_route_has_a_declared_policy)")
    policy = POLICY[key]
    api = key.startswith("api")
    wrong = []
    for persona in PERSONAS:
        client = scenario.api[persona] if api else scenario.web[persona]
        for target in policy.targets(scenario, persona):
            for method in ("get", policy.write_method):
                want = expected(key, policy, persona, method, target)
                got = _request(client, method, target, api)
                if not _matches(want, got, method, api):
                    wrong.append(
                        f"{persona} {method.upper()} {target.path} [{target.label}]: "
                        f"{got.status_code}, expected {want}"
                    )
    SENT[key] = sum(len(policy.targets(scenario, p)) * 2 for p in PERSONAS)
    assert not wrong, f"{key}: {len(wrong)} answers differ from the policy:\n" + "\n".join(wrong)
