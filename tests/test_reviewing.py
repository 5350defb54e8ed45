"""Flag ids, decisions files, and how decisions change what every report counts."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from align.reporting import SCHEMA_PATH, render
from align.result import Alignment
from align.reviewing import (
    DECISIONS_FORMAT,
    Anchor,
    Decision,
    Decisions,
    DecisionsError,
    flag_id,
    resolve_anchors,
)
from align.scoring import Flag
from align.segmenting import Sentence
from tests.test_reporting import SAMPLE, make_alignment

DECISIONS_SCHEMA = SCHEMA_PATH.with_name("decisions.schema.json")


def ids(alignment: Alignment) -> list[str]:
    return [flag for row in alignment.flag_ids for flag in row]


# --- flag ids ------------------------------------------------------------------------------


def test_flag_ids_are_the_same_on_every_run() -> None:
    first, again = make_alignment(), make_alignment()
    assert first.flag_ids == again.flag_ids
    assert len(set(ids(first))) == 5
    assert all(re.fullmatch(r"[a-z_]+-[0-9a-f]{10}", flag) for flag in ids(first))
    assert ids(first)[1].startswith("number_mismatch-")


def test_flag_ids_do_not_change_with_edits_elsewhere_in_the_document() -> None:
    before = make_alignment()
    edited = list(SAMPLE)
    edited[0] = (["عنوان آخر تماما"], ["A different title altogether"], ())  # another bead
    edited.insert(2, (["جملة جديدة."], ["A new sentence."], ()))  # everything after moves
    after = make_alignment(edited)
    assert ids(after) == ids(before)


def test_flag_ids_follow_what_the_flag_is_about() -> None:
    flag = Flag("addition", "partial: the clause “x” is not in the original", (), ("x",))
    base = flag_id(flag, "نص", "Some text, x.")
    # not the reason's wording or figures, nor spacing, case, diacritics or tatweel
    reworded = Flag("addition", "another reason, divergence 0.83", (), ("x",))
    assert flag_id(reworded, "نصّ", "some  text, X.") == base
    assert flag_id(reworded, "نــص", "Some text, x. ") == base
    # nor the other places an omitted sentence may be, which depend on its neighbours
    assert flag_id(replace(flag, elsewhere=(3, 4)), "نص", "Some text, x.") == base
    # but the category, the bead's texts and the passages
    assert flag_id(Flag("omission", "", (), ("x",)), "نص", "Some text, x.") != base
    assert flag_id(flag, "نص آخر", "Some text, x.") != base
    assert flag_id(flag, "نص", "Some other text, x.") != base
    assert flag_id(Flag("addition", "", (), ("Some",)), "نص", "Some text, x.") != base


def test_identical_flags_get_numbered_ids() -> None:
    verse = (["فبأي آلاء ربكما تكذبان"], ["Which is it?"], (Flag("meaning_shift", "far"),))
    alignment = make_alignment([verse, (["نص"], ["Text"], ()), verse, verse])
    first, second, third = ids(alignment)
    assert (second, third) == (f"{first}-2", f"{first}-3")


# --- decisions files -----------------------------------------------------------------------


def decisions_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "decisions.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON (line 1"),
        ({"format": "something/9"}, 'expected an object with "format": "align-decisions/1"'),
        ({"format": DECISIONS_FORMAT, "decisions": {}}, '"decisions" must be a list'),
        ({"format": DECISIONS_FORMAT, "decisions": [{"verdict": "accepted"}]}, "without a flag"),
        (
            {"format": DECISIONS_FORMAT, "decisions": [{"flag": "a-1", "verdict": "maybe"}]},
            "verdict 'maybe' is not one of open, accepted, dismissed",
        ),
        (
            {"format": DECISIONS_FORMAT, "decisions": [{"flag": "a-1", "severity": "huge"}]},
            "severity 'huge' is not one of minor, major, critical",
        ),
        ({"format": DECISIONS_FORMAT, "anchors": [{"src": -1, "tgt": 2}]}, "sentence indices"),
    ],
)
def test_a_bad_decisions_file_gets_one_clear_line(
    tmp_path: Path, content: object, message: str
) -> None:
    path = decisions_file(tmp_path, content)
    with pytest.raises(DecisionsError) as error:
        Decisions.load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_a_missing_decisions_file_is_named() -> None:
    with pytest.raises(DecisionsError, match=r"decisions file nowhere\.json not found"):
        Decisions.load("nowhere.json")


def test_decisions_round_trip_and_match_their_schema(tmp_path: Path) -> None:
    decisions = Decisions(
        (Decision("addition-0123456789", "dismissed", "", "a gloss", "2024-05-01T10:00:00Z"),),
        (Anchor(3, 4, "نص", "Text"),),
        "a.ar.txt",
        "a.en.txt",
    )
    data = decisions.to_data()
    schema = json.loads(DECISIONS_SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert Decisions.load(decisions_file(tmp_path, data)) == decisions


def test_unknown_fields_are_ignored_and_missing_ones_default(tmp_path: Path) -> None:
    data = {
        "format": DECISIONS_FORMAT,
        "decisions": [{"flag": "omission-0123456789", "verdict": "accepted", "later": 1}],
        "anchors": [{"src": 1, "tgt": 2}],
    }
    loaded = Decisions.load(decisions_file(tmp_path, data))
    assert loaded.decisions == (Decision("omission-0123456789", "accepted"),)
    assert loaded.anchors == (Anchor(1, 2),)


# --- decisions applied to an alignment ------------------------------------------------------


def decided(alignment: Alignment, **verdicts: str) -> Alignment:
    """`alignment` with the flags whose id starts with each keyword's category decided."""
    decisions = []
    for category, verdict in verdicts.items():
        flag = next(f for f in ids(alignment) if f.startswith(category + "-"))
        decisions.append(Decision(flag, verdict, comment=f"{verdict} by test"))
    stale = Decision("addition-ffffffffff", "dismissed", category="addition", reason="gone")
    return alignment.with_decisions(Decisions((*decisions, stale)))


