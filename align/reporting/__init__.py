"""Stage 5: render an alignment as a report that a person or a program can read.

Formats (`FORMATS`), one module each:

- ``html`` (`html_report`): one self-contained page, original and translation side by side,
  flagged rows coloured by category, with a filter and keyboard navigation between flags.
  The page is a Jinja2 template with its stylesheet and script in `page/`, inlined on render.
- ``json`` (`json_report`): every sentence and bead, in the versioned schema
  ``schema/alignment.schema.json``.
- ``tsv`` (`tsv_report`): one row per bead, for spreadsheets and shell tools.
- ``md`` (`md_report`): a summary and a table, for terminals and code review.
- ``tmx`` (`tmx_report`): a TMX 1.4b translation memory of the matched beads, for CAT tools.

Every renderer is a pure function of the alignment; the HTML loads nothing from the network.
Machine formats (json, tsv, tmx) count beads and sentences from 0, as `Alignment` does; the
formats people read (html, md) count from 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from align.reporting.html_report import render_html
from align.reporting.json_report import SCHEMA_ID, SCHEMA_PATH, render_json, report_data
from align.reporting.md_report import render_md
from align.reporting.tmx_report import render_tmx
from align.reporting.tsv_report import render_tsv
from align.safetext import clean_alignment

if TYPE_CHECKING:
    from align.result import Alignment

__all__ = [
    "FORMATS",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "format_for_path",
    "render",
    "render_pieces",
    "report_data",
]

# Each renderer returns the whole text, or (json, html: the formats of long documents) the
# text in pieces, made as they are asked for.
_RENDERERS: dict[str, Callable[[Alignment], str | Iterable[str]]] = {
    "html": render_html,
    "json": render_json,
    "tsv": render_tsv,
    "md": render_md,
    "tmx": render_tmx,
}
FORMATS = tuple(_RENDERERS)

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".tsv": "tsv",
    ".md": "md",
    ".markdown": "md",
    ".tmx": "tmx",
}


def render(alignment: Alignment, fmt: str) -> str:
    """The report of `alignment` as text in format `fmt`, one of `FORMATS`."""
    return "".join(render_pieces(alignment, fmt))


def render_pieces(alignment: Alignment, fmt: str) -> Iterator[str]:
    """The report of `alignment` in format `fmt` as consecutive pieces of its text, to be
    written one by one: a long document's report (the JSON of the whole Qur'an is 38 MB)
    is then never held whole in memory. Raises ValueError at once for an unknown format."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r}; expected one of: {', '.join(FORMATS)}"
        ) from None
    report = renderer(clean_alignment(alignment))  # no raw control reaches any format
    return iter((report,) if isinstance(report, str) else report)


def format_for_path(path: str | Path) -> str:
    """The report format that a file name's extension asks for, e.g. "report.htm" -> "html"."""
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(
            f"cannot tell the report format of {str(path)!r} from its extension; "
            f"use one of: {', '.join(_EXTENSIONS)}"
        )
    return _EXTENSIONS[suffix]
