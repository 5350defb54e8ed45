"""Stage 4: score every bead and flag where the translation does not say what the original says.

Categories (a bead may carry several flags, each with a one-line reason and the words concerned
on each side):

- ``omission``: original content with no counterpart in the translation: a whole sentence
  (a 1-0 bead), or a run of content words of a matched bead that no word of the other side
  resembles (see align.wordlinking), or a clause (between commas or brackets) far from the
  other side without which its side is closer to it. A whole sentence's flag also names the
  sentences that may as well be the one missing (``Flag.elsewhere``).
- ``addition``: the same for translation content with no counterpart in the original; also
  a clause of a translation far longer than the document's length ratio says, without which
  it is closer to the original.
- ``number_mismatch``: the two sides of a bead carry different numbers (see numerals).
- ``meaning_shift``: the bead aligns, but its sides are much further apart than the
  document's other beads; most of its content words have no counterpart (a replaced
  sentence); or a negation on one side has no negation on the other where its scope lies
  (see negation).
- ``name_mismatch``: a proper name of the translation has no transliterated counterpart
  in the original (see names).

The word evidence is read against the document: a word's *cover* (the similarity of its best
counterpart in the bead) is divided by the document's median cover, since a classical text
and its translation have lower word similarities throughout than a modern one.

Each bead also gets a divergence score in [0, 1]: how unusual its cost is against the
document's own distribution of bead costs (a robust z-score through a logistic). Unmatched
beads score 1.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from align.aligning import Bead, gap_places
from align.encoding import Encoder, embed_parts, embed_texts
from align.names import lower_case_words, name_mismatches
from align.negation import Reach, unanswered
from align.numerals import compare_numbers
from align.wordlinking import CLAUSE_MARKS, BeadWords, Token, link_beads

CATEGORIES = ("omission", "addition", "number_mismatch", "meaning_shift", "name_mismatch")


@dataclass(frozen=True)
class FlagParams:
    """Thresholds of the flags. `sensitivity` > 1 flags more, < 1 flags less.

    The word thresholds were set on the development half of bench/divergence.py's
    documents (see bench/results/divergence.md)."""

    threshold: float = 0.5  # divergence above which a matched bead is a meaning shift
    sensitivity: float = 1.0
    z_at_threshold: float = 3.5  # robust deviations above the document's median cover
    min_spread: float = 0.1  # relative to the median: short documents have a tiny MAD
    window: int = 4  # content words in a run without counterpart
    add_cover: float = 0.5  # mean cover of such a run, at a document median cover of 0.6
    modern_add_cover: float = 0.51  # the same in a modern text (see modern_floor), whose
    # word vectors are surer (more UDHR glosses found, no more false alarms; a faithful run
    # of the seed's news text has 0.52)
    omit_cover: float = 0.40  # the same for the original's words
    phrase_similarity: float = 0.15  # ... and the run, embedded, below this share of the
    # document's typical bead similarity to the other side
    clause_words: int = 4  # content words of a clause (between commas, brackets ...) judged
    # by its vectors ...
    clause_gain: float = 0.06  # ... whose side, without it, is closer to the other side by
    # this share of the typical bead similarity, and which alone is below phrase_similarity
    verse_phrase_similarity: float = 0.4  # phrase_similarity of a clause in a classical
    # text (see modern_floor), whose beads' typical similarity is lower (on the development
    # suras 0.35 found 27 of 60 interpolations, 0.4 31 with one more false flag on the
    # clean text, 0.45 32 with two)
    stretch: float = 0.6  # a bead whose translation is longer than the document's typical
    # length ratio says by this much (natural log: 1.8 times) ...
    stretch_gain: float = 0.1  # ... has a clause without which its side is closer to the
    # other by this share of the typical similarity, however close the clause alone, ...
    stretch_cover: float = 0.6  # ... and whose content words' mean cover is below this: an
    # interpolation (on the development suras 9 more of 57 found, no clean clause flagged; on
    # the 74 Yusuf Ali suras outside the benchmark, clean, one flag, a bracketed gloss; at a
    # stretch of 0.4, 11 more found and 11 flags there)
    stretch_beads: int = 8  # matched beads a document needs for its typical ratio
    clause_cover: float = 0.56  # only clauses whose content words' mean cover is below this
    # are embedded (the development half's interpolations found so: 0.54 at most; 85% of
    # its clean clauses are above)
    replaced_cover: float = 0.45  # a content word below this (same scale) has no counterpart
    replaced_share: float = 0.6  # ... and a bead where this share of both sides has none
    far_share: float = 0.3  # a bead far apart by cost is flagged if this share has none
    sentence_similarity: float = 0.17  # a sentence of a many-sentence side whose similarity
    # to the other side is below this share of the document's median bead similarity ...
    sentence_cover: float = 0.56  # ... and whose content words' mean cover is below this
    modern_floor: float = 0.65  # median bead similarity of a modern text, where sentences
    # are judged so (the UDHR's documents 0.7 or more; the Qur'an's suras 0.62 at most)
    sentence_words: int = 3  # content words a translation's sentence needs to be judged
    pull_similarity: float = 0.5  # a sentence of a two-sentence side below this share of the
    # median bead similarity, whose side is closer to the other without it than with it
    verse_similarity: float = 0.55  # below it (classical text), an original sentence of a
    # many-sentence bead less similar than this share of the median, and than its neighbour
    # in the bead, ...
    verse_cover: float = 0.65  # ... whose content words' mean cover is below this
    pair_nearest: float = 0.45  # (classical text) a translation's sentence of a bead
    # rendering one verse by two, below this share of the median similarity to every
    # sentence of the original, ...
    pair_words: int = 6  # ... with this many content words at least, is an addition
    # (development suras: 6 of 7 unrelated sentences merged so found, 2 of them already
    # flagged otherwise; no clean sentence flagged there; on the 74 Yusuf Ali suras outside
    # the benchmark, clean, one flag; at 0.4, 4 of 7 and none)
    window_similarity: float = 0.3  # (classical text) a partial addition this similar to
    # some run of the original's words renders it (see `_rendered_in_windows`; on the
    # development suras no interpolation is dismissed so, on the 74 Yusuf Ali suras outside
    # the benchmark 35 of 104 clean flags are; at 0.28, 39 of 40 and 44)
    stray: float = 0.4  # a bead below this share of the median similarity whose one side ...
    stray_fit: float = 0.2  # ... is this much closer to a neighbouring bead's other side
    repeat_similarity: float = 0.9  # a translation sentence of a bead below the median
    # similarity this close to the translation of a bead two original sentences away or more
    # (near-verbatim: at 0.7, the whole Qur'an as one document, clean, gets 67 such flags of
    # stock phrases; at 0.9, 4; the development suras' replaced verses found alike) ...
    repeat_gap: float = 0.3  # ... whose original is this much less close to this bead's ...
    repeat_margin: float = 0.05  # ... and closer by this to the sentence than its own original
    scope: int = 3  # words after a negation that make up its scope
    name_cover: float = 0.6  # a capitalised word this close to a word of the original is no name
    negation_reach: float = 0.35  # share of a bead's length between negations paired by place
    negation_words: int = 12  # ... any share where neither side has more words than this
    gap_reach: int = 6  # one-to-one beads an omitted sentence's other places may lie across


@dataclass(frozen=True)
class Flag:
    """Why a bead was flagged: a category, a one-line reason a person can read, and the
    passages concerned on each side (exact substrings of the bead's sentences)."""

    category: str
    reason: str
    src_spans: tuple[str, ...] = ()
    tgt_spans: tuple[str, ...] = ()
    elsewhere: tuple[int, ...] = ()  # an omitted whole sentence: other source sentences
    # (0-based) that may as well be the one without a counterpart (see aligning.gap_places)


@dataclass(frozen=True)
class ScoredBead:
    """A bead with its divergence score, flags (empty when the bead is fine) and the word
    links inside it (None for an unmatched bead, or when scored without an encoder)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    similarity: float
    cost: float
    divergence: float
    flags: tuple[Flag, ...]
    words: BeadWords | None = None

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
    """Give each bead a divergence score and its flags. Without an encoder the word
    checks (partial omission or addition, replaced sentence) are skipped."""
    params = params or FlagParams()
    center, spread = _cost_scale([b.cost for b in beads if b.src and b.tgt], params)
    matched = [b for b in beads if b.src and b.tgt]
    # Whole sentences are judged by their vectors only where those separate a translation
    # from unrelated text by a wide margin: in documents whose beads are, as a rule, this
    # similar (modern prose: the UDHR's median is 0.7 or more; the Qur'an's, classical, 0.4,
    # and no sura's above 0.62, where judging verses so raised more false alarms than it
    # found divergences).
    typical = _typical_similarity([b.similarity for b in matched])
    by_vectors = encoder is not None and typical >= params.modern_floor
    # The checks by vectors come before the words are linked: what they embed does not then
    # sit beside a long document's words.
    alone = _sentences_alone(matched, src_texts, tgt_texts, encoder) if encoder else {}
    rests = _sentences_rest(matched, src_texts, tgt_texts, encoder) if by_vectors else {}
    strays = _strays(matched, src_texts, tgt_texts, encoder, typical, params) if by_vectors else {}
    if encoder is not None:
        repeats = _misplaced_renderings(matched, src_texts, tgt_texts, encoder, typical, params)
        strays = repeats | strays
    sides_of = [
        Sides([src_texts[i] for i in b.src], [tgt_texts[j] for j in b.tgt], src_lang, tgt_lang)
        for b in matched
    ]
    words = link_beads([(s.src, s.tgt) for s in sides_of], src_lang, tgt_lang, encoder)
    scale = _cover_scale(words) if encoder is not None else None
    strangers = {}
    if encoder is not None and not by_vectors:
        limit = params.pair_nearest * typical * params.sensitivity
        far = _far_of_two(matched, words, alone, limit, params)
        strangers = _strangers(far, src_texts, tgt_texts, encoder, limit)
    partials = (
        _runs_without_counterpart(matched, words, src_texts, tgt_texts, encoder, typical, params)
        if encoder is not None
        else {}
    )
    if encoder is not None:
        clauses = _clauses_without_counterpart(
            list(zip(matched, sides_of, words, _stretches(sides_of, params), strict=True)),
            encoder,
            (typical, scale),
            params,
        )
        for key, found_flags in clauses.items():
            have = {f.category for f in partials.get(key, [])}
            partials.setdefault(key, []).extend(f for f in found_flags if f.category not in have)
    if encoder is not None and not by_vectors:
        partials = _rendered_in_windows(partials, matched, sides_of, words, encoder, params)
    evidence = dict(zip(map(id, matched), zip(sides_of, words, strict=True), strict=True))
    lower_words = lower_case_words(tgt_texts) if tgt_lang == "en" else frozenset()
    scored = []
    for k, bead in enumerate(beads):
        sides, found = evidence.get(id(bead), (None, None))
        if not bead.tgt:
            divergence, flags = 1.0, [Flag("omission", _unmatched_reason(bead.src, "original"))]
        elif not bead.src:
            divergence, flags = 1.0, [Flag("addition", _unmatched_reason(bead.tgt, "translation"))]
            flags += _replaced_beside(beads, k, src_texts, tgt_texts)
        else:
            divergence = divergence_of(bead.cost, center, spread, params)
            partial = partials.get(id(bead), [])
            flags = _matched_flags(
                bead, divergence, sides, found, scale, partial, lower_words, params
            )
            whole = [strays[id(bead)]] if id(bead) in strays else []
            if id(bead) in alone:
                whole += _sentence_flags(
                    found,
                    sides,
                    alone[id(bead)],
                    rests.get(id(bead), ([], [])),
                    bead.similarity,
                    typical,
                    scale,
                    params,
                    by_vectors,
                )
            whole += strangers.get(id(bead), [])
            flags = whole + [f for f in flags if not _explained(f, whole)]
        scored.append(
            ScoredBead(
                bead.src,
                bead.tgt,
                bead.similarity,
                bead.cost,
                divergence,
                tuple(flags),
                found if encoder is not None else None,
            )
        )
    if encoder is None:
        return scored
    return _with_gap_places(scored, src_texts, tgt_texts, encoder, params)


def _with_gap_places(
    beads: list[ScoredBead],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    params: FlagParams,
) -> list[ScoredBead]:
    """Each omission of a whole sentence with the other sentences that may as well be the
    one missing (`Flag.elsewhere`, and said in its reason): a verse missing from a
    translation of short verses leaves a run of verses paired with their neighbours'
    renderings, and the gap is often placed one to three verses from the verse missing."""
    found = [
        (k, n, i)
        for k, bead in enumerate(beads)
        for n, flag in enumerate(bead.flags)
        if (i := _omitted_sentence(bead, flag, src_texts)) is not None
    ]
    if not found:
        return beads
    reach = params.gap_reach
    near = {
        h for k, _, _ in found for h in range(max(k - reach, 0), min(k + reach + 1, len(beads)))
    }
    src = sorted({i for h in near for i in beads[h].src})
    tgt = sorted({j for h in near for j in beads[h].tgt})
    src_vectors, tgt_vectors = embed_parts(
        [[src_texts[i] for i in src], [tgt_texts[j] for j in tgt]], encoder
    )
    src_row, tgt_row = {i: r for r, i in enumerate(src)}, {j: r for r, j in enumerate(tgt)}

    def similarity(i: int, j: int) -> float:
        return float(src_vectors[src_row[i]] @ tgt_vectors[tgt_row[j]])

    pairs = [(bead.src, bead.tgt) for bead in beads]
    out = list(beads)
    for k, n, i in found:
        places = gap_places(pairs, k, i, similarity, reach)
        if places:
            flags = list(out[k].flags)
            flags[n] = replace(
                flags[n],
                reason=f"{flags[n].reason}; the one missing may as well be "
                f"{_sentence_numbers(places)} of the original (the sentences between match "
                "as well either way)",
                elsewhere=places,
            )
            out[k] = replace(out[k], flags=tuple(flags))
    return out


def _omitted_sentence(bead: ScoredBead, flag: Flag, src_texts: list[str]) -> int | None:
    """The source sentence an omission flag says has no counterpart at all, if it is about
    a whole sentence: an unmatched one, or one of a merged bead's."""
    if flag.category != "omission":
        return None
    if not bead.tgt:
        return bead.src[0] if len(bead.src) == 1 else None
    if len(bead.src) > 1 and len(flag.src_spans) == 1:
        return next((i for i in bead.src if src_texts[i] == flag.src_spans[0]), None)
    return None


def _sentence_numbers(indices: Sequence[int]) -> str:
    """ "sentence 14", "sentence 13 or 14", "sentence 12, 13 or 14" (numbered from 1)."""
    numbers = [str(i + 1) for i in indices]
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} or {numbers[-1]}"
    return f"sentence {listed}"


