"""The secretary's views of one agenda item: text with preview and stale-edit check,
order, attachments, decision, absence and conflicts, votes, dissent and addenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gremium.audit.services import Actor
from gremium.lib.busy import DatabaseBusy, retry_when_busy
from gremium.lib.errors import DomainError
from gremium.lib.markdown import markdown_to_html
from gremium.lib.upload_limit import upload_refusal
from gremium.meetings import services
from gremium.meetings.access import access_item_for_edit
from gremium.meetings.models import AgendaItem, DecisionOutcome, ItemParticipationKind, VoteChoice
from gremium.meetings.selectors import members_on_day
from gremium.meetings.services import drafts
from gremium.office.actions import report_form_errors, run, run_form
from gremium.office.forms import (
    AddendumForm,
    AttachmentForm,
    DecisionForm,
    DissentForm,
    ItemTextForm,
    ParticipationForm,
    VoteForm,
)
from gremium.office.sections import draft_form


def _context(item: AgendaItem, text_form: ItemTextForm, **extra: Any) -> dict[str, Any]:
    meeting = item.meeting
    people = members_on_day(meeting)
    decision = getattr(item, "decision", None)
    return {
        "item": item,
        "meeting": meeting,
        "form": text_form,
        "attachment_form": AttachmentForm(),
        "decision_form": DecisionForm(
            initial={"outcome": decision.outcome, "text": decision.text} if decision else None
        ),
        "participation_form": ParticipationForm(people=people),
        "vote_form": VoteForm(people=people),
        "dissent_form": DissentForm(people=people),
        "addendum_form": AddendumForm(),
        "locked": meeting.content_locked,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    if request.method == "GET":
        restored, draft = draft_form(request.user, item)
        if restored is not None and request.GET.get("kladde") == "1":
            context = _context(item, restored, draft=draft, restored=True)
            return render(request, "office/item.html", context)
        context = _context(item, ItemTextForm.for_item(item), draft=draft)
        return render(request, "office/item.html", context)
    if "add_section" in request.POST:  # without JS: the same form with one more section
        more = ItemTextForm(request.POST, section_count=_section_count(request) + 1)
        return render(request, "office/item.html", _context(item, more))
    form = ItemTextForm(request.POST, section_count=_section_count(request))
    if not form.is_valid():
        report_form_errors(request, form)
        return render(request, "office/item.html", _context(item, form), status=400)
    if "preview" in request.POST:
        return render(request, "office/item.html", _context(item, form, preview=_preview(form)))
    return _save_text(request, item, form)


def _section_count(request: HttpRequest) -> int:
    raw = request.POST.get("section_count", "0")
    return min(int(raw), 50) if raw.isdigit() else 0


def _preview(form: ItemTextForm) -> list[tuple[str, Any]]:
    # lib.markdown escapes raw HTML, so the preview is as safe as the published page.
    return [
        (heading, mark_safe(markdown_to_html(body)))  # noqa: S308
        for heading, body in form.sections()
        if heading.strip() or body.strip()
    ]


def _save_text(request: HttpRequest, item: AgendaItem, form: ItemTextForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        retry_when_busy(
            lambda: services.agenda_item_edit(
                item=item,
                by=Actor.of(request.user),
                expected_version=data["version"],
                title=data["title"],
                public=data["public"],
                public_title=data["public_title"],
                sections=form.sections(),
            )
        )
    except services.StaleEdit as error:
        # Keep the user's input in the form and show what the other person saved.
        item.refresh_from_db()
        context = _context(item, form, stale=error.message, changes=_changes(item, form))
        return render(request, "office/item.html", context, status=409)
    except services.MeetingLocked as error:
        context = _context(item, form, error=error.message)
        return render(request, "office/item.html", context, status=409)
    except DatabaseBusy as error:
        message = f"{error.message} {_('Din tekst står stadig i formularen.')}"
        return render(request, "office/item.html", _context(item, form, error=message), status=503)
    except DomainError as error:
        context = _context(item, form, error=error.message)
        return render(request, "office/item.html", context, status=400)
    drafts.draft_discard(user=request.user, item=item)  # saved: the draft has served
    run(request, lambda: None, _("Punktet er gemt."))
    return redirect("office:item", item_id=item.pk)


def _changes(item: AgendaItem, form: ItemTextForm) -> list[dict[str, str]]:
    data = form.cleaned_data
    current = [(s.heading, s.body) for s in item.sections.order_by("order")]
    mine = [(h, b) for h, b in form.sections() if h.strip() or b.strip()]
    rows = [(_("Titel"), item.title, data["title"])]
    rows.append((_("Offentlig titel"), item.public_title, data["public_title"]))
    for n in range(max(len(current), len(mine))):
        theirs = current[n] if n < len(current) else ("", "")
        ours = mine[n] if n < len(mine) else ("", "")
        rows.append((theirs[0] or ours[0], theirs[1], ours[1]))
    return [
        {"field": field, "current": now, "yours": yours}
        for field, now, yours in rows
        if now.strip() != yours.strip()
    ]


@login_required
@require_POST
def item_move(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    up = request.POST.get("direction") == "up"
    run(
        request,
        lambda: services.agenda_item_move(item=item, up=up, by=Actor.of(request.user)),
        _("Punktet er flyttet."),
    )
    return redirect("office:meeting", meeting_id=item.meeting_id)


@login_required
@require_POST
def attachment_add(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = AttachmentForm(request.POST, request.FILES)
    refused = upload_refusal(request)  # too large: stopped before its bytes were read
    if refused is not None:
        messages.error(request, refused.message)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()  # once: `run` calls the service again when the database is busy
        run(
            request,
            lambda: services.attachment_add(
                item=item,
                filename=upload.name,
                content=content,
                public=form.cleaned_data["public"],
                by=Actor.of(request.user),
            ),
            _("Bilaget er tilføjet."),
        )
    else:
        report_form_errors(request, form)
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def decision(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = DecisionForm(request.POST)
    run_form(
        request,
        form,
        lambda data: services.decision_record(
            item=item,
            outcome=DecisionOutcome(data["outcome"]),
            text=data["text"],
            by=Actor.of(request.user),
        ),
        _("Beslutningen er gemt."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def participation(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = ParticipationForm(request.POST, people=members_on_day(item.meeting))
    run_form(
        request,
        form,
        lambda data: services.item_participation_add(
            item=item,
            person=data["person"],
            kind=ItemParticipationKind(data["kind"]),
            note=data["note"],
            by=Actor.of(request.user),
        ),
        _("Fravær/inhabilitet er gemt."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def participation_remove(request: HttpRequest, item_id: int, participation_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    found = get_object_or_404(item.participations, pk=participation_id)
    run(
        request,
        lambda: services.item_participation_remove(participation=found, by=Actor.of(request.user)),
        _("Fravær/inhabilitet er fjernet."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def vote(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = VoteForm(request.POST, people=members_on_day(item.meeting))
    run_form(
        request,
        form,
        lambda data: services.vote_record(
            item=item,
            person=data["person"],
            choice=VoteChoice(data["choice"]),
            by=Actor.of(request.user),
        ),
        _("Stemmen er gemt."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def dissent(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = DissentForm(request.POST, people=members_on_day(item.meeting))
    run_form(
        request,
        form,
        lambda data: services.dissent_add(
            item=item, person=data["person"], text=data["text"], by=Actor.of(request.user)
        ),
        _("Protokoltilførslen er gemt."),
    )
    return redirect("office:item", item_id=item.pk)


@login_required
@require_POST
def addendum(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item_for_edit(request.user, item_id)
    form = AddendumForm(request.POST)
    run_form(
        request,
        form,
        lambda data: services.meeting_add_addendum(
            item=item, text=data["text"], reason=data["reason"], by=Actor.of(request.user)
        ),
        _("Tilføjelsen er gemt; referatet skal godkendes igen."),
    )
    return redirect("office:item", item_id=item.pk)
