"""A meeting's agenda or minutes as Markdown, in the shape of the published seed minutes.

The shape is regular so that the importer can read it back. Blocks are separated by one
blank line; `[...]` marks a part that is left out when empty::

    # REFERAT <organisation> d. <dd-mm-yyyy>          (DAGSORDEN for an agenda)

    **Mødedato** <Mandag d. 02. februar 2026 kl. 16:00>
    **Mødested** <location>
    **Mødedeltagere** <name>[ (Fravær)], <name>, ...

    ## Indholdsfortegnelse
    Punkt <n>: <title>                                (one paragraph per item)
    [Underskriftsside]                                (minutes only)

    ## Punkt <n>: <title>                              (one per item, in order)
    [<case number>]
    [### <section heading>  +  <section body, Markdown>]         (each section)
    [### Beslutning i <organisation> den <dd-mm-yyyy>  +  <decision text>]
    [### Afstemning  +  "<For|Imod> stemte: <parties> (<names>)" | "Undlod at stemme: ..."]
    [### Protokoltilførsel fra <name>  +  <text>]                (each dissent)
    [### Inhabil:  +  <name>, <name>]
    [### Fraværende:  +  <name>, <name>]
    [### Bilag  +  <attachment name>]                 (one paragraph per attachment)
    [### Tilføjelse <dd-mm-yyyy> kl. <HH:MM> af <author>  +  <text>]  (each addendum)

    ## Underskriftsside                                (minutes only)
    <name>: Godkendt <dd-mm-yyyy> kl. <HH:MM>[ med forbehold: <reservation>]
    <name>: ______________________________             (not yet approved)

A closed item in a public document is `## Punkt <n>: Lukket punkt: <public title>` (or
`## Punkt <n>: Lukket punkt` without one) and nothing more. Bodies and decision texts
are Markdown whose headings are escaped (`\\#`), so only the lines above are headings;
names and titles are single lines of escaped Markdown text, to be read back through a
CommonMark parser.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.documents import dates
from gremium.documents.markdown_text import block, inline
from gremium.documents.signing import signature_lines
from gremium.lib.document_structure import Document, DocumentKind, Item, Signature, VoteLine
from gremium.lib.item_numbers import number_label

UNSIGNED = "______________________________"
_VOTE_WORDS = {
    "For": gettext_lazy("For stemte"),
    "Imod": gettext_lazy("Imod stemte"),
    "Undlod": gettext_lazy("Undlod at stemme"),
}


def render_markdown(document: Document) -> str:
    blocks = [*_front(document), *_contents(document)]
    for item in document.items:
        blocks.extend(_item(item))
    blocks.extend(_signature_page(document))
    return "\n\n".join(blocks) + "\n"


def item_heading(item: Item) -> str:
    """The item's heading text, shared with the PDF so both print the same words."""
    label = number_label(item.number, item.sub_number)
    if not label:
        return item.title
    return _("Punkt %(number)s") % {"number": label} + f": {item.title}"


def _front(document: Document) -> Iterator[str]:
    yield f"# {inline(document.title)}"
    yield f"**{_('Mødedato')}** {dates.long_datetime(document.start)}"
    if document.location:
        yield f"**{_('Mødested')}** {inline(document.location)}"
    absent = f" ({_('Fravær')})"
    names = [inline(p.name) + (absent if p.absent else "") for p in document.participants]
    if names:
        yield f"**{_('Mødedeltagere')}** " + ", ".join(names)


def _contents(document: Document) -> Iterator[str]:
    yield f"## {_('Indholdsfortegnelse')}"
    for item in document.items:
        yield inline(item_heading(item))
    if document.kind is DocumentKind.MINUTES:
        yield _("Underskriftsside")


def _item(item: Item) -> Iterator[str]:
    yield f"## {inline(item_heading(item))}"
    if item.reference:
        yield inline(item.reference)
    for section in item.sections:
        yield from _part(inline(section.heading), block(section.body))
    if item.decision:
        decision = item.decision
        organization = inline(decision.organization)
        heading = (
            _("Beslutning i %(organization)s den %(date)s")
            % {"organization": organization, "date": dates.short_date(decision.date)}
            if decision.date
            else _("Beslutning i %(organization)s") % {"organization": organization}
        )
        yield from _part(heading, block(decision.text or decision.outcome))
    yield from _votes(item.votes)
    for dissent in item.dissents:
        heading = _("Protokoltilførsel fra %(name)s") % {"name": inline(dissent.name)}
        yield from _part(heading, block(dissent.text))
    yield from _names(_("Inhabil") + ":", item.conflicts)
    yield from _names(_("Fraværende") + ":", item.absent)
    if item.attachments:
        yield f"### {_('Bilag')}"
        yield from (inline(a.name) for a in item.attachments)
    for addendum in item.addenda:
        heading = _("Tilføjelse %(date)s af %(author)s") % {
            "date": dates.stamp(addendum.date),
            "author": inline(addendum.author),
        }
        yield from _part(heading, block(addendum.text))


def _part(heading: str, body: str) -> Iterator[str]:
    yield f"### {heading}"
    if body:
        yield body


def _names(heading: str, names: tuple[str, ...]) -> Iterator[str]:
    if names:
        yield f"### {heading}"
        yield ", ".join(inline(n) for n in names)


def _votes(votes: tuple[VoteLine, ...]) -> Iterator[str]:
    if votes:
        yield f"### {_('Afstemning')}"
        yield from (inline(vote_line(v)) for v in votes)


def vote_line(vote: VoteLine) -> str:
    """'For stemte: A, V (Anne Hansen, Bo Madsen)': parties, names or both."""
    label = _VOTE_WORDS.get(vote.choice, vote.choice)
    parties = ", ".join(vote.parties)
    names = ", ".join(vote.names)
    who = f"{parties} ({names})" if parties and names else parties or names
    return f"{label}: {who}"


def _signature_page(document: Document) -> Iterator[str]:
    if document.kind is not DocumentKind.MINUTES:
        return
    yield "## Underskriftsside"
    yield from (inline(f"{s.name}: {signature_text(s)}") for s in signature_lines(document))


def signature_text(signature: Signature) -> str:
    if signature.signed_at is None:
        if signature.withdrawn_at is not None:
            return f"{withdrawal_note(signature)} {UNSIGNED}"
        return UNSIGNED
    at = dates.stamp(signature.signed_at)
    if signature.reservation:
        return _("Godkendt %(at)s med forbehold: %(reservation)s") % {
            "at": at,
            "reservation": signature.reservation,
        }
    return _("Godkendt %(at)s") % {"at": at}


def withdrawal_note(signature: Signature) -> str:
    """A withdrawn approval stays visible in the minutes (Kommunestyrelsesloven § 13)."""
    if signature.withdrawn_at is None:
        return ""
    return _("Godkendelse trukket tilbage %(at)s.") % {"at": dates.stamp(signature.withdrawn_at)}
