"""The `align` command as a user runs it: real process, real files, exit codes, one-line errors."""

import json

import pytest

from tests.conftest import ROOT, SEEDS, one_line_error
from tests.conftest import run_align as run

AR, EN = str(SEEDS / "mosul.ar.txt"), str(SEEDS / "mosul.en.txt")


def test_report_writes_every_format_by_extension(tmp_path):
    for ext in ("html", "json", "tsv", "md", "tmx"):
        out = tmp_path / f"report.{ext}"
        result = run("report", AR, EN, "-o", str(out), "--quiet")
        assert result.returncode == 0, result.stderr.decode()
        assert out.stat().st_size > 1000
        assert result.stderr == b""
    assert json.loads((tmp_path / "report.json").read_text())["schema"].startswith("align-report")


def test_report_prints_a_summary_and_writes_stdout_by_default():
    result = run("report", AR, EN, "--format", "tsv")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("src_indices\t")
    summary = result.stderr.decode()
    assert "flagged" in summary and "omission" in summary and "standard output" in summary


def test_presplit_input_gives_zero_based_json_beads(tmp_path):
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("القطة تجلس على الحصيرة.\nارتفعت أسعار النفط اليوم.\nوصل القطار متأخرا.\n")
    tgt.write_text("The cat sits on the mat.\nOil prices rose today.\nThe train arrived late.\n")
    result = run("report", "--presplit", str(src), str(tgt), "-q")
    assert result.returncode == 0, result.stderr.decode()
    beads = json.loads(result.stdout)["beads"]
    assert [(b["src"], b["tgt"]) for b in beads] == [([0], [0]), ([1], [1]), ([2], [2])]


def test_translation_can_come_from_stdin(tmp_path):
    out = tmp_path / "r.json"
    result = run(
        "report", AR, "-", "-o", str(out), "-q", stdin=(SEEDS / "mosul.en.txt").read_bytes()
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(out.read_text())["documents"]["target"]["name"] == "standard input"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ["not found"]),
        (b"", ["empty"]),
        (b"   \n\n", ["empty"]),
        (b"\xd8\xa7\xff\xfe plain", ["not UTF-8"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary"]),
    ],
)
def test_bad_original_gets_a_one_line_error(tmp_path, content, words):
    path = tmp_path / "original.txt"
    if content is not None:
        path.write_bytes(content)
    one_line_error(run("report", str(path), EN), "ORIGINAL", *words)


def test_texts_the_wrong_way_round_are_refused():
    one_line_error(run("report", EN, AR), "wrong way round")


def test_unknown_output_extension_and_double_stdin_are_refused(tmp_path):
    one_line_error(run("report", AR, EN, "-o", str(tmp_path / "r.pdf")), ".pdf")
    one_line_error(run("report", "-", "-"), "only one")


def test_a_missing_model_is_a_one_line_error():
    one_line_error(run("report", AR, EN, "--model", "/nonexistent/model"), "model")


def test_unrelated_texts_warn_and_exit_3(tmp_path):
    udhr = SEEDS.parent / "corpora" / "udhr" / "udhr.tgt"
    result = run("report", AR, str(udhr), "-o", str(tmp_path / "r.json"))
    assert result.returncode == 3
    assert "unrelated" in result.stderr.decode()
    assert (tmp_path / "r.json").exists()


def test_help_teaches_with_an_example():
    result = run("report", "--help")
    assert result.returncode == 0
    assert b"align report seeds/mosul.ar.txt seeds/mosul.en.txt -o report.html" in result.stdout


