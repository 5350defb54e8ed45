"""`align batch`: align many pairs listed in a manifest, in parallel: on worker processes
of this machine, or on a Dask cluster.

The client (this process) reads the manifest and the input files, sends each pair's texts
to a worker, and writes what comes back; a worker is a pure function of texts and options.
So a worker can run on another machine with no shared filesystem, and since every file is
written whole under a temporary name and then renamed, a killed worker or a killed batch
never leaves a half-written output. A pair whose output is newer than both its inputs is
skipped, so that a batch can be run again after a crash to finish it. With one job and no
cluster named, the pairs run in this process instead, one after another.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import align
from align.aligning import AlignParams
from align.cache import CachedEncoder, cache_file, default_cache_dir
from align.edges import (
    DEFAULT_MAX_INPUT_BYTES,
    InputError,
    check_languages,
    check_output,
    file_identity,
    read_text,
    show_warnings,
    write_atomic,
    write_file,
)
from align.encoding import DEFAULT_MODEL, Encoder, ModelError, load_encoder
from align.reporting import format_for_path
from align.scoring import CATEGORIES, FlagParams
from align.segmenting import read_presplit, split_sentences

if TYPE_CHECKING:  # dask takes 0.5 s to import: only a cluster needs it
    from concurrent.futures import Future as LocalFuture

    from dask.distributed import Client, Future

DONE, SKIPPED, FAILED, WARNING = "done", "skipped", "failed", "warning"
SUMMARY_COLUMNS = (
    "pair",
    "original",
    "translation",
    "output",
    "src_sentences",
    "tgt_sentences",
    "beads",
    *CATEGORIES,
    "seconds",
    "status",
)


class ManifestError(InputError):
    """A manifest that cannot be read or run: the message names the line."""


class PairError(Exception):
    """A pair that the worker cannot align (a text with no sentence), with the reason."""


@dataclass(frozen=True)
class Pair:
    """One line of the manifest: paths resolved against the manifest's folder."""

    number: int
    line: int
    original: Path
    translation: Path
    output: Path


@dataclass(frozen=True)
class Options:
    """The settings of a batch: those of `align report`, the encoder's thread count and the
    vector cache (`cache_dir` None: the default one, which each worker finds for itself,
    since a remote worker may not have the client's)."""

    model: str = DEFAULT_MODEL
    src_lang: str = "ar"
    tgt_lang: str = "en"
    presplit: bool = False
    align_params: AlignParams = field(default_factory=AlignParams)
    flag_params: FlagParams = field(default_factory=FlagParams)
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    threads: int | None = None
    use_cache: bool = True
    cache_dir: str | None = None


@dataclass(frozen=True)
class Task:
    """What a worker receives for one pair: both texts, their names and the report format."""

    original: str
    translation: str
    src_name: str
    tgt_name: str
    fmt: str


@dataclass(frozen=True)
class Stats:
    """What a worker found in one pair; `seconds` is its time on the worker (the first
    pair of a worker process includes loading the encoder)."""

    src_sentences: int
    tgt_sentences: int
    beads: int
    flags: dict[str, int]
    seconds: float
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """The outcome of one pair: `done`, `skipped`, `warning: ...` or `failed: ...`."""

    pair: Pair
    status: str
    stats: Stats | None = None

    @property
    def failed(self) -> bool:
        return self.status.startswith(FAILED)

    @property
    def warned(self) -> bool:
        return self.status.startswith(WARNING)


# --- the manifest ---------------------------------------------------------------------------


def read_manifest(path: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> list[Pair]:
    """The pairs listed in the manifest file at `path` (raises InputError, ManifestError)."""
    return parse_manifest(read_text(str(path), "MANIFEST", max_bytes), path.parent, str(path))


def parse_manifest(text: str, folder: Path, name: str = "manifest") -> list[Pair]:
    """Pairs from lines `original<TAB>translation<TAB>output`; relative paths are taken
    from `folder`; blank lines and lines starting with '#' are skipped."""
    pairs: list[Pair] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name}, line {number}"
        fields = [f.strip() for f in line.rstrip("\r").split("\t")]
        if len(fields) != 3:
            hint = " (separate them with tabs, not spaces)" if len(fields) == 1 else ""
            raise ManifestError(
                f"{where}: expected 3 tab-separated fields (original, translation, output), "
                f"found {len(fields)}{hint}"
            )
        for value, role in zip(fields, ("original", "translation", "output"), strict=True):
            if not value:
                raise ManifestError(f"{where}: the {role} path is empty")
        original, translation, output = (folder / f for f in fields)
        try:
            format_for_path(output)
        except ValueError as error:
            raise ManifestError(f"{where}: {error}") from None
        pairs.append(Pair(len(pairs) + 1, number, original, translation, output))
    if not pairs:
        raise ManifestError(f"{name} lists no pairs")
    return pairs


