"""Synthetic registry data: persons as each agency recorded them, identifications, measures,
referrals, case notes and support-line calls. Framework-free; ``nmt.demo.seed`` writes it.

The same seed and the same ``today`` give the same records. Dates are placed relative to ``today``
(cases of the current year run up to today, some measures end this week), so a later run of the
same seed moves those dates with the calendar.

The volumes follow the order of magnitude of the published Swedish figures (in 2017, 225 persons
identified through the regional coordinators and the support line, a quarter of them children, and
444 suspected victims reported by Migrationsverket); the other years and all distributions are
invented to be plausible, not to be statistics. Persons that Migrationsverket reports are partly
the coordinators' persons again, recorded independently: other spellings and romanisations of their
names, birth dates missing or only an estimated age. ``Human`` keeps the ground truth of who is who,
which never reaches the database, for checking linkage and estimation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from nmt.accounts.organisation import REGIONS, read_csv
from nmt.demo.names import BOOKS, WORKING_NAMES, full_name, spelling_variant
from nmt.demo.tables import (
    AGENCY_OF_CHANNEL,
    BERRY_REGION_WEIGHTS,
    CALLER_TYPES,
    CHILD_SHARE,
    CLOSED_REASONS,
    CONTACT_ADVICE,
    CONTACT_SUMMARIES,
    CONTACTS_PER_YEAR,
    COUNTRIES_BY_PURPOSE,
    DECLINE_REASONS,
    EU_OR_NORDIC,
    EXPLOITATION_OFFENCE_FROM,
    FEMALE_SHARE,
    FIRST_YEAR,
    INDICATORS_BY_PURPOSE,
    INDICATORS_OTHER,
    INDUSTRIES_BY_COUNTRY,
    INDUSTRIES_DEFAULT,
    MEASURE_NOTES,
    MV_OVERLAP_SHARE,
    NOTE_PREFIX,
    NOTES,
    OTHER_CHANNELS,
    OTHER_STATUTE,
    POLICE_KNOWN_SHARE,
    PURPOSE_WORDS,
    PURPOSES,
    PURPOSES_MV,
    REFLECTION_DAYS,
    REGION_WEIGHTS,
    REIDENTIFIED_SHARE,
    SECOND_PURPOSE,
    SECRECY_PROVISIONS,
    STREETS,
    SUPPORT_LINE_SHARE,
    TOPICS,
    TOWNS,
    VOLUME,
)

TZ = ZoneInfo("Europe/Stockholm")


@dataclass(slots=True)
class Human:
    """Ground truth: one real (synthetic) human being, however agencies recorded them."""

    id: int
    country: str  # citizenship; "" when unknown
    name_origin: str  # the country whose names the human bears
    sex: str
    given_name: str
    family_name: str
    birth_date: dt.date
    languages: tuple[str, ...]


@dataclass(slots=True)
class DocumentRecord:
    kind: str
    number: str
    issuing_country: str = ""


@dataclass(slots=True)
class PersonRecord:
    """A person as one agency recorded them; becomes one Person row."""

    key: str
    human: int
    given_name: str = ""
    family_name: str = ""
    aliases: tuple[str, ...] = ()
    birth_date: str = ""
    sex: str = "unknown"
    citizenships: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    protected_identity: bool = False
    address: str = ""
    whereabouts: str = ""
    documents: tuple[DocumentRecord, ...] = ()


@dataclass(slots=True)
class MeasureRecord:
    kind: str
    status: str
    created_on: dt.date
    applied_on: dt.date | None = None
    applied_by: str = ""
    decided_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    notes: str = ""


@dataclass(slots=True)
class ReferralRecord:
    to_agency: str
    legal_ground: str
    consent: str
    status: str
    created_on: dt.date
    to_region: str = ""
    legal_ground_detail: str = ""
    message: str = ""
    decline_reason: str = ""
    responded_on: dt.date | None = None
    closed_on: dt.date | None = None
    responder: str = ""


@dataclass(slots=True)
class NoteRecord:
    at: dt.datetime
    text: str


@dataclass(slots=True)
class IdentificationRecord:
    person: str
    identified_on: dt.date
    channel: str
    agency: str
    region: str
    registrar: str
    true_age: int
    municipality: str = ""
    estimated_age: int | None = None
    purposes: tuple[str, ...] = ("unknown",)
    offence: str = "unknown"
    exploitation_place: str = "unknown"
    industry: str = ""
    indicators: tuple[str, ...] = ()
    status: str = "open"
    closed_reason: str = ""
    closed_on: dt.date | None = None
    measures: list[MeasureRecord] = field(default_factory=list)
    referrals: list[ReferralRecord] = field(default_factory=list)
    notes: list[NoteRecord] = field(default_factory=list)
    contact: str = ""


@dataclass(slots=True)
class ContactRecord:
    key: str
    occurred_at: dt.datetime
    caller_type: str
    topic: str
    duration_minutes: int | None = None
    region: str = ""
    purposes: tuple[str, ...] = ()
    summary: str = ""
    advice: str = ""
    follow_up: str = ""
    follow_up_due: dt.date | None = None
    follow_up_done: bool = False


@dataclass
class DemoData:
    humans: list[Human] = field(default_factory=list)
    persons: list[PersonRecord] = field(default_factory=list)
    identifications: list[IdentificationRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)


def registrar_keys() -> list[str]:
    """The registrars records refer to; the writer maps each to a demo user."""
    keys = [f"coordinator:{code}" for code, _name in REGIONS]
    return [*keys, "supportline", "liaison:migrationsverket", "liaison:polismyndigheten"]


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _municipalities_by_region() -> dict[str, tuple[list[str], list[float]]]:
    region_of_county = {row["code"]: row["region"] for row in read_csv("counties.csv")}
    grouped: dict[str, tuple[list[str], list[float]]] = {}
    for row in read_csv("municipalities.csv"):
        codes, weights = grouped.setdefault(region_of_county[row["county_code"]], ([], []))
        codes.append(row["code"])
        weights.append(TOWNS.get(row["code"], 1))
    return grouped


class _Factory:
    """Makes humans, their records and their identifications; one random stream per seed."""

    def __init__(self, seed: int, today: dt.date):
        # Reproducible synthetic data, not secrets: a seeded PRNG is what is wanted here.
        self.rng = random.Random(f"nmt-demo:{seed}")  # noqa: S311
        self.today = today
        self.municipalities = _municipalities_by_region()
        self.next_human = 1
        self.next_person = 1
        self.next_document = 1

    # ------------------------------------------------------------ time

    def date_in(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.today)
        if end <= start:
            return min(start, self.today)
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def at(self, day: dt.date, *, office_hours: bool = True) -> dt.datetime:
        hour = self.rng.randint(8, 16) if office_hours else self.rng.randint(0, 23)
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=TZ)

    def year_fraction(self, year: int) -> float:
        if year < self.today.year:
            return 1.0
        start = dt.date(year, 1, 1)
        return ((self.today - start).days + 1) / ((dt.date(year + 1, 1, 1) - start).days)

    # ------------------------------------------------------------ humans

    def profile(self, year: int, channel: str) -> dict:
        rng = self.rng
        purpose = _weighted(rng, PURPOSES_MV if channel == "migrationsverket" else PURPOSES)
        purposes = [purpose]
        if purpose in SECOND_PURPOSE and rng.random() < 0.12:
            purposes.append(rng.choice(SECOND_PURPOSE[purpose]))
        countries = dict(COUNTRIES_BY_PURPOSE.get(purpose, COUNTRIES_BY_PURPOSE["other"]))
        if year >= 2022 and "UA" in countries:
            countries["UA"] *= 3
        if channel == "migrationsverket":
            # Asylum seekers: EU citizens and Swedes do not apply for asylum.
            countries = {c: w * (0.03 if c in EU_OR_NORDIC else 1) for c, w in countries.items()}
            countries.pop("SE", None)
        country = _weighted(rng, countries)
        child = rng.random() < CHILD_SHARE[purpose]
        sex = "female" if rng.random() < FEMALE_SHARE[purpose] else "male"
        if rng.random() < 0.006:
            sex = "other"
        if child:
            age = rng.randint(12, 17) if rng.random() < 0.85 else rng.randint(7, 11)
        else:
            age = min(64, max(18, int(rng.triangular(18, 58, 24))))
        industry = ""
        if "forced_labour" in purposes:
            industry = _weighted(rng, INDUSTRIES_BY_COUNTRY.get(country, INDUSTRIES_DEFAULT))
        first = dt.date(year, 1, 1)
        if industry == "berry_picking":
            identified_on = self.date_in(dt.date(year, 7, 10), dt.date(year, 9, 20))
            region = _weighted(rng, BERRY_REGION_WEIGHTS)
        else:
            identified_on = self.date_in(first, dt.date(year, 12, 31))
            region = _weighted(rng, REGION_WEIGHTS)
        return {
            "purposes": tuple(purposes),
            "country": country,
            "child": child,
            "sex": sex,
            "age": age,
            "industry": industry,
            "identified_on": identified_on,
            "region": region,
        }

    def human(self, profile: dict) -> Human:
        rng = self.rng
        origin = profile["country"] or rng.choice(["ER", "SO", "AF", "SY"])
        book = BOOKS[origin]
        given, family = full_name(book, profile["sex"], rng)
        on = profile["identified_on"]
        born = on - dt.timedelta(days=profile["age"] * 365 + rng.randrange(365))
        languages = book.languages[: rng.choice((1, 1, 2))]
        if origin != "SE" and rng.random() < 0.2:
            languages += ("en",)
        human = Human(
            id=self.next_human,
            country=profile["country"],
            name_origin=origin,
            sex=profile["sex"],
            given_name=given,
            family_name=family,
            birth_date=born,
            languages=languages,
        )
        self.next_human += 1
        return human

    def municipality(self, region: str) -> str:
        if self.rng.random() < 0.08:
            return ""
        codes, weights = self.municipalities[region]
        return self.rng.choices(codes, weights=weights)[0]

    def document(self, human: Human) -> DocumentRecord:
        """An obviously fictitious foreign document: no real number has this form."""
        country = human.country or "XX"
        kind = "national_id" if country in EU_OR_NORDIC and self.rng.random() < 0.5 else "passport"
        number = f"DEMO{country}{self.next_document:06d}"
        self.next_document += 1
        return DocumentRecord(kind=kind, number=number, issuing_country=human.country)

    # ------------------------------------------------------------ records

    def _key(self) -> str:
        key = f"P{self.next_person:07d}"
        self.next_person += 1
        return key

    def first_record(self, human: Human, profile: dict, channel: str) -> PersonRecord:
        """The person as the first identifying agency records them."""
        rng = self.rng
        record = PersonRecord(
            key=self._key(),
            human=human.id,
            sex=human.sex,
            citizenships=(human.country,) if human.country else (),
            languages=human.languages,
        )
        if channel == "support_line" and rng.random() < 0.65:
            # A call about someone else: no identifying data is taken.
            if rng.random() < 0.3:
                record.sex = "unknown"
            return record
        if rng.random() < 0.96:
            record.given_name, record.family_name = human.given_name, human.family_name
        shape = rng.random()
        if shape < 0.62:
            record.birth_date = human.birth_date.isoformat()
        elif shape < 0.72:
            record.birth_date = f"{human.birth_date.year}"
        elif shape < 0.78:
            record.birth_date = human.birth_date.strftime("%Y-%m")
        if human.country and human.country != "SE" and rng.random() < 0.45:
            record.documents = (self.document(human),)
        if "sexual" in profile["purposes"] and rng.random() < 0.3:
            record.aliases = (rng.choice(WORKING_NAMES),)
        elif "crime" in profile["purposes"] and human.given_name and rng.random() < 0.3:
            book = BOOKS[human.name_origin]
            record.aliases = (spelling_variant(human.given_name, book, rng),)
        if human.country == "SE" and rng.random() < 0.15:
            record.citizenships = ("SE", rng.choice(["IQ", "SY", "SO", "FI", "ER"]))
        return record

    def variant_record(self, human: Human, original: PersonRecord | None) -> PersonRecord:
        """The same human as another agency records them, independently of the first record."""
        rng = self.rng
        book = BOOKS[human.name_origin]
        given, family = human.given_name, human.family_name
        if rng.random() < 0.6:
            given = spelling_variant(given, book, rng)
        if rng.random() < 0.45:
            family = spelling_variant(family, book, rng)
        if rng.random() < 0.15 and " " in given:
            given = given.split()[0]  # the middle name dropped
        if rng.random() < 0.1:
            given, family = family, given
        if rng.random() < 0.04:
            given, family = "", ""
        record = PersonRecord(
            key=self._key(),
            human=human.id,
            given_name=given,
            family_name=family,
            sex=human.sex if rng.random() > 0.02 else "unknown",
            citizenships=(human.country,) if human.country and rng.random() > 0.05 else (),
            languages=human.languages,
        )
        shape = rng.random()
        born = human.birth_date
        if shape < 0.45:
            record.birth_date = born.isoformat()
        elif shape < 0.55:
            record.birth_date = f"{born.year}"
        elif shape < 0.65:
            if born.day <= 12 and born.day != born.month:  # day and month read the other way
                record.birth_date = dt.date(born.year, born.day, born.month).isoformat()
            else:  # a year off
                a_year_off = born.replace(day=min(born.day, 28), year=born.year + 1)
                record.birth_date = a_year_off.isoformat()
        # else: the birth date is missing (an estimated age may be recorded on the case)
        if record.birth_date and record.birth_date > self.today.isoformat():
            record.birth_date = ""
        original_docs = original.documents if original else ()
        if original_docs and rng.random() < 0.6:
            record.documents = original_docs
        elif human.country and human.country != "SE" and rng.random() < 0.5:
            record.documents = (self.document(human),)
        return record

    # ------------------------------------------------------------ identifications

    def identification(
        self,
        *,
        person: PersonRecord,
        human: Human,
        profile: dict,
        channel: str,
        identified_on: dt.date,
        region: str,
        registrar: str,
    ) -> IdentificationRecord:
        rng = self.rng
        true_age = _age(human.birth_date, identified_on)
        estimated_age = None
        if not person.birth_date and rng.random() < 0.75:
            estimated_age = max(5, true_age + rng.randint(-3, 3))
        purposes = profile["purposes"]
        if channel == "support_line" and rng.random() < 0.15:
            purposes = ("unknown",)
        record = IdentificationRecord(
            person=person.key,
            identified_on=identified_on,
            channel=channel,
            agency=AGENCY_OF_CHANNEL[channel],
            region=region,
            registrar=registrar,
            true_age=true_age,
            municipality=self.municipality(region),
            estimated_age=estimated_age,
            purposes=purposes,
            offence=self._offence(identified_on, purposes),
            exploitation_place=self._place(channel),
            industry=profile["industry"] if "forced_labour" in purposes else "",
            indicators=self._indicators(purposes),
        )
        self._status(record)
        if channel != "migrationsverket" or rng.random() < 0.3:
            self._measures(record, human)
        if channel not in {"migrationsverket", "other"}:
            self._referrals(record, human)
            self._notes(record)
        return record

    def _offence(self, on: dt.date, purposes: Sequence[str]) -> str:
        roll = self.rng.random()
        if on < EXPLOITATION_OFFENCE_FROM:
            return "trafficking" if roll < 0.7 else "unknown"
        labour = any(p in purposes for p in ("forced_labour", "begging"))
        if roll < (0.4 if labour else 0.6):
            return "trafficking"
        if roll < 0.8:
            return "exploitation"
        return "unknown"

    def _place(self, channel: str) -> str:
        if channel == "migrationsverket":
            weights = {"abroad": 45, "both": 20, "sweden": 20, "unknown": 15}
        else:
            weights = {"sweden": 60, "both": 15, "abroad": 15, "unknown": 10}
        return _weighted(self.rng, weights)

    def _indicators(self, purposes: Sequence[str]) -> tuple[str, ...]:
        pool = INDICATORS_BY_PURPOSE.get(purposes[0], INDICATORS_OTHER)
        chosen = self.rng.sample(pool, self.rng.randint(0, min(4, len(pool))))
        return tuple(sorted(chosen))

    def _status(self, record: IdentificationRecord) -> None:
        rng = self.rng
        age = (self.today - record.identified_on).days
        roll = rng.random()
        if age < 60:
            record.status = "open" if roll < 0.8 else "support"
        elif age < 365:
            record.status = "open" if roll < 0.25 else "support" if roll < 0.7 else "closed"
        else:
            record.status = "closed" if roll < 0.92 else "support" if roll < 0.98 else "open"
        if record.status == "closed":
            record.closed_reason = _weighted(rng, CLOSED_REASONS)
            span = max(1, min(age, 540))
            record.closed_on = record.identified_on + dt.timedelta(days=rng.randint(1, span))

    def _end(self, record: IdentificationRecord) -> dt.date:
        return record.closed_on or self.today

    def _measures(self, record: IdentificationRecord, human: Human) -> None:
        rng = self.rng
        third_country = human.country not in EU_OR_NORDIC
        chances = {
            "reflection_period": 0.35 if third_country else 0.0,
            "temporary_residence_permit": 0.15 if third_country else 0.0,
            "safe_housing": 0.4,
            "health_care": 0.3,
            "counsel": 0.35 if record.channel == "police" else 0.15,
            "interpreter": 0.35 if human.country != "SE" else 0.0,
            "return_programme": 0.08 if human.country != "SE" else 0.0,
            "other": 0.05,
        }
        if record.channel == "migrationsverket":
            chances = {"temporary_residence_permit": 0.6, "reflection_period": 0.3}
        for kind, chance in chances.items():
            if rng.random() < chance:
                measure = self._measure(record, kind)
                if measure is not None:
                    record.measures.append(measure)

    def _measure(self, record: IdentificationRecord, kind: str) -> MeasureRecord | None:
        rng = self.rng
        start = record.identified_on
        end = self._end(record)
        applied = start + dt.timedelta(days=rng.randint(0, 20))
        if applied > end:
            return None
        measure = MeasureRecord(kind=kind, status="planned", created_on=applied)
        if rng.random() < 0.2:
            measure.notes = NOTE_PREFIX + MEASURE_NOTES[kind]
        municipality = record.municipality or "0180"
        if kind in {"reflection_period", "temporary_residence_permit"}:
            measure.applied_on = applied
            measure.applied_by = (
                "Socialtjänsten, kommun " + municipality
                if kind == "reflection_period"
                else "Förundersökningsledare, Polismyndigheten"
            )
            decided = applied + dt.timedelta(
                days=rng.randint(2, 10) if kind == "reflection_period" else rng.randint(14, 60)
            )
            if decided > end:
                measure.status = "cancelled" if record.status == "closed" else "applied"
                return measure
            measure.decided_on = decided
            if rng.random() < 0.15:
                measure.status = "refused"
                return measure
            measure.starts_on = decided
            if kind == "reflection_period":
                measure.ends_on = decided + dt.timedelta(days=REFLECTION_DAYS)
            else:
                measure.ends_on = _add_months(decided, rng.choice((6, 6, 12)))
        else:
            measure.starts_on = applied
            length = {"safe_housing": (14, 200), "return_programme": (10, 60)}.get(kind, (20, 300))
            measure.ends_on = applied + dt.timedelta(days=rng.randint(*length))
        if measure.ends_on and measure.ends_on < end:
            measure.status = "ended" if rng.random() < 0.92 else "cancelled"
        elif record.status == "closed":
            # Closed cases keep no running measures. A reflection period or a permit keeps the
            # term it was decided for; other measures end with the case.
            if kind not in {"reflection_period", "temporary_residence_permit"}:
                measure.ends_on = max(end, measure.starts_on or end)
            measure.status = "cancelled" if kind == "reflection_period" else "ended"
        else:
            measure.status = (
                "granted" if kind in {"temporary_residence_permit"} and rng.random() < 0.3 else
                "active"
            )  # fmt: skip
        return measure

    def _referrals(self, record: IdentificationRecord, human: Human) -> None:
        rng = self.rng
        targets = []
        if human.country not in EU_OR_NORDIC and rng.random() < 0.35:
            targets.append(("migrationsverket", ""))
        if rng.random() < 0.3:
            targets.append(("polismyndigheten", ""))
        if rng.random() < 0.03:
            other = rng.choice([code for code, _n in REGIONS if code != record.region])
            targets.append(("socialtjansten", other))
        for agency, to_region in targets:
            created = record.identified_on + dt.timedelta(days=rng.randint(0, 30))
            if created > self._end(record):
                continue
            record.referrals.append(self._referral(record, agency, to_region, created))

    def _referral(
        self, record: IdentificationRecord, agency: str, to_region: str, created: dt.date
    ) -> ReferralRecord:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            ground, consent, detail = "consent", "given", ""
        elif roll < 0.9:
            ground = "secrecy_provision"
            consent = _weighted(rng, {"not_obtained": 5, "refused": 2, "given": 2})
            detail = SECRECY_PROVISIONS[agency]
        else:
            ground = "other_statute"
            consent = _weighted(rng, {"not_obtained": 3, "not_applicable": 2})
            detail = OTHER_STATUTE
        referral = ReferralRecord(
            to_agency=agency,
            to_region=to_region,
            legal_ground=ground,
            legal_ground_detail=detail,
            consent=consent,
            status="pending",
            created_on=created,
            message=NOTE_PREFIX + "Överlämnas för bedömning och fortsatt handläggning.",
        )
        responder = (
            f"coordinator:{to_region}" if agency == "socialtjansten" else f"liaison:{agency}"
        )
        age = (self.today - created).days
        closed_case = record.status == "closed"
        if age < 30 and not closed_case:
            outcome = "pending" if rng.random() < 0.5 else "accepted"
        elif closed_case:
            outcome = _weighted(rng, {"closed": 75, "declined": 25})
        else:
            outcome = _weighted(rng, {"accepted": 60, "declined": 15, "closed": 25})
        if outcome == "pending":
            return referral
        referral.responder = responder
        referral.responded_on = min(
            created + dt.timedelta(days=rng.randint(0, 10)), self._end(record)
        )
        referral.status = "declined" if outcome == "declined" else "accepted"
        if outcome == "declined":
            referral.decline_reason = NOTE_PREFIX + rng.choice(DECLINE_REASONS)
        if outcome == "closed":
            referral.status = "closed"
            referral.closed_on = self.date_in(referral.responded_on, self._end(record))
        return referral

    def _notes(self, record: IdentificationRecord) -> None:
        rng = self.rng
        texts = NOTES.get(record.purposes[0], ()) + NOTES["any"]
        for _index in range(rng.choice((0, 1, 1, 2, 3))):
            day = self.date_in(record.identified_on, self._end(record))
            record.notes.append(NoteRecord(self.at(day), NOTE_PREFIX + rng.choice(texts)))
        record.notes.sort(key=lambda note: note.at)

    # ------------------------------------------------------------ support line

    def contact(self, day: dt.date, key: str, topic: str | None = None) -> ContactRecord:
        rng = self.rng
        while day.weekday() >= 5:  # the support line is open on weekdays
            day -= dt.timedelta(days=1)
        topic = topic or _weighted(rng, TOPICS)
        purposes: tuple[str, ...] = ()
        if topic == "suspected_case":
            purposes = (_weighted(rng, PURPOSES),)
        words = PURPOSE_WORDS.get(purposes[0] if purposes else "", "exploatering")
        record = ContactRecord(
            key=key,
            occurred_at=self.at(day),
            caller_type=_weighted(rng, CALLER_TYPES),
            topic=topic,
            duration_minutes=rng.choice((None, *range(4, 61, 3))),
            region=_weighted(rng, REGION_WEIGHTS) if rng.random() < 0.85 else "",
            purposes=purposes,
            summary=NOTE_PREFIX + CONTACT_SUMMARIES[topic].format(purpose=words),
            advice=NOTE_PREFIX + rng.choice(CONTACT_ADVICE),
        )
        if rng.random() < 0.25:
            record.follow_up = "Ringa tillbaka och höra hur det gick."
            record.follow_up_due = day + dt.timedelta(days=rng.randint(2, 14))
            record.follow_up_done = record.follow_up_due < self.today and rng.random() < 0.9
        return record


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _volumes(year: int) -> tuple[int, int, int, int]:
    return VOLUME.get(year, VOLUME[max(VOLUME)])


def generate_demo(seed: int, today: dt.date) -> DemoData:
    """The demo registry: identifications 2017 to ``today`` across channels, support-line calls,
    a few protected persons, and measures whose deadlines fall this week."""
    factory = _Factory(seed, today)
    rng = factory.rng
    data = DemoData()
    humans: dict[int, Human] = {}
    later: list[tuple[Human, PersonRecord, dict]] = []

    def add(person: PersonRecord) -> PersonRecord:
        data.persons.append(person)
        return person

    for year in range(FIRST_YEAR, today.year + 1):
        share = factory.year_fraction(year)
        coord, mv, police, other = (round(n * share) for n in _volumes(year))
        # Persons identified this year through the coordinators, the support line or the police:
        # (human, their record, profile, region, date), for the police and MV overlaps.
        known: list[tuple[Human, PersonRecord, dict, str, dt.date]] = []
        for _index in range(coord):
            channel = (
                "support_line" if rng.random() < SUPPORT_LINE_SHARE else "regional_coordinator"
            )
            profile = factory.profile(year, channel)
            human = factory.human(profile)
            humans[human.id] = human
            person = add(factory.first_record(human, profile, channel))
            region = profile["region"]
            registrar = "supportline" if channel == "support_line" else f"coordinator:{region}"
            case = factory.identification(
                person=person,
                human=human,
                profile=profile,
                channel=channel,
                identified_on=profile["identified_on"],
                region=region,
                registrar=registrar,
            )
            data.identifications.append(case)
            known.append((human, person, profile, region, case.identified_on))
            if channel == "regional_coordinator" and rng.random() < REIDENTIFIED_SHARE:
                later.append((human, person, profile))
        for _index in range(police):
            if known and rng.random() < POLICE_KNOWN_SHARE:
                # The coordinators register the police's identification on the person they know.
                human, person, profile, region, first_on = rng.choice(known)
                on = factory.date_in(first_on, dt.date(year, 12, 31))
            else:
                profile = factory.profile(year, "police")
                human = factory.human(profile)
                humans[human.id] = human
                person = add(factory.first_record(human, profile, "police"))
                region, on = profile["region"], profile["identified_on"]
                known.append((human, person, profile, region, on))
            data.identifications.append(
                factory.identification(
                    person=person,
                    human=human,
                    profile=profile,
                    channel="police",
                    identified_on=on,
                    region=region,
                    registrar=f"coordinator:{region}",
                )
            )
        for _index in range(other):
            channel = _weighted(rng, OTHER_CHANNELS)
            profile = factory.profile(year, channel)
            human = factory.human(profile)
            humans[human.id] = human
            person = add(factory.first_record(human, profile, channel))
            region = profile["region"]
            data.identifications.append(
                factory.identification(
                    person=person,
                    human=human,
                    profile=profile,
                    channel=channel,
                    identified_on=profile["identified_on"],
                    region=region,
                    registrar=f"coordinator:{region}",
                )
            )
        # Only third-country nationals go through the asylum process where MV identifies them.
        eligible = [entry for entry in known if entry[0].country not in EU_OR_NORDIC]
        wanted = round(len(known) * MV_OVERLAP_SHARE)
        overlap = rng.sample(eligible, min(len(eligible), wanted))
        for human, first_person, profile, first_region, first_on in overlap:
            person = add(factory.variant_record(human, first_person))
            on = first_on + dt.timedelta(days=rng.randint(-120, 120))
            on = min(max(on, dt.date(year, 1, 1)), today)
            region = first_region if rng.random() < 0.8 else _weighted(rng, REGION_WEIGHTS)
            data.identifications.append(
                factory.identification(
                    person=person,
                    human=human,
                    profile=profile,
                    channel="migrationsverket",
                    identified_on=on,
                    region=region,
                    registrar="liaison:migrationsverket",
                )
            )
        for _index in range(max(0, mv - len(overlap))):
            profile = factory.profile(year, "migrationsverket")
            human = factory.human(profile)
            humans[human.id] = human
            person = add(factory.first_record(human, profile, "migrationsverket"))
            region = profile["region"]
            data.identifications.append(
                factory.identification(
                    person=person,
                    human=human,
                    profile=profile,
                    channel="migrationsverket",
                    identified_on=profile["identified_on"],
                    region=region,
                    registrar="liaison:migrationsverket",
                )
            )
    _reidentify(factory, data, later)
    _protect(factory, data)
    _deadlines_this_week(factory, data, humans)
    _open_referrals(factory, data)
    _contacts(factory, data)
    data.humans = [humans[key] for key in sorted(humans)]
    data.identifications.sort(key=lambda case: (case.identified_on, case.channel))
    return data


def _reidentify(
    factory: _Factory, data: DemoData, later: list[tuple[Human, PersonRecord, dict]]
) -> None:
    """Some persons come back: the same coordinators again, or another region's (who records
    them anew)."""
    rng = factory.rng
    for human, person, profile in later:
        on = profile["identified_on"] + dt.timedelta(days=rng.randint(120, 900))
        if on > factory.today:
            continue
        if rng.random() < 0.7:
            region, record = profile["region"], person
        else:
            region = rng.choice([code for code, _n in REGIONS if code != profile["region"]])
            record = factory.variant_record(human, person)
            data.persons.append(record)
        data.identifications.append(
            factory.identification(
                person=record,
                human=human,
                profile=profile,
                channel="regional_coordinator",
                identified_on=on,
                region=region,
                registrar=f"coordinator:{region}",
            )
        )


def _protect(factory: _Factory, data: DemoData, *, per_region: int = 1, extra: int = 5) -> None:
    """A few persons with protected personal data, at least one in each region."""
    rng = factory.rng
    by_key = {p.key: p for p in data.persons}
    named = [
        case
        for case in data.identifications
        if case.channel == "regional_coordinator"
        and by_key[case.person].given_name
        and case.identified_on.year >= factory.today.year - 2
    ]
    chosen: list[IdentificationRecord] = []
    for code, _name in REGIONS:
        in_region = [case for case in named if case.region == code]
        chosen += rng.sample(in_region, min(per_region, len(in_region)))
    rest = [case for case in named if case not in chosen]
    chosen += rng.sample(rest, min(extra, len(rest)))
    for case in chosen:
        person = by_key[case.person]
        person.protected_identity = True
        street = f"{rng.choice(STREETS)} {rng.randint(1, 60)}"
        person.address = f"{street}, {rng.randint(100, 999)} {rng.randint(10, 99)} Exempelstad"
        person.whereabouts = "Skyddat boende (fiktiv uppgift)"


def _deadlines_this_week(
    factory: _Factory, data: DemoData, humans: dict[int, Human], *, per_region: int = 3
) -> None:
    """Running measures that end in the coming seven days (and two that are overdue), in every
    region, so the dashboard's deadline list has something to show whatever the date."""
    rng = factory.rng
    today = factory.today
    human_of = {p.key: p.human for p in data.persons}
    for code, _name in REGIONS:
        candidates = [
            case
            for case in data.identifications
            if case.region == code
            and case.channel == "regional_coordinator"
            and case.status != "closed"
            and dt.timedelta(days=35) <= today - case.identified_on <= dt.timedelta(days=300)
        ]
        if not candidates:
            continue
        for index in range(per_region + (1 if code in {"stockholm", "syd"} else 0)):
            case = rng.choice(candidates)
            overdue = index == per_region
            ends = today + dt.timedelta(days=-rng.randint(1, 4) if overdue else rng.randint(0, 6))
            human = humans[human_of[case.person]]
            kind = "reflection_period" if human.country not in EU_OR_NORDIC else "safe_housing"
            if kind == "reflection_period" and case.identified_on > ends - dt.timedelta(days=30):
                kind = "safe_housing"
            starts = max(case.identified_on, ends - dt.timedelta(days=REFLECTION_DAYS))
            measure = MeasureRecord(
                kind=kind,
                status="active",
                created_on=starts,
                starts_on=starts,
                ends_on=ends,
                notes=NOTE_PREFIX + MEASURE_NOTES[kind],
            )
            if kind == "reflection_period":
                measure.applied_on = measure.decided_on = starts
                measure.applied_by = "Socialtjänsten, kommun " + (case.municipality or "0180")
            case.measures.append(measure)


