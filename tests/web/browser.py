"""Shared helpers for the browser tests: Debian's chromium driven by Playwright, axe-core, screenshots.

Why shared: the widget tests and the console tests must launch the browser and judge accessibility the same
way, so a change to how (flags, the axe rules we fail on) is made once.
"""
from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Skipped in the tests, not at import, so the tier rule (tests/conftest.py) sees the browser marker: with
# REQUIRE_TIERS=browser (make test, CI) a missing browser fails the run instead of passing it unchecked.
try:
    from playwright import sync_api
except ImportError:  # pragma: no cover - the tier rule turns the resulting skips into failures where required
    sync_api = None
NEEDS_BROWSER = [pytest.mark.browser,
                 pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                                    "/usr/bin/chromium (apt-get install chromium)"),
                 pytest.mark.skipif(sync_api is None, reason="playwright (python) is not installed")]
AXE_JS = Path(os.environ.get("AXE_JS") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
if not AXE_JS.is_absolute():
    AXE_JS = ROOT / AXE_JS
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 320, "height": 640}


class Served:
    """A WSGI app on a loopback port (0: any free one) in a daemon thread; `stop()` ends it."""

    def __init__(self, app: Any, port: int = 0) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@contextmanager
def launched_chromium(sync_api: Any) -> Iterator[Any]:
    """Debian's chromium through Playwright (Playwright's own browser download cannot work offline)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any, label: str, folder: Path = ARTIFACTS) -> list[dict[str, Any]]:
    """Run axe-core on the page; save every violation to folder/axe-<label>.json; return them all."""
    folder.mkdir(parents=True, exist_ok=True)
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    (folder / f"axe-{label}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    print(f"axe {label}: {json.dumps(violations)}")
    return violations


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def focused(page: Any) -> dict[str, str]:
    """id, tag and text of the focused element. Autofocus lands a moment after navigation, so this first
    waits (briefly) for focus to leave the page body."""
    try:
        page.wait_for_function("() => document.activeElement && document.activeElement !== document.body",
                               timeout=3000)
    except Exception:  # nothing focused: report what is (the body), and let the test's assertion say so
        pass
    return page.evaluate("() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
                         " text: (document.activeElement.textContent || '').trim()})")
