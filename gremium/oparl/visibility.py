"""What the API shows: only what the public may see, decided by the access layer.

A meeting exists for the API once its agenda is published (`access.public_meetings_q`);
its items all appear, a closed one only as number and public title. A consultation, a
paper and an attachment appear only through an open item of such a meeting, so a closed
item's case and files stay out. Persons appear when they hold a membership. Every object
kind of the API has one queryset here; lists, single objects and the tombstone receivers
all ask it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gremium.documents.models import StoredDocument
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings.access import public_attachments
from gremium.meetings.models import AgendaItem, Meeting
from gremium.meetings.public_lists import public_meetings
from gremium.organizations.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from gremium.papers.models import Attachment, Consultation, Paper


def bodies() -> QuerySet[Body]:
    return Body.objects.all()


def organizations() -> QuerySet[Organization]:
    return Organization.objects.all()


def memberships() -> QuerySet[Membership]:
    return Membership.objects.all()


def persons() -> QuerySet[Person]:
    """Persons with a membership, as the portal's person pages (a secretary's login or a
    name entered alone is no public person)."""
    return Person.objects.filter(pk__in=Membership.objects.values("person_id"))


def locations() -> QuerySet[Location]:
    return Location.objects.all()


def legislative_terms() -> QuerySet[LegislativeTerm]:
    return LegislativeTerm.objects.all()


def meetings() -> QuerySet[Meeting]:
    return public_meetings()


def agenda_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__in=public_meetings())


def open_items() -> QuerySet[AgendaItem]:
    return agenda_items().filter(public=True)


def consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(agenda_item__in=open_items())


def papers() -> QuerySet[Paper]:
    through_items = open_items().filter(paper__isnull=False).values("paper_id")
    return Paper.objects.filter(
        Q(pk__in=through_items) | Q(pk__in=consultations().values("paper_id"))
    )


def attachments() -> QuerySet[Attachment]:
    return public_attachments()


def documents() -> QuerySet[StoredDocument]:
    """The PDFs kept for the public: the agenda as sent out, and each approved version of
    the minutes (with their attachments appended they are no File of their own)."""
    agenda = Q(kind=DocumentKind.AGENDA, minutes_sha256="")
    minutes = Q(kind=DocumentKind.MINUTES) & ~Q(minutes_sha256="")
    return StoredDocument.objects.filter(
        agenda | minutes,
        meeting__in=public_meetings(),
        audience=Audience.PUBLIC,
        with_attachments=False,
    )
