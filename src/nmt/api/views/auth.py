"""API tokens: issued for a username and password, rate-limited, every attempt audited."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from nmt.api.authentication import token_for
from nmt.api.base import ApiView, validated
from nmt.api.schema import responses
from nmt.api.serializers import CredentialsSerializer, TokenSerializer
from nmt.audit.models import Action
from nmt.audit.request import client_ip
from nmt.audit.services import audit_record


class TokenAddressThrottle(SimpleRateThrottle):
    """Attempts per client address: slows password guessing from one machine."""

    scope = "api-token-address"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or ""}


class TokenUsernameThrottle(SimpleRateThrottle):
    """Attempts per username: slows guessing one user's password from many addresses."""

    scope = "api-token-username"
    rate = "5/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username", ""))[:150].casefold()
        if not username:
            return None
        # Hashed: the username is whatever the client sent, and memcached (a shared cache for
        # several servers) refuses keys with spaces or control characters.
        ident = hashlib.sha256(username.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _second_factor_ok(user: Any, values: dict[str, Any]) -> bool:
    if not settings.NMT_REQUIRE_TWO_FACTOR:
        return True
    code = (values.get("otp") or "").replace(" ", "").replace("-", "")
    return bool(code) and match_token(user, code) is not None


class TokenView(ApiView):
    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method == "POST":
            return [TokenAddressThrottle(), TokenUsernameThrottle()]
        return []

    @extend_schema(
        summary="Get your API token for a username and password",
        description=(
            "Send it as `Authorization: Token <token>`. The same token is returned until it is "
            "revoked. Limited to a few attempts a minute per address and per username."
        ),
        request=CredentialsSerializer,
        responses=responses({200: TokenSerializer}, 400, 403, 415, 429, public=True),
        auth=[],
    )
    def post(self, request: Request) -> Response:
        values = validated(CredentialsSerializer, request.data)
        user = authenticate(
            request=request._request, username=values["username"], password=values["password"]
        )
        address = client_ip(request)
        second_factor_failed = user is not None and not _second_factor_ok(user, values)
        with transaction.atomic():
            if user is None:
                audit_record(
                    actor=None,
                    action=Action.LOGIN_FAILED,
                    details={"via": "api-token", "username": values["username"]},
                    ip_address=address,
                )
            elif second_factor_failed:
                audit_record(
                    actor=user,
                    action=Action.SECOND_FACTOR_FAILED,
                    details={"via": "api-token"},
                    ip_address=address,
                )
            else:
                token = token_for(user)
                audit_record(
                    actor=user,
                    action=Action.LOGIN,
                    details={"via": "api-token"},
                    ip_address=address,
                )
        if user is None:
            # Committed above: a failed attempt is audited even though the request fails.
            raise ValidationError(_("Unable to log in with the username and password given."))
        if second_factor_failed:
            raise ValidationError(
                {"otp": [_("Give a valid code of your second factor (set it up in the web app).")]}
            )
        return Response({"token": token.key})

    @extend_schema(
        summary="Revoke your API token",
        request=None,
        responses=responses({204: None}),
    )
    def delete(self, request: Request) -> Response:
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            audit_record(
                actor=request.user,
                action=Action.LOGOUT,
                details={"via": "api-token"},
                ip_address=client_ip(request),
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
