"""The project's URLs plus views that fail on purpose, for the error page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from gremium.urls import handler400, handler403, handler404, handler500
from gremium.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _raises(exception: Exception):
    def view(request: HttpRequest) -> HttpResponse:
        raise exception

    return view


urlpatterns = [
    path("fejl/400/", _raises(SuspiciousOperation("test"))),
    path("fejl/403/", _raises(PermissionDenied)),
    path("fejl/403-besked/", _raises(PermissionDenied("Kun sekretariatet må dette."))),
    path("fejl/500/", _raises(RuntimeError("boom"))),
    *project_urlpatterns,
]
