"""align: compare an Arabic original with its English translation, sentence by sentence.

    >>> import align
    >>> result = align.compare(arabic_text, english_text)
    >>> result.write("report.html")          # or .json, .tsv, .md, .tmx
    >>> [b.status for b in result.flagged]   # 'omission', 'number_mismatch', ...

`compare` splits both texts into sentences; `align_sentences` takes them already split.
The default encoder is loaded once per process, and sentence vectors are kept in the same
cache on disk as the command line's (`$ALIGN_CACHE_DIR`, else the user's cache folder):
pass `cache=False` not to use it, or `cache="some/folder"` for another one.
"""

from __future__ import annotations

import gc
import math
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from align import anchoring, progress
from align.aligning import (
    AlignParams,
    Bead,
    Edges,
    Problem,
    Runs,
    absorb_leftovers,
    align_problem,
    detach_strays,
    join_lead_ins,
    make_problem,
    pair_leftovers,
    runs_near,
    slide_gaps,
    unsure_beads,
    with_runs,
)
from align.cache import CachedEncoder, cache_file, default_cache_dir, kept_cache
from align.encoding import (
    DEFAULT_MODEL,
    Encoder,
    ModelError,
    embed_parts,
    embed_runs,
    give_back_memory,
    load_encoder,
    one_blas_thread,
    shared_encoder,
)
from align.result import Alignment
from align.reviewing import Decisions, DecisionsError, resolve_anchors
from align.safetext import clean
from align.scoring import Flag, FlagParams, ScoredBead, score_beads, unrelated_warning
from align.segmenting import Sentence, is_lead_in, sentence_edges, split_sentences

CacheOption = bool | str | os.PathLike
# Sentences (both sides) from which a comparison gives the memory a stage freed back to the
# system before the next stage (see give_back_memory): a shorter one's next stage takes it
# back at once, and giving it back cost page faults (0.5 s of the 114 suras' 1.2 s of
# system time).
GIVE_BACK_AFTER = 1000

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
    model: str | os.PathLike | Encoder | None = None,
    align_params: AlignParams | None = None,
    flag_params: FlagParams | None = None,
    decisions: Decisions | str | Path | None = None,
    *,
    cache: CacheOption = True,
) -> Alignment:
    """Split both texts into sentences, align them and flag where they diverge.

    `model` is None for the bundled offline encoder, a sentence-transformers model name or
    path, or an already loaded `Encoder`. When both texts have the same number of
    paragraphs, no bead crosses a paragraph boundary. `decisions` (a `Decisions` or a
    decisions file exported from the HTML report) are a reviewer's work on an earlier
    run: their sentence links are kept as fixed beads, and their decisions applied.
    `cache`: True keeps sentence vectors in the command line's cache folder, a folder
    keeps them there, False keeps none between calls.

    Raises TypeError or ValueError, saying what was expected, for an argument of the wrong
    type or value: texts that are not `str`, or are empty, or hold no sentence.
    """
    _check_options(src_lang, tgt_lang, model, align_params, flag_params, cache)
    sides = []
    for text, lang, name in (
        (original, src_lang, "original"),
        (translation, tgt_lang, "translation"),
    ):
        sentences = split_sentences(clean(_text(text, name)), lang)
        if not sentences:
            raise ValueError(f"{name} holds no sentence: {text[:40]!r}")
        sides.append(sentences)
    return align_sentences(
        *sides, src_lang, tgt_lang, model, align_params, flag_params, decisions, cache=cache
    )


def align_sentences(
    src_sentences: Sequence[str | Sentence],
    tgt_sentences: Sequence[str | Sentence],
    src_lang: str = "ar",
    tgt_lang: str = "en",
    model: str | os.PathLike | Encoder | None = None,
    align_params: AlignParams | None = None,
    flag_params: FlagParams | None = None,
    decisions: Decisions | str | Path | None = None,
    *,
    cache: CacheOption = True,
) -> Alignment:
    """Align sentences that are already split (strings, or `Sentence`s with paragraphs);
    `model`, `decisions` and `cache` as for `compare`. Raises TypeError or ValueError,
    saying what was expected, for an argument of the wrong type or value (an empty list of
    sentences, a text instead of a list of sentences)."""
    _check_options(src_lang, tgt_lang, model, align_params, flag_params, cache)
    src = _sentences(src_sentences, "src_sentences")
    tgt = _sentences(tgt_sentences, "tgt_sentences")
    if decisions is not None and not isinstance(decisions, Decisions):
        decisions = Decisions.load(decisions)
    anchors = resolve_anchors(decisions.anchors, src, tgt)[0] if decisions else ()
    links = [(a.src, a.tgt) for a in anchors]
    with (
        _collector_paused(),
        _encoder(model, cache) as encoder,
        encoder.keeping(len(src) + len(tgt)),
    ):
        beads = align_vectors(src, tgt, encoder, align_params or AlignParams(), links)
        _give_back_memory(len(src) + len(tgt))
        progress.stage(progress.SCORING)
        with _small_products(), encoder.releasing(len(src) + len(tgt)):
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


