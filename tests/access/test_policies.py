"""The access policy for cases, for every role, region and referral state (DESIGN.md, users)."""

import datetime as dt

import pytest

from nmt.access.policies import case_policy, contact_policy
from nmt.cases import services
from nmt.supportline.services import contact_create


def _visible(actor, case) -> bool:
    return case_policy.visible(actor).filter(pk=case.pk).exists()


@pytest.fixture
def supportline_case(personas, region):
    return services.case_register(
        actor=personas.supportline,
        channel="support_line",
        identified_on=dt.date(2025, 5, 1),
        region=region["syd"],
    )


@pytest.fixture
def referral_to_migrationsverket(personas, stockholm_case, agency):
    return services.referral_create(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )


# Who sees a Stockholm coordinator's case with no referral.
NO_REFERRAL = {
    "coordinator_stockholm": True,
    "coordinator_stockholm_2": True,
    "coordinator_syd": False,
    "supportline": False,
    "supportline_2": False,
    "liaison_migrationsverket": False,
    "liaison_polisen": False,
    "analyst": False,
    "auditor": False,
    "admin": False,
    "outsider": False,
    "inactive_coordinator": False,
}


def test_case_without_referral(personas, stockholm_case):
    for name, user in personas.all().items():
        assert _visible(user, stockholm_case) == NO_REFERRAL[name], name


@pytest.mark.parametrize("state", ["pending", "accepted", "declined", "closed"])
def test_liaison_sees_case_only_while_referral_is_open(
    personas, stockholm_case, referral_to_migrationsverket, state
):
    referral = referral_to_migrationsverket
    liaison = personas.liaison_migrationsverket
    if state == "accepted":
        services.referral_accept(actor=liaison, referral=referral, expected_version=1)
    if state == "declined":
        services.referral_decline(
            actor=liaison, referral=referral, expected_version=1, reason="Inte vår fråga"
        )
    if state == "closed":
        services.referral_close(
            actor=personas.coordinator_stockholm, referral=referral, expected_version=1
        )
    expected = {**NO_REFERRAL, "liaison_migrationsverket": state in {"pending", "accepted"}}
    for name, user in personas.all().items():
        assert _visible(user, stockholm_case) == expected[name], (state, name)


def test_referral_to_another_regions_social_services(personas, stockholm_case, agency, region):
    services.referral_create(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        to_agency=agency["socialtjansten"],
        to_region=region["syd"],
        legal_ground="secrecy_provision",
        legal_ground_detail="OSL 26 kap. 9 §",
        consent="not_obtained",
    )
    assert _visible(personas.coordinator_syd, stockholm_case)
    assert not case_policy.can_edit(personas.coordinator_syd, stockholm_case)
    assert not _visible(personas.liaison_migrationsverket, stockholm_case)


def test_supportline_sees_only_the_cases_it_registered(personas, supportline_case):
    assert _visible(personas.supportline, supportline_case)
    assert not _visible(personas.supportline_2, supportline_case)
    # The region's coordinators see it: the case lies in their region.
    assert _visible(personas.coordinator_syd, supportline_case)
    assert not _visible(personas.coordinator_stockholm, supportline_case)


def test_edit_and_contribute_rights(personas, stockholm_case, referral_to_migrationsverket):
    owner, liaison = personas.coordinator_stockholm, personas.liaison_migrationsverket
    assert case_policy.can_edit(owner, stockholm_case)
    assert case_policy.can_edit(personas.coordinator_stockholm_2, stockholm_case)
    assert not case_policy.can_edit(liaison, stockholm_case)
    # A pending referral lets the receiver read, not add to the case.
    assert not case_policy.can_contribute(liaison, stockholm_case)
    services.referral_accept(
        actor=liaison, referral=referral_to_migrationsverket, expected_version=1
    )
    assert case_policy.can_contribute(liaison, stockholm_case)
    assert not case_policy.can_refer(liaison, stockholm_case)
    for name in ("analyst", "auditor", "admin", "outsider", "coordinator_syd"):
        user = getattr(personas, name)
        assert not case_policy.can_edit(user, stockholm_case), name
        assert not case_policy.can_contribute(user, stockholm_case), name


def test_who_may_register(personas):
    allowed = {"coordinator_stockholm", "coordinator_stockholm_2", "coordinator_syd"}
    allowed |= {"supportline", "supportline_2"}
    for name, user in personas.all().items():
        assert case_policy.can_register(user) == (name in allowed), name


def test_only_the_receiver_may_respond(personas, referral_to_migrationsverket):
    referral = referral_to_migrationsverket
    for name, user in personas.all().items():
        assert case_policy.can_respond(user, referral) == (name == "liaison_migrationsverket")


def test_protected_details_only_for_owners(personas, stockholm_case, referral_to_migrationsverket):
    person = stockholm_case.person
    assert case_policy.can_see_protected(personas.coordinator_stockholm, person)
    assert not case_policy.can_see_protected(personas.liaison_migrationsverket, person)
    assert not case_policy.can_see_protected(personas.coordinator_syd, person)


def test_support_line_calls_only_for_the_support_line(personas):
    from django.utils import timezone

    call = contact_create(actor=personas.supportline, occurred_at=timezone.now(), topic="method")
    for name, user in personas.all().items():
        sees = contact_policy.visible(user).filter(pk=call.pk).exists()
        assert sees == (name in {"supportline", "supportline_2"}), name


def test_anonymous_sees_nothing(stockholm_case):
    from django.contrib.auth.models import AnonymousUser

    assert not case_policy.visible(AnonymousUser()).exists()
    assert not contact_policy.visible(AnonymousUser()).exists()
    assert not case_policy.can_register(AnonymousUser())


@pytest.mark.parametrize("listed", [True, False], ids=["ids-listed", "subquery"])
def test_referred_cases_both_query_forms(
    personas, stockholm_case, referral_to_migrationsverket, monkeypatch, listed
):
    from nmt.access import policies

    if not listed:
        monkeypatch.setattr(policies, "MAX_LISTED_REFERRALS", 0)
    liaison = personas.liaison_migrationsverket
    assert list(case_policy.visible(liaison)) == [stockholm_case]
    assert list(case_policy.visible(personas.liaison_polisen)) == []
