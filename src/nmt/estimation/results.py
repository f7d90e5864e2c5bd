"""Small result types shared by the estimators."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Interval:
    """An interval estimate of the population size.

    ``upper`` is ``math.inf`` when the data put no upper limit within the search range (a profile
    likelihood that has not fallen far enough by the end of its search).
    """

    lower: float
    upper: float
    level: float
    kind: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form; an infinite upper limit becomes ``null``."""
        return {
            "lower": _finite_or_none(self.lower),
            "upper": _finite_or_none(self.upper),
            "level": self.level,
            "kind": self.kind,
        }


def _finite_or_none(value: float) -> float | None:
    """A finite float, or None for JSON where the value is infinite or undefined."""
    return float(value) if math.isfinite(value) else None
