"""align: compare an Arabic original with its English translation, sentence by sentence.

    >>> import align
    >>> result = align.compare(arabic_text, english_text)
    >>> result.write("report.html")          # or .json, .tsv, .md, .tmx
    >>> [b.status for b in result.flagged]   # 'omission', 'number_mismatch', ...

`compare` splits both texts into sentences; `align_sentences` takes them already split.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from align.aligning import AlignParams, Bead, align_problem, make_problem
from align.cache import CachedEncoder
from align.encoding import DEFAULT_MODEL, Encoder, ModelError, embed_spans, load_encoder
from align.result import Alignment
from align.scoring import Flag, FlagParams, ScoredBead, score_beads, unrelated_warning
from align.segmenting import Sentence, split_sentences

__all__ = [
    "AlignParams",
    "Alignment",
    "Flag",
    "FlagParams",
    "ModelError",
    "ScoredBead",
    "Sentence",
    "align_sentences",
    "compare",
    "load_encoder",
]
__version__ = "0.1.0"


def compare(
    original: str,
    translation: str,
    src_lang: str = "ar",
    tgt_lang: str = "en",
    model: str | Encoder | None = None,
    align_params: AlignParams | None = None,
    flag_params: FlagParams | None = None,
) -> Alignment:
    """Split both texts into sentences, align them and flag where they diverge.

    `model` is None for the bundled offline encoder, a sentence-transformers model name or
    path, or an already loaded `Encoder`. When both texts have the same number of
    paragraphs, no bead crosses a paragraph boundary.
    """
    return align_sentences(
        split_sentences(original, src_lang),
        split_sentences(translation, tgt_lang),
        src_lang,
        tgt_lang,
        model,
        align_params,
        flag_params,
    )


def align_sentences(
    src_sentences: Sequence[str | Sentence],
    tgt_sentences: Sequence[str | Sentence],
    src_lang: str = "ar",
    tgt_lang: str = "en",
    model: str | Encoder | None = None,
    align_params: AlignParams | None = None,
    flag_params: FlagParams | None = None,
) -> Alignment:
    """Align sentences that are already split (strings, or `Sentence`s with paragraphs)."""
    src = [_as_sentence(s) for s in src_sentences]
    tgt = [_as_sentence(s) for s in tgt_sentences]
    encoder = model if model is not None and not isinstance(model, str) else load_encoder(model)
    # Scoring embeds whole beads again, which the aligner has embedded as runs: share them.
    encoder = CachedEncoder(encoder)
    beads = align_vectors(src, tgt, encoder, align_params or AlignParams())
    scored = score_beads(
        beads,
        [s.text for s in src],
        [s.text for s in tgt],
        src_lang,
        tgt_lang,
        encoder,
        flag_params,
    )
    warning = unrelated_warning(beads)
    return Alignment(
        src_sentences=src,
        tgt_sentences=tgt,
        beads=scored,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        model=getattr(encoder, "name", model if isinstance(model, str) else DEFAULT_MODEL),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        warnings=[warning] if warning else [],
    )


def align_vectors(
    src: list[Sentence], tgt: list[Sentence], encoder: Encoder, params: AlignParams
) -> list[Bead]:
    """Embed both sides and run the aligner; paragraphs are barriers when they correspond."""
    src_spans = embed_spans([s.text for s in src], encoder, params.max_size - 1)
    tgt_spans = embed_spans([s.text for s in tgt], encoder, params.max_size - 1)
    problem = make_problem(
        src_spans,
        tgt_spans,
        np.array([len(s.text) for s in src]),
        np.array([len(s.text) for s in tgt]),
        params,
        np.array([s.paragraph for s in src]),
        np.array([s.paragraph for s in tgt]),
    )
    return align_problem(problem, _paragraph_barriers(src, tgt))


def _paragraph_barriers(src: list[Sentence], tgt: list[Sentence]) -> list[tuple[int, int]]:
    """Where paragraphs start on both sides, if both texts have the same paragraph count."""
    src_starts = _paragraph_starts(src)
    tgt_starts = _paragraph_starts(tgt)
    if len(src_starts) != len(tgt_starts):
        return []
    return list(zip(src_starts, tgt_starts, strict=True))


def _paragraph_starts(sentences: list[Sentence]) -> list[int]:
    return [
        i for i, s in enumerate(sentences) if i > 0 and s.paragraph != sentences[i - 1].paragraph
    ]


def _as_sentence(sentence: str | Sentence) -> Sentence:
    return sentence if isinstance(sentence, Sentence) else Sentence(sentence, 0)
