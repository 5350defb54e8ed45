"""Stage 1: split a text into sentences, keeping paragraphs and each sentence's exact text.

Sentence splitting is delegated to `sentencex`, which knows Arabic (؟ and . end a sentence,
، and ؛ do not) and English abbreviations ("U.S.", "Mr."). This module adds what an
alignment tool needs around it: paragraphs (blank lines), short lines such as titles and
bylines kept as their own segments, hard-wrapped paragraphs re-joined, and a check that a
text is in the language it is said to be in.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from sentencex import segment

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"[.!?؟…:\"'”’»)\]]\s*$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
# A single Arabic letter before a period is an initial or an abbreviation (د. for doctor,
# ج. in a name, ص. for page), not the end of a sentence; sentencex does not know them.
_ARABIC_ABBREVIATION = re.compile(r"(?:^|\s)[\u0621-\u064A]\.\s*$")
# A short exclamation ("Lo!", "O ye who believe!") belongs with the sentence it introduces.
# Where a clause ends inside a sentence: punctuation of both scripts, the Qur'an's pause
# marks (U+06D6-U+06DC), a dash between spaces.
_CLAUSE_END = re.compile(r"(?<=[,;:!?.،؛؟\u06d6-\u06dc])\s+|\s+[-–—]+\s+")
_LEAD_IN_END = re.compile(r"[,;:،؛]\s*$")
# English names of the disjoined letters that open 29 suras (Pickthall's and Yusuf Ali's
# spellings): Alif Lam Mim, Ha Mim, Ta Sin, Kaf Ha Ya 'Ain Sad, Qaf, Nun ...
_LETTER_NAMES = frozenset(
    ("alif", "lam", "mim", "ra", "sad", "kaf", "ha", "ya", "ain", "a'in", "'ain", "ta", "sin")
).union(("qaf", "nun"))
_LETTER_WORD = re.compile(r"[a-z']+")
_LETTERS_ONLY = re.compile(r"[A-Za-z'\s.,:;!-]+")
_INTERJECTION = re.compile(r"^(?:\w+[\s,']*){1,4}!$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its exact text as written (for display) and its paragraph (0-based)."""

    text: str
    paragraph: int


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """Split `text` (in language `lang`, e.g. "ar" or "en") into sentences.

    Blank lines separate paragraphs. Inside a paragraph every line break ends a segment
    (titles, bylines, list items), unless the paragraph is hard-wrapped prose, whose lines
    are joined first.
    """
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(_paragraphs(text)):
        for line in _logical_lines(paragraph):
            pieces = [piece.strip() for piece in segment(lang, line) if piece.strip()]
            sentences.extend(Sentence(piece, number) for piece in _rejoin(pieces))
    return sentences


def read_presplit(text: str) -> list[Sentence]:
    """Read one sentence per line; blank lines separate paragraphs and are not sentences.

    Lines end at a line feed (or CR LF, CR) only: str.splitlines would also break on
    U+2028, U+0085, \v and \f, which may occur inside a line, and shift every later index
    against the line numbers another tool sees.
    """
    return [
        Sentence(line.strip(), number)
        for number, paragraph in enumerate(_paragraphs(text))
        for line in paragraph.split("\n")
        if line.strip()
    ]


def arabic_share(text: str) -> float:
    """Share of letters in `text` that are Arabic script (0.0 when it has no letters)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return arabic / (arabic + latin) if arabic + latin else 0.0


def sentence_edges(text: str, min_chars: int) -> tuple[str, str]:
    """The first and the last clauses of `text`, each extended by its neighbours until it
    has at least `min_chars` characters (the whole text when it has no clause break). In a
    translation, the start and the end of a sentence answer the start and the end of what
    it translates, which a whole-bead vector cannot tell."""
    clauses = [c for c in _CLAUSE_END.split(text.strip()) if c]
    if not clauses:
        return text, text
    head = tail = ""
    for clause in clauses:
        head = f"{head} {clause}".strip()
        if len(head) >= min_chars:
            break
    for clause in reversed(clauses):
        tail = f"{clause} {tail}".strip()
        if len(tail) >= min_chars:
            break
    return head, tail


def is_lead_in(text: str, max_words: int = 3) -> bool:
    """True for a short line that opens what follows rather than saying something of its
    own: a few words ending in a comma or colon ("Now, therefore,", "He said:", "وبعد،"), or
    the English names of the letters that open some suras ("Alif.", "Ha-Mim.", "Ya Sin."),
    which a translation may set as lines of their own."""
    # a quote mark alone is the next name's ("Ya. '" then "Ain.": Yusuf Ali's 'Ain split off)
    words = [w for w in _LETTER_WORD.findall(text.lower()) if w.strip("'")]
    if words and _LETTERS_ONLY.fullmatch(text) and all(w in _LETTER_NAMES for w in words):
        return True
    return bool(_LEAD_IN_END.search(text)) and len(text.split()) <= max_words


def looks_like(text: str, lang: str) -> bool:
    """Whether `text` is written in the script of `lang` (Arabic script for "ar", else Latin)."""
    share = arabic_share(text)
    return share >= 0.5 if lang == "ar" else share < 0.5


def _rejoin(pieces: list[str]) -> list[str]:
    """Re-join pieces split after an Arabic initial, after a short exclamation, or before a
    lowercase word or a dash ("Lo! those who ...", "for lo! it is ...", "...? - seeing
    that ...": the sentence goes on)."""
    joined: list[str] = []
    for piece in pieces:
        previous = joined[-1] if joined else ""
        if joined and (
            _ARABIC_ABBREVIATION.search(previous)
            or _INTERJECTION.match(previous)
            or piece[0].islower()
            or piece[0] in "-–—"
        ):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _logical_lines(paragraph: str) -> list[str]:
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    return [" ".join(lines)] if _is_hard_wrapped(lines) else lines


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Prose wrapped at a fixed width: several long lines, most not ending a sentence."""
    if len(lines) < 3:
        return False
    open_ended = sum(not _SENTENCE_END.search(line) for line in lines[:-1])
    return statistics.median(len(line) for line in lines) >= 40 and open_ended >= len(lines) / 2
