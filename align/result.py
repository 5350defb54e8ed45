"""The result of a comparison: both texts' sentences and the scored beads between them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from align.scoring import CATEGORIES, ScoredBead
from align.segmenting import Sentence


@dataclass(frozen=True)
class Alignment:
    """Two documents aligned bead by bead. Render it with `render` or `write`.

    Every source and target sentence appears in exactly one bead, in order.
    """

    src_sentences: list[Sentence]
    tgt_sentences: list[Sentence]
    beads: list[ScoredBead]
    src_lang: str = "ar"
    tgt_lang: str = "en"
    src_name: str = "original"
    tgt_name: str = "translation"
    model: str = ""
    created: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[ScoredBead]:
        """The beads that carry at least one flag."""
        return [bead for bead in self.beads if bead.flags]

    def flag_counts(self) -> dict[str, int]:
        """Number of flags per category: every known category, then any other that occurs."""
        counts = Counter(flag.category for bead in self.beads for flag in bead.flags)
        return {category: counts.get(category, 0) for category in CATEGORIES} | counts

    def bead_type_counts(self) -> dict[str, int]:
        """Number of beads per shape, e.g. {"1-1": 20, "2-1": 2, "0-1": 1}."""
        return dict(Counter(f"{len(b.src)}-{len(b.tgt)}" for b in self.beads).most_common())

    def render(self, fmt: str = "json") -> str:
        """The report as text in format `fmt` (see `align.reporting.FORMATS`)."""
        from align.reporting import render

        return render(self, fmt)

    def write(self, path: str | Path, fmt: str | None = None) -> None:
        """Write the report to `path`, whole or not at all (a temporary file, then a rename);
        the format defaults to the file's extension."""
        from align.edges import write_file
        from align.reporting import format_for_path

        path = Path(path)
        write_file(path, self.render(fmt or format_for_path(path)))
