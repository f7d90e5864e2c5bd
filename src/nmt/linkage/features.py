"""Linkage features: the derived keys that the model compares.

The model never compares raw strings with a similarity function. It compares *keys* for equality
and *sets of keys* for overlap, and every fuzzy notion is expressed as a key: the transliteration
skeleton, the phonetic code, the deletion neighbourhood (edit distance one), day and month
swapped, pairs of birth-date parts, runs of two adjacent birth years, the window of birth years
an estimated age allows. That is what lets ``nmt tokenize`` replace each key by a keyed hash and
lose nothing: plaintext and token files give the same comparison vectors, hence the same links
(up to hash collisions, which at 96 bits do not happen in practice).

Each feature belongs to a *domain*; keys are hashed with their domain, and features that are
compared with one another (a given name with a family name when the order was swapped, a birth
date with a day/month-swapped one) share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from anyascii import anyascii

from nmt.linkage.standardise import (
    canon_name,
    deletion_neighbourhood,
    name_grams,
    name_tokens,
    nickname_expansions,
    phonetic,
)

__all__ = ["AGE_MARGIN", "FEATURES", "Feature", "feature_table"]

#: An estimated age is taken to be off by up to this many years either way: the window of birth
#: years it allows is ``identification year - age - 1 - AGE_MARGIN`` to ``... + AGE_MARGIN``.
AGE_MARGIN = 3

#: Bits of the sets of bigrams the linker compares (a multiple of 64). Keyed tokens carry a
#: bigram as its keyed position among these bits, written ``g`` and three digits, never as a
#: token of its own (see :mod:`nmt.linkage.tokens`).
GRAM_BITS = 256
GRAM_DOMAIN = "grams"


@dataclass(frozen=True)
class Feature:
    """One column the model reads: a scalar key or a set of keys (``is_set``)."""

    name: str
    domain: str
    is_set: bool = False
    description: str = ""


FEATURES: tuple[Feature, ...] = (
    Feature("given", "name", description="given name(s), clean"),
    Feature("given_canon", "canon", description="its transliteration skeleton"),
    Feature("given_del", "canon_del", True, "deletion neighbourhood of the skeleton"),
    Feature("given_ph", "phonetic", description="NYSIIS of the skeleton"),
    Feature("given_tokens", "canon", True, "skeletons of each given name"),
    Feature("given_grams", "grams", True, "character bigrams of the skeletons"),
    Feature("family", "name", description="family name(s), clean"),
    Feature("family_canon", "canon", description="its transliteration skeleton"),
    Feature("family_del", "canon_del", True, "deletion neighbourhood of the skeleton"),
    Feature("family_ph", "phonetic", description="NYSIIS of the skeleton"),
    Feature("family_tokens", "canon", True, "skeletons of each family name"),
    Feature("family_grams", "grams", True, "character bigrams of the skeletons"),
    Feature("name_key", "name_key", description="the two skeletons, sorted (order-free name)"),
    Feature("name_bag", "canon", True, "skeletons of all names, aliases and nickname expansions"),
    Feature("name_pair_ph", "phonetic_pair", description="the two phonetic codes, sorted"),
    Feature(
        "name_near",
        "name_near",
        True,
        "one name's skeleton with each key of the other's deletion neighbourhood, order-free",
    ),
    Feature("initials", "initials", description="first letters of the two skeletons, sorted"),
    Feature("birth_date", "date", description="full birth date"),
    Feature("birth_date_firm", "date", description="full birth date unless it is 1 January"),
    Feature("birth_date_swapped", "date", description="birth date with day and month swapped"),
    Feature("birth_ym", "date_ym", description="year and month of birth"),
    Feature("birth_yd", "date_yd", description="year and day of birth (full dates)"),
    Feature("birth_md", "date_md", description="month and day of birth (full dates)"),
    Feature("birth_year", "year", description="year of birth, from a full or partial date"),
    Feature("birth_year_next", "year", description="the year after the year of birth"),
    Feature("age_year", "year", description="the birth year an estimated age points to"),
    Feature("birth_years", "year", True, "the birth year, or the years an estimated age allows"),
    Feature(
        "age_years", "year", True, "the years an estimated age allows if off by a year at most"
    ),
    Feature("sex", "sex", description="f, m or x"),
    Feature("citizenship", "citizenship", description="ISO 3166-1 alpha-2"),
    Feature("region", "region", description="region of identification, case-folded"),
    Feature("id_number", "id", description="identity number, standardised"),
    Feature("id_del", "id_del", True, "deletion neighbourhood of the identity number"),
    Feature("id_se", "id", description="the identity number if it is a Swedish one"),
)

FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)


class _Coded:
    """A column as ``codes`` into its distinct values (``-1`` for missing)."""

    def __init__(self, series: pd.Series):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        self.codes = np.asarray(codes, dtype=np.int64)
        self.values = list(uniques)
        self.indices = pa.array(self.codes, mask=self.codes < 0)

    def fields(self, function, kinds: Sequence[pa.DataType]) -> list[pa.Array]:
        """Per row, the fields of ``function(value)`` (a tuple, or ``None`` for no keys),
        computed once per distinct value and gathered with Arrow."""
        results = [function(v) for v in self.values]
        out = []
        for i, kind in enumerate(kinds):
            distinct = pa.array([r[i] if r is not None else None for r in results], type=kind)
            out.append(distinct.take(self.indices))
        return out


def _concat_lists(*arrays: pa.ListArray) -> pa.ListArray:
    """Row-wise concatenation of list arrays of equal length (null where all are null)."""
    n = len(arrays[0])
    lengths = [np.asarray(pc.list_value_length(a).fill_null(0), dtype=np.int64) for a in arrays]
    total = np.sum(lengths, axis=0) if n else np.zeros(0, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(total)])
    gather = np.empty(int(offsets[-1]), dtype=np.int64)
    pieces, base, before = [], 0, np.zeros(n, dtype=np.int64)
    for array, length in zip(arrays, lengths, strict=True):
        flat = pc.list_flatten(array)
        # Where each flattened value goes: its row's start, plus the lengths of the earlier
        # arrays' parts in that row, plus its place within its own part.
        rows = np.repeat(np.arange(n), length)
        starts = np.concatenate([[0], np.cumsum(length)])[:-1]
        within = np.arange(len(rows)) - np.repeat(starts, length)
        gather[offsets[:-1][rows] + before[rows] + within] = base + np.arange(len(rows))
        pieces.append(flat)
        base += len(rows)
        before = before + length
    values = pa.concat_arrays(pieces).take(pa.array(gather)) if pieces else pa.array([])
    mask = pa.array(total == 0)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values, mask=mask)


def _sorted_pair(left: pa.Array, right: pa.Array) -> pa.Array:
    """``a|b`` of two string arrays in sorted order; null when either is."""
    low = pc.if_else(pc.less_equal(left, right), left, right)
    high = pc.if_else(pc.less_equal(left, right), right, left)
    return pc.binary_join_element_wise(low, high, "|")


@lru_cache(maxsize=1 << 20)
def _token_bag(token: str) -> frozenset[str]:
    keys = {canon_name(token)}
    keys.update(canon_name(full) for full in nickname_expansions(token))
    return frozenset(k for k in keys if k)


def _field_bag(text: str) -> tuple[list[str] | None]:
    """Skeletons of every name in a field (``;`` separates aliases) and of their full forms."""
    keys: set[str] = set()
    for part in text.split(";"):
        for token in name_tokens(part):
            keys |= _token_bag(token)
    return (sorted(keys) or None,)


@lru_cache(maxsize=1 << 20)
def _name_keys(text: str) -> tuple[str | None, ...] | None:
    """Keys of a whole name field: clean, skeleton, deletion neighbourhood, phonetic, and the
    skeletons of its tokens (so "Maria" can be found inside "Maria Elena")."""
    tokens = name_tokens(text)
    if not tokens:
        return None
    skeleton = canon_name("".join(tokens))
    return (
        " ".join(tokens),
        skeleton,
        deletion_neighbourhood(skeleton),
        phonetic(skeleton) or None,
        sorted({canon_name(t) for t in tokens}),
        name_grams(tokens),
    )


@lru_cache(maxsize=1 << 20)
def _near_keys(given: str, family: str) -> tuple[list[str] | None]:
    """Keys that two names share when one part is the same (or one of a part's names) and the
    other at most one edit apart, in either order: a name's skeleton with each key of the
    other part's deletion neighbourhood. For blocking."""
    given_tokens, family_tokens = name_tokens(given), name_tokens(family)
    near: set[str] = set()
    if given_tokens and family_tokens:
        for exact, other in ((given_tokens, family_tokens), (family_tokens, given_tokens)):
            neighbourhood = deletion_neighbourhood(canon_name("".join(other)))
            for token in exact:
                skeleton = canon_name(token)
                near.update(f"{skeleton}|{key}" for key in neighbourhood)
    return (sorted(near) or None,)


@lru_cache(maxsize=1 << 16)
def _date_keys(iso: str) -> tuple[str | None, ...] | tuple[Any, ...]:
    parts = iso.split("-")
    year = parts[0]
    if len(parts) == 1:
        return None, None, None, None, None, year, None
    if len(parts) == 2:
        return None, None, None, None, iso, year, None
    y, m, d = parts
    swapped = f"{y}-{d}-{m}" if int(d) <= 12 and d != m else None
    # 1 January is what agencies write for an unknown day: not a firm date.
    firm = None if (m, d) == ("01", "01") else iso
    return iso, swapped, f"{y}-{d}", f"{m}-{d}", f"{y}-{m}", year, firm


def _region_key(text: str) -> tuple[str | None]:
    # Region names vary in case and diacritics only (Västra Götaland, VASTRA GOTALAND).
    return (" ".join(anyascii(text).casefold().split()) or None,)


def _birth_years(
    date_year: pd.Series, age: pd.Series, identified: pd.Series
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Per record: the possible birth years, the year an estimated age points to, and the
    years it allows if it is off by a year at most.

    A dated record has its year; one with only an estimated age the window of years the age
    allows (born in the identification year minus the age, or a year before if the birthday
    had not yet come, give or take :data:`AGE_MARGIN`), the window's centre and its middle
    (give or take one year).
    """
    known = date_year.notna().to_numpy()
    ages = pd.array(age, dtype="Int64")
    seen = pd.to_numeric(identified.str[:4], errors="coerce").to_numpy()
    from_age = (~known) & ~np.asarray(pd.isna(ages)) & ~np.isnan(seen)
    born = np.where(
        known,
        date_year.fillna(0).to_numpy(dtype=np.int64),
        np.nan_to_num(seen).astype(np.int64) - np.asarray(ages.fillna(0), dtype=np.int64),
    )
    # One key per distinct dated year and per distinct age-derived year.
    key = np.where(known, born, np.where(from_age, born + 100_000, -1))
    codes, uniques = pd.factorize(key)
    possible: list[list[str] | None] = []
    centre: list[str | None] = []
    close: list[list[str] | None] = []
    for k in uniques:
        if k < 0:
            possible.append(None)
            centre.append(None)
            close.append(None)
        elif k < 100_000:
            possible.append([str(k)])
            centre.append(None)
            close.append(None)
        else:
            b = int(k) - 100_000
            possible.append([str(b + d) for d in range(-1 - AGE_MARGIN, AGE_MARGIN + 1)])
            centre.append(str(b))
            close.append([str(b + d) for d in range(-2, 2)])
    indices = pa.array(codes)
    return (
        pa.array(possible, pa.list_(pa.string())).take(indices),
        pa.array(centre, pa.string()).take(indices),
        pa.array(close, pa.list_(pa.string())).take(indices),
    )


def feature_table(records: pd.DataFrame) -> pd.DataFrame:
    """Derive the linkage features of standardised records.

    Parameters
    ----------
    records : pandas.DataFrame
        Rows of :attr:`nmt.linkage.lists.AgencyList.records` (any number of sources).

    Returns
    -------
    pandas.DataFrame
        ``source_dataset``, ``unique_id`` (the record id) and one column per :data:`FEATURES`:
        strings, or lists of strings for set features (Arrow-backed; missing values are
        null).
    """
    string, strings = pa.string(), pa.list_(pa.string())
    columns: dict[str, pa.Array] = {}
    name_kinds = (string, string, strings, string, strings, strings)
    suffixes = ("", "_canon", "_del", "_ph", "_tokens", "_grams")
    for part, column in (("given", "given_name"), ("family", "family_name")):
        fields = _Coded(records[column]).fields(_name_keys, name_kinds)
        for suffix, array in zip(suffixes, fields, strict=True):
            columns[part + suffix] = array
    both = (
        records["given_name"].fillna("").astype(str)
        + "\x1f"
        + records["family_name"].fillna("").astype(str)
    )
    columns["name_near"] = _Coded(both).fields(lambda v: _near_keys(*v.split("\x1f")), (strings,))[
        0
    ]
    columns["name_key"] = _sorted_pair(columns["given_canon"], columns["family_canon"])
    bags = [
        _Coded(records[column]).fields(_field_bag, (strings,))[0]
        for column in ("given_name", "family_name", "aliases")
    ]
    columns["name_bag"] = _concat_lists(*bags)
    columns["name_pair_ph"] = _sorted_pair(columns["given_ph"], columns["family_ph"])
    columns["initials"] = _sorted_pair(
        pc.utf8_slice_codeunits(columns["given_canon"], 0, 1),
        pc.utf8_slice_codeunits(columns["family_canon"], 0, 1),
    )

    dates = _Coded(records["birth_date"]).fields(_date_keys, (string,) * 7)
    names = ("birth_date", "birth_date_swapped", "birth_yd", "birth_md", "birth_ym", "birth_year",
             "birth_date_firm")  # fmt: skip
    columns.update(zip(names, dates, strict=True))
    year = pd.to_numeric(pd.Series(dates[5].to_pandas(), dtype=object), errors="coerce")
    columns["birth_year_next"] = pa.array(
        [None if pd.isna(y) else str(int(y) + 1) for y in year], string
    )
    columns["birth_years"], columns["age_year"], columns["age_years"] = _birth_years(
        year, records["age"], records["identification_date"].astype(object)
    )

    for name in ("sex", "citizenship", "id_number"):
        columns[name] = pa.array(records[name].to_numpy(dtype=object), string, from_pandas=True)
    columns["region"] = _Coded(records["region"]).fields(_region_key, (string,))[0]
    # A person has one Swedish number (personal identity or coordination number) but may have
    # several passports: two different Swedish numbers are strong evidence of two persons.
    # A mistyped Swedish number fails its check digit and never reaches here, so only other
    # numbers get the keys for one edit apart.
    kind = records["id_type"] if "id_type" in records else pd.Series(None, index=records.index)
    swedish = kind.isin(("personnummer", "samordningsnummer")).to_numpy()
    columns["id_del"] = _Coded(records["id_number"].where(~swedish, None)).fields(
        lambda v: (deletion_neighbourhood(v),), (strings,)
    )[0]
    columns["id_se"] = pc.if_else(pa.array(swedish), columns["id_number"], pa.nulls(1, string)[0])

    table = pa.table(
        {
            "source_dataset": pa.array(records["source"].astype(str).to_numpy(), string),
            "unique_id": pa.array(records["record_id"].astype(str).to_numpy(), string),
            **{feature.name: columns[feature.name] for feature in FEATURES},
        }
    )
    return table.to_pandas(types_mapper=pd.ArrowDtype)
