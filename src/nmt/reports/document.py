"""The situation report as a document: headline, tables ready to show, notes, texts, trend.

Built only from a run's *published* (protected) tables and summary, and from the kept runs of
earlier years for the trend: nothing here reads an unprotected figure, so every output made from
the document (HTML, PDF, XLSX, CSV) is safe to publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from nmt.cases import codes
from nmt.countries import country_name
from nmt.disclosure import DisclosurePolicy, ProtectedCell, ProtectedTable, TableSpec
from nmt.disclosure.presentation import table_notes
from nmt.disclosure.results import Flag
from nmt.reports import yearly
from nmt.reports.models import ReportRun
from nmt.supportline.models import CallerType, Topic

TOTAL = "_T"
SYMBOL_SUPPRESSED = ".."


def source_label(source: str) -> str:
    labels = {
        "coordinators": _("Regional coordinators"),
        "support_line": _("Support line"),
        "migrationsverket": _("Swedish Migration Agency"),
        "police": _("Police"),
        "other_actors": _("Other identifying actors"),
    }
    return labels.get(source, source)


def measure_label(code: str) -> str:
    return {
        "reflection_applied": _("Reflection period applied for"),
        "reflection_granted": _("Reflection period granted"),
        "permit_applied": _("Temporary residence permit applied for"),
        "permit_granted": _("Temporary residence permit granted"),
        "none": _("No reflection period or permit recorded"),
    }[code]


def category_label(variable: str, code: str, regions: dict[str, str]) -> str:
    if code == TOTAL:
        return _("Total")
    if variable == "sex":
        return str(codes.Sex(code).label)
    if variable == "age_group":
        return str(codes.AgeGroup(code).label)
    if variable == "purpose":
        return str(codes.Purpose(code).label)
    if variable == "industry":
        if code == yearly.NOT_APPLICABLE:
            return _("Not forced labour")
        return str(codes.Industry(code).label)
    if variable == "citizenship":
        if code == yearly.OTHER_COUNTRY:
            return _("Other countries")
        if code == yearly.UNKNOWN:
            return _("Unknown")
        return country_name(code, translation.get_language() or "sv")
    if variable == "region":
        return regions.get(code, _("Unknown"))
    if variable == "measure":
        return measure_label(code)
    if variable == "caller_type":
        return str(CallerType(code).label)
    if variable == "topic":
        return str(Topic(code).label)
    return code


def display(cell: dict[str, Any]) -> str:
    if cell["value"] is None or "suppressed" in cell["flags"]:
        return SYMBOL_SUPPRESSED
    return number_format(cell["value"], force_grouping=True)


@dataclass
class ShownTable:
    """A table as printed: a title, column heads, rows of (label, cells), and its notes."""

    key: str
    title: str
    head: list[str]
    rows: list[tuple[str, list[str]]]
    notes: list[str] = field(default_factory=list)
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)


def _cells(table: dict[str, Any]) -> dict[tuple[tuple[str, str], ...], dict[str, Any]]:
    out = {}
    for cell in table["cells"]:
        out[tuple(sorted(cell["coordinates"].items()))] = cell
    return out


def _at(cells, **coords: str) -> dict[str, Any]:
    return cells[tuple(sorted(coords.items()))]


def _notes(table: dict[str, Any], lang: str, labels: dict[str, str]) -> list[str]:
    """The disclosure library's footnotes, made from the published table (no true counts)."""
    spec = TableSpec(
        table["name"],
        table["variables"],
        multi_valued=table["multi_valued"],
        categories=table["categories"],
    )
    policy = DisclosurePolicy.from_dict(table["policy"])
    cells = tuple(
        ProtectedCell(
            coordinates=tuple(c["coordinates"].items()),
            value=c["value"],
            flags=frozenset(Flag(f) for f in c["flags"]),
            original=0,
        )
        for c in table["cells"]
    )
    shell = ProtectedTable(
        spec=spec,
        categories=tuple((v, tuple(c)) for v, c in table["categories"].items()),
        policy=policy,
        cells=cells,
    )
    return table_notes(shell, lang=lang, style="scb", labels=labels)


