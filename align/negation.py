"""Negations of a bead's two sides, and which of them the other side does not answer.

Part of stage 4 (align.scoring turns what `unanswered` finds into meaning-shift flags). A
*cue* is a word that negates (English "not", "never", "no" …; Arabic لا لم لن ليس ما …);
a *strong* cue left without a partner on the other side is a reversed meaning, a *weak*
one (ما, which may be a relative; "nor"; a negation in brackets; لا … إلا, "only") answers
a negation but is never flagged itself. Cues are paired one to one: by scope (the words a
negation bears on are linked to words the other side's negation shortly precedes,
align.wordlinking), then by place in the bead, then strong with strong, however far.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.encoding import normalize_for_embedding
from align.names import in_brackets
from align.wordlinking import CLAUSE_MARKS, BeadWords, Token

_EN_NEGATIONS = frozenset(
    (
        *("not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "cannot"),
        *("without", "nowise"),
    )
)
# Words that negate themselves: their scope starts with them.
_EN_NEGATIVE_WORDS = frozenset(("unlikely", "impossible", "unable", "unaware"))
# Negations that continue or qualify another ("no one …, nor …"; "without"): they absorb a
# negation of the other side but are not flagged on their own.
_EN_WEAK_NEGATIONS = frozenset(("nor", "without"))
_EN_CUES = _EN_NEGATIONS | _EN_NEGATIVE_WORDS
# Words that say "not" without a negation ("most of them lack understanding" for لا
# يعقلون): they answer a negation of the other side, and are never flagged themselves.
_EN_ANSWERING = frozenset(
    (
        *("lack", "lacks", "lacked", "lacking", "fail", "fails", "failed"),
        # "have naught (to stand) upon" for ليست … على شيء; "can hardly see it" for لم يكد
        # يراها; "refuse to believe" for لا يؤمنون; "ungrateful" for لا يشكرون ("void of"
        # for لا يعقلون: see _cues)
        *("naught", "nought", "hardly", "scarce", "scarcely", "refuse", "refuses", "refused"),
        *("refusing", "ungrateful", "devoid"),
    )
)
_EN_RESTRICTIVE = frozenset(("but", "except", "save", "only", "other", "besides"))
_AR_NEGATIONS = frozenset(
    (
        "لا",
        "لم",
        "لن",
        "ليس",
        "ليست",
        "ليسوا",
        "لست",
        "لستم",
        "بلا",
        "بدون",
        "لكيلا",
        "كيلا",
        "لئلا",
    )
) | frozenset(  # with the interrogative أ (written ا once normalised): "Have We not …?"
    ("الم", "افلا", "اولم", "افلم", "اولا", "اليس", "اوليس", "الست", "الن")
)
# Negative or not, depending on the sentence: ما is also "what", غير "other than", لولا
# "but for" as often as "had … not"; كلا ("nay!") is rendered "by no means" or not at all.
_AR_MAYBE_NEGATIONS = frozenset(("ما", "غير", "دون", "لما", "عدم", "لولا", "لوما", "كلا"))
# هل أتى "Has there not come …?": a question a translator may put as a negative one; it
# answers a negation and is never flagged.
_AR_QUESTIONS = frozenset(("هل",))
_AR_EXCEPT = frozenset(("الا",))
_AR_WITHOUT = frozenset(("دون", "بدون", "بلا", "غير"))
# Fixed phrases that negate nothing: "especially", "must", "still", "indispensable".
_AR_NOT_NEGATIONS = frozenset(
    [
        *(("لا", "سيما"), ("لا", "بد"), ("لا", "يزال"), ("لا", "تزال")),
        *(("ما", "زال"), ("ما", "يزال"), ("لا", "غنى"), ("لا", "غني")),
        ("لا", "اقسم"),  # the oath لا أقسم, فلا أقسم: "I do call to witness"
        ("لا", "جرم"),  # لا جرم: "undoubtedly"
        *(("لا", "يزالون"), ("لا", "تزالون"), ("لا", "يزالوا"), ("ما", "زالت"), ("ما", "زالوا")),
    ]
)
# "no better than", "no less than": a comparison, not a negation.
_EN_COMPARATIVES = frozenset(("more", "less", "better", "worse", "fewer", "greater", "other"))


@dataclass(frozen=True)
class Cue:
    """A negation cue: a word of one side that negates, or may."""

    index: int  # token index
    strong: bool  # its absence from the other side is a flag; a weak cue only absorbs
    quiet: bool = False  # pairs as a strong cue does, but is not flagged when left alone


@dataclass(frozen=True)
class Reach:
    """How far apart two negations may be and still answer each other: `scope` words after
    a negation make up what it bears on; pairs by place are at most `share` of a bead's
    length apart, or any distance where neither side has more than `short_words` words."""

    scope: int
    share: float
    short_words: int


_OTHER = {"src": "tgt", "tgt": "src"}


def unanswered(
    words: BeadWords,
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    reach: Reach,
) -> dict[str, list[int]]:
    """The strong negations of each side (token indices of `words.src` / `words.tgt`) that
    no negation of the other side answers. Negations of the two sides are paired one to
    one: first by scope (the next `reach.scope` content words of one are linked to words
    that the other shortly precedes), then, where the word links say nothing, by place (the
    nearest at most `reach.share` of the bead's length away,
    both measured as shares of their side); strong negations still alone on both sides then
    answer each other. "Neither … nor" is one negation rendered by two: "nor" is weak.

    Weak cues, which answer a negation but are never flagged: Arabic ما غير دون (negative
    or not), a negation in a sentence with إلا (لا … إلا is "only", and the sentence is
    often recast around it), and English negations followed by "but", "except", "save"
    ("none but"), "not so" opening a clause (an exception: "Not so Iblis") and "no
    effect", "no fruit", "no avail" (void). The "not" of a question that asserts ("Did we
    not …?") pairs as a strong negation does but is not flagged when left alone."""
    cues = {"src": _cues(words.src, src, src_lang), "tgt": _cues(words.tgt, tgt, tgt_lang)}
    if not any(c.strong for side in cues.values() for c in side):
        return {"src": [], "tgt": []}
    place = {"src": _places(words.src, src), "tgt": _places(words.tgt, tgt)}
    partner: dict[str, dict[int, int]] = {"src": {}, "tgt": {}}  # cue -> the other's cue

    def pair(side: str, mine: int, theirs: int) -> None:
        partner[side][mine] = theirs
        partner[_OTHER[side]][theirs] = mine

    def gap(side: str, mine: int, theirs: int) -> float:
        return abs(place[side][mine] - place[_OTHER[side]][theirs])

    # "without" renders دون, بدون, بلا, غير: such a pair is made first, so that neither
    # takes the partner of another negation ("is not entitled …, without distinction"
    # against "دون أي تمييز"), where the word links say nothing else and that word is the
    # Arabic negation nearest to "without" ("without fear" is لا تخافون, not a دون after).
    for b in (c for c in cues["tgt"] if words.tgt[c.index].form == "without"):
        free = [a for a in cues["src"] if a.index not in partner["src"]]
        linked = _scope_partners(words, "tgt", b.index, free, reach.scope)
        if not free or (linked and not any(words.src[a.index].form in _AR_WITHOUT for a in linked)):
            continue
        near = min(free, key=lambda a: gap("src", a.index, b.index))
        if (
            words.src[near.index].form in _AR_WITHOUT
            and gap("src", near.index, b.index) <= reach.share
        ):
            pair("tgt", b.index, near.index)
    order = sorted(
        ((side, cue) for side in ("src", "tgt") for cue in cues[side]),
        key=lambda item: not item[1].strong,  # strong negations choose their partner first
    )
    for side, cue in order:
        other = _OTHER[side]
        if cue.index in partner[side]:
            continue
        partners = _scope_partners(words, side, cue.index, cues[other], reach.scope)
        free = [c for c in partners if c.index not in partner[other]]
        if free:  # of several, a strong one at the nearest place ("لا … ولا" against
            # "no … no"; "ولا" against "fail not")
            best = min(
                free, key=lambda c: (cue.strong and not c.strong, gap(side, cue.index, c.index))
            )
            pair(side, cue.index, best.index)
    # Pairs by place, nearest first.
    # In a short bead a place says little: "وما لا تبصرون" is "And what ye see not".
    short = max(len(words.src), len(words.tgt)) <= reach.short_words
    limit = 1.0 if short else reach.share
    options = sorted(
        (gap("src", a.index, b.index), a.index, b.index)
        for a in cues["src"]
        for b in cues["tgt"]
        if a.index not in partner["src"] and b.index not in partner["tgt"]
    )
    for distance, a, b in options:
        if distance <= limit and a not in partner["src"] and b not in partner["tgt"]:
            pair("src", a, b)
    # A strong negation left alone takes a near negation of the other side from its partner
    # if that partner can take a free negation near it instead (the word links paired
    # "لا … ولا" crosswise with "no … no"), or, the two being strong, if that partner is
    # weak and further away ("ولا" paired with "fail" of "fail not").
    for side in ("src", "tgt"):
        other = _OTHER[side]
        weak = {c.index for c in cues[side] if not c.strong}
        for cue in (c for c in cues[side] if c.strong and c.index not in partner[side]):
            for near in sorted(cues[other], key=lambda c: gap(side, cue.index, c.index)):
                taken = partner[other].get(near.index)
                if taken is None or gap(side, cue.index, near.index) > limit:
                    continue
                spare = [
                    c.index
                    for c in cues[other]
                    if c.index not in partner[other] and gap(side, taken, c.index) <= limit
                ]
                closer = gap(side, cue.index, near.index) < gap(side, taken, near.index)
                if spare or (near.strong and taken in weak and closer):
                    del partner[side][taken]
                    pair(side, cue.index, near.index)
                    if spare:
                        pair(side, taken, min(spare, key=lambda c: gap(side, taken, c)))
                    break
    # Strong negations still alone on both sides answer each other, however far apart: a
    # translator moves a negation within the bead ("لا يستأذنك الذين يؤمنون": "those who
    # believe ask thee for no exemption") more often than a bead drops one and adds another.
    alone = {
        side: [c.index for c in cues[side] if c.strong and c.index not in partner[side]]
        for side in ("src", "tgt")
    }
    for a, b in zip(alone["src"], alone["tgt"], strict=False):
        pair("src", a, b)
    return {
        side: [
            c.index for c in cues[side] if c.strong and not c.quiet and c.index not in partner[side]
        ]
        for side in ("src", "tgt")
    }


