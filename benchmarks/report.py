"""Report benchmark: the full yearly report over 1,000,000 synthetic identifications on
PostgreSQL, phase by phase, beside a single SQL GROUP BY over the same rows as the floor.

Seeds a PostgreSQL database (a throw-away server as ``.ci/run`` starts one, or a scratch database
in the server of ``DATABASE_URL``) with the linkage generator's records (``nmt.linkage.synthetic``:
realistic name pools, duplicates, spelling variants, partial dates) as registry persons and
identifications, written with ``COPY``; names, birth dates and identity numbers sealed (AES-GCM)
as the services seal them, so reading the registry opens them as it would in production. Then
measures two layouts of the same million:

* ``ten-years``: ten years of about 100,000 identifications each; the report is for the last
  year (what a national report over a registry of a million identifications reads);
* ``one-year``: the same rows moved into the reported year (``identified_on`` shifted by whole
  years), so that the report's year holds all 1,000,000 identifications.

For each layout: the floor (``SELECT channel, count(*) ... GROUP BY channel`` over the year's rows,
and over all rows), then the yearly run (read the registry, build the lists, link, capture table,
estimation without the bootstrap, tables, disclosure control under the cell key method, save the
kept run) twice, training the linkage model and reusing the kept run's model, and rendering the
kept run's report (HTML, PDF and XLSX, each timed alone).

Run from the repository root::

    .venv/bin/python benchmarks/report.py                              # both layouts, 1,000,000
    .venv/bin/python benchmarks/report.py --identifications 50000      # quick
    .venv/bin/python benchmarks/report.py --layouts ten-years --json   # one layout, JSON on stdout
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
YEARS = 10
LAYOUTS = ("ten-years", "one-year")
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
INDUSTRIES = ["agriculture", "berry_picking", "construction", "cleaning", "restaurant", "beauty"]
MEASURE_STATUSES = ["planned", "applied", "granted", "refused", "active", "ended"]
#: Phases of the run as kept in ``ReportRun.timings``, and the linkage's own phases.
RUN_PHASES = (
    "read",
    "lists",
    "link",
    "capture",
    "estimate",
    "tables",
    "disclosure",
    "save",
)
LINK_PHASES = ("features", "blocking", "training", "prediction", "clustering", "tokens")


def _console():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


class Copier:
    """COPY rows of a model given as {column: value}: the other columns get the model's default,
    prepared once (the demo's ``RowInserter`` prepares every value of every row, which is most of
    the seeding time at a million rows)."""

    def __init__(self, model: Any, columns: list[str]):
        import json as _json

        from django.db import connection, models

        self.table = connection.ops.quote_name(model._meta.db_table)
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.fields.insert(0, model._meta.pk)
        self.given = columns
        defaults = []
        for f in self.fields:
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = _json.dumps(value)
            elif f.column not in columns:
                value = f.get_db_prep_save(value, connection)
            defaults.append(value)
        self.template = dict(zip([f.column for f in self.fields], defaults, strict=True))
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)

    def write(self, rows: list[dict[str, Any]]) -> None:
        from django.db import connection

        if not rows:
            return
        order = [f.column for f in self.fields]
        with connection.cursor() as cursor:
            copy_sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    merged = {**self.template, **row}
                    copy.write_row([merged[c] for c in order])


def _reserve(model: Any, count: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


CHANNEL_OF_SOURCE = {
    "coordinators": "regional_coordinator",
    "supportline": "support_line",
    "migrationsverket": "migrationsverket",
    "police": "police",
}
PERSON_COLUMNS = ("id", "given_name", "family_name", "aliases", "birth_date", "birth_year", "sex")
MEASURE_COLUMNS = ("id", "identification_id", "kind", "status", "created_by_id", "created_at")
SEX_NAME = {"f": "female", "m": "male", "x": "other"}
DOCUMENT_KIND = {"personnummer": "personnummer", "samordningsnummer": "samordningsnummer"}


def year_records(identifications: int, seed_value: int, year: int):
    """The linkage generator's lists for one year (``nmt.linkage.synthetic.generate``: its
    name pools, duplicates, spelling variants, partial dates and agency habits), read and
    standardised as an import would read them, with each record's true person."""
    import io

    import pandas as pd

    from nmt.linkage import read_list
    from nmt.linkage.synthetic import generate

    lists = generate(identifications, seed=seed_value, year=year)
    frames = []
    for source, frame in lists.lists.items():
        data = frame.to_csv(index=False).encode("utf-8")
        frames.append(read_list(io.BytesIO(data), source=source, filename=f"{source}.csv").records)
    records = pd.concat(frames, ignore_index=True)
    truth = lists.truth.set_index(["source", "record_id"])["person_id"]
    records["person"] = truth.reindex(
        pd.MultiIndex.from_frame(records[["source", "record_id"]])
    ).to_numpy()
    return records


