import functools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align import aligning
from align.aligning import (
    AlignParams,
    Bead,
    Edges,
    Runs,
    absorb_leftovers,
    align_problem,
    detach_strays,
    gap_places,
    join_lead_ins,
    make_problem,
    pair_leftovers,
    runs_near,
    search,
    slide_gaps,
    unsure_beads,
    with_runs,
)
from tests.conftest import ROOT


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def edges_of(clauses: np.ndarray) -> Edges:
    """Edges from (2, n, d) clause vectors, each its own row."""
    two, n, d = clauses.shape
    return Edges(np.arange(two * n).reshape(two, n), clauses.reshape(two * n, d))


def random_problem(rng, n, m, params, paragraphs=False, edges=False):
    return make_problem(
        unit(rng.normal(size=(n, 8))),
        unit(rng.normal(size=(m, 8))),
        rng.integers(1, 120, n),
        rng.integers(1, 120, m),
        params,
        rng.integers(0, 2, n).cumsum() if paragraphs else None,
        rng.integers(0, 2, m).cumsum() if paragraphs else None,
        edges_of(unit(rng.normal(size=(2, n, 8)))) if edges else None,
        edges_of(unit(rng.normal(size=(2, m, 8)))) if edges else None,
    )


def random_runs(rng, n, sizes, share):
    """Runs embedded as their own (random) vectors, a `share` of them; singles always."""
    wanted = rng.random((sizes, n)) < share
    wanted[0] = True
    index = np.full((sizes, n), -1)
    index[wanted] = np.arange(wanted.sum())
    vectors = unit(rng.normal(size=(int(wanted.sum()), 8)))
    return Runs(index, vectors)


def brute_force_cost(problem) -> float:
    """Least total cost over every segmentation into beads, by plain recursion."""

    @functools.cache
    def best(i, j):
        if (i, j) == (0, 0):
            return 0.0
        return node(problem, i, j) + min(
            (
                best(i - a, j - b) + problem.cost(a, b, i - a, j - b)
                for a, b in problem.bead_types()
                if a <= i and b <= j
            ),
            default=np.inf,
        )

    n, m = problem.shape
    return best(n, m)


def node(problem, i, j) -> float:
    return float(problem.node_costs(np.array(i), np.array(j)))


def path_cost(problem, beads) -> float:
    total = 0.0
    for b in beads:
        i = b.src[0] if b.src else _start(beads, b, "src")
        j = b.tgt[0] if b.tgt else _start(beads, b, "tgt")
        total += problem.cost(len(b.src), len(b.tgt), i, j)
        total += node(problem, i + len(b.src), j + len(b.tgt))
    return total


def _start(beads, bead, side):
    """Index where an empty side of `bead` sits: after the last index before it."""
    before = [i for b in beads[: beads.index(bead)] for i in getattr(b, side)]
    return before[-1] + 1 if before else 0


def covers(beads, n, m):
    return [i for b in beads for i in b.src] == list(range(n)) and [
        j for b in beads for j in b.tgt
    ] == list(range(m))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 6),
    st.integers(0, 6),
    st.integers(2, 5),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_dp_finds_the_exact_optimum_of_brute_force_search(n, m, max_size, paragraphs, edges, seed):
    rng = np.random.default_rng(seed)
    params = AlignParams(max_size=max_size)
    problem = random_problem(rng, n, m, params, paragraphs, edges)
    beads = search(problem)
    assert covers(beads, n, m)
    assert path_cost(problem, beads) == pytest.approx(brute_force_cost(problem), abs=1e-4)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 6), st.integers(0, 6), st.integers(2, 5), st.integers(0, 2**32 - 1))
def test_dp_with_some_runs_embedded_finds_the_brute_force_optimum(n, m, max_size, seed):
    rng = np.random.default_rng(seed)
    problem = random_problem(rng, n, m, AlignParams(max_size=max_size))
    sizes = max(max_size - 1, 1)
    problem = with_runs(problem, random_runs(rng, n, sizes, 0.5), random_runs(rng, m, sizes, 0.5))
    beads = search(problem)
    assert covers(beads, n, m)
    assert path_cost(problem, beads) == pytest.approx(brute_force_cost(problem), abs=1e-4)