def _places(tokens: Sequence[Token], texts: Sequence[str]) -> list[float]:
    """Where each token starts, as a share of its side's length (sentences joined)."""
    offsets = np.cumsum([0, *(len(t) + 1 for t in texts)])
    total = max(int(offsets[-1]), 1)
    return [(offsets[t.sentence] + t.start) / total for t in tokens]


def _cues(tokens: Sequence[Token], texts: Sequence[str], lang: str) -> list[Cue]:
    """The negation cues of one side (`texts`, its sentences), strong or weak. A negation in
    brackets is weak: the translator's own gloss ("a donkey which carries huge tomes (but
    understands them not)"), an addition rather than a reversed meaning."""
    found = []
    inceptive = _inceptive_ala(tokens, texts) if lang == "ar" else set()
    cue_forms = _AR_CUE_FORMS if lang == "ar" else _EN_CUE_FORMS
    for i, token in enumerate(tokens):
        if token.form not in cue_forms and i not in inceptive and not token.form.endswith("n't"):
            continue  # most words: nothing below would take them
        # the next words of its sentence (tokens come in order; 8 is all the tests look at)
        rest = [t.form for t in tokens[i + 1 : i + 9] if t.sentence == token.sentence]
        if lang == "ar":
            if i in inceptive:
                found.append(Cue(i, strong=False))  # "Should He not know?" for ألا يعلم
                continue
            if rest[:1] and (token.form, rest[0]) in _AR_NOT_NEGATIONS:
                continue
            if token.form in _AR_NEGATIONS and not _no_suffix_taken(token):
                continue  # a word that carries a pronoun: أولاهما "the first of them", ليسكن
            if token.form == "لم" and _why(tokens, i):
                found.append(Cue(i, strong=False))  # لِمَ تكفرون "why reject ye …?"
                continue
            if token.form == "الا" and _AR_HAMZA_ALA.match(token.text):
                # ألا, written with its hamza above (never إلا, "except"): "will ye not …?"
                # (ألا تتقون) or أن لا, "that … not": a negation the translator may recast
                found.append(Cue(i, strong=False))
                continue
            if token.form == "لما" and not (rest and rest[0][:1] in "يتن"):
                continue  # لمّا "when", "whereas" (لما كان); "not yet" governs a present verb
            if not rest:
                continue  # a negation ends no sentence: الم closing a verse is Alif Lam Mim
            if token.form == "ان" and _AR_EXCEPT & set(rest[:6]):
                found.append(Cue(i, strong=False))  # إن … إلا, "nothing but"
                continue
            if token.form in _AR_NEGATIONS:
                sentence = {
                    t.form
                    for k, t in enumerate(tokens)
                    if t.sentence == token.sentence and k not in inceptive
                }
                # و + a negation after another negation is "nor" (لا … ولا): weak.
                nor = token.text[:1] in "وف" and any(c.index < i for c in found)
                found.append(Cue(i, strong=not _AR_EXCEPT & sentence and not nor))
            elif token.form in _AR_MAYBE_NEGATIONS or token.form in _AR_QUESTIONS:
                found.append(Cue(i, strong=False))
            elif token.form in _AR_EXCEPT and any(
                tokens[c.index].sentence == token.sentence for c in found
            ):
                # لا … إلا: the exception is often put as a second negation ("No one shall be
                # held guilty … which did not constitute …"): it answers one, never flagged.
                found.append(Cue(i, strong=False))
        elif token.form in _EN_ANSWERING or (token.form in _FREE and rest[:1] in _OF_FROM):
            found.append(Cue(i, strong=False))  # "a cup free of frivolity": لا لغو فيها
        elif token.form in _EN_CUES or token.form.endswith("n't"):
            if token.form == "not" and rest[:1] == ["only"]:
                continue
            restrictive = _EN_RESTRICTIVE & set(rest[:8]) or (
                rest[1:2] == ["than"] and rest[0] in _EN_COMPARATIVES
            )
            # "but not all night": an exception (قم الليل إلا قليلا)
            restrictive = restrictive or (
                i > 0 and tokens[i - 1].sentence == token.sentence and tokens[i - 1].form == "but"
            )
            # "not without fear": fearful; "never will disaster cease", "ceased not": still
            # (لا يزال, ما زالت); "Allah is not unaware of what ye do" (وما الله بغافل): the
            # "not" answers ما, "unaware" is غافل, no second negation
            before = tokens[i - 1].form if i and tokens[i - 1].sentence == token.sentence else ""
            litotes = rest[:1] == ["without"] or bool(_EN_CEASE & {*rest[:3], before})
            litotes = litotes or (token.form in _EN_NEGATIVE_WORDS and before in ("not", "never"))
            # "Not so Iblis: he refused" (إلا إبليس), a clause opening "not so": an exception;
            # "their works bear no fruit", "made of no effect" (حبطت, أحبط): void, not "not"
            exception = rest[:1] == ["so"] and _opens_clause(tokens, i, texts)
            void = token.form in ("no", "none") and rest[:1] in _VOID
            weak = restrictive or litotes or exception or void or token.form in _EN_WEAK_NEGATIONS
            weak = weak or in_brackets(texts[token.sentence], token.start)
            # "Did we not cherish thee …?", "Is it not …?": a question that asserts; it renders
            # ألم as often as a plain question (أعجزت: "Was I not even able …?")
            quiet = token.form == "not" and _negative_question(tokens, i, texts)
            found.append(Cue(i, strong=not weak, quiet=quiet))
    return found


