"""``nmt link LIST... --out DIR``: agency lists (or token files) -> persons and capture table.

Writes into ``DIR``: ``persons.csv`` (source, record_id, person_id, match_probability),
``capture.csv`` (for ``nmt estimate``), ``report.json`` and ``report.md``, ``review.csv``
(uncertain pairs) and ``model.json`` (the trained model, reusable with ``--model``). All files
are written to a temporary directory first and moved into place only when everything
succeeded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from nmt.errors import BadInputError, Problem
from nmt.linkage.inputs import read_features
from nmt.linkage.lists import ColumnMapping, source_name_problem
from nmt.linkage.model import DEFAULT_THRESHOLDS, LinkageResult, link_features
from nmt.linkage.report import build_report, render_markdown, review_pairs
from nmt.linkage.tokens import is_token_file, read_tokens

OUTPUT_FILES = (
    "persons.csv",
    "capture.csv",
    "report.json",
    "report.md",
    "review.csv",
    "model.json",
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "lists", nargs="+", metavar="LIST", help="agency list (CSV/XLSX) or token file"
    )
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory")
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="source name of each list, in order (default: the mapping's or the file name)",
    )
    parser.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="SOURCE=FILE",
        help="column mapping (TOML) for the list of SOURCE; repeat per agency",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLDS[1],
        help="match probability at or above which records are one person (default %(default)s)",
    )
    parser.add_argument(
        "--compare-thresholds",
        type=float,
        nargs="*",
        default=[DEFAULT_THRESHOLDS[0], DEFAULT_THRESHOLDS[2]],
        metavar="P",
        help="further thresholds for the report's sensitivity table (default %(default)s)",
    )
    parser.add_argument("--model", type=Path, help="reuse a trained model.json instead of training")
    parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--seed", type=int, default=42, help="seed of the training's sampling")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")


def _mappings(specs: list[str]) -> dict[str, ColumnMapping]:
    problems: list[Problem] = []
    mappings: dict[str, ColumnMapping] = {}
    for spec in specs:
        source, sep, file = spec.partition("=")
        if not sep or not source or not file:
            problems.append(Problem(f"--mapping {spec!r}: use SOURCE=FILE"))
            continue
        try:
            mappings[source] = ColumnMapping.from_file(file)
        except BadInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BadInputError(problems)
    return mappings


def _source_names(args: argparse.Namespace, mappings: dict[str, ColumnMapping]) -> list[str]:
    paths = [Path(p) for p in args.lists]
    if args.source and len(args.source) != len(paths):
        raise BadInputError(
            f"{len(args.source)} --source names for {len(paths)} lists; give one per list or none"
        )
    by_mapping = {m.source: s for s, m in mappings.items() if m.source}
    names = args.source or [by_mapping.get(p.stem, p.stem) for p in paths]
    problems = [Problem(reason) for n in names if (reason := source_name_problem(n))]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(Problem(f"source {name!r} is given twice; name each list differently"))
        seen.add(name)
    for source in mappings:
        if source not in names:
            problems.append(Problem(f"--mapping names source {source!r}, which no list has"))
    if not 0 < args.threshold < 1 or not all(0 < t < 1 for t in args.compare_thresholds):
        problems.append(Problem("thresholds are probabilities strictly between 0 and 1"))
    if problems:
        raise BadInputError(problems)
    return names


def load_inputs(
    paths: list[Path], names: list[str], mappings: dict[str, ColumnMapping]
) -> tuple[dict[str, pd.DataFrame], list[dict[str, Any]], str]:
    """Read every list, collecting the problems of all files before failing.

    Returns the feature (or token) tables per source, a summary per input and the mode.
    """
    token_flags = [is_token_file(p) for p in paths]
    if any(token_flags) and not all(token_flags):
        plain = [str(p) for p, t in zip(paths, token_flags, strict=True) if not t]
        raise BadInputError(
            "token files and plaintext lists cannot be linked together; tokenise "
            f"{', '.join(plain)} with `nmt tokenize` and the shared key first"
        )
    mode = "tokens" if token_flags and all(token_flags) else "plaintext"
    problems: list[Problem] = []
    features: dict[str, pd.DataFrame] = {}
    inputs: list[dict[str, Any]] = []
    key_ids: dict[str, str] = {}
    if mode == "plaintext":
        features, counts = read_features(paths, names, mappings)
        inputs = [
            {"source": name, "path": str(path), "records": counts[name]}
            for path, name in zip(paths, names, strict=True)
        ]
        return features, inputs, mode
    for path, name in zip(paths, names, strict=True):
        try:
            table, kid = read_tokens(path, source=name)
            key_ids[str(path)] = kid
            features[name] = table
            inputs.append({"source": name, "path": str(path), "records": len(table)})
        except BadInputError as exc:
            problems.extend(exc.problems)
    if len(set(key_ids.values())) > 1:
        problems.append(
            Problem(
                "the token files were made with different keys: "
                + ", ".join(f"{p} ({k})" for p, k in key_ids.items())
            )
        )
    if problems:
        raise BadInputError(problems)
    return features, inputs, mode


@contextmanager
def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]nmt link[/bold] {task.description:<12}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("reading", total=total)

        def advance(description: str) -> None:
            progress.update(task, advance=1, description=description)

        yield advance


def write_outputs(result: LinkageResult, report: dict[str, Any], directory: Path) -> None:
    """Write every output file into ``directory`` (which must exist)."""
    persons = result.persons.copy()
    persons["match_probability"] = persons["match_probability"].round(6)
    persons.to_csv(directory / "persons.csv", index=False, lineterminator="\n")
    result.capture_table().to_csv(directory / "capture.csv", index=False, lineterminator="\n")
    review_pairs(result).to_csv(directory / "review.csv", index=False, lineterminator="\n")
    (directory / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (directory / "report.md").write_text(render_markdown(report), encoding="utf-8")
    (directory / "model.json").write_text(
        json.dumps(result.model, indent=2) + "\n", encoding="utf-8"
    )


def _publish(staging: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:
        os.replace(staging / name, out / name)


def run(args: argparse.Namespace) -> int:
    mappings = _mappings(args.mapping)
    names = _source_names(args, mappings)
    paths = [Path(p) for p in args.lists]
    if args.model is not None and not args.model.is_file():
        raise BadInputError("the model file does not exist", args.model)
    phases = ["blocking", "training", "prediction", "clustering"]
    with _progress(total=len(phases) + 2) as advance:
        features, inputs, mode = load_inputs(paths, names, mappings)
        advance("features")
        on_phase: Callable[[str], None] = advance
        result = link_features(
            features,
            threshold=args.threshold,
            thresholds=args.compare_thresholds,
            model=args.model,
            backend=args.backend,
            seed=args.seed,
            on_phase=on_phase,
        )
        report = build_report(result, inputs=inputs, mode=mode)
        advance("writing")
        out = args.out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".nmt-link-", dir=out.parent))
        try:
            write_outputs(result, report, staging)
            _publish(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_summary(report, out)
    return 0


def _print_summary(report: dict[str, Any], out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{report['persons']} unique persons in {report['records']} records")
    table.add_column("source")
    table.add_column("records", justify="right")
    table.add_column("persons", justify="right")
    for row in report["per_source"]:
        table.add_row(row["source"], str(row["records"]), str(row["persons"]))
    console.print(table)
    for s in report["sensitivity"]:
        console.print(f"threshold {s['threshold']:g}: {s['persons']} persons")
    console.print(f"{report['review']['pairs']} uncertain pairs in review.csv; outputs in {out}")