def two_way(
    table: dict[str, Any],
    rows: str,
    columns: str,
    regions: dict[str, str],
    *,
    only_rows: tuple[str, ...] | None = None,
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    cells = _cells(table)
    cats = table["categories"]
    col_codes = [*cats[columns], TOTAL]
    head = [category_label(columns, c, regions) for c in col_codes]
    out = []
    for r in [*cats[rows], TOTAL]:
        if only_rows is not None and r not in only_rows:
            continue
        out.append(
            (
                category_label(rows, r, regions),
                [display(_at(cells, **{rows: r, columns: c})) for c in col_codes],
            )
        )
    return head, out


def one_way(
    table: dict[str, Any], variable: str, regions: dict[str, str]
) -> list[tuple[str, list[str]]]:
    cells = _cells(table)
    return [
        (category_label(variable, c, regions), [display(_at(cells, **{variable: c}))])
        for c in [*table["categories"][variable], TOTAL]
    ]


def overlap_rows(
    table: dict[str, Any], sources: list[str]
) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """Persons per list (margins) and per combination of lists (full cells)."""
    cells = _cells(table)
    variables = [f"in_{s}" for s in sources]
    per_source = []
    for s, v in zip(sources, variables, strict=True):
        coords = {w: (("yes") if w == v else TOTAL) for w in variables}
        per_source.append((source_label(s), [display(_at(cells, **coords))]))
    per_source.append(
        (_("Unique persons, all lists"), [display(_at(cells, **dict.fromkeys(variables, TOTAL)))])
    )
    patterns = []
    for pattern in yearly.all_patterns(len(sources)):
        coords = {v: ("yes" if bit else "no") for v, bit in zip(variables, pattern, strict=True)}
        names = [source_label(s) for s, bit in zip(sources, pattern, strict=True) if bit]
        label = _("only %(list)s") % {"list": names[0]} if len(names) == 1 else " + ".join(names)
        patterns.append((label, [display(_at(cells, **coords))]))
    return per_source, patterns


def fmt(value: float | int | None) -> str:
    if value is None:
        return "–"
    return number_format(round(value), force_grouping=True)


def trend_rows(run: ReportRun, lang: str) -> list[dict[str, Any]]:
    """The latest kept run of each year up to the run's year (this run for its own year)."""
    latest: dict[int, ReportRun] = {}
    for other in (
        ReportRun.objects.filter(year__lte=run.year)
        .order_by("created_at", "id")
        .only("id", "year", "summary", "created_at")
    ):
        latest[other.year] = other
    latest[run.year] = run
    rows = []
    for year in sorted(latest):
        summary = latest[year].summary
        estimate = summary.get("estimate", {})
        rows.append(
            {
                "year": year,
                "run": latest[year].pk,
                "persons": summary.get("persons"),
                "children": summary.get("children"),
                "estimate": estimate.get("estimate"),
                "lower": estimate.get("lower"),
                "upper": estimate.get("upper"),
            }
        )
    return rows


def region_names() -> dict[str, str]:
    from nmt.accounts.models import Region

    return dict(Region.objects.values_list("code", "name"))


def build(run: ReportRun, lang: str) -> dict[str, Any]:
    """Everything the templates and the XLSX/CSV writers need, in ``lang``."""
    with translation.override(lang):
        return _build(run, lang)


def _build(run: ReportRun, lang: str) -> dict[str, Any]:
    published = run.published
    summary = run.summary
    sources = summary["sources"]
    regions = region_names()
    labels = {
        "purpose": _("purpose"),
        "measure": _("measures"),
    }
    tables: list[ShownTable] = []
    per_source, patterns = overlap_rows(published["overlap"], sources)
    overlap_notes = _notes(published["overlap"], lang, labels)
    tables.append(
        ShownTable(
            "sources", _("Persons identified, by list"), [_("Persons")], per_source, overlap_notes
        )
    )
    tables.append(
        ShownTable(
            "overlap", _("Persons by combination of lists"), [_("Persons")], patterns, overlap_notes
        )
    )
    head, rows = two_way(published["sex_age"], "sex", "age_group", regions)
    tables.append(
        ShownTable(
            "sex_age",
            _("Persons by sex and age at identification"),
            head,
            rows,
            _notes(published["sex_age"], lang, labels),
        )
    )
    head, rows = two_way(published["purpose_age"], "purpose", "age_group", regions)
    tables.append(
        ShownTable(
            "purpose_age",
            _("Persons by purpose of exploitation and age"),
            head,
            rows,
            _notes(published["purpose_age"], lang, labels),
        )
    )
    tables.append(
        ShownTable(
            "citizenship",
            _("Persons by citizenship"),
            [_("Persons")],
            one_way(published["citizenship"], "citizenship", regions),
            _notes(published["citizenship"], lang, labels),
        )
    )
    tables.append(
        ShownTable(
            "region",
            _("Persons by region of identification"),
            [_("Persons")],
            one_way(published["region"], "region", regions),
            _notes(published["region"], lang, labels),
        )
    )
    industry_rows = _industry_rows(published["industry"], regions)
    tables.append(
        ShownTable(
            "industry",
            _("Forced labour: persons by industry"),
            [_("Persons")],
            industry_rows,
            _notes(published["industry"], lang, labels),
        )
    )
    tables.append(
        ShownTable(
            "measures",
            _("Reflection periods and temporary residence permits"),
            [_("Persons")],
            one_way(published["measures"], "measure", regions),
            _notes(published["measures"], lang, labels),
        )
    )
    if "calls" in published:
        head, rows = two_way(published["calls"], "caller_type", "topic", regions)
        tables.append(
            ShownTable(
                "calls",
                _("Support-line calls by caller and topic"),
                head,
                rows,
                _notes(published["calls"], lang, labels),
            )
        )
    estimate = summary["estimate"]
    trend = trend_rows(run, lang)
    return {
        "run": run,
        "year": run.year,
        "lang": lang,
        "sources": [source_label(s) for s in sources],
        "summary": summary,
        "tables": tables,
        "estimate": estimate,
        "estimate_text": estimate_paragraph(summary, lang),
        "meaning_text": meaning_paragraphs(),
        "headline": headline(summary),
        "sensitivity": summary["sensitivity"],
        "trend": trend,
        "fmt": fmt,
        "method_label": method_label(estimate.get("method", "")),
        "disclosure_label": disclosure_label(summary.get("disclosure", "ckm")),
    }


def _industry_rows(table: dict[str, Any], regions: dict[str, str]) -> list[tuple[str, list[str]]]:
    cells = _cells(table)
    out = []
    for code in [*yearly.INDUSTRIES, TOTAL]:
        cell = _at(cells, purpose="forced_labour", industry=code)
        label = _("All industries") if code == TOTAL else category_label("industry", code, regions)
        out.append((label, [display(cell)]))
    return out


def method_label(method: str) -> str:
    return {
        "stepwise": _("stepwise selection of log-linear models (Chan, Silverman and Vincent 2021)"),
        "bic": _("the log-linear model with the lowest BIC"),
        "aic": _("the log-linear model with the lowest AIC"),
        "main": _("the independence model (lists assumed independent)"),
    }.get(method, method)


def disclosure_label(method: str) -> str:
    if method == "suppression":
        return _("threshold suppression with secondary suppression")
    return _("the cell key method")


def headline(summary: dict[str, Any]) -> str:
    persons = summary.get("persons")
    children = summary.get("children")
    if persons is None:
        return _("In %(year)s, the number of persons identified is withheld.") % {
            "year": summary["year"]
        }
    text = _(
        "In %(year)s, %(persons)s persons were identified as suspected victims of human trafficking"
    ) % {
        "year": summary["year"],
        "persons": fmt(persons),
    }
    if children is not None:
        text += _(", %(children)s of them children") % {"children": fmt(children)}
    return text + "."


def estimate_paragraph(summary: dict[str, Any], lang: str) -> str:
    estimate = summary["estimate"]
    if not estimate.get("estimable"):
        return _("The dark figure could not be estimated for this year: %(reason)s.") % {
            "reason": estimate.get("reason", "")
        }
    return _(
        "Estimated from how the %(lists)s lists overlap, the total number of victims in "
        "%(year)s is about %(estimate)s (%(level)s%% interval %(lower)s to %(upper)s), against "
        "%(observed)s persons found by at least one list. Method: %(method)s; model %(model)s."
    ) % {
        "lists": len(estimate["lists"]),
        "year": summary["year"],
        "estimate": fmt(estimate["estimate"]),
        "level": round((estimate.get("level") or 0.95) * 100),
        "lower": fmt(estimate["lower"]),
        "upper": fmt(estimate["upper"]) if estimate["upper"] is not None else "–",
        "observed": fmt(summary.get("persons")),
        "method": method_label(estimate["method"]),
        "model": estimate["model"],
    }


def meaning_paragraphs() -> list[str]:
    return [
        _(
            "What the estimate means: the agencies' lists of identified persons overlap. If they "
            "found people independently of one another, the share of one list's persons that "
            "another list also found tells how large a share of all victims that list finds; the "
            "number nobody found follows. Log-linear models allow lists to depend on each other "
            "(for example when one refers persons to another) as far as the overlaps show it."
        ),
        _(
            "What it assumes: the same persons could have been found by every list during the "
            "year; one person is one person across lists (linkage errors move the estimate: "
            "persons counted twice raise it, two persons merged lower it, see the sensitivity "
            "table); and the persons no list found are not different in kind from those found. "
            "Victims that no authority or organisation reaches at all are outside the estimate. "
            "The interval assumes the model is right; when several models fit about equally well "
            "and give different numbers (see the top models), the uncertainty is larger than the "
            "interval."
        ),
        _(
            "Read the estimate as an order of magnitude, not a count: it says that the dark figure "
            "is large and roughly how large, and whether it moves between years."
        ),
    ]
