"""Writing the demo data: sealed at rest, searchable, consistent with what the services write."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

from nmt.accounts.models import User
from nmt.audit.models import AuditEvent
from nmt.cases import services
from nmt.cases.models import (
    CaseCounter,
    Identification,
    Measure,
    Person,
    Referral,
    SearchToken,
    TimelineEntry,
)
from nmt.cases.selectors import CaseFilters, case_list, deadline_list, referral_inbox
from nmt.demo.generator import DemoData, generate_demo
from nmt.demo.seed import MARKER_TYPE, demo_marker, seed_demo_data
from nmt.demo.users import DEMO_USERS, ensure_demo_users, registrars
from nmt.supportline.models import Contact

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _recent(data: DemoData, today: dt.date) -> DemoData:
    """The last year of the demo and every protected person: the same shapes, an eighth of the
    rows, to keep the test quick."""
    protected = {person.key for person in data.persons if person.protected_identity}
    since = today - dt.timedelta(days=365)
    cases = [c for c in data.identifications if c.identified_on >= since or c.person in protected]
    keys = {case.person for case in cases}
    contacts = {case.contact for case in cases}
    return DemoData(
        humans=data.humans,
        persons=[person for person in data.persons if person.key in keys],
        identifications=cases,
        contacts=[c for c in data.contacts if c.key in contacts or c.occurred_at.date() >= since],
    )


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()
        cls.data = _recent(generate_demo(5, cls.today), cls.today)
        cls.logins = ensure_demo_users()
        cls.counts = seed_demo_data(
            data=cls.data, users=registrars(cls.logins), seed=5, today=cls.today
        )
        cls.user = {login.user.username: login.user for login in cls.logins}

    def test_counts_and_marker(self):
        assert Person.objects.count() == len(self.data.persons) == self.counts.persons
        assert Identification.objects.count() == len(self.data.identifications)
        assert Contact.objects.count() == len(self.data.contacts)
        assert Measure.objects.count() == self.counts.measures > 0
        assert Referral.objects.count() == self.counts.referrals > 0
        marker = demo_marker()
        assert marker is not None
        assert marker.details["seed"] == 5
        assert AuditEvent.objects.filter(object_type=MARKER_TYPE).count() == 1

    def test_names_and_notes_are_sealed_in_the_database(self):
        # Long names only: a short one ("Lin") turns up by chance in base64 ciphertext.
        named = [p for p in self.data.persons if len(p.family_name) >= 7][:200]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT given_name, family_name, aliases, birth_date, address, whereabouts "
                "FROM cases_person"
            )
            raw = cursor.fetchall()
            cursor.execute("SELECT text FROM cases_timelineentry WHERE text <> ''")
            notes = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT number FROM cases_identitydocument")
            numbers = [row[0] for row in cursor.fetchall()]
        stored = "\n".join(value for row in raw for value in row if value)
        for person in named:
            assert person.family_name not in stored
        assert all(value.startswith("v1:") for row in raw for value in row if value)
        assert notes
        assert all(note.startswith("v1:") for note in notes)
        assert numbers
        assert not any("DEMO" in number for number in numbers)

    def test_search_tokens_are_those_the_services_compute(self):
        persons = [p for p in Person.objects.order_by("pk")[:300] if p.given_name][:80]
        for person in persons:
            stored = set(SearchToken.objects.filter(person=person).values_list("token", flat=True))
            assert stored == services._search_tokens(person), person.pk

    def test_a_coordinator_finds_a_person_by_name_and_number(self):
        actor = self.user["koordinator.stockholm"]
        case = next(
            case
            for case in Identification.objects.filter(
                region__code="stockholm", person__documents__isnull=False
            ).select_related("person")
            if case.person.family_name
        )
        page = case_list(actor=actor, filters=CaseFilters(q=case.person.family_name))
        assert case.pk in [row.pk for row in page.object_list] or page.paginator.count > 25
        number = case.person.documents.first().number
        page = case_list(actor=actor, filters=CaseFilters(q=number))
        assert case.pk in [row.pk for row in page.object_list]

    def test_case_numbers_follow_the_counter(self):
        for counter in CaseCounter.objects.all():
            numbers = Identification.objects.filter(identified_on__year=counter.year)
            assert numbers.count() == counter.last
            assert numbers.filter(case_number=f"NMT-{counter.year}-{counter.last:05d}").exists()
        case = services.case_register(
            actor=self.user["koordinator.syd"],
            channel="regional_coordinator",
            identified_on=self.today,
            region=self.user["koordinator.syd"].region,
        )
        last = CaseCounter.objects.get(year=self.today.year).last
        assert case.case_number == f"NMT-{self.today.year}-{last:05d}"

    def test_age_groups_agree_with_birth_dates(self):
        for case in Identification.objects.select_related("person").order_by("?")[:200]:
            expected = services._age_group(case, case.person)
            assert case.age_group == expected, case.case_number

    def test_deadlines_this_week_and_open_referrals_show_for_demo_users(self):
        for username in ("koordinator.stockholm", "koordinator.syd", "koordinator.vast"):
            deadlines = deadline_list(actor=self.user[username], today=self.today)
            assert any(0 <= d.days_left <= 6 for d in deadlines), username
        for username in ("kontakt.migrationsverket", "kontakt.polisen"):
            inbox = referral_inbox(actor=self.user[username])
            assert any(r.status == "pending" for r in inbox), username

    def test_protected_persons(self):
        protected = Person.objects.filter(protected_identity=True)
        assert protected.count() >= 7
        assert all(person.address for person in protected)
        regions = set(
            Identification.objects.filter(person__in=protected).values_list(
                "region__code", flat=True
            )
        )
        assert {"stockholm", "syd", "vast"} <= regions

    def test_timeline_keeps_the_history(self):
        first = TimelineEntry.objects.order_by("created_at").first()
        assert first.created_at.date() == first.identification.identified_on
        assert first.created_at.date() < self.today - dt.timedelta(days=300)
        closed = Identification.objects.filter(status="closed").first()
        kinds = list(closed.timeline.values_list("kind", "data"))
        assert ("status", {"status": "open"}) in kinds
        assert any(kind == "status" and data.get("status") == "closed" for kind, data in kinds)

    def test_measure_entries_have_the_shape_the_services_write(self):
        demo = TimelineEntry.objects.filter(kind="measure").first()
        case = demo.identification
        measure = services.measure_add(
            actor=case.registered_by, case=case, kind="interpreter", status="planned"
        )
        written = TimelineEntry.objects.filter(kind="measure", data__measure=measure.pk).get()
        assert set(demo.data) == set(written.data)

    def test_demo_users_log_in_with_their_passwords(self):
        for login in self.logins:
            assert self.client.login(username=login.user.username, password=login.password)
            self.client.logout()
        assert {login.user.username for login in self.logins} == {u.username for u in DEMO_USERS}
        roles = {login.user.role for login in self.logins}
        assert roles == {"coordinator", "supportline", "agency_liaison", "analyst", "auditor"} | {
            "admin"
        }
        regions = set(
            User.objects.filter(role="coordinator").values_list("region__code", flat=True)
        )
        assert len(regions) == 7


def test_demo_passwords_are_argon2_and_valid(db, monkeypatch, settings):
    from django.contrib.auth.password_validation import validate_password

    import nmt.demo.users as users
    from nmt.config import settings as real_settings

    # The suite hashes with MD5 for speed; this test needs the configured hashers.
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    monkeypatch.setattr(users, "DEMO_USERS", users.DEMO_USERS[:1])
    [login] = users.ensure_demo_users()
    user = User.objects.get(username=login.user.username)
    assert user.password.startswith("argon2")
    assert login.password not in user.password
    assert user.check_password(login.password)
    assert len(login.password) >= 12
    validate_password(login.password, user)
