"""Edit conflicts: a three-way merge of what the user started from, what they typed, and what
someone else saved meanwhile.

Fields only the other person changed take the saved value (so saving again loses nothing of
theirs); fields only this user changed keep the user's value; fields both changed differently are
shown side by side for the user to decide. The form moves to the current version, so the next save
is a deliberate one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models
from django.utils import timezone

from nmt.cases.concurrency import ConflictError

SALT = "nmt.web.baseline"
HIDDEN_FIELDS = ("version", "baseline")


def _norm(value: Any) -> Any:
    """A canonical, JSON-friendly form for comparing a value across form, database and baseline."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return sorted(str(_norm(v)) for v in value)
    if isinstance(value, dt.datetime):
        # Forms carry minutes; the database carries seconds.
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    return str(value)


def baseline_token(values: dict[str, Any]) -> str:
    """The values a form was opened with, signed, to travel with the form."""
    plain = {name: _norm(value) for name, value in values.items() if name not in HIDDEN_FIELDS}
    return signing.dumps(plain, salt=SALT, compress=True)


def _baseline(form: forms.Form) -> dict[str, Any] | None:
    token = form.cleaned_data.get("baseline") if hasattr(form, "cleaned_data") else None
    if not token:
        return None
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def _display(field: forms.Field, value: Any) -> str:
    choices = dict(_flat_choices(getattr(field, "choices", []) or []))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(choices.get(v, choices.get(str(v), v))) for v in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, models.Model):
        return str(value)
    return str(choices.get(value, choices.get(str(value), value)))


def _flat_choices(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat_choices(label)
        else:
            yield key, label
            yield str(key), label


def _raw(field: forms.Field, value: Any) -> Any:
    """The value as a browser would post it."""
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(_norm(v)) for v in value]
    return _norm(value)


def _names(usernames: Iterable[str]) -> list[str]:
    users = get_user_model().objects.filter(username__in=set(usernames))
    return sorted(user.get_full_name() or user.get_username() for user in users)


def conflict_context(
    error: ConflictError,
    form: forms.Form,
    current: dict[str, Any],
    *,
    display_only: Iterable[str] = (),
) -> dict[str, Any]:
    """Merge and describe a conflict. ``current`` holds the saved values by field name;
    ``display_only`` names fields whose saved value is a placeholder (protected data) and must
    never be copied into the form."""
    display_only = set(display_only)
    base = _baseline(form)
    data = form.data.copy()
    conflicts, taken = [], []
    for name, field in form.fields.items():
        if name in HIDDEN_FIELDS or name not in current:
            continue
        mine, theirs = form.cleaned_data.get(name), current[name]
        m, t = _norm(mine), _norm(theirs)
        b = base.get(name) if base is not None else None
        if m == t:
            continue
        row = {
            "label": field.label,
            "mine": _display(field, mine),
            "theirs": _display(field, theirs),
        }
        if base is not None and m == b:
            taken.append(row)
            if name not in display_only:
                key = form.add_prefix(name)
                raw = _raw(field, theirs)
                if raw is None:
                    data.pop(key, None)
                elif isinstance(raw, list):
                    data.setlist(key, raw)
                else:
                    data[key] = raw
        elif base is None or t != b:
            conflicts.append(row)
    data[form.add_prefix("version")] = str(error.current_version)
    if "baseline" in form.fields:
        shown = {name: "" if name in display_only else value for name, value in current.items()}
        data[form.add_prefix("baseline")] = baseline_token(shown)
    form.data = data
    return {
        "changes": error.changes,
        "rows": conflicts,
        "taken": taken,
        "who": _names(change.by for change in error.changes),
    }
