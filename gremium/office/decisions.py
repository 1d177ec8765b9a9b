"""The record page: every item of the meeting with its decision form, saved one item at
a time without leaving the page (fetch), or by a plain POST that returns to the next item
when scripts are off. No outcome is preset: the secretary picks one for every decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from gremium.audit.services import Actor
from gremium.lib.busy import retry_when_busy
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.access import access_item_for_edit, access_meeting_for_edit
from gremium.meetings.models import AgendaItem, DecisionOutcome

NO_CHOICE = [("", gettext_lazy("– vælg udfald –"))]


class RecordDecisionForm(forms.Form):
    """One item's decision; the prefix names the item, so many forms share one page."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Udfald"), choices=NO_CHOICE + DecisionOutcome.choices
    )
    text = forms.CharField(
        label=gettext_lazy("Beslutningstekst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)

    @classmethod
    def for_item(cls, item: AgendaItem, data: Any = None) -> RecordDecisionForm:
        decision = getattr(item, "decision", None)
        initial = {"expected": services.decision_fingerprint(decision)}
        if decision is not None:
            initial |= {"outcome": decision.outcome, "text": decision.text}
        return cls(data, prefix=f"decision-{item.pk}", initial=initial)


@login_required
@require_safe
def record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    items = list(meeting.items.select_related("decision").order_by("order"))
    rows = [(item, RecordDecisionForm.for_item(item)) for item in items]
    return render(request, "office/record.html", {"meeting": meeting, "rows": rows})


@login_required
@require_POST
def record_decision(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = RecordDecisionForm.for_item(item, request.POST)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    error = _save(request, item, form)
    if wants_json:
        item.refresh_from_db()
        fresh = RecordDecisionForm.for_item(AgendaItem.objects.get(pk=item.pk))
        body = {
            "ok": error is None,
            "message": error or _("Beslutningen i punkt %(item)s er gemt.") % {"item": item.label},
            "expected": fresh.initial["expected"],
        }
        return JsonResponse(body, status=200 if error is None else 400)
    if error is None:
        messages.success(
            request, _("Beslutningen i punkt %(item)s er gemt.") % {"item": item.label}
        )
    else:
        messages.error(request, error)
    return redirect(_next_anchor(item, saved=error is None))


def _save(request: HttpRequest, item: AgendaItem, form: RecordDecisionForm) -> str | None:
    """Save the decision; return the message that says what was wrong, or None."""
    if not form.is_valid():
        return "; ".join(
            f"{form.fields[name].label or _('Formularen')}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
    data = form.cleaned_data
    try:
        retry_when_busy(
            lambda: services.decision_record_checked(
                item=item,
                outcome=DecisionOutcome(data["outcome"]),
                text=data["text"],
                expected=data["expected"].replace("\r\n", "\n"),
                by=Actor.of(request.user),
            )
        )
    except DomainError as refusal:
        return refusal.message
    return None


def _next_anchor(item: AgendaItem, *, saved: bool) -> str:
    url = reverse("office:record", kwargs={"meeting_id": item.meeting_id})
    following = (
        AgendaItem.objects.filter(meeting_id=item.meeting_id, order__gt=item.order)
        .order_by("order")
        .first()
    )
    target = following if saved and following is not None else item
    return f"{url}#item-{target.pk}"
