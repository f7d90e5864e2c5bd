"""Who is asking, as far as the network can tell."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit and for rate limits.

    Never whatever X-Forwarded-For the client sends (a new value per attempt would lift every
    limit): the peer's address, or behind the platform's TLS proxy the address that proxy
    appended last."""
    if settings.SECURE_PROXY_SSL_HEADER:
        appended = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if appended:
            return appended
    return request.META.get("REMOTE_ADDR") or None
