"""Tokens, Arabic clitics and word links inside a bead."""

import pytest

from align.wordlinking import link_beads, split_clitics, tokenize


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وعشرا", "عشرا"),  # the conjunction و before a number word
        ("والحرية", "حرية"),  # conjunction and article
        ("بالله", "الله"),
        ("للناس", "ناس"),  # ل with the article
        ("كتابه", "كتاب"),  # an attached pronoun
        ("وجوههم", "وجوه"),
        ("وطن", "وطن"),  # too short to lose its first letter
        ("فرعون", "فرعون"),  # ف of the root
        ("الكرامة", "كرامة"),  # ta marbuta is not a pronoun
    ],
)
def test_clitics_are_separated_where_a_stem_is_left(word, stem):
    assert split_clitics(word)[0] == stem


def test_function_words_are_not_content_with_or_without_clitics():
    assert [split_clitics(w)[1] for w in ("وما", "ولا", "عليهم", "فالذين", "الحياة")] == [
        False,
        False,
        False,
        False,
        True,
    ]


def test_tokens_keep_their_place_in_the_sentence():
    text = "وأعلنت الوزارة، بالأمس، عن ثلاثة قرارات."
    for token in tokenize(text, "ar"):
        assert text[token.start : token.end] == token.text
    english = tokenize("Everyone's right to life, liberty.", "en")
    assert [(t.form, t.content) for t in english] == [
        ("everyone", True),
        ("right", True),
        ("to", False),
        ("life", True),
        ("liberty", True),
    ]


def test_number_words_with_clitics_carry_their_value():
    values = [t.value for t in tokenize("أربعة أشهر وعشرا", "ar")]
    assert values == [4.0, None, 10.0]


def test_words_are_linked_to_their_translation(use_encoder):
    (words,) = link_beads(
        [(["لكل فرد الحق في الحياة والحرية."], ["Everyone has the right to life and liberty."])],
        "ar",
        "en",
        use_encoder,
    )
    pairs = {(words.src[i].form, words.tgt[j].form) for i, j in words.links}
    assert {("حياة", "life"), ("حرية", "liberty")} <= pairs


def test_numbers_and_names_are_linked_by_value_and_spelling(use_encoder):
    (words,) = link_beads(
        [(["تربصن أربعة أشهر وعشرا في الموصل"], ["They waited four months and ten days in Mosul"])],
        "ar",
        "en",
        use_encoder,
    )
    pairs = {(words.src[i].text, words.tgt[j].text) for i, j in words.links}
    assert {("أربعة", "four"), ("وعشرا", "ten"), ("الموصل", "Mosul")} <= pairs


def test_tokens_of_one_document_share_their_strings():
    """A long document's half a million tokens hold each word's text and form once."""
    strings: dict[str, str] = {}
    first = tokenize("The Right to life. " + "Right", "en", 0, strings)
    second = tokenize("the right TO LIFE", "en", 1, strings)
    assert first[1].text is first[4].text  # "Right" twice
    assert first[1].form is second[1].form  # "right"
    assert [t.form for t in second] == ["the", "right", "to", "life"]
    arabic = tokenize("الحق في الحياة", "ar", 0, strings) + tokenize("الحياة", "ar", 1, strings)
    assert arabic[2].text is arabic[3].text
    alone = tokenize("the right", "en")  # without `strings`, nothing is shared between calls
    assert [t.form for t in alone] == ["the", "right"]