def _replaced_beside(
    beads: Sequence[Bead], k: int, src_texts: list[str], tgt_texts: list[str]
) -> list[Flag]:
    """A meaning shift for the translation's sentences of bead `k`, which have no
    counterpart, when the bead before or after it is the original's with none: the
    translation says something else in place of that original sentence."""
    beside = [beads[n] for n in (k - 1, k + 1) if 0 <= n < len(beads) and not beads[n].tgt]
    if not beside:
        return []
    original = " ".join(src_texts[i] for i in beside[0].src)
    return [
        Flag(
            "meaning_shift",
            f"the translation says something else here: {_quote(original)} of the original, "
            "beside it, has no counterpart either",
            (),
            tuple(tgt_texts[j] for j in beads[k].tgt),
        )
    ]


@dataclass(frozen=True)
class Sides:
    """The sentences of one bead, both sides."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str


def _typical_similarity(similarities: Sequence[float]) -> float:
    """The median similarity of a document's matched beads; in a document of three beads or
    fewer, the best one's (there the median is one bead, often the one in question)."""
    if not similarities:
        return 0.0
    return float(np.max(similarities) if len(similarities) <= 3 else np.median(similarities))


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


def _matched_flags(
    bead: Bead,
    divergence: float,
    sides: Sides,
    words: BeadWords,
    scale: float | None,
    partial: list[Flag],
    lower_words: frozenset[str],
    params: FlagParams,
) -> list[Flag]:
    """The flags of a matched bead; `lower_words`: the words its document's translation
    writes in lower case (see align.names.lower_case_words)."""
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
    if scale is not None:
        share = _unmatched_share(words, scale, params)
        replaced = _replaced(share, sides, params)
        flags += replaced or partial
    flags += _negation_flags(words, sides, params)
    flags += [
        Flag("name_mismatch", m.reason, (), (tgt[m.start : m.end],))
        for m in name_mismatches(src, sides.src_lang, tgt, sides.tgt_lang, lower_words)
        if scale is None or not _meant(words, sides.tgt, m.start, m.end, scale, params)
    ]
    threshold = min(params.threshold / params.sensitivity, 0.999)
    # Far apart by the bead's cost alone is a flag only with some word evidence: a short
    # verse with a basmala is far from "Ha-Mim." and says the same.
    evidence = scale is None or (share is not None and share >= params.far_share)
    if (
        divergence > threshold
        and evidence
        and not any(f.category == "meaning_shift" for f in flags)
    ):
        flags.append(
            Flag(
                "meaning_shift",
                f"the two sides are far apart for this document (similarity "
                f"{bead.similarity:.2f}, divergence {divergence:.2f} > {threshold:.2f})",
            )
        )
    return flags