def _open_referrals(factory: _Factory, data: DemoData, *, per_agency: int = 4) -> None:
    """Referrals awaiting an answer at Migrationsverket and the police, so that their liaisons
    have cases to see (a liaison sees a case only while a referral to their agency is open)."""
    rng = factory.rng
    today = factory.today
    for agency in ("migrationsverket", "polismyndigheten"):
        candidates = [
            case
            for case in data.identifications
            if case.channel == "regional_coordinator"
            and case.status != "closed"
            and case.region in {"stockholm", "syd", "vast"}
            and case.identified_on >= today - dt.timedelta(days=90)
            and not any(r.to_agency == agency for r in case.referrals)
        ]
        for case in rng.sample(candidates, min(per_agency, len(candidates))):
            created = factory.date_in(case.identified_on, today)
            referral = factory._referral(case, agency, "", created)
            referral.status = "pending"
            referral.responder, referral.responded_on, referral.closed_on = "", None, None
            referral.decline_reason = ""
            case.referrals.append(referral)


def _contacts(factory: _Factory, data: DemoData) -> None:
    """Support-line calls: one behind each case the support line opened, and the rest of the
    year's calls around them."""
    rng = factory.rng
    today = factory.today
    number = 0
    for case in data.identifications:
        if case.channel != "support_line":
            continue
        number += 1
        contact = factory.contact(case.identified_on, f"C{number:06d}", topic="suspected_case")
        contact.region = case.region
        contact.purposes = tuple(p for p in case.purposes if p != "unknown")
        case.contact = contact.key
        data.contacts.append(contact)
    for year in range(FIRST_YEAR, today.year + 1):
        for _index in range(round(CONTACTS_PER_YEAR * factory.year_fraction(year))):
            number += 1
            day = factory.date_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
            data.contacts.append(factory.contact(day, f"C{number:06d}"))
    # Follow-ups due this week, whatever the date.
    for index in range(4):
        number += 1
        contact = factory.contact(today - dt.timedelta(days=rng.randint(1, 6)), f"C{number:06d}")
        contact.follow_up = "Ringa tillbaka och höra hur det gick."
        contact.follow_up_due = today + dt.timedelta(days=index + 1)
        contact.follow_up_done = False
        data.contacts.append(contact)
    data.contacts.sort(key=lambda contact: contact.occurred_at)


