"""Stage 3: find the best sequence of beads by dynamic programming over sentence vectors.

A bead pairs a run of source sentences with a run of target sentences: 1-1, 1-2, 2-1, 2-2 …
up to `max_size` sentences in all (8: 4-4, 1-7, 7-1), or 1-0 / 0-1 for a sentence left
unmatched. Its cost is the
Vecalign cost (Thompson & Koehn 2019): one minus the cosine of the two runs' embeddings,
divided by how far each run is, on average, from random sentences of the other text, so
that a cost of 1 means "no better than chance" whatever the encoder or document; as in
Vecalign it is weighted by nSents(x) * nSents(y), so that a merged bead must earn its keep.
A term for the length ratio (estimated from the document) is added, and a penalty for a
run that crosses a paragraph break (when paragraphs correspond one to one, they are hard
barriers instead; see align.align_vectors). An unmatched sentence
costs `skip_factor` times the median cost of the 1-1 beads of a first pass (never below a
floor): what counts as "no counterpart" depends on how close the encoder brings this
document's translations.

Time and memory stay near-linear in document length: above `full_limit` cells the search
runs on a copy of both documents with pairs of sentences averaged together (recursively),
and the full-resolution search is confined to a band around that coarse path.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class AlignParams:
    """Knobs of the aligner; skip_factor and length_weight were tuned on the Qur'an corpora
    and the seed pair (see bench/)."""

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


@dataclass(frozen=True)
class Bead:
    """Source and target sentence indices (0-based, consecutive) and the bead's scores."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    similarity: float  # cosine of the two sides' embeddings; nan when a side is empty
    cost: float  # Problem.distance: ~0.3 for a good translation, >1 for unrelated text;
    # the skip cost for an unmatched sentence


@dataclass(frozen=True)
class Problem:
    """Everything the cost of a bead depends on, precomputed once per document pair.

    `src_spans[k - 1, i]` is the unit vector of source sentences i..i+k-1 (see
    encoding.embed_spans); `src_noise[k - 1, i]` is that run's mean cosine distance to
    random target sentences (and vice versa for the target side).
    """

    src_spans: np.ndarray
    tgt_spans: np.ndarray
    src_noise: np.ndarray
    tgt_noise: np.ndarray
    src_lengths: np.ndarray  # [k - 1, i]: characters in the run i..i+k-1
    tgt_lengths: np.ndarray
    src_breaks: np.ndarray  # [k - 1, i]: paragraph breaks inside the run i..i+k-1
    tgt_breaks: np.ndarray
    length_ratio: float
    skip_cost: float
    params: AlignParams

    @property
    def shape(self) -> tuple[int, int]:
        return self.src_spans.shape[1], self.tgt_spans.shape[1]

    def bead_types(self) -> list[tuple[int, int]]:
        """1-0, 0-1 and every a-b with a + b <= max_size (and runs that were embedded)."""
        size, runs = self.params.max_size, len(self.src_spans)
        matched = [(a, b) for a in range(1, size) for b in range(1, size - a + 1)]
        return [(1, 0), (0, 1)] + [(a, b) for a, b in matched if a <= runs and b <= runs]

    def similarity(self, a: int, b: int, i: int, j: int, stop: int) -> np.ndarray:
        """Cosine of source run [i, i+a) with each target run [j', j'+b), j <= j' < stop."""
        return self.tgt_spans[b - 1, j:stop] @ self.src_spans[a - 1, i]

    def distance(self, a: int, b: int, i: int, j: int, stop: int) -> np.ndarray:
        """How far apart the two runs are, against chance (~1) and their length ratio."""
        noise = (self.src_noise[a - 1, i] + self.tgt_noise[b - 1, j:stop]) / 2
        semantic = (1.0 - self.similarity(a, b, i, j, stop)) / np.maximum(noise, 1e-6)
        src_len = self.src_lengths[a - 1, i] * self.length_ratio
        tgt_len = self.tgt_lengths[b - 1, j:stop]
        length = np.abs(np.log((tgt_len + 10.0) / (src_len + 10.0)))
        return semantic + self.params.length_weight * length

    def cost(self, a: int, b: int, i: int, j: int, stop: int) -> np.ndarray:
        """DP costs of the beads pairing source run [i, i+a) with target runs [j', j'+b),
        for each j <= j' < stop."""
        if a == 0 or b == 0:
            return np.full(stop - j, self.skip_cost)
        breaks = self.src_breaks[a - 1, i] + self.tgt_breaks[b - 1, j:stop]
        return a * b * self.distance(a, b, i, j, stop) + self.params.paragraph_cost * breaks


