"""Code lists of the organisation (no personal data): the codes that requests name."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.accounts.models import Agency, Region
from nmt.api.base import ApiView
from nmt.api.schema import responses
from nmt.api.serializers import AgencySerializer, RegionSerializer


class RegionListView(ApiView):
    @extend_schema(
        summary="Regions with their municipalities",
        responses=responses({200: RegionSerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        regions = Region.objects.prefetch_related("counties__municipalities")
        return Response(RegionSerializer(regions, many=True).data)


class AgencyListView(ApiView):
    @extend_schema(
        summary="Agencies and organisations (referral receivers among them)",
        responses=responses({200: AgencySerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        return Response(AgencySerializer(Agency.objects.all(), many=True).data)
