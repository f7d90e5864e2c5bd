"""The network's organisation: regions, counties, municipalities and agencies (seed data)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

REGIONS = [
    ("nord", "Nord"),
    ("mitt", "Mitt"),
    ("stockholm", "Stockholm"),
    ("ost", "Öst"),
    ("vast", "Väst"),
    ("syd", "Syd"),
    ("bergslagen", "Bergslagen"),
]

# (code, Swedish name, English name, kind, receives referrals)
AGENCIES = [
    (
        "jamstalldhetsmyndigheten",
        "Jämställdhetsmyndigheten",
        "Swedish Gender Equality Agency",
        "national_authority",
        True,
    ),
    (
        "migrationsverket",
        "Migrationsverket",
        "Swedish Migration Agency",
        "national_authority",
        True,
    ),
    (
        "polismyndigheten",
        "Polismyndigheten",
        "Swedish Police Authority",
        "national_authority",
        True,
    ),
    (
        "aklagarmyndigheten",
        "Åklagarmyndigheten",
        "Swedish Prosecution Authority",
        "national_authority",
        True,
    ),
    (
        "arbetsmiljoverket",
        "Arbetsmiljöverket",
        "Swedish Work Environment Authority",
        "national_authority",
        True,
    ),
    ("skatteverket", "Skatteverket", "Swedish Tax Agency", "national_authority", True),
    ("kustbevakningen", "Kustbevakningen", "Swedish Coast Guard", "national_authority", True),
    ("tullverket", "Tullverket", "Swedish Customs", "national_authority", True),
    ("socialtjansten", "Kommunal socialtjänst", "Municipal social services", "municipal", True),
    (
        "halso-och-sjukvard",
        "Regionernas hälso- och sjukvård",
        "Regional health care",
        "health_care",
        True,
    ),
    (
        "civilsamhallet",
        "Civilsamhällesorganisationer",
        "Civil-society organisations",
        "civil_society",
        True,
    ),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_organisation(apps=None) -> None:
    """Create or update the organisation. Usable from a migration (``apps``) or directly."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Region = apps.get_model("accounts", "Region")
    County = apps.get_model("accounts", "County")
    Municipality = apps.get_model("accounts", "Municipality")
    Agency = apps.get_model("accounts", "Agency")
    regions = {}
    for code, name in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    counties = {}
    for row in read_csv("counties.csv"):
        counties[row["code"]], _ = County.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "region": regions[row["region"]]}
        )
    for row in read_csv("municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "county": counties[row["county_code"]]},
        )
    for code, name, name_en, kind, receives in AGENCIES:
        Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "receives_referrals": receives,
            },
        )
