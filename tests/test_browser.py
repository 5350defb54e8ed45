"""The HTML report as a reader sees it, in headless Chromium driven by Playwright (see
tests/browser.py): rows, directions, escaping, navigation between flags."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from align.result import Alignment
from align.scoring import Flag
from tests.browser import Report
from tests.conftest import SEEDS
from tests.test_reporting import SAMPLE, make_alignment


def padded(n: int, after: int = 0) -> Alignment:
    """The sample after `n` good beads (and before `after` more), so that its first flag
    is below the fold."""
    good = [([f"جملة رقم {i}."], [f"Sentence number {i}."], ()) for i in range(n + after)]
    return make_alignment(good[:n] + SAMPLE + good[n:])


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


def test_next_and_previous_go_on_from_where_the_reader_is(
    open_report: Callable[[Alignment], Report],
) -> None:
    report = open_report(padded(30, after=30))  # flags on beads 32, 34, 36 and 38
    page = report.page
    page.click("#bead-35 td.side.tgt")
    assert report.current() == "bead-35"
    page.keyboard.press("j")
    assert report.current() == "bead-36"
    page.click("#bead-33 td.side.src")
    page.keyboard.press("k")
    assert report.current() == "bead-32"
    # nothing chosen: from the first row on screen
    page.reload()
    for _ in range(2):  # the column header sticks once scrolled: measure it then
        page.evaluate(  # bead 35 just below the sticky header
            "scrollBy(0, document.getElementById('bead-35').getBoundingClientRect().top"
            " - document.querySelector('table.beads thead').getBoundingClientRect().bottom)"
        )
    page.keyboard.press("j")
    assert report.current() == "bead-36"


def test_a_bead_link_highlights_its_row(open_report: Callable[[Alignment], Report]) -> None:
    report = open_report(padded(30))
    page = report.page
    page.goto(page.url + "#bead-33")
    assert report.current() == "bead-33"
    assert report.in_view("#bead-33")
    page.click("#bead-5 td.num a")
    assert report.current() == "bead-5"
    assert page.url.endswith("#bead-5")
    page.click("#bead-33 td.num a")
    page.click("#bead-5 td.num a")  # the same link twice still highlights
    assert report.current() == "bead-5"


def test_an_omission_links_to_the_other_sentences_it_may_be(
    open_report: Callable[[Alignment], Report],
) -> None:
    good = [([f"جملة رقم {i}."], [f"Sentence number {i}."], ()) for i in range(30)]
    omission = Flag("omission", "sentence of the original only", elsewhere=(3, 4, 99))
    report = open_report(make_alignment([*good, (["جملة لا مقابل لها."], [], (omission,))]))
    page = report.page
    links = page.eval_on_selector_all(
        "#bead-31 .flag .elsewhere a", "as => as.map(a => [a.textContent, a.hash])"
    )
    assert links == [["sentence 4", "#bead-4"], ["sentence 5", "#bead-5"]]  # 100: no such
    page.check("#only-flagged")  # bead 5 is hidden: following the link shows it
    assert page.is_hidden("#bead-5")
    page.click("#bead-31 .elsewhere a >> nth=1")
    assert report.current() == "bead-5"
    assert report.in_view("#bead-5")


def test_filters_by_category_score_decision_and_text(
    open_report: Callable[[Alignment], Report],
) -> None:
    alignment = make_alignment()
    report = open_report(alignment)
    page = report.page
    everything = list(range(len(alignment.beads)))
    page.click('.legend-item[data-category="number_mismatch"]')
    assert report.visible_rows() == [3]
    assert page.inner_text("#shown") == "showing 1 of 8 beads"
    page.click('.legend-item[data-category="addition"]')
    assert report.visible_rows() == [1, 3]
    assert page.get_attribute('.legend-item[data-category="addition"]', "aria-pressed") == "true"
    page.click('.legend-item[data-category="addition"]')
    page.click('.legend-item[data-category="number_mismatch"]')
    assert report.visible_rows() == everything
    page.click('.histogram .bin[data-low="0.9"]')  # divergence 0.9 to 1
    assert report.visible_rows() == [1, 3, 5, 7]
    page.click('.histogram .bin[data-low="0.1"]')  # another range replaces it
    assert report.visible_rows() == [0, 2, 4, 6]
    page.get_by_role("button", name="Clear filters").click()
    assert report.visible_rows() == everything
    assert page.is_hidden("#clear-filters")
    search = page.get_by_label("Search both texts")
    search.fill("CAPTAIN ahab")
    assert report.visible_rows() == [1]
    search.fill("الجُمـلة الثانية")  # diacritics and tatweel do not matter
    assert report.visible_rows() == [6]
    search.fill("no such words")
    assert report.visible_rows() == []
    assert page.inner_text("#flag-position") == "0 flagged beads shown"
    search.fill("")
    assert report.visible_rows() == everything


def test_the_minimap_shows_where_the_flags_are(open_report: Callable[[Alignment], Report]) -> None:
    report = open_report(padded(60))  # 68 beads, flags on 62, 64, 66 and 68
    page = report.page
    marks = page.locator("#minimap a")
    assert marks.count() == 4
    tops = [marks.nth(i).bounding_box()["y"] for i in range(4)]
    height = page.viewport_size["height"]
    assert tops == sorted(tops) and tops[0] > 0.85 * height, "near the end of the document"
    view = page.locator("#minimap-view").bounding_box()
    assert view["y"] < 5, "the frame shows the top of the document on screen"
    marks.nth(2).click()
    assert report.current() == "bead-66"
    assert report.in_view("#bead-66")
    assert page.locator("#minimap-view").bounding_box()["y"] > 0.5 * height
    page.click('.legend-item[data-category="omission"]')
    dim = [marks.nth(i).get_attribute("class") or "" for i in range(4)]
    assert ["dim" in c for c in dim] == [True, True, False, True]


def test_shortcuts_can_be_switched_off_and_stay_off(
    open_report: Callable[[Alignment], Report],
) -> None:
    report = open_report(padded(30))
    page = report.page
    page.get_by_label("Search both texts").fill("j")  # typing is never a shortcut
    assert page.locator("tr.current").count() == 0
    page.get_by_label("Search both texts").fill("")
    page.get_by_label("Shortcuts").uncheck()
    assert page.is_hidden(".hint")
    page.keyboard.press("j")
    assert page.locator("tr.current").count() == 0
    page.reload()
    assert not page.get_by_label("Shortcuts").is_checked()
    page.keyboard.press("j")
    assert page.locator("tr.current").count() == 0
    page.get_by_label("Shortcuts").check()
    page.keyboard.press("j")
    assert report.current() == "bead-32"


def test_a_skip_link_leads_past_the_header(open_report: Callable[[Alignment], Report]) -> None:
    page = open_report(make_alignment()).page
    page.keyboard.press("Tab")
    link = page.locator(":focus")
    assert link.inner_text() == "Skip to the alignment"
    assert link.is_visible() and link.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "beads"
