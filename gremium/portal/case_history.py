"""A case's history (OParl's Beratungsfolge): every treatment of the case in a meeting the
reader sees, in date order, with the decision taken there and the attachments.

Everything shown comes from each meeting's document as `build_document` cuts it for the
reader's audience, never from the models directly. It fails closed: a treatment in a
closed item is left out for the public altogether (not even "treated in a closed item":
the public document of a closed item does not name its case either), and so is one whose
item the document does not hold. The case's own title (`Paper.name`) is never shown: the
office fills it from the item's internal title, which for a closed item is not public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from gremium.documents.build import build_document
from gremium.lib import document_structure as s
from gremium.lib.markdown import markdown_to_html
from gremium.meetings.access import MeetingView, access_meeting_for_view
from gremium.meetings.minutes import item_key
from gremium.meetings.models import AgendaItem
from gremium.papers.models import Paper


@dataclass(frozen=True)
class Treatment:
    view: MeetingView  # the meeting and the reader's audience
    item: s.Item  # the item as the reader's document holds it
    decision_html: SafeString


def case_history(user: Any, paper: Paper) -> list[Treatment]:
    """The treatments of `paper` the reader may see, oldest first."""
    items = (
        AgendaItem.objects.filter(Q(paper=paper) | Q(consultation__paper=paper))
        .select_related("meeting")
        .order_by("meeting__start", "meeting_id", "order")
        .distinct()
    )
    by_meeting: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in items:
        by_meeting[item.meeting_id].append(item)
    history: list[Treatment] = []
    for meeting_id, treated in by_meeting.items():
        history += _treatments(user, meeting_id, treated)
    return history


def _treatments(user: Any, meeting_id: int, treated: list[AgendaItem]) -> list[Treatment]:
    try:
        view = access_meeting_for_view(user, meeting_id)
    except Http404:
        return []
    document = build_document(view.meeting, kind=view.kind, audience=view.audience)
    in_document = {item.key: item for item in document.items}
    found = []
    for agenda_item in treated:
        item = in_document.get(item_key(agenda_item))
        if item is None or not _readable(view, agenda_item, item):
            continue
        decision = item.decision.text if item.decision else ""
        found.append(Treatment(view, item, mark_safe(markdown_to_html(decision))))  # noqa: S308
    return found


def _readable(view: MeetingView, agenda_item: AgendaItem, item: s.Item) -> bool:
    """Insiders see every treatment; the public only those in items open both in the
    record and in the document it reads."""
    if view.audience is s.Audience.INTERNAL:
        return True
    return agenda_item.public and item.public and not item.redacted


def case_attachments(history: list[Treatment]) -> list[s.AttachmentRef]:
    """The case's files the reader may open, each once (the newest treatment's copy)."""
    seen: dict[str, s.AttachmentRef] = {}
    for treatment in history:
        for ref in treatment.item.attachments:
            if ref.url:
                seen[ref.sha256 or ref.url] = ref
    return list(seen.values())
