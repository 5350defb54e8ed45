"""Sentence links made by a reviewer: fixed beads the aligner keeps and realigns around."""

from __future__ import annotations

import numpy as np
import pytest

import align
from align.aligning import Bead, make_problem
from align.anchoring import AnchorError, Span, barriers, fixed_spans, keep_fixed
from align.reviewing import Anchor, Decisions
from tests.conftest import WITHOUT_EDGES


def test_links_that_share_overlap_or_cross_make_one_fixed_bead() -> None:
    assert fixed_spans([(4, 6), (4, 7)], 8) == [Span(4, 5, 6, 8)]
    assert fixed_spans([(2, 2), (5, 9)], 8) == [Span(2, 3, 2, 3), Span(5, 6, 9, 10)]
    # (3, 5) and (4, 4) cross: one bead holds both
    assert fixed_spans([(3, 5), (4, 4)], 8) == [Span(3, 5, 4, 6)]
    # a crossing link far back swallows everything in between
    assert fixed_spans([(1, 1), (2, 2), (3, 0)], 8) == [Span(1, 4, 0, 3)]
    assert fixed_spans([(1, 1), (1, 1)], 8) == [Span(1, 2, 1, 2)]


def test_a_fixed_bead_larger_than_allowed_is_refused() -> None:
    with pytest.raises(AnchorError, match=r"original sentence 1 .* bead of 9 sentences"):
        fixed_spans([(0, j) for j in range(8)], 8)


def test_paragraph_barriers_that_would_split_a_fixed_bead_are_dropped() -> None:
    spans = [Span(4, 5, 6, 8)]
    assert barriers(spans, [(2, 2), (4, 7), (5, 7), (6, 9)]) == [(2, 2), (4, 6), (5, 8), (6, 9)]


def test_the_beads_inside_a_fixed_bead_become_that_bead() -> None:
    vectors = np.random.default_rng(0).normal(size=(12, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    problem = make_problem(vectors[:6], vectors[6:], np.full(6, 30), np.full(6, 30))
    path = [
        Bead((0,), (0,), 0.9, 0.3),
        Bead((1,), (1,), 0.9, 0.3),
        Bead((), (2,), float("nan"), 1.0),
        Bead((2,), (3,), 0.9, 0.3),
    ]
    fixed = keep_fixed(path, problem, [Span(1, 2, 1, 3)])
    assert [(b.src, b.tgt) for b in fixed] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]
    assert fixed[1].similarity == pytest.approx(problem.similarity(1, 2, 1, 1))
    assert fixed[1].cost == pytest.approx(problem.distance(1, 2, 1, 1))
    assert fixed[0] is path[0] and fixed[2] is path[3]


def test_links_are_kept_whatever_the_vectors_say(hashing_encoder) -> None:
    src = ["واحد اثنان.", "ثلاثة أربعة.", "خمسة ستة.", "سبعة ثمانية."]
    tgt = ["One two.", "Three four.", "Five six.", "Seven eight."]
    decisions = Decisions(anchors=(Anchor(1, 2), Anchor(2, 1)))
    result = align.align_sentences(src, tgt, model=hashing_encoder, decisions=decisions)
    beads = [(b.src, b.tgt) for b in result.beads]
    assert ((1, 2), (1, 2)) in beads
    assert [i for b in result.beads for i in b.src] == [0, 1, 2, 3]
    assert [j for b in result.beads for j in b.tgt] == [0, 1, 2, 3]
    assert result.review.kept == (True, True)


def test_an_anchor_moves_the_bead_and_leaves_the_rest_as_it_was(use_encoder, sura_2_start) -> None:
    """Sura 2, verse 5: Pickthall translates it with two sentences ("These depend on guidance
    from their Lord." "These are the successful."). A reviewer links the verse with both."""
    src, tgt, plain = sura_2_start
    verse = 4  # from 0
    first, second = 6, 7
    assert tgt[second].text == "These are the successful."
    before = {(b.src, b.tgt) for b in plain.beads}
    wanted = ((verse,), (first, second))
    links = (
        Anchor(verse, first, src[verse].text, tgt[first].text),
        Anchor(verse, second, src[verse].text, tgt[second].text),
    )
    fixed = align.align_sentences(
        src, tgt, model=use_encoder, align_params=WITHOUT_EDGES, decisions=Decisions(anchors=links)
    )
    after = {(b.src, b.tgt) for b in fixed.beads}
    assert wanted in after and wanted not in before, "the link moved the sentence"
    changed = before ^ after
    touched = {i for s, _ in changed for i in s} | {j + 1000 for _, t in changed for j in t}
    assert touched <= {verse, verse + 1, 1000 + first, 1000 + second, 1000 + second + 1}, (
        "beads away from the link are as they were"
    )
    assert fixed.review.kept == (True, True)
