"""Stage 4: score every bead and flag where the translation does not say what the original says.

Categories (a bead may carry several flags):

- ``omission``: original sentences with no counterpart in the translation (a 1-0 bead).
- ``addition``: translation sentences with no counterpart in the original (a 0-1 bead).
- ``number_mismatch``: the two sides of a bead carry different numbers (see numerals).
- ``meaning_shift``: the bead aligns, but its sides are much further apart than the
  document's other beads, once length is accounted for.

Each bead also gets a divergence score in [0, 1]: how unusual its cost is against the
document's own distribution of bead costs (a robust z-score through a logistic), so that
the same threshold means the same thing across documents and encoders. Unmatched beads
score 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from align.aligning import Bead
from align.numerals import compare_numbers

CATEGORIES = ("omission", "addition", "number_mismatch", "meaning_shift")


@dataclass(frozen=True)
class FlagParams:
    """Thresholds of the flags. `sensitivity` > 1 flags more, < 1 flags less."""

    threshold: float = 0.5  # divergence above which a matched bead is a meaning shift
    sensitivity: float = 1.0
    # A document's cost distribution is shrunk towards this prior (cost ~ median, spread)
    # with the weight of `prior_weight` beads, so that short documents stay sane.
    prior_median: float = 0.45
    prior_spread: float = 0.12
    prior_weight: float = 10.0
    z_at_threshold: float = 2.5


@dataclass(frozen=True)
class Flag:
    """Why a bead was flagged: a category and a one-line reason a person can read."""

    category: str
    reason: str


@dataclass(frozen=True)
class ScoredBead:
    """A bead with its divergence score and flags (empty when the bead is fine)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    similarity: float
    cost: float
    divergence: float
    flags: tuple[Flag, ...]

    @property
    def status(self) -> str:
        """ "ok", or the category of the first flag."""
        return self.flags[0].category if self.flags else "ok"


def score_beads(
    beads: list[Bead],
    src_texts: list[str],
    tgt_texts: list[str],
    src_lang: str = "ar",
    tgt_lang: str = "en",
    params: FlagParams | None = None,
) -> list[ScoredBead]:
    """Give each bead a divergence score and its flags."""
    params = params or FlagParams()
    center, spread = _cost_scale([b.cost for b in beads if b.src and b.tgt], params)
    scored = []
    for bead in beads:
        src = " ".join(src_texts[i] for i in bead.src)
        tgt = " ".join(tgt_texts[j] for j in bead.tgt)
        if not bead.tgt:
            divergence, flags = 1.0, [Flag("omission", _unmatched_reason(bead.src, "original"))]
        elif not bead.src:
            divergence, flags = 1.0, [Flag("addition", _unmatched_reason(bead.tgt, "translation"))]
        else:
            divergence = divergence_of(bead.cost, center, spread, params)
            flags = _matched_flags(bead, divergence, src, tgt, src_lang, tgt_lang, params)
        scored.append(
            ScoredBead(bead.src, bead.tgt, bead.similarity, bead.cost, divergence, tuple(flags))
        )
    return scored


def unrelated_warning(beads: list[Bead], limit: float = 0.95) -> str | None:
    """A warning when the texts look unrelated: their matched beads are, as a rule, no
    closer than sentences drawn at random (a bead cost of 1 is chance level)."""
    costs = [b.cost for b in beads if b.src and b.tgt]
    typical = float(np.median(costs)) if costs else float("inf")
    if typical <= limit:
        return None
    return (
        "the two texts seem unrelated: their aligned sentences are no closer than random "
        f"pairs (median bead cost {typical:.2f}, chance is 1.0); is this the right pair?"
    )


def divergence_of(cost: float, center: float, spread: float, params: FlagParams) -> float:
    """Map a bead cost to [0, 1]: 0.5 at `z_at_threshold` robust deviations above center."""
    z = (cost - center) / spread
    return 1.0 / (1.0 + math.exp(-2.0 * (z - params.z_at_threshold)))


def _cost_scale(costs: list[float], params: FlagParams) -> tuple[float, float]:
    """Median and spread (1.4826 MAD) of the document's bead costs, shrunk to the prior."""
    n, w = len(costs), params.prior_weight
    if n == 0:
        return params.prior_median, params.prior_spread
    values = np.asarray(costs)
    median = float(np.median(values))
    spread = float(1.4826 * np.median(np.abs(values - median)))
    center = (n * median + w * params.prior_median) / (n + w)
    spread = (n * spread + w * params.prior_spread) / (n + w)
    return center, max(spread, 1e-3)


def _matched_flags(
    bead: Bead,
    divergence: float,
    src: str,
    tgt: str,
    src_lang: str,
    tgt_lang: str,
    params: FlagParams,
) -> list[Flag]:
    flags = []
    mismatch = compare_numbers(src, src_lang, tgt, tgt_lang)
    if mismatch is not None:
        flags.append(Flag("number_mismatch", mismatch.reason))
    threshold = min(params.threshold / params.sensitivity, 0.999)
    if divergence > threshold:
        flags.append(
            Flag(
                "meaning_shift",
                f"the two sides are far apart for this document (similarity "
                f"{bead.similarity:.2f}, divergence {divergence:.2f} > {threshold:.2f})",
            )
        )
    return flags


def _unmatched_reason(indices: tuple[int, ...], side: str) -> str:
    other = "translation" if side == "original" else "original"
    what = "sentence" if len(indices) == 1 else f"{len(indices)} sentences"
    return f"{what} of the {side} with no counterpart in the {other}"
