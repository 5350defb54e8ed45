"""Tests for the report formats of align/reporting/, on hand-made alignments (no encoder)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from align.reporting import (
    FORMATS,
    SCHEMA_ID,
    SCHEMA_PATH,
    format_for_path,
    json_report,
    render,
    render_pieces,
    report_data,
)
from align.result import Alignment
from align.safetext import clean_alignment
from align.scoring import Flag, ScoredBead
from align.segmenting import Sentence
from align.wordlinking import BeadWords, Token

NAN = float("nan")
XSS_AR = "نص <script>alert(1)</script> و</td> | عمود\tمع\nسطر"
XSS_EN = "text <script>alert(1)</script> and </td> | column\twith\nline & more"

# (original sentences, translation sentences, flags) per bead, in document order.
SAMPLE: list[tuple[list[str], list[str], tuple[Flag, ...]]] = [
    (
        ["بعد تحرير الموصل… إلى أين يتجه داعش؟"],
        ["After the Liberation of Mosul…Where to for ISIS?"],
        (),
    ),
    ([], ["Translated by Captain Ahab"], (Flag("addition", "sentence of the translation only"),)),
    (["بقلم: إيليا ج. مانييه"], ["By Elijah J. Magnier"], ()),
    (
        ["وقد جرى نشر ٣٠ ألف ضابط."],
        ["40,000 officers were deployed."],
        (
            Flag("number_mismatch", "30000 in the original, 40000 in the translation"),
            Flag("meaning_shift", "the two sides are far apart"),
        ),
    ),
    ([XSS_AR], [XSS_EN], ()),
    (["جملة لا مقابل لها."], [], (Flag("omission", "sentence of the original only"),)),
    (["الجملة الأولى.", "الجملة الثانية."], ["The first and the second sentence."], ()),
    (["جملة طويلة."], ["A long", "sentence."], (Flag("register_shift", "a category from later"),)),
]


def make_alignment(
    spec: list[tuple[list[str], list[str], tuple[Flag, ...]]] = SAMPLE,
    warnings: tuple[str, ...] = (),
) -> Alignment:
    """An alignment with one bead per entry of `spec`; each bead is its own paragraph."""
    src: list[Sentence] = []
    tgt: list[Sentence] = []
    beads = []
    for paragraph, (src_texts, tgt_texts, flags) in enumerate(spec):
        src_ids = tuple(range(len(src), len(src) + len(src_texts)))
        tgt_ids = tuple(range(len(tgt), len(tgt) + len(tgt_texts)))
        src += [Sentence(text, paragraph) for text in src_texts]
        tgt += [Sentence(text, paragraph) for text in tgt_texts]
        matched = bool(src_texts and tgt_texts)
        divergence = 0.9 if flags else 0.1
        beads.append(
            ScoredBead(
                src_ids,
                tgt_ids,
                similarity=0.8 if matched else NAN,
                cost=0.35 if matched else 0.6,
                divergence=divergence if matched else 1.0,
                flags=flags,
            )
        )
    return Alignment(
        src,
        tgt,
        beads,
        src_name="mosul.ar.txt",
        tgt_name="mosul.en.txt",
        model="test-encoder",
        created="2024-05-01T12:34:56+00:00",
        warnings=list(warnings),
    )


@pytest.fixture
def alignment() -> Alignment:
    return make_alignment(warnings=("the <b>translation</b> looks short",))


def one_line(text: str) -> str:
    return re.sub(r"[\t\n]", " ", text)


# --- formats and file names --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_the_sample_and_an_empty_alignment(
    alignment: Alignment, fmt: str
) -> None:
    assert "Elijah J. Magnier" in render(alignment, fmt)
    assert render(make_alignment([]), fmt).strip()


def test_unknown_format_is_a_clear_error(alignment: Alignment) -> None:
    with pytest.raises(ValueError, match=r"unknown report format 'pdf'.*html, json, tsv, md, tmx"):
        render(alignment, "pdf")


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("report.html", "html"),
        ("out/REPORT.HTM", "html"),
        ("r.json", "json"),
        ("r.tsv", "tsv"),
        ("r.md", "md"),
        ("r.markdown", "md"),
        (Path("a.b/r.tmx"), "tmx"),
    ],
)
def test_format_for_path_reads_the_extension(path: str | Path, fmt: str) -> None:
    assert format_for_path(path) == fmt


@pytest.mark.parametrize("path", ["report.txt", "report", "report.html.bak", "html"])
def test_format_for_path_lists_the_known_extensions(path: str) -> None:
    with pytest.raises(ValueError, match=r"\.html, \.htm, \.json, \.tsv, \.md, \.markdown, \.tmx"):
        format_for_path(path)


def test_write_picks_the_format_from_the_extension(alignment: Alignment, tmp_path: Path) -> None:
    alignment.write(tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["schema"] == SCHEMA_ID


# --- JSON --------------------------------------------------------------------------------------


def load_json(text: str) -> dict:
    def reject(constant: str) -> None:
        raise AssertionError(f"JSON contains {constant}")

    return json.loads(text, parse_constant=reject)


def test_json_validates_against_the_schema(alignment: Alignment) -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(load_json(render(alignment, "json")))
    jsonschema.Draft202012Validator(schema).validate(load_json(render(make_alignment([]), "json")))


def test_schema_rejects_what_the_report_must_not_contain(alignment: Alignment) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8")))
    data = load_json(render(alignment, "json"))
    data["beads"][0]["src"] = [-1]
    data["beads"][1]["divergence"] = None
    data["schema"] = "align-report/0"
    assert len(list(validator.iter_errors(data))) == 3


def test_schema_names_every_flag_category() -> None:
    from align.scoring import CATEGORIES

    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    described = (
        schema["$defs"]["flag"]["properties"]["category"]["description"],
        schema["properties"]["summary"]["properties"]["flags"]["description"],
    )
    for text in described:
        assert all(category in text for category in CATEGORIES), text


def test_json_round_trips_beads_and_sentences(alignment: Alignment) -> None:
    data = load_json(render(alignment, "json"))
    assert data["documents"] == {
        "source": {"name": "mosul.ar.txt", "lang": "ar"},
        "target": {"name": "mosul.en.txt", "lang": "en"},
    }
    assert (data["model"], data["created"]) == ("test-encoder", "2024-05-01T12:34:56+00:00")
    assert data["warnings"] == ["the <b>translation</b> looks short"]
    for side, sentences in (
        ("source", alignment.src_sentences),
        ("target", alignment.tgt_sentences),
    ):
        assert data["sentences"][side] == [
            {"index": i, "text": s.text, "paragraph": s.paragraph} for i, s in enumerate(sentences)
        ]
    for index, (got, bead) in enumerate(zip(data["beads"], alignment.beads, strict=True)):
        assert got["index"] == index
        assert (tuple(got["src"]), tuple(got["tgt"])) == (bead.src, bead.tgt)
        assert got["status"] == bead.status
        assert got["flags"] == [
            {
                "id": flag_id,
                "category": f.category,
                "reason": f.reason,
                "src_spans": list(f.src_spans),
                "tgt_spans": list(f.tgt_spans),
                "elsewhere": list(f.elsewhere),
                "review": {"verdict": "open", "severity": "", "comment": "", "updated": ""},
            }
            for f, flag_id in zip(bead.flags, alignment.flag_ids[index], strict=True)
        ]
        if math.isnan(bead.similarity):
            assert got["similarity"] is None
        else:
            assert got["similarity"] == pytest.approx(bead.similarity)
        assert got["divergence"] == pytest.approx(bead.divergence)


def test_json_is_the_report_data_with_a_bead_or_sentence_per_line(alignment: Alignment) -> None:
    from align.reporting.json_report import report_data

    text = render(alignment, "json")
    data = report_data(alignment)
    assert load_json(text) == json.loads(json.dumps(data))
    records = data["sentences"]["source"] + data["sentences"]["target"] + data["beads"]
    lines = [line.strip().rstrip(",") for line in text.splitlines()]
    assert [json.loads(line) for line in lines if line.startswith('{"index"')] == records


def with_words(alignment: Alignment) -> Alignment:
    """`alignment` with the word links of a bead, as scoring makes them."""
    words = BeadWords(
        src=(Token("نشر", 0, 7, 10, "نشر", True), Token("٣٠", 0, 11, 13, "30", True, 30.0)),
        tgt=(Token("40,000", 0, 0, 6, "40000", True, 40000.0), Token("of", 0, 7, 9, "of", False)),
        links=((0, 0), (1, 0)),
        src_cover=(0.7, 0.0),
        tgt_cover=(0.0, 0.0),
    )
    beads = list(alignment.beads)
    beads[3] = replace(beads[3], words=words)
    return replace(alignment, beads=beads)


@pytest.mark.parametrize("sample", ["flags and words", "no beads"])
def test_json_comes_bead_by_bead_as_the_text_of_the_whole_report(
    alignment: Alignment, sample: str
) -> None:
    """The JSON report is written in pieces (a long text's report is never held whole),
    which make exactly the text of its data dumped at once."""
    alignment = with_words(alignment) if sample == "flags and words" else make_alignment([])
    pieces = list(render_pieces(alignment, "json"))
    whole = json_report._lines(report_data(clean_alignment(alignment)), "")
    assert "".join(pieces) == whole + "\n"
    assert len(pieces) > len(alignment.beads) + 10
    assert all(len(piece) < 2000 for piece in pieces)
    if alignment.beads:
        assert load_json("".join(pieces))["beads"][3]["words"]["links"] == [[0, 0], [1, 0]]


def test_html_comes_in_pieces(alignment: Alignment) -> None:
    pieces = list(render_pieces(alignment, "html"))
    assert len(pieces) > len(alignment.beads)
    assert "".join(pieces) == render(alignment, "html")


def test_json_summary_counts_shapes_and_every_category(alignment: Alignment) -> None:
    summary = load_json(render(alignment, "json"))["summary"]
    assert summary["sentences"] == {"source": 8, "target": 8}
    assert summary["beads"] == 8
    assert summary["bead_types"] == {"1-1": 4, "0-1": 1, "1-0": 1, "2-1": 1, "1-2": 1}
    assert summary["flagged_beads"] == 4
    assert summary["flags"] == {
        "omission": 1,
        "addition": 1,
        "number_mismatch": 1,
        "meaning_shift": 1,
        "name_mismatch": 0,
        "register_shift": 1,
    }
    assert summary["flags_total"] == 5, "two flags on one bead: 5 flags on 4 flagged beads"
    assert summary["verdicts"] == {"open": 5, "accepted": 0, "dismissed": 0}


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_every_sentence_appears_once_in_order(alignment: Alignment, fmt: str) -> None:
    text = render(alignment, fmt)
    if fmt == "json":
        rows = [(b["src"], b["tgt"]) for b in load_json(text)["beads"]]
    else:
        rows = [
            tuple([int(i) for i in cell.split(",") if cell] for cell in (r[0], r[1]))
            for r in read_tsv(text)[1:]
        ]
    assert [i for src, _ in rows for i in src] == list(range(len(alignment.src_sentences)))
    assert [j for _, tgt in rows for j in tgt] == list(range(len(alignment.tgt_sentences)))


# --- TSV ---------------------------------------------------------------------------------------


def read_tsv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), dialect="excel-tab"))


def test_tsv_has_a_header_and_one_row_per_bead(alignment: Alignment) -> None:
    text = render(alignment, "tsv")
    rows = read_tsv(text)
    assert rows[0] == [
        "src_indices",
        "tgt_indices",
        "status",
        "divergence",
        "similarity",
        "src_text",
        "tgt_text",
        "reasons",
        "flag_ids",
        "decisions",
        "severities",
        "comments",
    ]
    assert len(text.splitlines()) == len(rows) == len(alignment.beads) + 1
    assert all(len(row) == 12 for row in rows)
    for row, bead in zip(rows[1:], alignment.beads, strict=True):
        src = " ".join(one_line(alignment.src_sentences[i].text) for i in bead.src)
        tgt = " ".join(one_line(alignment.tgt_sentences[j].text) for j in bead.tgt)
        assert (row[2], row[5], row[6]) == (bead.status, src, tgt)
        assert float(row[3]) == pytest.approx(bead.divergence, abs=1e-3)
        assert row[4] == ("" if math.isnan(bead.similarity) else f"{bead.similarity:.3f}")
        assert all(f.reason in row[7] for f in bead.flags)
        assert row[8].split("; ") == list(alignment.flag_ids[alignment.beads.index(bead)] or [""])
        assert row[9] == "; ".join("open" for _ in bead.flags)
        assert row[10:] == ["", ""]


def test_tsv_rows_for_unmatched_and_merged_beads(alignment: Alignment) -> None:
    rows = read_tsv(render(alignment, "tsv"))
    assert rows[2][:3] == ["", "1", "addition"]
    assert rows[6][:3] == ["4", "", "omission"]
    assert rows[7][:2] == ["5,6", "5"]
    assert rows[4][7] == (
        "number_mismatch: 30000 in the original, 40000 in the translation; "
        "meaning_shift: the two sides are far apart"
    )


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_has_a_summary_then_the_flagged_beads_then_every_bead(
    alignment: Alignment,
) -> None:
    text = render(alignment, "md")
    assert text.startswith("# Alignment: mosul.ar.txt ↔ mosul.en.txt\n")
    assert (
        "- **Flagged beads:** 4 of 8, with **5 flags** (omission 1, addition 1, "
        "number mismatch 1, meaning shift 1, register shift 1)"
    ) in text
    assert "- **Warning:** the &lt;b>translation&lt;/b> looks short" in text
    flagged = text[text.index("## Flagged beads") : text.index("<details>")]
    assert re.findall(r"^### Bead (\d+)", flagged, re.MULTILINE) == ["2", "4", "6", "8"]
    assert "### Bead 4 (1–1): number mismatch, meaning shift" in flagged
    assert "- **number mismatch**: 30000 in the original, 40000 in the translation `number_mis" in (
        flagged
    )
    assert "snake" not in text and "number_mismatch**" not in text, "labels, not identifiers"
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(alignment.beads)
    columns = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert columns == {6}, "an unescaped | in a cell adds a column"
    assert "<script>" not in text
    assert (
        r'<span dir="rtl" lang="ar">[4] نص &lt;script>alert(1)&lt;/script> و&lt;/td> \| عمود '
        "مع سطر</span>"
    ) in text
    assert "| 2 | — | [2] Translated by Captain Ahab | 1.00 | addition |" in text
    assert "| 4 | " in text and "| 0.90 | number mismatch |" in text


def test_markdown_marks_arabic_right_to_left_and_the_words_concerned_in_bold() -> None:
    flag = Flag("number_mismatch", "30000 vs 40000", ("٣٠ ألف",), ("40,000",))
    text = render(make_alignment([(["نشر ٣٠ ألف ضابط."], ["40,000 officers."], (flag,))]), "md")
    assert '<div dir="rtl" lang="ar">\n\n[1] نشر **٣٠ ألف** ضابط.\n\n</div>' in text
    assert "\n[1] **40,000** officers.\n" in text


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("*stars* and _under_ and __x__", r"\*stars\* and \_under\_ and \_\_x\_\_"),
        ("a | b", r"a \| b"),
        ("<b>bold</b> & <!-- c -->", "&lt;b>bold&lt;/b> &amp; &lt;!-- c -->"),
        ("`code` [link](http://x) ~~gone~~ \\", r"\`code\` \[link\](http://x) \~\~gone\~\~ \\"),
    ],
)
def test_markdown_shows_the_texts_own_syntax_as_written(source: str, shown: str) -> None:
    text = render(make_alignment([(["نص"], [source], ())]), "md")
    assert f"[1] {shown} | 0.10 | ok |" in text


# --- TMX ---------------------------------------------------------------------------------------

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_tmx_is_a_tmx_14_memory_of_the_matched_beads(alignment: Alignment) -> None:
    text = render(alignment, "tmx")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')
    root = ET.fromstring(text)
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert header is not None
    required = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang"}
    assert required | {"datatype"} <= set(header.attrib)
    assert (header.get("srclang"), header.get("datatype"), header.get("segtype")) == (
        "ar",
        "plaintext",
        "sentence",
    )
    assert header.get("creationdate") == "20240501T123456Z"
    matched = [(i, b) for i, b in enumerate(alignment.beads) if b.src and b.tgt]
    units = root.findall("body/tu")
    assert len(units) == len(matched) == 6
    for unit, (index, bead) in zip(units, matched, strict=True):
        assert unit.get("tuid") == str(index)
        tags = [child.tag for child in unit]
        assert tags == sorted(tags, key=lambda tag: tag == "tuv"), "props and notes come first"
        variants = unit.findall("tuv")
        assert [v.get(XML_LANG) for v in variants] == ["ar", "en"]
        assert [[seg.text for seg in v] for v in variants] == [
            [" ".join(alignment.src_sentences[i].text for i in bead.src)],
            [" ".join(alignment.tgt_sentences[j].text for j in bead.tgt)],
        ]
        props = {p.get("type"): p.text for p in unit.findall("prop")}
        assert props["x-align-status"] == bead.status
        assert float(props["x-align-divergence"]) == pytest.approx(bead.divergence, abs=1e-3)
        assert [n.text for n in unit.findall("note")] == [
            f"{f.category}: {f.reason}" for f in bead.flags
        ]


def test_tmx_replaces_characters_xml_cannot_hold() -> None:
    text = render(make_alignment([(["a\x00b\x1b"], ["c\x0bd"], ())]), "tmx")
    segs = [seg.text for seg in ET.fromstring(text).iter("seg")]
    assert segs == ["a␀b␛", "c d"]  # shown as in every format (align.safetext)


# --- HTML --------------------------------------------------------------------------------------


class Cells(HTMLParser):
    """The text of every cell of every bead row, as a browser would show it."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.attrs: list[dict[str, str | None]] = []
        self.cell_attrs: list[list[dict[str, str | None]]] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr" and "bead" in (dict(attrs).get("class") or "").split():
            self.rows.append([])
            self.attrs.append(dict(attrs))
            self.cell_attrs.append([])
        elif tag == "td" and self.rows:
            self.rows[-1].append("")
            self.cell_attrs[-1].append(dict(attrs))
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data


def parse_rows(page: str) -> Cells:
    cells = Cells()
    cells.feed(page)
    return cells


def test_html_escapes_every_text(alignment: Alignment) -> None:
    page = render(alignment, "html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1, "only the report's own script"
    assert "the &lt;b&gt;translation&lt;/b&gt; looks short" in page
    cells = parse_rows(page)
    assert XSS_AR in cells.rows[4][1]
    assert XSS_EN in cells.rows[4][2]


def test_html_has_one_row_of_five_cells_per_bead(alignment: Alignment) -> None:
    page = render(alignment, "html")
    assert page.count('<tr class="bead') == len(alignment.beads)
    cells = parse_rows(page)
    assert [len(row) for row in cells.rows] == [5] * len(alignment.beads)
    assert [row["data-status"] for row in cells.attrs] == [b.status for b in alignment.beads]


def test_html_cells_have_direction_and_language(alignment: Alignment) -> None:
    cells = parse_rows(render(alignment, "html")).cell_attrs
    assert all((row[1]["dir"], row[1]["lang"]) == ("rtl", "ar") for row in cells)
    assert all((row[2]["dir"], row[2]["lang"]) == ("ltr", "en") for row in cells)


def test_html_shows_each_sentence_with_its_number(alignment: Alignment) -> None:
    rows = parse_rows(render(alignment, "html")).rows
    assert rows[6][1].startswith("6الجملة الأولى.7الجملة الثانية.")
    assert rows[7][2] == "7A long8sentence."
    assert "no counterpart" in rows[1][1]


def test_html_colours_flags_by_category_with_a_neutral_fallback(alignment: Alignment) -> None:
    page = render(alignment, "html")
    cells = parse_rows(page)
    classes = [row["class"] for row in cells.attrs]
    assert classes[0] == "bead"
    assert classes[3] == "bead flagged cat-number_mismatch"
    assert classes[7] == "bead flagged cat-register_shift"
    assert ".cat-number_mismatch {" in page
    assert ".cat-register_shift {" not in page, "unknown categories take the neutral colour"
    assert "register shift" in page, "but they are in the legend"


def test_html_header_and_histogram(alignment: Alignment) -> None:
    page = render(alignment, "html")
    assert "test-encoder" in page and "2024-05-01 12:34:56+00:00" in page
    assert page.count('<div class="warnings">') == 1
    assert "<svg" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    heights = re.findall(r'<rect class="(?!hit)[^>]*height="([\d.]+)"', svg)
    assert len(heights) == 5  # one bar of ok beads, four flag segments stacked at 0.9-1
    assert svg.count('<g class="bin"') == 10, "a bar per score range, to filter by"
    assert 'class="ok"' in svg


def test_html_loads_nothing_from_elsewhere(alignment: Alignment) -> None:
    page = render(alignment, "html")
    assert not re.search(r"""(src|href)=(?!["']?#)""", page)
    assert "url(" not in page and "@import" not in page


def test_html_without_flags_disables_navigation() -> None:
    page = render(make_alignment([(["نص."], ["Text."], ())]), "html")
    assert '<button type="button" id="next-flag" disabled>' in page
    assert '<div class="warnings">' not in page


def test_html_marks_the_passages_a_flag_is_about_and_escapes_them() -> None:
    flag = Flag("number_mismatch", "forty", (), ("Forty <b>",))
    page = render(make_alignment([(["نص"], ["Forty <b>people</b> died, forty."], (flag,))]), "html")
    assert (
        '<span class="text"><mark class="cat-number_mismatch">Forty &lt;b&gt;</mark>'
        "people&lt;/b&gt; died, forty.</span>"
    ) in page
    flag = Flag("addition", "absent", (), ("absent",))
    page = render(make_alignment([(["نص"], ["no match here"], (flag,))]), "html")
    assert '<span class="text">no match here</span>' in page
