"""Tests for align.names: English proper names with no counterpart in the Arabic original."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.names import (
    _AR_WORD,
    _BIT,
    NameMismatch,
    _mask,
    _normalise_ar,
    _Source,
    lower_case_words,
    name_candidates,
    name_mismatches,
    renderings,
)


def flagged(ar: str, en: str) -> list[str]:
    """The names flagged in the English of an Arabic -> English pair."""
    return [m.name for m in name_mismatches(ar, "ar", en, "en")]


def candidates(en: str) -> list[str]:
    return [en[a:b] for a, b in name_candidates(en)]


# --- Faithful pairs raise nothing ---


@pytest.mark.parametrize(
    ("ar", "en"),
    [
        ("دخل الجيش مدينة الموصل أمس.", "Yesterday the army entered the city of Mosul."),
        ("انطلق الهجوم من بعشيقة.", "The attack started from Bashiqa."),
        ("سيحتفظ بعاصمته في سوريا، الرقة.", "They will keep their capital in Syria, Raqqa."),
        ("في الجزء الشرقي من حلب", "in the Eastern part of Aleppo"),
        (
            "أعلن زعيم التنظيم أبو بكر البغدادي قيام الخلافة.",
            "The leader of ISIS, Abu Bakr Al-Baghdadi, announced the caliphate.",
        ),
        ("ولقد آتينا موسى الكتاب", "And We gave Moses the Book."),
        ("وإذ قال موسى لفتاه", "Behold, Moses said to his attendant"),
        ("إلى فرعون وملئه", "to Pharaoh and his chiefs"),
        ("أطلق رئيس الوزراء حيدر العبادي المعركة", "Prime Minister Haidar Abadi launched it."),
        ("والقوات الكردية والعراقية", "and the Kurdish and Iraqi forces"),
        ("في الجيش العراقي", "in the Iraqi army, as the Iraqis say"),
        ("بين روسيا والولايات المتحدة", "between Russia and the United States"),
        ("بين روسيا والولايات المتحدة", "between Russia and the US"),
        ("في مدينة لوزان السويسرية", "in the Swiss city of Lausanne"),
        ("في مكة", "in Makkah"),
        ("دخلت القوات تلعفر ونينوى وأبوظبي", "The forces entered Tal Afar, Nineveh and Abu Dhabi."),
        ("هجوم لتنظيم القاعدة", "an attack by Al Qaeda"),
        ("ووهبنا له إسحاق", "and We gave him Ishaq"),
        ("وإسماعيل وإدريس", "and Isma`il and Idris"),
        ("يا أيها الذين آمنوا", "O ye who believe!"),
        ("قل يا أيها الذين هادوا", 'Say: "O ye that stand on Judaism!'),  # 62:6, Yusuf Ali
        ("", ""),
    ],
)
def test_transliterations_and_exonyms_match(ar: str, en: str) -> None:
    assert flagged(ar, en) == []


NEWS_NAMES = [
    *[("Baghdad", "بغداد"), ("Beirut", "بيروت"), ("Jeddah", "جدة"), ("Riyadh", "الرياض")],
    *[("Kuwait", "الكويت"), ("Bahrain", "البحرين"), ("Gaza", "غزة"), ("Homs", "حمص")],
    *[("Latakia", "اللاذقية"), ("Idlib", "إدلب"), ("Kirkuk", "كركوك"), ("Fallujah", "الفلوجة")],
    *[("Tikrit", "تكريت"), ("Khartoum", "الخرطوم"), ("Washington", "واشنطن"), ("Cairo", "القاهرة")],
    *[
        ("Putin", "بوتين"),
        ("Erdogan", "أردوغان"),
        ("Hezbollah", "حزب الله"),
        ("Gaddafi", "القذافي"),
    ],
    *[("Mohammed", "محمد"), ("Khamenei", "خامنئي"), ("Euphrates", "الفرات"), ("Hebron", "الخليل")],
]


@pytest.mark.parametrize(("en", "ar"), NEWS_NAMES)
def test_names_of_the_news_match_and_are_missed_when_replaced(en: str, ar: str) -> None:
    english = f"The delegation reached {en} yesterday."
    assert flagged(f"وصل الوفد إلى {ar} أمس", english) == []
    assert flagged("وصل الوفد إلى مدينة أخرى أمس", english) == [en]


def test_a_verse_of_the_quran_is_faithful() -> None:
    ar = "وإذ يرفع إبراهيم القواعد من البيت وإسماعيل ربنا تقبل منا إنك أنت السميع العليم"
    en = (
        "And remember Abraham and Isma'il raised the foundations of the House (With this"
        ' prayer): "Our Lord! Accept (this service) from us: For Thou art the All-Hearing,'
        " the All-knowing."
    )
    assert flagged(ar, en) == []


# --- A name the original does not have is flagged, with its span and reason ---


def test_a_swapped_place_is_flagged() -> None:
    ar = "وعلى أطراف تدمر"
    en = "and the army at the outskirts of Aleppo, the ancient city"
    (mismatch,) = name_mismatches(ar, "ar", en, "en")
    start = en.index("Aleppo")
    assert mismatch == NameMismatch(
        "Aleppo", start, start + 6, "“Aleppo” (حلب expected) has no counterpart in the original"
    )


def test_a_swapped_prophet_is_flagged_through_the_exonym_table() -> None:
    ar = "ولقد أرسلنا موسى بآياتنا"
    en = "And We sent Pharaoh with Our Signs."
    (mismatch,) = name_mismatches(ar, "ar", en, "en")
    assert (mismatch.name, en[mismatch.start : mismatch.end]) == ("Pharaoh", "Pharaoh")
    assert mismatch.reason == "“Pharaoh” (فرعون expected) has no counterpart in the original"


def test_a_transliterated_name_swapped_for_another_is_flagged() -> None:
    ar = "أعلن زعيم التنظيم أبو بكر البغدادي قيام الخلافة."
    assert flagged(ar, "The leader, Abu Bakr Al-Julani, announced it.") == ["Al-Julani"]


@pytest.mark.parametrize(
    ("ar", "en"),
    [
        ("في هذا الإعلان", "set forth in this Declaration"),
        ("بحماية المجتمع والدولة", "to protection by society and the State"),
        ("داخل حدود كل دولة", "within the borders of each State"),
        ("بين الدول الأعضاء ذاتها", "among the peoples of Member States themselves"),
        ("مع مبادئ الأمم المتحدة", "contrary to the principles of the United Nations"),
        ("في ميثاق الأمم المتحدة", "in the Charter of the United Nations"),
    ],
)
def test_institutional_terms_match_their_arabic(ar: str, en: str) -> None:
    assert flagged(ar, en) == []


@pytest.mark.parametrize(
    ("ar", "en", "name"),
    [
        # the UDHR's capitalised terms swapped for one another (bench/divergence.py)
        ("بحماية المجتمع والدولة", "to protection by society and the Declaration", "Declaration"),
        ("في هذا الإعلان", "set forth in this United", "United"),
        (
            "مع مبادئ الأمم المتحدة",
            "contrary to the principles of the Declaration Nations",
            "Declaration",
        ),
        # دولي "international" is no دول "States"; أية is no ولاية
        ("بنظام اجتماعي دولي … في هذا الإعلان", "an international order … in this State", "State"),
        (
            "ضد أي تمييز يخل بهذا الإعلان دون أية تفرقة",
            "any discrimination against this State",
            "State",
        ),
    ],
)
def test_an_institutional_term_put_for_another_is_flagged(ar: str, en: str, name: str) -> None:
    assert flagged(ar, en) == [name]


def test_adjacent_missing_words_make_one_mismatch() -> None:
    ar = "أعلن زعيم التنظيم أبو بكر البغدادي قيام الخلافة."
    en = "The leader, Abu Bakr Al-Baghdadi, met Haidar Abadi."
    (mismatch,) = name_mismatches(ar, "ar", en, "en")
    assert mismatch.name == "Haidar Abadi"
    assert en[mismatch.start : mismatch.end] == "Haidar Abadi"
    assert mismatch.reason == "“Haidar Abadi” has no counterpart in the original"


def test_every_occurrence_is_flagged() -> None:
    en = "from Raqqa to Mosul and back to Raqqa"
    assert flagged("من الموصل إلى الموصل", en) == ["Raqqa", "Raqqa"]


def test_acronyms_and_phrases_of_the_table() -> None:
    assert flagged("بين روسيا والصين", "between Russia and the US’s allies") == ["US’s"]
    assert flagged("بين روسيا والصين", "between Russia and the United States") == ["United States"]
    assert flagged("قرار الأمم المتحدة", "a resolution of the United Nations") == []


# --- What is not a candidate ---


def test_sentence_initial_words_are_not_candidates() -> None:
    en = 'Aleppo fell.\nRaqqa held. He said: "Mosul is next." Then, (Tikrit) too.'
    assert candidates(en) == []
    assert flagged("سقطت المدينة", en) == []


def test_divine_pronouns_and_translated_words_are_not_candidates() -> None:
    en = (
        "Say: He is Allah, the One; to Him We sent Our Messenger and His Book, and Thou art"
        " the Lord of the Day of Judgment, of the Fire and of the Garden. Thee do We praise,"
        " O Thou Most Gracious, Most Merciful, Oft-Forgiving."
    )
    assert candidates(en) == []


def test_capitalised_common_words_are_not_candidates() -> None:
    en = (
        "and a bringer of Glad Tidings, a Guide to their Fish; he hath Chosen the Believers"
        " on the Day of Distress, and Allah is Full of Pity, Knower of Things Hidden."
    )
    assert candidates(en) == []


def test_acronyms_glosses_and_headlines_are_not_candidates() -> None:
    assert candidates("attacks by ISIS and the PMU near the SAA") == []
    assert candidates("and they shall return unto US, and I'll see") == []
    assert candidates("And when ye said: (O Muhammad) we are weary") == []
    assert candidates("After the Liberation of Mosul: Where to for ISIS?") == []


def test_names_after_titles_and_vocatives_are_candidates() -> None:
    en = "and Prime Minister Haidar Abadi said: O Salih! Is this the Valley of Tuwa?"
    assert candidates(en) == ["Haidar", "Abadi", "Salih", "Tuwa"]


# --- Other languages ---


@pytest.mark.parametrize(("src_lang", "tgt_lang"), [("en", "ar"), ("ar", "fr"), ("fr", "en")])
def test_other_language_pairs_give_nothing(src_lang: str, tgt_lang: str) -> None:
    assert name_mismatches("أطراف تدمر", src_lang, "outskirts of Aleppo", tgt_lang) == []


@given(st.text(alphabet="AaBbMmoOsSuU حلبموصل.,:!'-()\n", max_size=80))
def test_spans_point_at_the_names(en: str) -> None:
    for mismatch in name_mismatches("حلب", "ar", en, "en"):
        assert en[mismatch.start : mismatch.end] == mismatch.name
        assert mismatch.name in mismatch.reason


# --- The cheap bound before the spelling comparison ---


def test_the_bound_on_a_whole_word_never_rules_out_a_close_spelling() -> None:
    """`_Reading.may_match` skips the comparison of every skeleton pair when letters of the
    English name are missing from all the Arabic word's skeletons; it must never skip a pair
    that `_close` accepts, and should skip most (that is what it is for). `renderings` asks
    a looser bound of all the words at once first: it finds what asking each word finds."""
    from align.names import _bare, _close, _en_forms, _en_skeleton, _reading, _word_source

    english = [
        "Mosul",
        "Bashiqa",
        "Raqqa",
        "Aleppo",
        "Baghdadi",
        "Moses",
        "Pharaoh",
        "Abadi",
        "Ishaq",
        "Idris",
        "Makkah",
    ]
    english += [
        "Lausanne",
        "Nineveh",
        "Qaeda",
        "Jonah",
        "Elias",
        "Abraham",
        "Solomon",
        "Mary",
        "Jesus",
        "Lot",
        "Noah",
    ]
    arabic = [
        "الموصل",
        "بعشيقة",
        "الرقة",
        "حلب",
        "البغدادي",
        "موسى",
        "فرعون",
        "العبادي",
        "إسحاق",
        "إدريس",
        "مكة",
        "لوزان",
        "نينوى",
        "القاعدة",
        "يونس",
        "إلياس",
        "إبراهيم",
        "سليمان",
        "مريم",
        "عيسى",
        "لوط",
        "نوح",
        "الجيش",
        "المدينة",
        "أعلن",
        "الكتاب",
        "والقوات",
        "لفتاه",
        "وملئه",
        "الشرقي",
        "روسيا",
        "والولايات",
        "المتحدة",
        "آتينا",
        "قال",
    ]
    pairs = ruled_out = 0
    for en in english:
        for form in _en_forms(_bare(en)):
            for skeleton in {_en_skeleton(form), _en_skeleton(form, digraphs=False)} - {""}:
                for ar in arabic:
                    source = _word_source(ar)
                    pairs += 1
                    if not _reading(skeleton).may_match(source.letters):
                        ruled_out += 1
                        assert not any(_close(skeleton, s) for s in source.skeletons), (en, ar)
    assert ruled_out > pairs / 2
    for en in english:
        found = [k for k, ar in enumerate(arabic) if _word_source(ar).has(_bare(en))]
        assert renderings(en, arabic) == found, en


def test_a_words_letters_bound_every_skeleton_of_its_readings() -> None:
    """`_Source.letters`, read off the text, holds every letter class of every skeleton of
    every reading (a looser set would rule out a word wrongly: the bound's only duty)."""
    corpora = Path(__file__).parent.parent / "corpora"
    text = (corpora / "udhr-articles" / "00.src").read_text(encoding="utf-8")
    text += (corpora / "quran-pickthall" / "012.src").read_text(encoding="utf-8")
    words = set(_AR_WORD.findall(_normalise_ar(text))) | {"قبلتهم", "عبد الله"}
    for word in sorted(words):
        source = _Source(word)
        classes = {c for skeleton in source.skeletons for letter in skeleton for c in letter}
        assert classes <= _BIT.keys(), word
        assert _mask(classes) & ~source.letters == 0, word


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Mosul", [0]), ("Pharaoh", [1]), ("Allah", [2]), ("Raqqa", [3]), ("Jonah", [])],
)
def test_renderings_are_the_words_that_can_spell_a_name(name: str, expected: list[int]) -> None:
    words = ["الموصل", "وفرعون", "والله", "الرقة", "جن", "كتاب"]
    assert renderings(name, words) == expected


def test_a_word_the_translation_writes_in_lower_case_elsewhere_is_no_name() -> None:
    """Yusuf Ali capitalises common words for emphasis ("the two hosts Met"): where the
    document writes the word in lower case, it is not read as a name."""
    ar = "إن الذين تولوا منكم يوم التقى الجمعان إنما استزلهم الشيطان"
    en = "Those of you who turned back on the day the two hosts Met, it was Satan who led them."
    assert flagged(ar, en) == ["Met"]
    document = lower_case_words([en, "And when they met in battle."])
    assert [m.name for m in name_mismatches(ar, "ar", en, "en", document)] == []
    assert "Satan" in candidates(en) and "met" in document and "Satan".lower() not in document
