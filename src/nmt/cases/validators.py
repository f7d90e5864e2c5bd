"""Validation of Swedish identity numbers and partial dates."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PIN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit of the nine digits YYMMDDNNN (Skatteverket, SKV 704)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def normalise_swedish_number(value: str, *, coordination: bool) -> str:
    """Validate a personal identity or coordination number; return it as YYYYMMDD-NNNC.

    Accepts 10 or 12 digits with an optional ``-`` or ``+`` (``+`` marks age 100 or more when the
    century is not given). A coordination number has 60 added to the day of birth.
    """
    compact = value.strip().replace(" ", "")
    match = _PIN.match(compact)
    if not match:
        raise ValidationError(_("Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN."))
    century, yy, mm, dd, sep, serial, check = match.groups()
    day = int(dd) - (60 if coordination else 0)
    if coordination and int(dd) <= 60:
        raise ValidationError(_("A coordination number has 60 added to the day of birth."))
    if luhn_check_digit(f"{yy}{mm}{dd}{serial}") != int(check):
        raise ValidationError(_("The check digit does not match; check the number."))
    if century is None:
        today = dt.date.today()
        year = 2000 + int(yy)
        if year > today.year:
            year -= 100
        if sep == "+":
            year -= 100
    else:
        year = int(century + yy)
    try:
        dt.date(year, int(mm), day)
    except ValueError as exc:
        raise ValidationError(_("The date in the number does not exist.")) from exc
    return f"{year:04d}{mm}{dd}-{serial}{check}"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into (year, month or None, day or None)."""
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        raise ValidationError(_("Write the date as YYYY-MM-DD, YYYY-MM or YYYY."))
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not 1900 <= year <= dt.date.today().year:
        raise ValidationError(_("The year is not plausible."))
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValidationError(_("The date does not exist.")) from exc
    if dt.date(year, month or 1, day or 1) > dt.date.today():
        raise ValidationError(_("The date is in the future."))
    return year, month, day


def age_group_at(on: dt.date, *, birth_date: str = "", estimated_age: int | None = None) -> str:
    """Adult or child at ``on``; unknown when the data cannot tell (e.g. only the year, at 18)."""
    if birth_date:
        year, month, day = parse_partial_date(birth_date)
        # The youngest and oldest the person can be, given what is known of the birth date.
        earliest = dt.date(year, month or 1, day or 1)
        latest = dt.date(year, month or 12, day or _last_day(year, month or 12))
        oldest = _age(earliest, on)
        youngest = _age(latest, on)
        if youngest >= 18:
            return "adult"
        if oldest < 18:
            return "child"
        return "unknown"
    if estimated_age is not None:
        return "adult" if estimated_age >= 18 else "child"
    return "unknown"


def _last_day(year: int, month: int) -> int:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return (next_month - dt.timedelta(days=1)).day


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
