"""k-anonymity for person-level exports: checking it, and enforcing it by generalisation.

A data set is k-anonymous over its quasi-identifiers (sex, age, citizenship, region, ...) when every
combination of their values that occurs is shared by at least ``k`` records, so no record can be
singled out among fewer than ``k`` (Samarati 2001; Sweeney 2002). NMT uses ``k = 11`` by default,
as the Counter Trafficking Data Collaborative (CTDC) does for its global victim data set.

Enforcement is *full-domain generalisation with record suppression*: each quasi-identifier has a
hierarchy of ever coarser codings (age: exact → 5-year bands → 10-year bands → child/adult → ``*``);
one level is chosen per quasi-identifier for the whole data set, and the records still in classes
smaller than ``k`` are removed, up to a stated share. Every combination of levels is tried (the
lattices here are small), and the one with the least information loss wins, so the result is the
optimum of the search space (the exhaustive counterpart of Incognito, LeFevre et al. 2005, and
OLA, El Emam et al. 2009).

Information loss is the normalised certainty penalty (NCP, Xu et al. 2006): a value generalised to
a group of ``m`` of the ``M`` observed values costs ``(m - 1) / (M - 1)``; a removed record costs 1
for each quasi-identifier; the loss is the average over records and quasi-identifiers (0 = nothing
lost, 1 = everything).

What it does not guarantee: k-anonymity protects against singling out by the quasi-identifiers
named. It does not stop attribute disclosure when all records of a class share a sensitive value
(homogeneity; see l-diversity, Machanavajjhala et al. 2007), nor linkage on attributes left out of
the quasi-identifiers. Direct identifiers must be removed before.

References
----------
Samarati, P. (2001). Protecting respondents' identities in microdata release. IEEE TKDE 13(6).
Sweeney, L. (2002). k-anonymity: a model for protecting privacy. IJUFKS 10(5).
LeFevre, K., DeWitt, D. and Ramakrishnan, R. (2005). Incognito: efficient full-domain k-anonymity.
El Emam, K. et al. (2009). A globally optimal k-anonymity method for the de-identification of
health data. JAMIA 16(5).
Xu, J. et al. (2006). Utility-based anonymization using local recoding. KDD.
Hundepool, A. et al. (2012). Statistical Disclosure Control, Wiley, chapter 3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from nmt.errors import BadInputError, Problem

from .regions import REGION_OF

ANY = "*"
"""The top of every hierarchy: the value is not disclosed at all."""
UNKNOWN = "unknown"
"""Missing or unknown values stay ``unknown`` at every level below the top."""

DEFAULT_K = 11


def _is_unknown(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in {"", UNKNOWN}
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _hashable(value: Any) -> Any:
    if isinstance(value, list | set | frozenset | tuple):
        return tuple(sorted(map(str, value)))
    return value


@dataclass(frozen=True)
class Hierarchy:
    """Generalisation levels for one quasi-identifier.

    Level 0 is the exact value; each further level maps the *original* value to a coarser code;
    the last level (added automatically) maps everything to ``*``. Unknown values stay
    ``unknown`` below the top.

    Parameters
    ----------
    variable : str
        The column.
    levels : sequence of (name, mapping or function)
        The levels above "exact", finest first. A mapping must cover every known value.
    """

    variable: str
    level_names: tuple[str, ...]
    _levels: tuple[Callable[[Any], Any] | Mapping[Any, Any], ...] = field(repr=False, compare=False)

    def __init__(
        self,
        variable: str,
        levels: Sequence[tuple[str, Callable[[Any], Any] | Mapping[Any, Any]]] = (),
    ) -> None:
        names = ["exact", *(name for name, _ in levels), ANY]
        if len(set(names)) != len(names):
            raise BadInputError(f"hierarchy for {variable!r}: level names must differ")
        object.__setattr__(self, "variable", variable)
        object.__setattr__(self, "level_names", tuple(names))
        object.__setattr__(self, "_levels", tuple(mapping for _, mapping in levels))

    @property
    def depth(self) -> int:
        """The number of levels, exact and ``*`` included."""
        return len(self.level_names)

    def generalise(self, values: pd.Series, level: int) -> pd.Series:
        """The values at ``level`` (0 = exact, ``depth - 1`` = ``*``)."""
        if not 0 <= level < self.depth:
            raise BadInputError(f"{self.variable!r} has no generalisation level {level}")
        if level == 0:
            return values.map(lambda v: UNKNOWN if _is_unknown(v) else _hashable(v))
        if level == self.depth - 1:
            return pd.Series(ANY, index=values.index, dtype=object)
        mapping = self._levels[level - 1]
        problems: list[Any] = []

        def apply(v: Any) -> Any:
            if _is_unknown(v):
                return UNKNOWN
            if callable(mapping):
                return mapping(v)
            key = _hashable(v)
            if key not in mapping:
                problems.append(v)
                return None
            return mapping[key]

        out = values.map(apply)
        if problems:
            shown = ", ".join(map(str, list(dict.fromkeys(problems))[:10]))
            raise BadInputError(
                [
                    Problem(
                        f"level {self.level_names[level]!r} does not cover: {shown}",
                        field=self.variable,
                    )
                ]
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"variable": self.variable, "levels": list(self.level_names)}


def _age(value: Any, variable: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadInputError([Problem(f"not an age: {value!r}", field=variable)]) from None
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise BadInputError([Problem(f"not an age in whole years: {value!r}", field=variable)])
    return int(number)


def age_hierarchy(variable: str = "age", *, adult_from: int = 18) -> Hierarchy:
    """Age in whole years → 5-year bands → 10-year bands → child/adult → ``*``.

    Bands are labelled ``"15-19"``; child is ``age < adult_from`` (18: the Swedish and the
    HTCDS definition of a child). The band levels do not nest into child/adult; the search tries
    every combination of levels, so that does not matter.
    """

    def band(width: int) -> Callable[[Any], str]:
        def label(value: Any) -> str:
            low = _age(value, variable) // width * width
            return f"{low}-{low + width - 1}"

        return label

    def child_or_adult(value: Any) -> str:
        return "child" if _age(value, variable) < adult_from else "adult"

    return Hierarchy(
        variable,
        [("5-year", band(5)), ("10-year", band(10)), ("child/adult", child_or_adult)],
    )


_UNKNOWN_COUNTRY = {"XX", "XXX", "ZZ"}


def citizenship_hierarchy(variable: str = "citizenship") -> Hierarchy:
    """Citizenship (ISO 3166-1 alpha-2 or alpha-3) → world region (UN M49) → ``*``.

    ``XX``, ``XXX`` and ``ZZ`` count as unknown (stateless or not known). Other codes that are not
    countries are an error rather than silently lumped together.
    """
    import pycountry

    def region(value: Any) -> str:
        code = str(value).strip().upper()
        if code in _UNKNOWN_COUNTRY:
            return UNKNOWN
        if len(code) == 3:
            country = pycountry.countries.get(alpha_3=code)
            code = country.alpha_2 if country is not None else code
        if code not in REGION_OF:
            raise BadInputError(
                [Problem(f"not an ISO 3166 country code: {value!r}", field=variable)]
            )
        return REGION_OF[code]

    return Hierarchy(variable, [("region", region)])


def category_hierarchy(
    variable: str, levels: Sequence[tuple[str, Mapping[Any, Any]]] = ()
) -> Hierarchy:
    """A hierarchy from explicit code lists: each level maps every original value to a group.

    With no levels, the value is either shown exactly or not at all (``*``).
    """
    return Hierarchy(variable, list(levels))


@dataclass(frozen=True)
class KAnonymityCheck:
    """Whether a data set is k-anonymous over its quasi-identifiers, and where it fails."""

    k: int
    quasi_identifiers: tuple[str, ...]
    achieved_k: int | None
    records: int
    equivalence_classes: int
    classes_below_k: int
    records_below_k: int

    @property
    def satisfied(self) -> bool:
        return self.records_below_k == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "quasi_identifiers": list(self.quasi_identifiers),
            "achieved_k": self.achieved_k,
            "satisfied": self.satisfied,
            "records": self.records,
            "equivalence_classes": self.equivalence_classes,
            "classes_below_k": self.classes_below_k,
            "records_below_k": self.records_below_k,
        }


def _class_codes(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    key = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        values = frame[column].map(lambda v: UNKNOWN if _is_unknown(v) else _hashable(v))
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        # Re-factorising after each column keeps the combined code small (no overflow).
        key, _ = pd.factorize(key * max(len(uniques), 1) + codes)
    return key


def check_k_anonymity(
    data: pd.DataFrame, quasi_identifiers: Sequence[str], *, k: int = DEFAULT_K
) -> KAnonymityCheck:
    """Check k-anonymity of ``data`` over ``quasi_identifiers``.

    Missing values count as the value ``unknown``. ``achieved_k`` is the size of the smallest
    equivalence class (None for an empty data set, which is trivially k-anonymous).
    """
    _check_k(k)
    missing = [q for q in quasi_identifiers if q not in data.columns]
    if missing:
        raise BadInputError([Problem("no such column", field=q) for q in missing])
    if not quasi_identifiers:
        raise BadInputError("name at least one quasi-identifier")
    if data.empty:
        return KAnonymityCheck(k, tuple(quasi_identifiers), None, 0, 0, 0, 0)
    sizes = np.bincount(_class_codes(data, quasi_identifiers))
    sizes = sizes[sizes > 0]
    small = sizes < k
    return KAnonymityCheck(
        k=k,
        quasi_identifiers=tuple(quasi_identifiers),
        achieved_k=int(sizes.min()),
        records=len(data),
        equivalence_classes=len(sizes),
        classes_below_k=int(small.sum()),
        records_below_k=int(sizes[small].sum()),
    )


def _check_k(k: int) -> None:
    if not isinstance(k, int) or isinstance(k, bool) or k < 2:
        raise BadInputError("k must be an integer of at least 2")


@dataclass(frozen=True)
class KAnonymityResult:
    """A k-anonymised data set and what it cost.

    Attributes
    ----------
    data : pandas.DataFrame
        The records kept, quasi-identifiers generalised, other columns unchanged.
    levels : tuple of (variable, level name)
        The generalisation chosen for each quasi-identifier.
    information_loss : float
        Normalised certainty penalty over records and quasi-identifiers, removed records included
        (0 = none, 1 = all).
    """

    data: pd.DataFrame = field(compare=False, repr=False)
    k: int
    levels: tuple[tuple[str, str], ...]
    records_in: int
    records_removed: int
    information_loss: float
    check: KAnonymityCheck

    @property
    def achieved_k(self) -> int | None:
        return self.check.achieved_k

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "achieved_k": self.achieved_k,
            "levels": dict(self.levels),
            "records_in": self.records_in,
            "records_out": len(self.data),
            "records_removed": self.records_removed,
            "information_loss": self.information_loss,
            "method": "full-domain generalisation with record suppression; NCP loss",
        }


def _ncp(original: pd.Series, generalised: pd.Series) -> np.ndarray:
    """Per-record NCP of one generalisation of one quasi-identifier."""
    known = original.map(lambda v: None if _is_unknown(v) else _hashable(v))
    domain = known.dropna().nunique()
    if domain <= 1:
        return np.zeros(len(original))
    # Leaves under each generalised value: distinct known originals that map to it.
    frame = pd.DataFrame({"o": known, "g": generalised.to_numpy()})
    leaves = frame.dropna().groupby("g", sort=False)["o"].nunique()
    counts = frame["g"].map(leaves).fillna(1).to_numpy(dtype=float)
    out = (counts - 1) / (domain - 1)
    # An unknown value discloses nothing more once generalised; it costs what a known one does.
    return np.where(known.isna().to_numpy(), 0.0, out)


def enforce_k_anonymity(
    data: pd.DataFrame,
    hierarchies: Iterable[Hierarchy],
    *,
    k: int = DEFAULT_K,
    max_removed: float = 0.05,
) -> KAnonymityResult:
    """Make ``data`` k-anonymous by generalising quasi-identifiers and removing few records.

    Parameters
    ----------
    data : pandas.DataFrame
        Person-level records without direct identifiers.
    hierarchies : iterable of Hierarchy
        One per quasi-identifier (see :func:`age_hierarchy`, :func:`citizenship_hierarchy`,
        :func:`category_hierarchy`).
    k : int
        Minimum equivalence-class size (default 11, as CTDC).
    max_removed : float
        Largest share of records that may be removed instead of generalising further.

    Returns
    -------
    KAnonymityResult
        The generalisation of least information loss among those that remove at most
        ``max_removed`` of the records; its k-anonymity has been checked.

    Raises
    ------
    BadInputError
        Invalid hierarchies or values, or fewer than ``k`` records (nothing can be released).
    """
    _check_k(k)
    hierarchies = list(hierarchies)
    if not hierarchies:
        raise BadInputError("name at least one quasi-identifier (with its hierarchy)")
    names = [h.variable for h in hierarchies]
    if len(set(names)) != len(names):
        raise BadInputError("each quasi-identifier needs exactly one hierarchy")
    missing = [v for v in names if v not in data.columns]
    if missing:
        raise BadInputError([Problem("no such column", field=v) for v in missing])
    if not 0 <= max_removed < 1:
        raise BadInputError("max_removed must be a share from 0 up to (not including) 1")
    n = len(data)
    if n < k:
        raise BadInputError(f"{n} record(s) cannot be made {k}-anonymous: fewer than k")
    data = data.reset_index(drop=True)
    generalised: list[list[pd.Series]] = []
    codes: list[list[np.ndarray]] = []
    losses: list[list[np.ndarray]] = []
    for h in hierarchies:
        levels = [h.generalise(data[h.variable], level) for level in range(h.depth)]
        generalised.append(levels)
        codes.append([pd.factorize(s, use_na_sentinel=False)[0] for s in levels])
        losses.append([_ncp(data[h.variable], s) for s in levels])

    best: tuple[tuple[float, int, int], tuple[int, ...], np.ndarray] | None = None
    allowed = math.floor(max_removed * n)
    for node in product(*(range(h.depth) for h in hierarchies)):
        key = np.zeros(n, dtype=np.int64)
        for q, level in enumerate(node):
            key, _ = pd.factorize(key * (codes[q][level].max() + 1) + codes[q][level])
        sizes = np.bincount(key)
        removed = sizes[key] < k
        n_removed = int(removed.sum())
        if n_removed > allowed:
            continue
        per_record = np.mean([losses[q][level] for q, level in enumerate(node)], axis=0)
        loss = float(np.where(removed, 1.0, per_record).mean())
        score = (round(loss, 12), n_removed, sum(node))
        if best is None or score < best[0]:
            best = (score, node, removed)
    if best is None:
        raise BadInputError(
            f"no generalisation makes the data {k}-anonymous removing at most "
            f"{max_removed:.0%} of records; allow more removal or add hierarchy levels"
        )
    (loss, n_removed, _), node, removed = best
    out = data.copy()
    for q, (h, level) in enumerate(zip(hierarchies, node, strict=True)):
        out[h.variable] = generalised[q][level].to_numpy()
    out = out.loc[~removed].reset_index(drop=True)
    check = check_k_anonymity(out, names, k=k)
    if not check.satisfied:
        raise RuntimeError("k-anonymisation failed its own check; nothing is released")
    return KAnonymityResult(
        data=out,
        k=k,
        levels=tuple(
            (h.variable, h.level_names[level]) for h, level in zip(hierarchies, node, strict=True)
        ),
        records_in=n,
        records_removed=n_removed,
        information_loss=loss,
        check=check,
    )
