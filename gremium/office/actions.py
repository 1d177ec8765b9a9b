"""Running a service from a view: a refusal becomes a message, never a half-done change."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gremium.lib.errors import DomainError


def run(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Call the service; report success or its refusal to the user."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, done)
    return True


def report_form_errors(request: HttpRequest, form: forms.Form) -> None:
    """Name each field that was wrong, so the user knows what to fix."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else _("Formularen")
        for error in errors:
            messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": error})
