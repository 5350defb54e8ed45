"""The HTML report's layout in Chromium: from 360 px phones to wide screens, dark mode,
WCAG AA contrast of every text it shows, and print."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from align.result import Alignment
from align.scoring import CATEGORIES, Flag
from tests.browser import Report
from tests.test_browser import padded
from tests.test_reporting import SAMPLE, make_alignment

# Every element with text of its own: its colour, the background it is drawn on (the
# backgrounds of its ancestors composited), its size and weight. SVG text uses its fill.
TEXT_COLOURS = """() => {
  const parse = (value) => {
    const found = /rgba?\\(([^)]+)\\)/.exec(value);
    if (!found) return null;
    const p = found[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3]));
  const backdrop = (element) => {
    const chain = [];
    for (let e = element; e; e = e.parentElement) chain.unshift(e);
    let colour = [255, 255, 255];
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) colour = over(c, colour);
    }
    return colour;
  };
  const shown = (element) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return element.getClientRects().length > 0 && style.visibility !== "hidden" &&
      box.width > 1 && box.height > 1 && !element.closest("[hidden]");
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !shown(element) || element.matches("script, style, option")) continue;
    const style = getComputedStyle(element);
    const ink = parse(element instanceof SVGElement ? style.fill : style.color);
    const under = backdrop(element);
    found.push({
      text: element.textContent.trim().slice(0, 30),
      where: [element.tagName.toLowerCase(), ...element.classList].join("."),
      ink: over(ink, under), paper: under,
      size: parseFloat(style.fontSize), bold: parseInt(style.fontWeight, 10) >= 700,
    });
  }
  return found;
}"""


def luminance(rgb: list[float]) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def every_state(report: Report) -> None:
    """Put the page in the states that bring their own colours: decisions, a comment, the
    current row, a sentence chosen for a link, a legend filter, the skip link."""
    page = report.page
    flags = page.locator(".flag")
    flags.nth(0).get_by_role("button", name="Dismiss").click()
    flags.nth(1).get_by_role("button", name="Accept").click()
    flags.nth(2).get_by_role("button", name="Comment").click()
    flags.nth(2).get_by_label("Comment on this flag").fill("a note")
    page.locator("#bead-24 td.num a").click()
    page.click('.idx[data-side="src"][data-index="3"]')
    page.click('.legend-item[data-category="name_mismatch"]')
    page.click('.legend-item[data-category="name_mismatch"]')
    page.keyboard.press("Escape")
    page.focus(".skip-link")


def colourful() -> Alignment:
    """Twenty good beads, the sample, and a bead with a flag of every category marking
    words on both sides."""
    flags = tuple(
        Flag(category, f"the {category} flag", ("فيه",), ("with",)) for category in CATEGORIES
    )
    good = [([f"جملة رقم {i}."], [f"Sentence number {i}."], ()) for i in range(20)]
    return make_alignment([*good, *SAMPLE, (["نص فيه كلمات"], ["A text with words"], flags)])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(open_report: Callable[..., Report], scheme: str) -> None:
    report = open_report(colourful(), color_scheme=scheme, height=2400)
    every_state(report)
    page = report.page
    page.click('.idx[data-side="src"][data-index="3"]')  # a sentence chosen for a link
    page.hover(".idx.picked")  # hovered too
    texts = page.evaluate(TEXT_COLOURS)
    assert len(texts) > 200
    failing = []
    for text in texts:
        large = text["size"] >= 24 or (text["size"] >= 18.66 and text["bold"])
        ratio = contrast(text["ink"], text["paper"])
        if ratio < (3.0 if large else 4.5):
            failing.append(f"{text['where']} “{text['text']}”: {ratio:.2f}")
    assert failing == [], f"{scheme}: texts under AA contrast"
    kinds = {t["where"].split(".")[0] for t in texts}
    assert {"span", "mark", "button", "p", "td", "th", "text", "kbd"} <= kinds


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dark_mode_follows_the_system(open_report: Callable[..., Report], scheme: str) -> None:
    page = open_report(padded(5), color_scheme=scheme).page
    colours = page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color,"
        " getComputedStyle(document.querySelector('tr.flagged')).backgroundColor]"
    )
    paper, ink, tint = ([float(c) for c in re.findall(r"[\d.]+", colour)[:3]] for colour in colours)
    if scheme == "dark":
        assert luminance(paper) < 0.02 and luminance(ink) > 0.6 and luminance(tint) < 0.05
    else:
        assert luminance(paper) > 0.9 and luminance(ink) < 0.05 and luminance(tint) > 0.8


MEASURE = """() => {
  const box = (e) => { const b = e.getBoundingClientRect();
    return {x: b.x, y: b.y, w: b.width, h: b.height, right: b.right, bottom: b.bottom}; };
  const row = document.getElementById("bead-24");
  const seen = (e) => e.getBoundingClientRect().width > 1 &&
    getComputedStyle(e.closest("thead") || e).clipPath === "none";
  const headers = [...document.querySelectorAll("thead th, .summary .card")].filter(seen).map(box);
  return {
    scroll: document.documentElement.scrollWidth, inner: innerWidth,
    table: box(document.querySelector("table.beads")),
    src: box(row.querySelector("td.src")), tgt: box(row.querySelector("td.tgt")),
    status: box(row.querySelector("td.status")), headers,
  };
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["right"] - 1
        and b["x"] < a["right"] - 1
        and (a["y"] < b["bottom"] - 1 and b["y"] < a["bottom"] - 1)
    )


