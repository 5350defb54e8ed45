"""Stage 5: render an alignment as a report that a person or a program can read.

Formats (`FORMATS`):

- ``html``: one self-contained page, original and translation side by side, flagged rows
  coloured by category, with a filter and keyboard navigation between flags.
- ``json``: every sentence and bead, in the versioned schema ``schema/alignment.schema.json``.
- ``tsv``: one row per bead, for spreadsheets and shell tools.
- ``md``: a summary and a table, for terminals and code review.
- ``tmx``: a TMX 1.4b translation memory of the matched beads, for CAT tools.

Every renderer is a pure function of the alignment and uses only the standard library; the
HTML loads nothing from the network. Machine formats (json, tsv, tmx) count beads and
sentences from 0, as `Alignment` does; the formats people read (html, md) count from 1.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.scoring import CATEGORIES

if TYPE_CHECKING:
    from align.result import Alignment
    from align.scoring import ScoredBead
    from align.segmenting import Sentence

SCHEMA_ID = "align-report/1"
SCHEMA_PATH = Path(__file__).with_name("schema") / "alignment.schema.json"

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".tsv": "tsv",
    ".md": "md",
    ".markdown": "md",
    ".tmx": "tmx",
}
# Everything str.splitlines() breaks on: a TSV row or a Markdown table row must stay one line.
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Characters XML 1.0 forbids even when escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}


def render(alignment: Alignment, fmt: str) -> str:
    """The report of `alignment` as text in format `fmt`, one of `FORMATS`."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r}; expected one of: {', '.join(FORMATS)}"
        ) from None
    return renderer(alignment)


def format_for_path(path: str | Path) -> str:
    """The report format that a file name's extension asks for, e.g. "report.htm" -> "html"."""
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(
            f"cannot tell the report format of {str(path)!r} from its extension; "
            f"use one of: {', '.join(_EXTENSIONS)}"
        )
    return _EXTENSIONS[suffix]


def report_data(alignment: Alignment) -> dict[str, Any]:
    """The JSON report as a dict (schema `SCHEMA_ID`): nan and infinities become None."""
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "align", "version": _version()},
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
        },
        "sentences": {
            "source": _sentence_data(alignment.src_sentences),
            "target": _sentence_data(alignment.tgt_sentences),
        },
        "beads": [
            {
                "index": index,
                "src": list(bead.src),
                "tgt": list(bead.tgt),
                "similarity": _finite(bead.similarity),
                "cost": _finite(bead.cost),
                "divergence": _finite(bead.divergence),
                "status": bead.status,
                "flags": [
                    {
                        "category": f.category,
                        "reason": f.reason,
                        "src_spans": list(f.src_spans),
                        "tgt_spans": list(f.tgt_spans),
                    }
                    for f in bead.flags
                ],
            }
            for index, bead in enumerate(alignment.beads)
        ],
    }


# --- shared helpers -------------------------------------------------------------------------


def _version() -> str:
    """align's version, imported late: the package may still be initialising at import time."""
    import align

    return align.__version__


def _finite(value: float, digits: int = 6) -> float | None:
    """`value` rounded, or None when it is nan or infinite (JSON has neither)."""
    return round(value, digits) if math.isfinite(value) else None


def _fixed(value: float, digits: int = 3) -> str:
    """`value` with a fixed number of decimals, or "" when it is nan or infinite."""
    return f"{value:.{digits}f}" if math.isfinite(value) else ""


def _sentence_data(sentences: list[Sentence]) -> list[dict[str, Any]]:
    return [{"index": i, "text": s.text, "paragraph": s.paragraph} for i, s in enumerate(sentences)]


def _side_texts(alignment: Alignment, bead: ScoredBead) -> tuple[str, str]:
    """The bead's original and translation, each side's sentences joined by a space."""
    return (
        " ".join(alignment.src_sentences[i].text for i in bead.src),
        " ".join(alignment.tgt_sentences[j].text for j in bead.tgt),
    )


