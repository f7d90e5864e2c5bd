"""Writes of the reports app: importing and deleting agency lists, making a yearly run.

Every write checks the policy and carries its audit row in the same transaction. An import is
parsed and validated completely before its transaction starts, and the list with all its records
is written in that one transaction: a list is in the platform whole or not at all, also when the
process is killed half-way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings as django_settings
from django.db import transaction
from django.http import Http404

from nmt.accounts.models import Region
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.disclosure import TableSpec, protect_tables, record_keys
from nmt.errors import BadInputError, Problem
from nmt.linkage import ColumnMapping, read_list
from nmt.linkage.lists import source_name_problem
from nmt.linkage.model import DEFAULT_THRESHOLDS
from nmt.reports import registry, yearly
from nmt.reports.models import AgencyList, AgencyListRecord, ReportRun, pack, unpack
from nmt.reports.policies import report_policy

IDENTITY_FIELDS = ("given_name", "family_name", "aliases", "birth_date", "id_number", "id_type")
DISCLOSURE_METHODS = ("ckm", "suppression")
Progress = Callable[[str], None]


def _require_analyst(actor: Any) -> None:
    # Others must not learn that statistics exist in any detail: 404, like a missing page.
    if actor is not None and not report_policy.can_use(actor):
        raise Http404


# ------------------------------------------------------------------------------ agency lists


@dataclass(frozen=True)
class ListPreview:
    """What an import would store, without names: counts per field and per value."""

    source: str
    filename: str
    records: int
    filled: dict[str, int]
    by_sex: dict[str, int]
    by_year: dict[str, int]
    fingerprint: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _check_list_meta(source: str, period_start: dt.date, period_end: dt.date) -> None:
    problems = []
    reason = source_name_problem(source)
    if reason:
        problems.append(Problem(reason, field="source"))
    elif source in (*yearly.REGISTRY_SOURCES, yearly.REGISTRY):
        problems.append(
            Problem(
                f"{source!r} is the name of a list the platform makes from its own cases; "
                "choose another name",
                field="source",
            )
        )
    if period_end < period_start:
        problems.append(Problem("the period ends before it starts", field="period_end"))
    if problems:
        raise BadInputError(problems)


def _read(data: bytes, filename: str, source: str, mapping: dict[str, Any] | None):
    column_mapping = ColumnMapping.from_dict(mapping, where=filename) if mapping else None
    return read_list(io.BytesIO(data), source=source, mapping=column_mapping, filename=filename)


def agency_list_preview(
    *,
    actor: Any,
    data: bytes,
    filename: str,
    source: str,
    period_start: dt.date,
    period_end: dt.date,
    mapping: dict[str, Any] | None = None,
) -> ListPreview:
    """Validate a list file and summarise it; nothing is stored. Raises BadInputError naming
    file, line and column of every problem."""
    _require_analyst(actor)
    _check_list_meta(source, period_start, period_end)
    records = _read(data, filename, source, mapping).records
    _check_dates(records, filename, period_start, period_end)
    years = records["identification_date"].dropna().str[:4].value_counts().sort_index()
    return ListPreview(
        source=source,
        filename=filename,
        records=len(records),
        filled={
            c: int(records[c].notna().sum())
            for c in records.columns
            if c not in {"source", "record_id", "line"}
        },
        by_sex={str(k): int(v) for k, v in records["sex"].fillna("?").value_counts().items()},
        by_year={str(k): int(v) for k, v in years.items()},
        fingerprint=hashlib.sha256(data).hexdigest(),
    )


def _check_dates(
    records: pd.DataFrame, filename: str, period_start: dt.date, period_end: dt.date
) -> None:
    problems = []
    low, high = period_start.isoformat(), period_end.isoformat()
    for line, date in zip(records["line"], records["identification_date"], strict=True):
        if date is None:
            continue
        if not low[: len(date)] <= date <= high[: len(date)]:
            problems.append(
                Problem(
                    f"identification date {date} is outside the list's period {low} – {high}",
                    path=filename,
                    line=int(line),
                    field="identification_date",
                )
            )
    if problems:
        raise BadInputError(problems[:50])


def agency_list_import(
    *,
    actor: Any,
    data: bytes,
    filename: str,
    source: str,
    origin: str,
    period_start: dt.date,
    period_end: dt.date,
    mapping: dict[str, Any] | None = None,
) -> AgencyList:
    """Validate and store a list, all or nothing, with its audit row."""
    preview = agency_list_preview(
        actor=actor,
        data=data,
        filename=filename,
        source=source,
        period_start=period_start,
        period_end=period_end,
        mapping=mapping,
    )
    records = _read(data, filename, source, mapping).records
    rows = []
    for record in records.itertuples(index=False):
        identity = {f: getattr(record, f) for f in IDENTITY_FIELDS if getattr(record, f)}
        rows.append(
            AgencyListRecord(
                record_id=record.record_id,
                identity=json.dumps(identity, ensure_ascii=False) if identity else "",
                age=None if pd.isna(record.age) else int(record.age),
                sex=record.sex or "",
                citizenship=record.citizenship or "",
                identification_date=record.identification_date or "",
                purposes=record.purposes or "",
                region=(record.region or "")[:100],
            )
        )
    with transaction.atomic():
        agency_list = AgencyList.objects.create(
            source=source,
            origin=origin[:120],
            period_start=period_start,
            period_end=period_end,
            filename=filename[:200],
            fingerprint=preview.fingerprint,
            record_count=len(rows),
            mapping=mapping or {},
            imported_by=actor,
        )
        for row in rows:
            row.agency_list = agency_list
        AgencyListRecord.objects.bulk_create(rows, batch_size=2000)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="agency_list",
            object_id=agency_list.pk,
            purpose="statistics",
            details={
                "source": source,
                "origin": origin,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "records": len(rows),
                "fingerprint": preview.fingerprint,
            },
        )
    return agency_list


def agency_list_delete(*, actor: Any, agency_list_id: int) -> None:
    """Delete an imported list and its records; the audit keeps what it was."""
    with transaction.atomic():
        try:
            agency_list = (
                report_policy.visible_lists(actor).select_for_update().get(pk=agency_list_id)
            )
        except AgencyList.DoesNotExist:
            raise Http404 from None
        details = {
            "source": agency_list.source,
            "origin": agency_list.origin,
            "period": [agency_list.period_start.isoformat(), agency_list.period_end.isoformat()],
            "records": agency_list.record_count,
            "fingerprint": agency_list.fingerprint,
        }
        agency_list.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="agency_list",
            object_id=agency_list_id,
            purpose="statistics",
            details=details,
        )


# -------------------------------------------------------------------------------- the run


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    """The rows of the non-empty frames. A column that one frame leaves wholly empty is an
    object column in all of them, so that its values keep their type (a registry id stays an
    int beside the imported records' None); pandas would otherwise choose the type from the
    other frames now, and from all of them in a later version."""
    frames = tuple(f for f in frames if len(f))
    empty = {c for f in frames for c in f.columns if f[c].isna().all()}
    if len(frames) > 1 and empty:
        frames = tuple(f.astype({c: object for c in empty if c in f.columns}) for f in frames)
    return pd.concat(frames, ignore_index=True)


@dataclass
class RunSettings:
    method: str = "stepwise"
    disclosure: str = "ckm"
    # The linkage library's decision threshold (a link where it is likelier than not) and its
    # sensitivity thresholds: a higher threshold misses true links, which inflates both the
    # count and the dark figure (persons seen by one list only).
    threshold: float = DEFAULT_THRESHOLDS[1]
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
    bootstrap: int = 0
    seed: int = 1
    #: Link with the linkage model of the latest kept run (any year; the prior is estimated
    #: again for the year's lists); trained anew only when asked, or when no run has one.
    reuse_model: bool = True
    top_countries: int = yearly.TOP_COUNTRIES
    extra: dict[str, Any] = field(default_factory=dict)

    def check(self) -> None:
        problems = []
        if self.method not in yearly.ESTIMATION_METHODS:
            problems.append(
                Problem(f"use one of {', '.join(yearly.ESTIMATION_METHODS)}", field="method")
            )
        if self.disclosure not in DISCLOSURE_METHODS:
            problems.append(
                Problem(f"use one of {', '.join(DISCLOSURE_METHODS)}", field="disclosure")
            )
        if problems:
            raise BadInputError(problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "disclosure": self.disclosure,
            "threshold": self.threshold,
            "thresholds": list(self.thresholds),
            "bootstrap": self.bootstrap,
            "seed": self.seed,
            "reuse_model": self.reuse_model,
            "top_countries": self.top_countries,
        }


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("nmt", "splink", "duckdb", "numpy", "pandas", "scipy", "Django"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "unknown"
    return out


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """pandas' 64-bit hash of every row, each value as text."""
    return pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()


def _registry_fingerprints(
    identities: pd.DataFrame, facts: pd.DataFrame, sources: list[str]
) -> dict[str, str]:
    """Per registry list: SHA-256 of the row hashes of its records' facts, then of their
    persons' linkage records (names, birth dates, documents as read). The same rows in the
    same order give the same fingerprint, a changed value another. Vectorised: writing a
    million rows as CSV to hash them took seconds."""
    fact_columns = [c for c in facts.columns if c != "order"]
    fact_hashes = _row_hashes(facts[fact_columns])
    people = identities[identities["source"] == yearly.REGISTRY]
    identity_columns = [c for c in people.columns if c not in ("source", "line")]
    identity_hashes = pd.Series(
        _row_hashes(people[identity_columns]),
        index=people["registry_person"].to_numpy(dtype=np.int64),
    )
    out = {}
    for s in sources:
        rows = (facts["source"] == s).to_numpy()
        digest = hashlib.sha256(",".join([*fact_columns, *identity_columns]).encode("utf-8"))
        digest.update(fact_hashes[rows].tobytes())
        persons = facts["registry_person"].to_numpy()[rows].astype(np.int64)
        digest.update(identity_hashes.reindex(persons).to_numpy().tobytes())
        out[s] = digest.hexdigest()
    return out


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """A frame as {column: values} for ``pack`` (tuples become JSON arrays; missing values
    null)."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object:
            out[column] = values.tolist()
        else:
            out[column] = values.astype(object).where(values.notna(), None).tolist()
    return out


def record_key_secret() -> bytes:
    return django_settings.RECORD_KEY_SECRET.encode("utf-8")


def _published(protection) -> dict[str, Any]:
    return {name: table.to_dict() for name, table in protection.tables.items()}


def _total(table_dict: dict[str, Any]) -> int | None:
    for cell in table_dict["cells"]:
        if all(v == "_T" for v in cell["coordinates"].values()):
            return cell["value"]
    return None


def _cell(table_dict: dict[str, Any], **wanted: str) -> int | None:
    for cell in table_dict["cells"]:
        coords = cell["coordinates"]
        if all(coords[v] == wanted.get(v, "_T") for v in coords):
            return cell["value"]
    return None


def _rounded(value: float | None) -> int | None:
    if value is None or not np.isfinite(value):
        return None
    return round(value)


def _public_estimate(result: dict[str, Any]) -> dict[str, Any]:
    """The estimate as published: whole persons; no capture-table cells (they are in the
    protected overlap table)."""
    if not result.get("estimable"):
        return {"estimable": False, "reason": result.get("reason", ""), "lists": result["lists"]}
    interval = result["interval"]
    return {
        "estimable": True,
        "method": result["method"],
        "model": result["model"],
        "lists": result["lists"],
        "estimate": _rounded(result["estimate"]),
        "lower": _rounded(interval.get("lower")),
        "upper": _rounded(interval.get("upper")),
        "level": interval.get("level"),
        "interval_kind": interval.get("kind"),
        "ranking": [
            {
                "rank": r["rank"],
                "model": r["model"],
                "estimate": _rounded(r["estimate"]),
                "bic": round(r["bic"], 2),
                "delta": round(r["delta"], 2),
            }
            for r in result.get("ranking", [])
        ],
    }


def report_run_create(
    *,
    actor: Any,
    year: int,
    run_settings: RunSettings | None = None,
    progress: Progress | None = None,
) -> ReportRun:
    """Link the year's lists, estimate, tabulate, protect and keep the run (audited)."""
    _require_analyst(actor)
    run_settings = run_settings or RunSettings()
    run_settings.check()
    say = progress or (lambda _stage: None)
    clock: dict[str, float] = {}
    started = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        clock[name] = round(now - last, 3)
        last = now

    say("reading")
    rows = registry.read_registry(year)
    agency_lists = registry.lists_for_year(year)
    contacts = registry.contacts_for_year(year)
    lap("read")

    say("lists")
    reg_linkage, reg_facts = registry.registry_lists(rows)
    imp_linkage, imp_facts = registry.imported_records(agency_lists, year, len(rows.cases))
    if not len(reg_facts) and not len(imp_facts):
        raise BadInputError(f"no identifications in {year}: nothing to report", path="--year")
    imp_linkage = imp_linkage.assign(registry_person=None)
    identities = _stack(reg_linkage, imp_linkage)
    facts = _stack(reg_facts, imp_facts)
    present = set(facts["source"])
    sources = [s for s in yearly.REGISTRY_SOURCES if s in present]
    sources += list(dict.fromkeys(a.source for a in agency_lists if a.source in present))
    fingerprints = _registry_fingerprints(
        reg_linkage, reg_facts, [s for s in sources if s in yearly.REGISTRY_SOURCES]
    )
    inputs = [
        {
            "source": s,
            "kind": "registry",
            "records": int((reg_facts["source"] == s).sum()),
            "fingerprint": fingerprints[s],
        }
        for s in sources
        if s in yearly.REGISTRY_SOURCES
    ]
    inputs += [
        {
            "source": a.source,
            "kind": "import",
            "list_id": a.pk,
            "origin": a.origin,
            "period": [a.period_start.isoformat(), a.period_end.isoformat()],
            "records": int((imp_facts["source"] == a.source).sum()),
            "fingerprint": a.fingerprint,
        }
        for a in agency_lists
    ]
    inputs.append({"source": "calls", "kind": "registry", "records": len(contacts)})
    lap("lists")

    model = None
    model_from = None
    if run_settings.reuse_model:
        previous = (
            ReportRun.objects.exclude(model_blob=None)
            .order_by("-created_at", "-id")
            .only("id", "model_blob")
            .first()
        )
        if previous is not None:
            model, model_from = unpack(previous.model_blob), previous.pk
    say("linking")
    linked = yearly.link(
        identities,
        facts,
        yearly.LinkSettings(
            threshold=run_settings.threshold,
            thresholds=run_settings.thresholds,
            model=model,
            seed=run_settings.seed,
        ),
    )
    lap("link")

    say("estimating")
    main = linked.column()
    captures = {
        f"{t:g}": yearly.capture_table(linked.membership, linked.column(t), sources)
        for t in linked.thresholds
    }
    lap("capture")
    estimation = yearly.estimate(
        captures[f"{run_settings.threshold:g}"],
        method=run_settings.method,
        bootstrap=run_settings.bootstrap,
        seed=run_settings.seed,
    )
    sensitivity = []
    for t in linked.thresholds:
        result = (
            estimation
            if t == run_settings.threshold
            else yearly.estimate(captures[f"{t:g}"], method=run_settings.method, with_ranking=False)
        )
        sensitivity.append({"threshold": t, "result": result})
    lap("estimate")

    say("tables")
    persons = yearly.person_facts(facts, linked.membership[main].to_numpy(), sources)
    countries = yearly.top_countries(persons, run_settings.top_countries)
    regions = list(Region.objects.order_by("name").values_list("code", flat=True))
    records = yearly.table_records(persons, sources, countries)
    specs = yearly.table_specs(sources, countries, regions)
    lap("tables")

    say("disclosure control")
    secret = record_key_secret()
    # Record keys once per person token, whichever threshold's persons it names.
    tokens = {t: pd.unique(linked.membership[linked.column(t)]) for t in linked.thresholds}
    distinct = pd.unique(
        np.concatenate([records["person"].to_numpy(dtype=object), *tokens.values()])
    )
    key_of = pd.Series(record_keys(distinct, secret=secret), index=distinct)
    keyed = records.assign(record_key=key_of.reindex(records["person"]).to_numpy())
    protection = protect_tables(
        keyed, specs, yearly.policies_for(run_settings.disclosure, [s.name for s in specs])
    )
    published = _published(protection)
    calls_spec = TableSpec(
        "calls",
        ["caller_type", "topic"],
        categories={"caller_type": registry.CALLER_TYPES, "topic": registry.TOPICS},
    )
    if len(contacts):
        calls = yearly.protect(
            contacts, [calls_spec], run_settings.disclosure, secret, id_column="call"
        )
        published["calls"] = calls["calls"].to_dict()
    threshold_spec = TableSpec("persons", ["year"], categories={"year": (str(year),)})
    threshold_policy = yearly.policies_for(run_settings.disclosure, ["persons"])
    published_sensitivity = []
    for item in sensitivity:
        t = item["threshold"]
        counted_frame = pd.DataFrame(
            {
                "person": tokens[t],
                "year": str(year),
                "record_key": key_of.reindex(tokens[t]).to_numpy(),
            }
        )
        counted = protect_tables(counted_frame, [threshold_spec], threshold_policy)
        published_sensitivity.append(
            {
                "threshold": t,
                "persons": _total(counted["persons"].to_dict()),
                **_public_estimate(item["result"]),
            }
        )
    lap("disclosure")

    public_estimate = _public_estimate(estimation)
    overlap = published["overlap"]
    summary = {
        "year": year,
        "persons": _total(overlap),
        "children": _cell(published["sex_age"], age_group="child"),
        "women": _cell(published["sex_age"], sex="female"),
        "per_source": {s: _cell(overlap, **{f"in_{s}": "yes"}) for s in sources},
        "sources": sources,
        "estimate": public_estimate,
        "sensitivity": published_sensitivity,
        "countries": list(countries),
        "regions": regions,
        "calls": _total(published["calls"]) if "calls" in published else 0,
        "disclosure": run_settings.disclosure,
    }
    confidential = {
        "captures": {k: v.to_dict(orient="list") for k, v in captures.items()},
        "estimation": estimation,
        "sensitivity": sensitivity,
        "tables": {n: t.to_dict(confidential=True) for n, t in protection.tables.items()},
        "linkage": {k: round(v, 3) for k, v in linked.timings.items()},
        "linkage_trained": linked.trained,
    }
    membership = linked.membership.assign(
        registry_person=facts["registry_person"]
        .astype(object)
        .where(facts["registry_person"].notna(), None)
    )
    settings_dict = {**run_settings.to_dict(), "model_from_run": model_from}
    fingerprint = hashlib.sha256(
        json.dumps(
            {"year": year, "inputs": inputs, "settings": settings_dict}, sort_keys=True
        ).encode("utf-8")
    ).hexdigest()
    with transaction.atomic():
        run = ReportRun.objects.create(
            year=year,
            created_by=actor,
            fingerprint=fingerprint,
            settings=settings_dict,
            inputs=inputs,
            versions=versions(),
            summary=summary,
            published=published,
            timings={},
            results_blob=pack(confidential),
            persons_blob=pack(_columns(persons)),
            membership_blob=pack(_columns(membership)),
            model_blob=pack(linked.model) if linked.model else None,
        )
        lap("save")
        clock["total"] = round(time.perf_counter() - started, 3)
        ReportRun.objects.filter(pk=run.pk).update(timings=clock)
        run.timings = clock
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="report_run",
            object_id=run.pk,
            purpose="statistics",
            details={"year": year, "fingerprint": fingerprint, "settings": settings_dict},
        )
    return run


def report_export_audit(*, actor: Any, run: ReportRun, fmt: str, lang: str) -> None:
    """Record an export of a run's published outputs (or of the HTCDS file)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="report_run",
            object_id=run.pk,
            purpose="statistics",
            details={"year": run.year, "format": fmt, "lang": lang},
        )
