"""Model fields whose values are encrypted at rest (see nmt.access.crypto)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import Exact

from nmt.access.crypto import open_sealed, seal


class EncryptedTextField(models.TextField):
    """Text sealed with AES-GCM in the database; plain text in Python.

    Sealed values cannot be filtered or ordered in SQL (except for being empty); search goes
    through blind indexes.
    The empty string is stored as is, so "not given" needs no key.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        self._context = f"{cls._meta.app_label}.{cls.__name__}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return seal(value, context=self._context)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return open_sealed(value, context=self._context)

    def get_lookup(self, lookup_name: str):  # type: ignore[override]
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


class EmptyOnlyExact(Exact):
    """``field=""`` finds values not given. Any other value could never match a sealed value (each
    has its own nonce), so asking for one is a bug: search goes through the blind index."""

    def __init__(self, lhs: Any, rhs: Any):
        if rhs != "":
            raise ValueError("sealed fields can only be compared with the empty string")
        super().__init__(lhs, rhs)

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return ("%s", [""])
