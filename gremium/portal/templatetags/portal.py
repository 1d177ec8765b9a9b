"""Template filters for the portal's lists."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from gremium.lib.document_structure import Item
from gremium.lib.item_numbers import number_label
from gremium.meetings.models import Meeting, MeetingState

register = template.Library()

# What a reader finds at the meeting, in a word or two (the states' own labels describe
# the secretariat's steps and are too long for a list on a phone).
STATUS_WORDS = {
    MeetingState.PLANNED: _("Planlagt"),
    MeetingState.AGENDA_PUBLISHED: _("Dagsorden"),
    MeetingState.HELD: _("Afholdt"),
    MeetingState.MINUTES_PUBLISHED: _("Referat"),
    MeetingState.APPROVED: _("Godkendt referat"),
    MeetingState.CANCELLED: _("Aflyst"),
}


@register.filter
def meeting_status(meeting: Meeting) -> str:
    return str(STATUS_WORDS.get(MeetingState(meeting.state), meeting.get_state_display()))


@register.filter
def item_number(item: Item) -> str:
    """An item's number as printed: "4", or "4.1" for a sub-item."""
    return number_label(item.number, item.sub_number)
