"""Words as the search index reads them, the same for indexing, queries and snippets.

Text is split into words of letters and digits (NFC, lower case), and stop words are left
out. SQLite has no Danish stemmer, so for it the words are stemmed here with the Snowball
Danish stemmer (PyStemmer); PostgreSQL is given the same words and stems them in its
`danish` configuration, which is the same Snowball algorithm with the same stop words, so
both databases hold the same terms (tests/test_search_backends.py compares them).

Codes are tokens such as case numbers (25/30508, EMN-2025-003383): letters and digits
joined by "/" or "-", with at least one digit. They are matched exactly (`SearchCode`),
besides being split into words like any other text.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator

import Stemmer
from markdown_it import MarkdownIt

WORD = re.compile(r"[^\W_]+")
# Possessive: a word is never given back to look for a separator inside it (it holds none),
# which made the search for codes cost as much as the rest of indexing a text.
CODE = re.compile(r"(?<![^\W_])[^\W_]++(?:[/\-–][^\W_]++)+(?![^\W_])")

# The Snowball project's Danish stop words, as PostgreSQL's danish configuration drops
# them (tests compare the two on PostgreSQL).
STOP_WORDS = frozenset(
    """
    ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig
    din disse dog du efter eller en end er et for fra ham han hans har havde have hende
    hendes her hos hun hvad hvis hvor i ikke ind jeg jer jo kunne man mange med meget men
    mig min mine mit mod ned noget nogle nu når og også om op os over på selv sig sin sine
    sit skal skulle som sådan thi til ud under var vi vil ville vor være været
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_local = threading.local()
_markdown = MarkdownIt("commonmark").enable("table")


def _stemmer() -> Stemmer._Stemmer:
    # A PyStemmer object is not safe to share between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The text's words in lower case, stop words left out."""
    found = WORD.findall(normalize(text).lower())
    return [w for w in found if w not in STOP_WORDS]


# An archive's texts share a vocabulary of some ten thousand words, and the public and
# internal entries of a meeting mostly the same bodies: each is worked out once.
@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem; words with digits stay as they are (as in PostgreSQL, which reads
    them with its `simple` dictionary)."""
    return _stemmer().stemWord(word) if word.isalpha() else word


def stems(text: str) -> list[str]:
    return stem_all(words(text))


# Every stem worked out so far, by word: indexing an archive stems some ten million words
# of a vocabulary of some ten thousand, so nearly every word is looked up here, not stemmed.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 500_000


def stem_all(found: list[str]) -> list[str]:
    """The stems of many words at once (as `stem`, each): the new ones are stemmed in one
    call, the rest looked up. Safe between threads: the result comes from a table of this
    call's own."""
    table: dict[str, str] = {}
    new = []
    for word in set(found):
        known = _STEMS.get(word)
        if known is None:
            new.append(word)
        else:
            table[word] = known
    if new:
        alpha = [word for word in new if word.isalpha()]
        table.update(zip(alpha, _stemmer().stemWords(alpha), strict=True))
        table.update((word, word) for word in new if not word.isalpha())
        if len(_STEMS) + len(new) > _STEMS_MAX:  # an unbounded vocabulary: start again
            _STEMS.clear()
        _STEMS.update((word, table[word]) for word in new)
    return list(map(table.__getitem__, found))


# Every word's term (its stem; "" for a stop word), for `stemmed_terms`: an archive's
# texts hold some ten million words of a vocabulary of some ten thousand.
_TERMS: dict[str, str] = {}


def stemmed_terms(text: str) -> str:
    """`" ".join(stems(text))`, in one pass over the words when all are known (nearly
    always): dropping the stop words and looking up the stems was most of its time."""
    found = WORD.findall(normalize(text).lower())
    try:
        return " ".join(filter(None, map(_TERMS.__getitem__, found)))
    except KeyError:
        pass
    kept = [w for w in found if w not in STOP_WORDS]
    result = stem_all(kept)
    if len(_TERMS) > _STEMS_MAX:  # an unbounded vocabulary: start again
        _TERMS.clear()
    _TERMS.update((w, "") for w in found if w in STOP_WORDS)
    _TERMS.update((w, t) for w, t in zip(kept, result, strict=True) if t)  # never "": dropped
    return " ".join(result)


def codes(text: str) -> list[str]:
    """The codes in the text, normalized, each once, in order."""
    found = (normalize_code(code) for code in _code_tokens(normalize(text)))
    return list(dict.fromkeys(c for c in found if is_code(c)))


# A code's separator with a letter or digit after it. A search for it skips along the text
# in the regex engine's fast loop for a first character; CODE's lookbehind, which comes
# first, made the engine try every position of every word.
_SEPARATOR = re.compile(r"[/\-–](?=[^\W_])")
_WORD_CHAR = re.compile(r"[^\W_]")


def _code_tokens(text: str) -> Iterator[str]:
    """What CODE.finditer finds: each code is found from its first separator back to the
    start of its word, then matched from there."""
    at = 0
    while (separator := _SEPARATOR.search(text, at)) is not None:
        start = separator.start()
        if start == 0 or _WORD_CHAR.match(text, start - 1) is None:  # no word before it
            at = start + 1
            continue
        while start > 0 and _WORD_CHAR.match(text, start - 1) is not None:
            start -= 1
        code = CODE.match(text, start)
        if code is None:  # cannot be (a word, a separator, a word), but never loop on it
            at = separator.end()
            continue
        yield code.group(0)
        at = code.end()


def is_code(token: str) -> bool:
    return CODE.fullmatch(token) is not None and any(ch.isdigit() for ch in token)


def normalize_code(token: str) -> str:
    return token.replace("–", "-").upper()


@functools.lru_cache(maxsize=1024)
def markdown_text(source: str) -> str:
    """The readable text of a Markdown body: what a reader sees, without the markup."""
    lines: list[str] = []
    for token in _markdown.parse(source):
        if token.type == "inline":
            parts = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or ()
            ]
            lines.append("".join(parts))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content)
    return "\n".join(line for line in lines if line.strip())