def _meant(
    words: BeadWords, texts: Sequence[str], start: int, end: int, scale: float, params: FlagParams
) -> bool:
    """Whether the translation's words at `start:end` (of its sentences joined) all have a
    close counterpart by meaning (cover at least `name_cover`): a common noun written with
    a capital ("Sovereign", "Grip"), not a name missing from the original. Words of three
    letters or fewer are left to spelling: their vectors are unreliable, and short
    capitalised words are names more often ("Ad", "Hud", "Lot")."""
    offsets = np.cumsum([0, *(len(t) + 1 for t in texts)])
    found = [
        (t, c * scale)
        for t, c in zip(words.tgt, words.tgt_cover, strict=True)
        if start <= offsets[t.sentence] + t.start < end
    ]
    return bool(found) and all(len(t.form) > 3 and c >= params.name_cover for t, c in found)


# --- whole sentences with no counterpart inside a bead ---


def _sentences_alone(
    beads: Sequence[Bead], src_texts: list[str], tgt_texts: list[str], encoder: Encoder
) -> dict[int, tuple[list[float], list[float]]]:
    """For each bead with several sentences on a side: the similarity of each of those
    sentences, alone, to the whole other side (the aligner has embedded all of these texts,
    so a cached encoder has them). Empty lists for a side of one sentence."""
    return _pieces_to_other_side(beads, src_texts, tgt_texts, encoder, 2, lambda side: side)


