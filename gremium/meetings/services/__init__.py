"""Every change to meetings goes through these functions: views, commands and the API alike.

Each one checks its preconditions, changes the data inside one transaction, writes one
audit record per changed object and raises `DomainError` with a clear message otherwise.
"""

from gremium.meetings.services.agenda import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_update,
    section_add,
)
from gremium.meetings.services.approval import (
    approval_rule_met,
    approval_withdraw,
    dissent_add,
    meeting_add_addendum,
    minutes_approve,
    valid_approvals,
)
from gremium.meetings.services.attachments import (
    attachment_add,
    attachment_keep_file,
    attachment_remove,
    attachment_rename,
    attachment_text_store,
    attachments_reorder,
)
from gremium.meetings.services.attendance import (
    AttendancePlan,
    Substitute,
    attendance_record_all,
)
from gremium.meetings.services.decisions import (
    decision_fingerprint,
    decision_record_checked,
)
from gremium.meetings.services.editing import (
    agenda_item_add_before_closing,
    agenda_item_edit,
    agenda_item_move,
    meeting_create_with_standing_items,
    paper_get_or_create,
)
from gremium.meetings.services.guards import MeetingLocked, StaleEdit
from gremium.meetings.services.lifecycle import (
    meeting_cancel,
    meeting_create,
    meeting_delete,
    meeting_mark_held,
    meeting_publish_agenda,
    meeting_publish_imported_minutes,
    meeting_publish_minutes,
    meeting_update,
    meetings_changed,
)
from gremium.meetings.services.numbering import organization_set_numbering
from gremium.meetings.services.ordering import agenda_item_move_to, agenda_items_reorder
from gremium.meetings.services.recording import (
    attendance_set,
    decision_record,
    item_participation_add,
    item_participation_remove,
    vote_record,
)
from gremium.meetings.services.reminders import approval_remind
from gremium.meetings.services.templates import (
    MeetingStart,
    agenda_item_add_with_sections,
    item_default_sections,
    meeting_create_from,
    organization_template_set,
)

__all__ = [
    "AttendancePlan",
    "MeetingLocked",
    "MeetingStart",
    "StaleEdit",
    "Substitute",
    "agenda_item_add",
    "agenda_item_add_before_closing",
    "agenda_item_add_with_sections",
    "agenda_item_delete",
    "agenda_item_edit",
    "agenda_item_move",
    "agenda_item_move_to",
    "agenda_item_update",
    "agenda_items_reorder",
    "approval_remind",
    "approval_rule_met",
    "approval_withdraw",
    "attachment_add",
    "attachment_keep_file",
    "attachment_remove",
    "attachment_rename",
    "attachment_text_store",
    "attachments_reorder",
    "attendance_record_all",
    "attendance_set",
    "decision_fingerprint",
    "decision_record",
    "decision_record_checked",
    "dissent_add",
    "item_default_sections",
    "item_participation_add",
    "item_participation_remove",
    "meeting_add_addendum",
    "meeting_cancel",
    "meeting_create",
    "meeting_create_from",
    "meeting_create_with_standing_items",
    "meeting_delete",
    "meeting_mark_held",
    "meeting_publish_agenda",
    "meeting_publish_imported_minutes",
    "meeting_publish_minutes",
    "meeting_update",
    "meetings_changed",
    "minutes_approve",
    "organization_set_numbering",
    "organization_template_set",
    "paper_get_or_create",
    "section_add",
    "valid_approvals",
    "vote_record",
]
