"""Report benchmark: the full yearly report over 1,000,000 synthetic identifications on
PostgreSQL, beside a single SQL GROUP BY over the same rows as the floor.

Seeds a throw-away PostgreSQL server (as ``.ci/run`` starts one; or a scratch database in the
server of ``DATABASE_URL``) with persons and identifications over the demo's years, written with
``COPY`` through the demo's row writer (names sealed and indexed as the services do it), then
times, for one year:

* the floor: ``SELECT channel, count(*) FROM cases_identification GROUP BY channel`` over all rows;
* the yearly run (read the year's lists, link them, capture tables, estimation without the
  bootstrap, all tables under the cell key method), phase by phase, training the linkage model;
* the same run again with the linkage model of the first run (``--reuse-model``);
* rendering the HTML and XLSX report from the kept run.

Run from the repository root::

    .venv/bin/python benchmarks/report.py                      # 1,000,000 identifications
    .venv/bin/python benchmarks/report.py --identifications 50000 --json   # quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _pg import benchmark_database  # noqa: E402

TARGET_SECONDS = 10.0
FIRST_YEAR = 2017
CHANNELS = {
    "regional_coordinator": 190,
    "support_line": 35,
    "migrationsverket": 450,
    "police": 50,
    "social_services": 10,
    "health_care": 7,
    "civil_society": 8,
    "labour_inspection": 5,
}
AGENCY = {
    "regional_coordinator": "socialtjansten",
    "support_line": "jamstalldhetsmyndigheten",
    "migrationsverket": "migrationsverket",
    "police": "polismyndigheten",
    "social_services": "socialtjansten",
    "health_care": "halso-och-sjukvard",
    "civil_society": "civilsamhallet",
    "labour_inspection": "arbetsmiljoverket",
}
PURPOSES = {
    "sexual": 44,
    "forced_labour": 22,
    "begging": 8,
    "crime": 11,
    "forced_marriage": 6,
    "other_distress": 4,
    "unknown": 5,
}
INDUSTRIES = ["agriculture", "berry_picking", "construction", "cleaning", "restaurant", "beauty"]


def _console():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def seed(identifications: int, seed_value: int, today: dt.date) -> dict[str, Any]:
    """Persons and identifications in bulk: 90 % of persons once, the rest two or three times
    (through another channel: the overlap the estimate needs); a fifth of the repeated persons
    recorded as a second person with a spelling variant, for the linkage to find."""
    from django.db import connection, transaction
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from nmt.accounts.models import Agency, Region, User
    from nmt.cases.models import Citizenship, Identification, IdentificationPurpose, Person
    from nmt.cases.validators import age_group_at
    from nmt.demo.names import BOOKS, full_name, spelling_variant
    from nmt.demo.seed import RowInserter

    rng = random.Random(seed_value)
    rows = RowInserter()
    agencies = dict(Agency.objects.values_list("code", "pk"))
    regions = list(Region.objects.values_list("pk", flat=True))
    user = User.objects.create_user("bench_registrar", role="coordinator")
    countries = [c for c in BOOKS if c != "SE"] + ["SE"] * 4
    channels, weights = list(CHANNELS), list(CHANNELS.values())
    purposes, p_weights = list(PURPOSES), list(PURPOSES.values())
    years = list(range(FIRST_YEAR, today.year))
    counter: dict[int, int] = {}
    made = 0
    batch = 20_000
    progress = Progress(
        TextColumn("seeding"), BarColumn(), MofNCompleteColumn(), console=_console()
    )
    with progress, transaction.atomic():
        task = progress.add_task("seed", total=identifications)
        while made < identifications:
            size = min(batch, identifications - made)
            persons, citizens, cases, case_purposes = [], [], [], []
            person_ids = iter(rows.reserve_ids(Person, size))
            case_ids = iter(rows.reserve_ids(Identification, size))
            produced = 0
            while produced < size:
                country = rng.choice(countries)
                sex = "female" if rng.random() < 0.7 else "male"
                given, family = full_name(BOOKS[country], sex, rng)
                year = rng.choice(years)
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                age = min(64, max(9, int(rng.triangular(12, 58, 24))))
                born = dt.date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))
                purpose = rng.choices(purposes, p_weights)[0]
                times = 1 if rng.random() < 0.9 else rng.choice((2, 2, 3))
                times = min(times, size - produced)
                person = next(person_ids)
                persons.append(
                    {
                        "id": person,
                        "given_name": given,
                        "family_name": family,
                        "birth_date": born.isoformat(),
                        "birth_year": born.year,
                        "sex": sex,
                        "languages": [],
                        "created_at": dt.datetime.now(dt.UTC),
                        "updated_at": dt.datetime.now(dt.UTC),
                    }
                )
                citizens.append({"person_id": person, "country": country})
                used = rng.sample(channels, k=1) + rng.choices(channels, weights, k=times - 1)
                used[0] = rng.choices(channels, weights)[0]
                for index, channel in enumerate(used):
                    owner = person
                    if index and rng.random() < 0.2:
                        owner = next(person_ids)
                        persons.append(
                            {
                                "id": owner,
                                "given_name": spelling_variant(given, BOOKS[country], rng),
                                "family_name": family,
                                "birth_date": str(born.year),
                                "birth_year": born.year,
                                "sex": sex,
                                "languages": [],
                                "created_at": dt.datetime.now(dt.UTC),
                                "updated_at": dt.datetime.now(dt.UTC),
                            }
                        )
                        citizens.append({"person_id": owner, "country": country})
                    on = min(day + dt.timedelta(days=rng.randint(0, 200)), dt.date(year, 12, 31))
                    counter[on.year] = counter.get(on.year, 0) + 1
                    case = next(case_ids)
                    cases.append(
                        {
                            "id": case,
                            "case_number": f"NMT-{on.year}-{counter[on.year]:07d}",
                            "person_id": owner,
                            "identified_on": on,
                            "channel": channel,
                            "agency_id": agencies[AGENCY[channel]],
                            "region_id": rng.choice(regions),
                            "age_group": age_group_at(on, birth_date=born.isoformat()),
                            "industry": rng.choice(INDUSTRIES)
                            if purpose == "forced_labour"
                            else "",
                            "indicators": [],
                            "status": "closed",
                            "registered_by_id": user.pk,
                            "created_at": dt.datetime.now(dt.UTC),
                            "updated_at": dt.datetime.now(dt.UTC),
                        }
                    )
                    case_purposes.append({"identification_id": case, "purpose": purpose})
                    produced += 1
            rows.insert(Person, persons)
            rows.insert(Citizenship, citizens)
            rows.insert(Identification, cases)
            rows.insert(IdentificationPurpose, case_purposes)
            made += size
            progress.advance(task, size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"identifications": made, "per_year": counter}


def floor(repeats: int = 5) -> float:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute("SELECT channel, count(*) FROM cases_identification GROUP BY channel")
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed_run(year: int, reuse_model: bool) -> dict[str, Any]:
    from nmt.reports import render
    from nmt.reports.services import RunSettings, report_run_create

    started = time.perf_counter()
    run = report_run_create(
        actor=None, year=year, run_settings=RunSettings(reuse_model=reuse_model, bootstrap=0)
    )
    after_run = time.perf_counter()
    render.render(run, "html", "sv")
    render.render(run, "xlsx", "sv")
    done = time.perf_counter()
    return {
        "run": run.pk,
        "records": sum(i["records"] for i in run.inputs if i["source"] != "calls"),
        "persons": run.summary["persons"],
        "phases": run.timings,
        "linkage": json.loads(json.dumps(run.timings)),
        "render_s": round(done - after_run, 2),
        "total_s": round(done - started, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identifications", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pg-setting", action="append", default=["fsync=off"])
    args = parser.parse_args()
    console = _console()
    today = dt.date.today()
    year = today.year - 2
    with benchmark_database(os.environ.get("DATABASE_URL"), settings=args.pg_setting) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("NMT_DATA_DIR", tempfile.mkdtemp(prefix="nmt-bench-report-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        seeded = seed(args.identifications, args.seed, today)
        seed_s = time.perf_counter() - started
        console.print(f"seeded {seeded['identifications']:,} identifications in {seed_s:.0f} s")
        floor_s = floor()
        first = timed_run(year, reuse_model=False)
        second = timed_run(year, reuse_model=True)
        from django.db import connections

        connections.close_all()
    result = {
        "identifications": seeded["identifications"],
        "year": year,
        "identifications_in_year": seeded["per_year"].get(year, 0),
        "floor_group_by_s": round(floor_s, 4),
        "trained": first,
        "reused_model": second,
        "target_s": TARGET_SECONDS,
    }
    lines = [
        "| run | records in year | persons | read | link | estimate | tables | save | render "
        "| total s | ratio to floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in (("training the linkage model", first), ("linkage model reused", second)):
        p = r["phases"]
        lines.append(
            f"| {name} | {r['records']:,} | {r['persons']:,} | {p.get('read', 0):.1f} | "
            f"{p.get('link', 0):.1f} | {p.get('estimate', 0):.1f} | {p.get('tables', 0):.1f} | "
            f"{p.get('save', 0):.1f} | {r['render_s']:.1f} | {r['total_s']:.1f} | "
            f"{r['total_s'] / floor_s:,.0f}x |"
        )
    lines.append(
        f"| floor: one GROUP BY over all {seeded['identifications']:,} rows | | | | | | | | | "
        f"{floor_s:.3f} | 1x |"
    )
    table = "\n".join(lines)
    if args.json:
        console.print(table)
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