def check_outputs(pairs: Sequence[Pair], manifest: Path, summary: Summary) -> None:
    """Refuse a batch that would lose data, before anything runs: two lines with one output
    (however spelled: `a/../a/r.json`, an absolute path, a link), an output that is an
    input of any line, the manifest or the summary; and a summary that cannot be written.
    (Each pair's own output is checked just before the pair is sent.) Raises ManifestError
    or OutputError."""
    inputs: dict[tuple, str] = {file_identity(manifest): "the manifest itself"}
    for pair in pairs:
        for path in (pair.original, pair.translation):
            inputs.setdefault(file_identity(path), f"an input of line {pair.line}")
    writers: dict[tuple, str] = {}
    for path, writer in (
        *((pair.output, f"line {pair.line}") for pair in pairs),
        (summary.json, "the summary"),
        (summary.tsv, "the summary"),
    ):
        identity = file_identity(path)
        clash = writers.get(identity) or inputs.get(identity)
        if clash:
            where = f"{manifest}, {writer}" if writer.startswith("line") else writer
            raise ManifestError(f"{where}: {path} is already {_as_output(clash)}")
        writers[identity] = f"the output of {writer}"
    check_output(str(summary.json), role="the summary")
    check_output(str(summary.tsv), role="the summary")


def _as_output(clash: str) -> str:
    return clash if clash.startswith(("the", "an")) else f"the output of {clash}"


def is_up_to_date(pair: Pair) -> bool:
    """Whether the pair's output exists and is newer than both its inputs."""
    try:
        written = pair.output.stat().st_mtime_ns
        return written > max(p.stat().st_mtime_ns for p in (pair.original, pair.translation))
    except OSError:
        return False


# --- the worker -----------------------------------------------------------------------------


class _Encoders(threading.local):
    """The encoders of one worker thread (SQLite connections stay in their thread), by
    options: loaded once per process in a cluster of single-threaded workers."""

    def __init__(self) -> None:
        self.by_options: dict[tuple, Encoder] = {}


_encoders = _Encoders()


def align_task(task: Task, options: Options) -> tuple[str, Stats]:
    """Align one pair on a worker: the rendered report and its statistics. Pure but for
    the encoder, loaded once per worker thread, and the vector cache."""
    start = time.perf_counter()
    encoder = _encoder(options)
    sides = []
    for text, lang, name in (
        (task.original, options.src_lang, task.src_name),
        (task.translation, options.tgt_lang, task.tgt_name),
    ):
        sentences = read_presplit(text) if options.presplit else split_sentences(text, lang)
        if not sentences:
            raise PairError(f"{name} holds no sentence")
        sides.append(sentences)
    result = align.align_sentences(
        *sides,
        options.src_lang,
        options.tgt_lang,
        encoder,
        options.align_params,
        options.flag_params,
        cache=False,  # `encoder` is behind the cache of the options, if any
    )
    result = replace(result, src_name=task.src_name, tgt_name=task.tgt_name)
    text = result.render(task.fmt)
    stats = Stats(
        src_sentences=len(result.src_sentences),
        tgt_sentences=len(result.tgt_sentences),
        beads=len(result.beads),
        flags={c: n for c, n in result.flag_counts().items() if c in CATEGORIES},
        seconds=time.perf_counter() - start,
        warnings=tuple(result.warnings),
    )
    return text, stats


def _encoder(options: Options) -> Encoder:
    key = (options.model, options.threads, options.use_cache, options.cache_dir)
    if key not in _encoders.by_options:
        encoder = load_encoder(options.model, threads=options.threads)
        if options.use_cache:
            show_warnings()  # an unusable cache: one warning line
            encoder = CachedEncoder(encoder, cache_file(options.cache_dir or default_cache_dir()))
        _encoders.by_options[key] = encoder
    return _encoders.by_options[key]


# --- running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalWorkers:
    """`jobs` worker processes on this machine, started by `run` for its pairs."""

    jobs: int


@contextmanager
def open_client(scheduler: str | None, jobs: int) -> Iterator[Client | LocalWorkers | None]:
    """A client of the Dask cluster at address `scheduler`, closed on exit; else
    `LocalWorkers` for several jobs; None for one job, which `run` does in this process.
    (Local workers are spawned: a script that calls this needs the
    `if __name__ == "__main__":` guard.)"""
    if scheduler:
        from dask.distributed import Client

        with Client(scheduler) as client:
            yield client
    else:
        yield LocalWorkers(jobs) if jobs > 1 else None