def _sentences_rest(
    beads: Sequence[Bead], src_texts: list[str], tgt_texts: list[str], encoder: Encoder
) -> dict[int, tuple[list[float], list[float]]]:
    """For each bead with three sentences or more on a side: the similarity of that side
    without each of its sentences in turn to the whole other side (empty lists for a side of
    fewer; of two, the other sentence alone says it: see `_sentences_alone`)."""
    return _pieces_to_other_side(beads, src_texts, tgt_texts, encoder, 3, _each_left_out)


def _each_left_out(side: list[str]) -> list[str]:
    return [" ".join(side[:k] + side[k + 1 :]) for k in range(len(side))]


def _pieces_to_other_side(
    beads: Sequence[Bead],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    smallest: int,
    pieces: Callable[[list[str]], list[str]],
) -> dict[int, tuple[list[float], list[float]]]:
    """For each bead with a side of `smallest` sentences or more: the similarity of each of
    `pieces(that side's sentences)`, one per sentence, to the whole other side (empty lists
    for a smaller side), all embedded in one call."""
    many = [b for b in beads if len(b.src) >= smallest or len(b.tgt) >= smallest]
    texts = []
    for b in many:
        src, tgt = [src_texts[i] for i in b.src], [tgt_texts[j] for j in b.tgt]
        for mine, other in ((src, tgt), (tgt, src)):
            texts += [" ".join(other), *(pieces(mine) if len(mine) >= smallest else ())]
    vectors = embed_texts(texts, encoder) if texts else np.zeros((0, 1))
    found, row = {}, 0
    for b in many:
        sims = []
        for side in (b.src, b.tgt):
            n = len(side) if len(side) >= smallest else 0
            other = vectors[row]
            sims.append([float(v @ other) for v in vectors[row + 1 : row + 1 + n]])
            row += 1 + n
        found[id(b)] = (sims[0], sims[1])
    return found


def _sentence_flags(
    words: BeadWords,
    sides: Sides,
    alone: tuple[list[float], list[float]],
    rests: tuple[list[float], list[float]],
    similarity_of_bead: float,
    typical: float,
    scale: float,
    params: FlagParams,
    by_vectors: bool,
) -> list[Flag]:
    """Whole omissions and additions inside a bead of several sentences: a sentence that,
    alone, is far less similar to the other side than the document's beads are (below
    `sentence_similarity` times their median) and whose content words mostly have no
    counterpart (mean cover below `sentence_cover`): the aligner merged a sentence with
    no counterpart into its neighbour's bead. A translation's sentence needs
    `sentence_words` content words for its vector to say so ("To dwell therein." is the
    first words of a verse rendered in two sentences); an original's heading ("المادة 4")
    is judged with fewer.

    In modern prose, a side of several sentences is also judged by what each sentence does to
    the bead: where the side without it (of two, the other sentence alone; of more,
    `rests`) is closer to the other side than the whole side (`similarity_of_bead`), the
    sentence pulls the bead away; if it is also below
    `pull_similarity` times the median, it has no counterpart, whatever its words' cover
    (the sentences of a UDHR article share their words: "Everyone has the right to leave any
    country" merged with "… freedom of movement and residence").

    Where sentence vectors separate less (`by_vectors` False: a classical text), only the
    original's sentences are judged, which there are verses the translation follows one by
    one: a verse of a many-verse bead below `verse_similarity` times the median and less
    similar than another verse of the bead, its words' mean cover below `verse_cover`. (A
    translation's sentences are not: a verse is often rendered by several, each far from the
    whole.)"""
    if by_vectors:
        limits = {"src": params.sentence_similarity, "tgt": params.sentence_similarity}
        cover_limit = params.sentence_cover
    else:
        limits, cover_limit = {"src": params.verse_similarity}, params.verse_cover
    flags = []
    for side, sims, rest in zip(("src", "tgt"), alone, rests, strict=True):
        if side not in limits:
            continue
        tokens = words.src if side == "src" else words.tgt
        cover = words.src_cover if side == "src" else words.tgt_cover
        texts = sides.src if side == "src" else sides.tgt
        for k, similarity in enumerate(sims):
            covers = [
                c * scale
                for t, c in zip(tokens, cover, strict=True)
                if t.sentence == k and t.content
            ]
            if len(covers) < (params.sentence_words if side == "tgt" else 1):
                continue
            pulls = (
                by_vectors
                and (len(sims) == 2 or len(rest) == len(sims))
                and (sims[1 - k] if len(sims) == 2 else rest[k]) > similarity_of_bead
                and similarity < params.pull_similarity * typical * params.sensitivity
            )
            merged = _merged_verse(sims, k, sides, by_vectors)
            if (
                not merged
                and not pulls
                and (
                    similarity >= limits[side] * typical * params.sensitivity
                    or (not by_vectors and similarity >= max(sims))
                    or float(np.mean(covers)) >= cover_limit * params.sensitivity
                )
            ):
                continue
            category, where, there = (
                ("omission", "original", "translation")
                if side == "src"
                else ("addition", "translation", "original")
            )
            spans = {"src_spans": (), "tgt_spans": ()} | {f"{side}_spans": (texts[k],)}
            flags.append(
                Flag(
                    category,
                    f"the sentence {_quote(texts[k])} of the {where} has no counterpart in the "
                    f"{there} (similarity {similarity:.2f} to it)",
                    **spans,
                )
            )
    return flags


def _far_of_two(
    beads: Sequence[Bead],
    words: Sequence[BeadWords],
    alone: dict[int, tuple[list[float], list[float]]],
    limit: float,
    params: FlagParams,
) -> list[tuple[Bead, int]]:
    """(bead, k) for each translation sentence k of a bead that renders one verse by two
    sentences, of `pair_words` content words or more, below `limit` similarity to the verse
    alone. A short sentence ("To dwell therein.") is a fragment whose vector says little."""
    found = []
    for bead, linked in zip(beads, words, strict=True):
        sims = alone.get(id(bead), ([], []))[1]
        if len(bead.src) != 1 or len(sims) != 2:
            continue
        for k, similarity in enumerate(sims):
            content = sum(t.content for t in linked.tgt if t.sentence == k)
            if content >= params.pair_words and similarity < limit:
                found.append((bead, k))
    return found


