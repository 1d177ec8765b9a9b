"""The site's error pages (400, 403, CSRF failure, 404, 429, 500): Danish, in the site's
layout, saying what happened and leading back.

Every page is the one template errors/error.html. The 500 page is rendered without the
request, so neither the session, the user nor the database is touched while the site is
already failing; the other pages get the request's context like any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

TEMPLATE = "errors/error.html"


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def render_error(
    request: HttpRequest | None,
    *,
    status: int,
    title: str,
    explanation: str,
    links: list[Link] | None = None,
) -> HttpResponse:
    """An error page. `request=None` renders without the request's context (for 500)."""
    home = Link(reverse("portal:home"), _("Gå til forsiden"))
    back = _back_link(request) if request is not None else None
    context = {
        "status": status,
        "title": title,
        "explanation": explanation,
        "links": [link for link in [back, *(links or []), home] if link is not None],
    }
    return HttpResponse(render_to_string(TEMPLATE, context, request), status=status)


def _back_link(request: HttpRequest) -> Link | None:
    """The page the visitor came from, if it is on this site; only its path is used, so
    the link cannot lead elsewhere. The Host header is compared as sent: validating it
    (get_host) raises again on the very request a 400 page answers."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if not referer.path.startswith("/") or referer.path.startswith("//"):
        return None
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    if referer.netloc != host:
        return None
    if referer.path == request.path:
        return None
    url = referer.path + (f"?{referer.query}" if referer.query else "")
    return Link(url, _("Gå tilbage til den forrige side"))


def _login_link(request: HttpRequest) -> Link | None:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    query = urlencode({"next": request.get_full_path()})
    return Link(f"{reverse('accounts:login')}?{query}", _("Log ind"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(
        request,
        status=400,
        title=_("Forespørgslen kunne ikke forstås"),
        explanation=_(
            "Serveren kunne ikke behandle forespørgslen, fordi den var ufuldstændig eller "
            "ugyldig. Prøv at åbne siden igen fra forsiden."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A PermissionDenied raised by gremium carries a Danish sentence for the user; one
    # raised by Django itself carries none, and then the general text stands alone.
    reason = str(exception) if exception is not None and exception.args else ""
    general = _("Du har ikke adgang til denne side eller handling.")
    login = _login_link(request)
    return render_error(
        request,
        status=403,
        title=_("Ingen adgang"),
        explanation=f"{general} {reason}".strip(),
        links=[login] if login else None,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(
        request,
        status=404,
        title=_("Siden findes ikke"),
        explanation=_(
            "Der er ingen side på denne adresse. Den kan være flyttet, eller adressen kan "
            "være skrevet forkert. Et møde, hvis dagsorden endnu ikke er offentliggjort, "
            "vises heller ikke."
        ),
    )


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    return render_error(
        None,
        status=500,
        title=_("Der opstod en fejl"),
        explanation=_(
            "Der skete en fejl hos os, og siden kunne ikke vises. Fejlen er registreret. "
            "Prøv igen om lidt; fortsætter fejlen, så kontakt sekretariatet."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's `reason` is an English note for developers; the visitor needs what to do.
    return render_error(
        request,
        status=403,
        title=_("Formularen kunne ikke sendes"),
        explanation=_(
            "Formularens sikkerhedskontrol slog fejl, så intet blev gemt. Det sker, når "
            "siden har været åben længe, når du har logget ind eller ud i et andet vindue, "
            "eller når browseren afviser cookies fra denne side. Gå tilbage, genindlæs "
            "siden, og prøv igen."
        ),
    )


def too_many_attempts(request: HttpRequest, minutes: int) -> HttpResponse:
    """The login throttle's answer (HTTP 429)."""
    return render_error(
        request,
        status=429,
        title=_("For mange forsøg"),
        explanation=_(
            "For mange mislykkede forsøg på at logge ind. Vent %(minutes)d minutter, og "
            "prøv igen, eller kontakt sekretariatet."
        )
        % {"minutes": minutes},
        links=[Link(reverse("accounts:login"), _("Til siden Log ind"))],
    )
