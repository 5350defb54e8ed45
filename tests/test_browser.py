"""The HTML report as a reader sees it, in headless Chromium driven by Playwright.

Needs the Python package `playwright` and Debian's Chromium at /usr/bin/chromium (Playwright's
own browser download is not used); the tests are skipped without them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from align.result import Alignment
from align.scoring import Flag
from tests.test_reporting import SAMPLE, make_alignment

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
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
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

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
pytestmark = pytest.mark.skipif(bool(MISSING), reason=MISSING)


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless and quiet (no first-run, sync or update traffic)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Report:
    """An open report, with the dialogs it raised and the URLs it asked for."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def visible_rows(self) -> list[int]:
        """The bead indices of the rows a reader can see."""
        rows = self.page.locator("tr.bead:visible")
        return [int(rows.nth(i).get_attribute("data-index") or -1) for i in range(rows.count())]

    def in_view(self, selector: str) -> bool:
        box = self.page.locator(selector).bounding_box()
        height = self.page.viewport_size["height"] if self.page.viewport_size else 0
        return box is not None and 0 <= box["y"] <= height - box["height"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_report(browser: Browser, tmp_path: Path) -> Iterator[Callable[[Alignment], Report]]:
    """Write an alignment's HTML report to a file and open it in a 1200 x 700 window."""
    pages: list[Page] = []

    def open_(alignment: Alignment) -> Report:
        path = tmp_path / f"report{len(pages)}.html"
        alignment.write(path)
        page = browser.new_page(viewport={"width": 1200, "height": 700})
        pages.append(page)
        report = Report(page)
        page.on("dialog", lambda dialog: (report.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: report.requests.append(request.url))
        page.goto(path.as_uri())
        return report

    yield open_
    for page in pages:
        page.close()


def padded(n: int) -> Alignment:
    """The sample after `n` good beads, so that its first flag is below the fold."""
    good = [([f"جملة رقم {i}."], [f"Sentence number {i}."], ()) for i in range(n)]
    return make_alignment(good + SAMPLE)


def test_original_cells_read_right_to_left(open_report: Callable[[Alignment], Report]) -> None:
    page = open_report(make_alignment()).page
    styles = page.eval_on_selector_all(
        "td.side",
        "cells => cells.map(c => [c.classList.contains('src'), getComputedStyle(c).direction,"
        " getComputedStyle(c).textAlign])",
    )
    assert {tuple(s) for s in styles} == {(True, "rtl", "right"), (False, "ltr", "start")}


def test_every_bead_is_a_visible_row(open_report: Callable[[Alignment], Report]) -> None:
    alignment = make_alignment()
    assert open_report(alignment).visible_rows() == list(range(len(alignment.beads)))


def test_only_flagged_hides_the_other_rows(open_report: Callable[[Alignment], Report]) -> None:
    alignment = make_alignment()
    report = open_report(alignment)
    flagged = [i for i, bead in enumerate(alignment.beads) if bead.flags]
    report.page.get_by_label("Only flagged rows").check()
    assert report.visible_rows() == flagged == [1, 3, 5, 7]
    report.page.get_by_label("Only flagged rows").uncheck()
    assert report.visible_rows() == list(range(len(alignment.beads)))


def test_keys_move_between_flags(open_report: Callable[[Alignment], Report]) -> None:
    report = open_report(padded(30))
    page = report.page
    assert not report.in_view("#bead-32")
    page.keyboard.press("j")
    assert page.locator("tr.bead.current").get_attribute("id") == "bead-32"
    assert report.in_view("#bead-32")
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("#flag-position").inner_text() == "flagged bead 1 of 4"
    page.keyboard.press("n")
    assert page.locator("tr.current").get_attribute("id") == "bead-34"
    page.keyboard.press("k")
    page.keyboard.press("p")
    assert page.locator("tr.current").get_attribute("id") == "bead-38", "wraps to the last"
    assert page.locator("tr.current").count() == 1
    assert report.in_view("#bead-38")


def test_buttons_move_between_flags(open_report: Callable[[Alignment], Report]) -> None:
    page = open_report(padded(30)).page
    page.get_by_role("button", name="Previous flag").click()
    assert page.locator("tr.current").get_attribute("id") == "bead-38"
    page.get_by_role("button", name="Next flag").click()
    assert page.locator("tr.current").get_attribute("id") == "bead-32"


def test_text_that_looks_like_html_stays_text(open_report: Callable[[Alignment], Report]) -> None:
    attacks = [
        "<script>window.__pwned = 1</script>",
        '<img src="x" onerror="window.__pwned = 2">',
        "</td></tr></table><script>alert(document.domain)</script>",
    ]
    spec = [([f"نص {attack}"], [attack], (Flag("meaning_shift", attack),)) for attack in attacks]
    report = open_report(make_alignment(spec, warnings=(attacks[0],)))
    page = report.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert report.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("td.tgt .text").all_inner_texts() == attacks
    assert report.visible_rows() == [0, 1, 2]


def test_report_loads_nothing_but_itself(open_report: Callable[[Alignment], Report]) -> None:
    report = open_report(make_alignment())
    assert len(report.requests) == 1
    assert report.requests[0].startswith("file://")


@pytest.mark.slow
def test_seed_report(open_report: Callable[[Alignment], Report]) -> None:
    """The real seed pair through the real encoder: rows, directions and flags in a browser."""
    align = pytest.importorskip("align", reason="the align package does not import")
    alignment = align.compare(
        (SEEDS / "mosul.ar.txt").read_text("utf-8"), (SEEDS / "mosul.en.txt").read_text("utf-8")
    )
    report = open_report(alignment)
    page = report.page
    assert report.visible_rows() == list(range(len(alignment.beads)))
    directions = page.eval_on_selector_all(
        "td.src", "cells => cells.map(c => getComputedStyle(c).direction)"
    )
    assert directions == ["rtl"] * len(alignment.beads)
    first = next(i for i, bead in enumerate(alignment.beads) if bead.flags)
    page.keyboard.press("j")
    assert report.in_view(f"#bead-{first + 1}.current")
