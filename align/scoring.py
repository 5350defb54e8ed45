"""Stage 4: score every bead and flag where the translation does not say what the original says.

Categories (a bead may carry several flags, each with a one-line reason):

- ``omission``: original content with no counterpart in the translation: a whole sentence
  (a 1-0 bead), or part of a matched bead (a sentence or clause whose removal brings the
  original closer to the translation).
- ``addition``: the same for translation content with no counterpart in the original.
- ``number_mismatch``: the two sides of a bead carry different numbers (see numerals).
- ``meaning_shift``: the bead aligns, but its sides are much further apart than the
  document's other beads; or a negation on one side has no counterpart on the other.
- ``name_mismatch``: a proper name of the translation has no transliterated counterpart
  in the original (see names).

Sentence encoders barely move when a clause is dropped or a "not" is added, so the
sub-sentence checks compare the bead with itself: a piece is flagged when taking it out
makes the two sides *more* similar than they were. That test is relative to the bead, so
it means the same for any encoder and document.

Each bead also gets a divergence score in [0, 1]: how unusual its cost is against the
document's own distribution of bead costs (a robust z-score through a logistic). Unmatched
beads score 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.aligning import Bead
from align.encoding import Encoder, normalize_for_embedding
from align.names import name_mismatches
from align.numerals import compare_numbers

CATEGORIES = ("omission", "addition", "number_mismatch", "meaning_shift", "name_mismatch")

# Negation cues. Arabic: particles and words that negate what follows, with the prefixes
# و ف أ; "ما" is left out (more often relative than negative).
_NEGATION = {
    "ar": re.compile(
        r"(?<![\w])(?:[وفأ])?(?:لا|لم|لن|ليس|ليست|ليسوا|لستم|لست|غير|دون|بدون|بلا|عدم|لما)(?![\w])"
    ),
    "en": re.compile(
        r"\b(?:not|no|never|nor|neither|none|nothing|nobody|cannot|without)\b|n't\b"
        r"|\bun(?=likely\b)|\bim(?=possible\b)|\bun(?=able\b)",
        re.IGNORECASE,
    ),
}
_CLAUSE = re.compile(r"[^,;:()،؛]+[,;:()،؛]?")


@dataclass(frozen=True)
class FlagParams:
    """Thresholds of the flags. `sensitivity` > 1 flags more, < 1 flags less."""

    threshold: float = 0.5  # divergence above which a matched bead is a meaning shift
    sensitivity: float = 1.0
    z_at_threshold: float = 3.5  # robust deviations above the document's median cost
    min_spread: float = 0.1  # relative to the median: short documents have a tiny MAD
    # A removal is flagged when the similarity it gains is at least this much, and an
    # outlier among the document's removals of the same kind: above their 90th percentile
    # by `gain_spread` times the distance from their median to that percentile.
    sentence_gain: float = 0.03  # removing a sentence from a bead
    clause_gain: float = 0.03  # removing a clause of a single sentence
    negation_gain: float = 0.005  # removing an unmatched negation cue
    gain_spread: float = 1.0
    min_clause_words: int = 4


@dataclass(frozen=True)
class Flag:
    """Why a bead was flagged: a category, a one-line reason a person can read, and the
    passages concerned on each side (exact substrings of the bead's sentences)."""

    category: str
    reason: str
    src_spans: tuple[str, ...] = ()
    tgt_spans: tuple[str, ...] = ()


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
    encoder: Encoder | None = None,
    params: FlagParams | None = None,
) -> list[ScoredBead]:
    """Give each bead a divergence score and its flags. Without an encoder the
    sub-sentence checks (partial omission or addition, negation) are skipped."""
    params = params or FlagParams()
    center, spread = _cost_scale([b.cost for b in beads if b.src and b.tgt], params)
    sides = [
        Sides([src_texts[i] for i in b.src], [tgt_texts[j] for j in b.tgt], src_lang, tgt_lang)
        for b in beads
    ]
    removals = _removal_gains(sides, encoder, params) if encoder else [[] for _ in beads]
    needed = _gains_needed(removals, params)
    scored = []
    for bead, side, gains in zip(beads, sides, removals, strict=True):
        if not bead.tgt:
            divergence, flags = 1.0, [Flag("omission", _unmatched_reason(bead.src, "original"))]
        elif not bead.src:
            divergence, flags = 1.0, [Flag("addition", _unmatched_reason(bead.tgt, "translation"))]
        else:
            divergence = divergence_of(bead.cost, center, spread, params)
            flags = _matched_flags(bead, divergence, side, gains, needed, params)
        scored.append(
            ScoredBead(bead.src, bead.tgt, bead.similarity, bead.cost, divergence, tuple(flags))
        )
    return scored


