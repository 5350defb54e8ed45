"""Tests for the Gale-Church length-based baseline aligner in bench/gale_church.py."""

import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from gale_church import BEAD_PRIORS, VARIANCE, align_gale_church

sentences = st.lists(st.text(alphabet="ab ش", max_size=60), max_size=12)


def _bead_cost(l1: int, l2: int, ratio: float, prior: float) -> float:
    """Independent scalar transcription of the cost the aligner minimises."""
    mean = (l1 + l2 / ratio) / 2
    x = abs(l2 - ratio * l1) / math.sqrt(2 * VARIANCE * mean) if mean else 0.0
    tail = math.erfc(x)
    if tail > 1e-250:
        log_tail = math.log(tail)
    else:  # erfc underflows near x = 27; use its asymptotic expansion
        log_tail = -x * x - math.log(x * math.sqrt(math.pi)) + math.log(1 - 0.5 / (x * x))
    return -math.log(prior) - log_tail


def _path_cost(src: list[str], tgt: list[str], beads) -> float:
    src_total, tgt_total = sum(map(len, src)), sum(map(len, tgt))
    ratio = tgt_total / src_total if src_total and tgt_total else 1.0
    return sum(
        _bead_cost(
            sum(len(src[i]) for i in s),
            sum(len(tgt[j]) for j in t),
            ratio,
            BEAD_PRIORS[len(s), len(t)],
        )
        for s, t in beads
    )


def _best_cost(src: list[str], tgt: list[str]) -> float:
    """Optimal path cost by a plain cell-by-cell dynamic programme."""
    n, m = len(src), len(tgt)
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in BEAD_PRIORS:
                if (i, j) != (0, 0) and i >= a and j >= b:
                    bead = (tuple(range(i - a, i)), tuple(range(j - b, j)))
                    step = best[i - a][j - b] + _path_cost(src, tgt, [bead])
                    best[i][j] = min(best[i][j], step)
    return best[n][m]


def test_parallel_texts_of_identical_lengths_align_one_to_one() -> None:
    lengths = [20, 55, 31, 90, 12, 47, 66, 8, 140, 38]
    src = ["ع" * k for k in lengths]
    tgt = ["e" * k for k in lengths]
    assert align_gale_church(src, tgt) == [((i,), (i,)) for i in range(len(lengths))]


def test_ratio_is_estimated_from_the_document() -> None:
    lengths = [20, 55, 31, 90, 12, 47, 66, 8, 140, 38]
    src = ["ع" * k for k in lengths]
    tgt = ["e" * round(1.4 * k) for k in lengths]
    assert align_gale_church(src, tgt) == [((i,), (i,)) for i in range(len(lengths))]


def test_one_source_sentence_as_long_as_two_targets_gets_a_one_to_two_bead() -> None:
    src = ["x" * 40, "x" * 120, "x" * 70]
    tgt = ["y" * 40, "y" * 60, "y" * 60, "y" * 70]
    assert align_gale_church(src, tgt) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [
        ([], [], []),
        (["abc"], [], [((0,), ())]),
        ([], ["abc", ""], [((), (0,)), ((), (1,))]),
    ],
)
def test_empty_sides(src: list[str], tgt: list[str], expected: list) -> None:
    assert align_gale_church(src, tgt) == expected


@given(sentences, sentences)
def test_every_index_appears_once_in_order(src: list[str], tgt: list[str]) -> None:
    beads = align_gale_church(src, tgt)
    assert [i for s, _ in beads for i in s] == list(range(len(src)))
    assert [j for _, t in beads for j in t] == list(range(len(tgt)))
    assert all((len(s), len(t)) in BEAD_PRIORS for s, t in beads)


@settings(max_examples=60)
@given(
    st.lists(st.text(alphabet="ab", max_size=30), max_size=7),
    st.lists(st.text(alphabet="ab", max_size=30), max_size=7),
)
def test_alignment_has_the_optimal_cost(src: list[str], tgt: list[str]) -> None:
    assert _path_cost(src, tgt, align_gale_church(src, tgt)) == pytest.approx(
        _best_cost(src, tgt), rel=1e-7, abs=1e-9
    )
