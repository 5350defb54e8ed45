"""Stage 3: find the best sequence of beads by dynamic programming over sentence vectors.

A bead pairs a run of source sentences with a run of target sentences: 1-1, 1-2, 2-1, 2-2 …
up to `max_size` sentences in all (8: 4-4, 1-7, 7-1), or 1-0 / 0-1 for a sentence left
unmatched. Its cost is the Vecalign cost (Thompson & Koehn 2019): one minus the cosine of
the two runs' vectors, divided by how far each run is, on average, from random sentences of
the other text, so that a cost of 1 means "no better than chance" whatever the encoder or
document; as in Vecalign it is weighted by nSents(x) * nSents(y), so that a merged bead
must earn its keep. A term for the length ratio (estimated from the document) is added, and
a penalty for a run that crosses a paragraph break (when paragraphs correspond one to one,
they are hard barriers instead; see align.align_vectors). An unmatched sentence costs
`skip_factor` times the median cost of the 1-1 beads of a first pass (never below a floor):
what counts as "no counterpart" depends on how close the encoder brings this document's
translations.

Whole-bead vectors cannot tell which of two neighbouring verses a stock phrase such as
"Lo! Allah is Forgiving, Merciful." belongs to, so every bead boundary (a node of the DP)
also pays for how badly the sentences meeting there match at their edges: the last
clause of the source sentence before it against the last clause of the target sentence
before it, and the first clauses after it (`Problem.node_costs`; clause edges from
`segmenting.sentence_edges`). The translation's sentence that ends a bead should answer
the end of its original. After the search, a run of unmatched sentences beside a bead at
the size limit joins it when the evidence says it belongs there (`absorb_leftovers`), so
a verse translated by more sentences than `max_size` allows keeps them all; a translation
sentence merged into a bead although no sentence of the original comes near it is left
unmatched (`detach_strays`); a sentence left unmatched, or merged, where a run of verses
paired with their neighbours' renderings ends moves back to where the run's pairs are
much closer (`slide_gaps`); and an unmatched lead-in ("Now, therefore,") joins the bead
it opens (`join_lead_ins`).

Encoding is where the time goes, so the search runs twice:
1. with only single sentences embedded: a run's vector is the normalised sum of its
   sentences' vectors (`Problem` without `Runs`), which costs no encoding at all;
2. with the runs near that first path embedded as one text each (`Runs`, chosen by
   `runs_near`), every other multi-sentence bead ruled out (`refine`); where the first
   path is sure (a stretch of beads that cost little, `unsure_beads`), only the runs of
   its own beads.

Time and memory stay linear in document length: above `full_limit` cells the first search
runs on a copy of both documents with pairs of sentences merged (recursively), and the
full-resolution search is confined to a band around that path; every later search keeps
to a band around the path before it, at any length. The
costs of a band are computed block by block with matrix products, and the recurrence runs
compiled (numba).
"""

from __future__ import annotations

import functools
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

NODE_ROWS = 64  # rows of DP nodes whose boundary costs are computed in one go
BLOCK_ROWS = 256  # rows of the DP table whose bead costs are computed in one go


@dataclass(frozen=True)
class AlignParams:
    """Knobs of the aligner; skip_factor and length_weight were tuned on the Qur'an corpora
    and the seed pair, edge_weight and edge_offset on the odd-numbered suras of both Qur'an
    corpora only (the even-numbered are held out; see bench/accuracy.py)."""

    max_size: int = 8  # most sentences in a bead, both sides together: 4-4, 1-7, 7-1 ...
    skip_factor: float = 1.5
    first_skip_cost: float = 1.0  # for the first pass, which measures the document
    typical_floor: float = 0.3  # the typical 1-1 cost taken is never below this
    length_weight: float = 0.6
    paragraph_cost: float = 1.0  # for a run of sentences that crosses a paragraph break
    full_limit: int = 160_000
    band_width: int = 12
    random_samples: int = 256
    seed: int = 0
    refine_radius: int = 1  # runs embedded exactly: a first-path run with either end moved
    # by up to this many sentences; 0 keeps the first path (single sentences only)
    sure_margin: float = 1.5  # a first-path bead that costs at most this times the path's
    # median, between two such beads, is sure: no runs embedded around it (0: none is sure)
    edge_weight: float = 0.6  # for how well the sentences on both sides of a bead boundary
    # match at their edges (see Problem.node_costs); 0 embeds no edges
    edge_offset: float = 1.4
    edge_chars: int = 12  # a source clause edge has at least this many characters (the
    # target's, this times the document's length ratio)
    stray_share: float = 0.15  # a translation sentence at the edge of a bead, no closer
    # than this share of the median bead similarity to any sentence of the original, ...
    # (0: none detached; see detach_strays)
    stray_gain: float = 0.05  # ... whose bead is closer by this without it, is left unmatched
    slide_gain: float = 0.6  # an unmatched sentence moves along the one-to-one beads beside
    # it when their pairs are closer by this share of the median similarity (see slide_gaps)
    slide_reach: int = 6  # ... up to this many beads (the development half's right moves: 3)