class _Pause:
    """How many comparisons run with the collector paused, and whether it ran before."""

    lock = threading.Lock()
    count = 0
    was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while comparisons run (on any thread), back
    on as it was when the last ends. A comparison makes hundreds of thousands of objects
    (tokens, links, flags) and almost no cycles: the collector's passes over them, and
    over everything the process holds, took 0.6 s of the 114 suras' 9 s."""
    with _Pause.lock:
        if _Pause.count == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.count += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.count -= 1
            if _Pause.count == 0 and _Pause.was_enabled:
                gc.enable()


def _give_back_memory(sentences: int) -> None:
    if sentences >= GIVE_BACK_AFTER:
        give_back_memory()


@contextmanager
def _small_products() -> Iterator[None]:
    """numpy's BLAS on one thread, for the many small matrix products of searching and
    scoring: with a thread per core they wait on each other, and on a busy machine (or
    beside another job, as in `eval -j 2`) ran up to 50 times slower. The encoders set
    their own threads for embedding, inside this."""
    with one_blas_thread():
        yield


@_small_products()
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
    src_lengths = np.array([len(t) for t in src_texts])
    tgt_lengths = np.array([len(t) for t in tgt_texts])
    progress.stage(progress.EMBEDDING_SENTENCES)
    pieces = _edges(src_texts, tgt_texts, params) if params.edge_weight and src and tgt else []
    distinct = list(dict.fromkeys(pieces))
    # Sentences and clause edges in arrays of their own: the runs' vectors below take the
    # sentences' place, and their array can go.
    singles, edge_vectors = embed_parts([src_texts + tgt_texts, distinct], encoder)
    n, m = len(src), len(tgt)
    edges = [None, None]
    if pieces:
        row = {text: k for k, text in enumerate(distinct)}
        index = np.array([row[text] for text in pieces], dtype=np.intp)
        edges = [Edges(index[: 2 * n].reshape(2, n), edge_vectors)]
        edges.append(Edges(index[2 * n :].reshape(2, m), edge_vectors))
    problem = make_problem(
        singles[:n],
        singles[n:],
        src_lengths,
        tgt_lengths,
        params,
        np.array([s.paragraph for s in src]),
        np.array([t.paragraph for t in tgt]),
        *edges,
    )
    fixed = anchoring.fixed_spans(links, params.max_size)
    barriers = anchoring.barriers(fixed, _paragraph_barriers(src, tgt))
    progress.stage(progress.ALIGNING)
    first = align_problem(problem, barriers)
    lead_ins = ([is_lead_in(t) for t in src_texts], [is_lead_in(t) for t in tgt_texts])
    if params.refine_radius == 0 or not src or not tgt:
        return _tidied(problem, first, lead_ins, barriers, fixed)
    first = anchoring.keep_fixed(first, problem, fixed)
    unsure = unsure_beads(first, params.sure_margin)
    _give_back_memory(len(src) + len(tgt))
    progress.stage(progress.EMBEDDING_RUNS)
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
    # The refined problem's sentence vectors are the first rows of its runs' vectors: with
    # the first problem gone, the search holds each sentence's vector once.
    del singles
    problem = with_runs(problem, Runs(*src_runs), Runs(*tgt_runs))
    progress.stage(progress.REALIGNING)
    return _tidied(problem, align_problem(problem, barriers, first), lead_ins, barriers, fixed)


def _tidied(
    problem: Problem,
    beads: list[Bead],
    lead_ins: tuple[list[bool], list[bool]],
    barriers: list[tuple[int, int]],
    fixed: list[anchoring.Span],
) -> list[Bead]:
    """A search's beads with unmatched sentences of the two sides paired where they match,
    leftovers given to the full bead they belong to, lead-ins to the bead they open, and
    the reviewer's links kept."""
    beads = pair_leftovers(problem, beads, barriers)
    beads = detach_strays(problem, absorb_leftovers(problem, beads, barriers))
    beads = slide_gaps(problem, beads, barriers)
    beads = join_lead_ins(problem, beads, lead_ins, barriers)
    return anchoring.keep_fixed(beads, problem, fixed)


