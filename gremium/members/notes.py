"""Private notes: written on what the user reads as an insider, read back only by them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gremium.lib.document_structure import Audience
from gremium.lib.errors import DomainError
from gremium.meetings.access import access_attachment_for_view, access_meeting_for_view
from gremium.meetings.models import AgendaItem
from gremium.notes.services import MAX_LENGTH, note_save, notes_delete_all


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Min private note"),
        required=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kun du kan se den. Tom note: noten slettes."),
    )


def note_form(prefix: str, text: str = "") -> NoteForm:
    return NoteForm(initial={"text": text}, prefix=prefix)


def _insider_item(user: object, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None or access_meeting_for_view(user, item.meeting_id).audience is not (
        Audience.INTERNAL
    ):
        raise Http404
    return item


def _save(request: HttpRequest, prefix: str, **target: object) -> None:
    form = NoteForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(
            request, _("Noten blev ikke gemt: %(errors)s") % {"errors": form.errors["text"][0]}
        )
        return
    try:
        saved = note_save(author=request.user, text=form.cleaned_data["text"], **target)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error))
        return
    messages.success(request, _("Noten er gemt.") if saved else _("Noten er slettet."))


@require_POST
@login_required
def item_note(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _insider_item(request.user, item_id)
    _save(request, f"note-punkt-{item.pk}", item=item)
    return redirect("members:item", item.pk)


@require_POST
@login_required
def attachment_note(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment_for_view(request.user, attachment_id)
    assert attachment.agenda_item is not None  # the access layer found it through its item
    _insider_item(request.user, attachment.agenda_item.pk)
    _save(request, f"note-bilag-{attachment.pk}", attachment=attachment)
    return redirect("members:item", attachment.agenda_item.pk)


@require_POST
@login_required
def delete_all(request: HttpRequest) -> HttpResponse:
    count = notes_delete_all(author=request.user)
    messages.success(request, _("%(count)s noter er slettet.") % {"count": count})
    return redirect("members:preferences")
