"""`align batch`: manifests, parallel runs on local worker processes or an existing Dask
cluster, resuming, failures, and outputs that stay whole when a worker or the batch itself
is killed."""

from __future__ import annotations

import csv
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from dask.distributed import Client, LocalCluster, get_task_stream

from align.batch import (
    LocalWorkers,
    ManifestError,
    Options,
    PairError,
    Row,
    Task,
    align_task,
    collect,
    parse_manifest,
    read_manifest,
    run,
)
from align.edges import write_atomic
from align.scoring import CATEGORIES
from tests.conftest import SEEDS

AR = [
    "القطة تجلس على الحصيرة.",
    "ارتفعت أسعار النفط اليوم.",
    "وصل القطار متأخرا.",
    "افتتحت المكتبة الجديدة أبوابها.",
    "هطلت أمطار غزيرة على المدينة.",
    "فاز الفريق المحلي بالمباراة النهائية.",
]
EN = [
    "The cat sits on the mat.",
    "Oil prices rose today.",
    "The train arrived late.",
    "The new library opened its doors.",
    "Heavy rain fell on the city.",
    "The local team won the final match.",
]


def short_pairs(folder: Path, count: int) -> Path:
    """`count` pairs of three sentences (pair k starts at sentence k) and their manifest."""
    lines = ["# original\ttranslation\toutput", ""]
    for k in range(count):
        sentences = [(k + i) % len(AR) for i in range(3)]
        write(folder / "ar" / f"{k}.txt", " ".join(AR[i] for i in sentences))
        write(folder / "en" / f"{k}.txt", " ".join(EN[i] for i in sentences))
        lines.append(f"ar/{k}.txt\ten/{k}.txt\tout/{k}.json")
    return write(folder / "manifest.tsv", "\n".join(lines) + "\n")


def inputs(folder: Path, k: int) -> tuple[Path, Path]:
    """The original and translation of pair `k` made by `short_pairs`."""
    return folder / "ar" / f"{k}.txt", folder / "en" / f"{k}.txt"


def seed_pairs(folder: Path, count: int) -> tuple[Path, Path, Path]:
    """`count` pairs of the seed texts, a second or more of work each so that a run can be
    killed midway: the manifest, the original and the translation."""
    lines = [f"{SEEDS}/mosul.ar.txt\t{SEEDS}/mosul.en.txt\tout/{k}.json" for k in range(count)]
    manifest = write(folder / "manifest.tsv", "\n".join(lines) + "\n")
    return manifest, SEEDS / "mosul.ar.txt", SEEDS / "mosul.en.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def command(manifest: Path, *args: str, cache: Path | None = None) -> list[str]:
    """`align batch MANIFEST ARGS`, with the vector cache in `cache` or else none."""
    where = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    return [sys.executable, "-m", "align.cli", "batch", str(manifest), *where, *args]


def batch(manifest: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(manifest, *args, cache=cache), capture_output=True, text=True, timeout=300
    )


def summary(manifest: Path) -> list[dict]:
    return json.loads(read(manifest.with_name("manifest.summary.json")))


def statuses(manifest: Path) -> list[str]:
    return [row["status"] for row in summary(manifest)]


def check_report(output: Path, original: Path, translation: Path) -> None:
    """The JSON report holds every sentence of both inputs once, in order, in its beads."""
    report = json.loads(read(output))
    for side, path, key in ((original, "source", "src"), (translation, "target", "tgt")):
        texts = [s["text"] for s in report["sentences"][path]]
        assert " ".join(texts).split() == read(side).split()
        indices = [i for bead in report["beads"] for i in bead[key]]
        assert indices == list(range(len(texts)))


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def local_cluster() -> LocalCluster:
    """A Dask cluster of two worker processes, to be named by --scheduler."""
    return LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.CRITICAL,
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """An existing cluster for --scheduler runs."""
    with local_cluster() as cluster:
        yield cluster


# --- the manifest ---------------------------------------------------------------------------