@pytest.mark.parametrize("embedded", [False, True])
def test_the_compiled_band_costs_are_problem_costs_of_every_bead(embedded):
    """`_band_costs` computes the costs in compiled code: each must be `Problem.costs`
    of its bead (whose cosine is of the run vectors themselves, not of prefix sums: equal
    to rounding), and inf where the bead cannot be."""
    rng = np.random.default_rng(3)
    params = AlignParams(max_size=5)
    problem = random_problem(rng, 23, 31, params, paragraphs=True)
    if embedded:
        sizes = params.max_size - 1
        problem = with_runs(
            problem, random_runs(rng, 23, sizes, 0.6), random_runs(rng, 31, sizes, 0.6)
        )
    types = problem.bead_types()
    lo = np.maximum(np.arange(24) - 9, 0)
    hi = np.minimum(lo + 14, 31)
    costs = aligning._band_costs(problem, 0, 0, lo, hi, types)
    checked = 0
    for t, (a, b) in enumerate(types):
        for r in range(24):
            for c in range(costs.shape[1]):
                j = lo[r] + c
                fits = a and b and r >= a and j >= b and j <= hi[r]
                expected = problem.cost(a, b, r - a, j - b) if fits else np.inf
                found = costs[r, c, t]
                if not np.isfinite(expected) or expected > 1e30:
                    assert found == np.inf, (a, b, r, j)
                else:
                    assert found == pytest.approx(expected, rel=1e-5), (a, b, r, j)
                    checked += 1
    assert checked > 1000


def test_runs_hold_the_only_copy_of_the_sentence_vectors_of_a_refined_problem():
    """The runs' vectors begin with the single sentences' (as align.encoding.embed_runs
    makes them): the refined problem uses those rows, so that the first problem's vectors
    can be freed (the whole Qur'an's are 34 MB)."""
    rng = np.random.default_rng(3)
    problem = random_problem(rng, 6, 5, AlignParams(max_size=3), edges=True)
    runs = []
    for side, n in ((problem.src, 6), (problem.tgt, 5)):
        index = np.vstack([np.arange(n), np.full((1, n), -1)])
        index[1, 0] = n
        runs.append(Runs(index, np.vstack([side.vectors, unit(rng.normal(size=(1, 8)))])))
    refined = with_runs(problem, *runs)
    sides = zip((refined.src, refined.tgt), (problem.src, problem.tgt), runs, strict=True)
    for side, old, run in sides:
        assert (side.vectors == old.vectors).all()
        assert np.shares_memory(side.vectors, run.vectors)
        assert not np.shares_memory(side.vectors, old.vectors)


def test_a_run_that_was_not_embedded_is_never_a_bead():
    rng = np.random.default_rng(5)
    src = rng.normal(size=(6, 32))
    tgt = np.vstack([src[0], src[1] + src[2], src[3], src[4], src[5]])
    problem = make_problem(unit(src), unit(tgt), np.full(6, 40), np.full(5, 40))
    none = Runs(np.vstack([np.arange(6), np.full((6, 6), -1)]), problem.src.vectors)
    only_singles = with_runs(
        problem, none, Runs(np.vstack([np.arange(5), np.full((6, 5), -1)]), problem.tgt.vectors)
    )
    beads = align_problem(only_singles)
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in beads)


def test_runs_near_a_path_move_one_end_at_a_time():
    problem = diagonal_problem(6, noise=0.0, params=AlignParams(max_size=4))
    beads = align_problem(problem)  # the diagonal: every bead 1-1
    wanted = runs_near(beads, "src", 6, max_size=4, radius=1)
    assert wanted[0].all()
    assert wanted[1].tolist() == [True] * 5 + [False]  # [i, i+2) for every start
    assert not wanted[2].any()  # a run of 3 moves both ends of a run of 1


def test_only_the_runs_around_unsure_beads_are_looked_at_again():
    def bead(src, tgt, cost):
        return Bead(tuple(src), tuple(tgt), 0.5, cost)

    beads = [
        bead([0], [0], 0.3),
        bead([1], [1], 0.3),
        bead([2], [2, 3], 0.3),
        bead([3], [4], 0.3),
        bead([4], [5], 0.9),  # costly: unsure, and so are its neighbours
        bead([5], [6], 0.3),
        bead([6], [], 0.3),  # unmatched: unsure
        bead([7], [7], 0.3),
    ]
    unsure = unsure_beads(beads, margin=1.5)
    assert [b.src[0] for b in unsure] == [3, 4, 5, 6, 7]
    assert unsure_beads(beads, margin=0) == beads


