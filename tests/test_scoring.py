"""Each flag category on small hand-made pairs, with the real offline encoder."""

import math

import pytest

from align.aligning import AlignParams, Bead
from align.scoring import (
    FlagParams,
    divergence_of,
    score_beads,
    unrelated_warning,
)
from tests.conftest import ROOT

FAITHFUL = [
    ("انعقد المؤتمر في العاصمة يوم الاثنين.", "The conference was held in the capital on Monday."),
    ("وحضره وزراء خارجية عدة دول عربية.", "Foreign ministers of several Arab countries attended."),
    (
        "وناقش المشاركون أزمة المياه في المنطقة.",
        "Participants discussed the water crisis in the region.",
    ),
    ("واتفقوا على تشكيل لجنة لمتابعة القرارات.", "They agreed to form a committee to follow up."),
    (
        "وقال رئيس الوفد إن النتائج كانت مشجعة.",
        "The head of the delegation said the results were encouraging.",
    ),
    (
        "ومن المقرر أن يعقد الاجتماع المقبل في الربيع.",
        "The next meeting is scheduled for the spring.",
    ),
    ("وأعرب المشاركون عن شكرهم للبلد المضيف.", "Participants thanked the host country."),
    (
        "وصدر في ختام المؤتمر بيان مشترك.",
        "A joint statement was issued at the end of the conference.",
    ),
]


def one_to_one(pairs):
    return [Bead((i,), (i,), 0.8, 0.4) for i in range(len(pairs))]


def score(pairs, encoder, beads=None, **params):
    src, tgt = [a for a, _ in pairs], [e for _, e in pairs]
    return score_beads(
        beads or one_to_one(pairs), src, tgt, "ar", "en", encoder, FlagParams(**params)
    )


def categories(bead):
    return {flag.category for flag in bead.flags}


def test_unmatched_beads_are_whole_omissions_and_additions(use_encoder):
    beads = [Bead((0,), (), math.nan, 0.6), Bead((), (0,), math.nan, 0.6)]
    scored = score_beads(beads, ["جملة."], ["A sentence."], encoder=use_encoder)
    assert [b.status for b in scored] == ["omission", "addition"]
    assert all(b.divergence == 1.0 for b in scored)
    assert "no counterpart in the translation" in scored[0].flags[0].reason


def test_a_faithful_document_is_not_flagged(use_encoder):
    assert [b.status for b in score(FAITHFUL, use_encoder)] == ["ok"] * len(FAITHFUL)


def test_a_changed_number_is_flagged_with_both_numbers(use_encoder):
    pairs = [*FAITHFUL, ("وقُتل ٣٠ شخصاً في الهجوم.", "Forty people were killed in the attack.")]
    bead = score(pairs, use_encoder)[-1]
    assert "number_mismatch" in categories(bead)
    assert "٣٠" in bead.flags[0].reason and "Forty" in bead.flags[0].reason