def _strangers(
    found: list[tuple[Bead, int]],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    limit: float,
) -> dict[int, list[Flag]]:
    """Whole additions in a classical text's beads that render one verse by two sentences
    (`found`, see `_far_of_two`): a sentence that no verse of the document comes near (its
    greatest similarity to any of them below `limit`: `pair_nearest` times the document's
    median bead similarity) says something the original does not. The aligner merges such
    a sentence into its neighbour's bead rather than leave it unmatched, and in a classical
    text a sentence far from its own verse proves little (a verse rendered by several
    sentences, each far from the whole: see `_sentence_flags`); far from every verse it is
    a stranger. The original's sentences are embedded (the aligner has, so a cached encoder
    has them) only where some sentence is far enough from its own verse."""
    if not found:
        return {}
    strangers, originals = embed_parts(
        [[tgt_texts[bead.tgt[k]] for bead, k in found], src_texts], encoder
    )
    nearest = (strangers @ originals.T).max(axis=1)
    flags: dict[int, list[Flag]] = {}
    for (bead, k), closest in zip(found, nearest, strict=True):
        if closest >= limit:
            continue
        text = tgt_texts[bead.tgt[k]]
        flags.setdefault(id(bead), []).append(
            Flag(
                "addition",
                f"the sentence {_quote(text)} of the translation has no counterpart in the "
                f"original (similarity {float(closest):.2f} to its closest sentence)",
                (),
                (text,),
            )
        )
    return flags


def _merged_verse(sims: Sequence[float], k: int, sides: Sides, by_vectors: bool) -> bool:
    """Whether sentence `k` of the original is a verse with no counterpart merged into its
    neighbour's bead: in a classical text (`by_vectors` False), whose translation renders
    every verse by a sentence or more, a bead with fewer translation sentences than original
    verses lacks one, the verse least similar to the translation alone. (On the benchmark's
    development suras the aligner made one such bead of 474 on the clean text; a verse
    deleted from the translation left one in 11 of 20 cases.)"""
    return (
        not by_vectors
        and len(sides.tgt) < len(sides.src) == len(sims)
        and sims[k] == min(sims)
        and sims.count(sims[k]) == 1
    )


def _strays(
    beads: Sequence[Bead],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    typical: float,
    params: FlagParams,
) -> dict[int, Flag]:
    """Beads where the aligner paired a sentence with no counterpart with its neighbour's
    original (or translation): the bead's sides are far apart (below `stray` times the
    document's median similarity); one side is much closer (by `stray_fit`) to the other
    side of the next or previous bead, a sound bead, and that bead gets closer still with
    it added. The other side of this bead is then the sentence with no counterpart: an
    addition when the original belongs with a neighbour, an omission when the translation
    does. A bead that far apart with no neighbour to explain it says something else: a
    meaning shift."""
    limit = params.stray * typical * params.sensitivity
    low = [k for k, b in enumerate(beads) if b.similarity < limit]
    # (bead, neighbour, side of the bead that may belong with the neighbour)
    pairs = [
        (k, n, side)
        for k in low
        for n in (k - 1, k + 1)
        if 0 <= n < len(beads) and beads[n].similarity >= limit
        for side in ("src", "tgt")
    ]

    def text(bead: Bead, side: str) -> str:
        lines = (
            [src_texts[i] for i in bead.src] if side == "src" else [tgt_texts[j] for j in bead.tgt]
        )
        return " ".join(lines)

    texts = []
    for k, n, side in pairs:
        mine, theirs = text(beads[k], side), text(beads[n], side)
        merged = f"{mine} {theirs}" if n > k else f"{theirs} {mine}"
        texts += [mine, merged, text(beads[n], _other(side))]
    vectors = embed_texts(texts, encoder).reshape(len(pairs), 3, -1) if pairs else []
    found = {}
    for (k, n, side), (mine, merged, other) in zip(pairs, vectors, strict=True):
        bead, fit = beads[k], float(mine @ other)
        if id(bead) in found or fit < bead.similarity + params.stray_fit:
            continue
        if float(merged @ other) < beads[n].similarity:
            continue
        orphan = _other(side)
        lines = (
            [tgt_texts[j] for j in bead.tgt]
            if orphan == "tgt"
            else [src_texts[i] for i in bead.src]
        )
        category, where, there = (
            ("addition", "translation", "original")
            if orphan == "tgt"
            else ("omission", "original", "translation")
        )
        found[id(bead)] = Flag(
            category,
            f"{_quote(' '.join(lines))} of the {where} has no counterpart in the {there}: the "
            f"{there} it is aligned with is rendered in the {'next' if n > k else 'previous'} "
            f"bead (similarity {fit:.2f} against {bead.similarity:.2f})",
            **({"src_spans": (), "tgt_spans": ()} | {f"{orphan}_spans": tuple(lines)}),
        )
    for k in low:
        bead = beads[k]
        if id(bead) not in found:
            found[id(bead)] = Flag(
                "meaning_shift",
                f"the two sides say different things (similarity {bead.similarity:.2f}, "
                f"where this document's beads have {typical:.2f})",
                tuple(src_texts[i] for i in bead.src),
                tuple(tgt_texts[j] for j in bead.tgt),
            )
    return found


