"""Error responses of the API: one JSON shape per kind of error, the same on every endpoint.

* 400 ``{"detail": "Invalid input.", "errors": {"field": ["message", ...], ...}}``. Field names are
  paths into the request body, nested keys joined with dots (``person.documents.0.number``);
  problems not tied to one field are under ``non_field_errors``.
* 409 ``{"detail", "current_version", "changes": [{"version", "by", "at", "fields"}],
  "changed_fields", "current"}``: an edit based on an old version (see nmt.cases.concurrency).
* Every other error ``{"detail": "..."}`` as Django REST framework gives it (401, 403, 404, 405,
  415, 429).

Messages are in the language of the request (Accept-Language; Swedish by default).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from nmt.cases.concurrency import ConflictError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def flatten_errors(detail: Any) -> dict[str, list[str]]:
    """Field errors of any nesting as one level: ``{"documents.0.number": ["..."]}``."""
    flat: dict[str, list[str]] = {}
    _flatten(detail, [], flat)
    return flat


def _flatten(detail: Any, path: list[str], flat: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key == NON_FIELD_ERRORS else str(key)
            _flatten(value, [*path, name], flat)
    elif isinstance(detail, (list, tuple)):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list, tuple)):
                _flatten(item, [*path, str(index)], flat)
            else:
                flat.setdefault(".".join(path) or NON_FIELD, []).append(str(item))
    else:
        flat.setdefault(".".join(path) or NON_FIELD, []).append(str(detail))


def django_error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as field -> messages."""
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD if key == NON_FIELD_ERRORS else key): messages
            for key, messages in exc.message_dict.items()
        }
    return {NON_FIELD: exc.messages}


def validation_response(detail: Any) -> dict[str, Any]:
    return {"detail": _("Invalid input."), "errors": flatten_errors(detail)}


def conflict_body(exc: ConflictError, current: Any) -> dict[str, Any]:
    return {
        "detail": _(
            "Someone else saved this after you opened it (you edited version %(yours)s; it is "
            "now version %(current)s). Review their changes, then save again with version "
            "%(current)s."
        )
        % {"yours": exc.expected_version, "current": exc.current_version},
        "current_version": exc.current_version,
        "changes": [change.to_dict() for change in exc.changes],
        "changed_fields": exc.changed_fields,
        "current": current,
    }


def _conflict_current(context: dict[str, Any]) -> Any:
    """The object as it is now, read (and audited) by the view; None if no longer visible."""
    view = context.get("view")
    read = getattr(view, "conflict_current", None)
    if read is None:
        return None
    try:
        return read()
    except Http404:
        return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus services' ValidationError and ConflictError, with one 400 shape."""
    if isinstance(exc, ConflictError):
        current = _conflict_current(context)
        return Response(conflict_body(exc, current), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_error_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_response(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"detail": str(exc.detail), "errors": {}}
    return response
