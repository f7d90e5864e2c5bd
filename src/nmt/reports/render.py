"""The report's outputs: HTML (standalone or inside the web app), PDF (WeasyPrint), XLSX (one
sheet per table, with cell flags) and CSV (one file per table). All are made from the document
(``nmt.reports.document``), which holds only published, protected figures."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from nmt.reports import charts, document
from nmt.reports.models import ReportRun

FORMATS = ("html", "pdf", "xlsx", "csv")
LANGUAGES = ("sv", "en")
CSS = Path(__file__).resolve().parent / "static" / "reports" / "report.css"
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


def _value(table: dict[str, Any], **coords: str) -> int | None:
    for cell in table["cells"]:
        c = cell["coordinates"]
        if all(c[v] == coords.get(v, "_T") for v in c):
            return cell["value"]
    return None


def chart_uris(doc: dict[str, Any]) -> dict[str, str]:
    run: ReportRun = doc["run"]
    published = run.published
    regions = document.region_names()
    purpose_table = published["purpose_age"]
    purposes = purpose_table["categories"]["purpose"]
    return {
        "trend": charts.trend_chart(
            doc["trend"], persons=_("Persons identified"), estimate=_("Estimated total (interval)")
        ),
        "purposes": charts.bar_chart(
            [document.category_label("purpose", p, regions) for p in purposes],
            [_value(purpose_table, purpose=p) for p in purposes],
            title=_("Persons by purpose of exploitation"),
        ),
        "estimate": charts.estimate_chart(
            doc["sensitivity"], observed=_("Persons found"), estimate=_("Estimated total")
        ),
    }


def context(run: ReportRun, lang: str) -> dict[str, Any]:
    doc = document.build(run, lang)
    with translation.override(lang):
        doc["charts"] = chart_uris(doc)
    return doc


def render_html(run: ReportRun, lang: str, *, doc: dict[str, Any] | None = None) -> str:
    """A standalone HTML file (styles inside, charts as data URIs)."""
    doc = doc or context(run, lang)
    with translation.override(lang):
        return render_to_string(
            "reports/standalone.html", {**doc, "css": CSS.read_text(encoding="utf-8")}
        )


def render_pdf(run: ReportRun, lang: str, *, doc: dict[str, Any] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(run, lang, doc=doc)).write_pdf()


def _long_rows(table: dict[str, Any], lang: str, regions: dict[str, str]) -> list[list[Any]]:
    variables = table["variables"]
    rows = []
    with translation.override(lang):
        for cell in table["cells"]:
            coords = cell["coordinates"]
            rows.append(
                [
                    *[coords[v] for v in variables],
                    *[document.category_label(_variable(v), coords[v], regions) for v in variables],
                    cell["value"],
                    document.display(cell),
                    ",".join(cell["flags"]),
                ]
            )
    return rows


def _variable(name: str) -> str:
    return "in_list" if name.startswith("in_") else name


def _header(table: dict[str, Any], lang: str) -> list[str]:
    variables = table["variables"]
    with translation.override(lang):
        return [
            *variables,
            *[f"{v}_label" for v in variables],
            "value",
            "display",
            "flags",
        ]


def table_frames(run: ReportRun, lang: str) -> dict[str, tuple[list[str], list[list[Any]]]]:
    regions = document.region_names()
    return {
        name: (_header(table, lang), _long_rows(table, lang, regions))
        for name, table in run.published.items()
    }


def estimate_rows(run: ReportRun, lang: str) -> tuple[list[str], list[list[Any]]]:
    header = ["threshold", "persons", "estimate", "lower", "upper", "level", "method", "model"]
    rows = [
        [
            r["threshold"],
            r["persons"],
            r.get("estimate"),
            r.get("lower"),
            r.get("upper"),
            r.get("level"),
            r.get("method", ""),
            r.get("model", ""),
        ]
        for r in run.summary["sensitivity"]
    ]
    return header, rows


def ranking_rows(run: ReportRun) -> tuple[list[str], list[list[Any]]]:
    ranking = run.summary["estimate"].get("ranking", [])
    return ["rank", "model", "estimate", "bic", "delta_bic"], [
        [r["rank"], r["model"], r["estimate"], r["bic"], r["delta"]] for r in ranking
    ]


def render_xlsx(run: ReportRun, lang: str, *, doc: dict[str, Any] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    doc = doc or document.build(run, lang)
    book = Workbook()
    about = book.active
    about.title = "about"
    bold = Font(bold=True)
    flagged = PatternFill("solid", fgColor="FFF3DF")
    with translation.override(lang):
        about.append([_("NMT situation report %(year)s") % {"year": run.year}])
        about["A1"].font = Font(bold=True, size=14)
        about.append([doc["headline"]])
        about.append([doc["estimate_text"]])
        for paragraph in doc["meaning_text"]:
            about.append([paragraph])
        about.append([_("Run"), run.pk, run.fingerprint])
        about.append([_("Disclosure control"), doc["disclosure_label"]])
        notes_seen: list[str] = []
        for shown in doc["tables"]:
            for note in shown.notes:
                if note not in notes_seen:
                    notes_seen.append(note)
                    about.append([note])
    sheets = table_frames(run, lang)
    sheets["estimate"] = estimate_rows(run, lang)
    sheets["top_models"] = ranking_rows(run)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        flags_at = header.index("flags") if "flags" in header else None
        for row in rows:
            sheet.append(row)
            if flags_at is not None and row[flags_at]:
                value_cell = sheet.cell(row=sheet.max_row, column=header.index("value") + 1)
                value_cell.fill = flagged
                value_cell.comment = Comment(row[flags_at], "NMT")
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_files(run: ReportRun, lang: str) -> dict[str, bytes]:
    """One CSV per table (UTF-8 with BOM so that spreadsheet programs read å, ä, ö)."""
    files = {}
    sheets = table_frames(run, lang)
    sheets["estimate"] = estimate_rows(run, lang)
    sheets["top_models"] = ranking_rows(run)
    for name, (header, rows) in sheets.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        files[f"nmt-{run.year}-{name}.csv"] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return files


def render_csv_zip(run: ReportRun, lang: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(run, lang).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def render(run: ReportRun, fmt: str, lang: str) -> bytes:
    if fmt == "html":
        return render_html(run, lang).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(run, lang)
    if fmt == "xlsx":
        return render_xlsx(run, lang)
    return render_csv_zip(run, lang)


def filename(run: ReportRun, fmt: str, lang: str) -> str:
    suffix = "zip" if fmt == "csv" else fmt
    return f"nmt-report-{run.year}-{lang}.{suffix}"
