"""Who took part: participant entries, absence (whole meeting, item ranges, from or until a
time), substitutes, conflicts of interest and votes by party."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gremium.lib.document_structure import Participant, VoteLine

_ABSENT_WORDS = re.compile(r"^(?:fravær|fraværende|afbud|forfald|ikke til stede)$", re.I)
_PARTY = re.compile(r"^[A-ZÆØÅ]{1,2}$")
_SUBSTITUTE = re.compile(r"stedfortræder\s+for\s+(.+)", re.I)
_RANGE = re.compile(r"(?:sag|sagerne|punkt|punkterne|pkt\.?)\s*(\d+)\s*[-–]\s*(\d+)", re.I)
_UNTIL = re.compile(
    r"(?:til|indtil|forlod mødet)\s+kl\.?\s*[\d.:]+\s*(?:i|under|efter)\s+(?:punkt|sag|pkt\.?)\s*(\d+)",  # noqa: E501
    re.I,
)
_FROM = re.compile(
    r"(?:fra|ankom)\s+(?:kl\.?\s*[\d.:]+\s*(?:i|under)\s+)?(?:punkt|sag|pkt\.?)\s*(\d+)", re.I
)
_SINGLE = re.compile(r"(?:i|under)\s+(?:sag|punkt|pkt\.?)\s*(\d+)$", re.I)
_NAME_OK = re.compile(r"^[^\W\d_][\w.'’\- ]*$")


@dataclass(frozen=True)
class AbsenceRule:
    """A member absent for the items numbered first..last (None: open end)."""

    name: str
    first: int | None = None
    last: int | None = None

    @property
    def whole_meeting(self) -> bool:
        return self.first is None and self.last is None

    def covers(self, number: int | None) -> bool:
        if self.whole_meeting:
            return True
        if number is None:
            return False
        return (self.first is None or number >= self.first) and (
            self.last is None or number <= self.last
        )


def split_names(text: str) -> list[str]:
    """Comma and "og" separated entries, commas inside parentheses left alone."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    entries: list[str] = []
    for part in parts:
        entries += [p for p in re.split(r"\s+og\s+(?![^(]*\))", part.strip()) if p.strip()]
    return [e.strip().rstrip(".").strip() for e in entries if e.strip()]


def parse_participant(entry: str) -> tuple[Participant, AbsenceRule | None]:
    """ "Lolan Ottesen (A) - formand", "Jon Krongaard (Fravær)", "Bo Ek (V) (sag 129-138)"."""
    text = entry.strip().lstrip("-•* ").strip()
    role = ""
    role_match = re.search(r"\s+[-–,]\s+([^()]+)$", text)
    if role_match:
        role, text = role_match.group(1).strip().lower(), text[: role_match.start()]
    notes = re.findall(r"\(([^)]*)\)", text)
    name = re.sub(r"\s*\([^)]*\)", "", text).strip()
    party, substitute_for, rule = "", "", None
    for note in (n.strip() for n in notes):
        if _PARTY.match(note):
            party = note
        elif _ABSENT_WORDS.match(note):
            rule = AbsenceRule(name)
        elif sub := _SUBSTITUTE.search(note):
            substitute_for, role = sub.group(1).strip(), role or "stedfortræder"
        else:
            rule = absence_window(name, note) or rule
    person = Participant(name=name, role=role, party=party, absent=bool(rule and rule.whole_meeting),  # noqa: E501
                         substitute_for=substitute_for)  # fmt: skip
    return person, rule


def absence_window(name: str, note: str) -> AbsenceRule | None:
    """The items a time or range note makes the member miss, None when the note says none."""
    if match := _RANGE.search(note):
        return AbsenceRule(name, int(match.group(1)), int(match.group(2)))
    if match := _UNTIL.search(note):
        # Left during item N: the decision of N is taken without the member only after
        # leaving, which the minutes do not say; N itself counts as attended.
        return AbsenceRule(name, int(match.group(1)) + 1, None)
    if match := _FROM.search(note):
        return AbsenceRule(name, None, int(match.group(1)) - 1)
    if match := _SINGLE.search(note):
        return AbsenceRule(name, int(match.group(1)), int(match.group(1)))
    return None