@dataclass(frozen=True)
class Bead:
    """Source and target sentence indices (0-based, consecutive) and the bead's scores."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    similarity: float  # cosine of the two sides' vectors; nan when a side is empty
    cost: float  # Problem.distance: ~0.3 for a good translation, >1 for unrelated text;
    # the skip cost for an unmatched sentence


@dataclass(frozen=True)
class Runs:
    """Vectors of runs of consecutive sentences embedded as one text each.

    `index[k - 1, i]` is the row of `vectors` for sentences i..i+k-1, or -1 when that run
    was not embedded. Single sentences are always there (`index[0, i] == i`).
    """

    index: np.ndarray
    vectors: np.ndarray


@dataclass(frozen=True)
class Edges:
    """Each sentence's first and last clauses (segmenting.sentence_edges) as rows of a
    table of distinct unit vectors: a short sentence's two clauses are often one text, and
    a long document repeats clauses (the whole Qur'an's take 30% fewer rows so)."""

    index: np.ndarray  # (2, n): rows of sentence i's first [0, i] and last [1, i] clauses
    vectors: np.ndarray  # (r, d)

    def block(self, edge: int, start: int, stop: int) -> np.ndarray:
        """Vectors of clause `edge` (0 first, 1 last) of sentences start..stop-1."""
        return self.vectors[self.index[edge, start:stop]]


@dataclass(frozen=True)
class Side:
    """One text as the aligner sees it; arrays indexed [k - 1, i] describe the run of k
    sentences starting at sentence i (zero where it would pass the end)."""

    vectors: np.ndarray  # (n, d) unit vectors of single sentences
    runs: Runs | None  # None: a run's vector is the normalised sum of its sentences'
    norms: np.ndarray  # [k - 1, i]: length of the summed vectors (approximate runs)
    noise: np.ndarray  # [k - 1, i]: mean cosine distance to random sentences of the other side
    chance: np.ndarray  # mean vector of those random sentences
    lengths: np.ndarray  # [k - 1, i]: characters
    breaks: np.ndarray  # [k - 1, i]: paragraph breaks inside the run
    edges: Edges | None = None  # each sentence's first and last clauses, or None
    edge_noise: np.ndarray | None = None  # (2, n): their mean cosine distance to chance

    def __len__(self) -> int:
        return len(self.vectors)

    def run_vector(self, k: int, i: int) -> np.ndarray | None:
        """Unit vector of sentences i..i+k-1, or None if that run is ruled out."""
        if self.runs is not None:
            row = self.runs.index[k - 1, i]
            return self.runs.vectors[row] if row >= 0 else None
        total = self.vectors[i : i + k].sum(axis=0)
        return total / max(float(np.linalg.norm(total)), 1e-12)


@dataclass(frozen=True)
class Problem:
    """Everything the cost of a bead depends on, precomputed once per document pair."""

    src: Side
    tgt: Side
    length_ratio: float
    skip_cost: float
    params: AlignParams

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.src), len(self.tgt)

    def bead_types(self) -> list[tuple[int, int]]:
        """1-0, 0-1 and every a-b with a + b <= max_size."""
        size = self.params.max_size
        return [(1, 0), (0, 1)] + [(a, b) for a in range(1, size) for b in range(1, size - a + 1)]

    def similarity(self, a: int, b: int, i: int, j: int) -> float:
        """Cosine of source run [i, i+a) and target run [j, j+b); nan if either is ruled out."""
        u, v = self.src.run_vector(a, i), self.tgt.run_vector(b, j)
        return float(u @ v) if u is not None and v is not None else float("nan")

    def distance(self, a: int, b: int, i: int, j: int, similarity: float | None = None) -> float:
        """How far apart the two runs are, against chance (~1) and their length ratio;
        `similarity` is theirs, if known."""
        if similarity is None:
            similarity = self.similarity(a, b, i, j)
        return _inf_for_nan(self.distances(a, b, i, j, similarity))

    def cost(self, a: int, b: int, i: int, j: int) -> float:
        """DP cost of the bead pairing source run [i, i+a) with target run [j, j+b)."""
        if a == 0 or b == 0:
            return self.skip_cost
        return _inf_for_nan(self.costs(a, b, i, j, self.similarity(a, b, i, j)))

    def node_costs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cost of a bead boundary at nodes (i, j): between source sentences i-1 and i and
        target sentences j-1 and j. The last clauses of i-1 and j-1 should match, and the
        first clauses of i and j; each mismatch counts against chance (about 1), less
        `edge_offset` in all. Zero at the ends of the texts and without edge vectors."""
        src, tgt = self.src, self.tgt
        n, m = self.shape
        shape = np.broadcast_shapes(np.shape(i), np.shape(j))
        if src.edges is None or tgt.edges is None or self.params.edge_weight == 0 or n < 2 or m < 2:
            return np.zeros(shape)
        inside = (i > 0) & (i < n) & (j > 0) & (j < m)
        # as rows of nodes; a row's nodes lie close together (one row of a DP band)
        width = shape[-1] if shape else 1
        i = np.broadcast_to(np.clip(i, 1, n - 1), shape).reshape(-1, width)
        j = np.broadcast_to(np.clip(j, 1, m - 1), shape).reshape(-1, width)
        total = np.zeros(i.shape)
        # A few rows of nodes at a time, their cosines from one matrix product of the edges
        # they span: gathering a vector per node would hold (nodes x dimension) floats.
        for start in range(0, len(i), NODE_ROWS):
            rows = slice(start, start + NODE_ROWS)
            for edge, di, dj in ((1, i[rows] - 1, j[rows] - 1), (0, i[rows], j[rows])):
                i_lo, j_lo = int(di.min()), int(dj.min())
                block = (
                    src.edges.block(edge, i_lo, di.max() + 1)
                    @ tgt.edges.block(edge, j_lo, dj.max() + 1).T
                )
                noise = (src.edge_noise[edge, di] + tgt.edge_noise[edge, dj]) / 2
                total[rows] += (1.0 - block[di - i_lo, dj - j_lo]) / np.maximum(noise, 1e-6)
        cost = self.params.edge_weight * (total.reshape(shape) - self.params.edge_offset)
        return np.where(inside, cost, 0.0)

    def summed_similarity(self, src: Sequence[int], tgt: Sequence[int]) -> float:
        """Cosine of the summed single-sentence vectors of two sets of sentences."""
        u, v = self.src.vectors[list(src)].sum(axis=0), self.tgt.vectors[list(tgt)].sum(axis=0)
        return float(u @ v / max(float(np.linalg.norm(u) * np.linalg.norm(v)), 1e-12))

    def leftover_distance(self, side: str, run: Sequence[int], others: Sequence[int]) -> float:
        """How far the summed sentences `run` of `side` are from the summed sentences
        `others` of the other side, against chance (about 1 for unrelated text)."""
        mine, theirs = (self.src, self.tgt) if side == "src" else (self.tgt, self.src)
        u = mine.vectors[list(run)].sum(axis=0)
        u = u / max(float(np.linalg.norm(u)), 1e-12)
        v = theirs.vectors[list(others)].sum(axis=0)
        cosine = float(u @ v) / max(float(np.linalg.norm(v)), 1e-12)
        return (1.0 - cosine) / max(1.0 - float(u @ mine.chance), 1e-6)

    def distances(self, a: int, b: int, i, j, similarity):
        """`distance` of a-b beads whose runs start at i and j (scalars or arrays), given
        their runs' cosines; nan where a run is ruled out."""
        src, tgt = self.src, self.tgt
        noise = (src.noise[a - 1, i] + tgt.noise[b - 1, j]) / 2
        semantic = (1.0 - similarity) / np.maximum(noise, 1e-6)
        src_len = src.lengths[a - 1, i] * self.length_ratio
        length = np.abs(np.log((tgt.lengths[b - 1, j] + 10.0) / (src_len + 10.0)))
        return semantic + self.params.length_weight * length

    def costs(self, a: int, b: int, i, j, similarity):
        """`cost` of matched a-b beads whose runs start at i and j (scalars or arrays), given
        their runs' cosines; nan where a run is ruled out."""
        breaks = self.src.breaks[a - 1, i] + self.tgt.breaks[b - 1, j]
        return a * b * self.distances(a, b, i, j, similarity) + self.params.paragraph_cost * breaks


def _inf_for_nan(value: float) -> float:
    """`np.nan_to_num(value, nan=np.inf)` of one float64, without its array round trip (a
    tenth of a second per thousand beads): nan is inf, an infinity the largest float."""
    value = float(value)
    if math.isnan(value):
        return math.inf
    return math.copysign(sys.float_info.max, value) if math.isinf(value) else value


