"""The browser suite's own guard: without axe-core it fails, it never skips."""

from __future__ import annotations

import pytest

from tests import browser_checks


def test_a_missing_axe_core_fails_the_suite_loudly(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_checks, "AXE", tmp_path / "axe.min.js")
    with pytest.raises(pytest.fail.Exception, match=r"axe-core is missing .*setup --test"):
        browser_checks.axe_script()


def test_axe_core_is_installed_at_the_locked_version():
    import json

    assert browser_checks.axe_script().stat().st_size > 100_000
    lock = json.loads((browser_checks.AXE.parents[2] / "package-lock.json").read_text())
    installed = json.loads((browser_checks.AXE.parent / "package.json").read_text())
    assert installed["version"] == lock["packages"]["node_modules/axe-core"]["version"]
