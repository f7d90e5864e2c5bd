"""``nmt estimate TABLE.csv``: multiple systems estimation on a capture table.

Human output is a short summary; ``--json`` prints one JSON object on stdout. Progress of the
bootstrap and the MCMC goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nmt.errors import BadInputError, Problem
from nmt.estimation.bootstrap import Estimator, bootstrap
from nmt.estimation.intervals import profile_interval
from nmt.estimation.lcmcr import lcmcr
from nmt.estimation.loglinear import NotEstimableError, fit_model
from nmt.estimation.models import Model, ModelError, count_hierarchical_models
from nmt.estimation.plot import FORMATS, distribution_figure
from nmt.estimation.selection import (
    DEFAULT_THRESHOLD,
    SelectionResult,
    default_max_order,
    search_models,
    stepwise,
)
from nmt.estimation.table import CaptureTable, read_capture_table

METHODS = ("stepwise", "bic", "aic", "main", "model", "lcmcr")
# The ranking shown beside a stepwise or fixed-model estimate is computed when it is this cheap.
RANKING_LIMIT = 5_000

METHOD_TEXT = {
    "stepwise": "stepwise selection (Chan, Silverman & Vincent 2021)",
    "bic": "best model by BIC (Rcapture convention)",
    "aic": "best model by AIC",
    "main": "main effects (independent lists)",
    "model": "fixed model",
    "lcmcr": "Bayesian latent-class model LCMCR (Manrique-Vallier 2016)",
}


def _probability(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be a whole number, 0 or more")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``nmt estimate``."""
    parser.add_argument(
        "table", metavar="TABLE.csv", help="capture table (0/1 list columns [+ count])"
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        help="how to estimate (default: stepwise, or 'model' when --model is given)",
    )
    parser.add_argument("--model", help='a log-linear model in [12,3] notation, e.g. "[12,3]"')
    parser.add_argument(
        "--max-order", type=_positive, help="largest interaction order of the AIC/BIC search"
    )
    parser.add_argument(
        "--threshold",
        type=_probability,
        default=DEFAULT_THRESHOLD,
        help="p-value threshold of the stepwise method (default 0.02)",
    )
    parser.add_argument(
        "--bootstrap",
        type=_count,
        default=0,
        metavar="N",
        help="BCa bootstrap with N replicates, re-running the selection on each (e.g. 1000)",
    )
    parser.add_argument("--seed", type=int, help="random seed (bootstrap, MCMC)")
    parser.add_argument("--level", type=_probability, default=0.95, help="interval coverage")
    parser.add_argument("--chains", type=_positive, default=4, help="LCMCR chains (default 4)")
    parser.add_argument("--classes", type=_positive, default=10, help="LCMCR classes K (10)")
    parser.add_argument("--burnin", type=_count, default=10_000, help="LCMCR burn-in sweeps")
    parser.add_argument("--samples", type=_positive, default=2_000, help="LCMCR draws per chain")
    parser.add_argument("--thinning", type=_positive, default=50, help="LCMCR sweeps per draw")
    parser.add_argument("--top", type=_count, default=10, help="models in the ranking (10)")
    parser.add_argument("--workers", type=_positive, help="processes to use (default: all cores)")
    parser.add_argument(
        "--figure",
        metavar="PATH",
        help="write the bootstrap or posterior distribution as a figure (.png, .svg or .pdf)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")


def run(args: argparse.Namespace) -> int:
    """Run ``nmt estimate``; raises :class:`BadInputError` for bad input."""
    table = read_capture_table(args.table)
    method = args.method or ("model" if args.model else "stepwise")
    _check_arguments(args, method, table)
    runner = _run_lcmcr if method == "lcmcr" else _run_loglinear
    report = runner(table, args, method)
    if args.figure:
        _write_figure(report, args)
    if args.json:
        json.dump(report["json"], sys.stdout, indent=2, allow_nan=False, default=_json_default)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report["text"])
    return 0


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _bad(message: str, args: argparse.Namespace, option: str | None = None) -> BadInputError:
    return BadInputError([Problem(message, path=args.table, field=option)])


def _check_arguments(args: argparse.Namespace, method: str, table: CaptureTable) -> None:
    if args.model and method != "model":
        raise _bad(f"--model goes with --method model, not --method {method}", args, "--model")
    if method == "model" and not args.model:
        raise _bad('--method model needs --model, e.g. --model "[12,3]"', args, "--model")
    if args.max_order is not None and not 1 <= args.max_order <= table.t - 1:
        raise _bad(
            f"--max-order must be between 1 and {table.t - 1} for {table.t} lists",
            args,
            "--max-order",
        )
    if args.bootstrap and method == "lcmcr":
        raise _bad(
            "--bootstrap does not apply to lcmcr (it reports a posterior)", args, "--bootstrap"
        )
    if args.bootstrap == 1:
        raise _bad("--bootstrap needs at least 2 replicates (1000 is usual)", args, "--bootstrap")
    if args.figure:
        if Path(args.figure).suffix.lower() not in FORMATS:
            raise _bad(f"the figure must end in {', '.join(FORMATS)}", args, "--figure")
        if method != "lcmcr" and not args.bootstrap:
            raise _bad(
                "--figure shows the bootstrap or posterior distribution: add --bootstrap N or "
                "use --method lcmcr",
                args,
                "--figure",
            )