def make_problem(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    params: AlignParams | None = None,
    src_paragraphs: np.ndarray | None = None,
    tgt_paragraphs: np.ndarray | None = None,
    src_edges: Edges | None = None,
    tgt_edges: Edges | None = None,
) -> Problem:
    """The problem for two texts' sentence vectors (unit rows), with every run's vector
    approximated from its sentences'. Paragraph numbers default to one paragraph per side;
    edges (each sentence's first and last clauses) to none."""
    params = params or AlignParams()
    src_vectors, tgt_vectors = _same_width(src_vectors, tgt_vectors)
    rng = np.random.default_rng(params.seed)
    ratio = (np.sum(tgt_lengths) + 1.0) / (np.sum(src_lengths) + 1.0)
    sizes = max(params.max_size - 1, 1)
    src_sample = _sample_mean(src_vectors, rng, params.random_samples)
    tgt_sample = _sample_mean(tgt_vectors, rng, params.random_samples)
    return Problem(
        src=_side(src_vectors, src_lengths, src_paragraphs, tgt_sample, sizes, src_edges),
        tgt=_side(tgt_vectors, tgt_lengths, tgt_paragraphs, src_sample, sizes, tgt_edges),
        length_ratio=float(ratio),
        skip_cost=params.first_skip_cost,
        params=params,
    )


def with_runs(problem: Problem, src_runs: Runs, tgt_runs: Runs) -> Problem:
    """The same problem with runs embedded exactly: beads whose runs are missing are out."""
    return replace(
        problem,
        src=_exact(problem.src, src_runs),
        tgt=_exact(problem.tgt, tgt_runs),
    )


def runs_near(beads: list[Bead], side: str, n: int, max_size: int, radius: int) -> np.ndarray:
    """Which runs of `side` ("src" or "tgt") the refined search may use: each run of the
    path with its start or its end moved by up to `radius` sentences. Returns a boolean
    array [k - 1, i] (k = 1 .. max_size - 1); single sentences are always in."""
    sizes = max(max_size - 1, 1)
    wanted = np.zeros((sizes, n), dtype=bool)
    wanted[0] = True
    steps = range(-radius, radius + 1)
    moves = [(d, 0) for d in steps] + [(0, d) for d in steps]
    for bead in beads:
        run = getattr(bead, side)
        if not run:
            continue
        start, end = run[0], run[-1] + 1
        for ds, de in moves:
            s, e = start + ds, end + de
            if 0 <= s < e <= n and e - s <= sizes:
                wanted[e - s - 1, s] = True
    return wanted


def unsure_beads(beads: list[Bead], margin: float) -> list[Bead]:
    """The beads of a first path around which the second search should look: all but the
    sure ones, matched beads that cost at most `margin` times the path's median matched
    cost and whose neighbours are such beads too. (The second search still needs the
    runs of a sure bead itself, to measure it.)"""
    costs = [b.cost for b in beads if b.src and b.tgt]
    if not costs or margin <= 0:
        return beads
    limit = margin * float(np.median(costs))
    good = [bool(b.src and b.tgt) and b.cost <= limit for b in beads]
    padded = [True, *good, True]
    return [b for k, b in enumerate(beads) if not all(padded[k : k + 3])]


def align_problem(
    problem: Problem,
    barriers: list[tuple[int, int]] | None = None,
    around: list[Bead] | None = None,
) -> list[Bead]:
    """Best beads for the whole problem; `barriers` are (source, target) index pairs that
    every alignment must pass through (e.g. paragraph starts), splitting the search;
    `around` is an earlier path of the same problem to search near (see `_search`).

    A first pass measures the document's typical 1-1 cost, which sets the skip cost of
    the second.
    """
    first = search(problem, barriers, around)
    one_to_one = [bead.cost for bead in first if len(bead.src) == len(bead.tgt) == 1]
    if not one_to_one:
        return first
    typical = max(float(np.median(one_to_one)), problem.params.typical_floor)
    problem = replace(problem, skip_cost=problem.params.skip_factor * typical)
    return search(problem, barriers, around or first)


def absorb_leftovers(
    problem: Problem, beads: list[Bead], barriers: list[tuple[int, int]] | None = None
) -> list[Bead]:
    """Give each run of unmatched sentences beside a bead that has reached the size limit
    to that bead, when the run is closer to the bead's other side than a random sentence is
    (and closer than to a full bead on its other side): a verse translated by more sentences
    than `max_size` allows then keeps them (1-11 rather than 1-7 and four "additions"), and
    the bead shows its true shape. Never across a barrier."""
    size, fixed = problem.params.max_size, set(barriers or [])
    beads = list(beads)
    k = 0
    while k < len(beads):
        end = k
        side = "src" if beads[k].src else "tgt"
        while (
            end < len(beads)
            and not getattr(beads[end], _OTHER[side])
            and (getattr(beads[end], side) and bool(beads[k].src) != bool(beads[k].tgt))
        ):
            end += 1
        if end == k:
            k += 1
            continue
        nodes = _nodes(beads)
        run = [i for bead in beads[k:end] for i in getattr(bead, side)]
        choices = [
            (problem.leftover_distance(side, run, getattr(beads[h], _OTHER[side])), h)
            for h, between in ((k - 1, nodes[k]), (end, nodes[end]))
            if 0 <= h < len(beads)
            and beads[h].src
            and beads[h].tgt
            and len(beads[h].src) + len(beads[h].tgt) >= size
            and between not in fixed
        ]
        distance, h = min(choices, default=(np.inf, -1))
        if distance >= 1.0:
            k = end
            continue
        host = beads[h]
        src = sorted(host.src + tuple(run) if side == "src" else host.src)
        tgt = sorted(host.tgt + tuple(run) if side == "tgt" else host.tgt)
        merged = Bead(tuple(src), tuple(tgt), problem.summed_similarity(src, tgt), host.cost)
        start = min(h, k)
        beads[start : max(h + 1, end)] = [merged]
        k = start
    return beads


_OTHER = {"src": "tgt", "tgt": "src"}


def pair_leftovers(
    problem: Problem, beads: list[Bead], barriers: list[tuple[int, int]] | None = None
) -> list[Bead]:
    """Pair a sentence left unmatched with an unmatched sentence of the other side in the
    same gap between matched beads, when the two as a 1-1 bead cost less than leaving both
    unmatched (twice the skip cost), closest pair first. The search can miss such a pair
    beside an unmatched sentence: a bead boundary there pays for how badly the sentences
    meeting at it match at their edges, and next to a sentence with no counterpart they
    never do (an inserted sentence in an article of three lines left its neighbour and
    that neighbour's original both unmatched). Only gaps of at most `max_size` sentences a
    side are looked at, never across a barrier."""
    fixed, out, k = set(barriers or []), [], 0
    while k < len(beads):
        if beads[k].src and beads[k].tgt:
            out.append(beads[k])
            k += 1
            continue
        end = k
        while end < len(beads) and not (beads[end].src and beads[end].tgt):
            end += 1
        out += _paired(problem, beads[k:end], fixed)
        k = end
    return out


