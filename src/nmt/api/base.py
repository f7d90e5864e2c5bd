"""What every API view shares: authentication, JSON only, input validation, versions, pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from django.core.paginator import Page
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from nmt.api.authentication import ExpiringTokenAuthentication

MAX_PAGE_SIZE = 100


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class JSONWithoutNulParser(JSONParser):
    """JSON whose strings contain no NUL character: no field of the platform can hold one
    (PostgreSQL text cannot), so it is refused at the door rather than deep inside a lookup."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(data):
            raise ValidationError(_("Text may not contain NUL characters."))
        return data


class ApiView(APIView):
    # No docstring: the schema would show it as every operation's description.
    # Token authentication comes first so that an anonymous request gets 401 with
    # "WWW-Authenticate: Token" rather than 403. JSON only: the browsable API needs inline
    # scripts that the CSP forbids, and the docs live at /api/docs/.
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONWithoutNulParser]
    pagination_class: type[PageNumberPagination] | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _refuse_unknown_query_parameters(request)

    def conflict_current(self) -> Any:
        """The object being edited as it is now (read through an audited selector), for the 409
        body. Views that edit versioned objects override this."""
        return None


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def expected_version(request: Request, body_version: int | None) -> int:
    """The version the client edited: the body's ``version`` or the ``If-Match`` header."""
    header = request.headers.get("If-Match", "").strip()
    header_version = None
    if header:
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise ValidationError({"version": [_("If-Match must hold the version number.")]})
        header_version = int(value)
    if body_version is not None and header_version is not None and body_version != header_version:
        raise ValidationError({"version": [_("The version and the If-Match header disagree.")]})
    version = body_version if body_version is not None else header_version
    if version is None:
        raise ValidationError(
            {
                "version": [
                    _("Give the version you edited: the version field or an If-Match header.")
                ]
            }
        )
    return version


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=50)


class Pagination(PageNumberPagination):
    """Page numbers, as DRF's, but pages come from the audited selectors (which page and audit in
    one transaction), so this class only parses the query and shapes the response."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": str(gettext_lazy("Page number, from 1.")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": str(gettext_lazy("Rows per page (default 50).")),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


def page_query(request: Request) -> tuple[int, int]:
    values = validated(PageQuerySerializer, _only(request.query_params, ("page", "page_size")))
    return values["page"], values["page_size"]


def _only(params: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: params[name] for name in names if name in params}


def check_page(page: Page, requested: int) -> None:
    """Django's ``get_page`` falls back to the last page; the API answers 404 like DRF's. Raise
    inside the reading transaction so the audit of rows never returned is rolled back."""
    if page.number != requested:
        raise NotFound(_("Invalid page."))


def paginated(request: Request, page: Page, results: list[Any]) -> Response:
    url = request.build_absolute_uri()
    next_url = None
    if page.has_next():
        next_url = replace_query_param(url, "page", page.next_page_number())
    previous_url = None
    if page.has_previous():
        number = page.previous_page_number()
        previous_url = (
            replace_query_param(url, "page", number)
            if number > 1
            else remove_query_param(url, "page")
        )
    return Response(
        {
            "count": page.paginator.count,
            "next": next_url,
            "previous": previous_url,
            "results": results,
        }
    )


def filtered_list(
    request: Request,
    *,
    filter_serializer: type[serializers.Serializer],
    filters_class: type,
    lister: Any,
    row_serializer: type[serializers.Serializer],
) -> Response:
    """A list view's GET: validated filters (a region by its primary key), one page read by
    ``lister(actor=..., filters=..., page=..., page_size=...)`` inside one transaction (so a
    page that does not exist rolls back the audit of its rows), serialised with its links."""
    values = query(filter_serializer, request)
    page_number, page_size = page_query(request)
    region = values.pop("region", None)
    filters = filters_class(region=region.pk if region else None, **values)
    with transaction.atomic():
        page = lister(actor=request.user, filters=filters, page=page_number, page_size=page_size)
        check_page(page, page_number)
    return paginated(request, page, row_serializer(page.object_list, many=True).data)


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validated query parameters (other parameters, such as page, are left alone)."""
    names = tuple(serializer_class().fields)
    return validated(serializer_class, _only(request.query_params, names))


_ROUTE_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


@cache
def documented_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """(path template, method) -> the query parameters the OpenAPI schema documents."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented: dict[tuple[str, str], frozenset[str]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            documented[(path, method.upper())] = frozenset(names)
    return documented


def _refuse_unknown_query_parameters(request: Request) -> None:
    """A misspelt filter (``?regon=syd``) must not quietly return everything the filter was meant
    to leave out: query parameters the schema does not document are refused."""
    if not request.query_params:
        return
    if any(_has_nul(value) for value in request.query_params.values()):
        raise ValidationError(_("Text may not contain NUL characters."))
    match = request.resolver_match
    if match is None:
        return
    path = "/" + _ROUTE_PARAMETER.sub(r"{\1}", match.route)
    allowed = documented_query_parameters().get((path, request.method))
    if allowed is None:
        return
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