def _edges(src_texts: list[str], tgt_texts: list[str], params: AlignParams) -> list[str]:
    """The first clauses of every source sentence, then their last clauses, then the same
    for the target (whose clauses are longer by the document's length ratio)."""
    ratio = (sum(map(len, tgt_texts)) + 1.0) / (sum(map(len, src_texts)) + 1.0)
    pieces = []
    for texts, chars in ((src_texts, params.edge_chars), (tgt_texts, params.edge_chars * ratio)):
        heads, tails = zip(*(sentence_edges(t, round(chars)) for t in texts), strict=True)
        pieces += [*heads, *tails]
    return pieces


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


@contextmanager
def _encoder(
    model: str | os.PathLike | Encoder | None, cache: CacheOption
) -> Iterator[CachedEncoder]:
    """The encoder for `model` behind a cache, for one comparison: a model by name is
    loaded once per process, and its cache file opened once per thread (`kept_cache`); the
    cache is on disk unless `cache` is False or the encoder cannot say which model it is
    (no `fingerprint`), else in memory, so that scoring reuses the vectors the aligner
    made. An encoder that is a cache already is used as it is."""
    if model is None or isinstance(model, (str, os.PathLike)):
        encoder = shared_encoder(os.fspath(model) if model is not None else None)
    else:
        encoder = model
    if isinstance(encoder, CachedEncoder):
        yield encoder
        return
    on_disk = cache is not False and getattr(encoder, "fingerprint", None)
    folder = default_cache_dir() if cache is True else cache
    if on_disk and encoder is not model:  # loaded by name: kept for the process
        yield kept_cache(encoder, cache_file(folder))
        return
    with CachedEncoder(encoder, cache_file(folder) if on_disk else ":memory:") as cached:
        yield cached


def _check_options(
    src_lang: object,
    tgt_lang: object,
    model: object,
    align_params: object,
    flag_params: object,
    cache: object,
) -> None:
    """TypeError or ValueError for an option of the public API that cannot work."""
    for value, name in ((src_lang, "src_lang"), (tgt_lang, "tgt_lang")):
        if not isinstance(value, str):
            raise TypeError(
                f"{name} must be a language code such as 'ar' (a str), not {_kind(value)}"
            )
        if not value.strip():
            raise ValueError(f"{name} is empty: give a language code such as 'ar' or 'en'")
    if isinstance(model, (str, os.PathLike)) and not os.fspath(model).strip():
        raise ValueError("model is empty: give None for the bundled encoder, or a model name")
    if not (
        model is None
        or isinstance(model, (str, os.PathLike))
        or callable(getattr(model, "encode", None))
    ):
        raise TypeError(
            "model must be None (the bundled encoder), a sentence-transformers model name or "
            f"folder, or an encoder with an encode(texts) method, not {_kind(model)}"
        )
    for value, kind, name in (
        (align_params, AlignParams, "align_params"),
        (flag_params, FlagParams, "flag_params"),
    ):
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{name} must be None or an align.{kind.__name__}, not {_kind(value)}")
    if flag_params is not None and not (
        math.isfinite(flag_params.sensitivity) and flag_params.sensitivity > 0
    ):
        raise ValueError(
            f"flag_params.sensitivity must be a positive number, not {flag_params.sensitivity!r}"
        )
    if not isinstance(cache, (bool, str, os.PathLike)):
        raise TypeError(f"cache must be True, False or a folder, not {_kind(cache)}")


def _text(value: object, name: str) -> str:
    """`value` if it is a text with something in it, else TypeError or ValueError."""
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(
            f"{name} must be a str, not bytes: decode it first, e.g. {name}.decode('utf-8')"
        )
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")
    if not value.strip():
        raise ValueError(f"{name} is empty")
    return value


def _sentences(values: object, name: str) -> list[Sentence]:
    """`values` as `Sentence`s with their texts cleaned (see align.safetext), or TypeError
    or ValueError if it is not a non-empty sequence of str or Sentence."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        hint = ": for a whole text, use align.compare" if isinstance(values, str) else ""
        raise TypeError(
            f"{name} must be a list of sentences (str or Sentence), not {_kind(values)}{hint}"
        )
    if not values:
        raise ValueError(f"{name} is empty: there is nothing to align")
    sentences = []
    for index, value in enumerate(values):
        if isinstance(value, Sentence) and isinstance(value.text, str):
            sentences.append(Sentence(clean(value.text), value.paragraph))
        elif isinstance(value, str):
            sentences.append(Sentence(clean(value), 0))
        else:
            raise TypeError(f"{name}[{index}] must be a str or a Sentence, not {_kind(value)}")
    return sentences


def _kind(value: object) -> str:
    """How a wrong value is named in an error: "int", "None", "list"."""
    return "None" if value is None else type(value).__name__