def _paired(problem: Problem, gap: list[Bead], fixed: set[tuple[int, int]]) -> list[Bead]:
    """The unmatched beads of one gap, with its best pair matched (then the gaps on either
    side of that pair in turn)."""
    src = [i for b in gap for i in b.src]
    tgt = [j for b in gap for j in b.tgt]
    if not src or not tgt or max(len(src), len(tgt)) > problem.params.max_size:
        return gap  # a long stretch without counterparts is left as the search found it
    corners = {(src[0], tgt[0]), (src[-1] + 1, tgt[-1] + 1)}
    inside = [
        (x, y)
        for x, y in fixed
        if src[0] <= x <= src[-1] + 1 and tgt[0] <= y <= tgt[-1] + 1 and (x, y) not in corners
    ]
    if inside:
        return gap  # the path through this gap is held by a barrier
    distance, i, j = min((problem.distance(1, 1, i, j), i, j) for i in src for j in tgt)
    if not distance < 2 * problem.skip_cost:
        return gap
    bead = Bead((i,), (j,), problem.similarity(1, 1, i, j), distance)

    def skips(sources: list[int], targets: list[int]) -> list[Bead]:
        return [Bead((a,), (), float("nan"), problem.skip_cost) for a in sources] + [
            Bead((), (b,), float("nan"), problem.skip_cost) for b in targets
        ]

    before = skips([a for a in src if a < i], [b for b in tgt if b < j])
    after = skips([a for a in src if a > i], [b for b in tgt if b > j])
    return [*_paired(problem, before, fixed), bead, *_paired(problem, after, fixed)]


def detach_strays(problem: Problem, beads: list[Bead]) -> list[Bead]:
    """Leave unmatched the first or last translation sentence of a matched bead with several
    when it is a stranger to the whole original: no sentence of the original is even
    `stray_share` times the document's median bead similarity close to it, and the bead is
    closer without it (by `stray_gain`, sums of sentence vectors). The search rather merges
    an inserted sentence into its neighbour's bead than leaves it unmatched: a merged bead
    costs a little more, a sentence left alone the skip cost and two bead boundaries whose
    clause edges do not match (see `Problem.node_costs`). Detaching keeps every node of the
    path, so barriers stay passed; a lead-in detached from the start of a bead goes back to
    it (`join_lead_ins`)."""
    params = problem.params
    median = _median_similarity(beads)
    if params.stray_share <= 0 or median is None:
        return beads
    # (gain, bead, stray sentence, the rest) for each edge sentence the bead is closer without
    several = [k for k, b in enumerate(beads) if b.src and len(b.tgt) > 1]
    found = [
        (gain, k, stray, rest)
        for k, gains in zip(several, _edge_gains(problem, [beads[k] for k in several]), strict=True)
        for gain, stray, rest in zip(
            gains,
            (beads[k].tgt[0], beads[k].tgt[-1]),
            (beads[k].tgt[1:], beads[k].tgt[:-1]),
            strict=True,
        )
        if gain >= params.stray_gain
    ]
    limit = params.stray_share * median
    # the bead's own original first: most are near it, and need not be compared with all
    found = [
        f
        for f in found
        if float(np.max(problem.src.vectors[list(beads[f[1]].src)] @ problem.tgt.vectors[f[2]]))
        < limit
    ]
    nearest = _nearest(problem, [stray for _, _, stray, _ in found])
    chosen = {}
    for (gain, k, stray, rest), closest in zip(found, nearest, strict=True):
        if closest < limit and gain > chosen.get(k, (-np.inf,))[0]:
            chosen[k] = (gain, stray, rest)
    out = []
    for k, bead in enumerate(beads):
        out += _detached(problem, bead, *chosen[k][1:]) if k in chosen else [bead]
    return out


def _median_similarity(beads: list[Bead]) -> float | None:
    """The median similarity of the matched beads (None without any): what the post-passes
    measure their margins by."""
    sims = [b.similarity for b in beads if b.src and b.tgt and np.isfinite(b.similarity)]
    return float(np.median(sims)) if sims else None


def _edge_gains(problem: Problem, beads: list[Bead], rows: int = 256) -> np.ndarray:
    """[k, 0] and [k, 1]: how much closer bead k's sides are (sums of sentence vectors)
    without the first, and without the last, of its target sentences; `rows` beads at a
    time."""
    out = np.zeros((len(beads), 2))
    for start in range(0, len(beads), rows):
        chunk = beads[start : start + rows]
        src = _bead_sums(problem.src.vectors, [b.src for b in chunk])
        tgt = _bead_sums(problem.tgt.vectors, [b.tgt for b in chunk])
        cosines = []
        for less in (None, [b.tgt[0] for b in chunk], [b.tgt[-1] for b in chunk]):
            side = tgt if less is None else tgt - problem.tgt.vectors[less]
            dot = np.einsum("ij,ij->i", src, side)
            norms = np.linalg.norm(src, axis=1) * np.linalg.norm(side, axis=1)
            cosines.append(dot / np.maximum(norms, 1e-12))
        out[start : start + rows] = np.stack(cosines[1:], axis=1) - cosines[0][:, None]
    return out


def _bead_sums(vectors: np.ndarray, runs: list[tuple[int, ...]]) -> np.ndarray:
    """The sum of the vectors of each run of sentences (none empty)."""
    starts = np.cumsum([0, *map(len, runs)])[:-1]
    return np.add.reduceat(vectors[[i for run in runs for i in run]], starts, axis=0)


def _nearest(problem: Problem, sentences: list[int], rows: int = 256) -> np.ndarray:
    """Each target sentence's greatest cosine with any source sentence, `rows` sentences
    at a time (a long document's source has thousands)."""
    out = np.zeros(len(sentences))
    for start in range(0, len(sentences), rows):
        block = problem.tgt.vectors[sentences[start : start + rows]] @ problem.src.vectors.T
        out[start : start + rows] = block.max(axis=1) if block.shape[1] else 0.0
    return out


