"""Danish typesetting for the PDF: non-breaking spaces where a line must not break.

A line break between "d." and "02-02-2026", "36,2" and "%", "kl." and "16.00" or "§" and
"17" splits what a reader takes in as one thing; the seed minutes (and Danish typesetting
practice) keep them together. Only spaces are changed, never letters, so the text reads
and extracts the same (gremium.lib.pdf_text turns the no-break space back into a space).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # An abbreviation before a number or a paragraph sign: "d. 2.", "nr. 5", "kl. 16.00",
    # "pkt. 3", "stk. 2", "jf. § 5", "ca. 40", "s. 12".
    (re.compile(r"\b(d|nr|kl|pkt|stk|jf|ca|s)\. +(?=[\d§])", re.IGNORECASE), "\\1." + NBSP),
    # The paragraph sign and its number: "§ 17".
    (re.compile(r"(§§?) +(?=\d)"), "\\1" + NBSP),
    # A day and its month: "2. februar".
    (re.compile(rf"\b(\d{{1,2}})\. +(?=(?:{_MONTHS})\b)", re.IGNORECASE), "\\1." + NBSP),
    # A number and its unit: "36,2 %", "100 kr.", "5 mio. kr.", "12 timer".
    (
        re.compile(
            r"(\d) +(?=(?:%|‰|kr\b|kr\.|mio\b|mio\.|mia\b|mia\.|mill\.|procent|pct\.|timer\b|"
            r"time\b|dage\b|uger\b|år\b|m²|km\b|m\b))"
        ),
        "\\1" + NBSP,
    ),
    # "mio. kr.", "mia. kr.", "t. kr.": one amount word.
    (re.compile(r"\b(mio|mia|mill|t)\. +(?=kr\b)", re.IGNORECASE), "\\1." + NBSP),
)


def keep_together(text: str) -> str:
    """`text` with no-break spaces where Danish typesetting keeps words on one line."""
    if " " not in text:
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
