"""Protected tables and cells: what may be published, with flags; the true figures kept apart.

Every result carries the true count of each cell, because analysts need it for checks, but the
public views (``to_dict()``, ``to_frame()``, :meth:`ProtectedTable.render`) leave it out unless
``confidential=True`` is asked for explicitly. Only publish the public views.

Flags never reveal more than the published value does: under the cell key method *every* cell is
flagged ``PERTURBED`` (whether or not its noise happened to be 0), and under suppression primary and
secondary suppressions carry the same ``SUPPRESSED`` flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from nmt.errors import BadInputError

from .policy import DisclosurePolicy
from .tables import TOTAL, TableSpec, _plain


class Flag(StrEnum):
    """What a reader must know about a published cell."""

    PERTURBED = "perturbed"
    """Protected by the cell key method: may differ from the true count by up to ±D."""
    SMALL = "small"
    """Cell key method: the published value is below the policy's ``small_count``, so the
    perturbation is large relative to it."""
    SUPPRESSED = "suppressed"
    """Withheld: too few persons, or it would let a withheld cell be worked out."""


@dataclass(frozen=True)
class ProtectedCell:
    """One published cell.

    Attributes
    ----------
    coordinates : tuple of (variable, category)
        The cell's categories, :data:`~nmt.disclosure.tables.TOTAL` for a margin.
    value : int or None
        The published value; ``None`` if suppressed.
    flags : frozenset of Flag
    original : int
        Confidential: the true count.
    suppression : {"primary", "secondary"} or None
        Confidential: why the cell was suppressed.
    """

    coordinates: tuple[tuple[str, Any], ...]
    value: int | None
    flags: frozenset[Flag]
    original: int = field(repr=False)
    suppression: str | None = field(default=None, repr=False)

    def category(self, variable: str) -> Any:
        return dict(self.coordinates)[variable]

    @property
    def is_margin(self) -> bool:
        return any(c == TOTAL for _, c in self.coordinates)

    def to_dict(self, *, confidential: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "coordinates": {v: _plain(c) for v, c in self.coordinates},
            "value": self.value,
            "flags": sorted(f.value for f in self.flags),
        }
        if confidential:
            out["original"] = self.original
            out["suppression"] = self.suppression
        return out


@dataclass(frozen=True)
class ProtectedTable:
    """A table ready to publish, with the policy that protected it.

    Attributes
    ----------
    spec : TableSpec
    categories : tuple of (variable, categories)
        The categories of each variable, in display order (margins not included).
    policy : DisclosurePolicy
    cells : tuple of ProtectedCell
        Every cell and margin, in the order of the categories with the total last.
    """

    spec: TableSpec
    categories: tuple[tuple[str, tuple[Any, ...]], ...]
    policy: DisclosurePolicy
    cells: tuple[ProtectedCell, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def method(self) -> str:
        return self.policy.method

    def cell(self, **coordinates: Any) -> ProtectedCell:
        """The cell with these categories; variables not named are taken as totals."""
        unknown = set(coordinates) - set(self.spec.variables)
        if unknown:
            raise BadInputError(f"table {self.name!r} has no variable {sorted(unknown)[0]!r}")
        wanted = tuple((v, coordinates.get(v, TOTAL)) for v in self.spec.variables)
        for c in self.cells:
            if c.coordinates == wanted:
                return c
        raise BadInputError(f"table {self.name!r} has no cell {dict(wanted)!r}")

    def to_frame(self, *, confidential: bool = False) -> pd.DataFrame:
        """One row per cell: the variables, ``value`` (nullable integer) and ``flags``."""
        rows = []
        for c in self.cells:
            row: dict[str, Any] = dict(c.coordinates)
            row["value"] = c.value
            row["flags"] = ",".join(sorted(f.value for f in c.flags))
            if confidential:
                row["original"] = c.original
                row["suppression"] = c.suppression
            rows.append(row)
        frame = pd.DataFrame(rows)
        frame["value"] = frame["value"].astype("Int64")
        return frame

    def to_dict(self, *, confidential: bool = False) -> dict[str, Any]:
        return {
            "name": self.name,
            "variables": list(self.spec.variables),
            "multi_valued": sorted(self.spec.multi_valued),
            "categories": {v: [_plain(c) for c in cats] for v, cats in self.categories},
            "total": TOTAL,
            "policy": self.policy.to_dict(),
            "cells": [c.to_dict(confidential=confidential) for c in self.cells],
        }

    def render(self, *, style: str = "scb") -> pd.DataFrame:
        """The cells with their published value as display text (``display`` column).

        See :func:`nmt.disclosure.presentation.display_value` for the symbols of each style.
        """
        from .presentation import display_value

        frame = self.to_frame()
        frame["display"] = [display_value(c, style=style) for c in self.cells]
        return frame

    def notes(
        self, *, lang: str = "sv", style: str = "scb", labels: Mapping[str, str] | None = None
    ) -> list[str]:
        """The footnotes a reader needs for this table, in Swedish or English."""
        from .presentation import table_notes

        return table_notes(self, lang=lang, style=style, labels=labels)