def _detached(problem: Problem, bead: Bead, stray: int, rest: tuple[int, ...]) -> list[Bead]:
    """`bead` less its translation sentence `stray`, and that sentence unmatched."""
    a, b, i, j = len(bead.src), len(rest), bead.src[0], rest[0]
    if a + b > problem.params.max_size:  # a bead that took leftovers (absorb_leftovers)
        kept = Bead(bead.src, rest, problem.summed_similarity(bead.src, rest), bead.cost)
    else:
        similarity = problem.similarity(a, b, i, j)
        if not np.isfinite(similarity):
            similarity = problem.summed_similarity(bead.src, rest)
        kept = Bead(bead.src, rest, similarity, problem.distance(a, b, i, j, similarity))
    alone = Bead((), (stray,), float("nan"), problem.skip_cost)
    return [alone, kept] if stray < j else [kept, alone]


def slide_gaps(
    problem: Problem, beads: list[Bead], barriers: list[tuple[int, int]] | None = None
) -> list[Bead]:
    """Move a sentence left unmatched, or the extra sentence of a two-to-one or one-to-two
    bead, along the run of one-to-one beads beside it where the run's pairs are then
    closer: by at least `slide_gain` times the document's median bead similarity, summed
    over the pairs that change (the merged bead's too). Where a translation's verse is
    missing (or an inserted sentence sits between two verses), the search may pair the
    verses after it with their neighbours' renderings and leave a sentence unmatched, or
    merged, where the run ends: the skip costs the same wherever it is, and a shifted pair
    of weakly similar verses costs little more than the right one. The best move first,
    then the next, each on the path the last one left; never across a barrier."""
    median = _median_similarity(beads)
    if problem.params.slide_gain <= 0 or median is None:
        return beads
    limit = problem.params.slide_gain * median
    fixed = set(barriers or [])
    for _ in range(len(beads)):
        best = max(_gap_moves(problem, beads, fixed), default=None)
        if best is None or best[0] < limit:
            break
        beads = _moved(problem, beads, *best[1:])
    return beads


def _gap_moves(problem: Problem, beads: list[Bead], fixed: set[tuple[int, int]]):
    """Every move of an unmatched sentence, or of the extra sentence of a merged bead `k`,
    along up to `slide_reach` one-to-one beads beside it, after it (`step` 1) or before it
    (-1): (gain in summed similarity, k, step, p), where p + 1 beads change pairs."""
    nodes, shifts = _nodes(beads), _shifts(problem, beads)
    for k, bead in enumerate(beads):
        sizes = (len(bead.src), len(bead.tgt))
        if sizes not in ((1, 0), (0, 1), (2, 1), (1, 2)):
            continue
        side = "src" if sizes[0] > sizes[1] else "tgt"
        own = getattr(bead, side)
        for step in (1, -1):
            gain = 0.0
            if len(own) == 2:  # the merged bead keeps its other sentence
                i, j = _kept_pair(bead, side, step)
                gain = problem.similarity(1, 1, i, j) - bead.similarity
            if not np.isfinite(gain):
                continue
            n = k + step
            for p in range(problem.params.slide_reach):
                one_to_one = 0 <= n < len(beads) and len(beads[n].src) == len(beads[n].tgt) == 1
                # the node between bead n and the gap side of it must not be a barrier
                if not one_to_one or nodes[n if step > 0 else n + 1] in fixed:
                    break
                gain += shifts[side, step][n]
                yield gain, k, step, p
                n += step


def _shifts(problem: Problem, beads: list[Bead]) -> dict[tuple[str, int], np.ndarray]:
    """For each one-to-one bead (nan elsewhere), how much closer its pair gets when the
    sentence of one side is replaced by its neighbour before it (step 1) or after it
    (step -1): keyed by (side, step)."""
    ones = [k for k, b in enumerate(beads) if len(b.src) == len(b.tgt) == 1]
    i = np.array([beads[k].src[0] for k in ones], dtype=np.intp)
    j = np.array([beads[k].tgt[0] for k in ones], dtype=np.intp)
    now = np.array([beads[k].similarity for k in ones])
    src, tgt = problem.src.vectors, problem.tgt.vectors
    out = {}
    for side, step in itertools.product(("src", "tgt"), (1, -1)):
        mine, size = (i, len(src)) if side == "src" else (j, len(tgt))
        moved = np.clip(mine - step, 0, max(size - 1, 0))
        a, b = (moved, j) if side == "src" else (i, moved)
        cosine = np.einsum("ij,ij->i", src[a], tgt[b]) if len(ones) else np.zeros(0)
        gain = np.full(len(beads), np.nan)
        gain[ones] = np.where(mine - step == moved, cosine - now, -np.inf)
        out[side, step] = gain
    return out


def _kept_pair(bead: Bead, side: str, step: int) -> tuple[int, int]:
    """The pair a two-to-one or one-to-two bead keeps when the sentence of `side` at the
    end facing the run (after it, `step` 1; before it, -1) moves along."""
    own = getattr(bead, side)
    rest = own[0] if step > 0 else own[-1]
    return (rest, bead.tgt[0]) if side == "src" else (bead.src[0], rest)


def _moved(problem: Problem, beads: list[Bead], k: int, step: int, p: int) -> list[Bead]:
    """The beads with the move (k, step, p) of `_gap_moves` made."""
    bead = beads[k]
    side = "src" if len(bead.src) > len(bead.tgt) else "tgt"
    own = getattr(bead, side)
    free, kept = (own[-1] if step > 0 else own[0]), []
    if len(own) == 2:
        i, j = _kept_pair(bead, side, step)
        similarity = problem.similarity(1, 1, i, j)
        kept = [Bead((i,), (j,), similarity, problem.distance(1, 1, i, j, similarity))]
    pairs = []
    for n in range(k + step, k + step * (p + 2), step):
        mine, other = getattr(beads[n], side)[0], getattr(beads[n], _OTHER[side])[0]
        i, j = (free, other) if side == "src" else (other, free)
        similarity = problem.similarity(1, 1, i, j)
        pairs.append(Bead((i,), (j,), similarity, problem.distance(1, 1, i, j, similarity)))
        free = mine
    left = (
        Bead((free,), (), float("nan"), problem.skip_cost)
        if side == "src"
        else Bead((), (free,), float("nan"), problem.skip_cost)
    )
    if step > 0:
        return [*beads[:k], *kept, *pairs, left, *beads[k + p + 2 :]]
    return [*beads[: k - p - 1], left, *pairs[::-1], *kept, *beads[k + 1 :]]


