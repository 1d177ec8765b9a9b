"""Putting the agenda in order and clearing it: the whole order in one request (drag and
drop), one item to a position (the keyboard fallback), deleting an item after a
confirmation, and removing, renaming and reordering an item's bilag."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gremium.audit.services import Actor
from gremium.lib.busy import retry_when_busy
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.access import access_item_for_edit, access_meeting_for_edit
from gremium.meetings.models import AgendaItem
from gremium.office.actions import report_form_errors, run, run_form
from gremium.office.reorder_forms import AttachmentRenameForm, MoveToForm
from gremium.papers.models import Attachment


def _ids(raw: str) -> list[int] | None:
    """'3,1,2' as ids; None when any part is not a number."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    return [int(p) for p in parts] if all(p.isdigit() for p in parts) else None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def items_reorder(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The new order of every item, sent once when a drag ends."""
    meeting = access_meeting_for_edit(request.user, meeting_id)
    ids = _ids(request.POST.get("order", ""))
    try:
        if ids is None:
            raise DomainError(_("Rækkefølgen skal være punkternes numre adskilt af komma."))
        retry_when_busy(
            lambda: services.agenda_items_reorder(
                meeting=meeting, item_ids=ids, by=Actor.of(request.user)
            )
        )
    except DomainError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
        return redirect("office:meeting", meeting_id=meeting.pk)
    if _wants_json(request):
        items = meeting.items.order_by("order")
        return JsonResponse({"items": [{"id": x.pk, "label": x.label} for x in items]})
    run(request, lambda: None, _("Rækkefølgen er gemt."))
    return redirect("office:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def item_move_to(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = MoveToForm(request.POST, prefix=f"move-{item.pk}")
    run_form(
        request,
        form,
        lambda data: services.agenda_item_move_to(
            item=item, position=data["position"], by=Actor.of(request.user)
        ),
        _("Punktet er flyttet."),
    )
    return redirect("office:meeting", meeting_id=item.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    published = item.meeting.agenda_published_at is not None
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        done = run(
            request,
            lambda: services.agenda_item_delete(item=item, by=Actor.of(request.user)),
            _("Punktet er slettet."),
        )
        if done:
            return redirect("office:meeting", meeting_id=item.meeting_id)
        return redirect("office:item", item_id=item.pk)
    context = {"item": item, "meeting": item.meeting, "published": published}
    return render(request, "office/item_delete.html", context)


def _attachment(item: AgendaItem, attachment_id: int) -> Attachment:
    return get_object_or_404(Attachment, pk=attachment_id, agenda_item=item)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    attachment = _attachment(item, attachment_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        run(
            request,
            lambda: services.attachment_remove(attachment=attachment, by=Actor.of(request.user)),
            _("Bilaget er fjernet."),
        )
        return redirect("office:item", item_id=item.pk)
    context = {
        "item": item,
        "meeting": item.meeting,
        "attachment": attachment,
        "published": item.meeting.agenda_published_at is not None,
    }
    return render(request, "office/attachment_remove.html", context)


@login_required
@require_POST
def attachment_rename(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    attachment = _attachment(item, attachment_id)
    form = AttachmentRenameForm(request.POST, prefix=f"rename-{attachment.pk}")
    run_form(
        request,
        form,
        lambda data: services.attachment_rename(
            attachment=attachment, name=data["name"], by=Actor.of(request.user)
        ),
        _("Bilaget er omdøbt."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def attachment_move(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    """One bilag to a position (1 = first) among the item's bilag."""
    item = access_item_for_edit(request.user, item_id)
    attachment = _attachment(item, attachment_id)
    form = MoveToForm(request.POST, prefix=f"attachment-move-{attachment.pk}")
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("office:item", item_id=item.pk)
    ids = list(item.attachments.order_by("order", "id").values_list("pk", flat=True))
    position = form.cleaned_data["position"]
    ids.remove(attachment.pk)
    ids.insert(min(position, len(ids) + 1) - 1, attachment.pk)
    run(
        request,
        lambda: services.attachments_reorder(
            item=item, attachment_ids=ids, by=Actor.of(request.user)
        ),
        _("Bilaget er flyttet."),
    )
    return redirect("office:item", item_id=item.pk)
