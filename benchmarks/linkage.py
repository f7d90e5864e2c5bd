"""Benchmark of nmt.linkage on generated multi-agency lists of 100k and 1M records.

    .venv/bin/python benchmarks/linkage.py [--sizes 100000 1000000] [--setting default]

Per size, end to end as ``nmt link`` runs: wall time per phase (reading and standardising the
CSV files and deriving features, in parallel processes for large inputs; blocking, which here
includes loading the features into DuckDB and the term-frequency tables; training; prediction;
clustering; the capture table), peak memory (resident set of this process, and of the reading
processes), pairwise and cluster precision/recall/F1, the cell-by-cell error of the capture table
against the truth, and which corruptions the missed and false pairs carry. At the first size,
the recordlinkage toolkit's ECM classifier on the same features. Generated lists are cached
under benchmarks/out/ (generation is not timed).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from nmt.linkage.evaluate import accuracy, capture_error, error_sources
from nmt.linkage.inputs import read_features
from nmt.linkage.model import link_features
from nmt.linkage.synthetic import generate

OUT = Path(__file__).parent / "out"
# Bump when the generator changes, so that cached lists are made again.
GENERATOR_VERSION = 3


def peak_memory_mib() -> tuple[float, float]:
    # ru_maxrss is in KiB on Linux; for children, the largest of the reading processes.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def lists_for(size: int, setting: str, seed: int) -> tuple[tuple[str, ...], dict, pd.DataFrame]:
    directory = OUT / f"lists-v{GENERATOR_VERSION}-{setting}-{size}-{seed}"
    truth_path = directory / "truth.parquet"
    if truth_path.exists():
        truth = pd.read_parquet(truth_path)
        sources = tuple(dict.fromkeys(truth["source"]))
        return sources, {s: directory / f"{s}.csv" for s in sources}, truth
    lists = generate(size, setting=setting, seed=seed)
    paths = lists.write(directory)
    lists.truth.to_parquet(truth_path)
    return lists.sources, paths, lists.truth


def run_nmt(sources, paths, truth) -> dict:
    started = time.perf_counter()
    features, _ = read_features(list(paths.values()), list(sources))
    read_seconds = time.perf_counter() - started
    result = link_features(features)
    capture_started = time.perf_counter()
    result.capture_table()
    capture_seconds = time.perf_counter() - capture_started
    scores = accuracy(result.persons, truth)
    error = capture_error(result.persons, truth, sources)
    phases = {"read+standardise": read_seconds, **result.timings, "capture table": capture_seconds}
    return {
        "phases": phases,
        "total": sum(phases.values()),
        "scores": scores,
        "capture": error,
        "sources_of_errors": error_sources(result.persons, truth),
        "peak_mib": peak_memory_mib(),
        "prior": result.prior,
        "features": features,
    }


def run_recordlinkage(truth: pd.DataFrame, features: dict[str, pd.DataFrame]) -> dict:
    """The recordlinkage toolkit's ECM on the same standardised features.

    Candidate pairs from the same sound-alike-name and birth-date blocks as nmt's main rules,
    compared with the toolkit's own string and exact comparisons, classified by ECM.
    """
    import recordlinkage
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    started = time.perf_counter()
    frame = pd.concat(features.values(), ignore_index=True).astype(object)
    frame = frame.where(frame.notna(), None)
    frame.index = pd.Index(frame["source_dataset"] + "|" + frame["unique_id"])
    columns = ["given_canon", "family_canon", "given_ph", "family_ph", "name_pair_ph",
               "initials", "birth_date", "sex", "citizenship", "id_number", "region"]  # fmt: skip
    frame = frame[columns]
    indexer = recordlinkage.Index()
    indexer.block("name_pair_ph")
    indexer.block(["birth_date", "initials"])
    indexer.block(["birth_date", "family_ph"])
    pairs = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("given_canon", "given_canon", method="jarowinkler", threshold=0.9)
    compare.string("family_canon", "family_canon", method="jarowinkler", threshold=0.9)
    for column in ("birth_date", "sex", "citizenship", "id_number", "region"):
        compare.exact(column, column)
    vectors = compare.compute(pairs, frame)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(vectors)
    position = {key: i for i, key in enumerate(frame.index)}
    rows = [position[a] for a, _ in matches]
    cols = [position[b] for _, b in matches]
    graph = coo_matrix(([1] * len(rows), (rows, cols)), shape=(len(frame), len(frame)))
    _, labels = connected_components(graph, directed=False)
    seconds = time.perf_counter() - started
    split = frame.index.str.split("|", n=1)
    persons = pd.DataFrame(
        {"source": [s[0] for s in split], "record_id": [s[1] for s in split], "person_id": labels}
    )
    scores = accuracy(persons, truth)
    return {"total": seconds, "scores": scores, "pairs": len(pairs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--setting", default="default", choices=["easy", "default", "hard"])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-baseline", action="store_true", help="skip recordlinkage ECM")
    args = parser.parse_args(argv)
    rows = []
    for number, size in enumerate(args.sizes):
        print(f"lists of {size:,} records ({args.setting}) ...", file=sys.stderr)
        sources, paths, truth = lists_for(size, args.setting, args.seed)
        print(f"linking {len(truth):,} records ...", file=sys.stderr)
        result = run_nmt(sources, paths, truth)
        rows.append((size, len(truth), result))
        if number == 0 and not args.no_baseline:
            print("recordlinkage ECM on the same data ...", file=sys.stderr)
            result["baseline"] = run_recordlinkage(truth, result["features"])
        result.pop("features")

    print(f"\nnmt.linkage benchmark, generator setting {args.setting!r}, seed {args.seed}\n")
    phases = list(rows[0][2]["phases"])
    header = ["records", *phases, "total s", "peak MiB (main/readers)", "pair P/R/F1",
              "cluster F1", "capture sum abs error", "persons true/linked"]  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for _size, n, r in rows:
        error, s = r["capture"], r["scores"]
        own, children = r["peak_mib"]
        cells = [f"{n:,}", *(f"{r['phases'][p]:.1f}" for p in phases), f"{r['total']:.1f}",
                 f"{own:,.0f}/{children:,.0f}",
                 f"{s.pairwise.precision:.4f}/{s.pairwise.recall:.4f}/{s.pairwise.f1:.4f}",
                 f"{s.cluster.f1:.4f}",
                 f"{error.total_absolute_error:,} (max {error.max_absolute_error:,})",
                 f"{error.persons_true:,}/{error.persons_linked:,}"]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
    for _size, n, r in rows:
        found = r["sources_of_errors"]
        pairs = r["scores"].pairwise.actual
        print(f"\nerrors at {n:,} records ({pairs:,} true pairs; prior {r['prior']:.3g}):")
        print(f"  missed pairs {found.missed_total:,}; those carrying each corruption:")
        for flag, count in found.missed.most_common(12):
            print(f"    {flag:24s} {count:8,} ({count / pairs:.4f} of true pairs)")
        print(f"  false pairs {found.false_total:,}:")
        for kind, count in found.false.most_common():
            print(f"    {kind:32s} {count:8,} ({count / pairs:.4f})")
    for _size, n, r in rows:
        print(f"\ncapture table at {n:,} records (true, linked, error):")
        print(r["capture"].cells.to_string(index=False))
    for _size, n, r in rows:
        if "baseline" in r:
            b, s = r["baseline"], r["scores"]
            print(
                f"\nrecordlinkage ECM at {n:,} records: {b['total']:.1f} s on the features "
                f"(nmt: {r['total'] - r['phases']['read+standardise']:.1f} s after reading), "
                f"pairwise F1 {b['scores'].pairwise.f1:.4f} vs {s.pairwise.f1:.4f}, "
                f"cluster F1 {b['scores'].cluster.f1:.4f} vs {s.cluster.f1:.4f}, "
                f"{b['pairs']:,} candidate pairs"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