def _misplaced_renderings(
    beads: Sequence[Bead],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    typical: float,
    params: FlagParams,
    rows: int = 256,
) -> dict[int, Flag]:
    """Beads whose translation renders another sentence of the original: the one sentence of
    a bead's translation (a sentence of several may be a stock phrase: "And Allah is
    well-acquainted with all that ye do."), the bead less similar than the document's
    median, that repeats (similarity at least
    `repeat_similarity`) the translation of another bead, two original sentences away or
    more, whose original is not alike (the two originals' similarity is below the two
    translations' by `repeat_gap`: a refrain repeated in both texts is no divergence), and
    that is closer to that other original than to its own (by `repeat_margin`). Sentence
    vectors of one language tell a repeated rendering apart far better than a classical
    text's vectors across languages tell a verse from its neighbours (on the development
    suras, 40% of the clean beads' translations are closer to another verse than to their
    own). A meaning shift pointing at both sides, the reason naming the other bead. The
    translation's sentences are compared `rows` at a time with all of them."""
    queries = [
        (k, b.tgt[0]) for k, b in enumerate(beads) if b.similarity < typical and len(b.tgt) == 1
    ]
    if not queries:
        return {}
    bead_of = {j: k for k, b in enumerate(beads) for j in b.tgt}
    tgt = embed_texts(tgt_texts, encoder)
    pairs = []  # (bead, other bead, its sentence, the two sentences' similarity)
    for start in range(0, len(queries), rows):
        block = queries[start : start + rows]
        sims = tgt[[j for _, j in block]] @ tgt.T
        for r, y in zip(*np.nonzero(sims >= params.repeat_similarity), strict=True):
            (k, j), c = block[r], bead_of.get(int(y))
            if c is None or c == k:
                continue
            if min(abs(x - i) for x in beads[c].src for i in beads[k].src) < 2:
                continue
            pairs.append((k, c, j, float(sims[r, y])))
    needed = sorted({i for k, c, *_ in pairs for i in (*beads[k].src, *beads[c].src)})
    src = dict(zip(needed, embed_texts([src_texts[i] for i in needed], encoder), strict=True))
    best: dict[int, tuple[float, int, int, float, float]] = {}
    for k, c, j, repeat in pairs:
        own = max(float(src[i] @ tgt[j]) for i in beads[k].src)
        there = max(float(src[x] @ tgt[j]) for x in beads[c].src)
        alike = max(float(src[i] @ src[x]) for i in beads[k].src for x in beads[c].src)
        gap = repeat - alike
        if there < own + params.repeat_margin or gap < params.repeat_gap:
            continue
        if gap > best.get(k, (-1.0,))[0]:
            best[k] = (gap, c, j, own, there)
    found = {}
    for k, (_, c, j, own, there) in best.items():
        bead, other = beads[k], beads[c]
        found[id(bead)] = Flag(
            "meaning_shift",
            f"the translation says here what it says for another sentence of the original: "
            f"{_quote(tgt_texts[j])} repeats its rendering of "
            f"{_quote(' '.join(src_texts[x] for x in other.src))} (original sentence "
            f"{other.src[0] + 1}), which it is closer to than to its own (similarity "
            f"{there:.2f} against {own:.2f})",
            tuple(src_texts[i] for i in bead.src),
            (tgt_texts[j],),
        )
    return found


def _explained(flag: Flag, whole: Sequence[Flag]) -> bool:
    """Whether a partial or number flag only points inside sentences that `whole` flags as
    having no counterpart at all (the heading "المادة 4" is an omission; its 4 need not be
    flagged again)."""
    spans = [*flag.src_spans, *flag.tgt_spans]
    if flag.category == "meaning_shift" and not spans:  # far apart by cost: said already
        return any(f.category == "meaning_shift" for f in whole)
    if flag.category not in ("omission", "addition", "number_mismatch") or not whole:
        return False
    sentences = [
        t for f in whole if f.category != "meaning_shift" for t in (*f.src_spans, *f.tgt_spans)
    ]
    return bool(spans) and all(any(p in t for t in sentences) for p in spans)


def _other(side: str) -> str:
    return "tgt" if side == "src" else "src"


# --- content words with no counterpart ---


def _cover_scale(words: list[BeadWords]) -> float:
    """The factor that brings the document's median cover to 0.6, the scale of the
    thresholds: word similarities of a classical text are lower throughout."""
    covers = [
        c
        for bead in words
        for tokens, cover in ((bead.src, bead.src_cover), (bead.tgt, bead.tgt_cover))
        for t, c in zip(tokens, cover, strict=True)
        if t.content and c < 1.0  # numbers and names linked by value or spelling aside
    ]
    median = float(np.median(covers)) if covers else 0.6
    return 0.6 / max(median, 0.05)


def _runs_without_counterpart(
    beads: Sequence[Bead],
    words: Sequence[BeadWords],
    src_texts: list[str],
    tgt_texts: list[str],
    encoder: Encoder,
    typical: float,
    params: FlagParams,
) -> dict[int, list[Flag]]:
    """Partial omissions and additions, by bead: on each side, the run of `window`
    consecutive content words of one sentence with the lowest mean cover, if that is below
    `omit_cover` (original) or `add_cover` (translation; `modern_add_cover` in a modern
    text, see `modern_floor`), and if the passage, embedded as
    a phrase, is no closer to the other side than `phrase_similarity` times the document's
    typical bead similarity (single words find chance counterparts in a long sentence; a
    phrase of a translation resembles its original as a whole). A run is partial only if
    its side has two content words more than the run: otherwise the whole side has no
    counterpart, which is for the replaced-sentence check. One encoder call for all."""
    scale = _cover_scale(words)
    modern = typical >= params.modern_floor
    add_cover = params.modern_add_cover if modern else params.add_cover
    candidates = []  # (bead, side, passage, other side's text)
    for bead, found in zip(beads, words, strict=True):
        src = [src_texts[i] for i in bead.src]
        tgt = [tgt_texts[j] for j in bead.tgt]
        for side, tokens, cover, texts, other, limit in (
            ("src", found.src, found.src_cover, src, tgt, params.omit_cover),
            ("tgt", found.tgt, found.tgt_cover, tgt, src, add_cover),
        ):
            if sum(t.content for t in tokens) < params.window + 2:
                continue
            glosses = _short_glosses(tokens, texts, params.window)
            run = _weakest_run(tokens, [c * scale for c in cover], params.window, glosses)
            if run is not None and run[0] < limit * params.sensitivity:
                passage = _passage(tokens, run[1], run[2], texts)
                candidates.append((bead, side, passage, " ".join(other)))
    if not candidates:
        return {}
    vectors = embed_texts([t for c in candidates for t in c[2:]], encoder).reshape(
        len(candidates), 2, -1
    )
    limit = params.phrase_similarity * typical * params.sensitivity
    flags: dict[int, list[Flag]] = {}
    for (bead, side, passage, _), (phrase, other) in zip(candidates, vectors, strict=True):
        similarity = float(phrase @ other)
        if similarity >= limit:
            continue
        flags.setdefault(id(bead), []).append(
            _partial_flag(side, passage, f"similarity {similarity:.2f} to it")
        )
    return flags


def _partial_flag(side: str, passage: str, evidence: str) -> Flag:
    """A partial omission (`side` "src") or addition ("tgt") pointing at `passage`."""
    category, where, there = (
        ("omission", "original", "translation")
        if side == "src"
        else ("addition", "translation", "original")
    )
    return Flag(
        category,
        f"partial: {_quote(passage)} of the {where} has no counterpart in the {there} ({evidence})",
        **({"src_spans": (), "tgt_spans": ()} | {f"{side}_spans": (passage,)}),
    )


