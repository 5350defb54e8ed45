"""The word links the HTML page shows (page/wordlinks.js): which word of a bead's original
is linked to which word of its translation, as character spans of the sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align.result import Alignment
    from align.wordlinking import Token


def word_links_data(alignment: Alignment) -> dict[int, list[list[int]]]:
    """Bead index -> one [source sentence, start, end, target sentence, start, end] per link,
    sentences by their index in the document, spans as offsets in the sentence's text."""
    data = {}
    for index, bead in enumerate(alignment.beads):
        if bead.words is None or not bead.words.links:
            continue
        src, tgt = bead.words.src, bead.words.tgt
        data[index] = [
            [*_span(bead.src, src[i]), *_span(bead.tgt, tgt[j])] for i, j in bead.words.links
        ]
    return data


def _span(sentences: tuple[int, ...], token: Token) -> list[int]:
    return [sentences[token.sentence], token.start, token.end]
