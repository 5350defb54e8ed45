"""The TSV report: one row per bead, for spreadsheets and shell tools."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from align.reporting.common import fixed, one_line, reasons, side_texts

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
)


def render_tsv(alignment: Alignment) -> str:
    """One row per bead. Fields never hold tabs or line breaks; quotes are CSV-quoted."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerow(COLUMNS)
    for bead in alignment.beads:
        src, tgt = side_texts(alignment, bead)
        writer.writerow(
            [
                ",".join(map(str, bead.src)),
                ",".join(map(str, bead.tgt)),
                bead.status,
                fixed(bead.divergence),
                fixed(bead.similarity),
                one_line(src),
                one_line(tgt),
                one_line(reasons(bead)),
            ]
        )
    return out.getvalue()
