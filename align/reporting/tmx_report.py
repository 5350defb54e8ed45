"""The TMX report: a TMX 1.4b translation memory of the matched beads, for CAT tools."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from align.reporting.common import fixed, side_texts, version

if TYPE_CHECKING:
    from align.result import Alignment

# Characters XML 1.0 forbids even when escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render_tmx(alignment: Alignment) -> str:
    """A TMX 1.4b memory with one <tu> per bead that has both sides.

    Unmatched beads (omissions, additions) are left out: the DTD would allow a <tu> with a
    single <tuv>, but it is not a translation, and CAT tools either reject it or store an
    empty match. Each <tu> carries the bead's status and divergence as x-align-* props and
    its flags' reasons as notes, so that a memory can be filtered before import.
    """
    a = alignment
    header = {
        "creationtool": "align",
        "creationtoolversion": version(),
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
        ET.SubElement(unit, "prop", type="x-align-divergence").text = fixed(bead.divergence)
        for flag in bead.flags:
            ET.SubElement(unit, "note").text = _xml_text(f"{flag.category}: {flag.reason}")
        for lang, text in zip((a.src_lang, a.tgt_lang), side_texts(a, bead), strict=True):
            variant = ET.SubElement(unit, "tuv", {_XML_LANG: lang})
            ET.SubElement(variant, "seg").text = _xml_text(text)
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + ET.tostring(root, encoding="unicode") + "\n"
    )


def _tmx_date(created: str) -> str | None:
    """An ISO timestamp in TMX's form (YYYYMMDDThhmmssZ, UTC), or None if it is not one."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return None
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
