"""Word links in the HTML report, in headless Chromium (see tests/browser.py): a linked
word lights up its counterpart on hover and on keyboard focus (page/wordlinks.js)."""

from __future__ import annotations


def counterparts(page) -> list[str]:
    return page.eval_on_selector_all("span.w-counterpart", "spans => spans.map(s => s.textContent)")


def test_hovering_a_word_shows_its_counterpart(open_report, seed_alignment):
    page = open_report(seed_alignment).page
    mosul = page.locator("td.tgt span.w", has_text="Mosul").first
    mosul.hover()
    assert "الموصل" in counterparts(page)
    assert "الموصل" in (mosul.get_attribute("title") or "")
    page.mouse.move(0, 0)
    assert counterparts(page) == []


def test_focusing_a_word_shows_its_counterpart(open_report, seed_alignment):
    page = open_report(seed_alignment).page
    arabic = page.locator("td.src span.w", has_text="الموصل").first
    arabic.focus()
    assert "Mosul" in counterparts(page)
    # every wrapped word has a counterpart, and the text reads as before
    assert page.eval_on_selector_all("span.w", "s => s.length") > 100
    assert page.locator("tr#bead-3 td.tgt .text").first.text_content() == (
        seed_alignment.tgt_sentences[seed_alignment.beads[2].tgt[0]].text
    )