def _reasons(bead: ScoredBead) -> str:
    return "; ".join(f"{flag.category}: {flag.reason}" for flag in bead.flags)


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def _direction(lang: str) -> str:
    """The writing direction of language `lang` (by its primary subtag): "rtl" or "ltr"."""
    return "rtl" if lang.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"


# --- TSV ------------------------------------------------------------------------------------

_TSV_COLUMNS = (
    "src_indices",
    "tgt_indices",
    "status",
    "divergence",
    "similarity",
    "src_text",
    "tgt_text",
    "reasons",
)


def _render_tsv(alignment: Alignment) -> str:
    """One row per bead. Fields never hold tabs or line breaks; quotes are CSV-quoted."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerow(_TSV_COLUMNS)
    for bead in alignment.beads:
        src, tgt = _side_texts(alignment, bead)
        writer.writerow(
            [
                ",".join(map(str, bead.src)),
                ",".join(map(str, bead.tgt)),
                bead.status,
                _fixed(bead.divergence),
                _fixed(bead.similarity),
                _one_line(src),
                _one_line(tgt),
                _one_line(_reasons(bead)),
            ]
        )
    return out.getvalue()


# --- JSON -----------------------------------------------------------------------------------


def _render_json(alignment: Alignment) -> str:
    return json.dumps(report_data(alignment), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --- Markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: one line, no column breaks, no raw HTML."""
    return _one_line(text).replace("|", r"\|").replace("<", "&lt;")


def _md_side(sentences: list[Sentence], indices: tuple[int, ...]) -> str:
    return " ".join(f"[{i + 1}] {_md(sentences[i].text)}" for i in indices) or "—"


def _render_md(alignment: Alignment) -> str:
    a = alignment
    types = ", ".join(f"{n} × {shape}" for shape, n in a.bead_type_counts().items())
    flags = ", ".join(f"{c.replace('_', ' ')} {n}" for c, n in a.flag_counts().items())
    lines = [
        f"# Alignment: {_md(a.src_name)} ↔ {_md(a.tgt_name)}",
        "",
        f"- **Original:** {_md(a.src_name)} ({_md(a.src_lang)}), {len(a.src_sentences)} sentences",
        f"- **Translation:** {_md(a.tgt_name)} ({_md(a.tgt_lang)}), "
        f"{len(a.tgt_sentences)} sentences",
        f"- **Encoder:** {_md(a.model) or 'unknown'}; **created:** {_md(a.created) or 'unknown'}",
        f"- **Beads:** {len(a.beads)} ({types or 'none'})",
        f"- **Flagged beads:** {len(a.flagged)} ({flags})",
        *(f"- **Warning:** {_md(warning)}" for warning in a.warnings),
        "",
        "Beads and sentences are numbered from 1.",
        "",
        f"| # | Original ({_md(a.src_lang)}) | Translation ({_md(a.tgt_lang)}) "
        "| Divergence | Status |",
        "|---:|---|---|---:|---|",
    ]
    for number, bead in enumerate(a.beads, 1):
        status = "<br>".join(f"**{_md(f.category)}**: {_md(f.reason)}" for f in bead.flags)
        lines.append(
            f"| {number} | {_md_side(a.src_sentences, bead.src)} "
            f"| {_md_side(a.tgt_sentences, bead.tgt)} "
            f"| {_fixed(bead.divergence, 2)} | {status or 'ok'} |"
        )
    return "\n".join(lines) + "\n"