def gap_places(
    beads: Sequence[tuple[Sequence[int], Sequence[int]]],
    k: int,
    omitted: int,
    similarity: Callable[[int, int], float],
    reach: int,
) -> tuple[int, ...]:
    """The other source sentences that could as well be the one without a counterpart:
    the places the gap at source sentence `omitted` of bead `k` (unmatched, or the first or
    last sentence of a merged bead; `beads` as (source, target) sentences) reaches when
    moved along the one-to-one beads beside it, up to `reach` of them, while the pairs that
    change stay as close in all (`similarity(i, j)`: cosine of source sentence i and target
    sentence j). Where verses are about as close to their neighbours' renderings as to their
    own, the search's choice among these places is hardly better than a guess (see
    `slide_gaps`)."""
    src, tgt = beads[k]
    if not tgt:
        steps: tuple[int, ...] = (1, -1)
    else:
        steps = tuple(s for s, end in ((1, src[-1]), (-1, src[0])) if end == omitted)
    places = []
    for step in steps:
        gain, free, n = 0.0, omitted, k + step
        while abs(n - k) <= reach and 0 <= n < len(beads):
            if not len(beads[n][0]) == len(beads[n][1]) == 1:
                break
            i, j = beads[n][0][0], beads[n][1][0]
            gain += similarity(free, j) - similarity(i, j)  # `free` takes j; i is left out
            if gain < 0:
                break
            places.append(i)
            free, n = i, n + step
    return tuple(sorted(places))


def join_lead_ins(
    problem: Problem,
    beads: list[Bead],
    lead_ins: tuple[Sequence[bool], Sequence[bool]],
    barriers: list[tuple[int, int]] | None = None,
) -> list[Bead]:
    """Give each unmatched lead-in ("Now, therefore,", "He said:"; `lead_ins` marks them,
    source then target) to the matched bead that follows it: it has little meaning of its
    own for the encoder to match, and reads as the start of that bead. Never across a
    barrier.

    Where the host has several sentences on the other side and the first of them is no
    counterpart of its own side (the host is closer without it, sums of sentence vectors),
    that sentence is the
    lead-in's counterpart instead, and the two make a bead of their own: the verse "الم"
    with Pickthall's "Alif." "Lam." "Mim.", which the search left unmatched and whose
    verse it merged into the next verse's bead."""
    fixed, beads = set(barriers or []), list(beads)
    for k in range(len(beads) - 2, -1, -1):
        bead, host = beads[k], beads[k + 1]
        side = "src" if bead.src else "tgt"
        unmatched = not getattr(bead, _OTHER[side])
        # a matched host starts at node (its first source, its first target sentence)
        if not (unmatched and host.src and host.tgt) or (host.src[0], host.tgt[0]) in fixed:
            continue
        marks = lead_ins[0] if side == "src" else lead_ins[1]
        if all(marks[i] for i in getattr(bead, side)):
            beads[k : k + 2] = _led_in(problem, bead, host, side)
    return beads


def _led_in(problem: Problem, lead: Bead, host: Bead, side: str) -> list[Bead]:
    """The unmatched lead-in `lead` (of `side`) with the bead `host` it opens: one bead, or
    two where the host's first sentence of the other side belongs with the lead-in (see
    `join_lead_ins`)."""
    others = getattr(host, _OTHER[side])
    if len(others) > 1:
        rest = {_OTHER[side]: others[1:], side: getattr(host, side)}
        closer = problem.summed_similarity(rest["src"], rest["tgt"])
        if closer > problem.summed_similarity(host.src, host.tgt):
            first = {_OTHER[side]: others[:1], side: getattr(lead, side)}
            opening = problem.summed_similarity(first["src"], first["tgt"])
            return [
                Bead(first["src"], first["tgt"], opening, host.cost),
                Bead(rest["src"], rest["tgt"], closer, host.cost),
            ]
    src, tgt = lead.src + host.src, lead.tgt + host.tgt
    return [Bead(src, tgt, problem.summed_similarity(src, tgt), host.cost)]


def search(
    problem: Problem,
    barriers: list[tuple[int, int]] | None = None,
    around: list[Bead] | None = None,
) -> list[Bead]:
    """The beads of least total `Problem.cost`, with the problem's skip cost as it is."""
    n, m = problem.shape
    cuts = [(0, 0), *sorted(set(barriers or [])), (n, m)]
    nodes = _nodes(around) if around else None
    beads: list[Bead] = []
    for (i0, j0), (i1, j1) in itertools.pairwise(cuts):
        if (i0, j0) == (i1, j1):
            continue
        guide = None
        if nodes is not None:
            guide = [(i - i0, j - j0) for i, j in nodes if i0 <= i <= i1 and j0 <= j <= j1]
        path = _search(problem, i0, i1, j0, j1, guide)
        beads.extend(_beads_of(problem, path))
    return beads


