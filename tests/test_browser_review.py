"""Reviewing in the HTML report, in Chromium: deciding flags, keeping the decisions, exporting
them for `align report --decisions`, importing them, and linking sentences to realign."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema

import align
from align.reporting import SCHEMA_PATH
from align.reviewing import Anchor, Decisions
from tests.browser import Report, open_page
from tests.conftest import SEEDS, WITHOUT_EDGES, run_align
from tests.test_reporting import make_alignment

AR, EN = str(SEEDS / "mosul.ar.txt"), str(SEEDS / "mosul.en.txt")
DECISIONS_SCHEMA = json.loads(SCHEMA_PATH.with_name("decisions.schema.json").read_text("utf-8"))


def counts(report: Report) -> dict[str, str]:
    """The counts the page shows: flagged beads, flags, per verdict, per category."""
    page = report.page
    shown = {
        "flagged": page.inner_text("#flagged-count"),
        "flags": page.inner_text("#flag-total"),
        **{v: page.inner_text(f"#count-{v}") for v in ("open", "accepted", "dismissed")},
    }
    for item in page.locator(".legend-item").all():
        shown[item.get_attribute("data-category") or ""] = item.locator(".n").inner_text()
    return shown


def verdicts(report: Report) -> list[str]:
    flags = report.page.locator(".flag")
    return [flags.nth(i).get_attribute("data-verdict") or "" for i in range(flags.count())]


def decide(report: Report) -> None:
    """Dismiss the first flag; accept the first number mismatch as major, with a comment."""
    page = report.page
    page.locator(".flag").first.get_by_role("button", name="Dismiss").click()
    number = page.locator('.flag[data-category="number_mismatch"]').first
    number.get_by_role("button", name="Accept").click()
    number.get_by_label("Severity").select_option("major")
    number.get_by_role("button", name="Comment").click()
    number.get_by_label("Comment on this flag").fill("40,000 is not 30,000")
    number.get_by_label("Comment on this flag").blur()


def export(report: Report, folder: Path) -> tuple[Path, str]:
    with report.page.expect_download() as download:
        report.page.get_by_role("button", name="Export decisions").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path, download.value.suggested_filename


def test_deciding_flags_updates_the_counts_and_survives_a_reload(open_report) -> None:
    report = open_report(make_alignment())
    page = report.page
    before = counts(report)
    assert (before["flagged"], before["flags"], before["open"]) == ("4", "5", "5")
    decide(report)
    assert verdicts(report) == ["dismissed", "accepted", "open", "open", "open"]
    after = counts(report)
    assert (after["flagged"], after["flags"], after["addition"]) == ("3", "4", "0")
    assert (after["open"], after["accepted"], after["dismissed"]) == ("3", "1", "1")
    assert "dismissed" in (page.get_attribute("#bead-2", "class") or "")
    assert re.search(r"(of 3|^3 flagged beads)$", page.inner_text("#flag-position"))
    page.click("#bead-1 td.side.tgt")
    page.get_by_role("button", name="Next flag").click()
    assert report.current() == "bead-4", "next skips the dismissed bead 2"
    page.reload()
    assert verdicts(report) == ["dismissed", "accepted", "open", "open", "open"]
    assert counts(report) == after
    number = page.locator('.flag[data-category="number_mismatch"]')
    assert number.get_by_label("Severity").input_value() == "major"
    assert number.get_by_label("Comment on this flag").input_value() == "40,000 is not 30,000"
    # deciding again takes it back
    number.get_by_role("button", name="Accept").click()
    assert verdicts(report)[1] == "open"


def test_the_decision_filter_and_keys_act_on_flags(open_report) -> None:
    report = open_report(make_alignment())
    page = report.page
    page.locator("#bead-4 td.num a").click()
    page.keyboard.press("d")  # the current row's first open flag
    assert verdicts(report)[1] == "dismissed"
    page.keyboard.press("a")  # its next open flag
    assert verdicts(report)[2] == "accepted"
    page.select_option("#decision-filter", "dismissed")
    assert report.visible_rows() == [3]
    page.select_option("#decision-filter", "open")
    assert report.visible_rows() == [1, 5, 7]


def test_exported_decisions_are_kept_by_a_rerun_with_decisions(
    open_report, browser, seed_alignment, tmp_path: Path
) -> None:
    """The review loop: decide in the page, export, `align report --decisions`, open the
    new report in a browser that has never seen the first (no stored decisions)."""
    report = open_report(replace(seed_alignment, src_name=AR, tgt_name=EN))
    decide(report)
    decided = verdicts(report)
    path, name = export(report, tmp_path)
    assert name == "mosul.ar.decisions.json"
    data = json.loads(path.read_text("utf-8"))
    jsonschema.Draft202012Validator(DECISIONS_SCHEMA).validate(data)
    assert {d["verdict"] for d in data["decisions"]} == {"dismissed", "accepted"}
    assert all(d["category"] and d["reason"] and d["tgt"] for d in data["decisions"])

    rerun = tmp_path / "rerun.html"
    result = run_align("report", AR, EN, "--decisions", path, "-o", rerun)
    assert result.returncode == 0, result.stderr.decode()
    fresh = open_page(browser, rerun)
    try:
        assert verdicts(fresh) == decided
        assert counts(fresh) == counts(report)
        number = fresh.page.locator('.flag[data-verdict="accepted"]')
        assert number.get_by_label("Comment on this flag").input_value() == "40,000 is not 30,000"
        assert fresh.page.locator("#stale-panel").is_hidden()
        assert fresh.errors == []
    finally:
        fresh.page.close()


def test_importing_a_decisions_file_applies_it_and_lists_stale_ones(
    open_report, tmp_path: Path
) -> None:
    alignment = make_alignment()
    flag = alignment.flag_ids[5][0]  # the omission
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps(
            {
                "format": "align-decisions/1",
                "decisions": [
                    {"flag": flag, "verdict": "dismissed", "updated": "2024-01-01T00:00:00Z"},
                    {"flag": "addition-0000000000", "verdict": "accepted", "reason": "gone"},
                ],
                "anchors": [],
            }
        )
    )
    report = open_report(alignment)
    report.page.set_input_files("#import-decisions", str(path))
    report.page.wait_for_function("document.querySelector('#review-message').textContent")
    assert "Imported 2 decisions" in report.page.inner_text("#review-message")
    assert verdicts(report)[3] == "dismissed"
    assert report.page.locator("#stale-panel").is_visible()
    assert "gone" in report.page.inner_text("#stale")
    report.page.set_input_files("#import-decisions", str(SCHEMA_PATH))
    report.page.wait_for_function(
        "document.querySelector('#review-message').textContent.startsWith('Could not')"
    )


def test_a_link_made_in_the_page_realigns_the_rerun(
    open_report, browser, use_encoder, sura_2_start, tmp_path: Path
) -> None:
    """Verse 5 of sura 2 ends with "These are the successful.", which the aligner gives to
    verse 6: the reviewer links the verse with its two sentences, and the rerun keeps them
    in one bead."""
    src, tgt, plain = sura_2_start
    report = open_report(plain)
    page = report.page
    for translation in (6, 7):
        page.click('.idx[data-side="src"][data-index="4"]')
        assert "now choose the translation sentence" in page.inner_text("#link-message")
        page.click(f'.idx[data-side="tgt"][data-index="{translation}"]')
    links = page.locator("#links li")
    assert links.count() == 2
    assert "not yet applied" in links.nth(1).inner_text()
    page.reload()
    assert page.locator("#links li").count() == 2, "links are kept in the browser too"
    path, _ = export(report, tmp_path)
    anchors = json.loads(path.read_text("utf-8"))["anchors"]
    assert [(a["src"], a["tgt"]) for a in anchors] == [(4, 6), (4, 7)]
    assert anchors[1]["tgt_text"] == "These are the successful."

    fixed = align.align_sentences(
        src, tgt, model=use_encoder, align_params=WITHOUT_EDGES, decisions=path
    )
    index = next(k for k, b in enumerate(fixed.beads) if 4 in b.src)
    assert (fixed.beads[index].src, fixed.beads[index].tgt) == ((4,), (6, 7))
    rerun = tmp_path / "fixed.html"
    fixed.write(rerun)
    fresh = open_page(browser, rerun)
    try:
        row = fresh.page.locator(f"#bead-{index + 1}")
        assert row.locator(".anchored").text_content() == "linked"
        assert row.locator(".idx.linked").count() == 3
        items = fresh.page.locator("#links li")
        assert [items.nth(i).inner_text().split(" (")[1] for i in range(2)] == [
            "in one bead) Remove",
            "in one bead) Remove",
        ]
        assert fresh.errors == []
    finally:
        fresh.page.close()


def test_a_link_whose_sentences_are_gone_is_shown_as_such(open_report) -> None:
    gone = Anchor(1, 1, "جملة لم تعد هنا", "A sentence no longer here")
    # made when "الجملة الأولى." was sentence 7: found at its new place, sentence 6
    kept = Anchor(6, 5, "الجملة الأولى.", "The first and the second sentence.")
    alignment = make_alignment().with_decisions(Decisions(anchors=(gone, kept)))
    assert alignment.review.stale_anchors == (gone,)
    page = open_report(alignment).page
    items = page.locator("#links li")
    assert items.count() == 2
    texts = sorted(items.nth(i).inner_text() for i in range(2))
    assert texts[0].startswith("original 2 ↔ translation 2 (sentences not found in this report)")
    assert texts[1].startswith("original 6 ↔ translation 6 (in one bead)")
    assert page.locator(".idx.linked").count() == 2
    assert page.locator("#bead-7 .anchored").text_content() == "linked"