# --- TMX ------------------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx_date(created: str) -> str | None:
    """An ISO timestamp in TMX's form (YYYYMMDDThhmmssZ, UTC), or None if it is not one."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return None
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _render_tmx(alignment: Alignment) -> str:
    """A TMX 1.4b memory with one <tu> per bead that has both sides.

    Unmatched beads (omissions, additions) are left out: the DTD would allow a <tu> with a
    single <tuv>, but it is not a translation, and CAT tools either reject it or store an
    empty match. Each <tu> carries the bead's status and divergence as x-align-* props and
    its flags' reasons as notes, so that a memory can be filtered before import.
    """
    a = alignment
    header = {
        "creationtool": "align",
        "creationtoolversion": _version(),
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": a.src_lang,
        "o-tmf": "align",
    }
    if date := _tmx_date(a.created):
        header["creationdate"] = date
    root = ET.Element("tmx", version="1.4")
    head = ET.SubElement(root, "header", header)
    for kind, value in (
        ("x-align-source-name", a.src_name),
        ("x-align-target-name", a.tgt_name),
        ("x-align-model", a.model),
    ):
        ET.SubElement(head, "prop", type=kind).text = _xml_text(value)
    body = ET.SubElement(root, "body")
    for index, bead in enumerate(a.beads):
        if not (bead.src and bead.tgt):
            continue
        unit = ET.SubElement(body, "tu", tuid=str(index))
        ET.SubElement(unit, "prop", type="x-align-status").text = bead.status
        ET.SubElement(unit, "prop", type="x-align-divergence").text = _fixed(bead.divergence)
        for flag in bead.flags:
            ET.SubElement(unit, "note").text = _xml_text(f"{flag.category}: {flag.reason}")
        for lang, text in zip((a.src_lang, a.tgt_lang), _side_texts(a, bead), strict=True):
            variant = ET.SubElement(unit, "tuv", {_XML_LANG: lang})
            ET.SubElement(variant, "seg").text = _xml_text(text)
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + ET.tostring(root, encoding="unicode") + "\n"
    )


# --- HTML -----------------------------------------------------------------------------------

# Category colours: dark enough for white badge text; rows get a light tint of the same hue.
# Any other category falls back to the neutral grey of `.flagged`.
_CATEGORY_COLOURS = {
    "omission": "#c2410c",
    "addition": "#1d4ed8",
    "number_mismatch": "#0f766e",
    "meaning_shift": "#a21caf",
}
_NEUTRAL_COLOUR = "#4b5563"
_OK_COLOUR = "#94a3b8"

_CSS = """
:root {
  color-scheme: light;
  --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --paper: #fff; --panel: #f6f7f9;
  --accent: #2563eb; --ok: %(ok)s;
  --ui: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
    sans-serif;
  --latin: "Iowan Old Style", Charter, "Bitstream Charter", Georgia, "Noto Serif",
    "DejaVu Serif", serif;
  --arabic: "Noto Naskh Arabic", "Amiri", "Scheherazade New", "Geeza Pro",
    "Traditional Arabic", "Arabic Typesetting", "Noto Sans Arabic", "Segoe UI", Tahoma, serif;
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 var(--ui); color: var(--ink); background: var(--panel); }
.page { max-width: 1560px; margin: 0 auto; padding: 0 28px 56px; }
header.report { padding: 26px 0 14px; }
.kicker { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase;
  color: var(--muted); }
h1 { margin: 4px 0 6px; font-size: 26px; font-weight: 650; line-height: 1.25; }
h1 .arrow { margin: 0 .35em; color: var(--muted); font-weight: 400; }
.meta { margin: 0; color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr));
  gap: 12px; margin-top: 18px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 16px; }
.card h2 { margin: 0 0 8px; font-size: 12px; font-weight: 600; letter-spacing: .06em;
  text-transform: uppercase; color: var(--muted); }
.stats { list-style: none; margin: 0; padding: 0; }
.stats li { display: flex; justify-content: space-between; gap: 12px; padding: 1px 0; }
.stats .n { font-weight: 600; font-variant-numeric: tabular-nums; }
.stats li.zero { color: var(--muted); }
.stats li.zero .n { font-weight: 400; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 7px;
  border-radius: 3px; background: var(--cat); }
