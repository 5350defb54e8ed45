"""Numbers in Arabic and English sentences, and whether the two sides of a bead agree on them.

The ``number_mismatch`` flag needs two things. First, every quantity a sentence states, however
it is written: digits in three digit sets with their separators, English and Arabic number words
(Arabic ones with their attached prefixes, hamza spellings, diacritics and tatweel), and vague
amounts such as "tens of thousands" / "عشرات الآلاف". Second, a comparison of the two sides as
multisets that stays quiet on faithful translations.

Words that are often not numbers at all are read as *weak* quantities: written-out values below
three ("no one", "the One", "اثنين" which is also Monday, English "two" for an Arabic dual that
has no numeral), ordinals ("third", "الحادي عشر"), distributives (مثنى, رباع: "two by two"),
decades ("the 1980s"), and English numbers in a translator's brackets ("all (three) guided") or
in a hyphenated compound ("four-footed"). A weak quantity may absorb a counterpart on the other
side, but a weak quantity left over never raises a flag.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from align.names import in_brackets


@dataclass(frozen=True)
class Quantity:
    """A number read from a text.

    `value` is the number (for a vague quantity, its order of magnitude: 10_000 for "tens of
    thousands"); `exact` is False for vague ones; `text[start:end]` is what was read.
    """

    value: float
    exact: bool
    start: int
    end: int


@dataclass(frozen=True)
class NumberMismatch:
    """Quantities of the original (`src`) and of the translation (`tgt`) with no counterpart."""

    src: tuple[Quantity, ...]
    tgt: tuple[Quantity, ...]
    reason: str


# --- Normalisation: one character in, at most one out, so every position maps back. ---

_IGNORED = frozenset(map(chr, range(0x064B, 0x0660))) | {"\u0670", "\u0640"}  # harakat, tatweel
_FOLDED = {
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    **dict.fromkeys("أإآٱ", "ا"),
    "ى": "ي",
    "ی": "ي",
    "ة": "ه",
}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Drop diacritics, fold digits, hamza forms and case; give each kept char's original index."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _IGNORED:
            continue
        char = _FOLDED.get(char, char)
        lower = char.lower()
        chars.append(lower if len(lower) == 1 else char)
        origin.append(index)
    return "".join(chars), origin


# --- Tokens of the normalised text: numbers written in digits, words, and single marks. ---

# 40,000 / ٤٠٬٠٠٠ / 40.000 / 40 000, with an optional decimal part marked otherwise than groups.
_GROUPED = (
    r"[1-9][0-9]{0,2}(?P<sep>[,٬. \u00a0\u2009\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?![0-9])"
    r"(?:(?!(?P=sep))[.,٫][0-9]+)?"
)
_COMMA_DECIMAL = r"(?<![0-9],)[0-9]+,[0-9]{1,2}(?![0-9]|,[0-9])"  # 3,5 but not a list 1,2,3
_PLAIN = r"[0-9]+(?:[.٫][0-9]+)?"
_TOKEN = re.compile(
    rf"(?P<num>{_GROUPED}|{_COMMA_DECIMAL}|{_PLAIN})|(?P<word>[^\W\d_]+)|(?P<mark>\S)"
)


class _Token(NamedTuple):
    kind: str  # "num", "word" or "mark"
    text: str
    start: int  # span in the normalised text
    end: int
    value: Decimal | None  # for "num"


_YEAR_RANGE = re.compile(r"[12][0-9]{3}[-–/][0-9]{2}")  # 2014-15, a short form of 2014-2015


def _tokens(norm: str) -> list[_Token]:
    """Split normalised text into tokens, parsing digit groups into exact decimals."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(norm):
        value = None
        if match["num"]:
            digits = match["num"].replace(match["sep"], "") if match["sep"] else match["num"]
            value = Decimal(digits.replace("٫", ".").replace(",", "."))
            year = tokens[-2].value if len(tokens) > 1 else None
            if year and _YEAR_RANGE.fullmatch(norm, tokens[-2].start, match.end()):
                value += year - year % 100 + (100 if value <= year % 100 else 0)
        kind = "num" if match["num"] else "word" if match["word"] else "mark"
        tokens.append(_Token(kind, match[0], match.start(), match.end(), value))
    return tokens


def _word(tokens: list[_Token], i: int) -> str:
    """The word at token `i`, or "" if that token is missing or not a word."""
    return tokens[i].text if i < len(tokens) and tokens[i].kind == "word" else ""


def _mark(tokens: list[_Token], i: int) -> str:
    """The punctuation mark at token `i`, or "" if that token is missing or not a mark."""
    return tokens[i].text if i < len(tokens) and tokens[i].kind == "mark" else ""


def _touches(tokens: list[_Token], i: int) -> bool:
    """Whether token `i + 1` follows token `i` with no space between them."""
    return i + 1 < len(tokens) and tokens[i + 1].start == tokens[i].end


@dataclass(frozen=True)
class _Reading:
    """A number read at some token: its value and the index of the first token after it."""

    value: float
    end: int
    exact: bool = True
    weak: bool = False
    unit: float = 1  # the last scale word applied, which "and a half" / "ونصف" is a half of
    decimal: bool = False  # written with a decimal fraction ("2.5 million"), so maybe rounded


# --- Digits, possibly followed by a scale word ("2.5 million", "٤٠ ألف"). ---

_DIGIT_SCALES = {
    "hundred": 100,
    "thousand": 10**3,
    "thousands": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "الف": 10**3,
    "الفا": 10**3,
    "الاف": 10**3,
    "مليون": 10**6,
    "مليونا": 10**6,
    "ملايين": 10**6,
    "مليار": 10**9,
    "مليارا": 10**9,
    "مليارات": 10**9,
    "بليون": 10**9,
    "ترليون": 10**12,
    "تريليون": 10**12,
}


def _read_digits(tokens: list[_Token], i: int) -> _Reading:
    """Read a number written in digits, with an ordinal suffix, a decade 's' or a scale word."""
    value = tokens[i].value
    assert value is not None
    slash = _touches(tokens, i) and _mark(tokens, i + 1) == "/" and _touches(tokens, i + 1)
    if value == 9 and slash and tokens[i + 2].value == 11:
        return _Reading(11.0, i + 3, weak=True)  # 9/11, "الحادي عشر من سبتمبر"
    if _touches(tokens, i):
        suffix = _word(tokens, i + 1)
        if suffix in ("st", "nd", "rd", "th"):  # 21st: an ordinal, weak like "first" if < 3
            return _Reading(float(value), i + 2, weak=value < 3)
        if value % 10 == 0 and value >= 10:  # the 1980s, the 80's: a decade
            if suffix == "s":
                return _Reading(float(value), i + 2, weak=True)
            if _mark(tokens, i + 1) in ("'", "’") and _word(tokens, i + 2) == "s":
                return _Reading(float(value), i + 3, weak=True)
    decimal = value.as_tuple().exponent < 0
    scale = _DIGIT_SCALES.get(_word(tokens, i + 1))
    if scale:
        return _Reading(float(value * scale), i + 2, unit=scale, decimal=decimal)
    return _Reading(float(value), i + 1, decimal=decimal)


# --- English number words. ---


def _numbered(words: str, first: int) -> dict[str, float]:
    """Number the space-separated `words` from `first` on."""
    return {word: float(n) for n, word in enumerate(words.split(), first)}


_EN_UNITS = _numbered(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen",
    0,
)
_EN_TENS = {
    word: 10 * n
    for word, n in _numbered("twenty thirty forty fifty sixty seventy eighty ninety", 2).items()
}
_EN_SCALES = {"dozen": 12.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_MULTIPLIERS = {"hundred": 100.0, **_EN_SCALES}
_EN_VAGUE = {
    "dozens": 10.0,
    "scores": 10.0,
    "tens": 10.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}
_EN_ORDINAL_UNITS = _numbered("first second third fourth fifth sixth seventh eighth ninth", 1)
_EN_ORDINALS = {  # standalone; "first" and "second" are left out as they are rarely numbers
    **{word: n for word, n in _EN_ORDINAL_UNITS.items() if n >= 3},
    **_numbered(
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth"
        " eighteenth nineteenth",
        10,
    ),
    **{word[:-1] + "ieth": n for word, n in _EN_TENS.items()},
    "hundredth": 100.0,
    "thousandth": 1e3,
    "millionth": 1e6,
}
_EN_FRACTIONS = {"half": 0.5, "quarter": 0.25}
_EN_TIMES = {"twice": 2.0, "thrice": 3.0}  # before a number: "the Nights twice five" (عشر)


def _en_tens_units(tokens: list[_Token], i: int) -> tuple[float, int, bool] | None:
    """Read "seven", "forty", "forty-two", "twenty-first" or the older "nine and ninety"
    (not after "between" or "from", where it is a range): (value, end, is_ordinal)."""
    word = _word(tokens, i)
    if (
        1 <= _EN_UNITS.get(word, 0) <= 9
        and _word(tokens, i + 1) == "and"
        and _word(tokens, i + 2) in _EN_TENS
        and (i == 0 or _word(tokens, i - 1) not in ("between", "from"))
    ):
        return _EN_UNITS[word] + _EN_TENS[_word(tokens, i + 2)], i + 3, False
    if word in _EN_TENS:
        after = i + 2 if _mark(tokens, i + 1) in ("-", "‐") else i + 1
        unit = _word(tokens, after)
        if 1 <= _EN_UNITS.get(unit, 0) <= 9:
            return _EN_TENS[word] + _EN_UNITS[unit], after + 1, False
        if unit in _EN_ORDINAL_UNITS:
            return _EN_TENS[word] + _EN_ORDINAL_UNITS[unit], after + 1, True
        return _EN_TENS[word], i + 1, False
    if word in _EN_UNITS:
        return _EN_UNITS[word], i + 1, False
    return None


def _en_group(tokens: list[_Token], i: int, bare: bool) -> tuple[float, int, bool] | None:
    """Read a count below a thousand ("three hundred and fifty", "a hundred").

    With `bare`, a lone multiplier ("thousand") counts as one of it; the multiplier itself,
    except "hundred", is left for the caller.
    """
    word = _word(tokens, i)
    if word == "a" and _word(tokens, i + 1) in _EN_MULTIPLIERS:
        value, end, ordinal = 1.0, i + 1, False
    elif bare and word in _EN_MULTIPLIERS:
        value, end, ordinal = 1.0, i, False
    else:
        tens_units = _en_tens_units(tokens, i)
        if tens_units is None:
            return None
        value, end, ordinal = tens_units
    if not ordinal and _word(tokens, end) == "hundred" and value < 100:
        value, end = value * 100, end + 1
        after = end + 1 if _word(tokens, end) == "and" else end
        rest = _en_tens_units(tokens, after)
        if rest is not None:
            value, end, ordinal = value + rest[0], rest[1], rest[2]
    return value, end, ordinal


def _and_a_half(tokens: list[_Token], i: int) -> bool:
    return (_word(tokens, i), _word(tokens, i + 1), _word(tokens, i + 2)) == ("and", "a", "half")


def _read_english(tokens: list[_Token], i: int) -> _Reading | None:
    """Read English number words starting at token `i`."""
    word = _word(tokens, i)
    if word in _EN_VAGUE:  # "thousands", "tens of thousands"
        value, larger = _EN_VAGUE[word], _word(tokens, i + 2)
        if _word(tokens, i + 1) == "of" and _EN_VAGUE.get(larger, 0) > max(value, 100):
            return _Reading(value * _EN_VAGUE[larger], i + 3, exact=False)
        return _Reading(value, i + 1, exact=False)
    if word in ("several", "few"):  # "a few hundred", "several thousand"
        value, end = 1.0, i + 1
        while _word(tokens, end) in _EN_MULTIPLIERS:
            value, end = value * _EN_MULTIPLIERS[_word(tokens, end)], end + 1
        return _Reading(value, end, exact=False) if end > i + 1 else None
    if word in _EN_FRACTIONS:  # "half a million", "a quarter of a million"
        end = i + 1
        if _word(tokens, end) == "of":
            end += 1
        if _word(tokens, end) == "a":
            end += 1
        multiplier = _EN_MULTIPLIERS.get(_word(tokens, end))
        return _Reading(_EN_FRACTIONS[word] * multiplier, end + 1) if multiplier else None
    if word in _EN_ORDINALS:
        return _Reading(_EN_ORDINALS[word], i + 1, weak=True)
    if word in _EN_TIMES:
        times = _read_english(tokens, i + 1)
        if times is None or times.weak or not times.exact:
            return None
        value = times.value * _EN_TIMES[word]
        return replace(times, value=value, weak=value < 3)
    group = _en_group(tokens, i, bare=True)
    if group is None:
        return None
    value, end, ordinal = group
    if ordinal:
        return _Reading(value, end, weak=True)
    total, unit = 0.0, 1.0
    while True:
        if _and_a_half(tokens, end):  # "two and a half million", "a million and a half"
            if value:
                value += 0.5
            else:
                total += 0.5 * unit
            end += 3
        scale = _EN_SCALES.get(_word(tokens, end))
        if scale is None:
            break
        total, value, unit, end = total + value * scale, 0.0, scale, end + 1
        after = end + 1 if _word(tokens, end) == "and" else end
        group = _en_group(tokens, after, bare=False)
        if group is not None and not group[2] and group[0] < scale:
            value, end = group[0], group[1]
    total += value
    return _Reading(total, end, weak=total < 3, unit=unit)


# --- Arabic number words, in normalised spelling (ا for أ إ آ, ه for ة, ي for ى). ---

_AR_UNIT_STEMS = {3: "ثلاث", 4: "اربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان", 9: "تسع"}
_AR_LEXICON: dict[str, tuple[str, float]] = {
    "صفر": ("unit", 0.0),
    **dict.fromkeys(["واحد", "واحده", "احد", "احدي"], ("unit", 1.0)),
    **dict.fromkeys(
        ["اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي", "ثنتان", "ثنتين"],
        ("unit", 2.0),
    ),
    # with the accusative ending too ("أربعة أشهر وعشرا", "سبعا")
    **{
        stem + end: ("unit", float(n))
        for n, stem in _AR_UNIT_STEMS.items()
        for end in ("", "ه", "ا")
    },
    "ثماني": ("unit", 8.0),
    "ثمانيه": ("unit", 8.0),
    **dict.fromkeys(["عشر", "عشره", "عشرا"], ("unit", 10.0)),
    **{
        stem + end: ("tens", 10.0 * n)
        for n, stem in {2: "عشر", **_AR_UNIT_STEMS}.items()
        for end in ("ون", "ين")
    },
    **dict.fromkeys(["مئه", "مائه"], ("hundred", 100.0)),
    **dict.fromkeys(
        ["مئتان", "مئتين", "مئتا", "مئتي", "مائتان", "مائتين", "مائتا", "مائتي"],
        ("hundred", 200.0),
    ),
    **{
        stem + hundred: ("hundred", 100.0 * n)
        for n, stem in _AR_UNIT_STEMS.items()
        for hundred in ("مئه", "مائه")
    },
    **dict.fromkeys(["الف", "الفا"], ("scale", 1e3)),
    **dict.fromkeys(["مليون", "مليونا"], ("scale", 1e6)),
    **dict.fromkeys(["مليار", "مليارا", "بليون"], ("scale", 1e9)),
    **dict.fromkeys(["ترليون", "تريليون"], ("scale", 1e12)),
    **dict.fromkeys(["الفان", "الفين", "الفي"], ("dual", 2e3)),
    **dict.fromkeys(["مليونان", "مليونين", "مليوني"], ("dual", 2e6)),
    **dict.fromkeys(["ملياران", "مليارين", "ملياري"], ("dual", 2e9)),
    "الاف": ("plural", 1e3),
    "ملايين": ("plural", 1e6),
    **dict.fromkeys(["مليارات", "بلايين"], ("plural", 1e9)),
    "عشرات": ("vague", 10.0),
    "مئات": ("vague", 100.0),
    **{
        stem + end: ("ordinal", float(n))
        for n, stem in enumerate(
            ["حادي", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر"], 1
        )
        for end in ("", "ه")
    },
    "نصف": ("fraction", 0.5),
    "ربع": ("fraction", 0.25),
    # "two by two, three by three, four by four" (مثنى وثلاث ورباع): weak, as ordinals
    "مثني": ("distributive", 2.0),
    "رباع": ("distributive", 4.0),
}
_AR_LEXICON["ثمانيمئه"] = _AR_LEXICON["ثمانيمائه"] = ("hundred", 800.0)
_AR_NOT_NUMBERS = frozenset({"لست", "بالمئه", "بالمائه"})  # "I am not"; "percent"

_ANY = tuple(
    sorted(
        {
            conj + ("لل" if prep == "ل" and art else prep + art)
            for conj in ("", "و", "ف")
            for prep in ("", "ب", "ك", "ل")
            for art in ("", "ال")
        },
        key=lambda prefix: (len(prefix), prefix),
    )
)
_BARE = ("", "ال")  # a word bound to the one before it: "ثلاثة آلاف", "عشرات الآلاف"
_AND = ("و", "وال")  # a word added to the one before it: "خمسة وعشرون"


def _ar_entry(tokens: list[_Token], i: int, prefixes: tuple[str, ...]) -> tuple[str, float] | None:
    """The lexicon entry of the Arabic word at token `i`, once one of `prefixes` is removed."""
    word = _word(tokens, i)
    if word in _AR_NOT_NUMBERS:
        return None
    for prefix in prefixes:
        if word.startswith(prefix) and (entry := _AR_LEXICON.get(word[len(prefix) :])):
            return entry
    return None


def _ar_units_tens(
    tokens: list[_Token], i: int, prefixes: tuple[str, ...]
) -> tuple[float, int] | None:
    """Read "خمسة", "ثلاثة عشر", "خمسة وعشرون" or "أربعين": (value, end)."""
    entry = _ar_entry(tokens, i, prefixes)
    if entry is None:
        return None
    kind, value = entry
    if kind == "tens":
        return value, i + 1
    if kind != "unit":
        return None
    if 1 <= value <= 9:
        if _ar_entry(tokens, i + 1, _BARE) == ("unit", 10):
            return 10 + value, i + 2
        tens = _ar_entry(tokens, i + 1, _AND)
        if tens is not None and tens[0] == "tens":
            return value + tens[1], i + 2
    return value, i + 1


def _ar_group(tokens: list[_Token], i: int, prefixes: tuple[str, ...]) -> tuple[float, int] | None:
    """Read a count below a thousand ("ثلاثمئة وخمسون", "ثلاث مئة"): (value, end)."""
    entry = _ar_entry(tokens, i, prefixes)
    if entry is None:
        return None
    kind, value = entry
    end = i + 1
    if kind == "unit" and 3 <= value <= 9 and _ar_entry(tokens, end, _BARE) == ("hundred", 100):
        kind, value, end = "hundred", value * 100, end + 1
    if kind == "hundred":
        rest = _ar_units_tens(tokens, end, _AND)
        return (value + rest[0], rest[1]) if rest else (value, end)
    return _ar_units_tens(tokens, i, prefixes)


def _ar_cardinal(tokens: list[_Token], i: int, prefixes: tuple[str, ...]) -> _Reading | None:
    """Read a cardinal up to its scale word: "ثلاثة آلاف", "مئة ألف", "ألفين", "مليون".

    What may follow the scale word after "و" is added by `_ar_rest`.
    """
    group = _ar_group(tokens, i, prefixes)
    if group is not None:
        value, end = group
        scale = _ar_entry(tokens, end, _BARE)
        if scale is None or scale[0] not in ("scale", "plural"):
            return _Reading(value, end)
        value, unit, end = value * scale[1], scale[1], end + 1
    else:
        entry = _ar_entry(tokens, i, prefixes)
        if entry is None or entry[0] not in ("scale", "dual"):
            return None
        value, end = entry[1], i + 1
        unit = value if entry[0] == "scale" else value / 2
    return _Reading(value, end, unit=unit)


def _ar_rest(tokens: list[_Token], reading: _Reading) -> _Reading:
    """Add the smaller part after "و" that follows a scale word.

    "مليون وخمسمئة ألف", "٣ ملايين و٥٠٠ ألف", "ألفين وأربعة عشر"; the part must be smaller than
    the scale, so that "ألف وألف" stays two numbers.
    """
    if reading.unit == 1 or not reading.exact:
        return reading
    end = reading.end
    if _word(tokens, end) == "و" and _touches(tokens, end) and tokens[end + 1].kind == "num":
        rest: _Reading | None = _read_digits(tokens, end + 1)
    else:
        rest = _ar_cardinal(tokens, end, _AND)
    if rest is None or rest.value >= reading.unit:
        return reading
    return _ar_rest(tokens, _Reading(reading.value + rest.value, rest.end, unit=rest.unit))


def _read_arabic(tokens: list[_Token], i: int) -> _Reading | None:
    """Read Arabic number words starting at token `i`."""
    entry = _ar_entry(tokens, i, _ANY)
    if entry is None:
        return None
    kind, value = entry
    if kind == "vague":  # "عشرات", "عشرات الآلاف"
        scale = _ar_entry(tokens, i + 1, _BARE)
        if scale is not None and scale[0] == "plural":
            return _Reading(value * scale[1], i + 2, exact=False)
        return _Reading(value, i + 1, exact=False)
    if kind == "plural":  # "آلاف" on its own
        return _Reading(value, i + 1, exact=False)
    if kind == "ordinal":  # "الثالث", "الحادي عشر", "الحادي والعشرين"
        if value <= 9 and _ar_entry(tokens, i + 1, _BARE) == ("unit", 10):
            return _Reading(10 + value, i + 2, weak=True)
        tens = _ar_entry(tokens, i + 1, _AND)
        if value <= 9 and tens is not None and tens[0] == "tens":
            return _Reading(value + tens[1], i + 2, weak=True)
        return _Reading(value, i + 1, weak=True) if value >= 3 else None
    if kind == "distributive":
        return _Reading(value, i + 1, weak=True)
    if kind == "fraction":  # "نصف مليون"
        scale = _ar_entry(tokens, i + 1, _BARE)
        if scale is not None and scale[0] == "scale":
            return _Reading(value * scale[1], i + 2, unit=scale[1])
        return None
    cardinal = _ar_cardinal(tokens, i, _ANY)
    return None if cardinal is None else replace(cardinal, weak=cardinal.value < 3)


def _add_arabic_half(tokens: list[_Token], reading: _Reading) -> _Reading:
    """Add "ونصف" (a half of the last scale) after the number or its noun ("ثلاث سنوات ونصف")."""
    if not reading.exact or reading.weak:
        return reading
    for at in (reading.end, reading.end + 1):
        if _word(tokens, at) == "ونصف" and (at == reading.end or _word(tokens, reading.end)):
            end = at + 1
            if _ar_entry(tokens, end, _BARE) == ("scale", reading.unit):  # "ونصف المليون"
                end += 1
            return replace(reading, value=reading.value + 0.5 * reading.unit, end=end)
    return reading


def _after_percent(tokens: list[_Token], end: int) -> int:
    """Extend a number over a following percent sign or word ("٪", "بالمئة", "في المئة")."""
    if _mark(tokens, end) in ("%", "٪") or _word(tokens, end) in ("percent", "بالمئه", "بالمائه"):
        return end + 1
    if (_word(tokens, end), _word(tokens, end + 1)) in {
        ("per", "cent"),
        ("في", "المئه"),
        ("في", "المائه"),
    }:
        return end + 2
    return end


@dataclass(frozen=True)
class _Found:
    """A quantity of a text, with what the comparison needs to know about how it was written."""

    quantity: Quantity
    weak: bool
    rounded: bool  # a decimal or a fraction, which a translation may round


# Words a number can begin with, and a quick fold of a text to look for them: most
# sentences state no number, and reading them token by token is what costs.
_EN_STARTERS = frozenset(
    (*_EN_UNITS, *_EN_TENS, *_EN_MULTIPLIERS, *_EN_VAGUE, *_EN_ORDINALS, *_EN_FRACTIONS)
) | {"several", "few"}
_AR_STARTERS = frozenset(prefix + word for prefix in _ANY for word in _AR_LEXICON)
_QUICK_FOLD = str.maketrans({**dict.fromkeys(_IGNORED), **_FOLDED})
_QUICK_WORD = re.compile(r"[^\W\d_]+")


def _may_state_numbers(text: str, arabic: bool) -> bool:
    """False when `text` has no digit and no word a number begins with."""
    folded = text.translate(_QUICK_FOLD).lower()
    if any(map(str.isdigit, folded)):
        return True
    words = set(_QUICK_WORD.findall(folded))
    return not words.isdisjoint(_EN_STARTERS) or (arabic and not words.isdisjoint(_AR_STARTERS))


@lru_cache(maxsize=4096)
def _find(text: str, lang: str) -> tuple[_Found, ...]:
    """Every quantity of `text`, each marked weak or not (cached: word linking and the
    number check read the same sentences)."""
    if not _may_state_numbers(text, lang == "ar"):
        return ()
    norm, origin = _normalise(text)
    tokens = _tokens(norm)
    arabic = lang == "ar"
    found = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        reading = None
        if token.kind == "num":
            reading = _read_digits(tokens, i)
        elif token.kind == "word":
            reading = _read_english(tokens, i) or (_read_arabic(tokens, i) if arabic else None)
        if (
            reading is not None
            and arabic
            and _misread(tokens, i, reading, text[origin[token.start]])
        ):
            reading = None
        if reading is None:
            i += 1
            continue
        if arabic:
            reading = _add_arabic_half(tokens, _ar_rest(tokens, reading))
        end = _after_percent(tokens, reading.end)
        start_char, end_char = origin[token.start], origin[tokens[end - 1].end - 1] + 1
        while end_char < len(text) and text[end_char] in _IGNORED:
            end_char += 1
        quantity = Quantity(reading.value, reading.exact, start_char, end_char)
        rounded = reading.decimal or not reading.value.is_integer()
        # an English number in brackets is a translator's gloss: it may match a number of
        # the original, but without one it is an addition, not a changed number; so is one
        # written out in a compound ("four-footed" for بهيمة, "two-edged")
        weak = reading.weak or (
            not arabic and (in_brackets(text, start_char) or _compound(tokens, i, end))
        )
        found.append(_Found(quantity, weak, rounded))
        i = end
    return tuple(found)


def _compound(tokens: list[_Token], i: int, end: int) -> bool:
    """Whether the number words of tokens `i:end` are joined by a hyphen to a word that is
    not a number: "four-footed", "two-edged" (not "twenty-one", read as one number)."""
    return (
        tokens[i].kind == "word"
        and _mark(tokens, end) in ("-", "‐")
        and _touches(tokens, end - 1)
        and _touches(tokens, end)
        and bool(_word(tokens, end + 1))
    )


def _misread(tokens: list[_Token], i: int, reading: _Reading, first: str) -> bool:
    """Whether an Arabic word read as a number is another word spelt alike once normalised:
    a word whose first letter carries a hamza (`first`) has no article, so ألست is "am I
    not", not السِّتّ "the six"; and ألف before بين (or بينهم …) is the verb "brought
    together" (ألّف بين قلوبكم), as a thousand is followed by what it counts."""
    word = tokens[i].text
    if first in "أإآ" and word.startswith("ال") and word not in _AR_LEXICON:
        return True
    thousand = _ar_entry(tokens, i, _ANY) == ("scale", 1000.0) and reading.end == i + 1
    return thousand and _word(tokens, i + 1).startswith("بين")  # بين, بينهم, بينكم


def extract_numbers(text: str, lang: str) -> list[Quantity]:
    """Every quantity stated in `text`, in order.

    `lang` is "ar" (Arabic and English words) or anything else (English words only); digits
    are read in every language. Ordinals from "third" on and decades ("the 1980s") are
    returned too, as `compare_numbers` needs them to match "11th" with "الحادي عشر".
    """
    return [found.quantity for found in _find(text, lang)]


# --- Comparison. ---


def _exact_pair(a: _Found, b: _Found) -> bool:
    """Equal exact values; decimals and fractions may differ by 0.5 % (rounding), integers not."""
    if not (a.quantity.exact and b.quantity.exact):
        return False
    x, y = a.quantity.value, b.quantity.value
    if not (a.rounded or b.rounded):
        return x == y
    return abs(x - y) <= 0.005 * max(abs(x), abs(y))


def _vague_pair(a: _Found, b: _Found) -> bool:
    """Vague quantities of the same magnitude: "thousands" ~ "آلاف"."""
    return not a.quantity.exact and not b.quantity.exact and a.quantity.value == b.quantity.value


def _magnitude_pair(a: _Found, b: _Found) -> bool:
    """An exact quantity within the order of magnitude of a vague one: 30,000 ~ "عشرات الآلاف"."""
    if a.quantity.exact == b.quantity.exact:
        return False
    exact, vague = (a.quantity, b.quantity) if a.quantity.exact else (b.quantity, a.quantity)
    return vague.value <= exact.value < 10 * vague.value


def _unmatched(src: list[_Found], tgt: list[_Found]) -> tuple[list[_Found], list[_Found]]:
    """Pair quantities across sides (strong ones first) and return those left on each side,
    less repetitions of a value already paired ("live a thousand years. And to live (a
    thousand years) would ..." against one ألف سنة)."""
    src = sorted(src, key=lambda found: found.weak)
    tgt = sorted(tgt, key=lambda found: found.weak)
    paired = set()
    for fits in (_exact_pair, _vague_pair, _magnitude_pair):
        for a in list(src):
            b = next((b for b in tgt if fits(a, b)), None)
            if b is not None:
                src.remove(a)
                tgt.remove(b)
                paired |= {a.quantity.value, b.quantity.value}
    return (
        [f for f in src if f.quantity.value not in paired],
        [f for f in tgt if f.quantity.value not in paired],
    )


def _written(text: str, quantities: tuple[Quantity, ...]) -> str:
    return " and ".join(text[q.start : q.end] for q in quantities)


def compare_numbers(
    src_text: str, src_lang: str, tgt_text: str, tgt_lang: str
) -> NumberMismatch | None:
    """The quantities an original (`src`) and its translation (`tgt`) do not share, if that matters.

    Weak quantities left over are ignored. What is left flags the bead if it holds an exact
    quantity, or vague quantities on both sides ("thousands" against "مئات"); a vague quantity
    left on one side only is taken as a loose rendering, not a changed number. Once the bead is
    flagged, a side with nothing else left names its leftover weak quantities from two on, so
    that "two fronts" against "ثلاث جبهات" reads as a substitution.
    """
    src_left, tgt_left = _unmatched(_find(src_text, src_lang), _find(tgt_text, tgt_lang))
    src = tuple(found.quantity for found in src_left if not found.weak)
    tgt = tuple(found.quantity for found in tgt_left if not found.weak)
    if not (src and tgt) and not any(q.exact for q in src + tgt):
        return None
    src = src or tuple(found.quantity for found in src_left if found.quantity.value >= 2)
    tgt = tgt or tuple(found.quantity for found in tgt_left if found.quantity.value >= 2)
    if src and tgt:
        reason = (
            f"{_written(tgt_text, tgt)} in the translation vs "
            f"{_written(src_text, src)} in the original"
        )
    elif src:
        verb = "has" if len(src) == 1 else "have"
        reason = (
            f"{_written(src_text, src)} in the original {verb} no counterpart in the translation"
        )
    else:
        verb = "has" if len(tgt) == 1 else "have"
        reason = (
            f"{_written(tgt_text, tgt)} in the translation {verb} no counterpart in the original"
        )
    return NumberMismatch(src, tgt, reason)