def test_an_added_negation_is_a_meaning_shift(use_encoder):
    pairs = [
        *FAITHFUL,
        ("ويبدو التوصل إلى حل سياسي مرجحاً.", "A political solution does not seem likely."),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert "meaning_shift" in categories(bead)
    assert "negation" in " ".join(f.reason for f in bead.flags)


def test_an_interpolated_clause_is_a_partial_addition(use_encoder):
    pairs = [
        *FAITHFUL,
        (
            "وأغلقت السلطات الطريق الرئيسي المؤدي إلى المدينة.",
            "The authorities closed the main road leading to the city, "
            "which the translator notes was built by a French company in 1890.",
        ),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert "addition" in categories(bead)
    assert any("partial" in f.reason and "French company" in f.reason for f in bead.flags)


def test_an_untranslated_sentence_inside_a_bead_is_a_whole_omission(use_encoder):
    cholera = "ويخشى الأطباء انتشار وباء الكوليرا بين الأطفال في المخيمات."
    src = [a for a, _ in FAITHFUL] + ["وأغلقت السلطات الطريق الرئيسي المؤدي إلى المدينة.", cholera]
    tgt = [e for _, e in FAITHFUL] + ["The authorities closed the main road leading to the city."]
    beads = [*one_to_one(FAITHFUL), Bead((8, 9), (8,), 0.7, 0.5)]
    bead = score_beads(beads, src, tgt, "ar", "en", use_encoder)[-1]
    omissions = [f for f in bead.flags if f.category == "omission"]
    assert [f.src_spans for f in omissions] == [(cholera,)]
    assert "the sentence" in omissions[0].reason


def test_an_article_heading_merged_into_the_next_bead_is_an_omission(use_encoder):
    """The UDHR with "Article 4" deleted from the English: the aligner puts المادة 4 with
    the article's first sentence; the heading is an omission, not only a number."""
    src = [a for a, _ in FAITHFUL] + ["المادة 4", "لا يجوز استرقاق أو استعباد أي شخص."]
    tgt = [e for _, e in FAITHFUL] + ["No one shall be held in slavery or servitude."]
    beads = [*one_to_one(FAITHFUL), Bead((8, 9), (8,), 0.6, 0.5)]
    bead = score_beads(beads, src, tgt, "ar", "en", use_encoder)[-1]
    assert [f.src_spans for f in bead.flags if f.category == "omission"] == [("المادة 4",)]


def with_similarities(spans, src, tgt, encoder):
    """Beads over `spans` ((source lines, target lines) each) with their real similarity."""
    from align.encoding import embed_texts

    texts = [" ".join(src[i] for i in s) + "\n" + " ".join(tgt[j] for j in t) for s, t in spans]
    vectors = embed_texts([x for text in texts for x in text.split("\n")], encoder)
    return [
        Bead(s, t, float(vectors[2 * k] @ vectors[2 * k + 1]), 0.5)
        for k, (s, t) in enumerate(spans)
    ]


def test_an_added_sentence_paired_with_its_neighbours_original_is_an_addition(use_encoder):
    """An English sentence with no counterpart, aligned 1-1 with an Arabic sentence whose
    translation the aligner put in the next bead (one English sentence for two Arabic)."""
    src = [a for a, _ in FAITHFUL]
    added = "Then which of the favours of your Lord will ye deny?"
    tgt = [e for _, e in FAITHFUL[:6]] + [added, FAITHFUL[6][1] + " " + FAITHFUL[7][1]]
    spans = [((i,), (i,)) for i in range(8)]
    scored = score_beads(
        with_similarities(spans, src, tgt, use_encoder), src, tgt, "ar", "en", use_encoder
    )
    assert [f.tgt_spans for f in scored[6].flags if f.category == "addition"] == [(added,)]
    assert "next bead" in scored[6].flags[0].reason
    assert [b.status for b in scored[:6]] == ["ok"] * 6


def test_an_unrelated_pair_is_a_meaning_shift(use_encoder):
    pairs = [
        *FAITHFUL,
        ("وارتفعت أسعار النفط في الأسواق العالمية.", "The cat slept on the warm mat."),
    ]
    beads = [*one_to_one(FAITHFUL), Bead((8,), (8,), 0.1, 1.2)]
    assert "meaning_shift" in categories(score(pairs, use_encoder, beads)[-1])


def test_sensitivity_moves_the_meaning_shift_threshold():
    center, spread = 0.4, 0.1
    low, high = FlagParams(sensitivity=0.5), FlagParams(sensitivity=2.0)
    divergence = divergence_of(0.75, center, spread, FlagParams())
    assert divergence > 0.5 / high.sensitivity and divergence < 0.5 / low.sensitivity


def test_la_illa_is_only_not_a_dropped_negation(use_encoder):
    # لا … إلا reads "only": an English rendering without a negation is faithful.
    pairs = [
        *FAITHFUL,
        ("لا يحق التصويت إلا للمواطنين.", "Only citizens have the right to vote."),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert not any("negation" in f.reason for f in bead.flags)


def udhr_line(name: str, line: int) -> tuple[str, str]:
    """Line `line` (from 0) of a UDHR article, Arabic and English."""
    src, tgt = corpus_lines("udhr-articles", name)
    return src[line], tgt[line]


def test_udhr_la_illa_is_not_a_dropped_negation(use_encoder):
    arabic, english = udhr_line("16", 3)
    assert "إلا" in arabic and "only" in english
    bead = score([*FAITHFUL, (arabic, english)], use_encoder)[-1]
    assert not any("negation" in f.reason for f in bead.flags), bead.flags


def test_udhr_la_illa_answers_a_second_english_negation(use_encoder):
    # UDHR 11(2): "No one shall be held guilty … which did not constitute a penal offence"
    # against لا يدان أي شخص … إلاّ إذا كان ذلك يعتبر جرماً: the exception is the "not".
    arabic, english = udhr_line("11", 2)
    assert "إلاّ" in arabic and "did not" in english
    bead = score([*FAITHFUL, (arabic, english)], use_encoder)[-1]
    assert not negations(bead), bead.flags
    # a third negation is still one too many
    added = english.replace("shall be held", "shall not be held")
    bead = score([*FAITHFUL, (arabic, added)], use_encoder)[-1]
    assert [f.category for f in negations(bead)] == ["meaning_shift"]


def test_illa_without_a_negation_answers_none(use_encoder):
    # إلا alone ("except") is no negation: an added "not" beside it is flagged.
    pairs = [
        *FAITHFUL,
        (
            "يحق لكل شخص السفر إلا في حالة الحرب.",
            "Everyone shall not have the right to travel in time of war.",
        ),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]


def test_by_no_means_meets_negative_ma(use_encoder):
    # bead 98 of sura 2 (Pickthall): "by no means" against وما هو, a negation by ما.
    pairs = [
        *FAITHFUL,
        ("وما هو بمزحزحه من العذاب.", "That would by no means remove him from the doom."),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert not any("negation" in f.reason for f in bead.flags)


def test_a_dropped_negation_points_at_the_arabic_word(use_encoder):
    pairs = [*FAITHFUL, ("لم يحضر الوزير الاجتماع.", "The minister attended the meeting.")]
    bead = score(pairs, use_encoder)[-1]
    flag = next(f for f in bead.flags if "negation" in f.reason)
    assert flag.category == "meaning_shift" and flag.src_spans == ("لم",)


def test_lam_with_a_jussive_is_still_a_negation(use_encoder):
    """لم before a jussive (تؤمنوا, no ending ون) negates, unlike لِمَ "why" (sura 49:14,
    its negation dropped from the translation)."""
    pairs = [
        *FAITHFUL,
        (
            "قالت الأعراب آمنا قل لم تؤمنوا",
            'The desert Arabs say, "We believe." Say, "Ye have faith."',
        ),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert [f.src_spans for f in negations(bead)] == [("لم",)]


def test_a_replaced_sentence_is_a_meaning_shift(use_encoder):
    pairs = [
        *FAITHFUL,
        (
            "وأغلقت السلطات الطريق الرئيسي المؤدي إلى المدينة بسبب الفيضانات.",
            "Doctors fear that cholera will spread among children living in camps.",
        ),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert "meaning_shift" in categories(bead)


@pytest.mark.parametrize(
    ("share", "says"),
    [
        (0.75, "75% or more of the content words of each side have no counterpart"),
        (1.0, "no content word of either side has a counterpart on the other"),
    ],
)
def test_a_replaced_sentence_says_how_much_has_no_counterpart(share, says):
    from align.scoring import Sides, _replaced

    sides = Sides(["ذهب الولد إلى المدرسة"], ["The rain fell on the hills."], "ar", "en")
    [flag] = _replaced(share, sides, FlagParams())
    assert says in flag.reason and "100%" not in flag.reason


def test_unrelated_warning_only_when_beads_are_at_chance():
    related = [Bead((i,), (i,), 0.8, 0.4) for i in range(5)]
    unrelated = [Bead((i,), (i,), 0.1, 1.2) for i in range(5)]
    assert unrelated_warning(related) is None
    assert "unrelated" in unrelated_warning(unrelated)


@pytest.mark.parametrize("cost", [0.2, 0.45, 0.9, 3.0])
def test_divergence_is_in_the_unit_interval_and_grows_with_cost(cost):
    params = FlagParams()
    value = divergence_of(cost, 0.4, 0.1, params)
    assert 0.0 <= value <= 1.0
    assert divergence_of(cost + 0.1, 0.4, 0.1, params) >= value


def test_a_swapped_name_is_a_name_mismatch_with_its_passage(use_encoder):
    pairs = [
        *FAITHFUL,
        ("وزار الوفد مدينة حلب في اليوم التالي.", "The delegation visited Mosul the next day."),
    ]
    bead = score(pairs, use_encoder)[-1]
    flag = next(f for f in bead.flags if f.category == "name_mismatch")
    assert flag.tgt_spans == ("Mosul",) and "Mosul" in flag.reason


def test_a_capitalised_word_written_in_lower_case_elsewhere_in_the_document_is_no_name():
    """The name check reads the whole translation's lower-case words, not only the bead's."""
    verse = "إن الذين تولوا منكم يوم التقى الجمعان إنما استزلهم الشيطان"
    rendering = "Those of you who turned back on the day the two hosts Met, it was Satan."
    alone = score_beads([Bead((0,), (0,), 0.8, 0.4)], [verse], [rendering])
    assert categories(alone[0]) == {"name_mismatch"}
    beads = [Bead((0,), (0,), 0.8, 0.4), Bead((1,), (1,), 0.8, 0.4)]
    scored = score_beads(beads, [verse, "ولما التقوا"], [rendering, "And when they met."])
    assert [categories(b) for b in scored] == [set(), set()]


def pickthall_verse(verse):
    """Sura 2 of Pickthall: the Arabic verse and its English sentences (0-based verse)."""
    folder = ROOT / "corpora" / "quran-pickthall"
    src = (folder / "002.src").read_text(encoding="utf-8").splitlines()
    tgt = (folder / "002.tgt").read_text(encoding="utf-8").splitlines()
    gold = (folder / "002.gold").read_text(encoding="utf-8").splitlines()[verse]
    lines = [int(n) for n in gold.split(":")[1].strip("[]").split(",")]
    return src[verse], [tgt[j] for j in lines]


@pytest.mark.parametrize("verse", [95, 233])
def test_false_alarms_of_sura_2_are_gone(use_encoder, verse):
    # Verse 96 (bead 98 of a user's report): "a thousand years" said twice in English
    # against one ألف سنة, and "by no means" against وما هو. Verse 234 (bead 237): "ten"
    # against وعشرا, a number word behind the conjunction.
    arabic, english = pickthall_verse(verse)
    src = [a for a, _ in FAITHFUL] + [arabic]
    tgt = [e for _, e in FAITHFUL] + english
    beads = [*one_to_one(FAITHFUL), Bead((8,), tuple(range(8, 8 + len(english))), 0.6, 0.5)]
    bead = score_beads(beads, src, tgt, "ar", "en", use_encoder)[-1]
    assert not any(f.category == "number_mismatch" for f in bead.flags), bead.flags
    assert not any("negation" in f.reason for f in bead.flags), bead.flags


def test_rhetorical_questions_keep_their_negation(use_encoder):
    # ألم نخلقكم: "Have We not created you?" (sura 77): أ + لم is a negation too.
    pairs = [
        *FAITHFUL,
        ("ألم نخلقكم من ماء مهين", "Have We not created you from a fluid despicable?"),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert not any("negation" in f.reason for f in bead.flags), bead.flags


def negations(bead):
    return [f for f in bead.flags if "negation" in f.reason]


def test_an_added_not_is_found_beside_a_whereas_lamma(use_encoder):
    """لمّا ("whereas") is a weak cue that once cancelled an added "not" by count."""
    arabic = (
        "ولما كانت شعوب الأمم المتحدة قد أكدت في الميثاق من جديد إيمانها بحقوق الإنسان "
        "الأساسية وبكرامة الفرد وقدره."
    )
    english = (
        "Whereas the peoples of the United Nations have not in the Charter reaffirmed their "
        "faith in fundamental human rights, in the dignity and worth of the human person."
    )
    bead = score([*FAITHFUL, (arabic, english)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]


def test_two_negations_need_two(use_encoder):
    """ "No one shall not be held" against one لا: negations are paired one to one."""
    pairs = [
        *FAITHFUL,
        ("لا يجوز استرقاق أو استعباد أي شخص.", "No one shall not be held in slavery or servitude."),
    ]
    bead = score(pairs, use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] in ([("No",)], [("not",)])


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        # ألا opening a verse is "Is it not …?", not إلا "except" (sura 67:14).
        (
            "ألا يعلم من خلق وهو اللطيف الخبير",
            "Should He not know,- He that created? and He is the One that understands the "
            "finest mysteries (and) is well-acquainted (with them).",
        ),
        # "free of" renders لا (sura 52:23).
        (
            "يتنازعون فيها كأسا لا لغو فيها ولا تأثيم",
            "They shall there exchange, one with another, a (loving) cup free of frivolity, "
            "free of all taint of ill.",
        ),
        # "but not" is an exception, إلا (sura 73:2).
        ("قم الليل إلا قليلا", "Stand (to prayer) by night, but not all night,-"),
        # هل asks what the translator asks as a negative question (sura 76:1).
        (
            "هل أتى على الإنسان حين من الدهر لم يكن شيئا مذكورا",
            "Has there not been over Man a long period of Time, when he was nothing - (not "
            "even) mentioned?",
        ),
        # "never … cease" is "still", ولا يزال (sura 13:31).
        (
            "ولا يزال الذين كفروا تصيبهم بما صنعوا قارعة",
            "But the Unbelievers,- never will disaster cease to seize them for their (ill) deeds.",
        ),
        # لا … ولا is "no … or": the second negation continues the first ("nor").
        (
            "فمن يؤمن بربه فلا يخاف بخسا ولا رهقا",
            "Any who believes in his Lord has no fear, either of a short (account) or of any "
            "injustice.",
        ),
        # لا غنى عنها is "indispensable".
        (
            "وحق التمتع بالحقوق الاقتصادية والاجتماعية التي لا غنى عنها لكرامته.",
            "And the economic and social rights indispensable for his dignity.",
        ),
        # "lack" says what لا says.
        (
            "إن الذين ينادونك من وراء الحجرات أكثرهم لا يعقلون",
            "Those who shout out to thee from without the inner apartments - most of them "
            "lack understanding.",
        ),
        # Sura 44:41 (Yusuf Ali): the word links pair لا with the second "no"; the first
        # "no" takes لا and the second ولا, near it.
        (
            "يوم لا يغني مولى عن مولى شيئا ولا هم ينصرون",
            "The Day when no protector can avail his client in aught, and no help can they "
            "receive,",
        ),
        # Sura 62:5: "(but understands them not)" is the translator's gloss, in brackets.
        (
            "مثل الذين حملوا التوراة ثم لم يحملوها كمثل الحمار يحمل أسفارا ۚ بئس مثل القوم الذين "
            "كذبوا بآيات الله ۚ والله لا يهدي القوم الظالمين",
            "The similitude of those who were charged with the (obligations of the) Mosaic "
            "Law, but who subsequently failed in those (obligations), is that of a donkey which "
            "carries huge tomes (but understands them not). Evil is the similitude of people "
            "who falsify the Signs of Allah: and Allah guides not people who do wrong.",
        ),
        # Sura 13:20: "fail not" for ولا ينقضون; the place paired ولا with "fail".
        (
            "الذين يوفون بعهد الله ولا ينقضون الميثاق",
            "Those who fulfil the covenant of Allah and fail not in their plighted word;",
        ),
        # Sura 75:1: the oath لا أقسم is "I do call to witness".
        (
            "بسم الله الرحمن الرحيم لا أقسم بيوم القيامة",
            "I do call to witness the Resurrection Day;",
        ),
        # Sura 47:14: "no better than" compares.
        (
            "أفمن كان على بينة من ربه كمن زين له سوء عمله واتبعوا أهواءهم",
            "Is then one who is on a clear (Path) from his Lord, no better than one to whom the "
            "evil of his conduct seems pleasing, and such as follow their own lusts?",
        ),
        # Sura 52:26: "not without fear" is مشفقين, fearful.
        (
            "قالوا إنا كنا قبل في أهلنا مشفقين",
            'They will say: "Aforetime, we were not without fear for the sake of our people.',
        ),
        # Sura 104:4: كلا, "by no means!", answers the English negation.
        (
            "كلا ۖ لينبذن في الحطمة",
            "By no means! He will be sure to be thrown into That which Breaks to Pieces,",
        ),
        # Sura 69:39: in a short bead a place says little ("see not" ends the line).
        ("وما لا تبصرون", "And what ye see not,"),
        # Sura 3:98: لِمَ "why", not the negation لم: a present tense with its ending ون ...
        (
            "قل يا أهل الكتاب لم تكفرون بآيات الله والله شهيد على ما تعملون",
            'Say: "O People of the Book! Why reject ye the Signs of Allah, when Allah is '
            'Himself witness to all ye do?"',
        ),
        # ... that ending before an attached pronoun (sura 61:5, تؤذونني "vex me") ...
        (
            "وإذ قال موسى لقومه يا قوم لم تؤذونني وقد تعلمون أني رسول الله إليكم",
            'And remember, Moses said to his people: "O my people! why do ye vex and insult '
            'me, though ye know that I am the messenger of Allah (sent) to you?"',
        ),
        # ... or a past tense follows it (sura 20:125).
        (
            "قال رب لم حشرتني أعمى وقد كنت بصيرا",
            'He will say: "O my Lord! why hast Thou raised me up blind, while I had sight '
            '(before)?"',
        ),
        # Sura 26:106: ألا (its hamza above: not إلا) "will ye not …?".
        (
            "إذ قال لهم أخوهم نوح ألا تتقون",
            'Behold, their brother Noah said to them: "Will ye not fear (Allah)?',
        ),
        # Sura 7:38: أولاهم "the first of them" is no أولا with a pronoun ...
        (
            "وقالت أولاهم لأخراهم فما كان لكم علينا من فضل فذوقوا العذاب بما كنتم تكسبون",
            'Then the first will say to the last: "See then! No advantage have ye over us; so '
            'taste ye of the penalty for all that ye did!"',
        ),
        # ... nor ليسكن "that he might dwell" ليس (sura 7:189).
        (
            "هو الذي خلقكم من نفس واحدة وجعل منها زوجها ليسكن إليها",
            "It is He Who created you from a single person, and made his mate of like nature, "
            "in order that he might dwell with her (in love).",
        ),
        # Sura 16:23: لا جرم is "undoubtedly".
        (
            "لا جرم أن الله يعلم ما يسرون وما يعلنون",
            "Undoubtedly Allah doth know what they conceal, and what they reveal:",
        ),
        # Sura 2:113: "have naught (to stand) upon" for ليست … على شيء.
        (
            "وقالت اليهود ليست النصارى على شيء",
            'The Jews say: "The Christians have naught (to stand) upon;',
        ),
        # Sura 27:73: "ungrateful" for لا يشكرون.
        (
            "وإن ربك لذو فضل على الناس ولكن أكثرهم لا يشكرون",
            "But verily thy Lord is full of grace to mankind: Yet most of them are ungrateful.",
        ),
        # Sura 6:20: "refuse to believe" for لا يؤمنون.
        (
            "الذين خسروا أنفسهم فهم لا يؤمنون",
            "Those who have lost their own souls refuse therefore to believe.",
        ),
        # Sura 5:104: "void of knowledge" for لا يعلمون.
        (
            "أولو كان آباؤهم لا يعلمون شيئا ولا يهتدون",
            "what! even though their fathers were void of knowledge and guidance?",
        ),
        # Sura 18:93: "scarcely understood" for لا يكادون يفقهون.
        (
            "حتى إذا بلغ بين السدين وجد من دونهما قوما لا يكادون يفقهون قولا",
            "Until, when he reached (a tract) between two mountains, he found, beneath them, "
            "a people who scarcely understood a word.",
        ),
        # Sura 21:15: فما زالت "ceased not": no negation on either side.
        (
            "فما زالت تلك دعواهم حتى جعلناهم حصيدا خامدين",
            "And that cry of theirs ceased not, till We made them as a field that is mown, as "
            "ashes silent and quenched.",
        ),
    ],
    ids=[
        *("inceptive-ala", "free-of", "but-not", "hal", "never-cease"),
        *("nor", "indispensable", "lack", "no-no-crosswise", "bracketed-gloss", "fail-not"),
        *("oath", "no-better-than", "not-without", "kalla", "short-bead"),
        *("why-lima", "why-lima-pronoun", "why-lima-past", "hamza-ala", "pronoun-awla"),
        "pronoun-laysa",
        *("la-jarama", "naught", "ungrateful", "refuse", "void-of", "scarcely", "ceased-not"),
    ],
)
def test_negations_rendered_without_a_second_negation_are_not_flagged(use_encoder, arabic, english):
    assert negations(score([*FAITHFUL, (arabic, english)], use_encoder)[-1]) == []


def test_a_verse_without_translation_merged_into_its_neighbours_bead_is_an_omission(
    use_encoder,
):
    """Sura 113 (Yusuf Ali) without the translation of its last verse: the aligner puts
    the verse with the one before. In a classical text sentence vectors are judged against
    each other within the bead: the verse far below its neighbour is the omission."""
    import align

    folder = ROOT / "corpora" / "quran-yusufali"
    src = (folder / "113.src").read_text(encoding="utf-8").splitlines()
    tgt = (folder / "113.tgt").read_text(encoding="utf-8").splitlines()[:4]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    last = next(b for b in beads if 4 in b.src)
    flags = [f for f in last.flags if f.category == "omission"]
    assert [f.src_spans for f in flags] == [(src[4],)], last
    assert all(not b.flags for b in beads if b is not last)


def test_an_unrelated_sentence_put_into_a_verses_bead_is_an_addition(use_encoder):
    """Sura 109 (Yusuf Ali) with a sentence of the UDHR put after the rendering of its
    first verse: the search merged it into that verse's bead (the bead's similarity 0.28
    -> 0.11); no verse of the sura is close to it, and it is left unmatched, an addition."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "109")
    stranger = "Everyone has the right of equal access to public service in his country."
    tgt = [tgt[0], stranger, *tgt[1:]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [(b.src, b.tgt) for b in beads[:3]] == [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert [f.category for f in beads[1].flags] == ["addition"]


@pytest.mark.parametrize(
    ("sura", "at", "stranger"),
    [
        (
            "062",
            9,
            "All children, whether born in or out of wedlock, shall enjoy the same social "
            "protection.",
        ),
        ("072", 7, "Everyone has the right to life, liberty and the security of person."),
    ],
)
def test_an_unrelated_sentence_merged_into_a_verse_rendered_in_two_is_an_addition(
    use_encoder, sura, at, stranger
):
    """Suras 62 and 72 (Yusuf Ali) with a sentence of the UDHR put after a verse's
    rendering: the search merges it into that verse's bead (one verse, two sentences). In a
    classical text a sentence far from its own verse proves little, but no verse of the
    sura comes near this one: it is an addition, and the verse keeps its rendering."""
    import align

    src, tgt = corpus_lines("quran-yusufali", sura)
    tgt = [*tgt[:at], stranger, *tgt[at:]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    (bead,) = [b for b in beads if at in b.tgt]
    additions = [f for f in bead.flags if f.category == "addition"]
    assert [f.tgt_spans for f in additions] == [(stranger,)], bead


@pytest.mark.parametrize(
    ("sura", "at", "stranger"),
    [
        ("099", 2, "Motherhood and childhood are entitled to special care and assistance."),
        (
            "113",
            3,
            "Everyone is entitled in full equality to a fair and public hearing by an "
            "independent and impartial tribunal, in the determination of his rights and "
            "obligations and of any criminal charge against him.",
        ),
    ],
)
def test_an_inserted_sentence_is_found_where_the_search_shifted_the_verses_after_it(
    use_encoder, sura, at, stranger
):
    """Suras 99 and 113 (Yusuf Ali) with a sentence of the UDHR put in: the search paired
    the verses around it with their neighbours' renderings (99: verse 1 with verse 2's,
    verse 2 with the stranger; 113: verses 4 and 5 with the stranger and verse 4's) and
    left no sentence unmatched. Moving the slack along the run puts each verse back with
    its own rendering, and the stranger is an addition."""
    import align

    src, tgt = corpus_lines("quran-yusufali", sura)
    tgt = [*tgt[:at], stranger, *tgt[at:]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    (alone,) = [b for b in beads if at in b.tgt]
    assert alone.src == () and [f.category for f in alone.flags] == ["addition"]
    assert all(b.tgt == (b.src[0] + (b.src[0] >= at),) for b in beads if b.src), beads


def test_a_short_verse_far_from_its_rendering_is_no_partial_addition(use_encoder):
    """Sura 68:13 (Yusuf Ali): no word of the three-word verse is close to its rendering,
    but a run of words that is the whole side is no partial addition."""
    pairs = [*FAITHFUL, ("عتل بعد ذلك زنيم", "Violent (and cruel),- with all that, base-born,-")]
    bead = score(pairs, use_encoder)[-1]
    assert not [f for f in bead.flags if "partial" in f.reason], bead.flags


def test_a_translation_in_place_of_an_untranslated_original_is_a_meaning_shift(use_encoder):
    """An English sentence with no counterpart beside an Arabic one with none (the aligner
    leaves both alone): the translation says something else there."""
    src = [a for a, _ in FAITHFUL[:3]]
    tgt = [
        FAITHFUL[0][1],
        "Parents have a prior right to choose the kind of education.",
        FAITHFUL[2][1],
    ]
    beads = [
        Bead((0,), (0,), 0.8, 0.4),
        Bead((), (1,), math.nan, 0.6),
        Bead((1,), (), math.nan, 0.6),
        Bead((2,), (2,), 0.8, 0.4),
    ]
    scored = score_beads(beads, src, tgt, "ar", "en", use_encoder)
    assert categories(scored[1]) == {"addition", "meaning_shift"}
    shift = next(f for f in scored[1].flags if f.category == "meaning_shift")
    assert shift.tgt_spans == (tgt[1],) and "has no counterpart either" in shift.reason
    assert categories(scored[2]) == {"omission"}


def test_a_short_sentence_of_a_verse_rendered_in_several_is_no_whole_addition(use_encoder):
    """Sura 31:9 (Yusuf Ali): "To dwell therein." renders خالدين فيها; a sentence of one or
    two content words has too little for its vector alone to say it has no counterpart."""
    arabic = "خالدين فيها ۖ وعد الله حقا ۚ وهو العزيز الحكيم"
    english = [
        "To dwell therein.",
        "The promise of Allah is true: and He is Exalted in Power, Wise.",
    ]
    src = [a for a, _ in FAITHFUL] + [arabic]
    tgt = [e for _, e in FAITHFUL] + english
    beads = [*one_to_one(FAITHFUL), Bead((8,), (8, 9), 0.6, 0.5)]
    bead = score_beads(beads, src, tgt, "ar", "en", use_encoder)[-1]
    assert not [f for f in bead.flags if f.category == "addition"], bead.flags


@pytest.mark.parametrize(
    ("sura", "line", "at", "phrase"),
    [
        (
            "094",
            3,
            "raised high",
            " (the word used here also means a covenant or a binding promise)",
        ),
        (
            "102",
            7,
            "questioned",
            ", in the sense that the word had among the desert tribes of that age,",
        ),
    ],
)
def test_an_interpolation_in_a_verse_rendered_far_too_long_is_an_addition(
    use_encoder, sura, line, at, phrase
):
    """Suras 94 and 102 (Yusuf Ali) with a translator's interpolation put into a verse: the
    clause, alone, is not far from the verse (its words find counterparts by chance), but
    the verse's rendering is now twice as long as the sura's length ratio says, and the
    verse without the clause is closer to its original."""
    import align

    src, tgt = corpus_lines("quran-yusufali", sura)
    assert at in tgt[line]
    tgt = [*tgt[:line], tgt[line].replace(at, at + phrase, 1), *tgt[line + 1 :]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    bead = next(b for b in beads if line in b.tgt)
    spans = [span for f in bead.flags if f.category == "addition" for span in f.tgt_spans]
    assert spans == [phrase.strip(" ,()")], bead.flags
    assert all(not b.flags for b in beads if b is not bead)


def corpus_lines(corpus, name):
    """The Arabic and English lines of one document of a bundled corpus."""
    folder = ROOT / "corpora" / corpus
    return tuple(
        (folder / f"{name}.{side}").read_text(encoding="utf-8").splitlines()
        for side in ("src", "tgt")
    )


def partial_additions(beads):
    return [f for b in beads for f in b.flags if f.category == "addition" and "partial" in f.reason]


def test_short_glosses_in_brackets_are_passed_over_and_long_ones_kept():
    from align.scoring import _short_glosses
    from align.wordlinking import tokenize

    text = (
        "Behold, two (guardian angels) appointed to learn (his doings), one sitting "
        "(on the right hand of the throne, the other on its left side) by him."
    )
    tokens = tokenize(text, "en")
    skipped = {tokens[i].form for i in _short_glosses(tokens, [text], window=4)}
    assert skipped == {"guardian", "angels", "his", "doings"}


def test_a_verse_with_short_glosses_is_no_partial_addition(use_encoder):
    """Sura 50 (Yusuf Ali): "a record guarding (the full account)", "two (guardian angels)
    appointed to learn (his doings)": the translator's declared glosses of a word or two
    padded runs of words into partial additions on a faithful translation."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "050")
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    padded = [f for f in partial_additions(beads) if "(" in "".join(f.tgt_spans)]
    assert padded == []


def test_a_faithful_phrase_of_a_long_verse_is_no_partial_addition(use_encoder):
    """Sura 30 (Yusuf Ali), clean: "when they show their backs and turn away" (verse 52,
    إذا ولوا مدبرين) is far from its verse as a whole (0.20), but close to the run of words
    it renders (0.36): no addition."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "030")
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    flagged = [b.src for b in beads if partial_additions([b])]
    assert (51,) not in flagged, flagged


@pytest.mark.parametrize(("sensitivity", "kept"), [(1.0, False), (3.0, True)])
def test_a_passage_close_to_a_run_of_the_original_is_rendered(use_encoder, sensitivity, kept):
    """6:98 (Yusuf Ali): "We detail Our signs for people who understand" renders قد فصلنا
    الآيات لقوم يفقهون, a run of its verse; a higher sensitivity keeps the flag."""
    from align.aligning import Bead
    from align.scoring import Flag, Sides, _partial_flag, _rendered_in_windows
    from align.wordlinking import link_beads

    src = ["وهو الذي أنشأكم من نفس واحدة فمستقر ومستودع ۗ قد فصلنا الآيات لقوم يفقهون"]
    tgt = [
        "It is He Who hath produced you from a single person: here is a place of sojourn "
        "and a place of departure: We detail Our signs for people who understand."
    ]
    bead = Bead((0,), (0,), 0.3, 0.8)
    flag: Flag = _partial_flag("tgt", "detail Our signs for people who understand", "test")
    words = link_beads([(src, tgt)], "ar", "en", use_encoder)
    params = FlagParams(sensitivity=sensitivity)
    left = _rendered_in_windows(
        {id(bead): [flag]}, [bead], [Sides(src, tgt, "ar", "en")], words, use_encoder, params
    )
    assert (left == {id(bead): [flag]}) is kept


def test_runs_of_words_stay_within_a_sentence():
    from align.scoring import _runs_of_words
    from align.wordlinking import tokenize

    texts = ["قل هو الله أحد", "الله الصمد"]
    tokens = [t for k, text in enumerate(texts) for t in tokenize(text, "ar", k)]
    assert _runs_of_words(tokens, texts, (2, 4), 2) == [
        "قل هو",
        "الله أحد",
        "قل هو الله أحد",
        "الله الصمد",
    ]


def test_an_interpolation_in_modern_prose_is_a_partial_addition(use_encoder):
    """UDHR article 8 with a clause put in: in modern prose, whose word vectors are surer,
    a run of words a little closer to the original than a classical text allows still
    counts as added."""
    import align

    src, tgt = corpus_lines("udhr-articles", "08")
    clause = ", which later generations came to understand in quite another way,"
    tgt = [tgt[0], tgt[1].replace("violating", "violating" + clause, 1)]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [f.tgt_spans for f in partial_additions(beads)] == [
        ("later generations came to understand",)
    ]


def test_a_bracketed_gloss_whose_words_find_chance_counterparts_is_an_addition(use_encoder):
    """UDHR article 10 with a gloss put in brackets: its words ("binding", "promise") each
    resemble some word of the long Arabic sentence, so no run of four of them is weak
    enough; the clause, embedded, is far from the Arabic and the English without it is
    closer (missed before the clause check)."""
    import align

    src, tgt = corpus_lines("udhr-articles", "10")
    gloss = "the word used here also means a covenant or a binding promise"
    tgt = [tgt[0], tgt[1].replace("entitled", f"entitled ({gloss})", 1)]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [f.tgt_spans for f in partial_additions(beads)] == [(gloss,)]
    assert [f.category for b in beads for f in b.flags] == ["addition"]


def test_a_verse_merged_into_its_neighbours_bead_for_want_of_a_rendering_is_an_omission(
    use_encoder,
):
    """Sura 85 (Yusuf Ali) without the rendering of verse 7 ("And they witnessed (all)
    that they were doing against the Believers."): the aligner puts verses 7 and 8 against
    the rendering of 8. Each verse alone is about as close to it as the document's beads
    are (the words of 7, يفعلون, المؤمنين, شهود, are common in the sura), which the
    similarity test missed; one sentence for two verses of a verse-by-verse translation
    lacks one, the less similar."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "085")
    tgt = tgt[:6] + tgt[7:]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    bead = next(b for b in beads if 6 in b.src)
    assert bead.src == (6, 7), beads
    omissions = [f for f in bead.flags if f.category == "omission"]
    assert [f.src_spans for f in omissions] == [(src[6],)], bead.flags


@pytest.mark.parametrize("sura", ["031", "047"])
def test_verses_of_a_classical_text_are_not_judged_by_their_vectors_alone(use_encoder, sura):
    """Suras 31 and 47 (Yusuf Ali), faithful, with median bead similarities of 0.52 and
    0.54: verse vectors separate a rendering from unrelated text too loosely there to flag
    a verse as saying something else on its vector ("الم" against "A. L. M.")."""
    import align

    src, tgt = corpus_lines("quran-yusufali", sura)
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [f for b in beads for f in b.flags if "say different things" in f.reason] == []


def test_a_verse_opening_with_illa_still_excepts(use_encoder):
    """Sura 72:27 with a "not" put in: a verse may open with إلا continuing the last; written
    with its hamza below it is "except", not the inceptive ألا, and the added "not" is found."""
    arabic = "إلا من ارتضى من رسول فإنه يسلك من بين يديه ومن خلفه رصدا"
    english = (
        '"Except a messenger whom He has not chosen: and then He makes a band of watchers '
        "march before him and behind him,"
    )
    bead = score([*FAITHFUL, (arabic, english)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]


def test_an_added_not_is_found_where_without_renders_doon(use_encoder):
    """UDHR article 2 with a "not" put in: "without distinction" renders دون أي تمييز, and
    the added "not" must not take that دون as its partner (the Arabic has a second دون, of
    a clause the English lacks)."""
    src, tgt = corpus_lines("udhr-articles", "02")
    negated = tgt[1].replace("Everyone is entitled", "Everyone is not entitled", 1)
    assert negated != tgt[1]
    bead = score([*FAITHFUL, (src[1], negated)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]


def test_a_sentence_that_pulls_a_modern_bead_away_is_an_omission(use_encoder):
    """UDHR 13 without its English (2): the aligner merges the two Arabic paragraphs, which
    share their words ("Everyone has the right …"); the second pulls the bead away from the
    English (the first alone is closer to it than the two together)."""
    import align

    src, tgt = corpus_lines("udhr-articles", "13")
    clean = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert not any(b.flags for b in clean)
    beads = align.align_sentences(src, tgt[:2], "ar", "en", use_encoder, cache=False).beads
    bead = next(b for b in beads if 2 in b.src)
    omissions = [f for f in bead.flags if f.category == "omission"]
    assert [f.src_spans for f in omissions] == [(src[2],)], bead.flags


def test_two_sentences_rendered_by_one_are_not_flagged(use_encoder):
    import align

    src = [a for a, _ in FAITHFUL]
    tgt = [
        "The conference, attended by the foreign ministers of several Arab countries, was "
        "held in the capital on Monday.",
        *(e for _, e in FAITHFUL[2:]),
    ]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert beads[0].src == (0, 1) and beads[0].tgt == (0,)
    assert not any(b.flags for b in beads), [b.flags for b in beads if b.flags]


def test_a_sentence_that_pulls_a_bead_of_three_away_is_an_addition(use_encoder):
    """UDHR 7 with a verse put before its two English sentences: the search makes one bead of
    the three; without the verse, the English side is closer to the Arabic. (The aligner
    now leaves the verse unmatched, `detach_strays`: no Arabic sentence comes near it. The
    bead of three, the search's, is what the flag is checked on.)"""
    import align

    src, tgt = corpus_lines("udhr-articles", "07")
    verse = "Enveloping the people: this will be a Penalty Grievous."
    tgt = [tgt[0], verse, *tgt[1:]]
    searched = AlignParams(stray_share=0.0)
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, searched, cache=False).beads
    bead = next(b for b in beads if 1 in b.tgt)
    assert len(bead.tgt) == 3, beads
    additions = [f for f in bead.flags if f.category == "addition"]
    assert [f.tgt_spans for f in additions] == [(verse,)], bead.flags
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [b.status for b in beads if 1 in b.tgt] == ["addition"]
    assert [b.tgt for b in beads if b.src] == [(0,), (2, 3)]


def test_an_inserted_sentence_leaves_its_neighbours_paired(use_encoder):
    """UDHR 9 (three lines) with a verse inserted before its English: the search left the
    article's sentence and its original unmatched beside the verse; they are paired, and
    only the verse is an addition."""
    import align

    src, tgt = corpus_lines("udhr-articles", "09")
    verse = "(Then) shall each soul know what it has put forward."
    tgt = [tgt[0], verse, *tgt[1:]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert [b.status for b in beads] == ["ok", "addition", "ok"]


def test_a_verse_rendered_by_another_verses_translation_is_a_meaning_shift(use_encoder):
    """Sura 82 (Yusuf Ali) with the rendering of verse 6 replaced by that of verse 1 ("When
    the Sky is cleft asunder;"), a case of the benchmark's development half: across
    languages the classical verse's vector alone does not tell (40% of clean beads'
    renderings are closer to another verse), but the translation repeats itself where the
    original does not, and is closer to verse 1 than to verse 6. The flag is on the copy,
    not on verse 1's own rendering."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "082")
    tgt = [*tgt[:5], tgt[0], *tgt[6:]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    copy = next(b for b in beads if 5 in b.tgt)
    repeats = [f for f in copy.flags if "repeats its rendering" in f.reason]
    assert [(f.category, f.tgt_spans) for f in repeats] == [("meaning_shift", (tgt[0],))]
    assert "original sentence 1)" in repeats[0].reason
    first = next(b for b in beads if 0 in b.tgt)
    assert not first.flags, first.flags


def test_a_refrain_repeated_in_both_texts_is_not_a_misplaced_rendering(use_encoder):
    """Sura 77 (Yusuf Ali) repeats "Ah woe, that Day, to the Rejecters of Truth!" ten times,
    as its Arabic repeats ويل يومئذ للمكذبين: the originals are as alike as the renderings."""
    import align

    src, tgt = corpus_lines("quran-yusufali", "077")
    assert sum("Ah woe, that Day" in line for line in tgt) >= 10
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    assert [f for b in beads for f in b.flags if "repeats its rendering" in f.reason] == []


@pytest.mark.parametrize(
    ("sura", "line", "old", "new"),
    [
        (
            "092",
            14,
            "reach it but",
            "reach it, in the sense that the word had among the desert tribes of that age, but",
        ),
        (
            "001",
            1,
            "Cherisher and",
            "Cherisher (the word used here also means a covenant or a binding promise) and",
        ),
    ],
)
def test_an_interpolated_clause_of_a_classical_text_is_a_partial_addition(
    use_encoder, sura, line, old, new
):
    """Suras 92 and 1 (Yusuf Ali), cases of the benchmark's development half: a clause put
    between commas or brackets, whose words find chance counterparts in the verse (the
    window of content words misses it), is judged by its vector in a classical text too,
    against the lower similarities such a text's beads have."""
    import align

    src, tgt = corpus_lines("quran-yusufali", sura)
    assert old in tgt[line]
    tgt = [*tgt[:line], tgt[line].replace(old, new), *tgt[line + 1 :]]
    beads = align.align_sentences(src, tgt, "ar", "en", use_encoder, cache=False).beads
    bead = next(b for b in beads if line in b.tgt)
    added = [f for f in bead.flags if f.category == "addition"]
    assert added and "without it, the translation is" in added[0].reason, bead.flags
    assert any(new.strip(" ,()").split()[-3] in span for f in added for span in f.tgt_spans)


def test_negations_left_alone_on_both_sides_answer_each_other(use_encoder):
    """9:44 (Yusuf Ali): the translator moves the negation from the verb to its object; the
    two are too far apart by place and word links to pair, but each is all the other has."""
    arabic = "لا يستأذنك الذين يؤمنون بالله واليوم الآخر أن يجاهدوا بأموالهم وأنفسهم"
    english = (
        "Those who believe in Allah and the Last Day ask thee for no exemption from "
        "fighting with their goods and persons."
    )
    assert not negations(score([*FAITHFUL, (arabic, english)], use_encoder)[-1])
    dropped = english.replace("for no exemption", "for an exemption")
    bead = score([*FAITHFUL, (arabic, dropped)], use_encoder)[-1]
    assert [f.src_spans for f in negations(bead)] == [("لا",)]


def test_not_so_opening_a_clause_is_an_exception(use_encoder):
    """15:31: "Not so Iblis" renders إلا إبليس ("except Iblis"); a "not" inside the clause
    is still a negation the original lacks."""
    arabic = "إلا إبليس أبى أن يكون مع الساجدين"
    english = "Not so Iblis: he refused to be among those who prostrated themselves."
    assert not negations(score([*FAITHFUL, (arabic, english)], use_encoder)[-1])
    added = "Iblis did not refuse to be among those who prostrated themselves."
    bead = score([*FAITHFUL, (arabic, added)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]


def test_of_no_effect_says_void_not_not(use_encoder):
    """47:28: "He made their deeds of no effect" renders فأحبط أعمالهم ("He voided their
    deeds"); "of no worth" is not one of the idioms and stays a negation."""
    arabic = "ذلك بأنهم اتبعوا ما أسخط الله وكرهوا رضوانه فأحبط أعمالهم"
    english = (
        "This because they followed that which called forth the Wrath of Allah, and they "
        "hated Allah's good pleasure; so He made their deeds of no effect."
    )
    assert not negations(score([*FAITHFUL, (arabic, english)], use_encoder)[-1])
    worth = english.replace("no effect", "no worth")
    bead = score([*FAITHFUL, (arabic, worth)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("no",)]


def test_a_negative_question_that_asserts_is_not_flagged_but_answers_alam(use_encoder):
    """5:31: "Was I not even able …?" renders أعجزت ("am I unable …?"), a question with no
    negation; 26:18: "Did we not cherish thee …?" renders ألم نربك. The same "not" in a
    statement is still a negation the original lacks."""
    arabic = "قال يا ويلتى أعجزت أن أكون مثل هذا الغراب فأواري سوءة أخي"
    question = (
        '"Woe is me!" said he; "Was I not even able to be as this raven, and to hide the '
        'shame of my brother?"'
    )
    assert not negations(score([*FAITHFUL, (arabic, question)], use_encoder)[-1])
    statement = question.replace("Was I not even able", "I was not even able").replace("?", ".")
    bead = score([*FAITHFUL, (arabic, statement)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]
    alam = (
        "قال ألم نربك فينا وليدا",
        '(Pharaoh) said: "Did we not cherish thee as a child among us?"',
    )
    assert not negations(score([*FAITHFUL, alam], use_encoder)[-1])


def test_why_not_questions_and_nowise(use_encoder):
    """11:12: "Why is not a treasure sent down unto him?" renders لولا أنزل عليه كنز, a wish
    with no negation; 43:75: "Nowise will the Punishment be lightened" renders لا يفتر. A
    "not" after "why" outside a question, against an original without لولا, is flagged."""
    lawla = "أن يقولوا لولا أنزل عليه كنز أو جاء معه ملك"
    asked = 'lest they say, "Why is not a treasure sent down unto him, or an angel with him?"'
    assert not negations(score([*FAITHFUL, (lawla, asked)], use_encoder)[-1])
    plain = "أن يقولوا أنزل عليه كنز أو جاء معه ملك"
    told = "lest they say that this is why a treasure is not sent down unto him."
    bead = score([*FAITHFUL, (plain, told)], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("not",)]
    why_do = ("أيتدبرون القرآن", "Why do they not ponder over the Qur'an?")
    assert not negations(score([*FAITHFUL, why_do], use_encoder)[-1])
    nowise = ("لا يفتر عنهم وهم فيه مبلسون", "Nowise will the Punishment be lightened for them.")
    assert not negations(score([*FAITHFUL, nowise], use_encoder)[-1])


def test_not_unaware_is_one_negation(use_encoder):
    """Pickthall 2:74 and ten more: "Allah is not unaware of what ye do" renders وما الله
    بغافل: "not" answers ما, "unaware" is غافل ("heedless"). "Unaware" alone against an
    original with no negation is still a flag."""
    arabic = "وما الله بغافل عما تعملون"
    english = "Allah is not unaware of what ye do."
    assert not negations(score([*FAITHFUL, (arabic, english)], use_encoder)[-1])
    plain = ("الله بصير بما تعملون", "Allah is unaware of what ye do.")
    bead = score([*FAITHFUL, plain], use_encoder)[-1]
    assert [f.tgt_spans for f in negations(bead)] == [("unaware",)]
