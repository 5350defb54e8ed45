"""Text that is safe to show anywhere: in a terminal, a Markdown table, a TSV cell, a page.

A text handed to `align` may hold what is not text: terminal escape sequences (which can
retitle a window, clear the screen or fake a prompt when a report is printed), other
control characters, lone surrogates (which no UTF-8 file can hold), and bidirectional
controls left open (which reorder whatever follows them: the next cell, the next line).
`clean` makes all of them inert and visible, the same way for every format:

- an escape sequence (CSI, OSC, DCS ... with its parameters, or a two-character one)
  becomes one "␛" (U+241B): its digits are gone, so no number is read out of it;
- a form feed or a vertical tab becomes a space; any other control character but tab,
  line feed and carriage return becomes its visible symbol from the Control Pictures
  block ("␀", "␇", "␡"), or "�" for a C1 control, which has none;
- a lone surrogate becomes "�";
- bidirectional embeddings, overrides and isolates are kept, but each one left open is
  closed at the end of the text, and a closer with no opener is dropped, so that their
  effect ends where the text does. Marks (LRM, RLM, ALM) are kept as they are.

`clean` is applied to every sentence when it enters the library, before anything is
read out of it, and to every text of an alignment before it is rendered.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align.result import Alignment
    from align.scoring import Flag, ScoredBead
    from align.segmenting import Sentence

ESCAPE_SYMBOL = "\u241b"  # ␛
REPLACEMENT = "\ufffd"

_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    # OSC, DCS, PM, APC strings (a window title, a hyperlink), ended by BEL or ESC \; never
    # past the end of a line, so that a stray introducer cannot take text with it
    r"|\x1b[\]PX^_][^\x07\x1b\n]{0,1024}(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"  # two-character (and nF) sequences: ESC c, ESC 7, ESC ( B
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
_PDF, _PDI = "\u202c", "\u2069"
_BIDI = re.compile(f"[{_EMBEDDINGS}{_ISOLATES}{_PDF}{_PDI}]")


def clean(text: str) -> str:
    """`text` with escape sequences, control characters and lone surrogates made visible
    and inert, and its bidirectional controls closed (see the module's docstring).
    Idempotent; text without any of them is returned as it is."""
    if _ESCAPES.search(text):
        text = _ESCAPES.sub(ESCAPE_SYMBOL, text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub(_visible, text)
    if _BIDI.search(text):
        text = _balanced(text)
    return text


def clean_alignment(alignment: Alignment) -> Alignment:
    """`alignment` with every text a report shows cleaned: sentences, names, model,
    warnings, and the reasons and passages of flags."""
    return replace(
        alignment,
        src_sentences=[_clean_sentence(s) for s in alignment.src_sentences],
        tgt_sentences=[_clean_sentence(s) for s in alignment.tgt_sentences],
        beads=[_clean_bead(b) for b in alignment.beads],
        src_name=clean(alignment.src_name),
        tgt_name=clean(alignment.tgt_name),
        src_lang=clean(alignment.src_lang),
        tgt_lang=clean(alignment.tgt_lang),
        model=clean(alignment.model),
        created=clean(alignment.created),
        warnings=[clean(w) for w in alignment.warnings],
    )


def _clean_sentence(sentence: Sentence) -> Sentence:
    """`sentence` with its text cleaned; itself when that changes nothing (a copy of each
    of a document's sentences and beads took 0.1 s of the 114 suras' reports)."""
    text = clean(sentence.text)
    return sentence if text == sentence.text else replace(sentence, text=text)


def _clean_bead(bead: ScoredBead) -> ScoredBead:
    """`bead` with its flags cleaned; itself when that changes nothing (most have none)."""
    flags = tuple(_clean_flag(f) for f in bead.flags)
    return bead if flags == bead.flags else replace(bead, flags=flags)


def _clean_flag(flag: Flag) -> Flag:
    """`flag` with its reason and passages cleaned. A passage is part of a sentence cleaned
    already; only a bidi control it cuts off from its closer makes it change."""
    return replace(
        flag,
        reason=clean(flag.reason),
        src_spans=tuple(clean(span) for span in flag.src_spans),
        tgt_spans=tuple(clean(span) for span in flag.tgt_spans),
    )


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in "\v\f":
        return " "  # white space, as a line or page break in the middle of a line
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT  # a C1 control or a lone surrogate


def _balanced(text: str) -> str:
    """`text` with every embedding, override and isolate it opens closed at its end, and
    every closer that closes nothing dropped (as the Unicode bidi algorithm pairs them: a
    PDI also closes the embeddings opened inside its isolate)."""
    out: list[str] = []
    open_: list[str] = []  # the openers in force, innermost last
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            open_.append(char)
        elif char == _PDF:
            if not open_ or open_[-1] not in _EMBEDDINGS:
                continue
            open_.pop()
        elif char == _PDI:
            if not any(c in _ISOLATES for c in open_):
                continue
            while open_.pop() not in _ISOLATES:
                out.append(_PDF)  # an embedding left open inside the isolate
        out.append(char)
    out.extend(_PDI if c in _ISOLATES else _PDF for c in reversed(open_))
    return "".join(out)
