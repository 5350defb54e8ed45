"""A reviewer's sentence links as fixed points of the aligner.

Linked sentences belong in one bead: links that share a sentence, overlap or cross are
grouped into one fixed bead (`fixed_spans`). The corners of the fixed beads become barriers
of `align.aligning.search` (grid nodes every path passes through), so the aligner searches
only between them; what it finds inside a fixed bead is then replaced by the bead itself
(`keep_fixed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from align.aligning import Bead, Problem


class AnchorError(ValueError):
    """Sentence links that the aligner cannot keep (a fixed bead too large)."""


@dataclass(frozen=True)
class Span:
    """A fixed bead: source sentences [src_start, src_end), target [tgt_start, tgt_end)."""

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int

    def before(self, other: Span) -> bool:
        """Whether this bead ends where `other` starts, or earlier, on both sides."""
        return self.src_end <= other.src_start and self.tgt_end <= other.tgt_start

    def union(self, other: Span) -> Span:
        return Span(
            min(self.src_start, other.src_start),
            max(self.src_end, other.src_end),
            min(self.tgt_start, other.tgt_start),
            max(self.tgt_end, other.tgt_end),
        )

    @property
    def size(self) -> int:
        return self.src_end - self.src_start + self.tgt_end - self.tgt_start


def fixed_spans(links: Iterable[tuple[int, int]], max_size: int) -> list[Span]:
    """The fixed beads that (source, target) sentence links make, in document order.
    Raises AnchorError for a fixed bead of more than `max_size` sentences."""
    spans: list[Span] = []
    for i, j in sorted(set(links)):
        span = Span(i, i + 1, j, j + 1)
        while spans and not spans[-1].before(span):
            span = spans.pop().union(span)
        spans.append(span)
    for span in spans:
        if span.size > max_size:
            raise AnchorError(
                f"the sentences linked around original sentence {span.src_start + 1} and "
                f"translation sentence {span.tgt_start + 1} make a bead of {span.size} "
                f"sentences, more than the {max_size} a bead may hold (raise --max-beads)"
            )
    return spans


def barriers(spans: Sequence[Span], others: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The corners of the fixed beads, and those of `others` (e.g. paragraph starts) that
    leave every fixed bead whole."""
    corners = [node for s in spans for node in ((s.src_start, s.tgt_start), (s.src_end, s.tgt_end))]
    compatible = [
        (i, j)
        for i, j in others
        if all(
            (i <= s.src_start and j <= s.tgt_start) or (i >= s.src_end and j >= s.tgt_end)
            for s in spans
        )
    ]
    return sorted(set(corners + compatible))


def keep_fixed(beads: list[Bead], problem: Problem, spans: Sequence[Span]) -> list[Bead]:
    """`beads` (a path through every corner of `spans`) with the beads inside each fixed
    bead replaced by it, scored by `problem`."""
    if not spans:
        return beads
    starts = {(s.src_start, s.tgt_start): s for s in spans}
    out: list[Bead] = []
    i = j = 0
    inside: Span | None = None
    for bead in beads:
        if inside is None and (i, j) in starts:
            inside = starts[(i, j)]
            a, b = inside.src_end - i, inside.tgt_end - j
            src, tgt = tuple(range(i, inside.src_end)), tuple(range(j, inside.tgt_end))
            out.append(Bead(src, tgt, problem.similarity(a, b, i, j), problem.distance(a, b, i, j)))
        i, j = i + len(bead.src), j + len(bead.tgt)
        if inside is None:
            out.append(bead)
        elif (i, j) == (inside.src_end, inside.tgt_end):
            inside = None
    return out
