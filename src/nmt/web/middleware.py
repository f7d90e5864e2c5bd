"""Security headers that Django's SecurityMiddleware does not set, and the language choice."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with personal data must not linger in shared or browser caches.
            response.setdefault("Cache-Control", "no-store")
        return response


class LanguageMiddleware:
    """Swedish unless the user chose otherwise.

    The web UI ignores the browser's Accept-Language: Swedish is the working language of the
    network and English is a deliberate choice (the language switch sets a cookie). API clients
    ask for their language with Accept-Language, as HTTP intends.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = chosen
        elif request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class TwoFactorMiddleware:
    """Until the second factor is verified, a logged-in session reaches only the login, logout and
    two-factor pages (and static files). API calls from such a session get 403."""

    OPEN_PREFIXES = ("/login/", "/logout/", "/two-factor/", "/static/", "/healthz/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from nmt.web.two_factor import needs_second_factor

        if needs_second_factor(request) and not request.path.startswith(self.OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": translation.gettext("Verify your second factor first.")},
                    status=403,
                )
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("two-factor-verify")
            )
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps a session alive while it is used, writing it at most once a minute.

    Sessions expire ``SESSION_COOKIE_AGE`` seconds after their last save. Saving on every request
    would cost every page a database write; renewing once a minute keeps the idle timeout exact to
    within that minute."""

    KEY = "_nmt_seen"
    INTERVAL = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.INTERVAL:
                session[self.KEY] = now
        return response


class RejectNulMiddleware:
    """No field of the platform can hold a NUL character (PostgreSQL text cannot): a query string
    or form carrying one is refused with 400 before it reaches a database lookup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sources = (request.GET, request.POST) if request.method == "POST" else (request.GET,)
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    message = translation.gettext("Text may not contain NUL characters.")
                    if request.path.startswith("/api/"):
                        # The API's shape for bad input (see docs/api.md).
                        body = {
                            "detail": translation.gettext("Invalid input."),
                            "errors": {"non_field_errors": [message]},
                        }
                        return JsonResponse(body, status=400)
                    return HttpResponseBadRequest(message)
        return self.get_response(request)
