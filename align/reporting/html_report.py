"""The HTML report: one self-contained page, original and translation side by side.

The page is `page/report.html.j2`, rendered by Jinja2 with autoescaping on, so that every
text of the documents is escaped however it reaches the template. Its stylesheet and script
(`page/report.css`, `page/report.js`) are inlined on render: the report is one file that
loads nothing from elsewhere. This module only prepares what the template shows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from align.reporting.common import direction, fixed, version
from align.scoring import CATEGORIES

if TYPE_CHECKING:
    from align.result import Alignment
    from align.scoring import ScoredBead
    from align.segmenting import Sentence

_PAGE = resources.files("align.reporting") / "page"
# What would end an inlined <style> or <script> early.
_CLOSING_TAG = re.compile(r"</(style|script)", re.IGNORECASE)


def render_html(alignment: Alignment) -> str:
    """The report as one HTML page."""
    a = alignment
    return _template().render(
        a=a,
        version=version(),
        src_dir=direction(a.src_lang),
        tgt_dir=direction(a.tgt_lang),
        created_shown=a.created.replace("T", " "),
        flagged=len(a.flagged),
        hist=_histogram(a.beads),
        rows=[_row(a, i, bead) for i, bead in enumerate(a.beads)],
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
    """One flag: its category, and its reason split at quotation marks (odd pieces are the
    quoted passages, isolated for bidi so that Arabic reads right inside English)."""

    category: str
    reason_pieces: list[str]


@dataclass(frozen=True)
class RowView:
    """One bead as a table row."""

    index: int
    classes: str
    status: str
    divergence: str
    divergence_2: str
    detail: str
    width: float
    shape: str
    src: list[SentenceView]
    tgt: list[SentenceView]
    flags: list[FlagView]


def _row(alignment: Alignment, index: int, bead: ScoredBead) -> RowView:
    classes = ["bead"]
    if bead.flags:
        classes += ["flagged", category_class(bead.status)]
    src_marks = [(f.category, span) for f in bead.flags for span in f.src_spans]
    tgt_marks = [(f.category, span) for f in bead.flags for span in f.tgt_spans]
    detail = f"divergence {fixed(bead.divergence)}"
    if math.isfinite(bead.similarity):
        detail += f", similarity {fixed(bead.similarity)}"
    width = min(max(bead.divergence, 0.0), 1.0) * 100 if math.isfinite(bead.divergence) else 0
    return RowView(
        index=index,
        classes=" ".join(classes),
        status=bead.status,
        divergence=fixed(bead.divergence),
        divergence_2=fixed(bead.divergence, 2),
        detail=detail,
        width=width,
        shape=f"{len(bead.src)}–{len(bead.tgt)}",
        src=_sentences(alignment.src_sentences, bead.src, src_marks),
        tgt=_sentences(alignment.tgt_sentences, bead.tgt, tgt_marks),
        flags=[FlagView(f.category, re.split(r"“([^”]*)”", f.reason)) for f in bead.flags],
    )


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
    x: float
    y: float
    width: float
    height: float
    low: float
    high: float


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
    bars: list[Bar]
    ticks: tuple[float, ...] = (0, 0.5, 1)


def _histogram(beads: Sequence[ScoredBead], bins: int = 10) -> Histogram:
    width, height, left, bottom, top = 300, 104, 26, 18, 8
    plot_w, plot_h = width - left - 6, height - bottom - top
    columns: list[Counter[str]] = [Counter() for _ in range(bins)]
    for bead in beads:
        if math.isfinite(bead.divergence):
            columns[min(int(max(bead.divergence, 0.0) * bins), bins - 1)][bead.status] += 1
    tallest = max((sum(c.values()) for c in columns), default=0) or 1
    bar_w = plot_w / bins
    bars = []
    for i, column in enumerate(columns):
        y = top + plot_h
        # ok at the bottom, then flags in legend order
        for status in sorted(column, key=lambda s: (s != "ok", _category_order(s))):
            h = column[status] / tallest * plot_h
            y -= h
            css = "ok" if status == "ok" else category_class(status)
            x = left + i * bar_w + 1
            low, high = i / bins, (i + 1) / bins
            bars.append(Bar(css, status, column[status], x, y, bar_w - 2, h, low, high))
    return Histogram(width, height, left, top, plot_w, top + plot_h, tallest, bars)


def _category_order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