def _clauses(tokens: Sequence[Token], texts: Sequence[str], side: str) -> list[list[int]]:
    """The tokens of each clause of a side's sentences, a clause being what lies between
    two marks of `CLAUSE_MARKS` (or a mark and a sentence's edge); only sentences with two
    clauses or more give any."""
    members = _tokens_by_sentence(tokens)
    found = []
    for k, text in enumerate(texts):
        cuts = [m.start() for m in CLAUSE_MARKS[side].finditer(text)]
        groups: dict[int, list[int]] = {}  # clause (the number of cuts before it): tokens
        for i in members.get(k, ()):
            groups.setdefault(bisect_left(cuts, tokens[i].start), []).append(i)
        if len(groups) >= 2:
            found += list(groups.values())
    return found


def _tokens_by_sentence(tokens: Sequence[Token]) -> dict[int, list[int]]:
    """The indices of each sentence's tokens, in order, keyed by the sentence."""
    members: dict[int, list[int]] = {}
    for i, token in enumerate(tokens):
        members.setdefault(token.sentence, []).append(i)
    return members


def _stretches(sides: Sequence[Sides], params: FlagParams) -> list[float]:
    """How much longer each bead's translation is than the document's typical length ratio
    says: the natural log of its characters over its original's, less the median of that
    over the document's matched beads (0 for all in a document of fewer than
    `stretch_beads`, whose median says little)."""
    if len(sides) < params.stretch_beads:
        return [0.0] * len(sides)
    ratios = np.log([max(len(" ".join(s.tgt)), 1) / max(len(" ".join(s.src)), 1) for s in sides])
    return list(ratios - float(np.median(ratios)))


def _clauses_without_counterpart(
    beads: Sequence[tuple[Bead, Sides, BeadWords, float]],
    encoder: Encoder,
    scales: tuple[float, float],
    params: FlagParams,
) -> dict[int, list[Flag]]:
    """Partial omissions and additions judged by sentence vectors, clause by clause: a
    clause of `clause_words` content words or more (between commas, brackets ...), on a
    side with two content words more than it, that alone is no closer to the other side
    than `phrase_similarity` (in a classical text, below `modern_floor`:
    `verse_phrase_similarity`) times the document's typical bead similarity and
    without which its side is closer to the other side by `clause_gain` times that: an
    interpolation ("…, as the older commentators were careful to point out, …") that the
    window of `_runs_without_counterpart` misses where its words find chance counterparts.
    The clauses and the other sides are embedded in one call for the document, then the
    whole side and the side without the clause only for the clauses far enough from the
    other side (in a classical text most are not). Only clauses whose content words' mean
    cover (on the scale `scales` gives with the typical similarity) is below
    `clause_cover` are embedded: the others have counterparts by their words.

    A translation's clause in a bead whose translation is longer than the document's
    typical length ratio says (by `stretch`, the bead's fourth member: see `_stretches`)
    needs neither to be far alone: without it the side must be closer by `stretch_gain`
    times the typical similarity, its words' mean cover below `stretch_cover` (the length
    says something was put in; the gain says where)."""
    typical, scale = scales
    share = (
        params.phrase_similarity
        if typical >= params.modern_floor
        else params.verse_phrase_similarity
    )
    candidates = []  # (bead, side, passage, texts to embed, (usual cover, stretched))
    for bead, sides, found, stretch in beads:
        for side, tokens, cover, texts, other in (
            ("src", found.src, found.src_cover, sides.src, sides.tgt),
            ("tgt", found.tgt, found.tgt_cover, sides.tgt, sides.src),
        ):
            content = sum(t.content for t in tokens)
            stretched = side == "tgt" and stretch >= params.stretch / params.sensitivity
            for clause in _clauses(tokens, texts, side):
                covers = [cover[i] * scale for i in clause if tokens[i].content]
                if len(covers) < params.clause_words or content < len(covers) + 2:
                    continue
                mean = float(np.mean(covers))
                usual = mean < params.clause_cover * params.sensitivity
                if not usual and not (
                    stretched and mean < params.stretch_cover * params.sensitivity
                ):
                    continue
                first, last = tokens[clause[0]], tokens[clause[-1]]
                text = texts[first.sentence]
                rest = [*texts[: first.sentence], f"{text[: first.start]}{text[last.end :]}"]
                rest += texts[first.sentence + 1 :]
                passage = _passage(tokens, clause[0], clause[-1], texts)
                candidates.append(
                    (
                        bead,
                        side,
                        passage,
                        (" ".join(other), " ".join(texts), passage, " ".join(rest)),
                        (usual, stretched),
                    )
                )
    if not candidates:
        return {}
    # The clause alone first: only those far enough from the other side need their side
    # without them (in a classical text, most are not: a second call embeds far fewer).
    vectors = embed_texts([t for c in candidates for t in c[3][::2]], encoder).reshape(
        len(candidates), 2, -1
    )
    limit = share * typical * params.sensitivity
    far = []  # (candidate, its clause's similarity, the other side's vector)
    for c, (other, alone) in zip(candidates, vectors, strict=True):
        usual, stretched = c[4]
        if ((similarity := float(alone @ other)) < limit and usual) or stretched:
            far.append((c, similarity, other.copy()))
    del vectors
    if not far:
        return {}
    sides = embed_texts([t for (c, *_) in far for t in c[3][1::2]], encoder).reshape(
        len(far), 2, -1
    )
    best: dict[tuple[int, str], tuple[float, float, Bead, str]] = {}  # the largest gain
    for ((bead, side, passage, _, (usual, _)), similarity, other), (whole, rest) in zip(
        far, sides, strict=True
    ):
        gain = float(rest @ other - whole @ other)
        # a clause far alone with its words' usual low cover, or else (a stretched bead's)
        # by a larger gain
        far_alone = usual and similarity < limit
        if gain < (params.clause_gain if far_alone else params.stretch_gain) * typical / (
            params.sensitivity
        ):
            continue
        if gain > best.get((id(bead), side), (-1.0,))[0]:
            best[id(bead), side] = (gain, similarity, bead, passage)
    flags: dict[int, list[Flag]] = {}
    for (_, side), (gain, similarity, bead, passage) in best.items():
        where = "original" if side == "src" else "translation"
        evidence = (
            f"similarity {similarity:.2f} to it; without it, the {where} is {gain:.2f} closer"
        )
        flags.setdefault(id(bead), []).append(_partial_flag(side, passage, evidence))
    return flags


