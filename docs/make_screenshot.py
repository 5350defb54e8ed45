"""Screenshot the HTML report of the seed pair at 400, 1,024 and 1,600 px into docs/.

Runs align.compare on seeds/mosul.ar.txt and seeds/mosul.en.txt (the real offline encoder),
makes a few review decisions in the page (one flag dismissed, one accepted with a comment)
and photographs it in headless Chromium:

- docs/report-1600.png: the top of the report on a wide screen;
- docs/report-1024.png: the first flagged bead, reached with `j`, under the sticky header;
- docs/report-1024-dark.png: the same in dark mode;
- docs/report-400.png: a phone, original over translation.

Needs what the browser tests need (tests/browser.py). Run from anywhere:

    python docs/make_screenshot.py
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # run from a checkout, installed or not

from browser import launch, open_page, sync_playwright  # noqa: E402
from conftest import SEEDS  # noqa: E402

import align  # noqa: E402

DOCS = ROOT / "docs"


def decide(page) -> None:
    """Dismiss the first flag, accept the second with a comment."""
    flags = page.locator(".flag")
    flags.nth(0).get_by_role("button", name="Dismiss").click()
    flags.nth(1).get_by_role("button", name="Accept").click()
    flags.nth(1).get_by_label("Severity").select_option("major")
    flags.nth(1).get_by_role("button", name="Comment").click()
    flags.nth(1).get_by_label("Comment on this flag").fill("Checked against the original.")
    flags.nth(1).get_by_label("Comment on this flag").blur()


def main() -> None:
    alignment = align.compare(
        (SEEDS / "mosul.ar.txt").read_text("utf-8"), (SEEDS / "mosul.en.txt").read_text("utf-8")
    )
    alignment = dataclasses.replace(alignment, src_name="mosul.ar.txt", tgt_name="mosul.en.txt")
    shots = [
        ("report-1600.png", 1600, 1000, "light", 0),
        ("report-1024.png", 1024, 900, "light", 1),
        ("report-1024-dark.png", 1024, 900, "dark", 1),
        ("report-400.png", 400, 860, "light", 2),
    ]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "report.html"
        alignment.write(path)
        browser = launch(playwright)
        for name, width, height, scheme, steps in shots:
            report = open_page(browser, path, width, height, color_scheme=scheme)
            decide(report.page)
            report.page.evaluate("window.scrollTo(0, 0)")
            for _ in range(steps):
                report.page.keyboard.press("j")
            report.page.wait_for_timeout(200)
            report.page.screenshot(path=str(DOCS / name))
            report.page.close()
            print(f"wrote docs/{name} ({(DOCS / name).stat().st_size // 1024} KB)")
        browser.close()


if __name__ == "__main__":
    main()
