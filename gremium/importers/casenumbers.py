"""Case numbers (sagsnumre) in the shapes Danish case systems print them.

25/30508 (year/serial), 2012-28504 (year-serial), 330-2018-3619 and 306-2009-600
(prefix-year-serial), 299835 (a bare serial), 1-51-71-3321-08 (KL journal plan style)
and EMN-2025-003383 (letters-year-serial).
"""

from __future__ import annotations

import re

CASE_NUMBER = re.compile(
    r"""(?x)
    (?:[A-ZÆØÅ]{2,6}-\d{4}-\d{1,8})              # EMN-2025-003383
    |(?:\d{1,3}-\d{4}-\d{1,8})                   # 330-2018-3619
    |(?:\d{1,2}(?:-\d{1,4}){3,5})                # 1-51-71-3321-08
    |(?:\d{2}/\d{1,8})                           # 25/30508
    |(?:(?:19|20)\d{2}\s?[-–]\s?\d{1,8})         # 2012-28504
    |(?:\d{5,8})                                 # 299835
    """
)

_LABEL = re.compile(r"^(?:sagsnr|sagsnummer|sag nr|journalnr|j\.\s?nr|emnenr)\.?\s*:?\s*", re.I)


def normalize_case_number(text: str) -> str:
    """Remove the spaces and dash variants PDF extraction brings into a case number."""
    return re.sub(r"\s*[-–]\s*", "-", text.strip())


def parse_case_number_line(line: str) -> str | None:
    """The case number when the whole line is one (optionally labelled "Sagsnr.:"), else None."""
    text = line.strip().strip("*").strip()
    labelled = _LABEL.match(text)
    if labelled:
        text = text[labelled.end() :].strip()
    match = CASE_NUMBER.fullmatch(text)
    if match is None:
        return None
    if not labelled and _looks_like_a_year_range(text):
        return None
    return normalize_case_number(match.group(0))


def _looks_like_a_year_range(text: str) -> bool:
    # "2024-2027" alone on a line is a period, not a case number
    match = re.fullmatch(r"((?:19|20)\d{2})-((?:19|20)\d{2})", text)
    return match is not None and int(match.group(2)) > int(match.group(1))


def is_labelled_case_line(line: str) -> bool:
    return bool(_LABEL.match(line.strip().strip("*").strip()))
