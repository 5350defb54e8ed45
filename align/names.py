"""Proper names of an English translation that have no counterpart in its Arabic original.

The ``name_mismatch`` flag. A name in the English ("Aleppo", "Pharaoh") should come from a name
in the Arabic: a transliteration of it (الموصل for "Mosul") or, for exonyms that a
transliteration cannot explain, a fixed equivalent (فرعون for "Pharaoh"). Both sides are
reduced to consonant skeletons (Arabic letters and English spellings mapped to shared consonant
classes, vowels dropped, long vowels and ta marbuta cheap to skip) and compared with a weighted
edit distance that lets longer names differ by one consonant.

A false flag on a faithful translation costs more than a miss, so every doubt goes the quiet
way: only capitalised words inside a sentence are candidates, never sentence-initial words,
acronyms, words in brackets (translator's glosses), title-case lines, or capitalised common
words (divine pronouns, "Lord", "Fire", "Article", agent nouns in -er, adjectives in -ful,
words after "a" or "their", phrases like "Day of Distress").
Callers joining several sentences should join them with newlines: a line start counts as a
sentence start.
"""

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np


@dataclass(frozen=True)
class NameMismatch:
    """A name of the translation, `name` = tgt_text[start:end], with no counterpart in the
    original; `reason` says so in one sentence."""

    name: str
    start: int
    end: int
    reason: str


# --- Arabic normalisation ---

_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")  # diacritics, dagger alif, tatweel
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_AR_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]+")


def _normalise_ar(text: str) -> str:
    """Drop diacritics and tatweel, fold hamza seats and alif maqsura: one spelling per word."""
    return _HARAKAT.sub("", text).translate(_AR_FOLD)


_AR_CLITICS = ("و", "ف")
_AR_PREPOSITIONS = ("ب", "ل", "ك")
_AR_SUFFIXES = ("يون", "يين", "ية", "ون", "ين", "ات", "ي", "ها", "هم", "ه", "كم", "نا", "ا", "وا")


@lru_cache(maxsize=65536)
def _ar_forms(word: str) -> frozenset[str]:
    """An Arabic word with and without its clitics: و/ف, ب/ل/ك, the article, then one or two
    suffixes. All readings are kept, since a stem may itself begin or end with these letters."""
    forms = {word}
    for prefixes in (_AR_CLITICS, _AR_PREPOSITIONS):
        forms |= {f[1:] for f in forms if f[:1] in prefixes and len(f) > 3}
    forms |= {f[2:] for f in forms if f.startswith(("ال", "لل")) and len(f) > 3}
    for _ in range(2):
        stems = {f[: -len(s)] for f in forms for s in _AR_SUFFIXES if f.endswith(s)}
        forms |= stems | {f[:-1] + "ة" for f in stems if f.endswith("ت")}  # قبلتهم: قبلة
    return frozenset(f for f in forms if len(f) >= 2)


# --- Exonyms: English names whose Arabic form is not a transliteration of them. ---

