"""Helpers shared by the report formats: numbers, bead texts, line breaks, directions."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align.result import Alignment
    from align.scoring import ScoredBead

# Everything str.splitlines() breaks on: a TSV row or a Markdown table row must stay one line.
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}


def version() -> str:
    """align's version, imported late: the package may still be initialising at import time."""
    import align

    return align.__version__


def finite(value: float, digits: int = 6) -> float | None:
    """`value` rounded, or None when it is nan or infinite (JSON has neither)."""
    return round(value, digits) if math.isfinite(value) else None


def fixed(value: float, digits: int = 3) -> str:
    """`value` with a fixed number of decimals, or "" when it is nan or infinite."""
    return f"{value:.{digits}f}" if math.isfinite(value) else ""


def side_texts(alignment: Alignment, bead: ScoredBead) -> tuple[str, str]:
    """The bead's original and translation, each side's sentences joined by a space."""
    return (
        " ".join(alignment.src_sentences[i].text for i in bead.src),
        " ".join(alignment.tgt_sentences[j].text for j in bead.tgt),
    )


def reasons(bead: ScoredBead) -> str:
    """The bead's flags as one line: "category: reason; category: reason"."""
    return "; ".join(f"{flag.category}: {flag.reason}" for flag in bead.flags)


def one_line(text: str) -> str:
    """`text` with every line break and tab turned into a space."""
    return _LINE_BREAKS.sub(" ", text)


def direction(lang: str) -> str:
    """The writing direction of language `lang` (by its primary subtag): "rtl" or "ltr"."""
    return "rtl" if lang.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"
