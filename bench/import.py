"""Import throughput on a generated archive of meetings, beside text extraction alone.

    .venv/bin/python bench/import.py [--meetings 200] [--pdf 200]

Prints documents/s and pages/s for: parsing text minutes; parsing PDF minutes (pypdfium2
extraction + noise removal + the text parser); and, as the baseline measured in the same
run, pypdfium2 text extraction alone on the same PDFs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import typst

from gremium.importers.files import parse_text
from gremium.importers.pdf import extract_pages, parse_pdf

WORDS = ["kommunen", "udvalget", "borgere", "indsats", "økonomi", "forvaltningen", "beslutning", "plan", "område", "tilbud", "skole", "vej", "budget", "ældre", "børn", "sag", "høring", "lokalplan"]  # fmt: skip  # noqa: E501
HEADINGS = ("Sagsresume", "Indstilling", "Sagsfremstilling", "Økonomi", "Procedure")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def meeting_lines(rng: random.Random, index: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is title, label, heading, subheading or text."""
    day = 1 + index % 28
    parts = [("title", f"REFERAT Teknik- og Miljøudvalget d. {day:02d}-03-2025"),
             ("label", f"Mødedato: {day:02d}.03.2025 kl. 16:00"),
             ("label", "Mødested: Rådhuset"),
             ("label", "Mødedeltagere: Anne Holm, Bo Ek (Fravær), Carl Dahl")]  # fmt: skip
    for number in range(1, rng.randint(6, 12)):
        parts += [("heading", f"Punkt {number}: {sentence(rng)[:50].rstrip('.')}"),
                  ("text", f"25/{rng.randint(1000, 99999)}")]  # fmt: skip
        for heading in HEADINGS:
            parts.append(("subheading", heading))
            parts += [
                ("text", sentence(rng) + " " + sentence(rng)) for _ in range(rng.randint(1, 4))
            ]
        parts += [("subheading", f"Beslutning i Teknik- og Miljøudvalget den {day:02d}-03-2025"),
                  ("text", "Godkendt."), ("subheading", "Fraværende:"), ("text", "Bo Ek")]  # fmt: skip  # noqa: E501
    return parts


def as_markdown(parts: list[tuple[str, str]]) -> str:
    marks = {"title": "# ", "heading": "## ", "subheading": "### ", "label": "", "text": ""}
    return "\n\n".join(marks[kind] + text for kind, text in parts) + "\n"


def as_typst(parts: list[tuple[str, str]]) -> bytes:
    def escape(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]=-+/~\"'" else c for c in text)

    def block(kind: str, text: str) -> str:
        if kind in ("heading", "title"):
            return f'#text(weight: "bold", size: 13pt)[{escape(text)}]'
        if kind == "subheading":
            return f'#text(weight: "bold")[{escape(text)}]'
        return escape(text)

    setup = ('#set page(paper: "a4", header: [Teknik- og Miljøudvalget], '
             'footer: context [Side #counter(page).display() af #counter(page).final().first()])\n')  # fmt: skip  # noqa: E501
    return (setup + "\n\n".join(block(k, t) for k, t in parts)).encode()


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:8.1f}/s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=200, help="how many of them also as PDF")
    args = parser.parse_args()
    rng = random.Random(2025)
    archive = [meeting_lines(rng, i) for i in range(args.meetings)]
    with tempfile.TemporaryDirectory() as folder:
        bench_text(archive, Path(folder))
        if args.pdf:
            bench_pdf(archive[: args.pdf], Path(folder))


def bench_text(archive: list[list[tuple[str, str]]], folder: Path) -> None:
    sources = [as_markdown(parts).encode() for parts in archive]
    started = time.perf_counter()
    items = sum(
        len(parse_text(data, folder / f"m{i}.md")[0].items) for i, data in enumerate(sources)
    )
    elapsed = time.perf_counter() - started
    size = sum(len(s) for s in sources) / 1e6
    print(f"text  parse     {len(sources)} docs, {items} items, {size:.1f} MB in {elapsed:.2f} s: "
          f"{rate(len(sources), elapsed)} docs")  # fmt: skip


def bench_pdf(archive: list[list[tuple[str, str]]], folder: Path) -> None:
    started = time.perf_counter()
    pdfs = [typst.compile(as_typst(parts)) for parts in archive]
    print(f"(typst generated {len(pdfs)} PDFs in {time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    pages = sum(len(extract_pages(data, folder / "x.pdf")) for data in pdfs)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    items = sum(len(parse_pdf(data, folder / f"m{i}.pdf")[0].items) for i, data in enumerate(pdfs))
    elapsed = time.perf_counter() - started
    print(
        f"pdf   extract   {len(pdfs)} docs, {pages} pages in {baseline:.2f} s: "
        f"{rate(len(pdfs), baseline)} docs {rate(pages, baseline)} pages   (baseline: pypdfium2 only)"  # noqa: E501
    )
    print(f"pdf   parse     {len(pdfs)} docs, {items} items in {elapsed:.2f} s: "
          f"{rate(len(pdfs), elapsed)} docs {rate(pages, elapsed)} pages   "
          f"({elapsed / baseline:.2f}x extraction alone)")  # fmt: skip


if __name__ == "__main__":
    main()
