"""The synthetic data generator: shapes, overlap between agencies, determinism. No database."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import sys

import pytest

from nmt.demo.generator import DemoData, generate_bulk, generate_demo, registrar_keys
from nmt.demo.names import BOOKS, fold, spelling_variant

TODAY = dt.date(2026, 11, 18)
COORDINATION = {"regional_coordinator", "support_line"}


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate_demo(11, TODAY)


def _person(data: DemoData):
    return {person.key: person for person in data.persons}


def test_same_seed_same_data_other_seed_other_data(data):
    again = generate_demo(11, TODAY)
    assert again.persons == data.persons
    assert again.identifications == data.identifications
    assert again.contacts == data.contacts
    assert again.humans == data.humans
    other = generate_demo(12, TODAY)
    assert [p.given_name for p in other.persons[:50]] != [p.given_name for p in data.persons[:50]]


def test_the_generator_needs_no_django():
    code = "import sys, nmt.demo.generator; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_several_hundred_identifications_a_year_across_channels(data):
    per_year = collections.Counter(case.identified_on.year for case in data.identifications)
    by_source = collections.Counter(
        (case.identified_on.year, "coordination" if case.channel in COORDINATION else case.channel)
        for case in data.identifications
    )
    for year in range(2017, 2026):
        assert 500 <= per_year[year] <= 1000, year
        assert 180 <= by_source[year, "coordination"] <= 360, year
        assert 350 <= by_source[year, "migrationsverket"] <= 520, year
        assert by_source[year, "police"] > 20, year
    assert by_source[2017, "coordination"] == 225  # the published 2017 figure
    channels = {case.channel for case in data.identifications}
    assert {"regional_coordinator", "support_line", "migrationsverket", "police"} <= channels
    assert len(channels) >= 8
    assert max(case.identified_on for case in data.identifications) <= TODAY
    assert per_year[TODAY.year] > 300  # the current year, up to today


def test_distributions_are_plausible(data):
    coordination = [case for case in data.identifications if case.channel in COORDINATION]
    purposes = collections.Counter(case.purposes[0] for case in coordination)
    ranked = [purpose for purpose, _n in purposes.most_common()]
    assert ranked[:2] == ["sexual", "forced_labour"]
    assert {"begging", "crime", "forced_marriage"} <= set(ranked[2:7])
    children = sum(case.true_age < 18 for case in coordination) / len(coordination)
    assert 0.18 <= children <= 0.32
    persons = _person(data)
    sexual = [persons[c.person].sex for c in coordination if c.purposes[0] == "sexual"]
    assert collections.Counter(sexual)["female"] / len(sexual) > 0.75
    citizenship = collections.Counter(
        country for person in data.persons for country in person.citizenships
    )
    for country in ("RO", "NG", "TH", "UA", "SE", "VN", "BG", "MA", "AF", "UG", "MN"):
        assert citizenship[country] >= 40, country
    regions = collections.Counter(case.region for case in data.identifications)
    assert regions.most_common(1)[0][0] == "stockholm"
    assert len(regions) == 7
    labour = [case for case in data.identifications if "forced_labour" in case.purposes]
    industries = collections.Counter(case.industry for case in labour)
    assert {"berry_picking", "construction", "cleaning", "restaurant", "beauty"} <= set(industries)
    berries = [c for c in labour if c.industry == "berry_picking" and c.channel in COORDINATION]
    in_season = [case for case in berries if 7 <= case.identified_on.month <= 9]
    assert len(in_season) / len(berries) > 0.9
    statuses = collections.Counter(
        (case.status, case.identified_on.year < TODAY.year - 1) for case in data.identifications
    )
    assert statuses["closed", True] > 10 * statuses["open", True]  # old cases are closed
    assert all(
        case.closed_reason and case.closed_on
        for case in data.identifications
        if case.status == "closed"
    )


def test_migrationsverket_reports_the_coordinators_persons_again_with_variants(data):
    persons = _person(data)
    records = collections.defaultdict(lambda: collections.defaultdict(list))
    for case in data.identifications:
        person = persons[case.person]
        source = "coordination" if case.channel in COORDINATION else case.channel
        records[person.human][source].append(person)
    coordination_humans = [h for h, by in records.items() if "coordination" in by]
    both = [h for h in coordination_humans if "migrationsverket" in records[h]]
    assert 0.2 <= len(both) / len(coordination_humans) <= 0.45
    pairs = [(records[h]["coordination"][0], records[h]["migrationsverket"][0]) for h in both]
    # Separate records: the agencies do not know they have the same person.
    assert all(first.key != second.key for first, second in pairs)
    named = [(a, b) for a, b in pairs if a.given_name and b.given_name]
    spelled_differently = [(a, b) for a, b in named if (a.given_name, a.family_name) != (
        b.given_name, b.family_name)]  # fmt: skip
    assert 0.3 <= len(spelled_differently) / len(named) <= 0.9
    with_date = [(a, b) for a, b in pairs if len(a.birth_date) == 10]
    assert any(not b.birth_date for _a, b in with_date)
    assert any(len(b.birth_date) == 4 for _a, b in with_date)
    assert any(b.birth_date and b.birth_date != a.birth_date for a, b in with_date)
    mv_cases = {
        case.person: case for case in data.identifications if case.channel == "migrationsverket"
    }
    undated = [mv_cases[b.key] for _a, b in pairs if not b.birth_date]
    assert sum(case.estimated_age is not None for case in undated) / len(undated) > 0.5
    # Swedes and EU citizens do not come through the asylum process.
    assert not any(set(b.citizenships) & {"SE", "RO", "BG", "PL"} for _a, b in pairs)


def test_spelling_variants_are_other_ways_of_writing_the_name():
    import random

    variants = {spelling_variant("Oleksandr", BOOKS["UA"], random.Random(i)) for i in range(30)}
    assert {"Aleksandr", "Alexander"} <= variants
    assert "Oleksandr" not in variants
    vietnamese = {spelling_variant("Nguyễn", BOOKS["VN"], random.Random(i)) for i in range(30)}
    assert "Nguyen" in vietnamese
    rng = random.Random(3)
    assert fold("Nguyễn Thị Hằng") == "Nguyen Thi Hang"
    assert fold("Łukasz Wiśniewski") == "Lukasz Wisniewski"
    for code, book in BOOKS.items():
        for name in (book.female + book.male)[:8]:
            variant = spelling_variant(name, book, rng)
            assert variant, (code, name)
            assert variant.strip() == variant, (code, name, variant)
            assert abs(len(variant) - len(name)) <= 6, (code, name, variant)


def test_deadlines_this_week_in_every_region(data):
    running = {"planned", "applied", "granted", "active"}
    regions = collections.Counter()
    for case in data.identifications:
        for measure in case.measures:
            ends = measure.ends_on
            if measure.status in running and ends and 0 <= (ends - TODAY).days <= 6:
                regions[case.region] += 1
    assert set(regions) == {"stockholm", "syd", "vast", "ost", "mitt", "bergslagen", "nord"}
    reflection = [
        m
        for case in data.identifications
        for m in case.measures
        if m.kind == "reflection_period" and m.starts_on and m.ends_on
    ]
    assert all((m.ends_on - m.starts_on).days == 30 for m in reflection)
    permits = [
        m
        for case in data.identifications
        for m in case.measures
        if m.kind == "temporary_residence_permit" and m.starts_on and m.ends_on
    ]
    assert all((m.ends_on - m.starts_on).days >= 181 for m in permits)


def test_referrals_have_every_outcome_and_some_are_open(data):
    outcomes = collections.Counter(
        (referral.to_agency, referral.status)
        for case in data.identifications
        for referral in case.referrals
    )
    for agency in ("migrationsverket", "polismyndigheten"):
        for status in ("pending", "accepted", "declined", "closed"):
            assert outcomes[agency, status] >= 3, (agency, status)


def test_protected_persons_and_only_fictitious_documents(data):
    protected = [person for person in data.persons if person.protected_identity]
    assert 7 <= len(protected) <= 20
    assert all(person.address and person.given_name for person in protected)
    persons = _person(data)
    regions = {case.region for case in data.identifications if persons[case.person] in protected}
    assert {"stockholm", "syd", "vast"} <= regions
    documents = [d for person in data.persons for d in person.documents]
    assert len(documents) > 500
    assert all(d.number.startswith("DEMO") for d in documents)
    assert not any(d.kind in {"personnummer", "samordningsnummer"} for d in documents)


def test_codes_match_the_registry_code_lists(data):
    from nmt.cases import codes
    from nmt.supportline.models import CallerType, Topic

    for case in data.identifications:
        assert set(case.purposes) <= set(codes.Purpose.values)
        assert case.channel in codes.Channel.values
        assert case.offence in codes.Offence.values
        assert case.exploitation_place in codes.ExploitationPlace.values
        assert case.industry in {"", *codes.Industry.values}
        assert set(case.indicators) <= set(codes.Indicator.values)
        assert case.status in codes.CaseStatus.values
        assert case.closed_reason in {"", *codes.ClosedReason.values}
        assert case.registrar in registrar_keys()
        for m in case.measures:
            assert m.kind in codes.MeasureKind.values
            assert m.status in codes.MeasureStatus.values
        for r in case.referrals:
            assert r.legal_ground in codes.LegalGround.values
            assert r.consent in codes.Consent.values
            assert r.status in codes.ReferralStatus.values
            assert r.legal_ground != "consent" or r.consent == "given"
    for person in data.persons:
        assert person.sex in codes.Sex.values
    for contact in data.contacts:
        assert contact.caller_type in CallerType.values
        assert contact.topic in Topic.values


def test_support_line_calls(data):
    per_year = collections.Counter(contact.occurred_at.year for contact in data.contacts)
    assert all(300 <= per_year[year] <= 420 for year in range(2017, 2026))
    assert all(contact.occurred_at.weekday() < 5 for contact in data.contacts)
    keys = {contact.key for contact in data.contacts}
    support_line = [case for case in data.identifications if case.channel == "support_line"]
    assert all(case.contact in keys for case in support_line)
    anonymous = [case for case in support_line if not _person(data)[case.person].given_name]
    assert len(anonymous) > len(support_line) / 2


def test_bulk_generation_gives_exact_sizes():
    chunks = list(generate_bulk(5, TODAY, persons=1000, identifications=1500, chunk=300))
    assert [len(chunk.persons) for chunk in chunks] == [300, 300, 300, 100]
    assert sum(len(chunk.identifications) for chunk in chunks) == 1500
    keys = [person.key for chunk in chunks for person in chunk.persons]
    assert len(set(keys)) == 1000
    for chunk in chunks:
        own = {person.key for person in chunk.persons}
        assert all(case.person in own for case in chunk.identifications)