@dataclass(frozen=True)
class Sides:
    """The sentences of one bead, both sides."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str


@dataclass(frozen=True)
class Removal:
    """Taking `piece` out of one side of a bead changes the similarity by `gain`."""

    kind: str  # "sentence", "clause" or "negation"
    side: str  # "src" or "tgt"
    piece: str
    gain: float


def divergence_of(cost: float, center: float, spread: float, params: FlagParams) -> float:
    """Map a bead cost to [0, 1]: 0.5 at `z_at_threshold` robust deviations above center."""
    z = (cost - center) / spread
    return 1.0 / (1.0 + math.exp(-2.0 * (z - params.z_at_threshold)))


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


def candidate_removals(sides: Sides, params: FlagParams) -> list[tuple[str, str, str, str]]:
    """Pieces worth testing, as (kind, side, piece, text without it): each sentence of a
    side that has several, each clause of a side that has one, and the first negation cue
    of the side that has more of them."""
    found = []
    for side, sentences in (("src", sides.src), ("tgt", sides.tgt)):
        if len(sentences) > 1:
            for k, sentence in enumerate(sentences):
                rest = " ".join(sentences[:k] + sentences[k + 1 :])
                found.append(("sentence", side, sentence, rest))
        elif sentences:
            found += [
                ("clause", side, clause, rest)
                for clause, rest in _clauses(sentences[0], params.min_clause_words)
            ]
    found += _negation_removals(sides)
    return found


def _removal_gains(sides: list[Sides], encoder: Encoder, params: FlagParams) -> list[list[Removal]]:
    """For every bead, the similarity gained by each candidate removal (one encoder call)."""
    texts: dict[str, int] = {}

    def slot(text: str) -> int:
        return texts.setdefault(normalize_for_embedding(text), len(texts))

    plans = []
    for side in sides:
        if not (side.src and side.tgt):
            plans.append(None)
            continue
        src, tgt = slot(" ".join(side.src)), slot(" ".join(side.tgt))
        removals = [
            (kind, which, piece, slot(rest))
            for kind, which, piece, rest in candidate_removals(side, params)
        ]
        plans.append((src, tgt, removals))
    vectors = encoder.encode(list(texts)) if texts else np.zeros((0, 1))
    gains = []
    for plan in plans:
        if plan is None:
            gains.append([])
            continue
        src, tgt, removals = plan
        base = float(vectors[src] @ vectors[tgt])
        gains.append(
            [
                Removal(
                    kind,
                    which,
                    piece,
                    float(vectors[rest] @ vectors[tgt if which == "src" else src]) - base,
                )
                for kind, which, piece, rest in removals
            ]
        )
    return gains


def _matched_flags(
    bead: Bead,
    divergence: float,
    sides: Sides,
    removals: list[Removal],
    needed: dict[str, float],
    params: FlagParams,
) -> list[Flag]:
    src, tgt = " ".join(sides.src), " ".join(sides.tgt)
    flags = []
    mismatch = compare_numbers(src, sides.src_lang, tgt, sides.tgt_lang)
    if mismatch is not None:
        flags.append(
            Flag(
                "number_mismatch",
                mismatch.reason,
                tuple(src[q.start : q.end] for q in mismatch.src),
                tuple(tgt[q.start : q.end] for q in mismatch.tgt),
            )
        )
    flags += [_partial_flag(r) for r in removals if r.gain > needed[r.kind]]
    flags += [
        Flag("name_mismatch", m.reason, (), (tgt[m.start : m.end],))
        for m in name_mismatches(src, sides.src_lang, tgt, sides.tgt_lang)
    ]
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


def _gains_needed(removals: list[list[Removal]], params: FlagParams) -> dict[str, float]:
    """Per kind of removal, the gain a removal must beat: the kind's floor, and an outlier
    among the document's removals of that kind (some encoders and texts, e.g. classical
    Arabic, gain from any shortening)."""
    floors = {
        "sentence": params.sentence_gain,
        "clause": params.clause_gain,
        "negation": params.negation_gain,
    }
    needed = {}
    for kind, floor in floors.items():
        gains = np.array([r.gain for bead in removals for r in bead if r.kind == kind])
        outlier = -np.inf
        if len(gains) >= 8:
            median, high = np.percentile(gains, [50, 90])
            outlier = high + params.gain_spread * max(high - median, 0.0)
        needed[kind] = max(floor, outlier) / params.sensitivity
    return needed


def _partial_flag(removal: Removal) -> Flag:
    quoted = _quote(removal.piece)
    spans = {"src_spans": (), "tgt_spans": ()} | {f"{removal.side}_spans": (removal.piece,)}
    original = removal.side == "src"
    if removal.kind == "negation":
        where = (
            "of the original is not in the translation"
            if original
            else ("of the translation is not in the original")
        )
        return Flag("meaning_shift", f"the negation {quoted} {where}", **spans)
    if original:
        reason = f"partial: the {removal.kind} {quoted} of the original seems untranslated"
        return Flag("omission", reason, **spans)
    reason = f"partial: the {removal.kind} {quoted} of the translation is not in the original"
    return Flag("addition", reason, **spans)


def _negation_removals(sides: Sides) -> list[tuple[str, str, str, str]]:
    src, tgt = " ".join(sides.src), " ".join(sides.tgt)
    cues = {
        "src": list(_negation_cues(src, sides.src_lang)),
        "tgt": list(_negation_cues(tgt, sides.tgt_lang)),
    }
    if len(cues["src"]) == len(cues["tgt"]):
        return []
    side = "src" if len(cues["src"]) > len(cues["tgt"]) else "tgt"
    text = src if side == "src" else tgt
    cue = cues[side][0]
    rest = re.sub(r"\s+", " ", text[: cue.start()] + text[cue.end() :]).strip()
    word = (
        re.search(r"\S*$", text[: cue.start()]).group()
        + re.match(r"\S*", text[cue.start() :]).group()
    )
    return [("negation", side, word.strip(".,;:!?،؛"), rest)]


def _negation_cues(text: str, lang: str):
    pattern = _NEGATION.get(lang)
    return pattern.finditer(text) if pattern else iter(())


def _clauses(sentence: str, min_words: int) -> list[tuple[str, str]]:
    """(clause, sentence without it) for every clause of at least `min_words` words that
    leaves at least as many."""
    words = len(sentence.split())
    found = []
    for match in _CLAUSE.finditer(sentence):
        size = len(match.group(0).split())
        if size >= min_words and words - size >= min_words:
            rest = sentence[: match.start()] + sentence[match.end() :]
            found.append((match.group(0).strip(" ,;:،؛"), re.sub(r"\s+", " ", rest).strip()))
    return found


def _cost_scale(costs: Sequence[float], params: FlagParams) -> tuple[float, float]:
    """Median and spread (1.4826 MAD, at least `min_spread` of the median) of the
    document's bead costs."""
    if not costs:
        return 1.0, 1.0
    values = np.asarray(costs)
    median = float(np.median(values))
    spread = float(1.4826 * np.median(np.abs(values - median)))
    return median, max(spread, params.min_spread * median, 1e-3)


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _unmatched_reason(indices: tuple[int, ...], side: str) -> str:
    other = "translation" if side == "original" else "original"
    what = "sentence" if len(indices) == 1 else f"{len(indices)} sentences"
    return f"{what} of the {side} with no counterpart in the {other}"
