"""Screenshot the HTML report of the seed pair into docs/report.png.

Runs align.compare on seeds/mosul.ar.txt and seeds/mosul.en.txt (the real offline encoder) and
photographs the top of the report in headless Chromium, 1400 px wide, showing only the
flagged rows, the first one selected. Needs what tests/test_browser.py needs. Run from anywhere:

    python docs/make_screenshot.py
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # run from a checkout, installed or not

from test_browser import SEEDS, launch, sync_playwright  # noqa: E402

import align  # noqa: E402

OUTPUT = ROOT / "docs" / "report.png"


def main() -> None:
    """Render the seed report, open it, select the first flag and save the screenshot."""
    alignment = align.compare(
        (SEEDS / "mosul.ar.txt").read_text("utf-8"), (SEEDS / "mosul.en.txt").read_text("utf-8")
    )
    alignment = dataclasses.replace(alignment, src_name="mosul.ar.txt", tgt_name="mosul.en.txt")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "report.html"
        alignment.write(path)
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(path.as_uri())
        page.check("#only-flagged")  # the flags and their underlined passages, at a glance
        page.keyboard.press("j")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(OUTPUT))
        browser.close()
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
