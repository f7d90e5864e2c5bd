"""API tokens that expire, like sessions do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token: Token) -> bool:
    lifetime = timedelta(seconds=settings.NMT_API_TOKEN_SECONDS)
    return token.created < timezone.now() - lifetime


def token_for(user: Any) -> Token:
    """The user's live token, replacing one that has expired."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token is valid for ``NMT_API_TOKEN_SECONDS`` after it was issued (8 hours by default):
    a stolen token stops working, and integrations fetch a new one each working day."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("The token has expired; ask for a new one."))
        return user, token
