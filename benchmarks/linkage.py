"""Benchmark of nmt.linkage on generated multi-agency lists of 100k and 1M records.

    .venv/bin/python benchmarks/linkage.py [--sizes 100000 1000000] [--setting default]

Per size: wall time per phase (read and standardise, blocking, EM training, prediction,
clustering, capture table), peak memory (resident set of this process), pairwise and cluster
F1, and the cell-by-cell error of the capture table against the truth. At the first size, the
recordlinkage toolkit's ECM classifier on the same data and the same candidate pairs' blocking
keys, as a ratio. Generated lists are cached under benchmarks/out/ (not timed).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from nmt.linkage.evaluate import accuracy, capture_error
from nmt.linkage.features import feature_table
from nmt.linkage.lists import read_list
from nmt.linkage.model import link_features
from nmt.linkage.synthetic import generate

OUT = Path(__file__).parent / "out"


def peak_memory_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lists_for(size: int, setting: str, seed: int):
    lists = generate(size, setting=setting, seed=seed)
    directory = OUT / f"lists-{setting}-{size}-{seed}"
    paths = lists.write(directory)
    return lists, paths


def run_nmt(lists, paths) -> dict:
    started = time.perf_counter()
    features = {
        source: feature_table(read_list(path, source=source).records)
        for source, path in paths.items()
    }
    read_seconds = time.perf_counter() - started
    result = link_features(features)
    capture_started = time.perf_counter()
    result.capture_table()
    capture_seconds = time.perf_counter() - capture_started
    scores = accuracy(result.persons, lists.truth)
    error = capture_error(result.persons, lists.truth, lists.sources)
    phases = {"read+standardise": read_seconds, **result.timings, "capture table": capture_seconds}
    return {
        "phases": phases,
        "total": sum(phases.values()),
        "pairwise_f1": scores.pairwise.f1,
        "pairwise_precision": scores.pairwise.precision,
        "pairwise_recall": scores.pairwise.recall,
        "cluster_f1": scores.cluster.f1,
        "capture": error,
        "peak_mib": peak_memory_mib(),
        "features": features,
    }


def run_recordlinkage(lists, features: dict[str, pd.DataFrame]) -> dict:
    """The recordlinkage toolkit's ECM on the same standardised features.

    Candidate pairs from the same sound-alike-name and birth-date blocks as nmt's first rules,
    compared with the toolkit's own string and exact comparisons, classified by ECM.
    """
    import recordlinkage

    started = time.perf_counter()
    frame = pd.concat(features.values(), ignore_index=True)
    frame.index = pd.Index(frame["source_dataset"] + "|" + frame["unique_id"])
    frame = frame[["given_canon", "family_canon", "given_ph", "family_ph", "name_pair_ph",
                   "birth_date", "sex", "citizenship", "id_number", "region"]]  # fmt: skip
    indexer = recordlinkage.Index()
    indexer.block("name_pair_ph")
    indexer.block(["birth_date", "family_ph"])
    indexer.block(["birth_date", "given_ph"])
    pairs = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("given_canon", "given_canon", method="jarowinkler", threshold=0.9)
    compare.string("family_canon", "family_canon", method="jarowinkler", threshold=0.9)
    for column in ("birth_date", "sex", "citizenship", "id_number", "region"):
        compare.exact(column, column)
    vectors = compare.compute(pairs, frame)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(vectors)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

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
    scores = accuracy(persons, lists.truth)
    return {
        "total": seconds,
        "pairwise_f1": scores.pairwise.f1,
        "cluster_f1": scores.cluster.f1,
        "pairs": len(pairs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--setting", default="default", choices=["easy", "default", "hard"])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-baseline", action="store_true", help="skip recordlinkage ECM")
    args = parser.parse_args(argv)
    rows = []
    for number, size in enumerate(args.sizes):
        print(f"generating {size:,} records ({args.setting}) ...", file=sys.stderr)
        lists, paths = lists_for(size, args.setting, args.seed)
        print(f"linking {lists.n_records:,} records ...", file=sys.stderr)
        result = run_nmt(lists, paths)
        rows.append((size, lists.n_records, result))
        if number == 0 and not args.no_baseline:
            print("recordlinkage ECM on the same data ...", file=sys.stderr)
            baseline = run_recordlinkage(lists, result["features"])
            result["baseline"] = baseline
        result.pop("features")

    print(f"\nnmt.linkage benchmark, generator setting {args.setting!r}, seed {args.seed}\n")
    phases = list(rows[0][2]["phases"])
    header = ["records", *phases, "total s", "peak MiB", "pair F1", "cluster F1",
              "capture |err|", "persons true/linked"]  # fmt: skip
    print(" | ".join(header))
    print("|".join("---" for _ in header))
    for _size, n, r in rows:
        error = r["capture"]
        cells = [f"{n:,}", *(f"{r['phases'][p]:.1f}" for p in phases), f"{r['total']:.1f}",
                 f"{r['peak_mib']:.0f}", f"{r['pairwise_f1']:.4f}", f"{r['cluster_f1']:.4f}",
                 f"{error.total_absolute_error} (max {error.max_absolute_error})",
                 f"{error.persons_true:,}/{error.persons_linked:,}"]  # fmt: skip
        print(" | ".join(cells))
    for _size, n, r in rows:
        print(f"\ncapture table at {n:,} records (true, linked, error):")
        print(r["capture"].cells.to_string(index=False))
    for _size, n, r in rows:
        if "baseline" in r:
            b = r["baseline"]
            print(
                f"\nrecordlinkage ECM at {n:,} records: {b['total']:.1f} s "
                f"({b['total'] / r['total']:.2f}x nmt's {r['total']:.1f} s; excluding reading), "
                f"pairwise F1 {b['pairwise_f1']:.4f} vs {r['pairwise_f1']:.4f}, "
                f"cluster F1 {b['cluster_f1']:.4f} vs {r['cluster_f1']:.4f}, "
                f"{b['pairs']:,} candidate pairs"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
