"""Support-line calls (stödtelefonen): the support line's staff only; everyone else sees none."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.api.base import (
    ApiView,
    Pagination,
    expected_version,
    filtered_list,
    validated,
)
from nmt.api.schema import IF_MATCH, responses
from nmt.api.serializers import (
    CaseDetailSerializer,
    ContactCreateSerializer,
    ContactFilterSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    OpenCaseSerializer,
)
from nmt.api.views.cases import case_detail_or_gone
from nmt.supportline.selectors import (
    ContactFilters,
    access_contact,
    contact_get,
    contact_list,
)
from nmt.supportline.services import contact_create, contact_open_case, contact_update


class ContactListView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        summary="List and search support-line calls, newest first",
        parameters=[ContactFilterSerializer],
        responses=responses({200: ContactSerializer(many=True)}, 400, 404),
    )
    def get(self, request: Request) -> Response:
        return filtered_list(
            request,
            filter_serializer=ContactFilterSerializer,
            filters_class=ContactFilters,
            lister=contact_list,
            row_serializer=ContactSerializer,
        )

    @extend_schema(
        summary="Log a call (support line)",
        request=ContactCreateSerializer,
        responses=responses({201: ContactSerializer}, 400, 415),
    )
    def post(self, request: Request) -> Response:
        values = validated(ContactCreateSerializer, request.data)
        with transaction.atomic():
            contact = contact_create(actor=request.user, **values)
            contact = contact_get(actor=request.user, contact_id=contact.pk)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(ApiView):
    @extend_schema(summary="One call", responses=responses({200: ContactSerializer}, 404))
    def get(self, request: Request, contact_id: int) -> Response:
        contact = contact_get(actor=request.user, contact_id=contact_id)
        return Response(ContactSerializer(contact).data)

    @extend_schema(
        summary="Change a call's record (support line)",
        request=ContactUpdateSerializer,
        parameters=[IF_MATCH],
        responses=responses({200: ContactSerializer}, 400, 404, 415, conflict=ContactSerializer),
    )
    def patch(self, request: Request, contact_id: int) -> Response:
        values = validated(ContactUpdateSerializer, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            contact = access_contact(request.user, contact_id)
            contact_update(actor=request.user, contact=contact, expected_version=version, **values)
            contact = contact_get(actor=request.user, contact_id=contact_id)
        return Response(ContactSerializer(contact).data)

    def conflict_current(self) -> Any:
        contact = contact_get(actor=self.request.user, contact_id=self.kwargs["contact_id"])
        return ContactSerializer(contact).data


class ContactOpenCaseView(ApiView):
    @extend_schema(
        summary="Open a case from a call, without identifying data (support line)",
        request=OpenCaseSerializer,
        responses=responses({201: CaseDetailSerializer, 204: None}, 400, 404, 415),
    )
    def post(self, request: Request, contact_id: int) -> Response:
        values = validated(OpenCaseSerializer, request.data)
        with transaction.atomic():
            contact = access_contact(request.user, contact_id)
            case = contact_open_case(
                actor=request.user, contact=contact, region=values.get("region")
            )
            return case_detail_or_gone(request, case.case_number, status.HTTP_201_CREATED)
