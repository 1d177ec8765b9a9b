"""Fuzz: mutated real files never make the importer raise anything but ImportFailed naming
the file, and never an internal error. Slow (see FUZZ_CASES), so it runs as its own stage
of scripts/test (`pytest -m fuzz`), once, on SQLite only: it needs no database."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from gremium.importers import ImportFailed, parse_file
from tests.fuzzing import mutated

pytestmark = pytest.mark.fuzz

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def _stand_in(path: Path) -> bool:
    """A few bytes standing in for a real attachment (fixtures README): no source."""
    return b"% stand-in for" in path.read_bytes()[:64]


# One small file of each JSON and web-page kind: the larger ones go through the same parser.
JSON_AND_PAGES = {"2022-01-14-byraad.json", "handmade-referat.html"}
SOURCES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("*")
    if (p.suffix.lower() in {".md", ".txt", ".pdf", ".xml"} or p.name in JSON_AND_PAGES)
    and not _stand_in(p)
)
SEED = 20260202
# Mutations per source file: with the 24 sources, 3600 parses in all (about a minute).
FUZZ_CASES = 150


def _outcome(path: Path) -> str:
    """ "" when parse_file behaved: documents, or ImportFailed naming the file."""
    try:
        result = parse_file(path)
    except ImportFailed as error:
        if error.internal:
            return f"internal error: {error}"
        return "" if path.name in str(error) else f"ImportFailed without the file name: {error}"
    except Exception as error:  # the defect the fuzz looks for: anything else escaping
        return "".join(traceback.format_exception_only(error)).strip() + (
            f" at {traceback.extract_tb(error.__traceback__)[-1]}"
        )
    return "" if result.documents else "no documents and no error"


@pytest.mark.parametrize("source", SOURCES)
def test_a_mutated_file_gives_documents_or_a_named_import_error(source, tmp_path):
    data = (FIXTURES / source).read_bytes()
    others = [(FIXTURES / other).read_bytes() for other in SOURCES if other != source]
    failures = []
    for case in mutated(source, data, others, FUZZ_CASES, SEED):
        path = tmp_path / f"fuzz{Path(source).suffix}"
        path.write_bytes(case.data)
        problem = _outcome(path)
        if problem:
            failures.append(f"{case.name}: {problem}")
    assert not failures, "\n".join(failures)
