"""Referrals: sharing a case with another agency, and the receiving agency's answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.api.base import ApiView, expected_version, validated
from nmt.api.schema import IF_MATCH, responses
from nmt.api.selectors import access_case_referral, referral_get, referral_list
from nmt.api.serializers import (
    ReferralActionSerializer,
    ReferralCreateSerializer,
    ReferralDeclineSerializer,
    ReferralSerializer,
)
from nmt.cases.models import Referral
from nmt.cases.selectors import access_case, referral_inbox
from nmt.cases.services import (
    referral_accept,
    referral_close,
    referral_create,
    referral_decline,
)


def referral_or_gone(request: Request, case_number: str, referral_id: int) -> Response:
    """The referral as saved. Declining or closing it ends the receiver's access to the case:
    they get 204, the answer is saved and there is nothing more to show them."""
    try:
        referral = referral_get(
            actor=request.user, case_number=case_number, referral_id=referral_id
        )
    except Http404:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(ReferralSerializer(referral).data)


class ReferralListView(ApiView):
    @extend_schema(
        summary="The case's referrals, newest first",
        responses=responses({200: ReferralSerializer(many=True)}, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        referrals = referral_list(actor=request.user, case_number=case_number)
        return Response(ReferralSerializer(referrals, many=True).data)

    @extend_schema(
        summary="Refer the case to another agency on a recorded legal ground (owners)",
        request=ReferralCreateSerializer,
        responses=responses({201: ReferralSerializer}, 400, 404, 415),
    )
    def post(self, request: Request, case_number: str) -> Response:
        values = validated(ReferralCreateSerializer, request.data)
        with transaction.atomic():
            case = access_case(request.user, case_number)
            referral = referral_create(actor=request.user, case=case, **values)
            referral = referral_get(
                actor=request.user, case_number=case_number, referral_id=referral.pk
            )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(ApiView):
    @extend_schema(summary="One referral", responses=responses({200: ReferralSerializer}, 404))
    def get(self, request: Request, case_number: str, referral_id: int) -> Response:
        referral = referral_get(
            actor=request.user, case_number=case_number, referral_id=referral_id
        )
        return Response(ReferralSerializer(referral).data)


class _ReferralActionView(ApiView):
    # A step in a referral's life; each subclass names its service and body. (A docstring here
    # would be the description of its operations in the schema.)

    body: type[serializers.Serializer] = ReferralActionSerializer

    def act(self, actor: Any, referral: Referral, version: int, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, case_number: str, referral_id: int) -> Response:
        values = validated(self.body, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            referral = access_case_referral(request.user, case_number, referral_id)
            self.act(request.user, referral, version, values)
            return referral_or_gone(request, case_number, referral_id)

    def conflict_current(self) -> Any:
        referral = referral_get(
            actor=self.request.user,
            case_number=self.kwargs["case_number"],
            referral_id=self.kwargs["referral_id"],
        )
        return ReferralSerializer(referral).data


def _action_schema(summary: str, body: type[serializers.Serializer]) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        request=body,
        parameters=[IF_MATCH],
        responses=responses(
            {200: ReferralSerializer, 204: None}, 400, 404, 415, conflict=ReferralSerializer
        ),
    )


class ReferralAcceptView(_ReferralActionView):
    @_action_schema("Accept a referral (the receiving agency)", ReferralActionSerializer)
    def post(self, request: Request, case_number: str, referral_id: int) -> Response:
        return super().post(request, case_number, referral_id)

    def act(self, actor: Any, referral: Referral, version: int, values: dict[str, Any]) -> Any:
        return referral_accept(actor=actor, referral=referral, expected_version=version)


class ReferralDeclineView(_ReferralActionView):
    body = ReferralDeclineSerializer

    @_action_schema(
        "Decline a referral with a reason (the receiving agency; access ends)",
        ReferralDeclineSerializer,
    )
    def post(self, request: Request, case_number: str, referral_id: int) -> Response:
        return super().post(request, case_number, referral_id)

    def act(self, actor: Any, referral: Referral, version: int, values: dict[str, Any]) -> Any:
        return referral_decline(
            actor=actor,
            referral=referral,
            expected_version=version,
            reason=values["decline_reason"],
        )


class ReferralCloseView(_ReferralActionView):
    @_action_schema(
        "Close a referral (the sender's owners or the receiver; the receiver's access ends)",
        ReferralActionSerializer,
    )
    def post(self, request: Request, case_number: str, referral_id: int) -> Response:
        return super().post(request, case_number, referral_id)

    def act(self, actor: Any, referral: Referral, version: int, values: dict[str, Any]) -> Any:
        return referral_close(actor=actor, referral=referral, expected_version=version)


class ReferralInboxView(ApiView):
    @extend_schema(
        summary="Open referrals to your agency (and region), oldest first",
        responses=responses({200: ReferralSerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        return Response(ReferralSerializer(referral_inbox(actor=request.user), many=True).data)
