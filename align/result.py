"""The result of a comparison: both texts' sentences and the scored beads between them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from align.reviewing import Decisions, Review, flag_ids, review
from align.scoring import CATEGORIES, Flag, ScoredBead
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
    review: Review = field(default_factory=Review)

    @cached_property
    def flag_ids(self) -> tuple[tuple[str, ...], ...]:
        """The id of every flag, bead by bead (see `align.reviewing.flag_id`)."""
        return flag_ids(self.beads, self.src_sentences, self.tgt_sentences)

    def verdicts(self, index: int) -> tuple[str, ...]:
        """The reviewer's verdict on each flag of bead `index`: open, accepted, dismissed."""
        return tuple(self.review.verdict(flag) for flag in self.flag_ids[index])

    def live_flags(self, index: int) -> tuple[Flag, ...]:
        """The flags of bead `index` that the reviewer has not dismissed."""
        verdicts = self.verdicts(index)
        return tuple(
            f for f, v in zip(self.beads[index].flags, verdicts, strict=True) if v != "dismissed"
        )

    def status(self, index: int) -> str:
        """ "ok" for a bead without flags, "dismissed" when the reviewer dismissed all of
        them, else the category of its first flag that is not dismissed."""
        bead = self.beads[index]
        if not bead.flags:
            return "ok"
        live = self.live_flags(index)
        return live[0].category if live else "dismissed"

    @property
    def flagged(self) -> list[ScoredBead]:
        """The beads that carry at least one flag the reviewer has not dismissed."""
        return [bead for k, bead in enumerate(self.beads) if self.live_flags(k)]

    def flag_counts(self) -> dict[str, int]:
        """Flags per category, dismissed ones left out: every known category, then any
        other that occurs."""
        counts = Counter(f.category for k in range(len(self.beads)) for f in self.live_flags(k))
        return {category: counts.get(category, 0) for category in CATEGORIES} | counts

    def verdict_counts(self) -> dict[str, int]:
        """Flags per verdict: {"open": …, "accepted": …, "dismissed": …}."""
        counts = Counter(v for k in range(len(self.beads)) for v in self.verdicts(k))
        return {verdict: counts.get(verdict, 0) for verdict in ("open", "accepted", "dismissed")}

    def with_decisions(self, decisions: Decisions | str | Path) -> Alignment:
        """This alignment with a reviewer's decisions (a `Decisions` or a decisions file)
        applied: dismissed flags leave the counts, decisions on flags that no longer
        exist are kept as stale. Anchors are only recorded here; `align.align_sentences`
        with `decisions` is what realigns around them."""
        if not isinstance(decisions, Decisions):
            decisions = Decisions.load(decisions)
        applied = review(
            decisions, self.flag_ids, self.beads, self.src_sentences, self.tgt_sentences
        )
        return replace(self, review=applied)

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
        from align.reporting import format_for_path, render_pieces

        path = Path(path)
        write_file(path, render_pieces(self, fmt or format_for_path(path)))
