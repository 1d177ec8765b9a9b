"""How a portal page is scoped by its address: to one body (`kommune=` or
/kommuner/<slug>/) when the deployment holds several, and the error a bad filter gives.

A filter that names nothing that exists is an error the reader is told about (404 with
what was asked), never a silently wider list."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from gremium.organizations.models import Body, Organization


class BadFilter(Exception):
    def __init__(self, status: int, title: str, explanation: str) -> None:
        super().__init__(title)
        self.status, self.title, self.explanation = status, title, explanation


def body_from_query(request: HttpRequest) -> Body | None:
    """The body `kommune=` names, or None when the address names none."""
    slug = request.GET.get("kommune", "").strip()
    if not slug:
        return None
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise BadFilter(
            404,
            _("Kommunen findes ikke"),
            _("Der er ingen kommune med adressenavnet »%(slug)s« (kommune=).")
            % {"slug": slug[:80]},
        )
    return body


def check_in_body(organization: Organization | None, body: Body | None) -> None:
    """A committee asked for together with another body than its own is a contradiction,
    not an empty list."""
    if organization is not None and body is not None and organization.body_id != body.pk:
        raise BadFilter(
            404,
            _("Udvalget hører ikke til kommunen"),
            _("Udvalget »%(organization)s« hører ikke til %(body)s (udvalg= og kommune=).")
            % {"organization": organization.name, "body": body.name},
        )