def test_a_later_search_keeps_to_a_band_around_the_path_before(monkeypatch):
    problem = diagonal_problem(60, noise=0.3, params=AlignParams(max_size=4))
    assert problem.shape[0] * problem.shape[1] < problem.params.full_limit  # a full table
    first = search(problem)
    widths = []
    band_costs = aligning._band_costs

    def recorded(problem, i0, j0, lo, hi, types):
        widths.append(int(np.max(hi - lo)))
        return band_costs(problem, i0, j0, lo, hi, types)

    monkeypatch.setattr(aligning, "_band_costs", recorded)
    again = search(problem, around=first)
    assert widths[0] <= 2 * problem.params.band_width + 2 < problem.shape[1]
    assert [(b.src, b.tgt) for b in again] == [(b.src, b.tgt) for b in first]


def diagonal_problem(n, noise, seed=0, params=None):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 32))
    return make_problem(
        unit(base),
        unit(base + noise * rng.normal(size=base.shape)),
        np.full(n, 50),
        np.full(n, 60),
        params or AlignParams(),
    )


def test_banded_search_finds_the_same_path_as_the_full_table():
    problem = diagonal_problem(500, noise=0.8, params=AlignParams(max_size=4))
    assert problem.shape[0] * problem.shape[1] > problem.params.full_limit  # banded
    banded = search(problem)
    full = search(replace(problem, params=replace(problem.params, full_limit=10**9)))
    assert [(b.src, b.tgt) for b in banded] == [(b.src, b.tgt) for b in full]


def test_a_long_document_aligns_in_near_linear_time():
    problem = diagonal_problem(3000, noise=0.5, params=AlignParams(max_size=4))
    beads = align_problem(problem)
    correct = sum(b.src == b.tgt and len(b.src) == 1 for b in beads)
    assert correct / 3000 > 0.99


def test_merged_sentences_make_a_two_to_one_bead():
    rng = np.random.default_rng(3)
    src = rng.normal(size=(6, 32))
    tgt = np.vstack([src[0], src[1] + src[2], src[3], src[4], src[5]])  # 1 and 2 merged
    tgt += 0.3 * rng.normal(size=tgt.shape)
    problem = make_problem(unit(src), unit(tgt), np.full(6, 40), [40, 80, 40, 40, 40])
    beads = [(b.src, b.tgt) for b in align_problem(problem)]
    assert ((1, 2), (1,)) in beads


def test_an_unrelated_sentence_is_left_unmatched():
    rng = np.random.default_rng(4)
    src = rng.normal(size=(8, 32))
    tgt = np.vstack([src[:4], rng.normal(size=(1, 32)), src[4:]])  # an interpolation
    tgt += 0.3 * rng.normal(size=tgt.shape)
    lengths = np.full(8, 40)
    problem = make_problem(unit(src), unit(tgt), lengths, np.full(9, 40))
    beads = [(b.src, b.tgt) for b in align_problem(problem)]
    assert ((), (4,)) in beads
    assert sum(len(s) == len(t) == 1 for s, t in beads) == 8


def test_no_bead_crosses_a_barrier():
    problem = diagonal_problem(40, noise=0.3, params=AlignParams(max_size=4))
    beads = align_problem(problem, barriers=[(10, 12), (30, 29)])
    for b in beads:
        for i0, j0 in [(10, 12), (30, 29)]:
            assert not (b.src and b.src[0] < i0 <= b.src[-1])
            assert not (b.tgt and b.tgt[0] < j0 <= b.tgt[-1])
    assert covers(beads, 40, 40)


def test_a_run_across_a_paragraph_break_costs_more():
    problem = diagonal_problem(4, noise=0.0, params=AlignParams(max_size=4))
    broken = make_problem(
        problem.src.vectors,
        problem.tgt.vectors,
        np.full(4, 50),
        np.full(4, 60),
        problem.params,
        np.array([0, 0, 1, 1]),
        np.array([0, 0, 0, 0]),
    )
    assert broken.cost(2, 1, 1, 0) > problem.cost(2, 1, 1, 0)
    assert broken.cost(2, 1, 0, 0) == pytest.approx(problem.cost(2, 1, 0, 0))


