"""Stage 6: a reviewer's decisions on the flags, and the sentence links that fix the alignment.

Every flag has an id (`flag_id`) made from what it is about: its category, the normalised
texts of its bead and its spans. The reason is left out (it quotes figures that depend on the
whole document), so an id is the same on every run and unaffected by edits elsewhere in the
document. A flag whose bead or passages change gets a new id: the old decision is then
*stale*, listed rather than dropped.

A decisions file (format `DECISIONS_FORMAT`, schema `schema/decisions.schema.json`) is what
the HTML report's "Export decisions" writes and `align report --decisions FILE` reads:

- ``decisions``: per flag id, a verdict (open, accepted, dismissed), a severity and a
  comment, with the flag's category, reason and bead texts so that a stale one can be read;
- ``anchors``: links the reviewer made between an original sentence and a translation
  sentence (indices from 0, with the texts), which the aligner then keeps in one bead.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.edges import InputError, read_text

if TYPE_CHECKING:
    from align.scoring import Flag, ScoredBead
    from align.segmenting import Sentence

DECISIONS_FORMAT = "align-decisions/1"
VERDICTS = ("open", "accepted", "dismissed")
SEVERITIES = ("", "minor", "major", "critical")

# The normalisation behind flag ids. Changing it changes every id and makes every saved
# decision stale: keep it as it is.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SPACE = re.compile(r"\s+")


class DecisionsError(ValueError):
    """A decisions file that cannot be used; the message is one line a person can act on."""


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one flag (`flag` is its id). `category`, `reason`, `src`
    and `tgt` record what the flag was about, for when it no longer exists."""

    flag: str
    verdict: str = "open"
    severity: str = ""
    comment: str = ""
    updated: str = ""
    category: str = ""
    reason: str = ""
    src: str = ""
    tgt: str = ""


@dataclass(frozen=True)
class Anchor:
    """A link the reviewer made: original sentence `src` and translation sentence `tgt`
    (indices from 0) belong in the same bead. The texts let a link follow its sentences
    when the documents change around them."""

    src: int
    tgt: int
    src_text: str = ""
    tgt_text: str = ""