def run(
    client: Client | LocalWorkers | None,
    pairs: Sequence[Pair],
    options: Options,
    force: bool = False,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Align every pair on the cluster of `client` or the `LocalWorkers` and write its
    output; returns one row per pair, in order, and calls `on_row` as each pair finishes.
    Pairs that are up to date are skipped unless `force`. Input is read just before a
    pair is sent, and at most a few pairs per worker thread are in flight, so memory stays
    small for any batch. With no client, the pairs run one after another in this process."""
    rows: dict[int, Row] = {}

    def finish(row: Row) -> None:
        rows[row.pair.number] = row
        if on_row:
            on_row(row)

    if client is None:
        for pair in pairs:
            task = _task_or_row(pair, options, force)
            if isinstance(task, Row):
                finish(task)
            else:
                finish(_written(pair, partial(align_task, task, options)))
    elif isinstance(client, LocalWorkers):
        _run_on_local_workers(client.jobs, pairs, options, force, finish)
    else:
        _run_on_cluster(client, pairs, options, force, finish)
    return [rows[pair.number] for pair in pairs]


def _run_on_cluster(
    client: Client,
    pairs: Sequence[Pair],
    options: Options,
    force: bool,
    finish: Callable[[Row], None],
) -> None:
    from dask.distributed import as_completed

    waiting = iter(pairs)
    sent: dict[Future, Pair] = {}
    finished = as_completed()

    def send_next() -> bool:
        for pair in waiting:
            task = _task_or_row(pair, options, force)
            if isinstance(task, Row):
                finish(task)
                continue
            try:
                future = client.submit(align_task, task, options, pure=False)
            except Exception as error:  # whatever it is, it fails this pair only
                finish(Row(pair, _failed(f"{type(error).__name__}: {error}")))
                continue
            sent[future] = pair
            finished.add(future)
            return True
        return False

    window = _in_flight(sum(client.nthreads().values()))
    while len(sent) < window and send_next():
        pass
    for future in finished:
        finish(collect(future, sent.pop(future)))
        send_next()


def _run_on_local_workers(
    jobs: int,
    pairs: Sequence[Pair],
    options: Options,
    force: bool,
    finish: Callable[[Row], None],
    work: Callable[[Task, Options], tuple[str, Stats]] = align_task,
) -> None:
    """`run` on `jobs` worker processes of this machine (a process pool: a local Dask
    cluster cost the 114 suras' warm batch on 2 cores some 3 s, and each pair more). When a
    worker dies (out of memory, as a rule), the pairs it and the others had in hand are
    run again, each alone: a pair whose worker dies then fails."""
    waiting = deque(pairs)
    while waiting:
        for pair in _until_a_worker_dies(jobs, waiting, options, force, finish, work):
            if _until_a_worker_dies(1, deque([pair]), options, force, finish, work):
                finish(Row(pair, _failed("the worker aligning it died: out of memory?")))


def _until_a_worker_dies(
    jobs: int,
    waiting: deque[Pair],
    options: Options,
    force: bool,
    finish: Callable[[Row], None],
    work: Callable[[Task, Options], tuple[str, Stats]],
) -> list[Pair]:
    """Run the pairs of `waiting` (taken from its left, a few per worker at a time, so that
    memory stays small for any batch) on a new pool of `jobs` worker processes, until none
    is left or a worker dies; the pairs in hand when it died, to be run again."""
    sent: dict[LocalFuture, Pair] = {}
    with local_pool(jobs) as pool:
        while True:
            while len(sent) < _in_flight(jobs) and waiting:
                pair = waiting.popleft()
                task = _task_or_row(pair, options, force)
                if isinstance(task, Row):
                    finish(task)
                    continue
                try:
                    sent[pool.submit(work, task, options)] = pair
                except BrokenProcessPool:
                    return [*sent.values(), pair]
            if not sent:
                return []
            done, _ = wait(sent, return_when=FIRST_COMPLETED)
            died = False
            for future in done:
                if isinstance(future.exception(), BrokenProcessPool):
                    died = True
                else:
                    finish(_written(sent.pop(future), future.result))
            if died:
                return list(sent.values())


def _in_flight(threads: int) -> int:
    """Pairs sent ahead to `threads` worker threads in all: enough to keep them busy, few
    enough that memory stays small for any batch."""
    return max(4, 2 * threads)


def local_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes on this machine, spawned (no fork of a process
    with threads), each of which exits once this process is gone."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(jobs, context, _follow, (os.getpid(),))


def _follow(batch: int) -> None:
    """In a local worker: exit once the batch process `batch` is gone. Killed, it cannot
    stop its workers, which would otherwise wait for pairs forever (with the model loaded)."""
    threading.Thread(target=_exit_when_orphaned, args=(batch,), daemon=True).start()


def _exit_when_orphaned(batch: int) -> None:
    while os.getppid() == batch:
        time.sleep(0.5)
    os._exit(1)


def _task_or_row(pair: Pair, options: Options, force: bool) -> Task | Row:
    """The task of `pair`, or its row if it is skipped (up to date) or its input fails."""
    if not force and is_up_to_date(pair):
        return Row(pair, SKIPPED)
    try:
        return read_task(pair, options)
    except InputError as error:
        return Row(pair, _failed(error.message))
    except Exception as error:  # whatever it is, it fails this pair only
        return Row(pair, _failed(f"{type(error).__name__}: {error}"))


def read_task(pair: Pair, options: Options) -> Task:
    """Check that the output of `pair` can be written, then read and check both its inputs
    as `align report` does (raises InputError, OutputError)."""
    check_output(str(pair.output), [str(pair.original), str(pair.translation)])
    original = read_text(str(pair.original), "ORIGINAL", options.max_input_bytes)
    translation = read_text(str(pair.translation), "TRANSLATION", options.max_input_bytes)
    check_languages(original, options.src_lang, translation, options.tgt_lang)
    return Task(
        original,
        translation,
        str(pair.original),
        str(pair.translation),
        format_for_path(pair.output),
    )


def collect(future: Future, pair: Pair) -> Row:
    """Wait for the worker's result for `pair` and write its output atomically."""
    from dask.distributed import KilledWorker

    def result() -> tuple[str, Stats]:
        try:
            return future.result()
        except KilledWorker as error:
            died = "every worker that tried it died (KilledWorker): out of memory?"
            raise PairError(died) from error

    try:
        return _written(pair, result)
    finally:
        future.release()


def _written(pair: Pair, result: Callable[[], tuple[str, Stats]]) -> Row:
    """The row of `pair` once `result()` (its report and statistics) is written atomically;
    a pair whose alignment or write fails is a failed row."""
    try:
        text, stats = result()
    except (PairError, ModelError) as error:
        return Row(pair, _failed(str(error)))
    except Exception as error:
        return Row(pair, _failed(f"{type(error).__name__}: {error}"))
    try:
        write_file(pair.output, text)
    except OSError as error:
        return Row(pair, _failed(f"cannot write {pair.output}: {error.strerror or error}"))
    if stats.warnings:
        return Row(pair, f"{WARNING}: {' '.join(stats.warnings)}", stats)
    return Row(pair, DONE, stats)


def _failed(reason: str) -> str:
    """A `failed: ...` status: the first line of `reason`, whitespace collapsed."""
    lines = reason.strip().splitlines() or ["unknown error"]
    return f"{FAILED}: {' '.join(lines[0].split())}"


# --- the summary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Where the summary of a batch goes: a JSON file (a list of records) and a TSV file."""

    json: Path
    tsv: Path

    @classmethod
    def beside(cls, manifest: Path, prefix: str | None = None) -> Summary:
        """PREFIX.json and PREFIX.tsv, by default `<manifest stem>.summary.json` and `.tsv`
        beside the manifest."""
        base = prefix or str(manifest.with_name(f"{manifest.stem}.summary"))
        return cls(Path(f"{base}.json"), Path(f"{base}.tsv"))

    def write(self, rows: Sequence[Row]) -> None:
        """Write the summary of `rows`, each file atomically (raises OSError)."""
        records = summary_records(rows)
        write_atomic(self.json, json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        out = io.StringIO()
        writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        for record in records:
            writer.writerow(["" if record[c] is None else record[c] for c in SUMMARY_COLUMNS])
        write_atomic(self.tsv, out.getvalue())


def summary_records(rows: Sequence[Row]) -> list[dict[str, str | int | float | None]]:
    """One record per pair with the columns `SUMMARY_COLUMNS` (None where unknown)."""
    records = []
    for row in rows:
        stats = row.stats
        records.append(
            {
                "pair": row.pair.number,
                "original": str(row.pair.original),
                "translation": str(row.pair.translation),
                "output": str(row.pair.output),
                "src_sentences": stats.src_sentences if stats else None,
                "tgt_sentences": stats.tgt_sentences if stats else None,
                "beads": stats.beads if stats else None,
                **{c: stats.flags.get(c, 0) if stats else None for c in CATEGORIES},
                "seconds": round(stats.seconds, 3) if stats else None,
                "status": row.status,
            }
        )
    return records


def describe(rows: Sequence[Row]) -> str:
    """One line about the whole batch, like `align report`'s summary."""
    kinds = Counter(row.status.split(":")[0] for row in rows)
    shown = [k for k in (DONE, WARNING, SKIPPED, FAILED) if kinds[k] or k != WARNING]
    parts = [f"{kinds[k]} {k}" for k in shown]
    stats = [row.stats for row in rows if row.stats]
    flags = {c: sum(s.flags.get(c, 0) for s in stats) for c in CATEGORIES}
    counts = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in flags.items() if n)
    return (
        f"{len(rows)} pairs: {', '.join(parts)}; {sum(s.beads for s in stats)} beads aligned, "
        f"{sum(flags.values())} flags ({counts or 'none'})"
    )