def make_problem(
    src_spans: np.ndarray,
    tgt_spans: np.ndarray,
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    params: AlignParams | None = None,
    src_paragraphs: np.ndarray | None = None,
    tgt_paragraphs: np.ndarray | None = None,
) -> Problem:
    """Precompute the per-run normalisers, lengths and paragraph breaks, and the
    document's length ratio. Paragraph numbers default to one paragraph per side."""
    params = params or AlignParams()
    rng = np.random.default_rng(params.seed)
    ratio = (np.sum(tgt_lengths) + 1.0) / (np.sum(src_lengths) + 1.0)
    return Problem(
        src_spans=src_spans,
        tgt_spans=tgt_spans,
        src_noise=_noise(src_spans, tgt_spans[0], rng, params.random_samples),
        tgt_noise=_noise(tgt_spans, src_spans[0], rng, params.random_samples),
        src_lengths=_run_sums(src_lengths, len(src_spans)),
        tgt_lengths=_run_sums(tgt_lengths, len(tgt_spans)),
        src_breaks=_run_breaks(src_paragraphs, src_spans.shape[:2]),
        tgt_breaks=_run_breaks(tgt_paragraphs, tgt_spans.shape[:2]),
        length_ratio=float(ratio),
        skip_cost=params.first_skip_cost,
        params=params,
    )


def align_problem(problem: Problem, barriers: list[tuple[int, int]] | None = None) -> list[Bead]:
    """Best beads for the whole problem; `barriers` are (source, target) index pairs that
    every alignment must pass through (e.g. paragraph starts), splitting the search.

    A first pass measures the document's typical 1-1 cost, which sets the skip cost of
    the second.
    """
    first = search(problem, barriers)
    one_to_one = [bead.cost for bead in first if len(bead.src) == len(bead.tgt) == 1]
    if not one_to_one:
        return first
    typical = max(float(np.median(one_to_one)), problem.params.typical_floor)
    skip_cost = problem.params.skip_factor * typical
    return search(replace(problem, skip_cost=skip_cost), barriers)


def search(problem: Problem, barriers: list[tuple[int, int]] | None = None) -> list[Bead]:
    """The beads of least total `Problem.cost`, with the problem's skip cost as it is."""
    n, m = problem.shape
    cuts = [(0, 0), *sorted(set(barriers or [])), (n, m)]
    beads: list[Bead] = []
    for (i0, j0), (i1, j1) in itertools.pairwise(cuts):
        if (i0, j0) == (i1, j1):
            continue
        path = _search(problem, i0, i1, j0, j1)
        beads.extend(_beads_of(problem, path))
    return beads


def _search(problem: Problem, i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int]]:
    """Grid nodes of the cheapest path from (i0, j0) to (i1, j1)."""
    n, m = i1 - i0, j1 - j0
    if n * m <= problem.params.full_limit or min(n, m) < 8:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        lo, hi = _band_from_coarse(problem, i0, i1, j0, j1)
    return _dp(problem, i0, j0, lo, hi, problem.bead_types())


