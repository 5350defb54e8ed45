"""The Markdown report, for people: a summary, the flagged beads with their reasons and the
words concerned in bold, then every bead in a table folded away in <details>.

Text is escaped so that the documents' own `*`, `_`, `|`, backticks and HTML show as
written. Arabic (any right-to-left language) is wrapped in an element with `dir="rtl"`,
which GitHub and most HTML renderers honour; plain-text viewers show the text unchanged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from align.reporting.common import direction, fixed, one_line
from align.reviewing import Decision

if TYPE_CHECKING:
    from align.result import Alignment
    from align.segmenting import Sentence

# What Markdown (CommonMark, GFM) reads as syntax in the middle of a line: emphasis, code,
# links (an unmatched "[" defeats "![", "](" too), table cells, strikethrough. The report
# never starts a line with document text, so line-start syntax (#, -, >, 1.) cannot occur.
_SYNTAX = re.compile(r"([\\`*_\[\]|~])")


def render_md(alignment: Alignment) -> str:
    """Summary, flagged beads (numbered from 1), dismissed flags, stale decisions, table."""
    a = alignment
    lines = [f"# Alignment: {md_text(a.src_name)} ↔ {md_text(a.tgt_name)}", "", *_summary(a)]
    flagged = [k for k in range(len(a.beads)) if a.live_flags(k)]
    if flagged:
        lines += ["", "## Flagged beads", ""]
        for k in flagged:
            lines += _bead_section(a, k)
    dismissed = [k for k in range(len(a.beads)) if "dismissed" in a.verdicts(k)]
    if dismissed:
        lines += ["", "## Dismissed flags", ""]
        lines += [item for k in dismissed for item in _flag_items(a, k, only="dismissed")]
    if a.review.stale or a.review.stale_anchors:
        lines += [
            "",
            "## Stale decisions",
            "",
            "Decisions on flags or sentences that are no longer there:",
            "",
        ]
        lines += [
            f"- {_decision_text(d)}: **{_label(d.category)}**: {md_text(d.reason)} "
            f"(original: {md_text(_short(d.src))}; translation: {md_text(_short(d.tgt))})"
            for d in a.review.stale
        ]
        lines += [
            f"- link of original “{md_text(_short(x.src_text))}” "
            f"with translation “{md_text(_short(x.tgt_text))}”"
            for x in a.review.stale_anchors
        ]
    lines += ["", *_table(a)] if lines[-1] else _table(a)
    return "\n".join(lines) + "\n"


def md_text(text: str) -> str:
    """`text` on one line, showing as written in Markdown: its syntax characters
    backslash-escaped, `&` and `<` as entities."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    return _SYNTAX.sub(r"\\\1", text)


def _summary(a: Alignment) -> list[str]:
    types = ", ".join(f"{n} × {shape}" for shape, n in a.bead_type_counts().items())
    counts = a.flag_counts()
    total = sum(counts.values())
    flags = ", ".join(f"{_label(c)} {n}" for c, n in counts.items() if n)
    verdicts = a.verdict_counts()
    lines = [
        f"- **Original:** {md_text(a.src_name)} ({md_text(a.src_lang)}), "
        f"{len(a.src_sentences)} sentences",
        f"- **Translation:** {md_text(a.tgt_name)} ({md_text(a.tgt_lang)}), "
        f"{len(a.tgt_sentences)} sentences",
        f"- **Encoder:** {md_text(a.model) or 'unknown'}; "
        f"**created:** {md_text(a.created) or 'unknown'}",
        f"- **Beads:** {len(a.beads)} ({types or 'none'})",
        f"- **Flagged beads:** {len(a.flagged)} of {len(a.beads)}, with **{total} flags**"
        + (f" ({flags})" if flags else ""),
    ]
    if verdicts["accepted"] or verdicts["dismissed"]:
        lines.append(
            f"- **Review:** {verdicts['accepted']} accepted, {verdicts['open']} open, "
            f"{verdicts['dismissed']} dismissed (left out of the counts above)"
        )
    if a.review.anchors:
        kept = sum(a.review.kept)
        lines.append(
            f"- **Links made by the reviewer:** {len(a.review.anchors)} ({kept} kept in one bead)"
        )
    if a.review.stale or a.review.stale_anchors:
        stale = len(a.review.stale) + len(a.review.stale_anchors)
        lines.append(f"- **Stale decisions:** {stale} (listed below)")
    lines += [f"- **Warning:** {md_text(warning)}" for warning in a.warnings]
    lines += ["", "Beads and sentences are numbered from 1, as in the HTML report."]
    return lines


