"""The members' view of published minutes: read, "Godkend" (optionally with a
reservation on a named item), or withdraw one's own approval."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gremium.audit.services import Actor
from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings import services
from gremium.meetings.access import access_meeting_for_approval
from gremium.meetings.models import Addendum, MeetingState
from gremium.meetings.selectors import active_approval
from gremium.office.actions import report_form_errors, run
from gremium.office.forms import ApprovalForm


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, person = access_meeting_for_approval(request.user, meeting_id)
    form = ApprovalForm(
        request.POST if request.method == "POST" else None, items=meeting.items.order_by("order")
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            ok = run(
                request,
                lambda: services.minutes_approve(
                    meeting=meeting,
                    person=person,
                    reservation=data["reservation"],
                    reservation_item=data["reservation_item"],
                    by=Actor.of(request.user),
                ),
                _("Du har godkendt referatet."),
            )
            if ok:
                return redirect("office:approve", meeting_id=meeting.pk)
        else:
            report_form_errors(request, form)
    return render(request, "office/approve.html", _context(meeting, person, form))


def _context(meeting, person, form):  # type: ignore[no-untyped-def]
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    mine = active_approval(meeting, person)
    valid = services.valid_approvals(meeting).filter(person=person).exists()
    # Addenda made after the member's last approval: what changed since they signed.
    last = meeting.approvals.filter(person=person).order_by("-approved_at").first()
    changed = Addendum.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item")
    if last is not None:
        changed = changed.filter(date__gt=last.approved_at)
    return {
        "meeting": meeting,
        "person": person,
        "form": form,
        "document_html": render_html(document),
        "signatures": [s for s in document.signatures if s.signed_at],
        "approved_now": valid,
        "can_withdraw": mine is not None and meeting.state == MeetingState.MINUTES_PUBLISHED,
        "open": meeting.state == MeetingState.MINUTES_PUBLISHED,
        "changed": changed if last is not None else [],
    }


@login_required
@require_POST
def withdraw(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, person = access_meeting_for_approval(request.user, meeting_id)
    run(
        request,
        lambda: services.approval_withdraw(
            meeting=meeting, person=person, by=Actor.of(request.user)
        ),
        _("Din godkendelse er trukket tilbage."),
    )
    return redirect("office:approve", meeting_id=meeting.pk)
