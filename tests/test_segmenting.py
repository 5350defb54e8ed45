import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.segmenting import (
    arabic_share,
    is_lead_in,
    looks_like,
    read_presplit,
    sentence_edges,
    split_sentences,
)


def texts(sentences):
    return [s.text for s in sentences]


def test_arabic_question_mark_ends_a_sentence_but_comma_and_semicolon_do_not():
    text = "هل انتهت الحرب؟ لا، لم تنته بعد؛ بل اشتدت. وماذا بعد؟"
    assert texts(split_sentences(text, "ar")) == [
        "هل انتهت الحرب؟",
        "لا، لم تنته بعد؛ بل اشتدت.",
        "وماذا بعد؟",
    ]


def test_arabic_initials_and_decimals_do_not_split():
    text = "قال د. محمد إن النسبة بلغت ٣٫٥٪ عام ٢٠١٤. وكتب إيليا ج. مانييه المقال."
    assert texts(split_sentences(text, "ar")) == [
        "قال د. محمد إن النسبة بلغت ٣٫٥٪ عام ٢٠١٤.",
        "وكتب إيليا ج. مانييه المقال.",
    ]


def test_english_abbreviations_do_not_split():
    text = "The U.S. envoy met Mr. Smith at 5 p.m. on Monday. Then he left."
    assert texts(split_sentences(text, "en")) == [
        "The U.S. envoy met Mr. Smith at 5 p.m. on Monday.",
        "Then he left.",
    ]


def test_paragraphs_are_numbered_and_short_lines_are_their_own_segments():
    text = "After Mosul\nBy Elijah J.Magnier\n\nFirst sentence. Second one.\n\n\nLast one."
    sentences = split_sentences(text, "en")
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("After Mosul", 0),
        ("By Elijah J.Magnier", 0),
        ("First sentence.", 1),
        ("Second one.", 1),
        ("Last one.", 2),
    ]


def test_hard_wrapped_prose_is_joined_before_splitting():
    text = (
        "The attack on the city was initiated from three main fronts, and\n"
        "other secondary fronts were opened to control the outskirts of\n"
        "the city. Forty thousand officers and volunteers were deployed\n"
        "on the first day of the battle.\n"
    )
    assert texts(split_sentences(text, "en")) == [
        "The attack on the city was initiated from three main fronts, and other secondary "
        "fronts were opened to control the outskirts of the city.",
        "Forty thousand officers and volunteers were deployed on the first day of the battle.",
    ]


def test_displayed_text_keeps_diacritics_and_tatweel():
    text = "بدأت النهايـــة للتنظيم. وأُعلنت الخِلافة."
    assert texts(split_sentences(text, "ar")) == ["بدأت النهايـــة للتنظيم.", "وأُعلنت الخِلافة."]


def test_presplit_reads_one_sentence_per_line_and_blank_lines_as_paragraphs():
    sentences = read_presplit("one\r\ntwo  \n\n  three\n\n")
    assert [(s.text, s.paragraph) for s in sentences] == [("one", 0), ("two", 0), ("three", 1)]


def test_language_check():
    assert looks_like("هذا نص عربي مع كلمة English واحدة", "ar")
    assert not looks_like("This is English", "ar")
    assert looks_like("This is English", "en")
    assert arabic_share("123 ...") == 0.0


alphabet = st.sampled_from([*list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ٠١٢٣٤٥٦٧٨٩.؟!،؛\n"), "\n\n"])


@given(st.lists(alphabet, max_size=200).map("".join))
def test_no_character_is_lost_or_reordered(text):
    joined = "".join(texts(split_sentences(text, "ar")))
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)


def test_sentence_edges_are_the_first_and_last_clauses_of_at_least_some_length():
    verse = "فإن حاجوك فقل أسلمت وجهي لله ومن اتبعن ۗ وقل أأسلمتم ۚ والله بصير بالعباد"
    assert sentence_edges(verse, 12) == (
        "فإن حاجوك فقل أسلمت وجهي لله ومن اتبعن ۗ",
        "والله بصير بالعباد",
    )
    assert sentence_edges("Lo! Allah is Forgiving, Merciful.", 20) == (
        "Lo! Allah is Forgiving,",
        "Allah is Forgiving, Merciful.",
    )
    assert sentence_edges("O ye fools!", 20) == ("O ye fools!", "O ye fools!")


def test_a_lead_in_is_a_few_words_ending_in_a_comma_or_colon():
    assert is_lead_in("Now, therefore,") and is_lead_in("He said:") and is_lead_in("وبعد،")
    assert not is_lead_in("The General Assembly")
    # a recital ending in a comma says something of its own
    assert not is_lead_in(
        "Whereas it is essential to promote the development of friendly relations,"
    )


@pytest.mark.parametrize(
    "text",
    [
        *("Alif.", "Mim", "Ha-Mim", "Alif. Lam. Mim.", "Ya Sin.", "A'in.", "Alif, Lam, Mim, Sad."),
        "Ya. '",  # Yusuf Ali's sura 19: the quote mark of "'Ain" split off with "Ya."
    ],
)
def test_the_names_of_the_letters_opening_a_sura_are_a_lead_in(text):
    assert is_lead_in(text)


@pytest.mark.parametrize(
    "text", ["Sad: By the Qur'an, Full of Admonition", "The Ha.", "...", "", "'"]
)
def test_a_sentence_with_a_letter_name_in_it_is_no_lead_in(text):
    assert not is_lead_in(text)
