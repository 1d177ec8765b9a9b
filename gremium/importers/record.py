"""What published minutes record beyond the items: the signature page (who approved, when,
with what reservation), protokoltilførsler (a member's statement under a decision) and
addenda (dated corrections after approval), read back in the shape gremium writes them
(documents/markdown.py) and the PDF and web page print the same words."""

from __future__ import annotations

import datetime as dt
import re

from gremium.lib.document_structure import Addendum, Dissent, Section, Signature

# "02-02-2026 kl. 17:05" (Markdown, PDF) or "02-02-2026 17:05" (the web page)
_STAMP = (
    r"(?P<day>\d{2})-(?P<month>\d{2})-(?P<year>\d{4})\s+(?:kl\.\s*)?"
    r"(?P<hour>\d{2})[:.](?P<minute>\d{2})"
)
_DISSENT = re.compile(r"^protokoltilførsel(?:(?:\s+fra|,)\s+(?P<name>.+?))?\s*:?$", re.I)
_ADDENDUM = re.compile(
    rf"^tilføjelse\s+{_STAMP}\s+(?:af\s+(?P<author>.+)|\((?P<author2>.+)\))$", re.I
)
_BULLET = re.compile(r"^[-*•]\s+")
_SIGNED = re.compile(
    rf"^(?P<name>[^:]+):\s+godkendt\s+{_STAMP}"
    r"(?:\s+(?:med\s+forbehold|[–-]\s+forbehold):\s+(?P<reservation>.+))?$",
    re.I,
)
_WITHDRAWN = re.compile(rf"^(?P<name>[^:]+):\s+godkendelse trukket tilbage {_STAMP}\.", re.I)
_UNSIGNED = re.compile(r"^(?P<name>[^:]+):\s+(?:_{5,}|ikke godkendt endnu)$", re.I)


def _moment(match: re.Match[str]) -> dt.datetime | None:
    try:
        return dt.datetime(
            int(match["year"]), int(match["month"]), int(match["day"]),
            int(match["hour"]), int(match["minute"]),
        )  # fmt: skip
    except ValueError:
        return None


def split_record_sections(
    sections: tuple[Section, ...],
) -> tuple[tuple[Section, ...], tuple[Dissent, ...], tuple[Addendum, ...]]:
    """An item's sections without its protokoltilførsler and addenda, and those two."""
    kept: list[Section] = []
    dissents: list[Dissent] = []
    addenda: list[Addendum] = []
    for section in sections:
        if (match := _DISSENT.match(section.heading.strip())) and section.body.strip():
            dissents.append(Dissent((match["name"] or "").strip(), section.body.strip()))
        elif (match := _ADDENDUM.match(section.heading.strip())) and (moment := _moment(match)):
            author = (match["author"] or match["author2"]).strip()
            addenda.append(Addendum(moment, author, section.body.strip()))
        else:
            kept.append(section)
    return tuple(kept), tuple(dissents), tuple(addenda)


def signature_line(text: str) -> Signature | None:
    """One line of the signature page: an approval, a withdrawn one, or a line to sign
    (None: nobody signed it, so there is nothing to record)."""
    text = _BULLET.sub("", text.strip())
    if (match := _SIGNED.match(text)) and (moment := _moment(match)):
        return Signature(match["name"].strip(), moment, (match["reservation"] or "").strip())
    if (match := _WITHDRAWN.match(text)) and (moment := _moment(match)):
        return Signature(match["name"].strip(), None, withdrawn_at=moment)
    return None


def is_signature_line(text: str) -> bool:
    text = _BULLET.sub("", text.strip())
    return signature_line(text) is not None or _UNSIGNED.match(text) is not None


def is_record_heading(text: str) -> bool:
    """A line that opens a protokoltilførsel or an addendum (a heading in every format)."""
    text = text.strip()
    return bool(_DISSENT.match(text) and " " in text) or bool(_ADDENDUM.match(text))


def inline_dissent(bold: str, rest: str) -> Dissent | None:
    """ "**Protokoltilførsel, Alex Bødiker:** text", as the web page writes it."""
    match = _DISSENT.match(bold.strip())
    if match is None or not match["name"] or not rest.strip():
        return None
    return Dissent(match["name"].strip(), rest.strip())


# Lines the signature page prints around the names: no one's approval.
SIGNATURE_FURNITURE = frozenset({"dato og underskrift", "underskrift", "dato"})
