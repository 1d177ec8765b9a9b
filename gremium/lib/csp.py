"""Content-Security-Policy on every response gremium writes.

Pages may load scripts, styles, images and fonts from the site itself and from nowhere
else; no inline script or style, no plugins, no framing, forms post only to the site.
Every other response (PDFs, attachments, anything a browser might render by itself) is
served with `sandbox`: a document that arrives as data runs nothing in the site's origin.
Static files are answered by WhiteNoise before this middleware, and carry no policy.

A view that sets its own policy keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PAGE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
FILE_POLICY = "sandbox"
HEADER = "Content-Security-Policy"


def policy_for(content_type: str) -> str:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return PAGE_POLICY if media_type == "text/html" else FILE_POLICY


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(response.get("Content-Type", ""))
        return response