@contextmanager
def _progress(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
    )
    with Progress(
        *columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda k: bar.advance(task, k)


def _quiet() -> bool:
    return not sys.stderr.isatty()


def _run_loglinear(table: CaptureTable, args: argparse.Namespace, method: str) -> dict[str, Any]:
    level = args.level
    selection: SelectionResult | None = None
    try:
        if method == "stepwise":
            selection = stepwise(table, threshold=args.threshold, level=level)
            fit = selection.fit
        elif method in ("bic", "aic"):
            selection = search_models(
                table, criterion=method, max_order=args.max_order, top=args.top, level=level
            )
            fit = selection.fit
        else:
            model = Model.main_effects(table.t) if method == "main" else _parse(args, table)
            fit = fit_model(table, model, level=level)
    except NotEstimableError as exc:
        detail = (
            f"; terms at -inf: {', '.join(exc.check.infinite_terms)}"
            if exc.check.infinite_terms
            else ""
        )
        raise _bad(
            f"model {exc.model}: {exc.check.code.description}{detail}", args, "--model"
        ) from None
    except ModelError as exc:
        raise _bad(str(exc), args, "--max-order") from None

    ranking = selection.ranking if selection is not None else ()
    ranking_note = None
    if not ranking and args.top > 0:
        ranking, ranking_note = _ranking_for_display(table, args, level)

    profile_n, profile = profile_interval(table, Model.parse(fit.model, table.lists), level=level)
    intervals = {"log-normal": fit.interval.to_dict(), "profile": profile.to_dict()}
    interval = fit.interval
    boot = None
    if args.bootstrap:
        estimator = _estimator(method, args, table, fit.model)
        with _progress("bootstrap", args.bootstrap, _quiet()) as advance:
            boot = bootstrap(
                table,
                estimator,
                n_boot=args.bootstrap,
                seed=args.seed,
                level=level,
                workers=args.workers,
                progress=advance,
            )
        interval = boot.interval
        intervals["bca"] = boot.interval.to_dict()

    out: dict[str, Any] = {
        "observed": table.observed,
        "estimate": fit.estimate,
        "interval": interval.to_dict(),
        "model": fit.model,
        "method": method,
        "lists": list(table.lists),
        "dark_figure": fit.dark_figure,
        "standard_error": fit.standard_error,
        "intervals": intervals,
        "profile_maximum": profile_n,
        "fit": fit.to_dict(),
        "steps": [s.to_dict() for s in selection.steps] if selection else [],
        "ranking": [r.to_dict() for r in ranking],
        "ranking_criterion": selection.criterion if selection and selection.criterion else "bic",
        "bootstrap": boot.to_dict() if boot else None,
        "source": table.source,
    }
    if selection is not None and selection.criterion:
        out["models_considered"] = selection.models_considered
        out["models_not_estimable"] = selection.models_not_estimable
        out["max_order"] = selection.max_order
    if method == "stepwise":
        out["threshold"] = args.threshold

    lines = _header(table, method, args)
    lines.append(f"Model:        {fit.model}")
    if fit.infinite_terms:
        lines.append(
            "              lists never seen together, fitted at -inf: "
            + ", ".join(fit.infinite_terms)
        )
    lines.append(f"Estimate:     {_n(fit.estimate)} persons ({_n(fit.dark_figure)} on no list)")
    lines.append(f"Interval:     {_interval(interval)}")
    if boot is None:
        lines.append(f"              {_interval(profile)}")
    else:
        lines.append(f"              {_interval(fit.interval)}")
        lines.append(f"              {_interval(profile)}")
        if boot.n_failed:
            lines.append(
                f"              {boot.n_failed} replicates without an estimate were left out"
            )
    lines.append(f"Std. error:   {_n(fit.standard_error)}")
    lines.append(
        f"Fit:          deviance {fit.deviance:.3f} on {fit.df} df, "
        f"AIC {fit.aic:.3f}, BIC {fit.bic:.3f}"
    )
    if selection is not None and selection.steps:
        lines.append("")
        lines.append("Stepwise terms added (p-value, estimate after adding):")
        for step in selection.steps:
            lines.append(f"  +{step.term:<6} p = {step.p_value:.3g}   N = {_n(step.estimate)}")
    lines.extend(_ranking_lines(ranking, out["ranking_criterion"], ranking_note))
    return {
        "json": out,
        "text": "\n".join(lines) + "\n",
        "values": boot.replicates if boot else None,
        "estimate": fit.estimate,
        "interval": interval,
        "observed": table.observed,
        "title": f"{Path(args.table).name}: bootstrap of {fit.model}",
    }


def _parse(args: argparse.Namespace, table: CaptureTable) -> Model:
    try:
        return Model.parse(args.model, table.lists)
    except ModelError as exc:
        raise _bad(str(exc), args, "--model") from None


def _estimator(method: str, args: argparse.Namespace, table: CaptureTable, model: str) -> Estimator:
    if method == "stepwise":
        return Estimator("stepwise", threshold=args.threshold)
    if method in ("bic", "aic"):
        return Estimator(method, max_order=args.max_order or default_max_order(table.t))
    if method == "main":
        return Estimator("main")
    return Estimator.fixed(Model.parse(model, table.lists))


def _ranking_for_display(table: CaptureTable, args: argparse.Namespace, level: float):
    order = args.max_order or default_max_order(table.t)
    try:
        size = count_hierarchical_models(table.t, order, limit=RANKING_LIMIT)
    except ModelError:
        return (
            (),
            f"(no BIC ranking: more than {RANKING_LIMIT} models; see --method bic --max-order)",
        )
    del size
    ranked = search_models(table, criterion="bic", max_order=order, top=args.top, level=level)
    return (
        ranked.ranking,
        f"(all {ranked.models_considered} hierarchical models up to order {order})",
    )


def _run_lcmcr(table: CaptureTable, args: argparse.Namespace, method: str) -> dict[str, Any]:
    total = args.chains * (args.burnin + args.samples * args.thinning)
    with _progress("LCMCR sweeps", total, _quiet()) as advance:
        result = lcmcr(
            table,
            k_classes=args.classes,
            chains=args.chains,
            burnin=args.burnin,
            samples=args.samples,
            thinning=args.thinning,
            seed=args.seed,
            level=args.level,
            workers=args.workers,
            progress=advance,
        )
    out = {
        "observed": table.observed,
        "estimate": result.median,
        "interval": result.interval.to_dict(),
        "model": f"LCMCR K={args.classes}",
        "method": "lcmcr",
        "lists": list(table.lists),
        "mean": result.mean,
        "lcmcr": result.to_dict(),
        "warnings": list(result.warnings),
        "source": table.source,
    }
    lines = _header(table, "lcmcr", args)
    lines.append(
        f"Model:        {args.classes} latent classes, alpha ~ Gamma(0.25, 0.25), p(N) ∝ 1/N"
    )
    lines.append(
        f"Estimate:     {_n(result.median)} persons (posterior median; mean {_n(result.mean)})"
    )
    lines.append(f"Interval:     {_interval(result.interval)}")
    lines.append(
        f"Chains:       {result.chains} × {result.samples} draws (burn-in {result.burnin}, "
        f"thinning {result.thinning}); R-hat {result.rhat:.3f}, "
        f"effective sample size {result.ess:.0f}"
    )
    for warning in result.warnings:
        lines.append(f"WARNING:      {warning}")
    return {
        "json": out,
        "text": "\n".join(lines) + "\n",
        "values": result.draws,
        "estimate": result.median,
        "interval": result.interval,
        "observed": table.observed,
        "title": f"{Path(args.table).name}: LCMCR posterior",
    }


def _header(table: CaptureTable, method: str, args: argparse.Namespace) -> list[str]:
    lists = ", ".join(f"{i + 1}={name}" for i, name in enumerate(table.lists))
    text = METHOD_TEXT[method]
    if method == "stepwise":
        text += f", p threshold {args.threshold:g}"
    return [
        f"Table:        {table.source} ({table.t} lists: {lists})",
        f"Observed:     {_n(table.observed)} persons on at least one list",
        f"Method:       {text}",
    ]


def _ranking_lines(ranking, criterion: str, note: str | None) -> list[str]:
    if not ranking:
        return ["", note] if note else []
    name = criterion.upper()
    lines = ["", f"Top models by {name} {note or ''}".rstrip()]
    lines.append(f"  {'rank':>4}  {'model':<28} {'estimate':>12} {name:>10} {'Δ' + name:>8}")
    for r in ranking:
        lines.append(
            f"  {r.rank:>4}  {r.model:<28} {_n(r.estimate):>12} "
            f"{r.criterion:>10.2f} {r.delta:>8.2f}"
        )
    close = [r for r in ranking if r.delta <= 2.0]
    if len(close) > 1:
        lo = min(r.estimate for r in close)
        hi = max(r.estimate for r in close)
        lines.append(
            f"  {len(close)} models within 2 {name} units estimate {_n(lo)} to {_n(hi)}: "
            "the data do not single out one model."
        )
    return lines


def _n(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else "∞"


def _interval(interval) -> str:
    upper = _n(interval.upper) if math.isfinite(interval.upper) else "(not reached: > 3 × estimate)"
    return f"{_n(interval.lower)} – {upper}  ({interval.level:.0%} {interval.kind})"


def _write_figure(report: dict[str, Any], args: argparse.Namespace) -> None:
    distribution_figure(
        report["values"],
        estimate=report["estimate"],
        interval=report["interval"],
        observed=report["observed"],
        title=report["title"],
        path=args.figure,
    )
    if not args.json:
        report["text"] += f"\nFigure written to {args.figure}\n"