_SENTENCE_ABSENCE = re.compile(
    r"^(?P<name>[^\W\d_][\w.'’\- ]+?)(?:\s*\([^)]*\))?\s+(?P<note>(?:deltog|forlod|ankom|var fraværende)\b.*)$",  # noqa: E501
    re.I,
)


def parse_absence_sentence(text: str) -> AbsenceRule | None:
    """ "Bo Ek deltog til kl. 18.40 i punkt 2", "Bo Ek deltog ikke i sag 129-138"."""
    match = _SENTENCE_ABSENCE.match(text.strip().rstrip("."))
    if match is None:
        return None
    name, note = match.group("name").strip(), match.group("note")
    if re.match(r"deltog\s+ikke", note, re.I) and not re.search(r"\d", note):
        return AbsenceRule(name)
    return absence_window(name, note)


def looks_like_names(text: str) -> bool:
    """A line that lists people, not a sentence."""
    entries = split_names(text)
    if not entries:
        return False
    return all(_looks_like_name(entry) for entry in entries)


def _looks_like_name(entry: str) -> bool:
    bare = re.sub(r"\s*\([^)]*\)", "", entry).strip()
    words = bare.split()
    capitalised = sum(1 for word in words if word[:1].isupper())
    return bool(_NAME_OK.match(bare)) and 1 <= len(words) <= 6 and capitalised >= len(words) - 2


# A voter list ends at a period, a line end, or where the next choice begins
# ("For stemte: A, F Imod stemte: V" when a PDF or a paragraph joined the lines).
_VOTERS_END = r"(?=\.|\n|$|\s+(?:for|imod)\s+stemte|\s+undlod)"
_VOTE = re.compile(
    rf"(?P<choice>for|imod)\s+stemte\s*(?:\(\d+\))?\s*:?\s*(?P<who>.*?){_VOTERS_END}"
    r"|(?P<abstain>undlod\s+at\s+stemme|undlod|hverken\s+for\s+eller\s+imod)\s*:?\s*"
    rf"(?P<who2>.*?){_VOTERS_END}",
    re.I,
)


def _may_vote(lowered: str) -> bool:
    return "stemte" in lowered or "undlod" in lowered or "hverken" in lowered


def parse_votes(text: str) -> list[VoteLine]:
    """ "For stemte: A, V. Imod stemte: O." as one VoteLine per choice."""
    votes: list[VoteLine] = []
    if not _may_vote(text.lower()):  # most lines: searching them is the parser's main cost
        return votes
    for match in _VOTE.finditer(text):
        choice = (match.group("choice") or "Undlod").capitalize()
        who = match.group("who") if match.group("choice") else match.group("who2")
        entries = [re.sub(r"\s*\(\d+\)", "", e).strip() for e in split_names(who or "")]
        parties = tuple(e for e in entries if _PARTY.match(e))
        # Anything else must look like a name: a following sentence is not a voter.
        names = tuple(e for e in entries if e and not _PARTY.match(e) and _looks_like_name(e))
        if parties or names:
            votes.append(VoteLine(choice=choice, parties=parties, names=names))
    return votes


_CONFLICT = re.compile(
    r"^(?:inhabil\s*:?\s*(?P<list>.+)|(?P<name>[^\W\d_][\w.'’\- ]+?)(?:\s*\([^)]*\))?\s+(?:erklærede sig|var|blev erklæret)\s+inhabil)",  # noqa: E501
    re.I,
)


def parse_conflicts(text: str) -> list[str]:
    """ "Inhabil: Bo Ek" or "Bo Ek erklærede sig inhabil ..." -> the names."""
    names: list[str] = []
    if "inhabil" not in text.lower():  # both forms name it; most lines do not
        return names
    for sentence in re.split(r"(?<=[.])\s+", text.strip()):
        match = _CONFLICT.match(sentence.strip())
        if match is None:
            continue
        if match.group("list"):
            names += [n for n in split_names(match.group("list")) if _looks_like_name(n)]
        else:
            names.append(match.group("name").strip())
    return names
