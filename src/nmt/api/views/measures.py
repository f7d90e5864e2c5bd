"""Measures of a case: reflection period, residence permit, safe housing, ..."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.api.base import ApiView, expected_version, validated
from nmt.api.schema import IF_MATCH, responses
from nmt.api.selectors import access_case_measure, measure_get, measure_list
from nmt.api.serializers import (
    MeasureCreateSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
)
from nmt.cases.selectors import access_case
from nmt.cases.services import measure_add, measure_update


class MeasureListView(ApiView):
    @extend_schema(
        summary="The case's measures, by end date",
        responses=responses({200: MeasureSerializer(many=True)}, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        measures = measure_list(actor=request.user, case_number=case_number)
        return Response(MeasureSerializer(measures, many=True).data)

    @extend_schema(
        summary="Add a measure (owners and receivers of an accepted referral)",
        request=MeasureCreateSerializer,
        responses=responses({201: MeasureSerializer}, 400, 404, 415),
    )
    def post(self, request: Request, case_number: str) -> Response:
        values = validated(MeasureCreateSerializer, request.data)
        with transaction.atomic():
            case = access_case(request.user, case_number)
            measure = measure_add(actor=request.user, case=case, **values)
            measure = measure_get(
                actor=request.user, case_number=case_number, measure_id=measure.pk
            )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureDetailView(ApiView):
    @extend_schema(summary="One measure", responses=responses({200: MeasureSerializer}, 404))
    def get(self, request: Request, case_number: str, measure_id: int) -> Response:
        measure = measure_get(actor=request.user, case_number=case_number, measure_id=measure_id)
        return Response(MeasureSerializer(measure).data)

    @extend_schema(
        summary="Change a measure (owners and receivers of an accepted referral)",
        request=MeasureUpdateSerializer,
        parameters=[IF_MATCH],
        responses=responses({200: MeasureSerializer}, 400, 404, 415, conflict=MeasureSerializer),
    )
    def patch(self, request: Request, case_number: str, measure_id: int) -> Response:
        values = validated(MeasureUpdateSerializer, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            measure = access_case_measure(request.user, case_number, measure_id)
            measure_update(actor=request.user, measure=measure, expected_version=version, **values)
            measure = measure_get(
                actor=request.user, case_number=case_number, measure_id=measure_id
            )
        return Response(MeasureSerializer(measure).data)

    def conflict_current(self) -> Any:
        measure = measure_get(
            actor=self.request.user,
            case_number=self.kwargs["case_number"],
            measure_id=self.kwargs["measure_id"],
        )
        return MeasureSerializer(measure).data
