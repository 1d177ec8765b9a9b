"""Running a service from a view: a refusal becomes a message, never a half-done change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gremium.lib.busy import retry_when_busy
from gremium.lib.errors import DomainError


def run(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Call the service (again, if the database was busy); report success or its refusal."""
    try:
        retry_when_busy(action)
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


def run_form(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], object], done: str
) -> bool:
    """Validate the form, then run the service with its cleaned data; a wrong field or a
    refusal becomes a message and nothing is changed."""
    if not form.is_valid():
        report_form_errors(request, form)
        return False
    return run(request, lambda: action(form.cleaned_data), done)
