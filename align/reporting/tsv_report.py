"""The TSV report: one row per bead, for spreadsheets and shell tools."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from align.reporting.common import fixed, one_line, reasons, side_texts
from align.reviewing import Decision

if TYPE_CHECKING:
    from align.result import Alignment

COLUMNS = (
    "src_indices",
    "tgt_indices",
    "status",
    "divergence",
    "similarity",
    "src_text",
    "tgt_text",
    "reasons",
    "flag_ids",
    "decisions",
    "severities",
    "comments",
)


def render_tsv(alignment: Alignment) -> str:
    """One row per bead. Fields never hold tabs or line breaks; quotes are CSV-quoted.

    The flags of a bead are listed in the same order, separated by "; ", in `reasons`,
    `flag_ids`, `decisions` (open, accepted, dismissed), `severities` and `comments`.
    """
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerow(COLUMNS)
    for index, bead in enumerate(alignment.beads):
        src, tgt = side_texts(alignment, bead)
        ids = alignment.flag_ids[index]
        decisions = [alignment.review.decisions.get(flag) or Decision(flag) for flag in ids]
        writer.writerow(
            [
                ",".join(map(str, bead.src)),
                ",".join(map(str, bead.tgt)),
                alignment.status(index),
                fixed(bead.divergence),
                fixed(bead.similarity),
                one_line(src),
                one_line(tgt),
                one_line(reasons(bead)),
                "; ".join(ids),
                "; ".join(d.verdict for d in decisions),
                "; ".join(d.severity for d in decisions)
                if any(d.severity for d in decisions)
                else "",
                one_line("; ".join(d.comment for d in decisions))
                if any(d.comment for d in decisions)
                else "",
            ]
        )
    return out.getvalue()