def test_the_edges_of_sentences_put_a_formula_with_the_verse_it_ends():
    """Target 1 is a stock phrase ("Allah is Forgiving, Merciful."), as close to source 1
    as to source 0 as a whole; only the end of source 0 says it."""
    rng = np.random.default_rng(6)
    a, b, formula = unit(rng.normal(size=(3, 32)))
    src = unit(np.vstack([a + 0.4 * formula, b + 0.4 * formula]))
    tgt = unit(np.vstack([a, formula, b]))
    lengths = (np.full(2, 40), np.array([60, 20, 60]))
    plain = make_problem(src, tgt, *lengths)
    edges_src = np.stack([unit(np.vstack([a, b])), unit(np.vstack([formula, b]))])
    edges_tgt = np.stack([tgt, tgt])
    with_edges = make_problem(
        src, tgt, *lengths, None, None, None, edges_of(edges_src), edges_of(edges_tgt)
    )
    assert ((0,), (0, 1)) not in [(x.src, x.tgt) for x in align_problem(plain)]
    assert [(x.src, x.tgt) for x in align_problem(with_edges)] == [((0,), (0, 1)), ((1,), (2,))]


def test_clause_edges_shared_by_sentences_cost_what_their_own_copies_cost():
    """A table of distinct clause vectors (what align_vectors builds) gives the same node
    costs as a row per sentence and clause."""
    rng = np.random.default_rng(8)
    clauses = unit(rng.normal(size=(5, 8)))
    src_index, tgt_index = rng.integers(0, 5, (2, 7)), rng.integers(0, 5, (2, 6))
    shared = make_problem(
        *(unit(rng.normal(size=(k, 8))) for k in (7, 6)),
        np.full(7, 40),
        np.full(6, 50),
        None,
        None,
        None,
        Edges(src_index, clauses),
        Edges(tgt_index, clauses),
    )
    copied = replace(
        shared,
        src=replace(shared.src, edges=edges_of(clauses[src_index])),
        tgt=replace(shared.tgt, edges=edges_of(clauses[tgt_index])),
    )
    i, j = np.meshgrid(np.arange(8), np.arange(7), indexing="ij")
    np.testing.assert_array_equal(shared.node_costs(i, j), copied.node_costs(i, j))
    assert np.any(shared.node_costs(i, j) != 0)


def test_leftovers_beside_a_full_bead_join_it_when_they_are_close_to_its_source():
    rng = np.random.default_rng(7)
    verse, other, unrelated = np.linalg.qr(rng.normal(size=(32, 3)))[0].T  # orthogonal
    tgt = np.vstack([verse + 0.1 * rng.normal(size=(5, 32)), unrelated - 0.2 * verse, other])
    problem = make_problem(
        unit(np.vstack([verse, other])), unit(tgt), np.full(2, 40), np.full(7, 40),
        AlignParams(max_size=4),
    )  # fmt: skip
    full = Bead((0,), (2, 3, 4), 0.5, 0.5)  # 1-3: the most max_size=4 allows
    beads = [Bead((), (0,), np.nan, 1), Bead((), (1,), np.nan, 1), full]
    beads += [Bead((), (5,), np.nan, 1), Bead((1,), (6,), 0.9, 0.1)]
    absorbed = [(b.src, b.tgt) for b in absorb_leftovers(problem, beads)]
    # Target 5 is unrelated: it stays unmatched; 0 and 1 say what source 0 says.
    assert absorbed == [((0,), (0, 1, 2, 3, 4)), ((), (5,)), ((1,), (6,))]
    assert absorb_leftovers(problem, beads, barriers=[(0, 2)])[0].tgt == (0,)


