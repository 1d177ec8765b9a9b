"""Item numbers under the organization's scheme: on through the year (Haderslev) or from
1 at every meeting (Greve); sub-items (4.1) in both. The database keeps the same rule
(AgendaItem's conditional constraints on the scheme copied to each item)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, write_transaction
from gremium.lib.errors import DomainError
from gremium.lib.item_numbers import number_label
from gremium.meetings.models import AgendaItem, Meeting
from gremium.organizations.models import ItemNumbering, Organization


def numbering_scope(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items a new number of this meeting must differ from."""
    if meeting.organization.numbering == ItemNumbering.PER_MEETING:
        return AgendaItem.objects.filter(meeting_id=meeting.pk)
    return AgendaItem.objects.filter(
        organization_id=meeting.organization_id, year=meeting.start.year
    )


def next_item_number(meeting: Meeting) -> int:
    """The next main number: on from the year's last item, or the meeting's last one."""
    top = numbering_scope(meeting).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def ensure_number_free(meeting: Meeting, number: int | None, sub_number: int | None) -> None:
    """Refuse a number the scheme in force has given already, naming where."""
    if number is None:
        return
    clash = (
        numbering_scope(meeting)
        .filter(number=number, sub_number=sub_number)
        .select_related("meeting")
        .first()
    )
    if clash is None:
        return
    label = number_label(number, sub_number)
    if meeting.organization.numbering == ItemNumbering.PER_MEETING:
        raise DomainError(_("Punkt %(number)s findes allerede på dette møde.") % {"number": label})
    raise DomainError(
        _(
            "Punkt %(number)s findes allerede i %(year)s (mødet %(meeting)s). "
            "%(organization)s nummererer punkterne løbende gennem året."
        )
        % {
            "number": label,
            "year": meeting.start.year,
            "meeting": clash.meeting,
            "organization": meeting.organization,
        }
    )


def organization_set_numbering(
    *, organization: Organization, numbering: ItemNumbering, by: Actor, reason: str = ""
) -> Organization:
    """Change how the organization numbers its items, for the items it has too (they keep
    their numbers). Yearly numbering is refused while a year holds a number twice."""
    with write_transaction():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.numbering == numbering:
            return locked
        if numbering == ItemNumbering.YEARLY:
            _ensure_unique_per_year(locked)
        before = {"numbering": locked.numbering}
        Organization.objects.filter(pk=locked.pk).update(numbering=numbering)
        AgendaItem.objects.filter(organization_id=locked.pk).update(numbering=numbering)
        locked.numbering = numbering
        after: dict[str, str] = {"numbering": numbering}
        if reason:
            after["reason"] = reason
        audit_record(
            by=by,
            action="organization.numbering",
            obj=locked,
            meeting_id=None,
            before=before,
            after=after,
        )
    organization.numbering = numbering
    return locked


def items_follow_numbering(sender: Any, instance: Organization, **kwargs: Any) -> None:
    """An organization saved past the services (the admin) takes its items' copies of the
    scheme along, so the database keeps the scheme in force. The admin's form refuses
    "yearly" beforehand when a year holds a number twice (`numbering_conflict`)."""
    if kwargs.get("raw"):
        return
    AgendaItem.objects.filter(organization_id=instance.pk).exclude(
        numbering=instance.numbering
    ).update(numbering=instance.numbering)


def _ensure_unique_per_year(organization: Organization) -> None:
    problem = numbering_conflict(organization)
    if problem:
        raise DomainError(problem)


def numbering_conflict(organization: Organization) -> str:
    """Why the organization cannot number on through the year, or ""."""
    rows = AgendaItem.objects.filter(organization_id=organization.pk, number__isnull=False)
    seen = Counter(rows.values_list("year", "number", "sub_number"))
    twice = sorted(key for key, count in seen.items() if count > 1)
    if twice:
        year, number, sub_number = twice[0]
        return _(
            "%(organization)s kan ikke nummerere løbende gennem året: punkt %(number)s "
            "findes flere gange i %(year)s."
        ) % {
            "organization": organization,
            "number": number_label(number, sub_number),
            "year": year,
        }
    return ""
