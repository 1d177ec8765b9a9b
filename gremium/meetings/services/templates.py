"""A new meeting from the committee's template (its standing items with their default
sections) or from the previous meeting's open items, copied with their texts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, DecisionOutcome, Meeting, MeetingState
from gremium.meetings.services.agenda import section_add
from gremium.meetings.services.editing import (
    agenda_item_add_before_closing,
    meeting_create_with_standing_items,
)
from gremium.organizations.models import Location, Organization, default_standing_items
from gremium.papers.models import Paper


class MeetingStart(StrEnum):
    TEMPLATE = "template"
    PREVIOUS = "previous"


def standing_item_sections(entry: dict[str, object]) -> list[tuple[str, str]]:
    """The default sections of one standing item of the template: each a heading, or a
    {"heading": ..., "body": ...} with a Markdown text to start from."""
    raw = entry.get("sections") or []
    if not isinstance(raw, list):
        return []
    sections = []
    for section in raw:
        if isinstance(section, str) and section.strip():
            sections.append((section.strip(), ""))
        elif isinstance(section, dict) and str(section.get("heading", "")).strip():
            sections.append((str(section["heading"]).strip(), str(section.get("body", ""))))
    return sections


def previous_meeting(organization: Organization, before: dt.datetime) -> Meeting | None:
    """The organization's last meeting before `before` that was not cancelled."""
    return (
        Meeting.objects.filter(organization=organization, start__lt=before)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("-start")
        .first()
    )


def open_items(meeting: Meeting) -> list[AgendaItem]:
    """The items of a meeting still to be decided: a decision was needed and none was
    made, or the item was postponed (udsat). Standing items need no copy: the template
    brings them."""
    standing = {
        str(entry.get("title", ""))
        for entry in meeting.organization.standing_items or default_standing_items()
    }
    undecided = Q(decision__isnull=True) | Q(decision__outcome=DecisionOutcome.POSTPONED)
    items = meeting.items.filter(undecided, decision_required=True).order_by("order")
    return [x for x in items.select_related("paper") if x.title not in standing]


def meeting_create_from(
    *,
    organization: Organization,
    start: dt.datetime,
    by: Actor,
    source: MeetingStart = MeetingStart.TEMPLATE,
    location: Location | None = None,
    name: str = "",
) -> Meeting:
    """A planned meeting with the template's standing items and their sections; from
    PREVIOUS also the previous meeting's open items, before the closing standing items."""
    with write_transaction():
        earlier = previous_meeting(organization, start)
        if source is MeetingStart.PREVIOUS and earlier is None:
            raise DomainError(
                _("%(organization)s har intet tidligere møde at kopiere punkter fra.")
                % {"organization": organization}
            )
        meeting = meeting_create_with_standing_items(
            organization=organization, start=start, by=by, location=location, name=name
        )
        _add_template_sections(meeting, by)
        if source is MeetingStart.PREVIOUS and earlier is not None:
            for old in open_items(earlier):
                _copy_item(meeting, old, by)
    return meeting


def _add_template_sections(meeting: Meeting, by: Actor) -> None:
    entries = meeting.organization.standing_items or default_standing_items()
    items = list(meeting.items.order_by("order"))
    for item, entry in zip(items, entries, strict=False):
        for heading, body in standing_item_sections(entry):
            section_add(item=item, heading=heading, body=body, by=by)


def _copy_item(meeting: Meeting, old: AgendaItem, by: Actor) -> AgendaItem:
    item = agenda_item_add_before_closing(
        meeting=meeting,
        title=old.title,
        by=by,
        public=old.public,
        public_title=old.public_title,
        paper=old.paper,
    )
    for section in old.sections.order_by("order"):
        if section.heading.strip() or section.body.strip():
            section_add(item=item, heading=section.heading, body=section.body, by=by)
    return item


def item_default_sections(organization: Organization) -> list[tuple[str, str]]:
    """The sections a new item of the organization starts with; empty when the organization
    has set none (the caller then has its own fallback)."""
    return standing_item_sections({"sections": organization.item_sections})


def organization_template_set(
    *,
    organization: Organization,
    standing_items: list[dict[str, object]],
    item_sections: list[dict[str, str]],
    by: Actor,
) -> Organization:
    """Replace the organization's meeting template: its standing items (in order, each with
    its default sections) and the sections a new item starts with. Meetings already created
    keep their items."""
    titles = [str(entry.get("title", "")).strip() for entry in standing_items]
    if not titles:
        raise DomainError(_("Skabelonen skal have mindst ét fast punkt."))
    if any(not title for title in titles):
        raise DomainError(_("Hvert fast punkt skal have en titel."))
    doubles = sorted({title for title in titles if titles.count(title) > 1})
    if doubles:
        raise DomainError(
            _("Hvert fast punkt skal have sin egen titel: %(titles)s står flere gange.")
            % {"titles": ", ".join(doubles)}
        )
    with write_transaction():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        before = snapshot(organization)
        organization.standing_items = standing_items
        organization.item_sections = item_sections
        organization.save(update_fields=["standing_items", "item_sections", "modified"])
        audit_record(
            by=by,
            action="organization.template",
            obj=organization,
            meeting_id=None,
            before=before,
            after=snapshot(organization),
        )
    return organization


def agenda_item_add_with_sections(
    *,
    meeting: Meeting,
    title: str,
    sections: list[tuple[str, str]],
    by: Actor,
    public: bool = True,
    public_title: str = "",
    paper: Paper | None = None,
) -> AgendaItem:
    """A new item before the closing standing items, starting with the given sections."""
    with write_transaction():
        item = agenda_item_add_before_closing(
            meeting=meeting,
            title=title,
            by=by,
            public=public,
            public_title=public_title,
            paper=paper,
        )
        for heading, body in sections:
            section_add(item=item, heading=heading, body=body, by=by)
    return item