# English (lower case, singular) -> Arabic forms without the article. A name found here is
# matched by these forms only, not by its skeleton: "Jonah" must not pass for جن.
_EXONYM_SPELLINGS: dict[str, tuple[str, ...]] = {
    "moses": ("موسى",),
    "jesus": ("عيسى", "مسيح", "يسوع"),
    "christ": ("مسيح",),
    "messiah": ("مسيح",),
    "abraham": ("إبراهيم",),
    "noah": ("نوح",),
    "pharaoh": ("فرعون",),
    "joseph": ("يوسف",),
    "mary": ("مريم",),
    "gabriel": ("جبريل", "جبرائيل"),
    "michael": ("ميكال", "ميكائيل"),
    "solomon": ("سليمان",),
    "david": ("داود", "داوود"),
    "jacob": ("يعقوب",),
    "isaac": ("إسحاق",),
    "ishmael": ("إسماعيل",),
    "aaron": ("هارون",),
    "lot": ("لوط",),
    "jonah": ("يونس", "النون"),
    "jonas": ("يونس", "النون"),
    "john": ("يحيى", "يوحنا"),
    "zachariah": ("زكريا",),
    "zacharias": ("زكريا",),
    "elias": ("إلياس", "إل ياسين"),
    "elijah": ("إلياس", "إل ياسين"),
    "elisha": ("اليسع",),
    "job": ("أيوب",),
    "enoch": ("إدريس",),
    "ezekiel": ("ذا الكفل", "ذو الكفل"),
    "goliath": ("جالوت",),
    "saul": ("طالوت",),
    "korah": ("قارون",),
    "adam": ("آدم",),
    "eve": ("حواء",),
    "satan": ("شيطان", "شياطين", "إبليس"),
    "shaitan": ("شيطان", "شياطين", "إبليس"),
    "gehenna": ("جهنم",),
    "israel": ("إسرائيل",),
    "israelite": ("إسرائيل",),
    "midian": ("مدين",),
    "sheba": ("سبأ",),
    "babel": ("بابل",),
    "babylon": ("بابل",),
    "mecca": ("مكة", "بكة"),
    "makka": ("مكة", "بكة"),
    "becca": ("مكة", "بكة"),
    "medina": ("مدينة", "يثرب"),
    "madinah": ("مدينة", "يثرب"),
    "egypt": ("مصر",),
    "jerusalem": ("قدس", "أورشليم", "مقدس"),
    "levant": ("شام",),
    "syria": ("سوريا", "سورية", "شام"),
    "damascus": ("دمشق", "شام"),
    "sirius": ("شعرى",),
    "palmyra": ("تدمر",),
    "aleppo": ("حلب",),
    "hebron": ("الخليل",),
    "jaffa": ("يافا",),
    "sidon": ("صيدا",),
    "tyre": ("صور",),
    "acre": ("عكا",),
    "nazareth": ("الناصرة",),
    "bethlehem": ("بيت لحم",),
    "tigris": ("دجلة",),
    "euphrates": ("الفرات",),
    "cairo": ("القاهرة",),
    "alexandria": ("الإسكندرية",),
    "morocco": ("المغرب", "مغربي"),
    "algeria": ("الجزائر", "جزائري"),
    "algiers": ("الجزائر",),
    "cyprus": ("قبرص",),
    "chechnya": ("الشيشان",),
    "rome": ("روما",),
    "jordan": ("أردن",),
    "christian": ("نصارى", "نصراني", "مسيحي"),
    "nazarene": ("نصارى", "نصراني"),
    "jew": ("يهود", "يهودي", "هود", "هادوا"),
    "jewry": ("يهود", "يهودي", "هود", "هادوا"),
    "jewish": ("يهود", "يهودي", "هود", "هادوا"),
    "judaism": ("يهودية", "يهود", "هود", "هادوا"),
    "torah": ("توراة",),
    "gospel": ("إنجيل",),
    "psalm": ("زبور", "زبر"),
    "sabbath": ("سبت",),
    "roman": ("روم",),
    "byzantine": ("روم",),
    "magian": ("مجوس",),
    "zoroastrian": ("مجوس",),
    "sabian": ("صابئون", "صابئين"),
    "sabaean": ("صابئون", "صابئين"),
    "islam": ("إسلام", "مسلم", "مسلمون", "مسلمين", "أسلم", "سلم"),
    "muslim": ("مسلم", "مسلمون", "مسلمين", "إسلام", "أسلم"),
    "arab": ("عرب", "أعراب", "عربي"),
    "arabia": ("عرب", "سعودية"),
    "bedouin": ("أعراب", "بدو"),
    "persia": ("فارس", "إيران"),
    "russia": ("روسيا",),
    "america": ("أمريكا", "أميركا", "أمريكي", "أميركي", "ولايات"),
    "united states": ("الولايات المتحدة", "ولايات", "أمريكا", "أميركا", "أمريكي", "أميركي"),
    "united nations": ("الأمم المتحدة", "أمم"),
    # Institutional terms written with a capital in treaties and declarations: common nouns
    # in English, with one Arabic word each, so that one put for another is found ("the
    # protection of society and the Declaration" against حماية المجتمع والدولة).
    "united": ("متحدة", "موحدة"),
    "declaration": ("إعلان",),
    "charter": ("ميثاق",),
    "state": ("دولة",),  # not دول: دولي is "international"; not ولاية, read as و + ل + أية
    "states": ("دول", "دولة"),
    "britain": ("بريطانيا",),
    "british": ("بريطانيا", "بريطاني"),
    "england": ("إنجلترا", "إنكلترا", "بريطانيا"),
    "france": ("فرنسا", "فرنسي"),
    "french": ("فرنسا", "فرنسي"),
    "germany": ("ألمانيا", "ألماني"),
    "german": ("ألمانيا", "ألماني"),
    "greece": ("يونان",),
    "greek": ("يونان", "يوناني", "إغريق", "روم"),
    "spain": ("إسبانيا", "إسباني"),
    "turkey": ("تركيا", "ترك", "تركي"),
    "switzerland": ("سويسرا", "سويسري"),
    "swiss": ("سويسرا", "سويسري"),
    "netherlands": ("هولندا",),
    "dutch": ("هولندا", "هولندي"),
    "europe": ("أوروبا", "أوربا", "أوروبي", "أوربي"),
    "china": ("صين",),
    "chinese": ("صين", "صيني"),
    "japan": ("يابان",),
    "india": ("هند", "هندي"),
    "ethiopia": ("حبشة", "إثيوبيا"),
    "kurd": ("كرد", "أكراد", "كردي"),
}

# Acronyms (written in capitals) with their Arabic forms; other acronyms are never candidates.
_ACRONYM_SPELLINGS: dict[str, tuple[str, ...]] = {
    "US": _EXONYM_SPELLINGS["united states"],
    "USA": _EXONYM_SPELLINGS["united states"],
    "UN": _EXONYM_SPELLINGS["united nations"],
    "UK": ("بريطانيا", "بريطاني", "المملكة المتحدة"),
}