def test_dismissed_flags_leave_the_counts_and_stale_ones_are_kept() -> None:
    alignment = decided(make_alignment(), addition="dismissed", meaning_shift="dismissed")
    assert alignment.verdict_counts() == {"open": 3, "accepted": 0, "dismissed": 2}
    assert alignment.flag_counts()["addition"] == 0
    assert alignment.flag_counts()["meaning_shift"] == 0
    assert alignment.flag_counts()["number_mismatch"] == 1
    # bead 1 (addition only) is no longer flagged; bead 3 keeps its number mismatch
    assert len(alignment.flagged) == 3
    assert [alignment.status(k) for k in (1, 3)] == ["dismissed", "number_mismatch"]
    assert [d.flag for d in alignment.review.stale] == ["addition-ffffffffff"]


@pytest.mark.parametrize(
    "verdicts",
    [{}, {"addition": "dismissed"}, {"number_mismatch": "dismissed", "omission": "accepted"}],
)
def test_counts_add_up_in_every_format(verdicts: dict[str, str]) -> None:
    alignment = decided(make_alignment(), **verdicts)
    flags = sum(alignment.flag_counts().values())
    every = sum(len(bead.flags) for bead in alignment.beads)
    assert flags + alignment.verdict_counts()["dismissed"] == every
    assert sum(alignment.verdict_counts().values()) == every
    flagged = len(alignment.flagged)
    statuses = [alignment.status(k) for k in range(len(alignment.beads))]
    assert flagged == sum(s not in ("ok", "dismissed") for s in statuses)

    summary = json.loads(render(alignment, "json"))["summary"]
    assert (summary["flagged_beads"], summary["flags_total"]) == (flagged, flags)
    assert sum(summary["flags"].values()) == flags

    md = render(alignment, "md")
    assert f"- **Flagged beads:** {flagged} of 8, with **{flags} flags**" in md
    assert md.count("\n### Bead ") == flagged

    page = render(alignment, "html")
    assert f'<span id="flagged-count">{flagged}</span> flagged beads' in page
    assert f'<span class="n" id="flag-total">{flags}</span>' in page
    legend = re.findall(r'data-category="([a-z_]+)"[^>]*>.*?<span class="n">(\d+)</span>', page)
    assert sum(int(n) for _, n in legend) == flags


