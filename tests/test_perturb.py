"""Tests for the synthetic divergences of bench/perturb.py and the counting of
bench/divergence.py, on small hand-made documents (no encoder)."""

import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from divergence import (
    KNOWN_DIVERGENCES,
    Tally,
    _without_known,
    at_location,
    detected,
    expected_flag_counts,
    points_at_change,
    udhr_gold,
)
from perturb import (
    PHRASES,
    Perturbation,
    change_number,
    delete_clause,
    delete_sentence,
    insert_phrase,
    insert_sentence,
    negate,
    proper_names,
    replace_sentence,
    swap_entity,
)

from align.evaluating import Document
from align.numerals import extract_numbers
from align.scoring import Flag, ScoredBead

TGT = [
    "Moses went up to the mountain.",
    "Everyone has the right to life, liberty and the security of person, and no one shall be "
    "held in slavery or servitude.",
    "Then Pharaoh gathered seven thousand soldiers by the sea.",
    "He said: the earth is wide.",
    "They came to the city in 1948.",
    "It was not a short journey for the travellers from Midian.",
    "And they returned home at last to their families.",
    "The night passed.",
]
# Verse 2 has two English sentences; the others are 1-1.
GOLD = [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]
GOLD += [((5,), (6,)), ((6,), (7,))]
DOC = Document("t", [f"س{i}" for i in range(7)], TGT, GOLD)
FOREIGN = ["Everyone has the right to a nationality and to change it."]
NAMES = ["Egypt", "Midian", "Moses", "Pharaoh"]
SHORT = Document("s", ["س"], ["It rained."], [((0,), (0,))])
ONE_BEAD = Document("o", ["س", "ص"], ["It rained.", "It stopped."], [((0, 1), (0, 1))])


def _all(doc: Document, seed: int = 0) -> dict[str, Perturbation | None]:
    def rng() -> random.Random:
        return random.Random(seed)

    return {
        "delete_sentence": delete_sentence(doc, rng()),
        "delete_clause": delete_clause(doc, rng()),
        "insert_sentence": insert_sentence(doc, rng(), FOREIGN),
        "insert_phrase": insert_phrase(doc, rng()),
        "change_number": change_number(doc, rng()),
        "negate": negate(doc, rng()),
        "swap_entity": swap_entity(doc, rng(), NAMES),
        "replace_sentence": replace_sentence(doc, rng()),
    }


def _untouched(doc: Document, p: Perturbation, changed: set[int]) -> None:
    """Lines other than `changed` (new indices) are the original lines `origin` says."""
    assert len(p.origin) == len(p.tgt)
    for j, (text, origin) in enumerate(zip(p.tgt, p.origin, strict=True)):
        if j not in changed:
            assert origin is not None and text == doc.tgt[origin]


@pytest.mark.parametrize("seed", range(20))
def test_every_perturbation_is_deterministic_and_reports_its_place(seed):
    first, again = _all(DOC, seed), _all(DOC, seed)
    assert first == again
    for kind, p in first.items():
        assert p is not None and p.kind == kind
        if p.side == "tgt":
            assert 0 <= p.line < len(p.tgt)
        else:
            assert 0 <= p.line < len(DOC.src)


def test_seeds_choose_different_places():
    assert len({negate(DOC, random.Random(seed)).line for seed in range(30)}) > 1


def test_none_where_there_is_no_suitable_place():
    for doc in (SHORT, ONE_BEAD):
        found = _all(doc)
        assert found["delete_clause"] is None
        assert found["insert_phrase"] is None
        assert found["change_number"] is None
        assert found["negate"] is None
        assert found["swap_entity"] is None
        assert found["replace_sentence"] is None
    assert delete_sentence(SHORT, random.Random(0)) is None  # nothing would be left
    assert delete_sentence(ONE_BEAD, random.Random(0)) is None  # no 1-1 bead
    assert insert_sentence(ONE_BEAD, random.Random(0), FOREIGN) is None  # no two beads
    assert insert_sentence(DOC, random.Random(0), []) is None


@pytest.mark.parametrize("seed", range(10))
def test_delete_sentence_removes_a_one_to_one_target_and_orphans_its_source(seed):
    p = delete_sentence(DOC, random.Random(seed))
    assert p.side == "src" and p.expected == ("omission",)
    ((removed,),) = [tgt for src, tgt in DOC.gold if src == (p.line,)]
    assert p.before == DOC.tgt[removed] and p.before not in p.tgt
    assert len(p.tgt) == len(DOC.tgt) - 1 and removed not in p.origin
    _untouched(DOC, p, set())


