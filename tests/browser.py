"""Opening reports in headless Chromium, for the browser tests and docs/make_screenshot.py.

Needs the Python package `playwright` and Debian's Chromium at /usr/bin/chromium (Playwright's
own browser download is not used); the browser tests are skipped without them, except in CI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    Browser = Page = Any
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

MISSING = (
    "needs `pip install playwright`"
    if sync_playwright is None
    else f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    if not CHROMIUM.exists()
    else ""
)
if MISSING and os.environ.get("CI"):
    # .ci/run installs both: in CI a missing browser is a failure, not a skip.
    raise RuntimeError(f"browser tests cannot run: {MISSING}")


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless and quiet (no first-run, sync or update traffic)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Report:
    """An open report, with the dialogs it raised, the URLs it asked for and its errors."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def visible_rows(self) -> list[int]:
        """The bead indices of the rows a reader can see."""
        rows = self.page.locator("tr.bead:visible")
        return [int(rows.nth(i).get_attribute("data-index") or -1) for i in range(rows.count())]

    def in_view(self, selector: str) -> bool:
        box = self.page.locator(selector).bounding_box()
        height = self.page.viewport_size["height"] if self.page.viewport_size else 0
        return box is not None and 0 <= box["y"] <= height - box["height"]

    def current(self) -> str | None:
        """The id of the row marked as the reader's current one."""
        return self.page.locator("tr.bead.current").get_attribute("id")


def open_page(
    browser: Browser, path: Path, width: int = 1200, height: int = 700, **options
) -> Report:
    """Open the report file `path` in a new page (its own storage) of the given size."""
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    report = Report(page)
    page.on("dialog", lambda dialog: (report.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: report.requests.append(request.url))
    page.on("pageerror", lambda error: report.errors.append(str(error)))
    page.goto(path.as_uri())
    return report
