"""The item editor's helpers: the preview fetched by the editor's script (the same
Markdown renderer as the published page) and the autosaved drafts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gremium.lib.errors import DomainError
from gremium.lib.markdown import markdown_to_html
from gremium.meetings.access import access_item_for_edit
from gremium.meetings.models import AgendaItem, ItemDraft
from gremium.meetings.services import drafts
from gremium.office.forms import ItemTextForm


def section_count(request: HttpRequest) -> int:
    raw = request.POST.get("section_count", "0")
    return min(int(raw), 50) if raw.isdigit() else 0


@login_required
@require_POST
def item_preview(request: HttpRequest, item_id: int) -> HttpResponse:
    """The sections as the published page will show them, as an HTML fragment."""
    access_item_for_edit(request.user, item_id)
    form = ItemTextForm(request.POST, section_count=section_count(request))
    form.is_valid()  # a missing title does not stop the preview of the texts
    data = form.cleaned_data
    preview = []
    for n in range(form.section_count):
        heading, body = data.get(f"heading_{n}", ""), data.get(f"body_{n}", "")
        if heading.strip() or body.strip():
            # lib.markdown escapes raw HTML, so the preview is as safe as the published page.
            preview.append((heading, mark_safe(markdown_to_html(body))))  # noqa: S308
    return render(request, "office/_preview.html", {"preview": preview})


@login_required
@require_POST
def item_draft(request: HttpRequest, item_id: int) -> HttpResponse:
    """The editor's autosave: the form as it stands, kept as the user's draft."""
    item = access_item_for_edit(request.user, item_id)
    version = request.POST.get("item-version", "")
    if not version.isdigit():
        return JsonResponse({"error": _("Kladden mangler punktets version.")}, status=400)
    fields = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
    try:
        drafts.draft_save(user=request.user, item=item, base_version=int(version), fields=fields)
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"saved": True})


@login_required
@require_POST
def item_draft_discard(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    drafts.draft_discard(user=request.user, item=item)
    messages.success(request, _("Kladden er kasseret."))
    return redirect("office:item", item_id=item.pk)


def draft_form(user: Any, item: AgendaItem) -> tuple[ItemTextForm | None, ItemDraft | None]:
    """The user's draft as a form to restore, and the draft itself; (None, None) when the
    user has none. The form keeps the draft's base version, so saving a draft made
    before someone else's save is refused as stale."""
    draft = drafts.draft_of(user, item)
    if draft is None:
        return None, None
    data = {**draft.data, "item-version": str(draft.base_version)}
    count = sum(1 for k in data if k.startswith("item-heading_"))
    form = ItemTextForm(data, section_count=max(count - 1, 0))
    return form, draft
