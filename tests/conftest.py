"""Shared fixtures: the real offline encoder (loaded once) and a cheap fake for property tests."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from align.aligning import AlignParams

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_align(*args, stdin: bytes = b"", timeout: float = 300, **options):
    """`align ARGS` in a new process, as a shell would run it (a CompletedProcess)."""
    return subprocess.run(
        [sys.executable, "-m", "align.cli", *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        **options,
    )


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """The single `align: error: ...` line of a run that exited with status 1, which must
    hold each of `words`."""
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


class HashingEncoder:
    """Bag of hashed words: deterministic and instant, for tests of the plumbing only."""

    name = "hashing (test)"
    dimension = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                digest = hashlib.md5(word.encode()).digest()
                vectors[row, digest[0] % 64] += 1.0
        vectors[:, 0] += 1e-3  # no zero vector for an empty text
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(autouse=True, scope="session")
def private_cache_dir(tmp_path_factory):
    """The CLI caches vectors on disk by default: keep the tests' out of the user's cache."""
    folder = tmp_path_factory.mktemp("vector-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALIGN_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def use_encoder():
    from align.encoding import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def hashing_encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture(scope="session")
def seed_texts() -> tuple[str, str]:
    return (
        (SEEDS / "mosul.ar.txt").read_text(encoding="utf-8"),
        (SEEDS / "mosul.en.txt").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="session")
def seed_alignment(use_encoder, seed_texts):
    import align

    return align.compare(*seed_texts, model=use_encoder)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (see tests/browser.py)."""
    from tests.browser import MISSING, launch, sync_playwright

    if MISSING:
        pytest.skip(MISSING)
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_report(browser, tmp_path):
    """Write an alignment's HTML report to a file and open it in a new page (1200 x 700
    unless `width`/`height` say otherwise); the page must raise no script error."""
    from tests.browser import open_page

    reports = []

    def open_(alignment, **options):
        path = tmp_path / f"report{len(reports)}.html"
        alignment.write(path)
        reports.append(open_page(browser, path, **options))
        return reports[-1]

    yield open_
    errors = [error for report in reports for error in report.errors]
    for report in reports:
        report.page.close()
    assert errors == [], "the page's script failed"


WITHOUT_EDGES = AlignParams(edge_weight=0.0)


@pytest.fixture(scope="session")
def sura_2_start(use_encoder):
    """The first 20 verses of sura 2 and their 31 sentences in Pickthall, aligned without
    the clause edges of bead boundaries (`WITHOUT_EDGES`): verse 5 is translated by two
    sentences, and that aligner puts the second ("These are the successful.") with verse
    6, a mistake for a reviewer to correct (the default aligner gets it right)."""
    import align
    from align.segmenting import read_presplit

    folder = ROOT / "corpora" / "quran-pickthall"
    src = read_presplit((folder / "002.src").read_text("utf-8"))[:20]
    tgt = read_presplit((folder / "002.tgt").read_text("utf-8"))[:31]
    return src, tgt, align.align_sentences(src, tgt, model=use_encoder, align_params=WITHOUT_EDGES)
