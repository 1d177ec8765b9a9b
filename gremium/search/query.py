"""What a visitor typed, read into terms. User text is data: it never reaches the database
as query syntax. Each term is made of words of letters and digits only (`words.WORD`), so
quotes, `*`, `-`, `OR`, `NEAR(` and the like are either dropped or searched as plain words;
the backends then quote every word again when they write their own query syntax.

- a word: found in any form with the same stem, and as the start of a longer word when
  its stem has at least `PREFIX_MIN` letters ("nytteindsats" finds "nytteindsatsen" and
  "nytteindsatsforløb", "budgettet" finds "budget"; see `operand`);
- "a phrase": its words in this order, next to each other (stop words left out, as in
  the index), each found in any form with the same stem but never as the start of a longer
  word (`phrase_stem`); a word joined by hyphens ("A-kasse") is a phrase of its parts.
  SQLite finds it with FTS5's phrase query; PostgreSQL by the pairs of adjacent stems the
  index holds beside the words (`backends.index_pairs`), a phrase of more than two words
  also by its exact positions, checked on the entries that hold all its pairs;
- a code (a case number such as 25/30508 or EMN-2025-003383): matched exactly.

Every term must match (AND).
"""

from __future__ import annotations

from dataclasses import dataclass

from gremium.search import words as w

MAX_LENGTH = 200
MAX_TERMS = 10
PREFIX_MIN = 4


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...] = ()
    codes: tuple[str, ...] = ()
    quoted: bool = False  # the visitor used quotes (then the page suggests leaving them out)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.codes

    @property
    def all_words(self) -> tuple[str, ...]:
        return tuple(word for term in self.terms for word in term.words)


def parse(text: str) -> Query:
    text = w.normalize(text).strip()[:MAX_LENGTH]
    terms: list[Term] = []
    codes: list[str] = []
    parts = text.split('"')
    # Odd parts stand between quotes; a quote left open at the end quotes nothing.
    closed = len(parts) - (1 if len(parts) % 2 == 0 else 0)
    for index, part in enumerate(parts):
        if index % 2 == 1 and index < closed:
            _add(terms, w.words(part))
            continue
        for token in part.split():
            token = token.strip(".,;:!?()[]{}'»«")
            if w.is_code(token):
                codes.append(w.normalize_code(token))
            else:
                _add(terms, w.words(token))
    return Query(
        text=text,
        terms=tuple(dict.fromkeys(terms))[:MAX_TERMS],
        codes=tuple(dict.fromkeys(codes))[:MAX_TERMS],
        quoted=text.count('"') >= 2,
    )


def _add(terms: list[Term], found: list[str]) -> None:
    if found:
        terms.append(Term(tuple(found)))


def operand(word: str) -> str:
    """What the database's stemmer is given for a query word: the word's stem, so that the
    stem the search uses is stemmed twice. An inflected form then finds the base form too
    ("budgettet" → "budget" → "budg", the stem of "budget"); the index itself holds each
    word stemmed once. A stem that is a stop word stays the word (PostgreSQL would drop it)."""
    once = w.stem(word)
    return once if word.isalpha() and once not in w.STOP_WORDS else word


def match_stem(word: str) -> str:
    """The stem a query word matches in the index (as a prefix, see `is_prefix`)."""
    return w.stem(operand(word))


def phrase_stem(word: str) -> str:
    """The stem a word of a phrase matches in the index, exactly: the word's own stem, as
    the index holds each word stemmed once. (A phrase word is no prefix, so the second
    stemming `operand` makes for prefixes would only lose the word: "budgettet" is
    indexed as "budget", `match_stem` gives "budg".)"""
    return w.stem(word)


def is_prefix(word: str) -> bool:
    """Whether a query word also finds longer words starting with its stem (when it stands
    alone: a phrase's words never do)."""
    return word.isalpha() and len(match_stem(word)) >= PREFIX_MIN