def _bead_section(a: Alignment, k: int) -> list[str]:
    bead = a.beads[k]
    flags = a.live_flags(k)
    categories = ", ".join(dict.fromkeys(_label(f.category) for f in flags))
    src_spans = [span for f in flags for span in f.src_spans]
    tgt_spans = [span for f in flags for span in f.tgt_spans]
    return [
        f"### Bead {k + 1} ({len(bead.src)}–{len(bead.tgt)}): {categories}",
        "",
        *_side_block(a.src_sentences, bead.src, src_spans, a.src_lang),
        *_side_block(a.tgt_sentences, bead.tgt, tgt_spans, a.tgt_lang),
        *_flag_items(a, k, only="live"),
        "",
    ]


def _side_block(
    sentences: list[Sentence], indices: tuple[int, ...], spans: list[str], lang: str
) -> list[str]:
    """One paragraph for a side of a bead: each sentence with its number, the passages
    flagged in bold; right-to-left text in a <div dir="rtl">."""
    text = " ".join(f"[{i + 1}] {_bold(sentences[i].text, spans)}" for i in indices)
    text = text or "*(no counterpart)*"
    if direction(lang) == "rtl" and indices:
        return [f'<div dir="rtl" lang="{md_text(lang)}">', "", text, "", "</div>", ""]
    return [text, ""]


def _flag_items(a: Alignment, k: int, only: str) -> list[str]:
    items = []
    for flag, flag_id, verdict in zip(a.beads[k].flags, a.flag_ids[k], a.verdicts(k), strict=True):
        if (verdict == "dismissed") != (only == "dismissed"):
            continue
        decision = a.review.decisions.get(flag_id) or Decision(flag_id)
        where = f"bead {k + 1}: " if only == "dismissed" else ""
        note = (
            f" · {_decision_text(decision)}"
            if decision.verdict != "open" or decision.severity or decision.comment
            else ""
        )
        items.append(
            f"- {where}**{_label(flag.category)}**: {md_text(flag.reason)} `{flag_id}`{note}"
        )
    return items


def _decision_text(decision: Decision) -> str:
    parts = [decision.verdict] + ([decision.severity] if decision.severity else [])
    text = ", ".join(parts)
    return text + (f": “{md_text(decision.comment)}”" if decision.comment else "")


def _bold(text: str, spans: list[str]) -> str:
    """`text` escaped, with the first occurrence of each span in bold."""
    ranges: list[tuple[int, int]] = []
    for span in spans:
        span = span.strip()
        start = text.find(span) if span else -1
        if start >= 0 and all(start >= e or start + len(span) <= s for s, e in ranges):
            ranges.append((start, start + len(span)))
    out, at = [], 0
    for start, end in sorted(ranges):
        out += [md_text(text[at:start]), _strong(text, start, end)]
        at = end
    return "".join(out) + md_text(text[at:])


def _strong(text: str, start: int, end: int) -> str:
    """text[start:end] in bold: ** when CommonMark will read it as emphasis there (a
    word boundary on each side), else <b>, which renderers take as inline HTML."""
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = not first.isspace() and (first.isalnum() or not before.isalnum())
    closes = not last.isspace() and (last.isalnum() or not after.isalnum())
    if opens and closes:
        return f"**{md_text(text[start:end])}**"
    return f"<b>{md_text(text[start:end])}</b>"


def _table(a: Alignment) -> list[str]:
    lines = [
        f"<details><summary>All {len(a.beads)} beads</summary>",
        "",
        f"| # | Original ({md_text(a.src_lang)}) | Translation ({md_text(a.tgt_lang)}) "
        "| Divergence | Status |",
        "|---:|---|---|---:|---|",
    ]
    for k, bead in enumerate(a.beads):
        status = a.status(k)
        lines.append(
            f"| {k + 1} | {_cell(a.src_sentences, bead.src, a.src_lang)} "
            f"| {_cell(a.tgt_sentences, bead.tgt, a.tgt_lang)} "
            f"| {fixed(bead.divergence, 2)} | {_label(status)} |"
        )
    return [*lines, "", "</details>"]


def _cell(sentences: list[Sentence], indices: tuple[int, ...], lang: str) -> str:
    text = " ".join(f"[{i + 1}] {md_text(sentences[i].text)}" for i in indices)
    if not text:
        return "—"
    if direction(lang) == "rtl":
        return f'<span dir="rtl" lang="{md_text(lang)}">{text}</span>'
    return text


def _label(category: str) -> str:
    return category.replace("_", " ")


def _short(text: str, limit: int = 80) -> str:
    text = one_line(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