def test_eval_scores_a_gold_dataset(tmp_path):
    (tmp_path / "doc.src").write_text("القطة تجلس على الحصيرة.\nارتفعت أسعار النفط اليوم.\n")
    (tmp_path / "doc.tgt").write_text("The cat sits on the mat.\nOil prices rose today.\n")
    (tmp_path / "doc.gold").write_text("[0]:[0]\n[1]:[1]\n")
    result = run("eval", str(tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    assert "strict      1.0000     1.0000     1.0000" in result.stdout.decode()


def test_eval_on_worker_processes_scores_as_in_one(tmp_path):
    corpus = ROOT / "corpora" / "quran-pickthall"
    for sura in ("103", "108", "112"):
        for ext in ("src", "tgt", "gold"):
            (tmp_path / f"{sura}.{ext}").write_bytes((corpus / f"{sura}.{ext}").read_bytes())
    one, two = (run("eval", str(tmp_path), "-j", jobs, "--no-cache") for jobs in ("1", "2"))
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    scores = [r.stdout.decode().split("\n", 1)[1] for r in (one, two)]
    assert scores[0] == scores[1] and "strict" in scores[0]
    missing = run("eval", str(tmp_path), "-j", "2", "-m", str(tmp_path / "no-model"))
    one_line_error(missing, "no-model")


def test_eval_of_a_malformed_dataset_is_a_one_line_error(tmp_path):
    (tmp_path / "doc.src").write_text("a\n")
    (tmp_path / "doc.tgt").write_text("b\n")
    (tmp_path / "doc.gold").write_text("[0]:[7]\n")
    one_line_error(run("eval", str(tmp_path)), "doc.gold")


def test_fast_embeds_fewer_texts_and_still_reports_every_sentence(tmp_path):
    import sqlite3

    stored = {}
    for name, extra in (("fast", ["--fast"]), ("default", [])):
        out = tmp_path / f"{name}.json"
        args = [AR, EN, "-o", str(out), "-q", "--cache-dir", str(tmp_path / name)]
        result = run("report", *args, *extra)
        assert result.returncode == 0, result.stderr.decode()
        beads = json.loads(out.read_text())["beads"]
        assert [i for b in beads for i in b["src"]] == list(range(26))
        assert [j for b in beads for j in b["tgt"]] == list(range(27))
        with sqlite3.connect(tmp_path / name / "vectors.sqlite") as db:
            stored[name] = db.execute("SELECT count(*) FROM vectors").fetchone()[0]
    assert stored["fast"] < stored["default"]


def test_help_lists_every_flag_category_and_the_decisions_option():
    from align.scoring import CATEGORIES

    text = " ".join(run("report", "--help").stdout.decode().split())
    assert all(category in text for category in CATEGORIES)
    assert "--decisions FILE" in text


def test_a_decisions_file_of_another_pair_is_a_warning(tmp_path):
    decisions = tmp_path / "other.decisions.json"
    decisions.write_text(
        json.dumps(
            {
                "format": "align-decisions/1",
                "documents": {"source": "other.ar.txt", "target": "other.en.txt"},
                "decisions": [{"flag": "omission-0000000000", "verdict": "dismissed"}],
            }
        )
    )
    result = run("report", AR, EN, "-o", str(tmp_path / "r.json"), "--decisions", str(decisions))
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "warning: nothing in" in err and "(exported for other.ar.txt and other.en.txt)" in err


def test_a_bad_decisions_file_is_a_one_line_error(tmp_path):
    one_line_error(run("report", AR, EN, "--decisions", str(tmp_path / "no.json")), "not found")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "align-decisions/1", "decisions": [{"flag": "x", "verdict": "?"}]}')
    one_line_error(run("report", AR, EN, "--decisions", str(bad)), "bad.json", "verdict")


def test_decisions_on_a_rerun_keep_dismissals_and_list_stale_ones(tmp_path, seed_alignment):
    """The review loop as a user runs it: decisions exported from the page, applied by a
    new run; the summary line counts flagged beads and flags apart."""
    ids = [flag for row in seed_alignment.flag_ids for flag in row]
    decisions = tmp_path / "mosul.decisions.json"
    decisions.write_text(
        json.dumps(
            {
                "format": "align-decisions/1",
                "decisions": [
                    {"flag": ids[0], "verdict": "dismissed", "comment": "a false alarm"},
                    {"flag": "omission-0000000000", "verdict": "accepted", "category": "omission"},
                ],
                "anchors": [],
            }
        )
    )
    out = tmp_path / "r.json"
    result = run("report", AR, EN, "-o", str(out), "--decisions", str(decisions))
    err = result.stderr.decode()
    assert result.returncode == 0, err
    data = json.loads(out.read_text())
    flags = [f for bead in data["beads"] for f in bead["flags"]]
    assert [f["id"] for f in flags] == ids, "the same ids as the library's run"
    assert flags[0]["review"]["verdict"] == "dismissed"
    summary = data["summary"]
    assert summary["flags_total"] == len(ids) - 1
    assert summary["verdicts"]["dismissed"] == 1
    assert [d["flag"] for d in data["review"]["stale_decisions"]] == ["omission-0000000000"]
    flagged, total = summary["flagged_beads"], summary["flags_total"]
    assert f"; {flagged} flagged beads with {total} flags (" in err
    assert "decisions: 0 accepted, 1 dismissed (left out of the counts)" in err
    assert "stale decision (accepted) on a flag no longer found: omission" in err
