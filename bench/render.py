"""Time and memory of rendering the minutes as PDF: Typst (ours) against WeasyPrint.

Every measurement runs in a fresh subprocess so that its peak resident memory
(ru_maxrss, which counts the Rust and C sides too) belongs to that rendering alone.
Each child renders twice: "first" includes loading fonts and compiling the template,
"warm" is the second rendering in the same process, as in a running server.

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


def main() -> None:
    if len(sys.argv) == 3:
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
        return
    results = {(case, engine): child(case, engine) for case in CASES for engine in ENGINES}
    report(results)


def child(case: str, engine: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "1"}
    run = subprocess.run(
        [sys.executable, __file__, case, engine],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure(case: str, engine: str) -> dict[str, float]:
    from gremium.documents.serialize import load_document

    document = load_document(SEED)
    if case == "large":
        sys.path.insert(0, str(ROOT / "bench"))
        from meeting import large_meeting

        document = large_meeting(document)
    render = _renderer(engine)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first, pdf = _timed(render, document)
    warm, _ = _timed(render, document)
    pages = _pages(pdf)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"first": first, "warm": warm, "pages": pages, "rss": rss, "rss_before": rss_before}


def _renderer(engine: str):  # type: ignore[no-untyped-def]
    if engine == "typst":
        from gremium.documents.pdf import render_pdf

        return render_pdf
    sys.path.insert(0, str(ROOT / "bench"))
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


def report(results: dict[tuple[str, str], dict[str, float]]) -> None:
    print(f"{'case':6} {'engine':10} {'pages':>5} {'first s':>8} {'warm s':>7}", end="")
    print(f" {'peak MB':>8} {'(import MB)':>11}")
    for (case, engine), r in results.items():
        print(
            f"{case:6} {engine:10} {r['pages']:5d} {r['first']:8.3f} {r['warm']:7.3f}"
            f" {r['rss']:8.0f} {r['rss_before']:11.0f}"
        )
    for case in CASES:
        ours, base = results[(case, "typst")], results[(case, "weasyprint")]
        print(
            f"{case}: typst is {base['first'] / ours['first']:.1f}x faster first,"
            f" {base['warm'] / ours['warm']:.1f}x warm; peak memory {ours['rss']:.0f} MB"
            f" vs {base['rss']:.0f} MB"
        )


if __name__ == "__main__":
    main()