def test_delete_clause_cuts_a_clause_of_a_long_sentence():
    p = delete_clause(DOC, random.Random(0))
    assert (p.side, p.line, p.expected) == ("tgt", 1, ("omission",))
    assert p.before in {
        "liberty and the security of person",
        "and no one shall be held in slavery or servitude",
    }
    assert p.tgt[1] == DOC.tgt[1].replace(", " + p.before, "", 1)
    _untouched(DOC, p, {1})


def test_delete_clause_leaves_short_clauses_and_quotations():
    doc = Document(
        "q",
        ["س"],
        ['He said, "Go to the city, and bring the men back," and left at once.'],
        [((0,), (0,))],
    )
    assert delete_clause(doc, random.Random(0)) is None
    doc = Document(
        "q",
        ["س"],
        ["One two three four five six seven eight nine ten, eleven, twelve."],
        [((0,), (0,))],
    )
    assert delete_clause(doc, random.Random(0)) is None


@pytest.mark.parametrize("seed", range(10))
def test_insert_sentence_puts_a_foreign_sentence_between_two_beads(seed):
    p = insert_sentence(DOC, random.Random(seed), FOREIGN)
    assert p.expected == ("addition",) and p.side == "tgt"
    assert p.tgt[p.line] == FOREIGN[0] and p.origin[p.line] is None
    assert p.line in {min(tgt) for _, tgt in DOC.gold} - {0}
    assert len(p.tgt) == len(DOC.tgt) + 1
    _untouched(DOC, p, {p.line})


@pytest.mark.parametrize("seed", range(10))
def test_insert_phrase_adds_an_interpolation_inside_a_long_sentence(seed):
    p = insert_phrase(DOC, random.Random(seed))
    assert p.expected == ("addition",)
    (phrase,) = [x for x in PHRASES if x in p.tgt[p.line]]
    assert p.tgt[p.line].replace(phrase, "", 1) == DOC.tgt[p.line]
    assert not p.tgt[p.line].startswith(phrase) and len(DOC.tgt[p.line].split()) >= 8
    _untouched(DOC, p, {p.line})


def test_insert_phrase_goes_after_a_content_word_before_a_function_word():
    doc = Document(
        "p", ["س"], ["The old man walked slowly to the market in the town."], [((0,), (0,))]
    )
    found = {insert_phrase(doc, random.Random(seed)).tgt[0] for seed in range(40)}
    places = {re.sub(r" ?[,(].*[,)]", "|", text) for text in found}
    assert places == {
        "The old man walked slowly| to the market in the town.",
        "The old man walked slowly to the market| in the town.",
    }


@pytest.mark.parametrize("seed", range(10))
def test_change_number_changes_one_value_and_keeps_its_form(seed):
    p = change_number(DOC, random.Random(seed))
    assert p.expected == ("number_mismatch",) and p.line in {2, 4}
    old = [q.value for q in extract_numbers(DOC.tgt[p.line], "en")]
    new = [q.value for q in extract_numbers(p.tgt[p.line], "en")]
    assert len(old) == len(new) == 1 and old != new
    if p.before.isdigit():
        assert p.after.isdigit() and len(p.after) == len(p.before)
    else:
        assert p.before == "seven thousand" and p.after.endswith(" thousand")
    assert p.tgt[p.line] == DOC.tgt[p.line].replace(p.before, p.after)
    _untouched(DOC, p, {p.line})


def test_change_number_leaves_weak_numbers_and_ordinals():
    doc = Document("n", ["س"], ["On the third day one or two of them came back."], [((0,), (0,))])
    assert change_number(doc, random.Random(0)) is None


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The road is long and hard.", {"The road is not long and hard."}),
        ("It was not a short journey.", {"It was a short journey."}),
        (
            "Then which of the favours will ye deny?",
            {"Then which of the favours will ye not deny?"},
        ),
        ("Those who knew it not.", {"Those who knew it."}),
        (
            "No one shall be held in slavery.",
            {"Everyone shall be held in slavery.", "No one shall not be held in slavery."},
        ),
        ("They cannot see.", {"They can see."}),
        (
            "It was an act of courageous will and resolution.",
            {"It was not an act of courageous will and resolution."},
        ),
    ],
)
def test_negate(text, negated):
    doc = Document("n", ["س"], [text], [((0,), (0,))])
    found = {negate(doc, random.Random(seed)).tgt[0] for seed in range(20)}
    assert found == negated


def test_negate_needs_an_auxiliary_or_a_negation():
    doc = Document("n", ["س"], ["The sun rose over the hills."], [((0,), (0,))])
    assert negate(doc, random.Random(0)) is None