def test_manifest_paths_are_relative_to_its_folder_and_comments_are_skipped(tmp_path):
    text = "# a comment\n\n  \na.txt\tb.txt\tout/r.html\r\n  # indented\n/x/a\t/x/b\tr.tsv\n"
    pairs = parse_manifest(text, tmp_path / "archive")
    assert [(p.number, p.line) for p in pairs] == [(1, 4), (2, 6)]
    first, second = pairs
    assert first.original == tmp_path / "archive" / "a.txt"
    assert first.output == tmp_path / "archive" / "out" / "r.html"
    assert (second.original, second.output) == (Path("/x/a"), tmp_path / "archive" / "r.tsv")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("a.txt b.txt out.json", ["found 1", "tabs, not spaces"]),
        ("a.txt\tb.txt", ["expected 3", "found 2"]),
        ("a.txt\t\tout.json", ["translation path is empty"]),
        ("a.txt\tb.txt\tout.pdf", [".pdf"]),
    ],
)
def test_a_bad_manifest_line_is_named_by_its_number(tmp_path, line, words):
    text = "# header\na.txt\tb.txt\tout.json\n" + line + "\n"
    with pytest.raises(ManifestError) as error:
        parse_manifest(text, tmp_path, "m.tsv")
    assert str(error.value).startswith("m.tsv, line 3: ")
    for word in words:
        assert word in str(error.value)


def test_a_bad_manifest_is_a_one_line_error(tmp_path):
    manifest = write(tmp_path / "m.tsv", "a.txt\tb.txt\tout.json\nonly one field\n")
    result = batch(manifest)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"align: error: {manifest}, line 2: expected 3 tab-separated fields (original, "
        "translation, output), found 1 (separate them with tabs, not spaces)"
    ]


def test_a_scheduler_address_that_does_not_work_is_a_one_line_error(tmp_path):
    result = batch(short_pairs(tmp_path, 1), "--scheduler", "nowhere")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "align: error: cannot reach the Dask scheduler at nowhere: missing port number in "
        "address 'nowhere'"
    ]


# --- running --------------------------------------------------------------------------------


