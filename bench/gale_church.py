"""Length-based sentence aligner of Gale & Church (1993), the classic baseline for the benchmark.

It looks only at sentence lengths in characters, so it shows how much of the benchmark can be
solved without reading the text at all.
"""

import math

import numpy as np

Bead = tuple[tuple[int, ...], tuple[int, ...]]

# Prior probability of each bead type (source sentences, target sentences), Table 5 of the paper.
# As in the authors' C program and NLTK, each of 1-0 and 0-1 gets 0.0099 and each of 2-1 and 1-2
# gets 0.089 (the paper lists those per pair of types).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099,
    (0, 1): 0.0099,
    (2, 1): 0.089,
    (1, 2): 0.089,
    (2, 2): 0.011,
}
VARIANCE = 6.8  # variance of target characters per source character, per source character
_BEADS = list(BEAD_PRIORS)
_INSERTION = _BEADS.index((0, 1))
_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x >= 0, by the asymptotic series beyond 25 where erfc underflows."""
    large = x > 25.0
    safe = np.where(large, 0.0, x)
    tail = np.where(large, x, 25.0)
    asymptotic = -(tail**2) - np.log(tail * math.sqrt(math.pi)) + np.log1p(-0.5 / tail**2)
    return np.where(large, asymptotic, np.log(_ERFC(safe).astype(float)))


def _match_cost(l1: np.ndarray, l2: np.ndarray, ratio: float) -> np.ndarray:
    """-log P(delta | match) for source length l1 and target length l2 (arrays, broadcast).

    Like the authors' C program, the variance is scaled by the mean of l1 and l2 / ratio rather
    than by l1 alone, so that insertions (l1 = 0) keep a finite cost; two empty sides cost 0.
    """
    scale = np.sqrt(VARIANCE * (l1 + l2 / ratio) / 2)
    delta = np.divide(
        np.abs(l2 - ratio * l1),
        scale,
        out=np.zeros(np.broadcast_shapes(l1.shape, l2.shape)),
        where=scale > 0,
    )
    # 2 * (1 - Phi(|delta|)) == erfc(|delta| / sqrt(2))
    return -_log_erfc(delta / math.sqrt(2))


def _window_sums(prefix: np.ndarray, width: int) -> np.ndarray:
    """Sum of each run of `width` consecutive lengths ending at each boundary (0 for width 0)."""
    return prefix[width:] - prefix[:-width] if width else np.zeros(1)


def _bead_costs(src_lengths: list[int], tgt_lengths: list[int]) -> list[np.ndarray]:
    """Cost of each bead type ending at each (i, j), shape (n + 1, m + 1), inf where impossible."""
    src_total, tgt_total = sum(src_lengths), sum(tgt_lengths)
    ratio = tgt_total / src_total if src_total and tgt_total else 1.0
    src_prefix = np.concatenate(([0.0], np.cumsum(src_lengths, dtype=float)))
    tgt_prefix = np.concatenate(([0.0], np.cumsum(tgt_lengths, dtype=float)))
    costs = []
    for (a, b), prior in BEAD_PRIORS.items():
        l1 = _window_sums(src_prefix, a)[:, None]
        l2 = _window_sums(tgt_prefix, b)[None, :]
        table = np.full((src_prefix.size, tgt_prefix.size), np.inf)
        table[a:, b:] = _match_cost(l1, l2, ratio) - math.log(prior)
        costs.append(table)
    return costs


def align_gale_church(src: list[str], tgt: list[str]) -> list[Bead]:
    """Align source and target sentences by character length with Gale & Church's model.

    Dynamic programming over beads 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 minimises the sum of
    -log(prior * 2 * (1 - Phi(|delta|))) with delta = (l2 - c * l1) / sqrt(s2 * (l1 + l2 / c) / 2)
    and s2 = 6.8. Unlike the paper's c = 1 (for European pairs), c is estimated from the document
    as total target characters / total source characters, because Arabic text is markedly shorter
    than its English translation. Every index appears in exactly one bead, in order.
    """
    n, m = len(src), len(tgt)
    costs = _bead_costs([len(s) for s in src], [len(t) for t in tgt])
    # Insertions chain along a row, so they are folded in with a running minimum:
    # D[i, j] = min over k <= j of (best[i, k] + sum of insertion costs for columns k+1..j).
    inserted = np.concatenate(([0.0], np.cumsum(costs[_INSERTION][0, 1:])))
    columns = np.arange(m + 1)
    total = np.full((n + 1, m + 1), np.inf)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(n + 1):
        best = np.full(m + 1, np.inf)
        if i == 0:
            best[0] = 0.0
        choice = np.zeros(m + 1, dtype=np.int8)
        for k, (a, b) in enumerate(_BEADS):
            if a == 0 or a > i:
                continue
            value = np.full(m + 1, np.inf)
            value[b:] = total[i - a, : m + 1 - b] + costs[k][i, b:]
            better = value < best
            best[better] = value[better]
            choice[better] = k
        shifted = best - inserted
        running = np.minimum.accumulate(shifted)
        start = np.maximum.accumulate(np.where(shifted == running, columns, 0))
        total[i] = running + inserted
        back[i] = np.where(start == columns, choice, _INSERTION)

    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        a, b = _BEADS[back[i, j]]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    beads.reverse()
    return beads