def _dp(
    problem: Problem,
    i0: int,
    j0: int,
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Banded DP: row i (sources consumed) may reach columns lo[i]..hi[i] inclusive.

    Returns the grid nodes of the best path, relative to (i0, j0) added back.
    """
    n = len(lo) - 1
    cost_rows: list[np.ndarray] = []
    back_rows: list[np.ndarray] = []
    skip = problem.skip_cost
    for i in range(n + 1):
        width = hi[i] - lo[i] + 1
        best = np.full(width, np.inf)
        back = np.full(width, -1, dtype=np.int64)
        if i == 0:
            best[0] = 0.0  # lo[0] is always 0
        for t, (a, b) in enumerate(types):
            if a == 0 or a > i:
                continue
            # previous column j - b must lie in row i - a's band
            start, stop = max(lo[i] - b, lo[i - a]), min(hi[i] - b, hi[i - a]) + 1
            if start >= stop:
                continue
            cand = np.full(width, np.inf)
            cand[start + b - lo[i] : stop + b - lo[i]] = cost_rows[i - a][
                start - lo[i - a] : stop - lo[i - a]
            ] + problem.cost(a, b, i0 + i - a, j0 + start, j0 + stop)
            better = cand < best
            best[better] = cand[better]
            back[better] = t
        # 0-1 beads move along the row: D[j] = min_k (D[k] + skip * (j - k)), a running min.
        steps = skip * np.arange(width)
        running = np.minimum.accumulate(best - steps) + steps
        moved = running < best - 1e-12
        best[moved] = running[moved]
        back[moved] = types.index((0, 1))
        cost_rows.append(best)
        back_rows.append(back)
    return _backtrace(back_rows, lo, hi, types, i0, j0)


def _backtrace(
    back_rows: list[np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
    i0: int,
    j0: int,
) -> list[tuple[int, int]]:
    i, j = len(lo) - 1, int(hi[-1])
    path = [(i0 + i, j0 + j)]
    while (i, j) != (0, 0):
        a, b = types[back_rows[i][j - lo[i]]]
        i, j = i - a, j - b
        path.append((i0 + i, j0 + j))
    return path[::-1]


def _beads_of(problem: Problem, path: list[tuple[int, int]]) -> list[Bead]:
    beads = []
    for (i, j), (i_end, j_end) in itertools.pairwise(path):
        a, b = i_end - i, j_end - j
        if a and b:
            similarity = float(problem.similarity(a, b, i, j, j + 1)[0])
            cost = float(problem.distance(a, b, i, j, j + 1)[0])
        else:
            similarity, cost = float("nan"), problem.skip_cost
        beads.append(Bead(tuple(range(i, i_end)), tuple(range(j, j_end)), similarity, cost))
    return beads


def _band_from_coarse(
    problem: Problem, i0: int, i1: int, j0: int, j1: int
) -> tuple[np.ndarray, np.ndarray]:
    """A band of columns per row around the path found at half resolution."""
    coarse = _halve(problem, i0, i1, j0, j1)
    n, m = coarse.shape
    path = _search(coarse, 0, n, 0, m)
    rows, cols = i1 - i0, j1 - j0
    lo = np.full(rows + 1, cols, dtype=np.int64)
    hi = np.zeros(rows + 1, dtype=np.int64)
    for (i, j), (i_end, j_end) in itertools.pairwise(path):
        r0, r1 = min(2 * i, rows), min(2 * i_end, rows)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], min(2 * j, cols))
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], min(2 * j_end, cols))
    width = problem.params.band_width
    lo = np.maximum(np.minimum.accumulate((lo - width)[::-1])[::-1], 0)
    hi = np.minimum(np.maximum.accumulate(hi + width), cols)
    lo[0], hi[-1] = 0, cols
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # every row must be reachable from the one above
    return lo, hi


def _halve(problem: Problem, i0: int, i1: int, j0: int, j1: int) -> Problem:
    """The sub-problem with each pair of consecutive sentences merged into one."""
    src, src_len = _merge_pairs(problem.src_spans[0, i0:i1], problem.src_lengths[0, i0:i1])
    tgt, tgt_len = _merge_pairs(problem.tgt_spans[0, j0:j1], problem.tgt_lengths[0, j0:j1])
    params = problem.params
    coarse = make_problem(src[None], tgt[None], src_len, tgt_len, replace(params, max_size=2))
    return replace(coarse, skip_cost=problem.skip_cost)


def _merge_pairs(vectors: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(vectors) % 2:
        vectors = np.vstack([vectors, np.zeros_like(vectors[:1])])
        lengths = np.append(lengths, 0.0)
    merged = vectors[0::2] + vectors[1::2]
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
    return merged.astype(np.float32), lengths[0::2] + lengths[1::2]


def _noise(spans: np.ndarray, other: np.ndarray, rng: np.random.Generator, k: int) -> np.ndarray:
    """Mean cosine distance of every run in `spans` to k random sentences of the other side."""
    if len(other) == 0 or spans.shape[1] == 0:
        return np.ones(spans.shape[:2])
    sample = other[rng.choice(len(other), size=min(k, len(other)), replace=False)]
    return 1.0 - (spans @ sample.T).mean(axis=2)


def _run_breaks(paragraphs: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """[k - 1, i]: number of paragraph breaks inside the run i..i+k-1."""
    if paragraphs is None:
        return np.zeros(shape)
    steps = np.zeros(shape[1])  # 1 where a paragraph break follows sentence t
    steps[:-1] = np.diff(np.asarray(paragraphs)) != 0
    inside = _run_sums(steps, shape[0] - 1) if shape[0] > 1 else np.zeros((0, shape[1]))
    return np.vstack([np.zeros((1, shape[1])), inside])


def _run_sums(lengths: np.ndarray, max_size: int) -> np.ndarray:
    """[k - 1, i]: sum of lengths[i : i + k] for k = 1..max_size (shorter at the end)."""
    lengths = np.asarray(lengths, dtype=np.float64)
    total = np.concatenate([[0.0], np.cumsum(lengths)])
    starts = np.arange(len(lengths))
    return np.stack(
        [
            total[np.minimum(starts + k, len(lengths))] - total[starts]
            for k in range(1, max_size + 1)
        ]
    )