def _search(
    problem: Problem,
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    guide: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Grid nodes of the cheapest path from (i0, j0) to (i1, j1); `guide` is a path of
    the same span (relative nodes) to search near, at any size but the smallest."""
    n, m = i1 - i0, j1 - j0
    if min(n, m) < 8 or (n * m <= problem.params.full_limit and not guide):
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    elif guide:
        lo, hi = _band(guide, 1, n, m, problem.params.band_width)
    else:
        coarse = _halve(problem, i0, i1, j0, j1)
        path = _search(coarse, 0, len(coarse.src), 0, len(coarse.tgt))
        lo, hi = _band(path, 2, n, m, problem.params.band_width)
    types = problem.bead_types()
    costs = _band_costs(problem, i0, j0, lo, hi, types)
    rows = np.arange(len(lo))[:, None]
    cols = lo[:, None] + np.arange(costs.shape[1])[None, :]
    nodes = problem.node_costs(i0 + rows, j0 + cols)
    sizes = np.array(types, dtype=np.int64)
    back = compiled_dp()(costs, nodes, sizes[:, 0], sizes[:, 1], lo, hi, problem.skip_cost)
    return _backtrace(back, lo, hi, types, i0, j0)


def _band_costs(
    problem: Problem,
    i0: int,
    j0: int,
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
) -> np.ndarray:
    """costs[r, c, t]: cost of a bead of types[t] ending at node (r, lo[r] + c), relative to
    (i0, j0); inf where the bead does not fit or is ruled out. Skips are left to the DP.
    (The types of a node side by side: the DP visits them one after another.)"""
    width = int(np.max(hi - lo)) + 1
    costs = np.full((len(lo), width, len(types)), np.inf, dtype=np.float32)
    sizes = max(problem.params.max_size - 1, 1)
    for r0 in range(1, len(lo), BLOCK_ROWS):
        r1 = min(r0 + BLOCK_ROWS, len(lo))
        # Every run a bead ending in this block can use lies in these sentences.
        i_range = max(i0, i0 + r0 - sizes), i0 + r1 - 1
        j_first, j_last = j0 + int(lo[r0:r1].min()), j0 + int(lo[r0:r1].max()) + width - 1
        j_range = max(j0, j_first - sizes), min(problem.shape[1], j_last)
        _block_costs(problem, costs, r0, r1, lo, hi, i0, j0, types, i_range, j_range)
    return costs


def _block_costs(
    problem: Problem,
    costs: np.ndarray,
    r0: int,
    r1: int,
    lo: np.ndarray,
    hi: np.ndarray,
    i0: int,
    j0: int,
    types: list[tuple[int, int]],
    i_range: tuple[int, int],
    j_range: tuple[int, int],
) -> None:
    """Fill rows r0..r1 of `costs` (see `_band_costs`), whose runs lie in sentences
    `i_range` x `j_range`, with one matrix product: of the embedded runs, or of single
    sentences, whose prefix sums give a run's summed cosines (a run's vector is then the
    normalised sum of its sentences'). The costs themselves are compiled (`_bead_costs`):
    numpy's calls per bead type and block took most of the search's time."""
    (i_lo, i_hi), (j_lo, j_hi) = i_range, j_range
    src, tgt = problem.src, problem.tgt
    summed = src.runs is None or tgt.runs is None
    if summed:
        block = src.vectors[i_lo:i_hi] @ tgt.vectors[j_lo:j_hi].T
        table = np.zeros((block.shape[0] + 1, block.shape[1] + 1))
        table[1:, 1:] = block.astype(np.float64).cumsum(axis=0).cumsum(axis=1)
        grid, where = np.zeros((0, 0), dtype=np.float32), _NO_ROWS
    else:
        table = np.zeros((0, 0))
        grid, where = _run_grid(src.runs, tgt.runs, i_lo, i_hi, j_lo, j_hi)
    sizes = np.array(types, dtype=np.int64)
    compiled_bead_costs()(
        costs,
        (r0, r1, i0, j0, problem.shape[1], i_lo, j_lo),
        lo,
        hi,
        sizes[:, 0],
        sizes[:, 1],
        summed,
        table,
        grid,
        where,
        (src.norms, tgt.norms),
        (src.noise, tgt.noise),
        (np.log(src.lengths * problem.length_ratio + 10.0), np.log(tgt.lengths + 10.0)),
        (src.breaks, tgt.breaks),
        (problem.params.length_weight, problem.params.paragraph_cost),
    )


_NO_ROWS = (np.zeros((0, 0), dtype=np.int64), np.zeros((0, 0), dtype=np.int64))


def _run_grid(src: Runs, tgt: Runs, i_lo: int, i_hi: int, j_lo: int, j_hi: int):
    """Cosines of the embedded runs of sentences [i_lo, i_hi) with those of [j_lo, j_hi),
    and where each run is in them: ([k - 1, i - i_lo] -> row, [k - 1, j - j_lo] -> column,
    -1 for a run not embedded)."""
    src_index, tgt_index = src.index[:, i_lo:i_hi], tgt.index[:, j_lo:j_hi]
    src_rows, tgt_rows = _embedded(src_index), _embedded(tgt_index)
    grid = src.vectors[src_rows] @ tgt.vectors[tgt_rows].T
    where = tuple(
        np.where(index >= 0, np.searchsorted(rows, index), -1)
        for index, rows in ((src_index, src_rows), (tgt_index, tgt_rows))
    )
    return grid, where


def _embedded(index: np.ndarray) -> np.ndarray:
    """Sorted rows of the runs that were embedded, in a slice of Runs.index."""
    return np.unique(index[index >= 0])


@functools.cache
def compiled_dp():
    """`_dp` compiled by numba, once per process: loaded from numba's cache beside this
    file (compiled on the first run after an install or a change). numba takes a second
    to import, so commands that do not align never do."""
    import numba

    return numba.njit(cache=True)(_dp)


@functools.cache
def compiled_bead_costs():
    """`_bead_costs` compiled by numba, once per process (as `compiled_dp`)."""
    import numba

    return numba.njit(cache=True)(_bead_costs)


def _bead_costs(
    costs,
    bounds,
    lo,
    hi,
    type_a,
    type_b,
    summed,
    table,
    grid,
    where,
    norms,
    noise,
    lengths,
    breaks,
    weights,
):  # pragma: no cover - compiled
    """`Problem.costs` of every matched bead type ending at the nodes of rows r0..r1 of a
    band (see `_block_costs`), equal to rounding: a run's cosine read from the prefix sums
    `table` if `summed`, else from `grid` at the rows and columns `where` says; the length
    term from `lengths`, the logarithms of both sides' lengths (log(x / y) as log x - log y,
    a third of the time); one bead type at a time, whose runs' values lie in order along a
    row. Leaves inf where a bead does not fit or a run is out."""
    r0, r1, i0, j0, m, i_lo, j_lo = bounds
    length_weight, paragraph_cost = weights
    for t in range(len(type_a)):
        a, b = type_a[t], type_b[t]
        if a == 0 or b == 0:
            continue
        for r in range(r0, r1):
            row = i0 + r
            i = row - a
            if i < i0:
                continue
            for c in range(hi[r] - lo[r] + 1):
                col = j0 + lo[r] + c
                j = col - b
                if j < j0 or col > m:
                    continue
                if summed:
                    y, x = i - i_lo, j - j_lo
                    total = table[y + a, x + b] - table[y, x + b] - table[y + a, x] + table[y, x]
                    scale = norms[0][a - 1, i] * norms[1][b - 1, j]
                    if scale < 1e-12:  # as np.maximum: nan stays nan
                        scale = 1e-12
                    distance = 1.0 - total / scale
                else:
                    y, x = where[0][a - 1, i - i_lo], where[1][b - 1, j - j_lo]
                    if y < 0 or x < 0:
                        continue
                    distance = np.float32(1.0) - grid[y, x]  # float32, as numpy computes it
                chance = (noise[0][a - 1, i] + noise[1][b - 1, j]) / 2
                if chance < 1e-6:
                    chance = 1e-6
                semantic = distance / chance
                length = abs(lengths[1][b - 1, j] - lengths[0][a - 1, i])
                cost = (a * b) * (semantic + length_weight * length)
                cost += paragraph_cost * (breaks[0][a - 1, i] + breaks[1][b - 1, j])
                if np.isfinite(cost):
                    costs[r, c, t] = cost


def _dp(costs, nodes, type_a, type_b, lo, hi, skip):  # pragma: no cover - compiled
    """Banded DP: node row r may reach columns lo[r]..hi[r]; passing through a node adds
    its cost in `nodes`. Returns, per node, the index of the bead type that reaches it
    most cheaply (-1 for the start)."""
    rows, width = len(lo), costs.shape[1]
    best = np.full((rows, width), np.inf)
    back = np.full((rows, width), -1, dtype=np.int8)
    best[0, 0] = 0.0  # lo[0] is always 0
    for r in range(rows):
        for c in range(hi[r] - lo[r] + 1):
            j = lo[r] + c
            for t in range(len(type_a)):
                a, b = type_a[t], type_b[t]
                pr, pj = r - a, j - b
                if pr < 0 or pj < lo[pr] or pj > hi[pr]:
                    continue
                step = skip if a == 0 or b == 0 else costs[r, c, t]
                total = best[pr, pj - lo[pr]] + step
                if total < best[r, c] - 1e-12:
                    best[r, c] = total
                    back[r, c] = t
            best[r, c] += nodes[r, c]
    return back


def _backtrace(
    back: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
    i0: int,
    j0: int,
) -> list[tuple[int, int]]:
    i, j = len(lo) - 1, int(hi[-1])
    path = [(i0 + i, j0 + j)]
    while (i, j) != (0, 0):
        a, b = types[back[i, j - lo[i]]]
        i, j = i - a, j - b
        path.append((i0 + i, j0 + j))
    return path[::-1]


def _beads_of(problem: Problem, path: list[tuple[int, int]]) -> list[Bead]:
    beads = []
    for (i, j), (i_end, j_end) in itertools.pairwise(path):
        a, b = i_end - i, j_end - j
        if a and b:
            similarity = problem.similarity(a, b, i, j)
            cost = problem.distance(a, b, i, j, similarity)
        else:
            similarity, cost = float("nan"), problem.skip_cost
        beads.append(Bead(tuple(range(i, i_end)), tuple(range(j, j_end)), similarity, cost))
    return beads


def _nodes(beads: list[Bead]) -> list[tuple[int, int]]:
    """Grid nodes of a path given as beads (where each bead starts, and the end)."""
    nodes, i, j = [(0, 0)], 0, 0
    for bead in beads:
        i, j = i + len(bead.src), j + len(bead.tgt)
        nodes.append((i, j))
    return nodes


def _band(
    path: list[tuple[int, int]], scale: int, rows: int, cols: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """A band of columns per row around `path`, whose nodes are in units of `scale`
    sentences."""
    lo = np.full(rows + 1, cols, dtype=np.int64)
    hi = np.zeros(rows + 1, dtype=np.int64)
    for (i, j), (i_end, j_end) in itertools.pairwise(path):
        r0, r1 = min(scale * i, rows), min(scale * i_end, rows)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], min(scale * j, cols))
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], min(scale * j_end, cols))
    lo = np.maximum(np.minimum.accumulate((lo - width)[::-1])[::-1], 0)
    hi = np.minimum(np.maximum.accumulate(hi + width), cols)
    lo[0], hi[-1] = 0, cols
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # every row must be reachable from the one above
    return lo, hi


def _halve(problem: Problem, i0: int, i1: int, j0: int, j1: int) -> Problem:
    """The sub-problem with each pair of consecutive sentences merged into one."""
    src, src_len = _merge_pairs(problem.src.vectors[i0:i1], problem.src.lengths[0, i0:i1])
    tgt, tgt_len = _merge_pairs(problem.tgt.vectors[j0:j1], problem.tgt.lengths[0, j0:j1])
    params = replace(problem.params, max_size=2)
    return replace(make_problem(src, tgt, src_len, tgt_len, params), skip_cost=problem.skip_cost)


def _merge_pairs(vectors: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(vectors) % 2:
        vectors = np.vstack([vectors, np.zeros_like(vectors[:1])])
        lengths = np.append(lengths, 0.0)
    merged = vectors[0::2] + vectors[1::2]
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
    return merged.astype(np.float32), lengths[0::2] + lengths[1::2]


def _same_width(src: np.ndarray, tgt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An empty side takes the other side's vector width."""
    width = max(src.shape[-1], tgt.shape[-1])
    return (
        src if len(src) else np.zeros((0, width), np.float32),
        tgt if len(tgt) else np.zeros((0, width), np.float32),
    )


