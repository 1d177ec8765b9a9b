"""The item editor's helpers: the preview fetched by the editor's script (the same
Markdown renderer as the published page) and one more empty section without JS."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gremium.lib.markdown import markdown_to_html
from gremium.meetings.access import access_item_for_edit
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