# Names of several words, looked up as a whole before their words are.
_PHRASES = re.compile(r"\bUnited\s+(?:States|Nations)\b")


def _forms_of(table: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """Each entry's Arabic forms, normalised and also without their suffixes (فرنسا: فرنس), to
    meet the forms of the source's words."""
    return {
        key: frozenset(
            form
            for spelling in spellings
            for form in _ar_forms(_normalise_ar(spelling).replace(" ", ""))
            if len(form) >= 3
        )
        for key, spellings in table.items()
    }


_EXONYMS = _forms_of(_EXONYM_SPELLINGS)
_ACRONYMS = _forms_of(_ACRONYM_SPELLINGS)


# --- English: which capitalised words are name candidates ---

_APOSTROPHES = "'’‘`´ʻʼʽʾʿ′"  # for hamza and ʿayn as much as for English
_WORD = re.compile(rf"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[{_APOSTROPHES}-]+[A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_HYPHEN = re.compile(rf"[{_APOSTROPHES}]*-[{_APOSTROPHES}]*")
_SENTENCE_END = ".!?:;…"
_OPENERS = "\"'“‘«([{—–-"
_CLOSERS = "\"'”’»)]} \t"
# Words after which a capitalised word is a common noun or a verb: articles, possessives,
# modals and auxiliaries ("a Guide", "their Fish", "may Turn", "hath Chosen").
_BEFORE_COMMON = frozenset(
    (
        *("a", "an", "his", "her", "its", "their", "our", "your", "my", "thy", "thine", "every"),
        *("each", "no", "any", "some", "this", "these", "those", "may", "might", "shall"),
        *("should", "will", "would", "can", "could", "must", "ye", "thou", "has", "have", "had"),
        *("hath", "hast", "did", "didst", "do", "does", "doth", "not", "never"),
    )
)
# Words after which "US" is the pronoun ("unto US"), not the United States.
_PREPOSITIONS = frozenset(
    ("to", "unto", "from", "with", "by", "upon", "for", "before", "against", "toward", "towards")
)
# What joins the words of one capitalised phrase: a space, or "of" with an optional determiner.
_LINK = re.compile(r"\s+(?:of\s+(?:(?:the|his|her|its|their|our|your|my|thy)\s+)?)?")


def _words(text: str) -> frozenset[str]:
    """The words of a text: word lists read better as text than as tuples of strings."""
    return frozenset(text.split())


# Capitalised words that are never names, lower case: pronouns (translations of scripture
# capitalise divine pronouns), determiners, particles, auxiliaries, interjections, and name
# particles standing alone ("Al Qaeda": the name is the next word).
_FUNCTION = _words(
    """
    i o oh lo ah ye you your yours yourself yourselves he him his himself she her hers herself
    it its itself we us our ours ourselves they them their theirs themselves thou thee thy thine
    thyself me my mine myself who whom whose whoever whosoever whatever whichever which what
    that this these those there here therein one ones none all any some each every both either
    neither other others another such everyone everybody everything someone somebody something
    anyone anybody anything nobody nothing nay yea yes no not verily truly indeed surely very
    whereas and or nor but if so then than for to of in on at by with from into unto upon as
    also even only now when where while why how after before since until till though although
    because lest towards the a an is are was were be been am has have had hath hast doth art
    wert wouldst shalt canst do does did say let may might must shall should will would can
    could more much many most less least few several said ourself thus hence herein hereby
    thereof therefore thereby wherein whereby up down out off over today tomorrow yesterday aye
    anon al el ul
    """
)
# Names of Arabic letters, read out where some suras open ("Alif Lam Mim", "Ha Meem").
_LETTER_NAMES = _words("alif lam mim meem ra ha ta tay sin seen kaf qaf nun noon sad saad ain ya")
# Capitalised words that go before names and do not make them common: titles, and kinds of
# places and bodies ("Prime Minister Haidar", "Valley of Tuwa", "City of Mosul").
_HEADS = _words(
    """
    mr mrs ms dr sir madam president prime minister king queen prince princess emir sheikh
    shaikh sultan caliph imam mufti pope bishop general colonel major captain lieutenant
    sergeant commander chief governor mayor senator ambassador secretary chairman director judge
    professor doctor saint st prophet messenger apostle mount mountain lake river sea gulf bay
    cape island strait desert valley city town village province governorate district region
    state kingdom republic emirate university bank battle port camp square street road bridge
    palace mosque church temple tomb
    """
)
# Nouns, adjectives and verbs that translations of scripture, law and news capitalise, lower
# case and singular; with _HEADS, _FUNCTION and the endings below, the common words.
_CONTENT = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december month year north south east west eastern
    western northern southern central upper lower middle new old great greater grand little big
    holy sacred blessed united allah god goddess deity lord master book scripture writ day night
    morning evening dawn daybreak sunset hour time age era season hell fire flame blaze garden
    paradise heaven earth world universe sky throne seat footstool judgment judgement
    resurrection hereafter afterlife reckoning sign token message revelation reminder criterion
    truth faith mercy grace praise glory wisdom knowledge guidance law light word name command
    will power might strength spirit soul angel devil demon jinn genie unbelief unbeliever
    believer infidel pagan hypocrite idolater idol companion people folk nation child children
    son daughter father mother brother sister family tribe clan household house home abode
    dwelling country land empire union government ministry army force council assembly
    parliament congress senate court party front organization organisation committee commission
    agency office department bureau institute college school synagogue shrine sanctuary altar
    ark tablet pen scroll mountain hill tree sun moon star planet cave path way gate door
    covenant promise decree term end goal limit reward penalty punishment torment doom wrath
    peace bounty bliss tidings sustenance provision blast cry shout noise trumpet calamity event
    deluge flood pilgrimage prayer fast charity alms sacrifice worship religion creed life death
    living dead eternal eternity good evil right wrong true false just full clear straight best
    high highest last first second third final supreme sublime exalted mighty wise gracious
    merciful compassionate beneficent generous forgiving powerful knowing hearing seeing aware
    able strong weak rich free glorious majestic absolute infinite independent sufficient worthy
    loving tremendous awful grievous manifest hidden unseen unknown visible invisible pure near
    far kind like ready certain sure swift fierce mild stern strict left black white green red
    yellow blue dark bright male female ever oft human mankind humanity man men woman women
    person rights declaration charter article chapter section part preamble annex member
    universal general international national federal public social economic political hand face
    countenance presence eye heart sight record register parable example similitude host servant
    slave friend guardian protector helper owner patron witness warner seer self account return
    cause fear hope trust desire joy pity delight honour honor victory triumph loss gain help
    proof story tale verse symbol plan plot sin misery distress pain wind rain cloud storm
    thunder water fountain spring fount sea ocean fish bird bee ant camel cattle horse beast
    animal fruit grain palm olive fig grape vine wine milk honey food bread pearl coral ruby
    gold silver iron stone rock wood ship boat cup robe garment carpet cushion lamp niche seal
    fact thing group company realm dominion favour favor
    """
)
_COMMON = _FUNCTION | _HEADS | _CONTENT | _LETTER_NAMES
_NOT_IN_PHRASES = _FUNCTION | _HEADS
# Endings of English common nouns, adjectives and verbs ("Forgiveness", "Revelation",
# "Merciful", "Creator", "Sovereignty", "Informed"), and English spellings ("Place", "Sight"),
# rare in a transliterated name.
_COMMON_ENDING = re.compile(
    r"(?:ness|tion|sion|ment|ity|ance|ence|ant|ent|ful|less|ous|ive|able|ible|ship|hood|dom"
    r"|ism|ist|ing|eth|est|ly|er|or|ure|ward|some|ted|sed|ked|ved|red|ied|ned|ized|rmed|ual|nal"
    r"|ral|ial|tal|val|ular|ty|cy|gy|ory|ery|ary|mony|worthy|ee|ss|[bcdfghklmnprstvz]e)$"
    r"|ght|igh|wh|tch|dge|ck|ea(?!$)"
)

# Name particles written before a hyphen ("Al-Baghdadi", "Dhu'l-Qarneyn"): the name follows.
_PARTICLES = _words("al el ul as ash at ath ad adh ar az an abu abi ibn bin umm dhu dhul zul")
_EN_SUFFIXES = ("ians", "ian", "ans", "an", "ese", "ish", "ites", "ite", "ic", "is", "i", "es", "s")


_CLITIC_END = re.compile(rf"[{_APOSTROPHES}](?:s|ll|ve|re|m)?$")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_SENTENCE_PIECE = re.compile(r"[^.!?…\n]+")
_NOT_LATIN = re.compile(r"[^A-Za-z]")


@lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    """The word without a possessive or a contraction ("US’s", "Moses'", "I'll")."""
    return _CLITIC_END.sub("", word)


def _particle(part: str) -> bool:
    """Whether a part of a hyphenated word is a name particle ("Al", "Dhu'l")."""
    return _APOSTROPHE.sub("", part.lower()) in _PARTICLES


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    """A lower-case word without a possessive or a plural ending ("Cities" -> "city")."""
    word = _bare(word.lower())
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


@lru_cache(maxsize=65536)
def _en_forms(word: str) -> tuple[str, ...]:
    """Readings of an English name to look up: without a possessive, a leading particle
    ("Al-"), or an ending of nationality or plural ("Iraqis" -> "iraq"); lower case."""
    parts = _HYPHEN.split(_bare(word.lower()))
    while len(parts) > 1 and _particle(parts[0]):
        parts = parts[1:]
    forms = ["".join(parts), *(parts if len(parts) > 1 else [])]
    forms += [f[:-1] for f in forms if f.endswith("ah")]  # "Makkah": "makka"
    for suffix in _EN_SUFFIXES:
        forms += [f[: -len(suffix)] for f in forms if f.endswith(suffix) and len(f) > len(suffix)]
    return tuple(dict.fromkeys(forms))


def _initial(text: str, start: int) -> bool:
    """Whether the word at `start` begins the text, a line, a sentence, a quotation, a bracket or
    a clause after a dash (`say, "Behold!`, `(O mankind!) Call`, `"Three" - Cease!`)."""
    before = text[:start].rstrip(" \t")
    if not before or before[-1] in _SENTENCE_END + _OPENERS + "\n":
        return True
    closed = before.rstrip(_CLOSERS)
    return closed != before and (not closed or closed[-1] in _SENTENCE_END)


def in_brackets(text: str, start: int) -> bool:
    """Whether `start` lies inside (...) or [...] on its line: in a translation, the
    translator's gloss ("all (three) guided"), not the original's words."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    return before.count("(") > before.count(")") or before.count("[") > before.count("]")


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of headlines and credits ("After the Liberation of Mosul"): sentences of three
    words or more whose every word of four letters or more is capitalised."""
    spans = []
    for sentence in _SENTENCE_PIECE.finditer(text):
        words = _WORD.findall(sentence.group())
        if len(words) >= 3 and not any(w[0].islower() and len(w) > 3 for w in words):
            spans.append(sentence.span())
    return spans


def _known(word: str) -> bool:
    """Whether the word is a name of the exonym table ("Moses", "Jews")."""
    return any(form in _EXONYMS for form in _en_forms(word))


def _common(word: str, lower_words: tuple[frozenset[str], ...]) -> bool:
    """Whether a capitalised word is an ordinary English word rather than a name: listed,
    written in lower case elsewhere in the text, or ending or spelt like a common word."""
    parts = [p for p in _HYPHEN.split(word) if p]
    if len(parts) > 1 and _particle(parts[0]):
        parts = parts[1:]
    elif any(p[0].islower() for p in parts):
        return True  # "Allah-fearing", "Lote-tree"
    for part in parts:
        lower, singular = _bare(part.lower()), _singular(part)
        if lower in _COMMON or singular in _COMMON or any(lower in w for w in lower_words):
            return True
        if len(singular) > 3 and _COMMON_ENDING.search(singular):
            return True
    return False


def _phrase_word(word: str, lower_words: tuple[frozenset[str], ...]) -> bool:
    """Whether a capitalised word makes the capitalised words joined to it common ("Glad
    Tidings", "Day of Distress"): a common content word, not a title or a function word."""
    singular = _singular(word)
    return singular not in _NOT_IN_PHRASES and _common(word, lower_words)


def lower_case_words(texts: Iterable[str]) -> frozenset[str]:
    """The words that `texts` write in lower case somewhere: a capitalised word among them is
    a common word capitalised for emphasis ("the day the two hosts Met"), not a name."""
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text) if w[0].islower())


def name_candidates(text: str, lower_words: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of the words of English `text` that may be proper names: the words that
    `name_mismatches` looks up in the original (benchmarks draw their swaps from them).
    `lower_words`: words the whole translation writes in lower case (`lower_case_words`).

    A capitalised word is left out where it starts a sentence, a quotation or a gloss in
    brackets; where it is an acronym or a common word (one written in lower case elsewhere
    in the text or in `lower_words`); where it follows an article, a
    possessive, a modal or an auxiliary ("a Guide", "their Fish", "hath Chosen"); and where it
    is joined, directly or by "of", to a capitalised common word that is not a title ("Glad
    Tidings", "Day of Distress"; but "Prime Minister Haidar", "Valley of Tuwa"). Names of the
    exonym table are always in.
    """
    lower = (lower_case_words([text]), lower_words)  # not joined: a document's set is large
    titles = _title_spans(text)
    words = list(_WORD.finditer(text))
    capitals = {i for i, m in enumerate(words) if m.group()[0].isupper()}
    phrase_words = {i for i in capitals if _phrase_word(words[i].group(), lower)}
    spans = []
    for i in sorted(capitals):
        match = words[i]
        word, start = match.group(), match.start()
        if _initial(text, start) or in_brackets(text, start):
            continue
        if any(a <= start < b for a, b in titles):
            continue
        letters = _NOT_LATIN.sub("", _bare(word))
        if len(letters) > 1 and letters.isupper():
            after_preposition = i and words[i - 1].group().lower() in _PREPOSITIONS
            if letters in _ACRONYMS and not (letters == "US" and after_preposition):
                spans.append(match.span())
            continue  # other acronyms (ISIS, PMU, SAA) are not read; "unto US" is a pronoun
        if _known(word):
            spans.append(match.span())
            continue
        if _common(word, lower) or (i and words[i - 1].group().lower() in _BEFORE_COMMON):
            continue
        if any(
            j in phrase_words
            and _LINK.fullmatch(text[words[min(i, j)].end() : words[max(i, j)].start()])
            for j in (i - 1, i + 1)
        ):
            continue
        spans.append(match.span())
    return spans


# --- Consonant skeletons ---

# Classes: B b/p, F f/v, T t/th, D d/dh, Z z, s s, S sh, C ch, K k/q/c, G g, J j, X kh, H h,
# L, M, N, R; weak ones, cheap to leave out: W w and Y y (English), u and i (Arabic long vowels
# و and ي), and h, a final English "h" after a vowel or an Arabic ta marbuta, which is free.
# Each Arabic letter lists the classes a transliteration may write it with.
_AR_CLASSES = {
    "ب": "B",
    "پ": "B",
    "ت": "T",
    "ط": "T",
    "ث": "Ts",
    "ج": "JG",
    "چ": "CJ",
    "ح": "Hh",
    "خ": "XK",
    "د": "D",
    "ذ": "DZT",
    "ر": "R",
    "ز": "Zs",
    "س": "sZ",
    "ش": "SC",
    "ص": "s",
    "ض": "DZ",
    "ظ": "ZD",
    "غ": "G",
    "گ": "G",
    "ف": "F",
    "ڤ": "F",
    "ق": "KG",
    "ك": "KC",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "Hh",
    "ة": "hHT",
    "و": "WuF",  # also v: نينوى for "Nineveh"
    "ي": "Yi",
}
_EN_DIGRAPHS = {
    "sh": "S",
    "kh": "X",
    "gh": "G",
    "th": "T",
    "dh": "D",
    "ch": "C",
    "ph": "F",
    "ck": "K",
}
_EN_LETTERS = dict(zip("bpfvtdzskqgjhlmnrwy", "BBFFTDZsKKGJHLMNRWY", strict=True))
_DROP_COST = {"W": 0.25, "Y": 0.25, "u": 0.1, "i": 0.1, "h": 0.0}


@lru_cache(maxsize=65536)
def _ar_skeleton(form: str) -> tuple[str, ...]:
    """Arabic word -> consonant classes; alif, hamza and ʿayn carry none a transliteration keeps,
    and a doubled letter counts once."""
    return tuple(
        _AR_CLASSES[c] for i, c in enumerate(form) if c in _AR_CLASSES and form[i - 1 : i] != c
    )


@lru_cache(maxsize=65536)
def _en_skeleton(word: str, digraphs: bool = True) -> str:
    """English spelling -> consonant classes; vowels and apostrophes (ʿayn, hamza) dropped, a
    doubled letter counted once, a y after a consonant read as a vowel ("Zakariya"), a final
    "ah" as a ta marbuta ("Makkah"). With `digraphs` off, "sh", "kh" ... are two letters
    ("Ishaq" is إسحاق)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if "a" <= c <= "z")
    out: list[str] = []
    i = 0
    while i < len(text):
        pair, char = text[i : i + 2], text[i]
        if pair in _EN_DIGRAPHS and (digraphs or pair in ("ch", "ph", "ck")):
            classes, i = _EN_DIGRAPHS[pair], i + 2
        elif i and char == text[i - 1]:
            classes, i = "", i + 1
        elif char == "c":
            classes, i = ("s" if text[i + 1 : i + 2] in ("e", "i", "y") else "K"), i + 1
        elif char == "x":
            classes, i = "Ks", i + 1
        elif char == "y" and i and text[i - 1] not in "aeiou":
            classes, i = "", i + 1
        elif char == "h" and i == len(text) - 1 and text[i - 1 : i] in ("a", "e", "i", "u"):
            classes, i = "h", i + 1
        else:
            classes, i = _EN_LETTERS.get(char, ""), i + 1
        out.append(classes)
    return "".join(out)


@lru_cache(maxsize=1024)
def _drop(classes: str) -> float:
    """The cost of a letter with no counterpart on the other side."""
    return min(_DROP_COST.get(c, 1.0) for c in classes)


@lru_cache(maxsize=262144)
def _distance(en: str, ar: tuple[str, ...]) -> float:
    """Weighted edit distance between an English and an Arabic skeleton: a class the Arabic
    letter may stand for costs nothing, weak classes are cheap to skip, anything else costs 1."""
    ar_drops = [_drop(classes) for classes in ar]
    previous = [0.0]
    for drop in ar_drops:
        previous.append(previous[-1] + drop)
    for e in en:
        e_drop = _drop(e)
        current = [previous[0] + e_drop]
        for j, classes in enumerate(ar, start=1):
            current.append(
                min(
                    previous[j - 1] + (0.0 if e in classes else 1.0),
                    previous[j] + e_drop,
                    current[j - 1] + ar_drops[j - 1],
                )
            )
        previous = current
    return previous[-1]


@lru_cache(maxsize=262144)
def _close(en: str, ar: tuple[str, ...]) -> bool:
    """Whether the skeletons are within `_allowed` distance. Most pairs are far apart, and a
    cheap bound says so first: every letter of one side found nowhere on the other costs at
    least its skip cost, whatever the alignment."""
    allowed = _allowed(en)
    ar_letters = set().union(*ar)
    bound = max(
        sum(_drop(e) for e in en if e not in ar_letters),
        sum(_drop(classes) for classes in ar if classes and not set(classes) & set(en)),
    )
    return bound <= allowed + 1e-9 and _distance(en, ar) <= allowed


def _strong(en: str) -> int:
    """The number of consonants of a skeleton that are not weak."""
    return sum(c not in _DROP_COST for c in en)


def _allowed(en: str) -> float:
    """How far a skeleton may be from its counterpart: short ones must match all but weak
    letters, longer ones may differ by up to one consonant."""
    return (0.2, 0.2, 0.5, 0.75, 1.0)[min(_strong(en), 4)]


# A bit for each letter class of either side: a set of them is an int.
_CLASS_LETTERS = "".join([*_AR_CLASSES.values(), *_EN_DIGRAPHS.values(), *_EN_LETTERS.values()])
_BIT = {c: 1 << k for k, c in enumerate(sorted({*_CLASS_LETTERS, *"sKh", *_DROP_COST}))}


def _mask(letters: Iterable[str]) -> int:
    return functools.reduce(operator.or_, (_BIT.get(c, 0) for c in letters), 0)


class _Reading(NamedTuple):
    """A skeleton of an English name, with what `_Source._may_match` asks of it."""

    skeleton: str
    allowed: float  # `_allowed(skeleton)`
    letters: int  # its letters (`_mask`)
    strong: int  # those that are not weak (a skip costs 1)
    drops: tuple[tuple[int, float], ...]  # each distinct letter's bit and its skips' cost

    def may_match(self, letters: int) -> bool:
        """`_close`'s cheap bound against all the skeletons of an Arabic text at once, given
        the `letters` they are spelt with: letters of this skeleton that no Arabic letter
        there may stand for cost their skip cost in any alignment. Most names are ruled out
        by it for most words, before any pair of skeletons is compared."""
        absent = self.letters & ~letters
        if not absent:
            return True
        if (absent & self.strong).bit_count() > self.allowed + 1e-9:
            return False
        return sum(cost for bit, cost in self.drops if absent & bit) <= self.allowed + 1e-9


class _Source:
    """The Arabic side, prepared once, as far as it is asked about: its word forms, their
    skeletons (only an English name outside the tables needs them) and their letters."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def words(self) -> list[str]:
        return _AR_WORD.findall(_normalise_ar(self.text))

    @cached_property
    def forms(self) -> set[str]:
        forms = {form for word in self.words for form in _ar_forms(word)}
        return forms | {a + b for a, b in itertools.pairwise(self.words)}  # "عبد الله"

    @cached_property
    def skeletons(self) -> set[tuple[str, ...]]:
        return {_ar_skeleton(f) for f in self.forms} - {()}

    @cached_property
    def joined(self) -> str:
        """The text's words run together: each of its forms is a piece of this, or such a
        piece with its final ت as ة."""
        return "".join(self.words)

    @cached_property
    def letters(self) -> int:
        """The letter classes its skeletons are spelt with (`_mask`): those of `joined`'s
        letters (and ة for a stem's final ت), so no skeleton is made for the many words
        ruled out."""
        chars = set(self.joined) | ({"ة"} if "ت" in self.joined else set())
        return _mask(c for char in chars for c in _AR_CLASSES.get(char, ""))

    def has(self, word: str) -> bool:
        """Whether some Arabic word is a counterpart of the English `word`."""
        listed, readings = _en_readings(word)
        if listed:  # an acronym or an exonym is matched by its listed forms only
            return any(
                any(form[:-1] in self.joined for form in arabic)  # a cheap bound first
                and not self.forms.isdisjoint(arabic)
                for arabic in listed
            )
        return any(
            reading.may_match(self.letters)
            and any(_close(reading.skeleton, ar) for ar in self.skeletons)
            for reading in readings
        )


@lru_cache(maxsize=65536)
def _en_readings(word: str) -> tuple[tuple[frozenset[str], ...], tuple[_Reading, ...]]:
    """What an English name is matched by: its listed Arabic forms if it is an acronym or
    an exonym ("Jonah" is not "جن"), else the skeletons of its readings (`_en_forms`), with
    and without digraphs. The same for every Arabic word it is compared with."""
    if word in _ACRONYMS:
        return (_ACRONYMS[word],), ()
    forms = _en_forms(word)
    known = tuple(_EXONYMS[form] for form in forms if form in _EXONYMS)
    if known:
        return known, ()
    readings = []
    for form in forms:
        for en in dict.fromkeys((_en_skeleton(form), _en_skeleton(form, digraphs=False))):
            if not en or (form != forms[0] and _strong(en) < 2):
                continue  # "Elias" is not read as "elia", nor "Arabs" as "ar"
            readings.append(_reading(en))
    return (), tuple(readings)


def _reading(skeleton: str) -> _Reading:
    costs: dict[str, float] = {}
    for e in skeleton:
        costs[e] = costs.get(e, 0.0) + _drop(e)
    strong = _mask(e for e in skeleton if e not in _DROP_COST)
    drops = tuple((_BIT[e], cost) for e, cost in costs.items())
    return _Reading(skeleton, _allowed(skeleton), _mask(skeleton), strong, drops)


@lru_cache(maxsize=65536)
def _word_source(ar_word: str) -> _Source:
    return _Source(ar_word)


def renderings(en_word: str, ar_words: Sequence[str]) -> list[int]:
    """Positions of the Arabic words (clitics and all) that can render the English name:
    "Mosul" and الموصل, "Pharaoh" and فرعون. For linking the words of a bead (see
    align.wordlinking)."""
    name = _bare(en_word)
    listed, readings = _en_readings(name)
    if listed or not ar_words:
        return [k for k, word in enumerate(ar_words) if _renders(name, word)]
    # The strong letters' part of `_Reading.may_match` first, for all the words at once: it
    # rules out most words of a bead.
    letters = np.fromiter(map(_letters, ar_words), dtype=np.int64, count=len(ar_words))
    possible = np.zeros(len(ar_words), dtype=bool)
    for reading in readings:
        possible |= np.bitwise_count(reading.strong & ~letters) <= reading.allowed + 1e-9
    return [k for k in np.flatnonzero(possible).tolist() if _renders(name, ar_words[k])]


@lru_cache(maxsize=65536)
def _letters(ar_word: str) -> int:
    return _word_source(ar_word).letters


# A document asks about the same few names again and again (half the pairs of the Qur'an's
# suras were asked before); a pair not asked about lately is cheap to check again
# (`_Reading.may_match`), so the cache need not hold a long document's all.
@lru_cache(maxsize=32768)
def _renders(name: str, ar_word: str) -> bool:
    return _word_source(ar_word).has(name)


def name_mismatches(
    src_text: str,
    src_lang: str,
    tgt_text: str,
    tgt_lang: str,
    lower_words: frozenset[str] = frozenset(),
) -> list[NameMismatch]:
    """Proper names of the English `tgt_text` with no counterpart in the Arabic `src_text`;
    `lower_words` as for `name_candidates` (one set for all of a document's beads).

    Only Arabic -> English is supported; any other pair of languages gives [].
    """
    if (src_lang, tgt_lang) != ("ar", "en"):
        return []
    source = _Source(src_text)
    found: list[tuple[int, int, str]] = []  # span and the expected Arabic, if known
    in_phrases: set[int] = set()
    for match in _PHRASES.finditer(tgt_text):
        in_phrases.update(range(match.start(), match.end()))
        key = " ".join(match.group().lower().split())
        if not _initial(tgt_text, match.start()) and source.forms.isdisjoint(_EXONYMS[key]):
            found.append((*match.span(), _EXONYM_SPELLINGS[key][0]))
    spans = [span for span in name_candidates(tgt_text, lower_words) if span[0] not in in_phrases]
    words = [_bare(tgt_text[start:end]) for start, end in spans]
    matched = [source.has(word) for word in words]
    for k in range(len(spans) - 1):  # two short words for one: "Tal Afar" is تلعفر
        pair = words[k : k + 2]
        if (
            not all(matched[k : k + 2])
            and tgt_text[spans[k][1] : spans[k + 1][0]] == " "
            and all("-" not in w and _strong(_en_skeleton(w)) <= 2 for w in pair)
            and source.has("".join(pair))
        ):
            matched[k] = matched[k + 1] = True
    for (start, end), word, ok in zip(spans, words, matched, strict=True):
        if not ok:
            found.append((start, end, _expected(word)))
    return _merged(tgt_text, sorted(found))


def _expected(word: str) -> str:
    """The Arabic the table gives for an English name, or ""."""
    if word in _ACRONYM_SPELLINGS:
        return _ACRONYM_SPELLINGS[word][0]
    known = [form for form in _en_forms(word) if form in _EXONYM_SPELLINGS]
    return _EXONYM_SPELLINGS[known[0]][0] if known else ""


def _merged(text: str, found: list[tuple[int, int, str]]) -> list[NameMismatch]:
    """One mismatch per run of adjacent missing words ("Abu Bakr"), with its reason."""
    runs: list[list[tuple[int, int, str]]] = []
    for item in found:
        if runs and not text[runs[-1][-1][1] : item[0]].strip():
            runs[-1].append(item)
        else:
            runs.append([item])
    mismatches = []
    for run in runs:
        start, end = run[0][0], run[-1][1]
        name, expected = text[start:end], run[0][2]
        hint = f" ({expected} expected)" if len(run) == 1 and expected else ""
        reason = f"“{name}”{hint} has no counterpart in the original"
        mismatches.append(NameMismatch(name, start, end, reason))
    return mismatches
