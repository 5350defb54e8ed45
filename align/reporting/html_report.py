"""The HTML report: one self-contained page, original and translation side by side.

The page is `page/report.html.j2`, rendered by Jinja2 with autoescaping on, so that every
text of the documents is escaped however it reaches the template. Its stylesheet and
scripts (`STYLESHEETS`, `SCRIPTS`: navigation and filters in `report.js`, the review in
`review.js`) are inlined on render: the report is one file that loads nothing from
elsewhere. What the review script starts from (the pair's storage key, the decisions and
links of `--decisions`) is a JSON block in the page. This module only prepares what the
template shows.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from align.reporting.common import direction, fixed, version
from align.reporting.word_links import word_links_data
from align.reviewing import DECISIONS_FORMAT, SEVERITIES, Decision
from align.scoring import CATEGORIES

if TYPE_CHECKING:
    from align.result import Alignment
    from align.segmenting import Sentence

_PAGE = resources.files("align.reporting") / "page"
# The page's stylesheets and scripts (files in `page/`), inlined in this order.
STYLESHEETS = ("report.css", "wordlinks.css")
SCRIPTS = ("report.js", "review.js", "wordlinks.js")
# What would end an inlined <style> or <script> early.
_CLOSING_TAG = re.compile(r"</(style|script)", re.IGNORECASE)


def render_html(alignment: Alignment) -> Iterator[str]:
    """The report as one HTML page, in pieces (a row is prepared when its turn comes)."""
    a = alignment
    verdicts = a.verdict_counts()
    return _template().generate(
        a=a,
        version=version(),
        src_dir=direction(a.src_lang),
        tgt_dir=direction(a.tgt_lang),
        created_shown=a.created.replace("T", " "),
        flagged=len(a.flagged),
        has_flags=any(bead.flags for bead in a.beads),
        flag_total=sum(a.flag_counts().values()),
        verdicts=verdicts,
        severities=SEVERITIES,
        hist=_histogram(a),
        rows=(_row(a, i) for i in range(len(a.beads))),
        minimap=_minimap(a),
        review_data=_review_data(a),
        word_links=word_links_data(a),
        stylesheets=STYLESHEETS,
        scripts=SCRIPTS,
    )


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (_PAGE / name).read_text("utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["inline"] = _inline
    env.filters["category_class"] = category_class
    env.filters["label"] = label
    return env.get_template("report.html.j2")


def _inline(name: str) -> Markup:
    """The page file `name` (a stylesheet or script), to be inlined unescaped."""
    text = (_PAGE / name).read_text("utf-8")
    if _CLOSING_TAG.search(text):
        raise ValueError(f"{name} must not contain a closing </style> or </script> tag")
    return Markup(text)


def category_class(category: str) -> str:
    """The CSS class of a flag category, e.g. "cat-number_mismatch"."""
    return "cat-" + re.sub(r"[^a-z0-9_-]", "-", category.lower())


def label(category: str) -> str:
    """A category as people read it: "number mismatch"."""
    return category.replace("_", " ")


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceView:
    """One sentence of a cell: its index (from 0), paragraph (from 0) and text in pieces,
    each (text, CSS class of the flag category that marks it, or "")."""

    index: int
    paragraph: int
    pieces: list[tuple[str, str]]


@dataclass(frozen=True)
class FlagView:
    """One flag: its id, category, the reviewer's decision, its reason split at
    quotation marks (odd pieces are the quoted passages, isolated for bidi so that Arabic
    reads right inside English), and the other places an omitted sentence may be, as
    (sentence number, number of the bead that holds it), both from 1."""

    id: str
    category: str
    decision: Decision
    reason_pieces: list[str]
    elsewhere: list[tuple[int, int]]


@dataclass(frozen=True)
class RowView:
    """One bead as a table row."""

    index: int
    classes: str
    status: str
    categories: str
    divergence: str
    divergence_2: str
    detail: str
    width: float
    shape: str
    anchored: bool
    src: list[SentenceView]
    tgt: list[SentenceView]
    flags: list[FlagView]


def _row(alignment: Alignment, index: int) -> RowView:
    bead = alignment.beads[index]
    status = alignment.status(index)
    classes = ["bead"]
    if bead.flags:
        classes += ["flagged", category_class(_shown_category(alignment, index))]
    if status == "dismissed":
        classes.append("dismissed")
    src_marks = [(f.category, span) for f in bead.flags for span in f.src_spans]
    tgt_marks = [(f.category, span) for f in bead.flags for span in f.tgt_spans]
    detail = f"divergence {fixed(bead.divergence)}"
    if math.isfinite(bead.similarity):
        detail += f", similarity {fixed(bead.similarity)}"
    width = min(max(bead.divergence, 0.0), 1.0) * 100 if math.isfinite(bead.divergence) else 0
    links = alignment.review.anchors
    return RowView(
        index=index,
        classes=" ".join(classes),
        status=status,
        categories=" ".join(dict.fromkeys(f.category for f in bead.flags)),
        divergence=fixed(bead.divergence),
        divergence_2=fixed(bead.divergence, 2),
        detail=detail,
        width=width,
        shape=f"{len(bead.src)}–{len(bead.tgt)}",
        anchored=any(link.src in bead.src and link.tgt in bead.tgt for link in links),
        src=_sentences(alignment.src_sentences, bead.src, src_marks),
        tgt=_sentences(alignment.tgt_sentences, bead.tgt, tgt_marks),
        flags=[
            FlagView(
                flag_id,
                f.category,
                alignment.review.decisions.get(flag_id) or Decision(flag_id),
                re.split(r"“([^”]*)”", f.reason),
                [(i + 1, k + 1) for i in f.elsewhere if (k := _bead_holding(alignment, i)) >= 0],
            )
            for f, flag_id in zip(bead.flags, alignment.flag_ids[index], strict=True)
        ],
    )


def _bead_holding(alignment: Alignment, src_index: int) -> int:
    """The index of the bead holding source sentence `src_index`, or -1 (a hand-made
    alignment may name one that none holds)."""
    return next((k for k, bead in enumerate(alignment.beads) if src_index in bead.src), -1)


def _sentences(
    sentences: list[Sentence], indices: tuple[int, ...], marks: list[tuple[str, str]]
) -> list[SentenceView]:
    return [
        SentenceView(i, sentences[i].paragraph, marked_pieces(sentences[i].text, marks))
        for i in indices
    ]


def marked_pieces(text: str, marks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`text` in pieces (text, CSS class): the first occurrence of each marked passage,
    given as (category, passage), carries its category's class, the rest ""."""
    ranges: list[tuple[int, int, str]] = []
    for category, passage in marks:
        start = text.find(passage) if passage else -1
        if start >= 0 and all(start >= end or start + len(passage) <= s for s, end, _ in ranges):
            ranges.append((start, start + len(passage), category))
    pieces, at = [], 0
    for start, end, category in sorted(ranges):
        pieces += [(text[at:start], ""), (text[start:end], category_class(category))]
        at = end
    return [(piece, css) for piece, css in [*pieces, (text[at:], "")] if piece]