def _side(
    vectors: np.ndarray,
    lengths: np.ndarray,
    paragraphs: np.ndarray | None,
    chance: np.ndarray,
    sizes: int,
    edges: Edges | None = None,
) -> Side:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms, closeness = _summed_runs(vectors, chance, sizes)
    edge_noise = None if edges is None else (1.0 - edges.vectors @ chance)[edges.index]
    return Side(
        vectors=vectors,
        runs=None,
        norms=norms,
        noise=1.0 - closeness,
        chance=chance,
        lengths=_run_sums(np.asarray(lengths, dtype=np.float64), sizes),
        breaks=_run_breaks(paragraphs, (sizes, len(vectors))),
        edges=edges,
        edge_noise=edge_noise,
    )


def _summed_runs(vectors: np.ndarray, chance: np.ndarray, sizes: int):
    """[k - 1, i]: length of the sum of vectors i..i+k-1, and the sum's cosine with
    `chance`; one size at a time, adding one sentence to every run, so that memory stays
    at one more copy of the vectors."""
    n = len(vectors)
    sums = np.zeros_like(vectors, dtype=np.float32)  # row i: the run starting at i so far
    norms, closeness = np.zeros((sizes, n)), np.zeros((sizes, n))
    for k in range(1, sizes + 1):
        sums[: max(n - k + 1, 0)] += vectors[k - 1 :]
        norms[k - 1] = np.sqrt(np.einsum("ij,ij->i", sums, sums))
        closeness[k - 1] = (sums @ chance) / np.maximum(norms[k - 1], 1e-12)
    return norms, closeness


def _exact(side: Side, runs: Runs) -> Side:
    """`side` with its runs' vectors (and their distance to chance) taken from `runs`,
    whose first rows, the single sentences' vectors, it uses as its own (not a copy)."""
    closeness = runs.vectors @ side.chance
    noise = np.where(runs.index >= 0, 1.0 - closeness[runs.index], 1.0)
    return replace(side, vectors=runs.vectors[: len(side)], runs=runs, noise=noise)


def _sample_mean(vectors: np.ndarray, rng: np.random.Generator, k: int) -> np.ndarray:
    """Mean of k random rows: a run's mean cosine with them is its cosine with this."""
    if len(vectors) == 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    sample = rng.choice(len(vectors), size=min(k, len(vectors)), replace=False)
    return vectors[sample].mean(axis=0)


def _run_breaks(paragraphs: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """[k - 1, i]: number of paragraph breaks inside the run i..i+k-1."""
    if paragraphs is None:
        return np.zeros(shape)
    steps = np.zeros(shape[1])  # 1 where a paragraph break follows sentence t
    steps[:-1] = np.diff(np.asarray(paragraphs)) != 0
    inside = _run_sums(steps, shape[0] - 1) if shape[0] > 1 else np.zeros((0, shape[1]))
    return np.vstack([np.zeros((1, shape[1])), inside])


def _run_sums(values: np.ndarray, sizes: int) -> np.ndarray:
    """[k - 1, i]: sum of values[i : i + k] for k = 1..sizes (shorter at the end)."""
    values = np.asarray(values, dtype=np.float64)
    total = np.concatenate([[0.0], np.cumsum(values)])
    starts = np.arange(len(values))
    return np.stack(
        [total[np.minimum(starts + k, len(values))] - total[starts] for k in range(1, sizes + 1)]
    )
