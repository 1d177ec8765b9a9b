"""Who has signed published minutes and who is still missing: what the secretary reads as
"3 af 6 har godkendt", and whom a reminder goes to."""

from __future__ import annotations

from dataclasses import dataclass

from gremium.audit.models import AuditRecord
from gremium.meetings.models import Meeting
from gremium.meetings.services.approval import eligible_signers, valid_approvals
from gremium.organizations.models import Person

REMIND_ACTION = "approval.remind"


@dataclass(frozen=True)
class ApprovalProgress:
    signed: list[Person]
    missing: list[Person]
    last_reminder: AuditRecord | None

    @property
    def expected(self) -> int:
        return len(self.signed) + len(self.missing)


def expected_signers(meeting: Meeting) -> list[Person]:
    """Those whose approval counts (the domain's one rule, also used for reminders)."""
    return list(eligible_signers(meeting))


def approval_progress(meeting: Meeting) -> ApprovalProgress:
    signers = [a.person for a in valid_approvals(meeting).order_by("approved_at")]
    signed_ids = {p.pk for p in signers}
    missing = [p for p in expected_signers(meeting) if p.pk not in signed_ids]
    last = (
        AuditRecord.objects.filter(meeting_id=meeting.pk, action=REMIND_ACTION)
        .order_by("-pk")
        .first()
    )
    return ApprovalProgress(signed=signers, missing=missing, last_reminder=last)