def test_unmatched_sentences_of_both_sides_in_one_gap_are_paired_when_they_match():
    rng = np.random.default_rng(11)
    first, second, unrelated = np.linalg.qr(rng.normal(size=(32, 3)))[0].T  # orthogonal
    src = unit(np.vstack([first, second]))
    tgt = unit(np.vstack([first, unrelated, second + 0.1 * rng.normal(size=32)]))
    problem = replace(
        make_problem(src, tgt, np.full(2, 40), np.full(3, 40), AlignParams()), skip_cost=0.5
    )
    beads = [Bead((0,), (0,), 0.9, 0.1), Bead((1,), (), np.nan, 0.5)]
    beads += [Bead((), (1,), np.nan, 0.5), Bead((), (2,), np.nan, 0.5)]
    paired = pair_leftovers(problem, beads)
    # Target 1 is unrelated and stays unmatched; source 1 and target 2 say the same.
    assert [(b.src, b.tgt) for b in paired] == [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert paired[2].similarity > 0.9 and paired[2].cost < 2 * problem.skip_cost
    # not across a barrier, nor when the pair costs more than two skips
    assert pair_leftovers(problem, beads, barriers=[(1, 2)]) == beads
    assert pair_leftovers(replace(problem, skip_cost=0.01), beads) == beads


def test_a_sentence_far_from_the_whole_original_leaves_the_bead_it_was_merged_into():
    rng = np.random.default_rng(5)
    first, second, rest, unrelated = np.linalg.qr(rng.normal(size=(32, 4)))[0].T  # orthogonal
    src = unit(np.vstack([first, second + 0.3 * rest]))
    # target 1 says nothing of the original; target 3 renders part of source 1 only
    tgt = unit(np.vstack([first, unrelated, second, rest + 0.5 * second]))
    problem = make_problem(src, tgt, np.full(2, 40), np.full(4, 40), AlignParams())
    beads = [Bead((0,), (0, 1), 0.6, 0.5), Bead((1,), (2, 3), 0.9, 0.2)]
    detached = detach_strays(problem, beads)
    assert [(b.src, b.tgt) for b in detached] == [((0,), (0,)), ((), (1,)), ((1,), (2, 3))]
    assert detached[0].similarity > 0.9 and np.isnan(detached[1].similarity)
    assert detach_strays(problem, beads[1:]) == beads[1:]  # target 3 is far from the whole
    # bead, but close to source 1: it stays
    off = replace(problem, params=replace(problem.params, stray_share=0.0))
    assert detach_strays(off, beads) == beads
    # a bead larger than max_size allows (it took leftovers) keeps its cost
    tgt = unit(np.vstack([first, first + 0.2 * second, unrelated, second]))
    small = make_problem(src, tgt, np.full(2, 40), np.full(4, 40), AlignParams(max_size=2))
    large = [Bead((0,), (0, 1, 2), 0.5, 0.4), Bead((1,), (3,), 0.9, 0.1)]
    detached = detach_strays(small, large)
    assert [(b.src, b.tgt) for b in detached] == [((0,), (0, 1)), ((), (2,)), ((1,), (3,))]
    assert detached[0].cost == large[0].cost


def test_a_run_of_beads_shifted_by_an_inserted_sentence_is_put_back():
    rng = np.random.default_rng(13)
    a, b, c, d, e, x = np.linalg.qr(rng.normal(size=(32, 6)))[0].T  # orthogonal
    src = unit(np.vstack([a, b, c, d, e]))
    tgt = unit(np.vstack([a, x, b, c, d, e]))  # x, inserted, says nothing of the original
    problem = make_problem(src, tgt, np.full(5, 40), np.full(6, 40), AlignParams())
    shifted = [Bead((0,), (0,), 1.0, 0.1), Bead((1,), (1,), 0.0, 1.0), Bead((2,), (2,), 0.0, 1.0)]
    shifted += [Bead((3,), (3,), 0.0, 1.0), Bead((4,), (4, 5), 0.71, 0.5)]
    put_back = [(b.src, b.tgt) for b in slide_gaps(problem, shifted)]
    assert put_back == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)),
                        ((4,), (5,))]  # fmt: skip
    # never across a barrier: the path keeps node (3, 3)
    kept = slide_gaps(problem, shifted, barriers=[(3, 3)])
    assert (3, 3) in aligning._nodes(kept)
    off = replace(problem, params=replace(problem.params, slide_gain=0.0))
    assert slide_gaps(off, shifted) == shifted


def test_an_omitted_sentence_may_as_well_be_those_whose_pairs_are_as_close_shifted():
    # Source sentence 1 is unmatched; 2-1, 3-2 and 4-3 are paired. Sentence 1 is as close
    # to target 1 as sentence 2 is (so 2 may be the one missing), and 2 to target 2 almost
    # as 3 is but not quite (so 3 may not, though 1 and 3 tie on target 2 alone).
    sims = {(0, 0): 0.8, (1, 1): 0.3, (2, 1): 0.3, (2, 2): 0.19, (3, 2): 0.2, (3, 3): 0.9}
    similarity = lambda i, j: sims.get((i, j), 0.0)  # noqa: E731
    beads = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]
    assert gap_places(beads, 1, 1, similarity, reach=6) == (2,)
    assert gap_places(beads, 1, 1, similarity, reach=0) == ()
    # backwards too: sentence 0 may be the one missing if its pair is as weak as 1's to it
    sims[1, 0] = sims[0, 0] = 0.2
    assert gap_places(beads, 1, 1, similarity, reach=6) == (0, 2)
    # the first sentence of a merged bead moves only backwards, its last only forwards
    merged = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    sims.clear()
    sims.update({(0, 0): 0.4, (1, 0): 0.5, (2, 2): 0.3, (3, 2): 0.31})
    assert gap_places(merged, 1, 1, similarity, reach=6) == (0,)
    assert gap_places(merged, 1, 2, similarity, reach=6) == ()  # 2 takes target 2: 0.3 < 0.31
    sims[2, 2] = 0.31
    assert gap_places(merged, 1, 2, similarity, reach=6) == (3,)
    # a bead of several sentences ends the run
    assert gap_places([((0, 1), (0, 1)), ((2,), ())], 1, 2, similarity, reach=6) == ()


