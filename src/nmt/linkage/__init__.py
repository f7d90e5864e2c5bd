"""Linking the agencies' lists into unique persons, and the capture table (framework-free).

Reading and standardising a list (reused by the web platform's import)::

    from nmt.linkage import ColumnMapping, read_list
    agency_list = read_list("police.csv", mapping=ColumnMapping.from_file("police.toml"))
    agency_list.records          # validated, standardised; or BadInputError listing every problem

Linking::

    from nmt.linkage import feature_table, link_features
    result = link_features({l.source: feature_table(l.records) for l in lists})
    result.persons, result.capture_table()

The same from the command line: ``nmt link`` and ``nmt tokenize``; see ``docs/linkage.md``.
Nothing here imports Django.
"""

from nmt.linkage.capture import capture_table
from nmt.linkage.evaluate import Accuracy, CaptureError, accuracy, capture_error
from nmt.linkage.features import FEATURES, feature_table
from nmt.linkage.lists import FIELDS, AgencyList, ColumnMapping, read_list
from nmt.linkage.model import DEFAULT_THRESHOLDS, LinkageResult, link_features
from nmt.linkage.tokens import create_key, load_key, read_tokens, tokenize_features, write_tokens

__all__ = [
    "DEFAULT_THRESHOLDS",
    "FEATURES",
    "FIELDS",
    "Accuracy",
    "AgencyList",
    "CaptureError",
    "ColumnMapping",
    "LinkageResult",
    "accuracy",
    "capture_error",
    "capture_table",
    "create_key",
    "feature_table",
    "link_features",
    "load_key",
    "read_list",
    "read_tokens",
    "tokenize_features",
    "write_tokens",
]