# --- summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One status's part of a histogram column, in SVG user units."""

    css: str
    status: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    """The beads whose divergence is in [low, high), stacked by status."""

    low: float
    high: float
    x: float
    width: float
    count: int
    bars: list[Bar]


@dataclass(frozen=True)
class Histogram:
    """An SVG histogram of divergence scores, each column stacked by bead status."""

    width: int
    height: int
    left: int
    top: int
    plot_w: float
    base: float
    tallest: int
    columns: list[Column]
    ticks: tuple[float, ...] = (0, 0.5, 1)


def _histogram(alignment: Alignment, bins: int = 10) -> Histogram:
    width, height, left, bottom, top = 300, 104, 26, 18, 8
    plot_w, plot_h = width - left - 6, height - bottom - top
    counts: list[Counter[str]] = [Counter() for _ in range(bins)]
    for index, bead in enumerate(alignment.beads):
        if math.isfinite(bead.divergence):
            column = min(int(max(bead.divergence, 0.0) * bins), bins - 1)
            counts[column][alignment.status(index)] += 1
    tallest = max((sum(c.values()) for c in counts), default=0) or 1
    bar_w = plot_w / bins
    columns = []
    for i, column in enumerate(counts):
        y = top + plot_h
        bars = []
        # ok at the bottom, then dismissed, then flags in legend order
        for status in sorted(column, key=_status_order):
            h = column[status] / tallest * plot_h
            y -= h
            css = status if status in ("ok", "dismissed") else category_class(status)
            bars.append(Bar(css, status, column[status], y, h))
        x = left + i * bar_w + 1
        count = sum(column.values())
        columns.append(Column(i / bins, (i + 1) / bins, x, bar_w - 2, count, bars))
    return Histogram(width, height, left, top, plot_w, top + plot_h, tallest, columns)


def _status_order(status: str) -> tuple[int, int]:
    return ({"ok": 0, "dismissed": 1}.get(status, 2), _category_order(status))


@dataclass(frozen=True)
class MinimapMark:
    """A flagged bead on the minimap, `top` percent of the way down the document."""

    index: int
    category: str
    css: str
    top: float


def _minimap(alignment: Alignment) -> list[MinimapMark]:
    total = max(len(alignment.beads), 1)
    marks = []
    for index, bead in enumerate(alignment.beads):
        if bead.flags:
            category = _shown_category(alignment, index)
            css = category_class(category)
            if alignment.status(index) == "dismissed":
                css += " dismissed"
            marks.append(MinimapMark(index, category, css, (index + 0.5) / total * 100))
    return marks


def _shown_category(alignment: Alignment, index: int) -> str:
    """The category whose colour a flagged bead shows: that of its first flag not
    dismissed, or of its first flag when all are."""
    status = alignment.status(index)
    return alignment.beads[index].flags[0].category if status == "dismissed" else status


def _review_data(alignment: Alignment) -> dict[str, Any]:
    """What review.js starts from: the pair's key for the browser's storage, and the
    decisions and links of the file given to `align report --decisions`, stale ones too."""
    a = alignment
    decisions = [*a.review.decisions.values(), *a.review.stale]
    return {
        "format": DECISIONS_FORMAT,
        "key": "align-review/1 " + json.dumps([_base_name(a.src_name), _base_name(a.tgt_name)]),
        "documents": {"source": a.src_name, "target": a.tgt_name},
        "decisions": [asdict(d) for d in decisions],
        "anchors": [asdict(x) for x in (*a.review.anchors, *a.review.stale_anchors)],
    }


def _base_name(name: str) -> str:
    """A document's name without its folder: the same pair read from elsewhere is the same."""
    return re.split(r"[\\/]", name)[-1]


def _category_order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
