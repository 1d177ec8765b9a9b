"""The one plain document structure that every rendering of a meeting is made from.

Builders turn the model into a `Document`; importers turn published minutes into one;
renderers (HTML, Markdown, PDF) take nothing else. Because the public variant is decided
when the structure is built, a closed item's content is simply absent from a public
document: no renderer can leak what it never receives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DocumentKind(StrEnum):
    AGENDA = "agenda"  # dagsorden: no decisions
    MINUTES = "minutes"  # referat / beslutningsprotokol


class Audience(StrEnum):
    INTERNAL = "internal"  # members and secretariat: closed items in full
    PUBLIC = "public"  # closed items show number and public title only


# What the public sees of a closed item that has no public title of its own; also the
# public title the office proposes and an import gives a closed item that lacks one.
CLOSED_TITLE = "Lukket punkt"


@dataclass(frozen=True)
class Participant:
    name: str
    role: str = ""  # formand, næstformand, medlem, stedfortræder
    party: str = ""
    absent: bool = False
    substitute_for: str = ""


@dataclass(frozen=True)
class Section:
    heading: str  # Sagsresume, Indstilling, Sagsfremstilling, Procedure, or any other
    body: str  # Markdown


@dataclass(frozen=True)
class Decision:
    organization: str  # "Beslutning i <organization> den <date>"
    date: dt.date | None
    outcome: str  # Godkendt, Drøftet, ... or "" when only free text was recorded
    text: str  # Markdown, the decision as read out, e.g. "Drøftet. Udkastet blev godkendt."


@dataclass(frozen=True)
class VoteLine:
    choice: str  # "For", "Imod", "Undlod"
    parties: tuple[str, ...]  # party letters, summarised from the persons' votes
    names: tuple[str, ...]


@dataclass(frozen=True)
class Dissent:
    """A protokoltilførsel: a member's short statement entered under the decision."""

    name: str
    text: str


@dataclass(frozen=True)
class Addendum:
    """A dated, reasoned correction made after approval; the approved text stays as it was."""

    date: dt.datetime
    author: str
    text: str


@dataclass(frozen=True)
class AttachmentRef:
    name: str
    public: bool = True
    mime_type: str = ""
    size: int = 0
    sha256: str = ""
    # Where the file is: its name in the file storage (documents/build.py; the combined
    # PDF reads it from there), or for an import the file beside the export. Not content.
    path: str = ""
    url: str = ""  # where a reader downloads it (the access check happens there)
    # Where the publisher keeps it, for an attachment an export names only by its address
    # (FirstAgenda's Bilag): shown as an external link, never fetched on its own.
    source_url: str = ""


# Keyword-only: `sub_number` sits beside `number` although it has a default and `title` not.
@dataclass(frozen=True, kw_only=True)
class Item:
    number: int | None
    sub_number: int | None = None  # 1 in item "4.1"; None for a plain item
    title: str
    reference: str = ""  # case number (sagsnummer), e.g. 25/30508
    public: bool = True
    # True in a public document for a closed item: everything below is empty then.
    redacted: bool = False
    sections: tuple[Section, ...] = ()
    decision: Decision | None = None
    absent: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()  # inhabil: takes no part in this item
    votes: tuple[VoteLine, ...] = ()
    dissents: tuple[Dissent, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    attachments: tuple[AttachmentRef, ...] = ()
    key: str = ""  # stable anchor, e.g. "punkt-12"
    # The title a closed item shows the public (eDoc's NeutralTitle, or what the secretariat
    # wrote); "" when none is known, and then the public sees only "Lukket punkt".
    public_title: str = ""


@dataclass(frozen=True)
class Signature:
    name: str
    signed_at: dt.datetime | None  # None: a line still to be signed
    reservation: str = ""  # "Godkendt med forbehold for punkt 14: ..."
    reservation_item: int | None = None  # the item number the reservation concerns
    withdrawn_at: dt.datetime | None = None  # an approval this member withdrew, not renewed


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    audience: Audience
    body_name: str  # the municipality, printed in the page header
    organization_name: str
    start: dt.datetime
    end: dt.datetime | None = None
    location: str = ""
    participants: tuple[Participant, ...] = ()
    items: tuple[Item, ...] = ()
    signatures: tuple[Signature, ...] = ()
    approved: bool = False
    language: str = "da"
    logo_path: str = ""  # the logo's name in the file storage

    @property
    def title(self) -> str:
        word = "REFERAT" if self.kind is DocumentKind.MINUTES else "DAGSORDEN"
        return f"{word} {self.organization_name} d. {self.start:%d-%m-%Y}"
