"""Turn `TwoFactorRequired` from the access layer into a way forward for the user."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gremium.accounts.two_factor import confirmed_device
from gremium.meetings.access import TwoFactorRequired


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        query = urlencode({"next": request.get_full_path()})
        if confirmed_device(request.user) is None:
            # The exception may say what demands it (the admin does); the access layer's
            # gates leave it to the general sentence.
            reason = str(exception) if exception.args else ""
            messages.warning(
                request,
                reason
                or _("Kommunen kræver totrinsbekræftelse for at redigere og godkende referater."),
            )
            return redirect(f"/konto/totrin/?{query}")
        # A device exists but this login did not use it: log in again with the code.
        messages.warning(request, _("Log ind igen med din engangskode."))
        return redirect(f"/konto/log-ind/?{query}")
