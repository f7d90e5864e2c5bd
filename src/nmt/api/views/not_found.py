"""The answer for paths under /api/ that name nothing: the API's JSON 404, not an HTML page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from nmt.api.base import ApiView


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before method dispatch, so every method gets 404 rather than 405.
        super().initial(request, *args, **kwargs)
        raise NotFound