def test_a_local_run_writes_every_output_and_the_summary(tmp_path):
    manifest = short_pairs(tmp_path, 4)
    result = batch(manifest, "--jobs", "2", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cache" / "vectors.sqlite").stat().st_size > 0
    lines = result.stderr.splitlines()
    assert lines[0] == "align: aligning pairs · 0/4 pairs · 0:00 elapsed"  # not a terminal
    assert lines[-1].startswith("align: 4 pairs: 4 done, 0 skipped, 0 failed; 12 beads")
    rows = summary(manifest)
    assert [row["pair"] for row in rows] == [1, 2, 3, 4]
    for k, row in enumerate(rows):
        original, translation = inputs(tmp_path, k)
        output = tmp_path / "out" / f"{k}.json"
        check_report(output, original, translation)
        report = json.loads(read(output))
        assert report["documents"]["source"]["name"] == str(original)
        assert row["original"] == str(original) and row["output"] == str(output)
        assert (row["src_sentences"], row["tgt_sentences"], row["beads"]) == (3, 3, 3)
        assert {c: row[c] for c in CATEGORIES} == report["summary"]["flags"]
        assert row["status"] == "done" and row["seconds"] > 0
    with manifest.with_name("manifest.summary.tsv").open() as tsv:
        table = list(csv.DictReader(tsv, dialect="excel-tab"))
    assert list(table[0]) == list(rows[0])
    assert [r["status"] for r in table] == ["done"] * 4 and table[3]["beads"] == "3"


@pytest.mark.parametrize("where", ["on a cluster", "on local workers", "in this process"])
def test_a_run_resumes_and_force_redoes_everything(tmp_path, request, where):
    pairs = read_manifest(short_pairs(tmp_path, 3))
    outputs = [pair.output for pair in pairs]

    def outcome(force: bool = False) -> list[str]:
        seen: list[Row] = []
        rows = run(client, pairs, Options(use_cache=False), force, seen.append)
        assert sorted(seen, key=lambda row: row.pair.number) == rows
        return [row.status for row in rows]

    with ExitStack() as stack:
        client = None
        if where == "on a cluster":
            client = stack.enter_context(Client(request.getfixturevalue("cluster")))
        elif where == "on local workers":
            client = LocalWorkers(2)
        assert outcome() == ["done"] * 3
        written = [p.stat().st_mtime_ns for p in outputs]
        assert outcome() == ["skipped"] * 3
        assert [p.stat().st_mtime_ns for p in outputs] == written

        later = time.time() + 10
        os.utime(tmp_path / "en" / "1.txt", (later, later))
        assert outcome() == ["skipped", "done", "skipped"]
        assert outcome(force=True) == ["done"] * 3
    for k, output in enumerate(outputs):
        check_report(output, *inputs(tmp_path, k))


def test_a_failing_pair_is_reported_and_the_others_complete(tmp_path, cluster):
    manifest = short_pairs(tmp_path, 2)
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with manifest.open("a") as file:
        file.write("ar/missing.txt\ten/0.txt\tout/missing.json\n")
        file.write("binary.txt\ten/0.txt\tout/binary.html\n")
    result = batch(manifest, "--scheduler", cluster.scheduler_address)
    assert result.returncode == 1
    assert statuses(manifest) == [
        "done",
        "done",
        f"failed: ORIGINAL {tmp_path / 'ar' / 'missing.txt'} not found",
        f"failed: ORIGINAL {tmp_path / 'binary.txt'} looks like a binary file, not text",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.json", "1.json"]
    missing = tmp_path / "ar" / "missing.txt"
    line = f"align: pair 3 (line 5, {missing}): failed: ORIGINAL {missing} not found"
    assert line in result.stderr
    assert "Traceback" not in result.stderr
    rows = summary(manifest)
    assert rows[3]["beads"] is None and rows[3]["omission"] is None


def test_one_job_runs_in_this_process_and_a_failing_pair_fails_alone(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from align import batch as batching
    from align.cli import main

    def no_workers(*args) -> None:
        raise AssertionError("workers were started for one job")

    def fails_on_pair_1(task: Task, options: Options):
        if task.src_name.endswith("1.txt"):
            raise PairError(f"{task.tgt_name} holds no sentence")
        return align_task(task, options)

    monkeypatch.setattr(batching, "_run_on_local_workers", no_workers)
    monkeypatch.setattr(batching, "align_task", fails_on_pair_1)
    manifest = short_pairs(tmp_path, 3)
    with manifest.open("a") as file:
        file.write("ar/missing.txt\ten/0.txt\tout/missing.json\n")
    result = CliRunner().invoke(main, ["batch", str(manifest), "--jobs", "1", "--no-cache", "-q"])
    assert result.exit_code == 1, result.output
    missing = tmp_path / "ar" / "missing.txt"
    assert statuses(manifest) == [
        "done",
        f"failed: {tmp_path / 'en' / '1.txt'} holds no sentence",
        "done",
        f"failed: ORIGINAL {missing} not found",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.json", "2.json"]
    for k in (0, 2):
        check_report(tmp_path / "out" / f"{k}.json", *inputs(tmp_path, k))


def test_an_error_on_the_worker_fails_its_pair_only(tmp_path, cluster):
    pair = parse_manifest("a.txt\tb.txt\tout.json\n", tmp_path)[0]
    options = Options(presplit=True, use_cache=False)
    task = Task(AR[0], "\n\n", "a.txt", "b.txt", "json")
    with Client(cluster) as client:
        row = collect(client.submit(align_task, task, options, pure=False), pair)
    assert (row.status, row.stats) == ("failed: b.txt holds no sentence", None)
    assert not pair.output.exists()


def test_a_run_on_an_existing_cluster(tmp_path, cluster):
    manifest = short_pairs(tmp_path, 3)
    with Client(cluster) as client, get_task_stream(client) as tasks:
        result = batch(manifest, "--scheduler", cluster.scheduler_address, "-q")
    assert result.returncode == 0 and result.stderr == ""
    assert sorted(t["key"].split("-")[0] for t in tasks.data) == ["align_task"] * 3
    for k in range(3):
        check_report(tmp_path / "out" / f"{k}.json", *inputs(tmp_path, k))


def test_an_interrupted_write_leaves_the_old_output_and_no_temporary_file(tmp_path, monkeypatch):
    output = write(tmp_path / "out.json", "old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(output, "new " * 100_000)
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert read(output) == "old"


# --- killing --------------------------------------------------------------------------------


def test_a_killed_worker_is_replaced_and_the_batch_completes(tmp_path):
    manifest, original, translation = seed_pairs(tmp_path, 3)
    outputs = [tmp_path / "out" / f"{k}.json" for k in range(3)]
    with local_cluster() as cluster, Client(cluster) as client:
        process = subprocess.Popen(
            command(manifest, "--scheduler", cluster.scheduler_address),
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(lambda: any(p.exists() for p in outputs))
        busy = [worker for worker, keys in client.processing().items() if keys]
        assert busy, "no pair was being aligned"
        os.kill(client.run(os.getpid, workers=busy[:1])[busy[0]], signal.SIGKILL)
        _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert statuses(manifest) == ["done"] * 3
    for output in outputs:
        check_report(output, original, translation)
    assert not list(tmp_path.rglob("*.tmp"))


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_batch_leaves_whole_outputs_and_a_rerun_finishes_it(tmp_path):
    """... and its local workers, which nobody stops, exit by themselves."""
    manifest, original, translation = seed_pairs(tmp_path, 4)
    outputs = [tmp_path / "out" / f"{k}.json" for k in range(4)]
    process = subprocess.Popen(command(manifest, "--jobs", "2"), stderr=subprocess.DEVNULL)
    wait_for(lambda: any(p.exists() for p in outputs))
    workers = children(process.pid)
    assert len(workers) >= 2  # the workers (and multiprocessing's resource tracker)
    process.send_signal(signal.SIGKILL)
    process.wait()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=30)
    written = [p for p in outputs if p.exists()]
    assert 0 < len(written) < len(outputs)
    for output in written:
        check_report(output, original, translation)

    result = batch(manifest, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert statuses(manifest) == ["skipped" if p in written else "done" for p in outputs]
    for output in outputs:
        check_report(output, original, translation)


def test_a_summary_that_fails_late_leaves_every_result_on_stderr(tmp_path, monkeypatch):
    from contextlib import nullcontext

    from click.testing import CliRunner

    from align import batch as batching
    from align.cli import main

    manifest = short_pairs(tmp_path, 3)
    pairs = read_manifest(manifest)
    statuses = ["done", "failed: ORIGINAL x is empty", "skipped"]
    rows = [Row(pair, status) for pair, status in zip(pairs, statuses, strict=True)]
    monkeypatch.setattr(batching, "open_client", lambda scheduler, jobs: nullcontext())
    monkeypatch.setattr(batching, "run", lambda *args: rows)

    def disk_full(self, rows):
        raise OSError(28, "No space left on device", str(self.json))

    monkeypatch.setattr(batching.Summary, "write", disk_full)
    result = CliRunner().invoke(main, ["batch", str(manifest), "--no-cache", "-q"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ", 2)[2] for line in lines[:3]] == statuses
    assert lines[3].startswith("align: error: cannot write the summary")
    assert "No space left on device" in lines[3] and len(lines) == 4


def test_a_pair_whose_every_worker_died_fails_with_the_likely_reason(tmp_path):
    """Dask gives up on a pair after its workers die (out of memory, as a rule)."""
    from dask.distributed import KilledWorker

    class Died:
        released = False

        def result(self):
            raise KilledWorker("align_task", "tcp://127.0.0.1:1", 3)

        def release(self):
            self.released = True

    future, out = Died(), tmp_path / "out.json"
    from align import batch as batching

    pair = batching.Pair(1, 1, tmp_path / "a.src", tmp_path / "a.tgt", out)
    row = batching.collect(future, pair)
    assert row.status == "failed: every worker that tried it died (KilledWorker): out of memory?"
    assert future.released and not out.exists()


def dies_on_pair_1(task: Task, options: Options) -> tuple:
    """`align_task`, but the worker process dies (as if out of memory) on pair 1, and the
    pair fails on pair 3."""
    if task.src_name.endswith("1.txt"):
        os._exit(1)
    if task.src_name.endswith("3.txt"):
        raise PairError(f"{task.tgt_name} holds no sentence")
    return align_task(task, options)


def test_a_pair_whose_local_worker_dies_fails_alone_and_the_others_complete(tmp_path):
    """The pairs in hand when a local worker died are run again, each alone: the one whose
    worker dies again fails with the likely reason; the others, and those after, are done.
    A pair that fails on its worker fails alone, as in this process."""
    from align import batch as batching

    pairs = read_manifest(short_pairs(tmp_path, 5))
    rows: list[Row] = []
    batching._run_on_local_workers(
        2, pairs, Options(use_cache=False), False, rows.append, dies_on_pair_1
    )
    found = {row.pair.number: row.status for row in rows}
    assert len(rows) == 5
    assert found == {
        1: "done",
        2: "failed: the worker aligning it died: out of memory?",
        3: "done",
        4: f"failed: {tmp_path / 'en' / '3.txt'} holds no sentence",
        5: "done",
    }
    for k in (0, 2, 4):
        check_report(tmp_path / "out" / f"{k}.json", *inputs(tmp_path, k))
    assert not (tmp_path / "out" / "1.json").exists()
