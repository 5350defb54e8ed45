"""The Markdown report: a summary and a table of every bead, for terminals and code review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align.reporting.common import fixed, one_line

if TYPE_CHECKING:
    from align.result import Alignment
    from align.segmenting import Sentence


def render_md(alignment: Alignment) -> str:
    """A summary list, then one table row per bead (numbered from 1)."""
    a = alignment
    types = ", ".join(f"{n} × {shape}" for shape, n in a.bead_type_counts().items())
    flags = ", ".join(f"{c.replace('_', ' ')} {n}" for c, n in a.flag_counts().items())
    lines = [
        f"# Alignment: {_md(a.src_name)} ↔ {_md(a.tgt_name)}",
        "",
        f"- **Original:** {_md(a.src_name)} ({_md(a.src_lang)}), {len(a.src_sentences)} sentences",
        f"- **Translation:** {_md(a.tgt_name)} ({_md(a.tgt_lang)}), "
        f"{len(a.tgt_sentences)} sentences",
        f"- **Encoder:** {_md(a.model) or 'unknown'}; **created:** {_md(a.created) or 'unknown'}",
        f"- **Beads:** {len(a.beads)} ({types or 'none'})",
        f"- **Flagged beads:** {len(a.flagged)} ({flags})",
        *(f"- **Warning:** {_md(warning)}" for warning in a.warnings),
        "",
        "Beads and sentences are numbered from 1.",
        "",
        f"| # | Original ({_md(a.src_lang)}) | Translation ({_md(a.tgt_lang)}) "
        "| Divergence | Status |",
        "|---:|---|---|---:|---|",
    ]
    for number, bead in enumerate(a.beads, 1):
        status = "<br>".join(f"**{_md(f.category)}**: {_md(f.reason)}" for f in bead.flags)
        lines.append(
            f"| {number} | {_md_side(a.src_sentences, bead.src)} "
            f"| {_md_side(a.tgt_sentences, bead.tgt)} "
            f"| {fixed(bead.divergence, 2)} | {status or 'ok'} |"
        )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: one line, no column breaks, no raw HTML."""
    return one_line(text).replace("|", r"\|").replace("<", "&lt;")


def _md_side(sentences: list[Sentence], indices: tuple[int, ...]) -> str:
    return " ".join(f"[{i + 1}] {_md(sentences[i].text)}" for i in indices) or "—"
