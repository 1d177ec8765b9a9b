"""What sealing adds to storing approved minutes: the time to seal and to verify a PDF,
beside the rendering it follows (the baseline), measured in one process on the demo
meeting and on the generated 400-page meeting (bench/meeting.py). Uses the test seal in
a temporary data folder (an EC P-256 key; an RSA-3072 organisation certificate signs
in a few ms more).

    .venv/bin/python bench/seal.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "gremium/demo/haderslev-bbu-2026-02-02.json"
RUNS = 5


def main() -> None:
    os.environ.update({"DEBUG": "1", "GREMIUM_SEAL_TEST_CERTIFICATE": "1"})
    os.environ["GREMIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="gremium-bench-seal-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gremium.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django
    import pypdfium2

    django.setup()
    from meeting import large_meeting

    from gremium.documents.pdf import render_pdf
    from gremium.documents.seal_verify import verify_sealed_pdf
    from gremium.documents.sealing import seal_minutes_pdf
    from gremium.lib.document_json import load_document
    from gremium.organizations.models import Body

    seed = load_document(SEED)
    body = Body(name=seed.body_name)
    seal_minutes_pdf(render_pdf(seed), body)  # makes the test seal once
    print(f"{'case':<8}{'pages':>7}{'render ms':>11}{'seal ms':>9}{'verify ms':>11}{'+bytes':>8}")
    for name, document in (("demo", seed), ("large", large_meeting(seed))):
        render_ms, pdf = _median(lambda d=document: render_pdf(d))
        seal_ms, sealed = _median(lambda p=pdf: seal_minutes_pdf(p, body, fingerprint="0" * 64))
        verify_ms, report = _median(lambda s=sealed: verify_sealed_pdf(s))
        assert report.ok, report
        pages = len(pypdfium2.PdfDocument(pdf))
        print(
            f"{name:<8}{pages:>7}{render_ms:>11.0f}{seal_ms:>9.0f}{verify_ms:>11.0f}"
            f"{len(sealed) - len(pdf):>8}"
        )


def _median(run: Callable[[], object]) -> tuple[float, object]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


if __name__ == "__main__":
    main()
