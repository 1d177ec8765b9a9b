"""What a restore must prove, measured the same way at backup and at restore: the audit
chain's head, and for every approved meeting the signatures that count, whether they meet
the signature rule, the sha256 of each kept minutes PDF and of its minutes rendered now."""

from __future__ import annotations

import hashlib
from typing import Any

from gremium.audit.selectors import audit_chain_check
from gremium.documents.build import build_document
from gremium.documents.models import StoredDocument
from gremium.documents.output import render_document
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services.approval import approval_rule_met, valid_approvals


class ChainBroken(Exception):
    """The audit chain does not verify."""


def audit_facts() -> dict[str, Any]:
    report = audit_chain_check()
    if report.broken is not None:
        raise ChainBroken(f"#{report.broken.record_id}: {report.broken.reason}")
    return {"count": report.head.count, "head": report.head.hash}


def approved_meetings() -> dict[str, dict[str, Any]]:
    """Per approved meeting (by id, as a string: JSON keys)."""
    return {
        str(meeting.pk): _meeting_facts(meeting)
        for meeting in Meeting.objects.filter(state=MeetingState.APPROVED).order_by("pk")
    }


def _meeting_facts(meeting: Meeting) -> dict[str, Any]:
    signers = {approval.person_id for approval in valid_approvals(meeting)}
    kept = StoredDocument.objects.filter(meeting=meeting, kind=DocumentKind.MINUTES).exclude(
        minutes_sha256=""
    )
    return {
        "signatures": len(signers),
        "rule_met": approval_rule_met(meeting, signers),
        "kept_minutes": {
            str(row.pk): {
                "audience": row.audience,
                "minutes": row.minutes_sha256,
                "sha256": row.sha256,
            }
            for row in kept.order_by("pk")
        },
        "rendered": {str(audience): _rendered_sha256(meeting, audience) for audience in Audience},
    }


def _rendered_sha256(meeting: Meeting, audience: Audience) -> str:
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=audience)
    return hashlib.sha256(render_document(document, "pdf")).hexdigest()


def differences(expected: Any, found: Any, where: str = "") -> list[str]:
    """Each place where two fact trees differ, named by its path."""
    if isinstance(expected, dict) and isinstance(found, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(found)):
            out += differences(expected.get(key), found.get(key), f"{where}/{key}")
        return out
    return [] if expected == found else [f"{where}: {expected!r} != {found!r}"]
