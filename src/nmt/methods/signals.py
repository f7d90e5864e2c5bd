"""Early signals for the national team: monthly counts of persons identified, by purpose, region,
industry and citizenship, judged by ``nmt.methods.detection``.

Detection runs on the true counts; everything shown is protected: the series are published with
the cell key method (the counts 1 and 2 never appear), a month can only signal when at least
``min_count`` persons are behind it, and the expected band is rounded. No individual can be read
off a signal (docs/adr/0007-method-support.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.methods.detection import DetectionSettings, detect
from nmt.methods.figures import (
    DIMENSIONS,
    MIN_CITIZENSHIP_PERSONS,
    month_index,
    month_label,
    monthly_person_records,
    monthly_series,
)
from nmt.methods.policies import signal_policy

WINDOW_MONTHS = 24
RECENT_MONTHS = 3


@dataclass(frozen=True)
class SeriesPoint:
    month: str
    published: int | None
    expected: float | None
    upper: float | None
    alarm: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "published": self.published,
            "expected": self.expected,
            "upper": self.upper,
            "alarm": self.alarm,
        }


@dataclass(frozen=True)
class Series:
    dimension: str
    category: str
    points: tuple[SeriesPoint, ...]

    @property
    def recent_alarms(self) -> tuple[SeriesPoint, ...]:
        return tuple(p for p in self.points[-RECENT_MONTHS:] if p.alarm)

    @property
    def signalling(self) -> bool:
        return bool(self.recent_alarms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "category": self.category,
            "signalling": self.signalling,
            "points": [p.to_dict() for p in self.points],
        }


@dataclass
class SignalBoard:
    last_month: str
    settings: DetectionSettings
    series: list[Series] = field(default_factory=list)

    @property
    def signals(self) -> list[Series]:
        return [s for s in self.series if s.signalling]

    def to_dict(self) -> dict[str, Any]:
        return {
            "last_month": self.last_month,
            "alpha": self.settings.alpha,
            "min_count": self.settings.min_count,
            "series": [s.to_dict() for s in self.series],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value)


def compute_board(
    *, today: dt.date | None = None, settings: DetectionSettings | None = None
) -> SignalBoard:
    """Judge the last complete months of every series (no access check: see ``signal_board``)."""
    settings = settings or DetectionSettings()
    today = today or timezone.localdate()
    last = month_index(today) - 1  # the last complete month
    first = last - WINDOW_MONTHS - 12 * settings.years_back + 1
    months = list(range(first, last + 1))
    months_of_year = [m % 12 + 1 for m in months]
    records = monthly_person_records(first_month=first, last_month=last)
    board = SignalBoard(last_month=month_label(last), settings=settings)
    for dimension in DIMENSIONS:
        for category, (observed, published) in monthly_series(records, dimension, months).items():
            if dimension == "citizenship" and (
                category == "unknown" or sum(observed) < MIN_CITIZENSHIP_PERSONS
            ):
                continue
            result = detect(observed, months_of_year, last=WINDOW_MONTHS, settings=settings)
            offset = len(months) - WINDOW_MONTHS
            points = tuple(
                SeriesPoint(
                    month=month_label(months[m.index]),
                    published=published[m.index],
                    expected=_rounded(m.expected),
                    upper=_rounded(m.upper),
                    alarm=m.alarm,
                )
                for m in result.months[max(0, -offset) :]
            )
            board.series.append(Series(dimension=dimension, category=category, points=points))
    board.series.sort(key=lambda s: (not s.signalling, DIMENSIONS.index(s.dimension), s.category))
    return board


@transaction.atomic
def signal_board(*, actor: User, today: dt.date | None = None) -> SignalBoard:
    """The national team's early-signal board (aggregates only), its viewing audited."""
    if not signal_policy.can_view(actor):
        raise PermissionDenied
    board = compute_board(today=today)
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="signals",
        details={"last_month": board.last_month, "signals": len(board.signals)},
    )
    return board