def generate_bulk(
    seed: int,
    today: dt.date,
    *,
    persons: int,
    identifications: int,
    chunk: int = 5000,
) -> Iterator[DemoData]:
    """A large registry for benchmarks: exactly ``persons`` persons and ``identifications``
    identifications (at least one per person; the rest are further identifications of the same
    persons in later years), in chunks of ``chunk`` persons, without support-line calls."""
    if identifications < persons:
        raise ValueError("every person needs at least one identification")
    factory = _Factory(seed, today)
    rng = factory.rng
    coord, mv, police, other = (sum(column) for column in zip(*VOLUME.values(), strict=True))
    channels = {
        "regional_coordinator": coord * (1 - SUPPORT_LINE_SHARE),
        "support_line": coord * SUPPORT_LINE_SHARE,
        "migrationsverket": mv,
        "police": police,
    }
    weight_of_others = sum(OTHER_CHANNELS.values())
    channels.update({k: other * v / weight_of_others for k, v in OTHER_CHANNELS.items()})
    years = list(range(FIRST_YEAR, today.year + 1))
    extra_left = identifications - persons
    made = 0
    while made < persons:
        size = min(chunk, persons - made)
        share = round(extra_left * size / (persons - made))
        extra_left -= share
        extras = [0] * size
        for _index in range(share):
            extras[rng.randrange(size)] += 1
        data = DemoData()
        for index in range(size):
            channel = _weighted(rng, channels)
            year = rng.choice(years)
            profile = factory.profile(year, channel)
            human = factory.human(profile)
            person = factory.first_record(human, profile, channel)
            if rng.random() < 0.002:
                person.protected_identity = True
                person.address = f"{rng.choice(STREETS)} {rng.randint(1, 60)}, Exempelstad"
            data.humans.append(human)
            data.persons.append(person)
            region, on = profile["region"], profile["identified_on"]
            for repeat in range(1 + extras[index]):
                if repeat:
                    channel = _weighted(rng, channels)
                    on = factory.date_in(on + dt.timedelta(days=30), on + dt.timedelta(days=700))
                registrar = {
                    "support_line": "supportline",
                    "migrationsverket": "liaison:migrationsverket",
                }.get(channel, f"coordinator:{region}")
                data.identifications.append(
                    factory.identification(
                        person=person,
                        human=human,
                        profile=profile,
                        channel=channel,
                        identified_on=on,
                        region=region,
                        registrar=registrar,
                    )
                )
        made += size
        yield data
