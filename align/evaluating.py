"""Read gold-aligned datasets and score predicted alignments against them.

The dataset layout and the metrics follow Vecalign (Thompson & Koehn, 2019) and Bertalign, so
that scores are comparable with the numbers those papers report: strict and lax precision,
recall and F1 as defined by Sennrich & Volk (2011) and computed by Vecalign's ``score.py``.
"""

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from align.edges import decode

Bead = tuple[tuple[int, ...], tuple[int, ...]]

_INDEX_LIST = r"\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]"
# Vecalign writes an optional third ":score" field; it carries no alignment and is ignored.
_BEAD_LINE = re.compile(
    rf"^\s*{_INDEX_LIST}\s*:\s*{_INDEX_LIST}\s*(?::\s*[-+]?[\d.]+(?:[eE][-+]?\d+)?\s*)?$"
)


def _indices(text: str) -> tuple[int, ...]:
    return tuple(int(item) for item in text.split(",")) if text.strip() else ()


def parse_beads(text: str) -> list[Bead]:
    """Parse Vecalign-style beads (``[0]:[0, 1]`` one per line; spaces and blank lines optional).

    Raises ValueError naming the 1-based line number of the first malformed line.
    """
    beads: list[Bead] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if match is None:
            raise ValueError(f"line {number}: not a bead of the form [0]:[0, 1]: {line!r}")
        beads.append((_indices(match.group(1)), _indices(match.group(2))))
    return beads


def format_beads(beads: Iterable[Bead]) -> str:
    """Write beads in Vecalign style, ``[0]:[0, 1]`` one per line, each line ending in a newline."""
    return "".join(
        f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]\n" for src, tgt in beads
    )


@dataclass(frozen=True)
class Document:
    """One document of a dataset: its source and target segments and its gold beads."""

    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]


def _read_lines(path: Path) -> list[str]:
    # split on "\n" only: str.splitlines would also break on U+2028, U+0085 and the like,
    # which may occur inside a segment and would shift every later index.
    text = decode(path.read_bytes(), str(path))
    if not text:
        return []
    return text.removesuffix("\n").split("\n")


def _check_range(beads: list[Bead], n_src: int, n_tgt: int) -> None:
    for number, (src, tgt) in enumerate(beads, start=1):
        for side, indices, size in (("source", src, n_src), ("target", tgt, n_tgt)):
            for index in indices:
                if index >= size:
                    raise ValueError(
                        f"bead {number}: {side} index {index} out of range "
                        f"(the document has {size} {side} lines)"
                    )


def read_dataset(path: str | os.PathLike[str]) -> list[Document]:
    """Read every ``NAME.src`` / ``NAME.tgt`` / ``NAME.gold`` triple in a directory, by name.

    Other files are ignored. Raises ValueError naming the file when one of the triple is
    missing, is not UTF-8 text, or a gold file is malformed or points past the end of its
    ``.src`` / ``.tgt``.
    """
    root = Path(path)
    suffixes = (".src", ".tgt", ".gold")
    names = sorted({p.stem for p in root.iterdir() if p.is_file() and p.suffix in suffixes})
    documents = []
    for name in names:
        src_path, tgt_path, gold_path = (root / f"{name}{suffix}" for suffix in suffixes)
        for required in (src_path, tgt_path, gold_path):
            if not required.is_file():
                raise ValueError(f"{required}: missing (every document needs .src, .tgt, .gold)")
        src, tgt = _read_lines(src_path), _read_lines(tgt_path)
        gold_text = decode(gold_path.read_bytes(), str(gold_path))
        try:
            gold = parse_beads(gold_text)
            _check_range(gold, len(src), len(tgt))
        except ValueError as error:
            raise ValueError(f"{gold_path}: {error}") from error
        documents.append(Document(name=name, src=src, tgt=tgt, gold=gold))
    return documents


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, micro-averaged over documents."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float

    def to_dict(self) -> dict[str, float]:
        """Return the scores as a plain dict, e.g. for JSON reports."""
        return dataclasses.asdict(self)


def _hits(reference: set[Bead], candidates: set[Bead]) -> tuple[int, int]:
    """Count candidates equal to a reference bead (strict) and those matching laxly.

    A candidate matches laxly if it equals a reference bead or shares at least one source and
    one target sentence with the same reference bead. Beads empty on one side can therefore only
    match strictly.
    """
    linked = {(s, t) for src, tgt in reference for s in src for t in tgt}
    strict = lax = 0
    for bead in candidates:
        src, tgt = bead
        if bead in reference:
            strict += 1
            lax += 1
        elif any((s, t) in linked for s in src for t in tgt):
            lax += 1
    return strict, lax


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def score(gold: list[list[Bead]], predicted: list[list[Bead]]) -> Scores:
    """Score predicted beads against gold beads, one list of beads per document.

    As in Vecalign's ``score.py``, beads are compared as sets per document (duplicates count
    once). Precision is over all predicted beads except empty ``[]:[]`` ones; recall is over gold
    beads with both sides non-empty, matched against predicted beads with both sides non-empty,
    so unmatched (1-0 / 0-1) gold beads are never required. Counts are summed over documents
    before dividing; F1 is the harmonic mean of P and R; any 0/0 gives 0.0.
    """
    if len(gold) != len(predicted):
        raise ValueError(
            f"got gold beads for {len(gold)} documents but predictions for {len(predicted)}"
        )
    p_strict = p_lax = p_total = r_strict = r_lax = r_total = 0
    for gold_doc, predicted_doc in zip(gold, predicted, strict=True):
        gold_set = {(tuple(s), tuple(t)) for s, t in gold_doc if s or t}
        predicted_set = {(tuple(s), tuple(t)) for s, t in predicted_doc if s or t}
        strict, lax = _hits(gold_set, predicted_set)
        p_strict, p_lax, p_total = p_strict + strict, p_lax + lax, p_total + len(predicted_set)

        gold_linked = {(s, t) for s, t in gold_set if s and t}
        predicted_linked = {(s, t) for s, t in predicted_set if s and t}
        strict, lax = _hits(predicted_linked, gold_linked)
        r_strict, r_lax, r_total = r_strict + strict, r_lax + lax, r_total + len(gold_linked)

    strict_precision, lax_precision = _ratio(p_strict, p_total), _ratio(p_lax, p_total)
    strict_recall, lax_recall = _ratio(r_strict, r_total), _ratio(r_lax, r_total)
    return Scores(
        strict_precision=strict_precision,
        strict_recall=strict_recall,
        strict_f1=_f1(strict_precision, strict_recall),
        lax_precision=lax_precision,
        lax_recall=lax_recall,
        lax_f1=_f1(lax_precision, lax_recall),
    )
