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
from pathlib import Path

import numpy as np

from align import anchoring
from align.aligning import (
    AlignParams,
    Bead,
    Runs,
    align_problem,
    make_problem,
    runs_near,
    unsure_beads,
    with_runs,
)
from align.cache import CachedEncoder
from align.encoding import DEFAULT_MODEL, Encoder, ModelError, embed_runs, embed_texts, load_encoder
from align.result import Alignment
from align.reviewing import Decisions, DecisionsError, resolve_anchors
from align.scoring import Flag, FlagParams, ScoredBead, score_beads, unrelated_warning
from align.segmenting import Sentence, split_sentences

__all__ = [
    "AlignParams",
    "Alignment",
    "Decisions",
    "DecisionsError",
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
    decisions: Decisions | str | Path | None = None,
) -> Alignment:
    """Split both texts into sentences, align them and flag where they diverge.

    `model` is None for the bundled offline encoder, a sentence-transformers model name or
    path, or an already loaded `Encoder`. When both texts have the same number of
    paragraphs, no bead crosses a paragraph boundary. `decisions` (a `Decisions` or a
    decisions file exported from the HTML report) are a reviewer's work on an earlier
    run: their sentence links are kept as fixed beads, and their decisions applied.
    """
    return align_sentences(
        split_sentences(original, src_lang),
        split_sentences(translation, tgt_lang),
        src_lang,
        tgt_lang,
        model,
        align_params,
        flag_params,
        decisions,
    )


def align_sentences(
    src_sentences: Sequence[str | Sentence],
    tgt_sentences: Sequence[str | Sentence],
    src_lang: str = "ar",
    tgt_lang: str = "en",
    model: str | Encoder | None = None,
    align_params: AlignParams | None = None,
    flag_params: FlagParams | None = None,
    decisions: Decisions | str | Path | None = None,
) -> Alignment:
    """Align sentences that are already split (strings, or `Sentence`s with paragraphs);
    `decisions` as for `compare`."""
    src = [_as_sentence(s) for s in src_sentences]
    tgt = [_as_sentence(s) for s in tgt_sentences]
    if decisions is not None and not isinstance(decisions, Decisions):
        decisions = Decisions.load(decisions)
    anchors = resolve_anchors(decisions.anchors, src, tgt)[0] if decisions else ()
    encoder = model if model is not None and not isinstance(model, str) else load_encoder(model)
    # Scoring embeds whole beads again, which the aligner has embedded as runs: share them
    # (a cache on disk already does).
    if not isinstance(encoder, CachedEncoder):
        encoder = CachedEncoder(encoder)
    links = [(a.src, a.tgt) for a in anchors]
    beads = align_vectors(src, tgt, encoder, align_params or AlignParams(), links)
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
    result = Alignment(
        src_sentences=src,
        tgt_sentences=tgt,
        beads=scored,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        model=getattr(encoder, "name", model if isinstance(model, str) else DEFAULT_MODEL),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        warnings=[warning] if warning else [],
    )
    return result.with_decisions(decisions) if decisions else result


def align_vectors(
    src: list[Sentence],
    tgt: list[Sentence],
    encoder: Encoder,
    params: AlignParams,
    links: Sequence[tuple[int, int]] = (),
) -> list[Bead]:
    """Embed both sides and run the aligner; paragraphs are barriers when they correspond.
    `links` are (source, target) sentences a reviewer linked: each group of them is one
    fixed bead, and the aligner searches only between those (see align.anchoring).

    The first search embeds only single sentences; the second embeds the runs of
    sentences near the first path where it is unsure, and only those (see align.aligning).
    Each search asks the encoder (and so the cache) once, for both sides.
    """
    src_texts, tgt_texts = [s.text for s in src], [t.text for t in tgt]
    singles = embed_texts(src_texts + tgt_texts, encoder)
    problem = make_problem(
        singles[: len(src)],
        singles[len(src) :],
        np.array([len(t) for t in src_texts]),
        np.array([len(t) for t in tgt_texts]),
        params,
        np.array([s.paragraph for s in src]),
        np.array([t.paragraph for t in tgt]),
    )
    fixed = anchoring.fixed_spans(links, params.max_size)
    barriers = anchoring.barriers(fixed, _paragraph_barriers(src, tgt))
    first = anchoring.keep_fixed(align_problem(problem, barriers), problem, fixed)
    if params.refine_radius == 0 or not src or not tgt:
        return first
    unsure = unsure_beads(first, params.sure_margin)
    src_runs, tgt_runs = embed_runs(
        [src_texts, tgt_texts],
        [
            runs_near(first, side, len(texts), params.max_size, 0)
            | runs_near(unsure, side, len(texts), params.max_size, params.refine_radius)
            for side, texts in (("src", src_texts), ("tgt", tgt_texts))
        ],
        [problem.src.vectors, problem.tgt.vectors],
        encoder,
    )
    refined = with_runs(problem, Runs(*src_runs), Runs(*tgt_runs))
    return anchoring.keep_fixed(align_problem(refined, barriers, first), refined, fixed)


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
