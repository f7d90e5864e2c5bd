"""OpenAPI description of what every operation may answer, errors included.

Responses are validated against this schema by the tests (and later by schemathesis), so each view
lists the error statuses it can return through ``responses()``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "Messages per field. Nested fields are joined with dots, e.g. "
            "person.documents.0.number; other problems are under non_field_errors."
        ),
    )


class ChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    by = serializers.CharField(help_text=_("Username of who saved it."))
    at = serializers.DateTimeField()
    fields = serializers.ListField(child=serializers.CharField())


@cache
def conflict_serializer(current: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The 409 body whose ``current`` is the object as ``current`` represents it."""
    name = current.__name__.removesuffix("Serializer") + "ConflictSerializer"
    return type(
        name,
        (serializers.Serializer,),
        {
            "__module__": __name__,
            "detail": serializers.CharField(),
            "current_version": serializers.IntegerField(),
            "changes": ChangeSerializer(many=True),
            "changed_fields": serializers.ListField(child=serializers.CharField()),
            "current": current(
                allow_null=True,
                help_text=_("The object as saved now; null if you can no longer see it."),
            ),
        },
    )


_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ValidationErrorSerializer, _("Invalid input, with messages per field.")),
    401: OpenApiResponse(ErrorSerializer, _("Not authenticated.")),
    403: OpenApiResponse(
        ErrorSerializer,
        _("Not allowed: you may see it but not do this; or a missing CSRF token (session)."),
    ),
    404: OpenApiResponse(
        ErrorSerializer, _("Not found, or not visible to you: the two are not told apart.")
    ),
    415: OpenApiResponse(ErrorSerializer, _("The body is not JSON.")),
    429: OpenApiResponse(ErrorSerializer, _("Too many requests; retry after Retry-After.")),
}


def responses(
    ok: dict[int, Any],
    *errors: int,
    conflict: type[serializers.Serializer] | None = None,
    public: bool = False,
) -> dict[int, Any]:
    """``ok`` plus the listed error statuses (401 and 403 always, unless ``public``)."""
    result = dict(ok)
    codes = set(errors) if public else {*errors, 401, 403}
    for code in sorted(codes):
        result[code] = _ERRORS[code]
    if conflict is not None:
        result[409] = OpenApiResponse(
            conflict_serializer(conflict),
            _("Someone else saved a newer version: what changed, and the object as it is now."),
        )
    return result


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_('The version you edited, instead of the version field in the body (e.g. "3").'),
)


class StrictSerializerExtension(OpenApiSerializerExtension):
    """Request bodies reject unknown fields (nmt.api.serializers.StrictSerializer); say so."""

    target_class = "nmt.api.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