def test_json_carries_decisions_and_validates_against_schema_2() -> None:
    alignment = decided(make_alignment(), addition="dismissed", omission="accepted")
    data = json.loads(render(alignment, "json"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8"))).validate(data)
    assert data["schema"] == "align-report/2"
    bead = data["beads"][1]
    assert bead["status"] == "dismissed"
    assert bead["flags"][0]["review"]["verdict"] == "dismissed"
    assert bead["flags"][0]["review"]["comment"] == "dismissed by test"
    assert data["beads"][5]["flags"][0]["review"]["verdict"] == "accepted"
    assert [d["flag"] for d in data["review"]["stale_decisions"]] == ["addition-ffffffffff"]


def test_tsv_has_flag_ids_and_decisions() -> None:
    alignment = decided(make_alignment(), addition="dismissed", number_mismatch="accepted")
    rows = list(csv.DictReader(io.StringIO(render(alignment, "tsv")), dialect="excel-tab"))
    assert rows[1]["status"] == "dismissed"
    assert rows[1]["flag_ids"] == alignment.flag_ids[1][0]
    assert rows[1]["decisions"] == "dismissed"
    assert rows[3]["flag_ids"] == "; ".join(alignment.flag_ids[3])
    assert rows[3]["decisions"] == "accepted; open"
    assert rows[3]["comments"] == "accepted by test; "
    assert rows[0]["flag_ids"] == rows[0]["decisions"] == ""


def test_markdown_lists_dismissed_and_stale_decisions_apart() -> None:
    md = render(decided(make_alignment(), addition="dismissed"), "md")
    flagged = md[md.index("## Flagged beads") : md.index("## Dismissed flags")]
    assert "### Bead 2 " not in flagged
    dismissed = md[md.index("## Dismissed flags") : md.index("## Stale decisions")]
    assert "- bead 2: **addition**: sentence of the translation only `addition-" in dismissed
    assert "· dismissed: “dismissed by test”" in dismissed
    stale = md[md.index("## Stale decisions") : md.index("<details>")]
    assert "- dismissed: **addition**: gone" in stale
    assert "- **Review:** 0 accepted, 4 open, 1 dismissed (left out of the counts above)" in md


# --- anchors found again in changed documents ----------------------------------------------


def sentences(*texts: str) -> list[Sentence]:
    return [Sentence(text, 0) for text in texts]


def test_anchors_follow_their_sentences_and_go_stale_without_them() -> None:
    src = sentences("أ.", "ب.", "ج.", "د.")
    tgt = sentences("A.", "B.", "C.")
    anchors = (
        Anchor(1, 1, "ب.", "B."),  # where it was
        Anchor(0, 0, "د.", "C."),  # moved: found at the nearest sentence with its text
        Anchor(2, 2, "هـ.", "C."),  # its original sentence is gone
        Anchor(3, 2),  # no texts: taken by index
        Anchor(9, 0),  # no texts, out of range
    )
    found, stale = resolve_anchors(anchors, src, tgt)
    assert [(a.src, a.tgt) for a in found] == [(1, 1), (3, 2)]
    assert found[1].src_text == "د." and found[1].tgt_text == "C."
    assert stale == (anchors[2], anchors[4])


def test_links_are_reported_kept_or_stale_in_json_and_markdown() -> None:
    links = (
        Anchor(5, 5, "الجملة الأولى.", "The first and the second sentence."),  # in one bead
        Anchor(0, 2, "بعد تحرير الموصل… إلى أين يتجه داعش؟", "By Elijah J. Magnier"),  # not
        Anchor(3, 3, "جملة حذفت", "A deleted sentence"),  # gone
    )
    alignment = make_alignment().with_decisions(Decisions(anchors=links))
    data = json.loads(render(alignment, "json"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8"))).validate(data)
    assert [(a["src"], a["tgt"], a["kept"]) for a in data["review"]["anchors"]] == [
        (5, 5, True),
        (0, 2, False),
    ]
    assert [a["src_text"] for a in data["review"]["stale_anchors"]] == ["جملة حذفت"]
    md = render(alignment, "md")
    assert "- **Links made by the reviewer:** 2 (1 kept in one bead)" in md
    assert "- link of original “جملة حذفت” with translation “A deleted sentence”" in md