def seed(identifications: int, seed_value: int, years: list[int]) -> dict[str, Any]:
    """A year's worth of the linkage generator's records for each of ``years``, written as the
    registry would hold them: every record an identification through its agency's channel
    (the coordinators', the support line's, the Migration Agency's, the police's), and a
    registry person for every different way a true person's identity was written (name,
    birth date, identity number): the same spelling finds the existing person, as a search at
    registration does; any other is a duplicate registration that linkage must find. Names,
    birth dates and identity numbers are sealed as the services seal them. Industry (for
    forced labour) and, for a tenth of the cases, a reflection period or permit are drawn."""
    import numpy as np
    import pandas as pd
    from django.db import connection, transaction
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from nmt.access.crypto import seal
    from nmt.accounts.models import Agency, Region, User
    from nmt.cases.models import (
        Citizenship,
        Identification,
        IdentificationPurpose,
        IdentityDocument,
        Measure,
        Person,
    )
    from nmt.cases.validators import age_group_at

    rng = random.Random(seed_value)
    agencies = dict(Agency.objects.values_list("code", "pk"))
    region_ids = dict(Region.objects.values_list("code", "pk"))
    by_name = {}
    for code, name in Region.objects.values_list("code", "name"):
        by_name[code.casefold()] = region_ids[code]
        by_name[name.casefold()] = region_ids[code]
    all_regions = list(region_ids.values())
    user = User.objects.create_user("bench_registrar", role="coordinator")
    now = dt.datetime.now(dt.UTC)
    writers = {
        "person": Copier(
            Person,
            [*PERSON_COLUMNS, "created_at", "updated_at"],
        ),
        "citizen": Copier(Citizenship, ["id", "person_id", "country"]),
        "document": Copier(IdentityDocument, ["id", "person_id", "kind", "number"]),
        "case": Copier(
            Identification,
            [
                "id",
                "case_number",
                "person_id",
                "identified_on",
                "channel",
                "agency_id",
                "region_id",
                "estimated_age",
                "age_group",
                "industry",
                "status",
                "registered_by_id",
                "created_at",
                "updated_at",
            ],
        ),
        "purpose": Copier(IdentificationPurpose, ["id", "identification_id", "purpose"]),
        "measure": Copier(
            Measure,
            [*MEASURE_COLUMNS, "updated_at"],
        ),
    }
    models = {
        "citizen": Citizenship,
        "document": IdentityDocument,
        "purpose": IdentificationPurpose,
        "measure": Measure,
    }

    def sealed(value: Any, context: str) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
            return ""
        return seal(str(value), context=context)

    made = 0
    per_year: dict[int, int] = {}
    progress = Progress(
        TextColumn("seeding"), BarColumn(), MofNCompleteColumn(), console=_console()
    )
    with progress, transaction.atomic():
        task = progress.add_task("seed", total=identifications)
        for number, year in enumerate(years):
            share = identifications // len(years)
            records = year_records(share, seed_value + number, year)
            key = (
                records[["person", "given_name", "family_name", "birth_date", "id_number"]]
                .astype(str)
                .agg("\x1f".join, axis=1)
            )
            owner_index, _owners = pd.factorize(key)
            first = pd.Series(np.arange(len(records))).groupby(owner_index).first().to_numpy()
            person_ids = _reserve(Person, len(first))
            rows: dict[str, list[dict[str, Any]]] = {k: [] for k in writers}
            for pid, at in zip(person_ids, first, strict=True):
                r = records.iloc[at]
                birth = r["birth_date"]
                birth_year = int(birth[:4]) if isinstance(birth, str) else None
                rows["person"].append(
                    {
                        "id": pid,
                        "given_name": sealed(r["given_name"], "cases.Person.given_name"),
                        "family_name": sealed(r["family_name"], "cases.Person.family_name"),
                        "aliases": sealed(
                            (r["aliases"] or "").replace(";", "\n"), "cases.Person.aliases"
                        ),
                        "birth_date": sealed(birth, "cases.Person.birth_date"),
                        "birth_year": birth_year,
                        "sex": SEX_NAME.get(r["sex"], "unknown"),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if isinstance(r["citizenship"], str):
                    rows["citizen"].append({"person_id": pid, "country": r["citizenship"]})
                if isinstance(r["id_number"], str):
                    rows["document"].append(
                        {
                            "person_id": pid,
                            "kind": DOCUMENT_KIND.get(r["id_type"], "passport"),
                            "number": sealed(r["id_number"], "cases.IdentityDocument.number"),
                        }
                    )
            case_ids = _reserve(Identification, len(records))
            owners = np.asarray(person_ids)[owner_index]
            for i, r in enumerate(records.itertuples(index=False)):
                date = r.identification_date
                on = (
                    dt.date.fromisoformat(date)
                    if isinstance(date, str) and len(date) == 10
                    else dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                )
                age = None if pd.isna(r.age) else int(r.age)
                purposes = (r.purposes or "unknown").split(";")
                channel = CHANNEL_OF_SOURCE[r.source]
                region = by_name.get((r.region or "").casefold()) or rng.choice(all_regions)
                rows["case"].append(
                    {
                        "id": case_ids[i],
                        "case_number": f"B-{year}-{i + 1:07d}",
                        "person_id": int(owners[i]),
                        "identified_on": on,
                        "channel": channel,
                        "agency_id": agencies[AGENCY[channel]],
                        "region_id": region,
                        "estimated_age": age,
                        "age_group": age_group_at(
                            on, birth_date=r.birth_date or "", estimated_age=age
                        ),
                        "industry": rng.choice(INDUSTRIES) if "forced_labour" in purposes else "",
                        "status": "closed",
                        "registered_by_id": user.pk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for purpose in dict.fromkeys(purposes):
                    rows["purpose"].append({"identification_id": case_ids[i], "purpose": purpose})
                if rng.random() < 0.1:
                    rows["measure"].append(
                        {
                            "identification_id": case_ids[i],
                            "kind": rng.choice(["reflection_period", "temporary_residence_permit"]),
                            "status": rng.choice(MEASURE_STATUSES),
                            "created_by_id": user.pk,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            for name, model in models.items():
                for row, pk in zip(rows[name], _reserve(model, len(rows[name])), strict=True):
                    row["id"] = pk
            for name in ("person", "citizen", "document", "case", "purpose", "measure"):
                writers[name].write(rows[name])
            per_year[year] = len(records)
            made += len(records)
            progress.advance(task, share)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"identifications": made, "per_year": per_year}


def move_into_one_year(year: int) -> int:
    """Shift every identification by whole years into ``year`` (the one-year layout)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_identification SET identified_on = CAST(identified_on + "
            "make_interval(years => %s - CAST(extract(year FROM identified_on) AS int)) AS date) "
            "WHERE extract(year FROM identified_on) <> %s",
            [year, year],
        )
        moved = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_identification")
    return moved


def floor(year: int | None, repeats: int = 5) -> tuple[float, int]:
    """Median seconds of one GROUP BY over the year's identifications (all when ``year`` is
    None), and the rows it counted."""
    from django.db import connection

    sql = "SELECT channel, count(*) FROM cases_identification"
    params: list[Any] = []
    if year is not None:
        sql += " WHERE identified_on BETWEEN %s AND %s"
        params = [dt.date(year, 1, 1), dt.date(year, 12, 31)]
    sql += " GROUP BY channel"
    times, rows = [], 0
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute(sql, params)
            counts = cursor.fetchall()
            times.append(time.perf_counter() - started)
            rows = sum(n for _channel, n in counts)
    return statistics.median(times), rows


def timed_run(year: int, reuse_model: bool) -> dict[str, Any]:
    from nmt.reports.models import unpack
    from nmt.reports.services import RunSettings, report_run_create

    started = time.perf_counter()
    run = report_run_create(
        actor=None, year=year, run_settings=RunSettings(reuse_model=reuse_model, bootstrap=0)
    )
    wall = time.perf_counter() - started
    results = unpack(run.results_blob)
    return {
        "run": run.pk,
        "records": sum(i["records"] for i in run.inputs if i["source"] != "calls"),
        "persons": run.summary["persons"],
        "estimate": run.summary["estimate"].get("estimate"),
        "trained": results.get("linkage_trained"),
        "phases": {k: v for k, v in run.timings.items() if k != "total"},
        "linkage": results["linkage"],
        "total_s": round(run.timings["total"], 2),
        "wall_s": round(wall, 2),
    }


def timed_render(run_id: int) -> dict[str, float]:
    from nmt.reports import render
    from nmt.reports.models import ReportRun

    out = {}
    for fmt in ("html", "pdf", "xlsx"):
        run = ReportRun.objects.get(pk=run_id)
        started = time.perf_counter()
        render.render(run, fmt, "sv")
        out[fmt] = round(time.perf_counter() - started, 2)
    return out


def measure(year: int, console: Any) -> dict[str, Any]:
    floor_year, rows_year = floor(year)
    floor_all, rows_all = floor(None)
    console.print(f"floor over {rows_year:,} rows of {year}: {floor_year * 1000:.1f} ms")
    trained = timed_run(year, reuse_model=False)
    console.print(f"trained: {trained['total_s']} s {trained['phases']}")
    reused = timed_run(year, reuse_model=True)
    console.print(f"reused: {reused['total_s']} s {reused['phases']}")
    rendering = timed_render(reused["run"])
    console.print(f"render: {rendering}")
    return {
        "year": year,
        "identifications_in_year": rows_year,
        "identifications_in_database": rows_all,
        "floor_year_s": round(floor_year, 4),
        "floor_all_s": round(floor_all, 4),
        "trained": trained,
        "reused": reused,
        "render_s": rendering,
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    """Phases as rows, one column per layout and run."""
    runs = [
        (layout, kind, r[kind]) for layout, r in results.items() for kind in ("trained", "reused")
    ]
    head = "| phase (s) | " + " | ".join(
        f"{layout}: {'model trained' if kind == 'trained' else 'model reused'}"
        for layout, kind, _r in runs
    )
    lines = [head + " |", "|---" + "|---:" * len(runs) + "|"]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row(
        "identifications in the year",
        [f"{results[lay]['identifications_in_year']:,}" for lay, _k, _r in runs],
    )
    row("records (list x registry person)", [f"{r['records']:,}" for _l, _k, r in runs])
    row("persons (published)", [f"{r['persons']:,}" for _l, _k, r in runs])
    for phase in RUN_PHASES:
        row(phase, [f"{r['phases'].get(phase, 0):.2f}" for _l, _k, r in runs])
        if phase == "link":
            for sub in LINK_PHASES:
                row(f"&nbsp;&nbsp;{sub}", [f"{r['linkage'].get(sub, 0):.2f}" for _l, _k, r in runs])
    row("**run total**", [f"**{r['total_s']:.2f}**" for _l, _k, r in runs])
    without = [r["total_s"] - r["phases"].get("link", 0) for _l, _k, r in runs]
    row("run total without linkage", [f"{v:.2f}" for v in without])
    for fmt in ("html", "pdf", "xlsx"):
        row(
            f"render {fmt.upper()} (kept run)",
            [f"{results[lay]['render_s'][fmt]:.2f}" for lay, _k, _r in runs],
        )
    row(
        "floor: GROUP BY over the year's rows",
        [f"{results[lay]['floor_year_s'] * 1000:.1f} ms" for lay, _k, _r in runs],
    )
    row(
        "floor: GROUP BY over all rows",
        [f"{results[lay]['floor_all_s'] * 1000:.1f} ms" for lay, _k, _r in runs],
    )
    row(
        "run total / floor (year's rows)",
        [f"{r['total_s'] / results[lay]['floor_year_s']:,.0f}x" for lay, _k, r in runs],
    )
    row(
        f"≤ {TARGET_SECONDS:g} s (run + HTML)",
        [
            "yes" if r["total_s"] + results[lay]["render_s"]["html"] <= TARGET_SECONDS else "no"
            for lay, _k, r in runs
        ],
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identifications", type=int, default=1_000_000)
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pg-setting", action="append", default=["fsync=off"])
    args = parser.parse_args()
    console = _console()
    year = dt.date.today().year - 1
    years = list(range(year - YEARS + 1, year + 1))
    results: dict[str, dict[str, Any]] = {}
    with benchmark_database(os.environ.get("DATABASE_URL"), settings=args.pg_setting) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("NMT_DATA_DIR", tempfile.mkdtemp(prefix="nmt-bench-report-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        seeded = seed(args.identifications, args.seed, years)
        console.print(
            f"seeded {seeded['identifications']:,} identifications over {years[0]}-{years[-1]} "
            f"in {time.perf_counter() - started:.0f} s"
        )
        for layout in LAYOUTS:
            if layout not in args.layouts:
                continue
            if layout == "one-year":
                moved = move_into_one_year(year)
                console.print(f"moved {moved:,} identifications into {year}")
            console.print(f"[bold]{layout}[/bold]")
            results[layout] = measure(year, console)
        from django.db import connections

        connections.close_all()
    output = {
        "identifications": seeded["identifications"],
        "years": [years[0], years[-1]],
        "report_year": year,
        "target_s": TARGET_SECONDS,
        "cpus": os.cpu_count(),
        "layouts": results,
    }
    text = table(results)
    if args.json:
        console.print(text)
        json.dump(output, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