@pytest.mark.parametrize("seed", range(10))
def test_swap_entity_replaces_a_name_inside_a_sentence(seed):
    p = swap_entity(DOC, random.Random(seed), NAMES)
    assert p.expected == ("name_mismatch", "meaning_shift")
    assert p.line in {2, 5}  # "Moses" starts line 0, so it is not a candidate there
    assert p.before in NAMES and p.after in NAMES and p.after not in DOC.tgt[p.line]
    assert p.tgt[p.line] == DOC.tgt[p.line].replace(p.before, p.after)
    _untouched(DOC, p, {p.line})


def test_proper_names_are_capitalised_inside_sentences_never_lower_case_and_frequent():
    lines = ["He saw Moses.", "And Moses spoke.", "Then Moses left for Egypt.", "Egypt is far."]
    lines += ["They met the Prophet.", "the prophet came", "Ha-Mim.", "O Moses! God is great."]
    assert proper_names(lines) == ["Moses"]
    assert proper_names(lines, min_count=1) == ["Egypt", "Moses"]


@pytest.mark.parametrize("seed", range(10))
def test_replace_sentence_takes_a_sentence_at_least_five_lines_away(seed):
    p = replace_sentence(DOC, random.Random(seed))
    assert p.expected == ("meaning_shift",)
    assert (p.line,) in [tgt for src, tgt in DOC.gold if len(src) == 1]
    assert p.before == DOC.tgt[p.line] and p.tgt[p.line] == p.after
    assert any(DOC.tgt[u] == p.after and abs(u - p.line) >= 5 for u in range(len(DOC.tgt)))
    _untouched(DOC, p, {p.line})


def test_a_short_document_takes_its_replacement_from_the_others():
    article = Document(
        "u",
        ["س", "ص"],
        ["Article 4", "No one shall be held in slavery or servitude."],
        [((0,), (0,)), ((1,), (1,))],
    )
    others = [*FOREIGN, "Article 5", "No one shall be held in slavery or servitude."]
    p = replace_sentence(article, random.Random(0), others)
    assert (p.line, p.before, p.after) == (1, article.tgt[1], FOREIGN[0])
    assert p.tgt == ("Article 4", FOREIGN[0])
    assert replace_sentence(article, random.Random(0)) is None  # no other document


def test_udhr_gold_pairs_lines_when_the_counts_agree():
    equal = Document("05", ["a", "b"], ["A", "B"], [((0, 1), (0, 1))])
    assert udhr_gold(equal).gold == [((0,), (0,)), ((1,), (1,))]
    unequal = Document("04", ["a", "b", "c"], ["A", "B"], [((0, 1, 2), (0, 1))])
    assert udhr_gold(unequal).gold == [((0,), (0,)), ((1, 2), (1,))]
    preamble = Document("00", ["a", "b", "c"], ["A", "B", "C"], [((0, 1, 2), (0, 1, 2))])
    assert udhr_gold(preamble).gold == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


# --- counting ---


def _bead(src, tgt, *categories):
    return ScoredBead(src, tgt, 0.5, 0.5, 0.5, tuple(Flag(c, "") for c in categories))


def _perturbation(kind, side, line):
    return Perturbation(kind, (), (), side, line, "", "")


def test_detection_needs_an_expected_flag_on_a_bead_holding_the_place():
    inserted = _perturbation("insert_sentence", "tgt", 2)
    beads = [
        _bead((0,), (0,)),
        _bead((1,), (1, 2), "meaning_shift"),  # holds line 2, wrong category
        _bead((2,), (3,), "addition"),  # right category, wrong place
        _bead((), (4,), "addition"),
    ]
    assert not detected(beads, inserted)
    assert expected_flag_counts(beads, inserted) == (0, 2)
    beads[1] = _bead((1,), (1, 2), "addition", "meaning_shift")
    assert detected(beads, inserted)
    assert expected_flag_counts(beads, inserted) == (1, 3)


def test_a_deleted_sentence_is_looked_for_on_the_source_side():
    deleted = _perturbation("delete_sentence", "src", 1)
    whole = [_bead((0,), (0,)), _bead((1,), (), "omission"), _bead((2,), (1,))]
    partial = [_bead((0, 1), (0,), "omission"), _bead((2,), (1,), "omission")]
    elsewhere = [_bead((0,), (1,), "omission"), _bead((1,), (0,))]
    assert at_location(whole[1], deleted) and not at_location(whole[0], deleted)
    assert detected(whole, deleted) and detected(partial, deleted)
    assert not detected(elsewhere, deleted)
    assert expected_flag_counts(partial, deleted) == (1, 2)


