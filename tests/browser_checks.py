"""What the browser suite checks on every page it visits.

- axe-core finds no violation of impact serious or critical, and no repeated id (axe's
  `duplicate-id*` rules are deprecated and off by default; they are switched on here, and
  their "needs review" results count as failures too);
- the page does not scroll sideways at the suite's 320 px viewport (WCAG 1.4.10, reflow),
  nor at 1280 px where a test asks for both (`check_page_at_widths`);
- the page's Content-Security-Policy blocked nothing: a blocked inline style or script
  means a template still has one.

axe-core comes from the npm registry: tests/browser/package.json pins it and
`./scripts/setup --test` installs it (`npm ci`). It is loaded as an init script through the
DevTools protocol, which the page's own policy does not govern; a <script> tag added to the
page would be blocked by that policy, and bypassing the policy would hide what it blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 320, "height": 720}
WIDTHS = (320, 1280)  # issue 9: every new page is checked on a phone and on a desktop
FAILING_IMPACTS = ("serious", "critical")

# Runs in every page before its own code: collects what the page's policy blocked.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
      ` (${event.sourceFile || "page"}:${event.lineNumber})`
  );
});
"""

RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    rules: {"duplicate-id": {enabled: true}, "duplicate-id-active": {enabled: true}},
    resultTypes: ["violations", "incomplete"],
  });
  const duplicate = (rule) => rule.id.startsWith("duplicate-id");
  const failing = (rule) => %s.includes(rule.impact) || duplicate(rule);
  const describe = (rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.slice(0, 5).map((n) => n.target.join(" ") + "  " + n.html.slice(0, 160)),
  });
  return result.violations.filter(failing).map(describe)
    .concat(result.incomplete.filter(duplicate).map(describe));
}
""" % list(FAILING_IMPACTS)  # noqa: UP031 (a JavaScript body: braces everywhere)

OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.closest(".table-scroll") || el.matches(".table-scroll"))
    .slice(0, 5)
    .map((el) => el.outerHTML.slice(0, 120));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}
"""


def axe_script() -> Path:
    """The axe-core build; its absence fails the suite, since skipping would pass silently."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE}). Install it with ./scripts/setup --test "
            "(npm ci in tests/browser).",
            pytrace=False,
        )
    return AXE


def prepare(context: Any) -> None:
    """Give every page of the browser context axe-core and the policy recorder."""
    context.add_init_script(path=str(axe_script()))
    context.add_init_script(script=RECORD_CSP_VIOLATIONS)


def check_page(page: Any) -> None:
    """Fail with the page's address and what is wrong with it, at the page's viewport
    width (the suite's 320 px unless a test changed it)."""
    page.wait_for_load_state()
    where = page.url
    width = page.viewport_size["width"]
    violations = page.evaluate(RUN_AXE)
    assert violations == [], f"axe on {where} at {width} px: {violations}"
    layout = page.evaluate(OVERFLOW)
    assert layout["scrollWidth"] <= width, f"wider than {width} px: {where}: {layout}"
    blocked = page.evaluate("window.__cspViolations")
    assert blocked == [], f"Content-Security-Policy blocked on {where}: {blocked}"


def check_page_at_widths(page: Any, widths: tuple[int, ...] = WIDTHS) -> None:
    """check_page at each width (a phone's 320 px and a desktop's 1280 px), leaving the
    viewport as it was."""
    before = dict(page.viewport_size)
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": before["height"]})
            check_page(page)
    finally:
        page.set_viewport_size(before)
