"""The same settings on Spark (local mode). Skipped where the optional extra is not installed."""

import shutil

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java 17", allow_module_level=True)

from nmt.linkage.evaluate import accuracy
from nmt.linkage.features import feature_table
from nmt.linkage.lists import RawTable, parse_table
from nmt.linkage.model import link_features


def test_spark_backend_links_like_duckdb(small_lists):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    features = {}
    for source, frame in small_lists.lists.items():
        rows = frame.astype(str).to_numpy().tolist()
        table = RawTable(source, list(frame.columns), rows, list(range(2, len(rows) + 2)))
        features[source] = feature_table(parse_table(table, source=source).records)
    duck = link_features(features, seed=3, u_max_pairs=2e5)
    on_spark = link_features(features, backend="spark", spark=spark, model=duck.model)
    left = accuracy(duck.persons, small_lists.truth).pairwise.f1
    right = accuracy(on_spark.persons, small_lists.truth).pairwise.f1
    assert abs(left - right) <= 0.01
