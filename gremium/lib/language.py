"""The interface language: Danish unless the visitor chose another with the switcher.

The browser's Accept-Language is ignored on purpose. A council's site is Danish; many Danes
run browsers set to English, and a page that switched on its own would mix an English frame
with the Danish record. Only the language cookie, which Django's `set_language` view writes
when someone uses the switcher in base.html, changes the language."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

P = ParamSpec("P")


def chosen_language(request: HttpRequest) -> str:
    """The language in the cookie when it is one of LANGUAGES, else the default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Content-Language on every response) with the language
    taken from the switcher's cookie alone."""

    def process_request(self, request: HttpRequest) -> None:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Pages a shared cache may keep already vary by Cookie (portal/http_cache.py), and
        # their ETags carry the language.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def in_default_language(
    view: Callable[P, HttpResponseBase],
) -> Callable[P, HttpResponseBase]:
    """Run a view in the site's own language whatever the visitor chose: for responses that
    are the same for everyone (feeds, calendars, sitemap) and are cached as such."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE):
            response = view(*args, **kwargs)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return wrapper


def language_etag(etag: str) -> str:
    """The ETag of a page in the active language: the same page in another language is
    another representation, so a client's Danish copy never answers 304 to English."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{language}"'
