"""Tests for dataset reading and strict/lax alignment scoring in align/evaluating.py."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.evaluating import (
    Bead,
    Document,
    Scores,
    format_beads,
    parse_beads,
    read_dataset,
    score,
)

indices = st.lists(st.integers(min_value=0, max_value=10_000), max_size=4).map(tuple)
beads = st.lists(st.tuples(indices, indices), max_size=8)


@given(beads)
def test_format_then_parse_round_trips(value: list[Bead]) -> None:
    assert parse_beads(format_beads(value)) == value


def test_format_is_vecalign_style() -> None:
    text = format_beads([((0,), (0, 1)), ((1,), ()), ((), (2,)), ((2, 3), (3,))])
    assert text == "[0]:[0, 1]\n[1]:[]\n[]:[2]\n[2, 3]:[3]\n"
    assert format_beads([]) == ""


def test_parse_is_lenient_about_spaces_blank_lines_and_scores() -> None:
    text = "[0]:[0,1]\n  [ 3 ] : [ ]\n\n[]:[4]\r\n[5 ,6]:[7]\n[8]:[8]:0.123456\n[9]:[9]:-1e-05"
    assert parse_beads(text) == [
        ((0,), (0, 1)),
        ((3,), ()),
        ((), (4,)),
        ((5, 6), (7,)),
        ((8,), (8,)),
        ((9,), (9,)),
    ]


@pytest.mark.parametrize("line", ["[0]-[1]", "[a]:[1]", "[0]:[1", "[-1]:[0]", "0:1", "[0]:[1]:[2]"])
def test_parse_rejects_malformed_lines_with_line_number(line: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_beads(f"[0]:[0]\n{line}\n")


def _write(directory: Path, name: str, src: str, tgt: str, gold: str) -> None:
    (directory / f"{name}.src").write_text(src, encoding="utf-8")
    (directory / f"{name}.tgt").write_text(tgt, encoding="utf-8")
    (directory / f"{name}.gold").write_text(gold, encoding="utf-8")


def test_read_dataset_reads_documents_sorted_and_ignores_other_files(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "b",
        "جملة أولى.\nجملة\u2028ثانية.\n",
        "First.\nSecond.\nThird.\n",
        "[0]:[0]\n[1]:[1, 2]\n",
    )
    _write(tmp_path, "a", "واحد\n", "", "[0]:[]\n")
    (tmp_path / "README").write_text("not a document\n", encoding="utf-8")
    (tmp_path / "NOTICE.txt").write_text("licence\n", encoding="utf-8")
    (tmp_path / "b.articles").write_text("article list\n", encoding="utf-8")

    assert read_dataset(tmp_path) == [
        Document(name="a", src=["واحد"], tgt=[], gold=[((0,), ())]),
        Document(
            name="b",
            src=["جملة أولى.", "جملة\u2028ثانية."],
            tgt=["First.", "Second.", "Third."],
            gold=[((0,), (0,)), ((1,), (1, 2))],
        ),
    ]


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ("[0]:[0]\n[1]:[1\n", "line 2"),
        ("[0]:[0]\n[2]:[1]\n", "source index 2 out of range"),
        ("[0]:[0]\n[1]:[1, 2]\n", "target index 2 out of range"),
    ],
)
def test_read_dataset_reports_bad_gold_with_file_name(
    tmp_path: Path, gold: str, message: str
) -> None:
    _write(tmp_path, "doc", "s0\ns1\n", "t0\nt1\n", gold)
    with pytest.raises(ValueError, match=message) as error:
        read_dataset(tmp_path)
    assert str(tmp_path / "doc.gold") in str(error.value)


def test_read_dataset_reports_missing_file(tmp_path: Path) -> None:
    (tmp_path / "doc.src").write_text("s0\n", encoding="utf-8")
    (tmp_path / "doc.gold").write_text("[0]:[]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"doc\.tgt"):
        read_dataset(tmp_path)


def _approx(**expected: float) -> dict:
    return {key: pytest.approx(value) for key, value in expected.items()}


def test_perfect_prediction_scores_one() -> None:
    gold = [((0,), (0,)), ((1,), (1, 2)), ((), (3,)), ((2,), ()), ((3, 4), (4,))]
    assert score([gold], [list(gold)]).to_dict() == {
        "strict_precision": 1.0,
        "strict_recall": 1.0,
        "strict_f1": 1.0,
        "lax_precision": 1.0,
        "lax_recall": 1.0,
        "lax_f1": 1.0,
    }


def test_split_bead_is_a_lax_but_not_a_strict_match() -> None:
    # predicted ([0],[0]) overlaps gold ([0],[0,1]); ([],[1]) has no source, so no lax match.
    # P: strict 0/2, lax 1/2. R over the single 1-2 gold bead: strict 0/1, lax 1/1.
    result = score([[((0,), (0, 1))]], [[((0,), (0,)), ((), (1,))]])
    assert result.to_dict() == _approx(
        strict_precision=0.0,
        strict_recall=0.0,
        strict_f1=0.0,
        lax_precision=0.5,
        lax_recall=1.0,
        lax_f1=2 / 3,
    )


def test_deletions_count_for_precision_only() -> None:
    gold = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))]
    predicted = [((0,), (0,)), ((1, 2), (1,)), ((), (2,))]
    # P: ([0],[0]) and ([],[2]) strict; ([1,2],[1]) lax via source 2 -> strict 2/3, lax 3/3.
    # R over ([0],[0]) and ([2],[1]) only: strict 1/2, lax 2/2.
    assert score([gold], [predicted]).to_dict() == _approx(
        strict_precision=2 / 3,
        strict_recall=1 / 2,
        strict_f1=4 / 7,
        lax_precision=1.0,
        lax_recall=1.0,
        lax_f1=1.0,
    )


def test_unmatched_deletion_and_insertion_never_match_laxly() -> None:
    result = score([[((0,), (0,))]], [[((0,), ()), ((), (0,))]])
    assert result == Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_counts_are_summed_over_documents() -> None:
    gold = [[((0,), (0, 1))], [((0,), (0,)), ((1,), (1,))]]
    predicted = [[((0,), (0,)), ((), (1,))], [((0,), (0,)), ((1,), (1,))]]
    # P: strict (0 + 2) / (2 + 2), lax (1 + 2) / 4. R: strict (0 + 2) / (1 + 2), lax 3 / 3.
    # (Averaging per document would give a strict recall of 1/2 instead of 2/3.)
    assert score(gold, predicted).to_dict() == _approx(
        strict_precision=1 / 2,
        strict_recall=2 / 3,
        strict_f1=4 / 7,
        lax_precision=3 / 4,
        lax_recall=1.0,
        lax_f1=6 / 7,
    )


def test_nothing_to_score_gives_zero() -> None:
    assert score([], []) == Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert score([[((), ())]], [[((), ())]]) == Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_document_count_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="documents"):
        score([[((0,), (0,))]], [])


def _vecalign_counts(gold: list[Bead], test: list[Bead]) -> tuple[int, int, int, int]:
    """Vecalign's rules, transcribed bead by bead: (strict hits, strict misses, lax hits, misses).

    Both sides become sets without ([], []) beads; a test bead is a strict hit if it is a gold
    bead, otherwise a lax hit if some single gold bead shares a source and a target index with it.
    """
    gold_set = {b for b in gold if b[0] or b[1]}
    counts = [0, 0, 0, 0]
    for src, tgt in {b for b in test if b[0] or b[1]}:
        if (src, tgt) in gold_set:
            counts[0] += 1
            counts[2] += 1
        elif any(set(src) & set(g_src) and set(tgt) & set(g_tgt) for g_src, g_tgt in gold_set):
            counts[1] += 1
            counts[2] += 1
        else:
            counts[1] += 1
            counts[3] += 1
    return counts[0], counts[1], counts[2], counts[3]


def _vecalign_score(gold: list[list[Bead]], test: list[list[Bead]]) -> dict[str, float]:
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold_doc, test_doc in zip(gold, test, strict=True):
        p = [x + y for x, y in zip(p, _vecalign_counts(gold_doc, test_doc), strict=True)]
        # recall: precision with deletions/insertions removed and the arguments swapped
        test_linked = [(s, t) for s, t in test_doc if s and t]
        gold_linked = [(s, t) for s, t in gold_doc if s and t]
        r = [x + y for x, y in zip(r, _vecalign_counts(test_linked, gold_linked), strict=True)]

    def ratio(hit: int, miss: int) -> float:
        return hit / (hit + miss) if hit + miss else 0.0

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    ps, pl = ratio(p[0], p[1]), ratio(p[2], p[3])
    rs, rl = ratio(r[0], r[1]), ratio(r[2], r[3])
    return {
        "strict_precision": ps,
        "strict_recall": rs,
        "strict_f1": f1(ps, rs),
        "lax_precision": pl,
        "lax_recall": rl,
        "lax_f1": f1(pl, rl),
    }


small_indices = st.lists(st.integers(min_value=0, max_value=5), max_size=3, unique=True).map(
    lambda xs: tuple(sorted(xs))
)
documents = st.lists(st.tuples(small_indices, small_indices), max_size=7)


@given(st.lists(st.tuples(documents, documents), max_size=3))
def test_score_agrees_with_vecalign_rules(pairs: list[tuple[list[Bead], list[Bead]]]) -> None:
    gold = [g for g, _ in pairs]
    predicted = [p for _, p in pairs]
    expected = _vecalign_score(gold, predicted)
    result = score(gold, predicted)
    assert result.to_dict() == _approx(**expected)
    assert result.strict_precision <= result.lax_precision
    assert result.strict_recall <= result.lax_recall