def test_an_unmatched_lead_in_joins_the_bead_it_opens():
    rng = np.random.default_rng(3)
    problem = random_problem(rng, 3, 4, AlignParams())
    beads = [Bead((0,), (0,), 0.8, 0.2), Bead((), (1,), np.nan, 1), Bead((1,), (2,), 0.7, 0.3)]
    beads += [Bead((2,), (), np.nan, 1), Bead((), (3,), np.nan, 1)]
    lead_ins = ([False, False, True], [False, True, False, True])
    joined = [(b.src, b.tgt) for b in join_lead_ins(problem, beads, lead_ins)]
    # Target 1 ("Now, therefore,") opens bead (1, 2); source 2 and target 3 have no
    # matched bead after them and stay unmatched.
    assert joined == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((), (3,))]
    assert join_lead_ins(problem, beads, lead_ins, barriers=[(1, 2)])[1].tgt == (1,)
    not_lead_ins = ([False] * 3, [False] * 4)
    assert join_lead_ins(problem, beads, not_lead_ins) == beads


def test_a_lead_in_takes_the_first_sentence_of_its_host_that_is_none_of_the_hosts():
    rng = np.random.default_rng(5)
    a, b, c, x = np.linalg.qr(rng.normal(size=(32, 4)))[0].T  # orthogonal
    src = unit(np.vstack([x, b, c]))  # source 0, like "الم", says nothing of target 1
    tgt = unit(np.vstack([a, b, c]))
    problem = make_problem(src, tgt, np.full(3, 40), np.full(3, 40), AlignParams())
    beads = [Bead((), (0,), np.nan, 1), Bead((0, 1), (1,), 0.7, 0.3), Bead((2,), (2,), 1, 0.1)]
    lead_ins = ([False] * 3, [True, False, False])
    joined = [(b.src, b.tgt) for b in join_lead_ins(problem, beads, lead_ins)]
    assert joined == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    # a first sentence that belongs to the host stays: the lead-in joins the whole bead
    src = unit(np.vstack([b, b, c]))  # source 0 says what target 1 says
    problem = make_problem(src, tgt, np.full(3, 40), np.full(3, 40), AlignParams())
    joined = [(b.src, b.tgt) for b in join_lead_ins(problem, beads, lead_ins)]
    assert joined == [((0, 1), (0, 1)), ((2,), (2,))]


def test_the_letters_opening_a_sura_set_as_lines_of_their_own_are_no_additions(use_encoder):
    """Sura 2 (Pickthall) renders its first verse, الم, by three lines ("Alif." "Lam."
    "Mim."): the search left them unmatched (three "additions") and merged the verse into
    the next verse's bead (an "omission"). They open that bead, and take its first verse."""
    import align

    folder = ROOT / "corpora" / "quran-pickthall"
    src = (folder / "002.src").read_text(encoding="utf-8").splitlines()[:8]
    tgt = (folder / "002.tgt").read_text(encoding="utf-8").splitlines()[:10]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [(b.src, b.tgt) for b in beads[:2]] == [((0,), (0, 1, 2)), ((1,), (3,))]
    assert [f for b in beads[:2] for f in b.flags] == []


def test_boundary_costs_of_a_band_of_nodes_are_those_of_each_node():
    rng = np.random.default_rng(11)
    problem = random_problem(rng, 150, 220, AlignParams(), edges=True)
    rows = np.arange(150)[:, None]
    cols = (rows * 220 // 150 - 5).clip(0) + np.arange(12)[None, :]  # a band, as _search asks
    each = [[node(problem, i, j) for j in row] for i, row in zip(rows[:, 0], cols, strict=True)]
    assert np.allclose(problem.node_costs(rows, cols), each, atol=1e-5)