# The forms `_cues` looks at (English also: any word ending in n't).
_AR_CUE_FORMS = (
    frozenset(("لما", "ان")) | _AR_NEGATIONS | _AR_MAYBE_NEGATIONS | _AR_QUESTIONS | _AR_EXCEPT
)
_FREE = frozenset(("free", "void"))  # "a cup free of frivolity", "void of wisdom" (لا يعقلون)
_EN_CUE_FORMS = _EN_ANSWERING | _EN_CUES | _FREE
_OF_FROM = (["of"], ["from"])
_VOID = (["effect"], ["fruit"], ["avail"])
_AUXILIARIES = frozenset(
    (
        *("is", "are", "was", "were", "am", "do", "does", "did", "have", "has", "had"),
        *("will", "would", "shall", "should", "can", "could", "may", "might", "must"),
        *("hath", "doth", "dost", "wilt", "shalt", "canst", "art"),
    )
)
_SUBJECTS = frozenset(
    ("i", "we", "you", "ye", "thou", "he", "she", "it", "they", "these", "those", "this", "that")
)
_EN_CEASE = frozenset(("cease", "ceases", "ceased", "ceasing"))
_AR_PAUSES = re.compile("[\u06d6-\u06dc.،؛:!؟]")  # Qur'anic pause marks, punctuation


