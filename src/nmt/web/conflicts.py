"""Showing an edit conflict: who changed what since the user opened the form."""

from __future__ import annotations

from typing import Any

from django import forms

from nmt.cases.concurrency import ConflictError


def _display(field: forms.Field, value: Any) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, (list, tuple)):
        return ", ".join(str(choices.get(v, v)) for v in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "—"
    return str(choices.get(value, choices.get(str(value), value)))


def conflict_context(error: ConflictError, form: forms.Form, current: dict[str, Any]) -> dict:
    """Keep the user's input, show the saved values beside it, and move the form to the current
    version so that saving again deliberately replaces them."""
    rows = []
    names = {name for change in error.changes for name in change.fields}
    for name, field in form.fields.items():
        if name == "version" or name not in current:
            continue
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        theirs = current[name]
        if name in names or _display(field, mine) != _display(field, theirs):
            rows.append(
                {
                    "label": field.label,
                    "mine": _display(field, mine),
                    "theirs": _display(field, theirs),
                }
            )
    data = form.data.copy()
    data[form.add_prefix("version")] = str(error.current_version)
    form.data = data
    return {
        "changes": error.changes,
        "rows": rows,
        "who": sorted({change.by for change in error.changes}),
    }
