"""The secretary's views of whole meetings: dashboard, create, workspace, state changes,
attendance and the audit history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gremium.audit.selectors import audit_history_for_meeting
from gremium.audit.services import Actor
from gremium.jobs.selectors import meeting_job_trouble
from gremium.meetings import services
from gremium.meetings.access import access_meeting_for_edit, organizations_for_office
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.selectors import meetings_to_approve, members_on_day, office_meetings
from gremium.office.actions import report_form_errors, run, run_form
from gremium.office.forms import DEFAULT_HEADINGS, ItemAddForm, MeetingCreateForm, MeetingEditForm
from gremium.office.paging import page_of
from gremium.office.progress import progress_for

MAX_TEMPLATE_LINKS = 50  # an administrator sees every organization: keep the page short


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "meetings": page_of(request, office_meetings(request.user), "side"),
        "can_create": organizations_for_office(request.user).exists(),
        "templates": organizations_for_office(request.user)[:MAX_TEMPLATE_LINKS],
        "to_approve": page_of(request, meetings_to_approve(request.user), "godkend"),
    }
    return render(request, "office/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for_office(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = MeetingCreateForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            created: list[Meeting] = []
            ok = run(
                request,
                lambda: created.append(
                    services.meeting_create_from(
                        organization=data["organization"],
                        start=data["start"],
                        name=data["name"],
                        location=data["location"],
                        source=services.MeetingStart(data["source"] or "template"),
                        by=Actor.of(request.user),
                    )
                ),
                _("Mødet er oprettet med de faste punkter."),
            )
            if ok:
                return redirect("office:meeting", meeting_id=created[0].pk)
        else:
            report_form_errors(request, form)
    return render(request, "office/meeting_create.html", {"form": form})


@login_required
@require_safe
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    people = members_on_day(meeting)
    attendance = {a.person_id: a for a in meeting.attendances.all()}
    context = {
        "meeting": meeting,
        "items": meeting.items.select_related("decision", "paper").order_by("order"),
        "add_form": ItemAddForm(),
        "people": [(p, attendance.get(p.pk)) for p in people],
        "approvals": meeting.approvals.select_related("person").order_by("approved_at"),
        "progress": progress_for(meeting),
        "planned": meeting.state == MeetingState.PLANNED,
        "recording": meeting.state in (MeetingState.HELD, MeetingState.MINUTES_PUBLISHED),
        "editable": not meeting.content_locked and meeting.state != MeetingState.CANCELLED,
        "movable": meeting.state in (MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED),
        "edit_form": MeetingEditForm(meeting=meeting),
        # A PDF, index or mail job of the meeting that failed: retried, or given up.
        "job_trouble": meeting_job_trouble(meeting.pk),
    }
    return render(request, "office/meeting.html", context)


@login_required
@require_POST
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    form = MeetingEditForm(request.POST, meeting=meeting)
    run_form(
        request,
        form,
        lambda data: services.meeting_update(
            meeting=meeting,
            expected_version=data["version"],
            start=data["start"],
            end=data["end"],
            location=data["location"],
            name=data["name"],
            by=Actor.of(request.user),
        ),
        _("Mødets tid og sted er gemt."),
    )
    return redirect("office:meeting", meeting_id=meeting.pk)


@dataclass(frozen=True)
class Transition:
    """A change of the meeting's state. One that cannot be undone asks first: `question`
    and `consequences` tell what will happen, `confirm` names the button that does it."""

    service: Callable[..., object]
    done: Promise
    question: Promise | None = None
    consequences: tuple[Promise, ...] = ()
    confirm: Promise | None = None


TRANSITIONS = {
    "publish_agenda": Transition(
        services.meeting_publish_agenda,
        gettext_lazy("Dagsordenen er offentliggjort."),
        question=gettext_lazy("Offentliggør dagsordenen?"),
        consequences=(
            gettext_lazy(
                "Dagsordenen bliver offentlig på portalen, og den udsendte udgave gemmes."
            ),
            gettext_lazy("Lukkede punkter vises kun med deres offentlige titel."),
            gettext_lazy("Punkternes rækkefølge og numre ligger derefter fast."),
        ),
        confirm=gettext_lazy("Ja, offentliggør dagsordenen"),
    ),
    "mark_held": Transition(
        services.meeting_mark_held, gettext_lazy("Mødet er markeret som afholdt.")
    ),
    "publish_minutes": Transition(
        services.meeting_publish_minutes,
        gettext_lazy("Referatet er offentliggjort."),
        question=gettext_lazy("Offentliggør referatet?"),
        consequences=(
            gettext_lazy("Referatet bliver offentligt på portalen."),
            gettext_lazy("Medlemmerne bliver bedt om at godkende det."),
            gettext_lazy(
                "Når referatet er godkendt, ligger teksten fast: rettelser gives derefter "
                "som en dateret tilføjelse."
            ),
        ),
        confirm=gettext_lazy("Ja, offentliggør referatet"),
    ),
    "cancel": Transition(
        services.meeting_cancel,
        gettext_lazy("Mødet er aflyst."),
        question=gettext_lazy("Aflys mødet?"),
        consequences=(
            gettext_lazy(
                "Er dagsordenen udsendt, vises mødet på portalen med status Aflyst; ellers "
                "bliver det aldrig offentligt."
            ),
            gettext_lazy("Det kan ikke fortrydes: mødet kan derefter ikke holdes eller ændres."),
        ),
        confirm=gettext_lazy("Ja, aflys mødet"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_transition(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """POST `action` changes the state. An action that asks first changes nothing until
    the POST also carries `confirm=yes`; until then (and on GET) the view shows what will
    happen and asks."""
    meeting = access_meeting_for_edit(request.user, meeting_id)
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    transition = TRANSITIONS.get(action)
    if transition is None:
        messages.error(request, _("Ukendt handling."))
        return redirect("office:meeting", meeting_id=meeting.pk)
    confirmed = request.method == "POST" and data.get("confirm") == "yes"
    if transition.question and not confirmed:
        context = {"meeting": meeting, "action": action, "transition": transition}
        return render(request, "office/confirm.html", context)
    if request.method == "POST":
        by = Actor.of(request.user)
        run(request, lambda: transition.service(meeting=meeting, by=by), str(transition.done))
    return redirect("office:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    form = ItemAddForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("office:meeting", meeting_id=meeting.pk)
    data, by = form.cleaned_data, Actor.of(request.user)

    def add() -> None:
        paper = None
        if data["reference"].strip():
            paper = services.paper_get_or_create(
                body=meeting.organization.body,
                reference=data["reference"],
                name=data["paper_name"] or data["title"],
                by=by,
            )
        # The organization's sections for a new item; the office's headings if it set none.
        sections = services.item_default_sections(meeting.organization) or [
            (heading, "") for heading in DEFAULT_HEADINGS
        ]
        services.agenda_item_add_with_sections(
            meeting=meeting,
            title=data["title"],
            sections=sections,
            public=data["public"],
            public_title=data["public_title"],
            paper=paper,
            by=by,
        )

    run(request, add, _("Punktet er tilføjet."))
    return redirect("office:meeting", meeting_id=meeting.pk)


@login_required
@require_safe
def history(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    records = audit_history_for_meeting(meeting.pk)[:500]
    return render(request, "office/history.html", {"meeting": meeting, "records": records})
