"""Fuzzing the edges: random Unicode (controls, escapes, bidi controls, NUL, lone surrogates,
huge lines, mixed scripts, empty paragraphs) and random bytes through `compare`, every
report format and the command line. Whatever comes in: no traceback, every sentence once
and in order, and every output parses (JSON against the schema, TSV with csv, TMX with an
XML parser, HTML with no script but the report's own). The fast fake encoder keeps this
to seconds."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import align
from align.reporting import SCHEMA_PATH
from align.safetext import clean
from align.segmenting import Sentence
from tests.conftest import HashingEncoder

# --- what comes in --------------------------------------------------------------------------

NASTY = [
    "\x00",
    "\x07",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1b",
    "\x9b31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\v",
    "\f",
    "\r",
    "\t",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ud800",
    "\udfff",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "<script>alert(1)</script>",
    "</td>",
    "]]>",
    "&amp;",
    "|",
    "*",
    '"',
    "٣٠",
    "30",
    "؟",
    "،",
    ".",
    "!",
]
WORDS = ["القطة", "تجلس", "على", "الحصيرة", "the", "cat", "sat", "Mosul", "ISIS", "مدينة", "٢٠١٦"]

word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=8),  # any at all
)
sentence = st.lists(word, min_size=1, max_size=12).map(" ".join)
huge_line = st.builds(
    lambda w, n: " ".join([w] * n), st.sampled_from(WORDS), st.integers(1000, 3000)
)
paragraph = st.one_of(
    st.lists(sentence, min_size=1, max_size=5).map(". ".join),
    huge_line,
    st.just(""),  # an empty paragraph
)
text = st.lists(paragraph, min_size=1, max_size=5).map(lambda ps: "\n\n".join(ps) + "\n")

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # the fake encoder's patch holds for every example
    ],
)


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bare(text: str) -> str:
    """`text` without white space and without bidi embeddings and isolates (each sentence
    closes its own), to compare what sentences hold with what a text held."""
    return "".join(BIDI.sub("", text).split())


def bare_text(text: str) -> str:
    """A whole text as its sentences must hold it, bare: cleaned, and without a byte order
    mark at the start."""
    return bare(clean(text).lstrip("\ufeff"))


# --- what goes out --------------------------------------------------------------------------

RAW = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, LF and CR allowed


def balanced(line: str) -> bool:
    """Whether every bidi embedding, override and isolate opened in `line` closes in it."""
    depth = 0
    for char in line:
        depth += char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
        depth -= char in "\u202c\u2069"
        if depth < 0:
            return False
    return depth == 0


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class Scripts(HTMLParser):
    """The scripts of a page and the attributes that could run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[tuple, str]] = []
        self.handlers: list[tuple[str, str]] = []
        self._in: tuple | None = None

    def handle_starttag(self, tag, attrs):
        self.handlers += [
            (tag, k) for k, v in attrs if k.startswith("on") or "javascript:" in (v or "")
        ]
        if tag == "script":
            self._in = tuple(sorted(attrs))
            self.scripts.append((self._in, ""))

    def handle_data(self, data):
        if self._in is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def page_scripts(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    parser.close()
    return parser


@cache
def own_page() -> Scripts:
    """The scripts of a plain report: what every page may have, and no more."""
    result = align.align_sentences(["نص."], ["A text."], model=HashingEncoder(), cache=False)
    return page_scripts(result.render("html"))


def check_outputs(result: align.Alignment) -> None:
    """Every format of `result` parses, holds every sentence, and holds no raw control."""
    beads = len(result.beads)
    for fmt in ("json", "tsv", "md", "tmx", "html"):
        out = result.render(fmt)
        assert not RAW.search(out), (fmt, RAW.search(out))
        if fmt in ("md", "tsv", "json"):  # what is read in a terminal, a line at a time
            for line in out.split("\n"):  # (a line ends at \n there, not at U+2028)
                assert balanced(line), (fmt, line)
    report = json.loads(result.render("json"))
    jsonschema.validate(report, schema())
    assert [s["text"] for s in report["sentences"]["source"]] == [
        s.text for s in result.src_sentences
    ]
    rows = list(csv.reader(io.StringIO(result.render("tsv")), dialect="excel-tab"))
    assert len(rows) == beads + 1 and len({len(row) for row in rows}) == 1
    units = ET.fromstring(result.render("tmx").split("\n", 2)[2]).findall("./body/tu")
    assert len(units) == sum(1 for b in result.beads if b.src and b.tgt)
    scripts = page_scripts(result.render("html"))
    own = own_page()
    assert scripts.handlers == own.handlers
    assert [attrs for attrs, _ in scripts.scripts] == [attrs for attrs, _ in own.scripts]
    for (attrs, body), (_, own_body) in zip(scripts.scripts, own.scripts, strict=True):
        if ("type", "application/json") in attrs:
            json.loads(body)  # data, not code
        else:
            assert body == own_body


def check_sentences(result: align.Alignment, src_text: str, tgt_text: str) -> None:
    """Every sentence once, in order, and between them all of the bare texts given."""
    assert [i for b in result.beads for i in b.src] == list(range(len(result.src_sentences)))
    assert [j for b in result.beads for j in b.tgt] == list(range(len(result.tgt_sentences)))
    for sentences, text in ((result.src_sentences, src_text), (result.tgt_sentences, tgt_text)):
        assert "".join(bare(s.text) for s in sentences) == text


# --- the library ----------------------------------------------------------------------------


@FUZZ
@given(text, text)
def test_compare_keeps_every_sentence_of_any_text_and_every_format_parses(original, translation):
    try:
        result = align.compare(
            original, translation, "ar", "en", model=HashingEncoder(), cache=False
        )
    except ValueError as error:  # only for a text with nothing in it
        assert "empty" in str(error) or "no sentence" in str(error)
        assert not bare_text(original) or not bare_text(translation)
        return
    check_sentences(result, bare_text(original), bare_text(translation))
    check_outputs(result)


@FUZZ
@given(st.lists(sentence, min_size=1, max_size=8), st.lists(sentence, min_size=1, max_size=8))
def test_align_sentences_keeps_every_given_sentence(src, tgt):
    sentences = [Sentence(s, i // 3) for i, s in enumerate(src)]
    result = align.align_sentences(sentences, tgt, "ar", "en", model=HashingEncoder(), cache=False)
    assert [s.text for s in result.src_sentences] == [clean(s) for s in src]
    assert [s.text for s in result.tgt_sentences] == [clean(s) for s in tgt]
    check_sentences(
        result, "".join(bare(clean(s)) for s in src), "".join(bare(clean(s)) for s in tgt)
    )
    check_outputs(result)


@FUZZ
@given(st.text(st.characters(exclude_categories=()), max_size=200))
def test_clean_is_idempotent_and_leaves_nothing_raw(value):
    cleaned = clean(value)
    assert clean(cleaned) == cleaned
    assert not RAW.search(cleaned)
    cleaned.encode("utf-8")  # no lone surrogate left: this would raise
    assert balanced(cleaned)


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    """`align` in this process with the fast fake encoder: a CliRunner invoker."""
    from align import cli as cli_module

    monkeypatch.setattr(
        cli_module, "load_encoder", lambda model=None, threads=None: HashingEncoder()
    )
    runner = CliRunner()
    return lambda *args: runner.invoke(cli_module.main, [str(a) for a in args])


ANY_BYTES = st.one_of(
    text.map(lambda t: t.encode("utf-8", "surrogatepass")),  # lone surrogates: not UTF-8
    text.map(lambda t: t.encode("utf-8", "replace")),
    text.map(lambda t: b"\xff\xfe" + t.encode("utf-16-le", "surrogatepass")),
    st.binary(max_size=300),
)


@settings(FUZZ, max_examples=40)
@given(original=ANY_BYTES, translation=ANY_BYTES, fmt=st.sampled_from(["md", "tsv", "json"]))
def test_the_command_line_never_fails_with_a_traceback(
    cli, tmp_path_factory, original, translation, fmt
):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.txt").write_bytes(original)
    (folder / "b.txt").write_bytes(translation)
    out = folder / f"r.{fmt}"
    result = cli("report", folder / "a.txt", folder / "b.txt", "-o", out, "--no-cache", "-q")
    assert result.exit_code in (0, 1, 3), result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("align: error: "), result.stderr
        assert not RAW.search(lines[0])
        assert not out.exists()
        return
    assume(out.exists())
    written = out.read_text(encoding="utf-8")
    assert not RAW.search(written)
    if fmt == "json":
        jsonschema.validate(json.loads(written), schema())