@dataclass(frozen=True)
class Decisions:
    """The content of a decisions file."""

    decisions: tuple[Decision, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    source: str = ""  # the documents' names, for people
    target: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Decisions:
        """Read a decisions file; `DecisionsError` names what is wrong with it."""
        try:
            text = read_text(str(path), "decisions file")
        except InputError as error:  # missing, a folder, not UTF-8, too large, empty
            raise DecisionsError(str(error)) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DecisionsError(
                f"the decisions file {path} is not JSON (line {error.lineno}: {error.msg})"
            ) from None
        try:
            return cls.from_data(data)
        except DecisionsError as error:
            raise DecisionsError(f"the decisions file {path}: {error}") from None

    @classmethod
    def from_data(cls, data: Any) -> Decisions:
        """Decisions from the parsed JSON of a decisions file."""
        if not isinstance(data, dict) or data.get("format") != DECISIONS_FORMAT:
            raise DecisionsError(f'expected an object with "format": "{DECISIONS_FORMAT}"')
        documents = data.get("documents") or {}
        return cls(
            decisions=tuple(_decision(item) for item in _list(data, "decisions")),
            anchors=tuple(_anchor(item) for item in _list(data, "anchors")),
            source=str(documents.get("source", "")) if isinstance(documents, dict) else "",
            target=str(documents.get("target", "")) if isinstance(documents, dict) else "",
        )

    def to_data(self) -> dict[str, Any]:
        """The decisions file's content, ready for json.dumps."""
        return {
            "format": DECISIONS_FORMAT,
            "documents": {"source": self.source, "target": self.target},
            "decisions": [asdict(d) for d in self.decisions],
            "anchors": [asdict(a) for a in self.anchors],
        }


@dataclass(frozen=True)
class Review:
    """Decisions as they apply to one alignment.

    `decisions` holds those whose flag exists, by flag id; `stale` those whose flag does
    not. `anchors` are the links found in the documents (with current indices), `kept`
    says for each whether the alignment has both its sentences in one bead, and
    `stale_anchors` are links whose sentences are no longer there.
    """

    decisions: dict[str, Decision] = field(default_factory=dict)
    stale: tuple[Decision, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    kept: tuple[bool, ...] = ()
    stale_anchors: tuple[Anchor, ...] = ()

    @property
    def nothing_applies(self) -> bool:
        """True when there were decisions or links and every one is stale: most likely
        the decisions file of another pair of documents."""
        found = self.decisions or self.anchors
        return not found and bool(self.stale or self.stale_anchors)

    def verdict(self, flag: str) -> str:
        """ "open", "accepted" or "dismissed": the decision on flag id `flag`."""
        decision = self.decisions.get(flag)
        return decision.verdict if decision else "open"


def flag_id(flag: Flag, src_text: str, tgt_text: str) -> str:
    """The id of `flag` in a bead whose sides read `src_text` and `tgt_text`:
    "<category>-<10 hex digits>", a hash of the normalised texts and of every field of
    the flag (category, spans, word positions …) but its reason, the other places it may
    be (`elsewhere`) and any score (a float), which depend on the rest of the document."""
    about = [_normal(src_text), _normal(tgt_text)]
    for name in (f.name for f in fields(flag) if f.name not in ("reason", "elsewhere")):
        value = getattr(flag, name)
        if not isinstance(value, float):
            about.append([name, _canonical(value)])
    digest = hashlib.sha256(json.dumps(about, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{flag.category}-{digest[:10]}"


def flag_ids(
    beads: Sequence[ScoredBead], src: Sequence[Sentence], tgt: Sequence[Sentence]
) -> tuple[tuple[str, ...], ...]:
    """The id of every flag, bead by bead. Flags that are about the same thing (a verse
    repeated word for word, flagged alike) get "-2", "-3" … after the first, in order."""
    seen: Counter[str] = Counter()
    ids = []
    for bead in beads:
        src_text = " ".join(src[i].text for i in bead.src)
        tgt_text = " ".join(tgt[j].text for j in bead.tgt)
        row = []
        for flag in bead.flags:
            base = flag_id(flag, src_text, tgt_text)
            seen[base] += 1
            row.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
        ids.append(tuple(row))
    return tuple(ids)


def review(
    decisions: Decisions,
    ids: Sequence[Sequence[str]],
    beads: Sequence[ScoredBead],
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
) -> Review:
    """Match `decisions` against an alignment's flag ids and sentences. A flag id decided
    twice keeps its last decision."""
    current = {flag for row in ids for flag in row}
    matched = {d.flag: d for d in decisions.decisions if d.flag in current}
    stale = tuple({d.flag: d for d in decisions.decisions if d.flag not in current}.values())
    anchors, stale_anchors = resolve_anchors(decisions.anchors, src, tgt)
    bead_of_src = {i: k for k, bead in enumerate(beads) for i in bead.src}
    bead_of_tgt = {j: k for k, bead in enumerate(beads) for j in bead.tgt}
    kept = tuple(bead_of_src.get(a.src, -1) == bead_of_tgt.get(a.tgt, -2) for a in anchors)
    return Review(matched, stale, anchors, kept, stale_anchors)


def resolve_anchors(
    anchors: Sequence[Anchor], src: Sequence[Sentence], tgt: Sequence[Sentence]
) -> tuple[tuple[Anchor, ...], tuple[Anchor, ...]]:
    """(found, stale): each anchor with the indices its sentences have now. A sentence is
    found at its index if its text is still there, else at the nearest sentence with its
    text; an anchor without texts is taken by index. Stale: a sentence not found."""
    found, stale = [], []
    for anchor in anchors:
        i = _locate(anchor.src, anchor.src_text, src)
        j = _locate(anchor.tgt, anchor.tgt_text, tgt)
        if i is None or j is None:
            stale.append(anchor)
        else:
            found.append(Anchor(i, j, src[i].text, tgt[j].text))
    return tuple(dict.fromkeys(found)), tuple(stale)


def _locate(index: int, text: str, sentences: Sequence[Sentence]) -> int | None:
    if not text:
        return index if 0 <= index < len(sentences) else None
    wanted = _normal(text)
    places = [k for k, s in enumerate(sentences) if _normal(s.text) == wanted]
    return min(places, key=lambda k: abs(k - index)) if places else None


def _normal(text: str) -> str:
    """Text as ids see it: NFKC, no Arabic diacritics or tatweel, spaces collapsed, casefolded."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))
    return _SPACE.sub(" ", text).strip().casefold()


def _canonical(value: Any) -> Any:
    """`value` in a form json.dumps takes and that does not depend on incidental spelling."""
    if isinstance(value, str):
        return _normal(value)
    if is_dataclass(value) and not isinstance(value, type):
        return _canonical(asdict(value))
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return repr(value)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise DecisionsError(f'"{key}" must be a list')
    return value


def _decision(item: Any) -> Decision:
    if not isinstance(item, dict) or not isinstance(item.get("flag"), str) or not item["flag"]:
        raise DecisionsError(f"a decision without a flag id: {json.dumps(item)[:80]}")
    known = {f.name for f in fields(Decision)}
    values = {k: v if isinstance(v, str) else "" for k, v in item.items() if k in known}
    decision = Decision(**values)
    if decision.verdict not in VERDICTS:
        raise DecisionsError(
            f"flag {decision.flag}: verdict {decision.verdict!r} is not one of "
            f"{', '.join(VERDICTS)}"
        )
    if decision.severity not in SEVERITIES:
        raise DecisionsError(
            f"flag {decision.flag}: severity {decision.severity!r} is not one of "
            f"{', '.join(s for s in SEVERITIES if s)}"
        )
    return decision


def _anchor(item: Any) -> Anchor:
    ok = isinstance(item, dict) and all(
        isinstance(item.get(k), int) and not isinstance(item.get(k), bool) and item[k] >= 0
        for k in ("src", "tgt")
    )
    if not ok:
        raise DecisionsError(
            f"an anchor needs sentence indices src and tgt (from 0): {json.dumps(item)[:80]}"
        )
    texts = {k: item[k] for k in ("src_text", "tgt_text") if isinstance(item.get(k), str)}
    return Anchor(item["src"], item["tgt"], **texts)
