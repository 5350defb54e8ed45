"""The JSON report: every sentence and bead, in the versioned schema `SCHEMA_ID`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.reporting.common import finite, version
from align.reviewing import Decision

if TYPE_CHECKING:
    from align.result import Alignment
    from align.scoring import ScoredBead
    from align.segmenting import Sentence
    from align.wordlinking import Token

SCHEMA_ID = "align-report/2"
SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "alignment.schema.json"


def render_json(alignment: Alignment) -> Iterator[str]:
    """The report as JSON text, with no nan or infinity: objects indented, a list's items
    one to a line (a sentence or a bead per line, easy to read and to diff). In pieces: a
    bead's data (its words, their links) is made only when its turn comes, so that a long
    text's report is never held whole in memory, as objects or as text; joined, they are
    `_lines(report_data(alignment), "")` and a line break."""
    data = _head_data(alignment)
    yield "{\n"
    for number, (key, value) in enumerate(data.items()):
        yield (",\n" if number else "") + f"  {_one_line(key)}: "
        if key != "beads" or not alignment.beads:
            yield _lines(value, "  ")
            continue
        yield "[\n"
        for index in range(len(alignment.beads)):
            yield (",\n    " if index else "    ") + _bead_line(alignment, index)
        yield "\n  ]"
    yield "\n}\n"


# One line of JSON, by json's C encoder (indenting every level, json.dumps(indent=2) falls
# back to pure Python: ten seconds for the 114 suras' reports).
_one_line = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode


def _lines(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{_one_line(key)}: {_lines(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _one_line(item) for item in value) + f"\n{indent}]"
    return _one_line(value)


def report_data(alignment: Alignment) -> dict[str, Any]:
    """The JSON report as a dict (schema `SCHEMA_ID`): nan and infinities become None."""
    data = _head_data(alignment)
    data["beads"] = [_bead_data(alignment, index) for index in range(len(alignment.beads))]
    return data


def _head_data(alignment: Alignment) -> dict[str, Any]:
    """The report's dict with "beads" left empty (in its place among the keys)."""
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "align", "version": version()},
        "created": alignment.created,
        "model": alignment.model,
        "documents": {
            "source": {"name": alignment.src_name, "lang": alignment.src_lang},
            "target": {"name": alignment.tgt_name, "lang": alignment.tgt_lang},
        },
        "warnings": list(alignment.warnings),
        "summary": {
            "sentences": {
                "source": len(alignment.src_sentences),
                "target": len(alignment.tgt_sentences),
            },
            "beads": len(alignment.beads),
            "bead_types": alignment.bead_type_counts(),
            "flagged_beads": len(alignment.flagged),
            "flags": alignment.flag_counts(),
            "flags_total": sum(alignment.flag_counts().values()),
            "verdicts": alignment.verdict_counts(),
        },
        "sentences": {
            "source": _sentence_data(alignment.src_sentences),
            "target": _sentence_data(alignment.tgt_sentences),
        },
        "beads": [],
        "review": {
            "stale_decisions": [asdict(d) for d in alignment.review.stale],
            "anchors": [
                asdict(anchor) | {"kept": kept}
                for anchor, kept in zip(
                    alignment.review.anchors, alignment.review.kept, strict=True
                )
            ],
            "stale_anchors": [asdict(anchor) for anchor in alignment.review.stale_anchors],
        },
    }


def _bead_line(alignment: Alignment, index: int) -> str:
    """`_one_line(_bead_data(alignment, index))`, the words written without making a dict
    of each (they are four fifths of a report: twice as fast)."""
    bead = alignment.beads[index]
    line = _one_line(_bead_data(alignment, index, words=False))
    if bead.words is None:
        return line
    sides = [
        ", ".join(
            f'{{"sentence": {sentences[t.sentence]}, "start": {t.start}, "end": {t.end}, '
            f'"content": {"true" if t.content else "false"}}}'
            for t in tokens
        )
        for tokens, sentences in ((bead.words.src, bead.src), (bead.words.tgt, bead.tgt))
    ]
    links = ", ".join(f"[{s}, {t}]" for s, t in bead.words.links)
    words = f'{{"src": [{sides[0]}], "tgt": [{sides[1]}], "links": [{links}]}}'
    return f'{line[:-1]}, "words": {words}}}'


def _bead_data(alignment: Alignment, index: int, words: bool = True) -> dict[str, Any]:
    bead = alignment.beads[index]
    return {
        "index": index,
        "src": list(bead.src),
        "tgt": list(bead.tgt),
        "similarity": finite(bead.similarity),
        "cost": finite(bead.cost),
        "divergence": finite(bead.divergence),
        "status": alignment.status(index),
        "flags": [
            {
                "id": flag_id,
                "category": f.category,
                "reason": f.reason,
                "src_spans": list(f.src_spans),
                "tgt_spans": list(f.tgt_spans),
                "elsewhere": list(f.elsewhere),
                "review": _review(alignment.review.decisions.get(flag_id)),
            }
            for f, flag_id in zip(bead.flags, alignment.flag_ids[index], strict=True)
        ],
    } | (_words_data(bead) if words else {})


def _review(decision: Decision | None) -> dict[str, str]:
    """A flag's decision as the report shows it ("open" and empty fields when none)."""
    decision = decision or Decision("")
    return {
        "verdict": decision.verdict,
        "severity": decision.severity,
        "comment": decision.comment,
        "updated": decision.updated,
    }


def _words_data(bead: ScoredBead) -> dict[str, Any]:
    """The bead's words (sentence index, character span, content word or not) on each side
    and the links between them, as indices into those lists; nothing for a bead without."""
    if bead.words is None:
        return {}
    return {
        "words": {
            "src": [_token_data(t, bead.src) for t in bead.words.src],
            "tgt": [_token_data(t, bead.tgt) for t in bead.words.tgt],
            "links": [list(link) for link in bead.words.links],
        }
    }


def _token_data(token: Token, sentences: tuple[int, ...]) -> dict[str, Any]:
    return {
        "sentence": sentences[token.sentence],
        "start": token.start,
        "end": token.end,
        "content": token.content,
    }


def _sentence_data(sentences: list[Sentence]) -> list[dict[str, Any]]:
    return [{"index": i, "text": s.text, "paragraph": s.paragraph} for i, s in enumerate(sentences)]