.histogram { display: block; width: 100%%; max-width: 320px; height: auto; }
.histogram text { font: 10px var(--ui); fill: var(--muted); }
.histogram .axis { stroke: #cbd5e1; }
.histogram rect { fill: var(--cat); }
.histogram rect.ok { fill: var(--ok); }
.caption { margin: 4px 0 0; font-size: 12px; color: var(--muted); }
.warnings { margin-top: 14px; padding: 10px 16px; border: 1px solid #f59e0b;
  border-radius: 10px; background: #fffbeb; }
.warnings ul { margin: 4px 0 0; padding-left: 20px; }
.controls { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap;
  align-items: center; gap: 8px 14px; margin-bottom: 12px; padding: 10px 0;
  background: rgba(246, 247, 249, .96); border-bottom: 1px solid var(--line); }
.controls label { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; }
.controls button { font: inherit; padding: 4px 12px; border: 1px solid #cbd5e1;
  border-radius: 7px; background: var(--paper); color: var(--ink); cursor: pointer; }
.controls button:hover:not(:disabled) { border-color: var(--accent); color: var(--accent); }
.controls button:disabled { color: var(--muted); cursor: default; }
#flag-position { color: var(--muted); font-variant-numeric: tabular-nums; }
.hint { margin-left: auto; font-size: 13px; color: var(--muted); }
kbd { padding: 0 5px; border: 1px solid #cbd5e1; border-bottom-width: 2px; border-radius: 4px;
  background: var(--paper); font: 12px var(--ui); }
.table-wrap { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  overflow: hidden; }
table.beads { width: 100%%; border-collapse: collapse; table-layout: fixed; }
col.c-num { width: 4.5rem; }
col.c-score { width: 7.5rem; }
col.c-status { width: 19rem; }
th { padding: 9px 14px; border-bottom: 1px solid var(--line); background: #fafbfc;
  font-size: 12px; font-weight: 600; letter-spacing: .05em; text-align: left;
  text-transform: uppercase; color: var(--muted); }
th.rtl { text-align: right; }
td { padding: 10px 14px; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; }
tr.bead:last-child > td { border-bottom: 0; }
td.side { font-family: var(--latin); font-size: 16px; line-height: 1.6; }
td.side[dir="rtl"] { text-align: right; }
td.side:lang(ar), td.side:lang(fa), td.side:lang(ur), td.side:lang(ps) {
  font-family: var(--arabic); font-size: 18px; line-height: 1.85; }
.sent { display: flex; gap: .6em; }
.sent + .sent { margin-top: .4em; padding-top: .4em; border-top: 1px dashed var(--line); }
.idx { flex: none; min-width: 1.8em; font: 11px/2.2 var(--ui); color: var(--muted);
  font-variant-numeric: tabular-nums; }
.missing { font: italic 13px/1.9 var(--ui); color: var(--muted); }
td.num { font: 11px/1.5 var(--ui); color: var(--muted); }
td.num a { display: block; font-size: 15px; font-weight: 600; color: var(--ink);
  text-decoration: none; }
td.num a:hover { color: var(--accent); }
td.score { font: 12px var(--ui); color: var(--muted); font-variant-numeric: tabular-nums; }
.bar { height: 6px; margin: 8px 0 3px; border-radius: 3px; background: #edf0f4;
  overflow: hidden; }
.bar span { display: block; height: 100%%; border-radius: 3px; background: var(--ok); }
tr.flagged .bar span { background: var(--cat); }
td.status { font-size: 13px; }
.ok-label { color: var(--muted); }
.flag + .flag { margin-top: 8px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; background: var(--cat);
  color: #fff; font: 600 11px/1.8 var(--ui); letter-spacing: .04em; text-transform: uppercase; }
.reason { margin: 3px 0 0; color: #374151; line-height: 1.4; }
mark { background: none; color: inherit; border-bottom: 3px solid var(--cat);
  box-decoration-break: clone; -webkit-box-decoration-break: clone; }
tr.flagged > td { background: var(--tint); }
tr.flagged > td:first-child { box-shadow: inset 4px 0 0 var(--cat); }
tr.bead.current { outline: 3px solid var(--accent); outline-offset: -3px; }
tr.bead:focus { outline: none; }
tr.bead.current:focus { outline: 3px solid var(--accent); }
body.only-flagged tr.bead:not(.flagged) { display: none; }
:where(.flagged, .flag, .swatch, .histogram rect) {
  --cat: %(neutral)s; --tint: %(neutral_tint)s; }
%(categories)s
@media print {
  body { background: #fff; font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .controls, .hint { display: none; }
  .card, .table-wrap, .warnings { border-color: #bbb; background: #fff; }
  .table-wrap { overflow: visible; border-radius: 0; }
  thead { display: table-header-group; }
  th { background: #fff; }
  tr.bead { break-inside: avoid; page-break-inside: avoid; }
  tr.bead.current { outline: none; }
  td.num a { color: inherit; }
  .badge { background: #fff; color: var(--cat); border: 1px solid var(--cat); }
  tr.flagged > td, .bar, .bar span, .swatch, .histogram rect {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_JS = """
(() => {
  "use strict";
  const flagged = [...document.querySelectorAll("tr.bead.flagged")];
  const only = document.getElementById("only-flagged");
  const position = document.getElementById("flag-position");
  const steps = { j: 1, n: 1, k: -1, p: -1 };
  let current = -1;
  only.addEventListener("change", () => {
    document.body.classList.toggle("only-flagged", only.checked);
  });
  const go = (step) => {
    if (!flagged.length) return;
    if (current >= 0) flagged[current].classList.remove("current");
    current = current < 0 && step < 0
      ? flagged.length - 1
      : (current + step + flagged.length) % flagged.length;
    const row = flagged[current];
    row.classList.add("current");
    row.scrollIntoView({ block: "center" });
    row.focus({ preventScroll: true });
    position.textContent = `flag ${current + 1} of ${flagged.length}`;
  };
  document.getElementById("next-flag").addEventListener("click", () => go(1));
  document.getElementById("prev-flag").addEventListener("click", () => go(-1));
  document.addEventListener("keydown", (event) => {
    const step = Object.hasOwn(steps, event.key) ? steps[event.key] : 0;
    if (!step || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    go(step);
  });
})();
"""


def _e(text: object) -> str:
    """Escaped for HTML text and attribute values alike."""
    return html.escape(str(text), quote=True)


def _category_class(category: str) -> str:
    return "cat-" + re.sub(r"[^a-z0-9_-]", "-", category.lower())


def _label(category: str) -> str:
    return category.replace("_", " ")


def _tint(colour: str, share: float = 0.1) -> str:
    """`colour` (#rrggbb) mixed with white, keeping `share` of the colour."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def _css() -> str:
    categories = "\n".join(
        f".{_category_class(c)} {{ --cat: {colour}; --tint: {_tint(colour)}; }}"
        for c, colour in _CATEGORY_COLOURS.items()
    )
    return _CSS % {
        "ok": _OK_COLOUR,
        "neutral": _NEUTRAL_COLOUR,
        "neutral_tint": _tint(_NEUTRAL_COLOUR),
        "categories": categories,
    }


def _stats(items: dict[str, int], swatches: bool = False) -> str:
    """A list of name/count lines; with `swatches`, names are categories with their colour."""
    rows = []
    for name, count in items.items():
        swatch = f'<span class="swatch {_category_class(name)}"></span>' if swatches else ""
        label = _label(name) if swatches else name
        zero = ' class="zero"' if count == 0 else ""
        rows.append(
            f'<li{zero}><span>{swatch}{_e(label)}</span><span class="n">{count}</span></li>'
        )
    return f'<ul class="stats">{"".join(rows)}</ul>'


def _histogram(beads: Sequence[ScoredBead], bins: int = 10) -> str:
    """An inline SVG histogram of divergence scores, each bar stacked by bead status."""
    width, height, left, bottom, top = 300, 104, 26, 18, 8
    plot_w, plot_h = width - left - 6, height - bottom - top
    columns: list[Counter[str]] = [Counter() for _ in range(bins)]
    for bead in beads:
        if math.isfinite(bead.divergence):
            columns[min(int(max(bead.divergence, 0.0) * bins), bins - 1)][bead.status] += 1
    tallest = max((sum(c.values()) for c in columns), default=0) or 1
    bar_w = plot_w / bins
    parts = []
    for i, column in enumerate(columns):
        y = top + plot_h
        low, high = i / bins, (i + 1) / bins
        # ok at the bottom, then flags in legend order
        for status in sorted(column, key=lambda s: (s != "ok", _category_order(s))):
            h = column[status] / tallest * plot_h
            y -= h
            css = "ok" if status == "ok" else _category_class(status)
            parts.append(
                f'<rect class="{css}" x="{left + i * bar_w + 1:.1f}" y="{y:.1f}" '
                f'width="{bar_w - 2:.1f}" height="{h:.1f}">'
                f"<title>{_e(_label(status))}: {column[status]} "
                f"(divergence {low:.1f}–{high:.1f})</title></rect>"
            )
    base = top + plot_h
    ticks = "".join(
        f'<text x="{left + plot_w * t:.1f}" y="{height - 4}" text-anchor="middle">{t:g}</text>'
        for t in (0, 0.5, 1)
    )
    return (
        f'<svg class="histogram" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Histogram of bead divergence scores">'
        f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>'
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{tallest}</text>'
        f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>'
        f"{''.join(parts)}{ticks}</svg>"
    )


def _category_order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def _html_side(
    sentences: list[Sentence], indices: tuple[int, ...], marks: list[tuple[str, str]]
) -> str:
    """A table cell with one line per sentence, each with its number (from 1); the
    passages a flag is about, (category, text), are wrapped in <mark>."""
    lines = []
    for i in indices:
        sentence = sentences[i]
        lines.append(
            f'<div class="sent" data-index="{i}"><span class="idx" title="sentence {i + 1}, '
            f'paragraph {sentence.paragraph + 1}">{i + 1}</span>'
            f'<span class="text">{_marked(sentence.text, marks)}</span></div>'
        )
    return "".join(lines) or '<span class="missing" lang="en" dir="ltr">no counterpart</span>'


def _isolated(reason: str) -> str:
    """`reason` escaped, each quoted passage in <bdi> so Arabic reads right in English."""
    return re.sub(r"“([^”]*)”", r"“<bdi>\1</bdi>”", _e(reason))


def _marked(text: str, marks: list[tuple[str, str]]) -> str:
    """`text` escaped, with the first occurrence of each marked passage in <mark>."""
    ranges = []
    for category, passage in marks:
        start = text.find(passage) if passage else -1
        if start >= 0 and all(start >= end or start + len(passage) <= s for s, end, _ in ranges):
            ranges.append((start, start + len(passage), category))
    out, at = [], 0
    for start, end, category in sorted(ranges):
        out.append(_e(text[at:start]))
        out.append(f'<mark class="{_category_class(category)}">{_e(text[start:end])}</mark>')
        at = end
    return "".join(out) + _e(text[at:])


def _html_row(alignment: Alignment, index: int, bead: ScoredBead) -> str:
    a = alignment
    classes = ["bead"]
    if bead.flags:
        classes += ["flagged", _category_class(bead.status)]
    shape = f"{len(bead.src)}–{len(bead.tgt)}"
    if bead.flags:
        status = "".join(
            f'<div class="flag {_category_class(f.category)}"><span class="badge">'
            f'{_e(_label(f.category))}</span><p class="reason">{_isolated(f.reason)}</p></div>'
            for f in bead.flags
        )
    else:
        status = '<span class="ok-label">ok</span>'
    src_marks = [(f.category, span) for f in bead.flags for span in f.src_spans]
    tgt_marks = [(f.category, span) for f in bead.flags for span in f.tgt_spans]
    detail = f"divergence {_fixed(bead.divergence)}"
    if math.isfinite(bead.similarity):
        detail += f", similarity {_fixed(bead.similarity)}"
    width = min(max(bead.divergence, 0.0), 1.0) * 100 if math.isfinite(bead.divergence) else 0
    return (
        f'<tr class="{" ".join(classes)}" id="bead-{index + 1}" tabindex="-1" '
        f'data-index="{index}" data-status="{_e(bead.status)}" '
        f'data-divergence="{_fixed(bead.divergence)}">'
        f'<td class="num"><a href="#bead-{index + 1}">{index + 1}</a>{shape}</td>'
        f'<td class="side src" dir="{_direction(a.src_lang)}" lang="{_e(a.src_lang)}">'
        f"{_html_side(a.src_sentences, bead.src, src_marks)}</td>"
        f'<td class="side tgt" dir="{_direction(a.tgt_lang)}" lang="{_e(a.tgt_lang)}">'
        f"{_html_side(a.tgt_sentences, bead.tgt, tgt_marks)}</td>"
        f'<td class="score" title="{detail}"><div class="bar"><span style="width: {width:.0f}%">'
        f"</span></div>{_fixed(bead.divergence, 2)}</td>"
        f'<td class="status">{status}</td></tr>'
    )


def _html_summary(alignment: Alignment) -> str:
    """The header's cards: sentence counts, bead shapes, flags with the legend, histogram."""
    a = alignment
    sentences = _stats({"original": len(a.src_sentences), "translation": len(a.tgt_sentences)})
    return (
        '<section class="summary">'
        f'<div class="card"><h2>Sentences</h2>{sentences}</div>'
        f'<div class="card"><h2>Beads by shape</h2>{_stats(a.bead_type_counts())}</div>'
        f'<div class="card"><h2>Flags · {len(a.flagged)} of {len(a.beads)} beads</h2>'
        f"{_stats(a.flag_counts(), swatches=True)}</div>"
        f'<div class="card"><h2>Divergence</h2>{_histogram(a.beads)}'
        '<p class="caption">Beads by divergence score: 0 = as close as the rest of the '
        "document, 1 = unrelated.</p></div></section>"
    )


def _render_html(alignment: Alignment) -> str:
    a = alignment
    src_dir, tgt_dir = _direction(a.src_lang), _direction(a.tgt_lang)
    meta = (
        f"original <b>{_e(a.src_name)}</b> ({_e(a.src_lang)}) · "
        f"translation <b>{_e(a.tgt_name)}</b> ({_e(a.tgt_lang)})"
    )
    if a.model:
        meta += f" · encoder <b>{_e(a.model)}</b>"
    if a.created:
        shown = a.created.replace("T", " ")
        meta += f' · created <time datetime="{_e(a.created)}">{_e(shown)}</time>'
    warnings = "".join(f"<li>{_e(w)}</li>" for w in a.warnings)
    if warnings:
        warnings = f'<div class="warnings"><strong>Warnings</strong><ul>{warnings}</ul></div>'
    flagged = len(a.flagged)
    disabled = "" if flagged else " disabled"
    rows = "\n".join(_html_row(a, i, bead) for i, bead in enumerate(a.beads))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="align {_e(_version())}">
<title>Alignment: {_e(a.src_name)} ↔ {_e(a.tgt_name)}</title>
<style>{_css()}</style>
</head>
<body>
<div class="page">
<header class="report">
<p class="kicker">Alignment report</p>
<h1><span lang="{_e(a.src_lang)}" dir="{src_dir}">{_e(a.src_name)}</span><span
 class="arrow">↔</span><span lang="{_e(a.tgt_lang)}" dir="{tgt_dir}">{_e(a.tgt_name)}</span></h1>
<p class="meta">{meta}</p>
{warnings}
{_html_summary(a)}
</header>
<nav class="controls" aria-label="Flags">
<label><input type="checkbox" id="only-flagged"> Only flagged rows</label>
<button type="button" id="prev-flag"{disabled}>↑ Previous flag</button>
<button type="button" id="next-flag"{disabled}>Next flag ↓</button>
<span id="flag-position" aria-live="polite">{flagged} flagged</span>
<span class="hint"><kbd>j</kbd> / <kbd>n</kbd> next flag ·
 <kbd>k</kbd> / <kbd>p</kbd> previous</span>
</nav>
<main class="table-wrap">
<table class="beads">
<colgroup><col class="c-num"><col><col><col class="c-score"><col class="c-status"></colgroup>
<thead><tr><th>#</th><th class="side {src_dir}">Original ({_e(a.src_lang)})</th>
<th class="side {tgt_dir}">Translation ({_e(a.tgt_lang)})</th><th>Divergence</th>
<th>Status</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</div>
<script>{_JS}</script>
</body>
</html>
"""


_RENDERERS: dict[str, Callable[[Alignment], str]] = {
    "html": _render_html,
    "json": _render_json,
    "tsv": _render_tsv,
    "md": _render_md,
    "tmx": _render_tmx,
}
FORMATS = tuple(_RENDERERS)
