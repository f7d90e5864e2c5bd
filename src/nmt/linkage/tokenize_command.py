"""``nmt tokenize LIST --key-file KEY --out TOKENS.csv``: an agency list -> keyed tokens.

Run by each agency at home, with the key the agencies share and the linking party never sees.
The token file has the record ids and tokens only; ``nmt link`` links token files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from nmt.errors import BadInputError
from nmt.linkage.features import feature_table
from nmt.linkage.lists import ColumnMapping, read_list
from nmt.linkage.tokens import create_key, key_id, load_key, tokenize_features, write_tokens


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("list", type=Path, metavar="LIST", help="agency list (CSV or XLSX)")
    parser.add_argument("--key-file", required=True, type=Path, metavar="KEY")
    parser.add_argument("--out", required=True, type=Path, metavar="TOKENS.csv")
    parser.add_argument("--mapping", type=Path, metavar="FILE", help="column mapping (TOML)")
    parser.add_argument(
        "--new-key",
        action="store_true",
        help="create KEY first (refuses to overwrite); share it only among the agencies",
    )
    parser.add_argument(
        "--without-bigrams",
        action="store_true",
        help="leave out the names' bigram positions (graded name similarity): less for an "
        "attacker of the file to count, a few tenths of a point of F1 less for linkage",
    )
    parser.add_argument("--json", action="store_true", help="print a summary as JSON on stdout")


def run(args: argparse.Namespace) -> int:
    mapping = ColumnMapping.from_file(args.mapping) if args.mapping else None
    agency_list = read_list(args.list, mapping=mapping, source="tokens")
    key = create_key(args.key_file) if args.new_key else load_key(args.key_file)
    if args.out.resolve() == args.list.resolve():
        raise BadInputError("--out would overwrite the list itself", args.out)
    tokens = tokenize_features(
        feature_table(agency_list.records), key, bigrams=not args.without_bigrams
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, staging = tempfile.mkstemp(prefix=".nmt-tokens-", dir=args.out.parent)
    os.close(descriptor)
    try:
        write_tokens(tokens, key, staging)
        os.replace(staging, args.out)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
    summary = {
        "list": str(args.list),
        "out": str(args.out),
        "records": len(tokens),
        "key_id": key_id(key),
        "bigrams": not args.without_bigrams,
    }
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{len(tokens)} records tokenised into {args.out} (key {summary['key_id']})")
    return 0