def test_an_entity_swap_accepts_either_category_and_counts_both():
    swapped = _perturbation("swap_entity", "tgt", 0)
    beads = [
        _bead((0,), (0,), "name_mismatch", "meaning_shift"),
        _bead((1,), (1,), "meaning_shift"),
    ]
    assert detected(beads, swapped)
    assert expected_flag_counts(beads, swapped) == (2, 3)


def test_a_known_divergence_takes_only_its_own_flag():
    """UDHR 29(3): the Arabic lacks the negation of "may in no case"; a flag on that "no" is
    right, any other flag of the document still counts."""
    (entry,) = KNOWN_DIVERGENCES[("udhr-articles", "29")]
    sentence, category, word = entry.text, entry.category, entry.word
    lines = ["Article 29", "Everyone has duties.", sentence]

    def flagged(tgt, *flags):
        return ScoredBead((len(tgt),), tgt, 0.5, 0.5, 0.5, flags)

    right = Flag(category, "", tgt_spans=(word,))
    beads = [
        flagged((1,), Flag(category, "", tgt_spans=(word,))),  # another sentence
        flagged((2,), right, Flag("name_mismatch", "", tgt_spans=("United",))),
    ]
    found = Counter()
    kept = _without_known(beads, lines, [entry], found)
    assert [b.flags for b in kept] == [beads[0].flags, (beads[1].flags[1],)]
    assert sum(found.values()) == 1


def test_tally_gives_recall_precision_and_f1():
    tally = Tally()
    negated = _perturbation("negate", "tgt", 1)
    hit = [_bead((0,), (0,), "meaning_shift"), _bead((1,), (1,), "meaning_shift")]
    miss = [_bead((0,), (0,)), _bead((1,), (1,), "number_mismatch"), _bead((2,), (2,))]
    quiet = [_bead((0,), (0,)), _bead((1,), (1,))]
    assert tally.add(hit, negated) is True
    assert tally.add(miss, negated) is False
    assert tally.add(quiet, negated) is False
    figures = tally.figures()
    assert (figures["injected"], figures["detected"]) == (3, 1)
    assert figures["recall"] == pytest.approx(1 / 3)
    assert (figures["flags_at_location"], figures["flags"]) == (1, 2)
    assert figures["precision"] == pytest.approx(0.5)
    assert figures["f1"] == pytest.approx(2 * 0.5 / 3 / (0.5 + 1 / 3))
    assert figures["misses_carry"] == {"number_mismatch": 1, "no flag": 1}


def test_the_span_check_compares_highlighted_words_with_the_words_put_in():
    phrase = Perturbation("insert_phrase", (), (), "tgt", 0, "", "as the older commentators")
    on = [
        ScoredBead((0,), (0,), 0.5, 0.5, 0.2, (Flag("addition", "r", (), ("older commentators",)),))
    ]
    off = [ScoredBead((0,), (0,), 0.5, 0.5, 0.2, (Flag("addition", "r", (), ("the city",)),))]
    assert points_at_change(on, phrase) is True
    assert points_at_change(off, phrase) is False
    clause = Perturbation("delete_clause", (), (), "tgt", 0, "a clause", "")
    assert points_at_change(on, clause) is None
    tally = Tally()
    tally.add(on, phrase)
    tally.add(off, phrase)
    merged = tally.merged(tally).figures()
    assert (merged["spans_checked"], merged["spans_on_change"], merged["injected"]) == (4, 2, 4)


def test_tally_without_flags_scores_zero():
    figures = Tally().figures()
    assert figures["recall"] == figures["precision"] == figures["f1"] == 0.0


def test_a_known_divergence_of_the_original_takes_flags_pointing_into_it():
    """UDHR 2: the Arabic adds "without any distinction between men and women"; a partial
    omission pointing inside that passage is right; one elsewhere in the original, or another
    category of flag pointing there (a replaced sentence's), is not."""
    (entry,) = KNOWN_DIVERGENCES[("udhr-articles", "02")]
    assert entry.side == "src"
    right = Flag("omission", "", src_spans=("تفرقة بين الرجال",))
    wrong = Flag("omission", "", src_spans=("لكل إنسان حق التمتع",))
    shift = Flag("meaning_shift", "", src_spans=("تفرقة بين الرجال",))
    english = Flag("addition", "", tgt_spans=("تفرقة بين الرجال",))
    bead = ScoredBead((1,), (1,), 0.5, 0.5, 0.5, (right, wrong, shift, english))
    found = Counter()
    (kept,) = _without_known([bead], ["Article 2", "Everyone is entitled …"], [entry], found)
    assert kept.flags == (wrong, shift, english) and sum(found.values()) == 1