_AR_MARK = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*"  # diacritics, tatweel
_AR_HAMZA_ALA = re.compile(f"^أ{_AR_MARK}ل{_AR_MARK}ا{_AR_MARK}$")
_AR_IMPERFECT = ("ي", "ت", "ن", "ا")  # a present tense's first letter (أ written ا)
_INDICATIVE_PLURAL = re.compile("ون(?:ني|نا|ه|ها|هما|هم|هن|ك|كما|كم|كن)?$")


def _no_suffix_taken(token: Token) -> bool:
    """Whether an Arabic word is its form with, at most, clitics in front (ولا, أفلم): no
    attached pronoun was taken off its end to make the form (أولاهم is not أولا)."""
    return normalize_for_embedding(token.text).endswith(token.form)


def _why(tokens: Sequence[Token], i: int) -> bool:
    """Whether لم at token `i` is لِمَ, "why": the word after it is not the jussive a negation
    لم governs: a past tense (لم حشرتني "why hast Thou raised me"), or a present tense with
    its ending ون, which the jussive drops, before any attached pronoun (لم تكفرون "why reject
    ye", لم تؤذونني "why do ye vex me")."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is None or after.sentence != tokens[i].sentence:
        return False
    word = normalize_for_embedding(after.text)
    return not word.startswith(_AR_IMPERFECT) or bool(_INDICATIVE_PLURAL.search(word))


def _inceptive_ala(tokens: Sequence[Token], texts: Sequence[str]) -> set[int]:
    """Tokens ألا that open a sentence or follow a pause: "Is it not …?", "Verily …".
    Normalised, ألا is written الا like إلا, "except", which follows what it excepts from (a
    verse may open with إلا continuing the last, but then it is written with its hamza)."""
    found = set()
    for i, token in enumerate(tokens):
        if token.form != "الا" or "إ" in token.text:
            continue
        before = tokens[i - 1] if i and tokens[i - 1].sentence == token.sentence else None
        gap = texts[token.sentence][before.end : token.start] if before else None
        if gap is None or _AR_PAUSES.search(gap):
            found.add(i)
    return found


def _negative_question(tokens: Sequence[Token], i: int, texts: Sequence[str]) -> bool:
    """Whether the "not" at token `i` follows an auxiliary and its subject that open a
    clause or follow "why" or "how" ("Did we not …", "… prayer: will ye not then abstain?",
    "Why did they not …"), or "why" and a verb ("Why is not a treasure sent down …?", "Why
    speaketh not Allah …?"), in a clause that ends with a question mark."""
    if i < 2 or tokens[i - 2].sentence != tokens[i].sentence:
        return False
    inverted = tokens[i - 1].form in _SUBJECTS and tokens[i - 2].form in _AUXILIARIES
    asked = i > 2 and tokens[i - 3].sentence == tokens[i].sentence
    asked = asked and tokens[i - 3].form in ("why", "how")
    opening = inverted and (asked or _opens_clause(tokens, i - 2, texts))
    if not opening and tokens[i - 2].form != "why":
        return False
    end = re.search(r"[.!?]", texts[tokens[i].sentence][tokens[i].end :])
    return end is not None and end.group() == "?"


def _opens_clause(tokens: Sequence[Token], i: int, texts: Sequence[str]) -> bool:
    """Whether token `i` is the first word of its sentence or follows a clause mark of the
    translation (align.wordlinking's `CLAUSE_MARKS`: comma, semicolon, colon, bracket, dash)."""
    token = tokens[i]
    before = tokens[i - 1] if i and tokens[i - 1].sentence == token.sentence else None
    return before is None or bool(
        CLAUSE_MARKS["tgt"].search(texts[token.sentence][before.end : token.start])
    )


def _scope_partners(
    words: BeadWords, side: str, index: int, other_cues: Sequence[Cue], scope: int
) -> list[Cue]:
    """The negations of the other side that shortly precede words linked to the words the
    negation at token `index` bears on, nearest first."""
    tokens = words.src if side == "src" else words.tgt
    other = words.tgt if side == "src" else words.src
    sentence = tokens[index].sentence
    scope_tokens = [
        i for i in range(index, len(tokens)) if tokens[i].content and tokens[i].sentence == sentence
    ][:scope]
    targets = {j for i in scope_tokens for j in words.linked(side, i)}
    distance = {}
    for cue in other_cues:
        gaps = [
            j - cue.index
            for j in targets
            if 0 < j - cue.index <= scope + 2 and other[cue.index].sentence == other[j].sentence
        ]
        if gaps:
            distance[cue.index] = min(gaps)
    return sorted((c for c in other_cues if c.index in distance), key=lambda c: distance[c.index])
