"""Time and memory of rendering the minutes as PDF: Typst (ours) against WeasyPrint.

Every figure comes from a fresh subprocess, so that its peak resident memory (ru_maxrss,
which counts the Rust and C sides too) belongs to that process's renderings alone:

- "first": one rendering, including loading fonts and compiling the template; its peak
  is the figure for a process that renders once (the command line, a fresh worker).
- "warm": two renderings of the same meeting in one process, as in a running server; the
  peak is the maximum over both. Typst keeps no memoized layouts between renderings
  (gremium/documents/pdf.py drops them), so the second is not much faster than the first.
- "then another" (large case, Typst only): the meeting, then a different meeting of the
  same size in the same process, the usual case in a server; the peak is over both.

    .venv/bin/python bench/render.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "gremium/demo/haderslev-bbu-2026-02-02.json"
CASES = ("seed", "large")
ENGINES = ("typst", "weasyprint")
MODES = ("first", "warm", "other")

Result = dict[str, float]


def main() -> None:
    if len(sys.argv) == 4:
        print(json.dumps(measure(sys.argv[1], sys.argv[2], sys.argv[3])))
        return
    results = {
        (case, engine): {mode: child(case, engine, mode) for mode in ("first", "warm")}
        for case in CASES
        for engine in ENGINES
    }
    results[("large", "typst")]["other"] = child("large", "typst", "other")
    report(results)


def child(case: str, engine: str, mode: str) -> Result:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "1"}
    run = subprocess.run(
        [sys.executable, __file__, case, engine, mode],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure(case: str, engine: str, mode: str) -> Result:
    from gremium.lib.document_json import load_document

    seed = load_document(SEED)
    sys.path.insert(0, str(ROOT / "bench"))
    from meeting import large_meeting

    document = large_meeting(seed) if case == "large" else seed
    second = large_meeting(seed, salt=2027) if mode == "other" else document
    render = _renderer(engine)
    rss_before = _peak()
    first, pdf = _timed(render, document)
    rss_first = _peak()
    warm = 0.0
    if mode != "first":
        warm, _ = _timed(render, second)
    rss = _peak()
    return {
        "first": first,
        "warm": warm,
        "pages": _pages(pdf),
        "rss": rss,
        "rss_first": rss_first,
        "rss_before": rss_before,
    }


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _renderer(engine: str):  # type: ignore[no-untyped-def]
    if engine == "typst":
        from gremium.documents.pdf import render_pdf

        return render_pdf
    from baseline_html import baseline_html
    from weasyprint import HTML

    return lambda d: HTML(string=baseline_html(d)).write_pdf(pdf_variant="pdf/ua-1")


def _timed(render, document):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    pdf = render(document)
    return time.perf_counter() - start, pdf


def _pages(pdf: bytes) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(pdf))


def report(results: dict[tuple[str, str], dict[str, Result]]) -> None:
    print("peak MB = ru_maxrss of a fresh process; import MB = its peak before rendering")
    print(f"{'case':6} {'engine':10} {'pages':>5} {'first s':>8} {'peak MB':>8} ", end="")
    print(f"{'warm s':>7} {'peak MB first+warm':>18} {'import MB':>9}")
    for (case, engine), r in results.items():
        first, warm = r["first"], r["warm"]
        print(
            f"{case:6} {engine:10} {first['pages']:5d} {first['first']:8.3f}"
            f" {first['rss']:8.0f} {warm['warm']:7.3f} {warm['rss']:18.0f}"
            f" {first['rss_before']:9.0f}"
        )
    other = results[("large", "typst")]["other"]
    print(
        f"large  typst, then a different 100-item meeting in the same process:"
        f" {other['warm']:.3f} s, peak {other['rss']:.0f} MB"
        f" (after the first {other['rss_first']:.0f} MB)"
    )
    for case in CASES:
        ours, base = results[(case, "typst")], results[(case, "weasyprint")]
        print(
            f"{case}: typst is {base['first']['first'] / ours['first']['first']:.1f}x faster"
            f" first, {base['warm']['warm'] / ours['warm']['warm']:.1f}x warm;"
            f" peak memory first {ours['first']['rss']:.0f} MB vs {base['first']['rss']:.0f} MB,"
            f" first+warm {ours['warm']['rss']:.0f} MB vs {base['warm']['rss']:.0f} MB"
        )


if __name__ == "__main__":
    main()
