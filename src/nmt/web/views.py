from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe; also the trivial view the web benchmark uses as its floor."""
    return HttpResponse("ok", content_type="text/plain")
