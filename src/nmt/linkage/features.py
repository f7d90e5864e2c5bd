"""Linkage features: the derived keys that the model compares.

The model never compares raw strings with a similarity function. It compares *keys* for equality
and *sets of keys* for overlap, and every fuzzy notion is expressed as a key: the transliteration
skeleton, the phonetic code, the deletion neighbourhood (edit distance one), day and month
swapped, pairs of birth-date parts, runs of two adjacent birth years. That is what lets
``nmt tokenize`` replace each key by a keyed hash and lose nothing: plaintext and token files
give the same comparison vectors, hence the same links (up to hash collisions, which at 96 bits
do not happen in practice).

Each feature belongs to a *domain*; keys are hashed with their domain, and features that are
compared with one another (a given name with a family name when the order was swapped, a birth
date with a day/month-swapped one) share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from anyascii import anyascii

from nmt.linkage.standardise import (
    canon_name,
    deletion_neighbourhood,
    name_tokens,
    nickname_expansions,
    phonetic,
)

__all__ = ["FEATURES", "Feature", "feature_table"]


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
    Feature("family", "name", description="family name(s), clean"),
    Feature("family_canon", "canon", description="its transliteration skeleton"),
    Feature("family_del", "canon_del", True, "deletion neighbourhood of the skeleton"),
    Feature("family_ph", "phonetic", description="NYSIIS of the skeleton"),
    Feature("family_tokens", "canon", True, "skeletons of each family name"),
    Feature("name_full", "name_full", description="clean given and family name together"),
    Feature("name_bag", "canon", True, "skeletons of all names, aliases and nickname expansions"),
    Feature("name_pair_ph", "phonetic_pair", description="the two phonetic codes, sorted"),
    Feature("birth_date", "date", description="full birth date"),
    Feature("birth_date_firm", "date", description="full birth date unless it is 1 January"),
    Feature("birth_date_swapped", "date", description="birth date with day and month swapped"),
    Feature("birth_date_parts", "date_part", True, "year-month, year-day, month-day"),
    Feature("birth_years", "year", True, "possible birth years (two when derived from age)"),
    Feature("birth_year_runs", "year_run", True, "runs of two years covering the birth years"),
    Feature("sex", "sex", description="f, m or x"),
    Feature("citizenship", "citizenship", description="ISO 3166-1 alpha-2"),
    Feature("region", "region", description="region of identification, case-folded"),
    Feature("id_number", "id", description="identity number, standardised"),
    Feature("id_del", "id_del", True, "deletion neighbourhood of the identity number"),
)

FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)


def _distinct_map(series: pd.Series, function) -> pd.Series:
    """Apply ``function`` to each distinct non-null value once and map the result back."""
    values = series.dropna().unique()
    table = {value: function(value) for value in values}
    return series.map(table)


def _bag(texts: Iterable[str]) -> list[str]:
    keys: set[str] = set()
    for text in texts:
        for token in name_tokens(text):
            keys.add(canon_name(token))
            keys.update(canon_name(full) for full in nickname_expansions(token))
    return sorted(k for k in keys if k)


def _name_keys(text: str) -> tuple[str | None, ...]:
    """Keys of a whole name field: clean, skeleton, deletion neighbourhood, phonetic, and the
    skeletons of its tokens (so "Maria" can be found inside "Maria Elena")."""
    tokens = name_tokens(text)
    if not tokens:
        return None, None, None, None, None
    skeleton = canon_name("".join(tokens))
    return (
        " ".join(tokens),
        skeleton,
        deletion_neighbourhood(skeleton),
        phonetic(skeleton) or None,
        sorted({canon_name(t) for t in tokens}),
    )


def _date_keys(iso: str) -> tuple[str | None, str | None, list[str], int]:
    parts = iso.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return None, None, [], year
    if len(parts) == 2:
        return None, None, [f"ym:{parts[0]}-{parts[1]}"], year
    y, m, d = parts
    swapped = f"{y}-{d}-{m}" if int(d) <= 12 and d != m else None
    return iso, swapped, [f"ym:{y}-{m}", f"yd:{y}-{d}", f"md:{m}-{d}"], year


def _region_key(text: str) -> str | None:
    # Region names vary in case and diacritics only (Västra Götaland, VASTRA GOTALAND).
    return " ".join(anyascii(text).casefold().split()) or None


def _unzip(series: pd.Series, width: int) -> list[pd.Series]:
    empty = (None,) * width
    tuples = [t if isinstance(t, tuple) else empty for t in series]
    return [
        pd.Series(column, index=series.index, dtype=object) for column in zip(*tuples, strict=True)
    ]


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
        strings, or lists of strings for set features (empty lists become ``None``).
    """
    n = len(records)
    index = records.index
    out = pd.DataFrame(
        {"source_dataset": records["source"].astype(object), "unique_id": records["record_id"]},
        index=index,
    )
    if n == 0:
        for feature in FEATURES:
            out[feature.name] = pd.Series([], dtype=object)
        return out.reset_index(drop=True)

    given = _unzip(_distinct_map(records["given_name"], _name_keys), 5)
    family = _unzip(_distinct_map(records["family_name"], _name_keys), 5)
    out["given"], out["given_canon"], out["given_del"], out["given_ph"] = given[:4]
    out["given_tokens"] = given[4]
    out["family"], out["family_canon"], out["family_del"], out["family_ph"] = family[:4]
    out["family_tokens"] = family[4]

    full = out["given"].fillna("") + "|" + out["family"].fillna("")
    out["name_full"] = full.where(out["given"].notna() & out["family"].notna(), None)

    name_fields = records[["given_name", "family_name", "aliases"]]
    combined = (
        name_fields["given_name"].fillna("")
        + "\x1f"
        + name_fields["family_name"].fillna("")
        + "\x1f"
        + name_fields["aliases"].fillna("").str.replace(";", "\x1f", regex=False)
    )
    out["name_bag"] = _distinct_map(combined, lambda s: _bag(s.split("\x1f")) or None)

    ph_given, ph_family = out["given_ph"], out["family_ph"]
    both = ph_given.notna() & ph_family.notna()
    pair = pd.Series(None, index=index, dtype=object)
    pair[both] = [
        "|".join(sorted((a, b))) for a, b in zip(ph_given[both], ph_family[both], strict=True)
    ]
    out["name_pair_ph"] = pair

    dates = _unzip(_distinct_map(records["birth_date"], _date_keys), 4)
    out["birth_date"], out["birth_date_swapped"] = dates[0], dates[1]
    out["birth_date_firm"] = dates[0].where(~dates[0].fillna("").str.endswith("-01-01"), None)
    out["birth_date_parts"] = dates[2].map(lambda v: v or None)
    date_year = dates[3]

    identified_year = records["identification_date"].map(
        lambda v: int(v[:4]) if isinstance(v, str) else None
    )
    years: list[list[int] | None] = []
    for year, age, seen in zip(date_year, records["age"], identified_year, strict=True):
        if year is not None and not pd.isna(year):
            years.append([int(year)])
        elif not pd.isna(age) and seen is not None and not pd.isna(seen):
            # Age at identification: born in that year minus age, or a year before if the
            # birthday had not yet come.
            years.append([int(seen) - int(age) - 1, int(seen) - int(age)])
        else:
            years.append(None)
    out["birth_years"] = [[str(y) for y in ys] if ys else None for ys in years]
    out["birth_year_runs"] = [
        sorted({f"{y - 1}-{y}" for y in ys} | {f"{y}-{y + 1}" for y in ys}) if ys else None
        for ys in years
    ]

    out["sex"] = records["sex"]
    out["citizenship"] = records["citizenship"]
    out["region"] = _distinct_map(records["region"], _region_key)
    out["id_number"] = records["id_number"]
    out["id_del"] = _distinct_map(records["id_number"], deletion_neighbourhood)
    return out.reset_index(drop=True)
