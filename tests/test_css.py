"""The stylesheet's colours, checked from the CSS itself: the focus outline keeps at least
3:1 contrast (WCAG 2.1, 1.4.11) against every background the stylesheet paints."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "gremium" / "static" / "gremium" / "site.css"
HEX = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b"


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _variables(css: str) -> dict[str, str]:
    return dict(re.findall(rf"(--[\w-]+):\s*({HEX})", css))


def _resolve(value: str, variables: dict[str, str]) -> str:
    found = re.search(rf"var\((--[\w-]+)\)|({HEX})", value)
    assert found, value
    return variables[found.group(1)] if found.group(1) else found.group(2)


def focus_outline(css: str) -> str:
    rule = re.search(r"(?<![\w-]):focus-visible\s*\{([^}]*)\}", css)
    assert rule, "the stylesheet has no :focus-visible rule for every element"
    outline = re.search(r"outline:\s*([^;]+);", rule.group(1))
    assert outline, rule.group(0)
    return _resolve(outline.group(1), _variables(css))


def backgrounds(css: str) -> set[str]:
    variables = _variables(css)
    values = re.findall(r"background(?:-color)?:\s*([^;}]+)", css)
    return {_resolve(v, variables) for v in values if v.strip() not in ("none", "transparent")}


def test_contrast_matches_the_wcag_reference_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
    # The outline this replaces: amber on white, 2.2:1.
    assert contrast("#e8a317", "#ffffff") < 3


def test_the_focus_outline_stands_out_from_every_background():
    css = CSS.read_text()
    outline = focus_outline(css)
    painted = backgrounds(css)
    assert "#fff" in painted and len(painted) >= 5  # the page and the message boxes
    ratios = {bg: round(contrast(outline, bg), 2) for bg in painted}
    assert min(ratios.values()) >= 3, ratios