def _rendered_in_windows(
    partials: dict[int, list[Flag]],
    beads: Sequence[Bead],
    sides: Sequence[Sides],
    words: Sequence[BeadWords],
    encoder: Encoder,
    params: FlagParams,
) -> dict[int, list[Flag]]:
    """The partial flags less the additions whose passage, embedded, is at least
    `window_similarity` similar to a run of the original's words: a run as long as the
    passage's share of the bead's words says (n) and one two words longer, every second
    word a start. A phrase of a long verse is far from the verse as a whole however
    faithful ("explain the Signs in detail for those who reflect" against نفصل الآيات لقوم
    يتفكرون in a verse of 40 words); an interpolation finds no run that says it. For
    classical text: in modern prose, legal phrases find runs that share their words. All
    passages and runs of the document in one call."""
    candidates = []  # (bead key, flag, number of runs)
    texts = []
    for bead, side, found in zip(beads, sides, words, strict=True):
        for flag in partials.get(id(bead), []):
            if flag.category != "addition" or not flag.tgt_spans:
                continue
            passage = flag.tgt_spans[0]
            share = len(found.src) / max(len(found.tgt), 1)
            n = max(2, round(len(passage.split()) * share))
            runs = _runs_of_words(found.src, side.src, (n, n + 2), 2)
            if runs:
                candidates.append((id(bead), flag, len(runs)))
                texts += [passage, *runs]
    if not candidates:
        return partials
    vectors = embed_texts(texts, encoder)
    rendered = set()
    at = 0
    for key, flag, count in candidates:
        best = float((vectors[at + 1 : at + 1 + count] @ vectors[at]).max())
        if best >= params.window_similarity * params.sensitivity:
            rendered.add((key, flag))
        at += 1 + count
    return {
        key: kept
        for key, flags in partials.items()
        if (kept := [f for f in flags if (key, f) not in rendered])
    }


def _runs_of_words(
    tokens: Sequence[Token], texts: Sequence[str], lengths: Sequence[int], step: int
) -> list[str]:
    """Runs of `lengths` consecutive words within a sentence, as written, starting at every
    `step`-th word (and, in a sentence shorter than a run, the sentence's words)."""
    runs = []
    by_sentence = _tokens_by_sentence(tokens)
    for k in range(len(texts)):
        members = by_sentence.get(k, [])
        for n in lengths if members else ():
            for first in range(0, max(len(members) - n, 0) + 1, step):
                last = members[min(first + n, len(members)) - 1]
                runs.append(_passage(tokens, members[first], last, texts))
    return [r for r in dict.fromkeys(runs) if r]


def _weakest_run(
    tokens: Sequence[Token],
    cover: Sequence[float],
    window: int,
    skip: frozenset[int] = frozenset(),
) -> tuple[float, int, int] | None:
    """(mean cover, first token, last token) of the run of `window` content words within
    one sentence with the lowest mean cover, or None if no sentence has that many. Tokens
    in `skip` are passed over, as if they were function words."""
    content = [i for i, t in enumerate(tokens) if t.content and i not in skip]
    best = None
    for k in range(len(content) - window + 1):
        run = content[k : k + window]
        if tokens[run[0]].sentence != tokens[run[-1]].sentence:
            continue
        mean = sum(cover[i] for i in run) / window
        if best is None or mean < best[0]:
            best = (mean, run[0], run[-1])
    return best


_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _short_glosses(tokens: Sequence[Token], texts: Sequence[str], window: int) -> frozenset[int]:
    """Tokens inside brackets that hold fewer than `window` content words: a translator's
    declared gloss of a word or two ("suckle (the child)", "the secrets of (all) hearts"),
    which a run of words without counterpart should neither take in nor be padded with. A
    longer bracketed explanation is a passage of its own and stays."""
    spans = {k: [m.span() for m in _BRACKETS.finditer(text)] for k, text in enumerate(texts)}
    inside: dict[tuple[int, int, int], list[int]] = {}
    for i, token in enumerate(tokens):
        for start, end in spans[token.sentence]:
            if start < token.start and token.end < end:
                inside.setdefault((token.sentence, start, end), []).append(i)
    return frozenset(
        i
        for members in inside.values()
        if sum(tokens[i].content for i in members) < window
        for i in members
    )


def _passage(tokens: Sequence[Token], first: int, last: int, texts: Sequence[str]) -> str:
    """The text of one sentence from token `first` to token `last`, as written."""
    sentence = tokens[first].sentence
    return texts[sentence][tokens[first].start : tokens[last].end]


def _unmatched_share(words: BeadWords, scale: float, params: FlagParams) -> float | None:
    """The share of content words without counterpart (cover below `replaced_cover`) on
    the side that has fewer of them; None when a side has fewer than `window` content
    words (too few to say)."""
    shares = []
    for tokens, cover in ((words.src, words.src_cover), (words.tgt, words.tgt_cover)):
        covers = [c * scale for t, c in zip(tokens, cover, strict=True) if t.content]
        if len(covers) < params.window:
            return None
        shares.append(sum(c < params.replaced_cover for c in covers) / len(covers))
    return min(shares)


def _replaced(share: float | None, sides: Sides, params: FlagParams) -> list[Flag]:
    """A replaced sentence: most content words of both sides have no counterpart."""
    if share is None or share < params.replaced_share / params.sensitivity:
        return []
    unmatched = (
        "no content word of either side has a"
        if share >= 1.0
        else f"{share:.0%} or more of the content words of each side have no"
    )
    return [
        Flag(
            "meaning_shift",
            f"the translation says something else: {unmatched} counterpart on the other",
            tuple(sides.src),
            tuple(sides.tgt),
        )
    ]


def _negation_flags(words: BeadWords, sides: Sides, params: FlagParams) -> list[Flag]:
    """A meaning shift for the first negation of each side that the other side does not
    answer (align.negation), pointing at the negation."""
    reach = Reach(params.scope, params.negation_reach, params.negation_words)
    alone = unanswered(words, sides.src, sides.tgt, sides.src_lang, sides.tgt_lang, reach)
    flags = []
    for side in ("src", "tgt"):
        if not alone[side]:
            continue
        tokens = words.src if side == "src" else words.tgt
        texts = sides.src if side == "src" else sides.tgt
        token = tokens[alone[side][0]]
        word = texts[token.sentence][token.start : token.end]
        where, there = ("original", "translation") if side == "src" else ("translation", "original")
        spans = {"src_spans": (), "tgt_spans": ()} | {f"{side}_spans": (word,)}
        flags.append(
            Flag(
                "meaning_shift",
                f"the negation {_quote(word)} of the {where} has no negation in the {there}",
                **spans,
            )
        )
    return flags


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