@pytest.mark.parametrize("width", [360, 400, 1024, 1600])
def test_layout_gives_the_texts_the_width(open_report: Callable[..., Report], width: int) -> None:
    """Side by side above 720 px, each text at least 40% of the table; original over
    translation below; never a horizontal scroll bar nor overlapping headers."""
    report = open_report(padded(20, after=20), width=width, height=900)
    page = report.page
    m = page.evaluate(MEASURE)
    assert m["scroll"] <= m["inner"], "no horizontal scrolling"
    table, src, tgt, status = m["table"]["w"], m["src"], m["tgt"], m["status"]
    if width <= 720:
        assert src["w"] >= 0.9 * table and tgt["w"] >= 0.9 * table
        assert tgt["y"] >= src["bottom"] - 1 and status["y"] >= tgt["bottom"] - 1
    else:
        assert src["w"] >= 0.4 * table and tgt["w"] >= 0.4 * table
        assert abs(src["y"] - tgt["y"]) < 1, "side by side"
        assert status["y"] >= max(src["bottom"], tgt["bottom"]) - 1, "flags under the texts"
    headers = m["headers"]
    assert not any(overlap(a, b) for i, a in enumerate(headers) for b in headers[i + 1 :])
    # scrolled: the controls and the column header stay, one under the other
    page.evaluate("document.getElementById('bead-30').scrollIntoView()")
    controls = page.locator("#controls").bounding_box()
    head = page.locator("table.beads thead").bounding_box()
    if width > 720:
        assert controls["y"] == 0 and head["y"] >= controls["y"] + controls["height"] - 1
        first = page.locator("#bead-30").bounding_box()
        assert first["y"] >= head["y"] + head["height"] - 1, "no row under the header"


def test_print_fits_a4_and_prints_only_what_is_filtered(
    open_report: Callable[..., Report],
) -> None:
    alignment: Alignment = padded(40, after=40)
    report = open_report(alignment)
    page = report.page
    page.emulate_media(media="print")
    for hidden in ("#controls", "#minimap", ".review >> nth=0", "#export-decisions"):
        assert page.is_hidden(hidden), hidden
    assert len(report.visible_rows()) == len(alignment.beads)
    whole = page.pdf(prefer_css_page_size=True)
    page.emulate_media(media="screen")
    page.get_by_label("Only flagged rows").check()
    page.emulate_media(media="print")
    assert report.visible_rows() == [41, 43, 45, 47]
    flagged = page.pdf(prefer_css_page_size=True)
    pages = [len(re.findall(rb"/Type\s*/Page[^s]", pdf)) for pdf in (whole, flagged)]
    assert pages[1] == 1 < pages[0]
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]", whole), "A4 portrait"
