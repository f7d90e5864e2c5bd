"""The per-table disclosure-control policy: which method, with which parameters.

A policy is declarative and small, so it can be written in a settings file, stored with a published
run and shown to a data-protection officer::

    {"method": "ckm", "ptable": {"max_deviation": 3, "variance": 2.0, "blocked_up_to": 2}}
    {"method": "suppression", "threshold": 5, "protection_level": 3}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from nmt.errors import BadInputError

from .ptable import PTableParameters

Method = Literal["ckm", "suppression"]
Cost = Literal["value", "cells", "log"]
Secondary = Literal["auto", "optimal", "sequential"]

_METHODS = ("ckm", "suppression")
_COSTS = ("value", "cells", "log")
_SECONDARY = ("auto", "optimal", "sequential")


@dataclass(frozen=True)
class DisclosurePolicy:
    """How one table is protected.

    Parameters
    ----------
    method : {"ckm", "suppression"}
        The cell key method (perturbation; every cell published) or threshold suppression with
        secondary suppression (true values or nothing).
    ptable : PTableParameters
        CKM: the perturbation table's D, V and js.
    small_count : int
        CKM: published values below this are flagged ``SMALL`` (large relative uncertainty).
    threshold : int
        Suppression: a cell counting ``1 .. threshold - 1`` persons is primary-suppressed.
    protection_level : int
        Suppression: an attacker who knows every published figure of the linked tables, and that
        counts are non-negative whole numbers, must not be able to narrow a primary-suppressed
        cell ``a`` to less than ``[a - p, a + p]`` (cut at the lowest possible value).
    suppress_zeros : bool
        Suppression: treat empty cells as sensitive too (then suppressed cells may be 0).
    cost : {"value", "cells", "log"}
        Suppression: information loss minimised by secondary suppression: persons hidden,
        cells hidden, or ``1 + log(count)`` per hidden cell.
    secondary : {"auto", "optimal", "sequential"}
        Suppression: the algorithm for secondary suppression (see :mod:`.suppression`).
    """

    method: Method = "ckm"
    ptable: PTableParameters = field(default_factory=PTableParameters)
    small_count: int = 10
    threshold: int = 5
    protection_level: int = 3
    suppress_zeros: bool = False
    cost: Cost = "value"
    secondary: Secondary = "auto"

    def __post_init__(self) -> None:
        problems = []
        if self.method not in _METHODS:
            problems.append(f"method must be one of {', '.join(_METHODS)} (got {self.method!r})")
        if not isinstance(self.ptable, PTableParameters):
            problems.append("ptable must be PTableParameters")
        if not _is_int(self.small_count) or self.small_count < 0:
            problems.append("small_count must be a non-negative integer")
        if not _is_int(self.threshold) or self.threshold < 1:
            problems.append("threshold must be an integer of at least 1")
        if not _is_int(self.protection_level) or self.protection_level < 1:
            problems.append("protection_level must be an integer of at least 1")
        if not isinstance(self.suppress_zeros, bool):
            problems.append("suppress_zeros must be true or false")
        if self.cost not in _COSTS:
            problems.append(f"cost must be one of {', '.join(_COSTS)} (got {self.cost!r})")
        if self.secondary not in _SECONDARY:
            problems.append(
                f"secondary must be one of {', '.join(_SECONDARY)} (got {self.secondary!r})"
            )
        if problems:
            raise BadInputError(problems)

    def to_dict(self) -> dict[str, Any]:
        if self.method == "ckm":
            return {
                "method": "ckm",
                "ptable": self.ptable.to_dict(),
                "small_count": self.small_count,
            }
        return {
            "method": "suppression",
            "threshold": self.threshold,
            "protection_level": self.protection_level,
            "suppress_zeros": self.suppress_zeros,
            "cost": self.cost,
            "secondary": self.secondary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DisclosurePolicy:
        """Read a policy written by :meth:`to_dict` (or by hand); unknown keys are an error."""
        if not isinstance(data, dict):
            raise BadInputError("a disclosure policy must be a mapping")
        known = {
            "method",
            "ptable",
            "small_count",
            "threshold",
            "protection_level",
            "suppress_zeros",
            "cost",
            "secondary",
        }
        unknown = set(data) - known
        if unknown:
            raise BadInputError(f"unknown policy settings: {', '.join(sorted(unknown))}")
        values = dict(data)
        if "ptable" in values:
            if not isinstance(values["ptable"], dict):
                raise BadInputError("ptable must be a mapping of its parameters")
            values["ptable"] = PTableParameters.from_dict(values["ptable"])
        return cls(**values)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


CKM = DisclosurePolicy(method="ckm")
"""NMT's default: the cell key method with the default ptable (D=3, V=2, js=2)."""

SUPPRESSION = DisclosurePolicy(method="suppression")
"""The alternative: suppress counts 1-4 and protect them by ±3 against differencing."""
