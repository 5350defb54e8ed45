"""Tests for align.numerals: reading numbers in Arabic and English, and comparing two sides."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.numerals import Quantity, compare_numbers, extract_numbers

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def read(text: str, lang: str = "en") -> list[tuple[float, bool, str]]:
    """(value, exact, text read) of every quantity of `text`."""
    return [(q.value, q.exact, text[q.start : q.end]) for q in extract_numbers(text, lang)]


def values(text: str, lang: str = "en") -> list[float]:
    return [q.value for q in extract_numbers(text, lang)]


# --- Digits ---


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("since July 2014, when", "en", [2014]),
        ("منذ تموز ٢٠١٤", "ar", [2014]),
        ("منذ تموز ۲۰۱۴", "ar", [2014]),
        ("at 7 and 12", "en", [7, 12]),
    ],
)
def test_digit_systems(text: str, lang: str, expected: list[float]) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40,000 officers", 40_000),
        ("٤٠٬٠٠٠ ضابط", 40_000),
        ("40.000 Offiziere", 40_000),
        ("40 000 officers", 40_000),
        ("1,234,567 votes", 1_234_567),
        ("١٬٠٠٠٬٠٠٠", 1_000_000),
        ("1.000.000,5", 1_000_000.5),
        ("1,000.25", 1000.25),
    ],
)
def test_thousands_separators(text: str, expected: float) -> None:
    assert values(text, "ar") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3.5 km", 3.5), ("٣٫٥ كم", 3.5), ("3,5 km", 3.5), ("0.125 mm", 0.125), ("2014.", 2014)],
)
def test_decimals(text: str, expected: float) -> None:
    assert values(text, "ar") == [expected]


def test_a_comma_list_is_not_a_decimal() -> None:
    assert values("items 1,2,3") == [1, 2, 3]


def test_short_year_ranges_are_expanded() -> None:
    assert values("the 2014-15 season and 1999–00") == [2014, 2015, 1999, 2000]
    assert values("pages 12-15") == [12, 15]


def test_percentages_keep_the_number_and_cover_the_sign() -> None:
    assert read("up 45% from 3.5%") == [(45, True, "45%"), (3.5, True, "3.5%")]
    assert read("ارتفع ٤٥٪ أو ثلاثون في المئة أو ٢٠ بالمئة", "ar") == [
        (45, True, "٤٥٪"),
        (30, True, "ثلاثون في المئة"),
        (20, True, "٢٠ بالمئة"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 million people", 5_000_000),
        ("2.5 billion dollars", 2_500_000_000),
        ("$1.2bn", 1_200_000_000),
        ("40 thousand", 40_000),
        ("٥ ملايين شخص", 5_000_000),
        ("3 آلاف مقاتل", 3000),
        ("٤٠ ألف ضابط", 40_000),
        ("٤٠ ألفاً", 40_000),
        ("٣ ملايين و٥٠٠ ألف", 3_500_000),
    ],
)
def test_scale_words_after_digits_multiply(text: str, expected: float) -> None:
    assert values(text, "ar") == [expected]


# --- English words ---


@pytest.mark.parametrize(
    ("text", "expected", "written"),
    [
        ("forty thousand officers", 40_000, "forty thousand"),
        ("three hundred and fifty men", 350, "three hundred and fifty"),
        ("two thousand fighters", 2000, "two thousand"),
        ("forty-two", 42, "forty-two"),
        ("a thousand and one nights", 1001, "a thousand and one"),
        ("a hundred days", 100, "a hundred"),
        ("fifteen hundred", 1500, "fifteen hundred"),
        ("two million three hundred thousand", 2_300_000, "two million three hundred thousand"),
        ("a dozen eggs", 12, "a dozen"),
        ("one and a half million", 1_500_000, "one and a half million"),
        ("a million and a half", 1_500_000, "a million and a half"),
        ("half a million", 500_000, "half a million"),
        ("Nineteen", 19, "Nineteen"),
    ],
)
def test_english_words(text: str, expected: float, written: str) -> None:
    assert read(text) == [(expected, True, written)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dozens of people", 10),
        ("hundreds of people", 100),
        ("thousands of fighters", 1000),
        ("tens of thousands of leaflets", 10_000),
        ("hundreds of thousands of people", 100_000),
        ("millions of people", 1_000_000),
        ("a few hundred people", 100),
        ("several thousand people", 1000),
    ],
)
def test_english_vague_quantities(text: str, expected: float) -> None:
    [(value, exact, _)] = read(text)
    assert (value, exact) == (expected, False)


def test_first_and_second_are_not_numbers() -> None:
    assert values("the first time, a second chance") == []


# --- Arabic words ---


@pytest.mark.parametrize(
    ("text", "expected", "written"),
    [
        ("وثلاثة آلاف مقاتل", 3000, "وثلاثة آلاف"),
        ("ألفين", 2000, "ألفين"),
        ("الفين", 2000, "الفين"),
        ("أربعين ألف", 40_000, "أربعين ألف"),
        ("خمسة وعشرين ألفا", 25_000, "خمسة وعشرين ألفا"),
        ("أحد عشر ألفا", 11_000, "أحد عشر ألفا"),
        ("بثلاثة", 3, "بثلاثة"),
        ("الخمسة", 5, "الخمسة"),
        ("للخمسة", 5, "للخمسة"),
        ("اثنا عشر", 12, "اثنا عشر"),
        ("إحدى عشرة دولة", 11, "إحدى عشرة"),
        ("ثلاثمئة وخمسون", 350, "ثلاثمئة وخمسون"),
        ("ثلاثمائة", 300, "ثلاثمائة"),
        ("ثلاث مئة", 300, "ثلاث مئة"),
        ("مئة وخمسة وعشرون", 125, "مئة وخمسة وعشرون"),
        ("مئتي ألف", 200_000, "مئتي ألف"),
        ("عام ألفين وأربعة عشر", 2014, "ألفين وأربعة عشر"),
        ("ألف وتسعمئة وثمانون", 1980, "ألف وتسعمئة وثمانون"),
        ("مليون وخمسمئة ألف", 1_500_000, "مليون وخمسمئة ألف"),
        ("مليونين ونصف المليون", 2_500_000, "مليونين ونصف المليون"),
        ("ثلاث سنوات ونصف", 3.5, "ثلاث سنوات ونصف"),
        ("نصف مليون نازح", 500_000, "نصف مليون"),
        ("مليار دولار", 1e9, "مليار"),
    ],
)
def test_arabic_words(text: str, expected: float, written: str) -> None:
    assert read(text, "ar") == [(expected, True, written)]


@pytest.mark.parametrize(
    ("text", "expected", "written"),
    [
        ("عشرات الآلاف من المنشورات", 10_000, "عشرات الآلاف"),
        ("مئات الآلاف", 100_000, "مئات الآلاف"),
        ("مئات القتلى", 100, "مئات"),
        ("عشرات", 10, "عشرات"),
        ("آلاف المقاتلين", 1000, "آلاف"),
        ("وصل إلى الآلاف", 1000, "الآلاف"),
        ("ملايين", 1e6, "ملايين"),
    ],
)
def test_arabic_vague_quantities(text: str, expected: float, written: str) -> None:
    assert read(text, "ar") == [(expected, False, written)]


def test_separate_arabic_numbers_stay_separate() -> None:
    assert values("ثلاثة وأربعة", "ar") == [3, 4]
    assert values("بين مئة ألف ومئتي ألف", "ar") == [100_000, 200_000]


def test_arabic_non_numbers() -> None:
    assert values("لست أدري، هذه المرة الأولى", "ar") == []


def test_words_spelt_like_numbers_once_normalised_are_not_numbers() -> None:
    """ألست ("am I not") is not السِّتّ ("the six"): the article never carries a hamza; ألّف
    بين ("brought together") is not a thousand, which is followed by what it counts."""
    assert values("ألست بربكم", "ar") == []
    assert values("الست سنوات", "ar") == [6]
    assert values("فألف بين قلوبكم", "ar") == values("ولكن الله ألف بينهم", "ar") == []
    assert values("ألف سنة", "ar") == values("الألف", "ar") == [1000]
    assert values("آلاف الناس", "ar") == [1000]


def test_older_english_numbers_put_the_units_first() -> None:
    """Yusuf Ali's "nine and ninety ewes" (38:23) is 99, as تسع وتسعون; after "between" the
    same words are a range."""
    assert values("He has nine and ninety ewes", "en") == [99]
    assert values("four and twenty blackbirds", "en") == [24]
    assert values("between two and forty", "en") == [2, 40]


def test_arabic_words_are_not_read_in_english_mode() -> None:
    assert values("ثلاثة", "en") == []


def test_spans_point_into_the_original_text_through_diacritics_and_tatweel() -> None:
    text = "قُتِلَ ثـلاثـةُ آلافٍ، و٤٠٬٠٠٠ جُرِحوا"
    found = extract_numbers(text, "ar")
    assert [q.value for q in found] == [3000, 40_000]
    assert text[found[0].start : found[0].end] == "ثـلاثـةُ آلافٍ"
    assert text[found[1].start : found[1].end] == "٤٠٬٠٠٠"
    assert found[1] == Quantity(40_000, True, text.index("٤"), text.index(" جُ"))


# --- compare_numbers ---


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("منذ تموز ٢٠١٤", "since July 2014"),
        ("تم نشر ٤٠ ألف ضابط", "40,000 officers were deployed"),
        ("تم نشر أربعين ألف ضابط", "forty thousand officers were deployed"),
        ("ألقيت عشرات الآلاف من المنشورات", "Tens of thousands of leaflets were dropped"),
        ("يخشى أن يفر آلاف المقاتلين", "thousands of fighters may escape"),
        ("قتل نحو ٣٠ ألفا", "tens of thousands were killed"),
        ("ارتفعت بنسبة ٣٫٥٪", "rose by 3.5%"),
        ("مليونان ونصف", "2.5 million"),
        ("في القرن الحادي والعشرين", "in the 21st century"),
        ("منذ هجمات الحادي عشر من سبتمبر", "since the 9/11 attacks"),
        ("في ثمانينيات القرن الماضي", "in the 1980s"),
        ("هذه هي المرة الأولى", "This is the first time"),
        ("الفرقة التاسعة", "the 9th Division"),
        ("بدأ الهجوم من ثلاث جبهات", "The attack came from three fronts"),
        ("لا أرقام هنا", "no numbers here"),
    ],
)
def test_faithful_numbers_match(src: str, tgt: str) -> None:
    assert compare_numbers(src, "ar", tgt, "en") is None


def test_no_one_is_not_a_number() -> None:
    assert compare_numbers("لم يبق أحد", "ar", "No one remained", "en") is None
    assert compare_numbers("هو الأحد", "ar", "He is the One", "en") is None


def test_arabic_dual_against_english_two() -> None:
    assert compare_numbers("التقى الرئيسان", "ar", "The two presidents met", "en") is None
    assert compare_numbers("لسببين", "ar", "for two reasons", "en") is None


def test_changed_number_across_scripts_is_named() -> None:
    mismatch = compare_numbers("تم نشر ٣٠ ألف ضابط", "ar", "40,000 officers were deployed", "en")
    assert mismatch is not None
    assert [q.value for q in mismatch.src] == [30_000]
    assert [q.value for q in mismatch.tgt] == [40_000]
    assert mismatch.reason == "40,000 in the translation vs ٣٠ ألف in the original"


def test_changed_number_digits_against_words() -> None:
    mismatch = compare_numbers("ضمت ثلاثة آلاف مقاتل", "ar", "it took in 2000 fighters", "en")
    assert mismatch is not None
    assert "2000" in mismatch.reason and "ثلاثة آلاف" in mismatch.reason


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("منذ تموز ٢٠١٤", "since July 2015"),
        ("بدأ الهجوم من ثلاث جبهات", "The attack came from four fronts"),
        ("بدأ الهجوم من ثلاث جبهات", "The attack came from two fronts"),
        ("لسببين", "for three reasons"),
        ("ألقيت عشرات الآلاف من المنشورات", "Thousands of leaflets were dropped"),
        ("ارتفعت بنسبة ٣٫٥٪", "rose by 4.5%"),
        ("قتل ١٢ وجرح ٣٥", "12 were killed and 53 wounded"),
        ("مليونان ونصف", "3.5 million"),
    ],
)
def test_changed_numbers_are_flagged(src: str, tgt: str) -> None:
    assert compare_numbers(src, "ar", tgt, "en") is not None


def test_one_sided_number_reason() -> None:
    mismatch = compare_numbers("منذ تموز ٢٠١٤", "ar", "since July", "en")
    assert mismatch is not None and mismatch.tgt == ()
    assert mismatch.reason == "٢٠١٤ in the original has no counterpart in the translation"


def test_one_sided_vague_quantity_is_not_flagged() -> None:
    assert compare_numbers("قتل العشرات", "ar", "many were killed", "en") is None


def test_twice_or_thrice_a_number_is_their_product() -> None:
    # Sura 89:2, وليال عشر: Yusuf Ali's "By the Nights twice five" was a false alarm.
    assert values("By the Nights twice five;") == [10]
    assert values("thrice seven days") == [21]
    assert compare_numbers("وليال عشر", "ar", "By the Nights twice five;", "en") is None
    assert compare_numbers("وليال عشر", "ar", "By the Nights twice six;", "en") is not None
    # "twice" alone is no quantity: "tried once or twice", "twice as great"
    assert values("tried every year once or twice") == []
    assert values("one twice as great") == [1]


def test_decimals_match_within_rounding_but_integers_exactly() -> None:
    assert compare_numbers("٣٫٥٠١ مليون", "ar", "3.5 million", "en") is None
    assert compare_numbers("عام ٢٠١٤", "ar", "in 2015", "en") is not None


# --- Properties ---


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**9))
def test_any_integer_reads_back_in_every_writing(n: int) -> None:
    for text in (
        str(n),
        str(n).translate(ARABIC_INDIC),
        str(n).translate(EASTERN),
        grouped(n, ","),
        grouped(n, "٬").translate(ARABIC_INDIC),
        grouped(n, "."),
        grouped(n, " "),
    ):
        assert values(f"نحو {text} شخص", "ar") == [n], text
        assert values(f"about {text} people", "en") == [n], text


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_digits_compare_by_value_across_scripts(n: int, m: int) -> None:
    src = f"قتل {grouped(n, '٬').translate(ARABIC_INDIC)} شخص"
    tgt = f"{grouped(m, ',')} people were killed"
    assert (compare_numbers(src, "ar", tgt, "en") is None) == (n == m)


SENTENCE_CHARS = (
    "0123456789٠١٢٣٤٥٦٧٨٩,.٬٫%/ -'abcthousandonetwo" + " ثلاثةألفينعشراتوالنصفمي\u064e\u0640"
)


@given(st.text(alphabet=SENTENCE_CHARS, max_size=60))
def test_a_sentence_matches_itself(text: str) -> None:
    for lang in ("ar", "en"):
        assert compare_numbers(text, lang, text, lang) is None
        for q in extract_numbers(text, lang):
            assert 0 <= q.start < q.end <= len(text)


def test_a_number_in_a_translators_brackets_is_a_gloss() -> None:
    """6:84 (Yusuf Ali): "all (three) guided" for كلا هدينا: a bracketed number with no
    counterpart is the translator's addition, not a changed number; one that replaces a number
    of the original is still a mismatch, and outside brackets the same number is flagged."""
    assert compare_numbers("كلا هدينا", "ar", "all (three) guided", "en") is None
    assert compare_numbers("ثلاثة", "ar", "(three)", "en") is None
    changed = compare_numbers("ثلاثة", "ar", "(five)", "en")
    assert (
        changed is not None and changed.reason == "five in the translation vs ثلاثة in the original"
    )
    assert compare_numbers("كلا هدينا", "ar", "all three guided", "en") is not None


def test_a_number_in_a_compound_word_is_no_count() -> None:
    """5:1 (Yusuf Ali): "all four-footed animals" for بهيمة الأنعام: a written-out number
    joined to a word by a hyphen says what a thing is like, not how many; it may still match
    a number of the original. "twenty-one" stays one number."""
    assert compare_numbers("أحلت لكم بهيمة الأنعام", "ar", "all four-footed animals", "en") is None
    assert compare_numbers("ثلاثة أيام", "ar", "a three-day fast", "en") is None
    assert compare_numbers("أحلت لكم بهيمة الأنعام", "ar", "all four animals", "en") is not None
    assert read("twenty-one days") == [(21.0, True, "twenty-one")]
    assert compare_numbers("عشرون يوما", "ar", "twenty-one days", "en") is not None


def test_two_three_four_by_turns_are_numbers() -> None:
    """4:3 and 35:1: مثنى وثلاث ورباع, "two, three or four": رباع is four (by four)."""
    assert compare_numbers("مثنى وثلاث ورباع", "ar", "Two or three or four", "en") is None
    assert values("مثنى وثلاث ورباع", "ar") == [2, 3, 4]
