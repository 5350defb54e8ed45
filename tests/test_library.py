"""The public API at its edges: arguments checked with messages that say what was expected,
the default encoder loaded once per process, and the command line's vector cache used by
default, with `cache=False` or a folder of one's own instead."""

from __future__ import annotations

import sqlite3

import pytest

import align
from align import encoding
from align.cache import cache_file
from align.scoring import FlagParams
from align.segmenting import Sentence
from tests.conftest import HashingEncoder

SRC = ["القطة تجلس على الحصيرة.", "ارتفعت أسعار النفط اليوم."]
NAN = FlagParams(sensitivity=float("nan"))
TGT = ["The cat sits on the mat.", "Oil prices rose today."]


class KnownEncoder(HashingEncoder):
    """The fake encoder, with a fingerprint as the real ones have: cached on disk."""

    fingerprint = "hashing-test-1"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        return super().encode(texts)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: align.align_sentences("a text", TGT), TypeError, ["list of sentences", "compare"]),
        (lambda: align.align_sentences([], TGT), ValueError, ["src_sentences is empty"]),
        (lambda: align.align_sentences(SRC, [TGT[0], 7]), TypeError, ["tgt_sentences[1]", "int"]),
        (lambda: align.compare("نص.", "A text.", model=""), ValueError, ["model is empty"]),
        (lambda: align.compare("نص.", "A text.", src_lang=None), TypeError, ["src_lang", "None"]),
        (lambda: align.compare("نص.", "A text.", tgt_lang=""), ValueError, ["tgt_lang is empty"]),
        (lambda: align.compare("نص.", "A text.", flag_params=NAN), ValueError, ["sensitivity"]),
        (lambda: align.compare("نص.", "A.", align_params={}), TypeError, ["AlignParams", "dict"]),
        (lambda: align.compare("نص.", "A text.", cache=5), TypeError, ["cache must be", "int"]),
    ],
)
def test_arguments_that_cannot_work_say_what_was_expected(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


def test_sentences_may_be_strings_or_sentences_and_are_cleaned():
    result = align.align_sentences(
        [Sentence("القطة\x1b[2J تجلس.", 0), SRC[1]], TGT, model=HashingEncoder(), cache=False
    )
    assert [s.text for s in result.src_sentences] == ["القطة␛ تجلس.", SRC[1]]


def test_the_default_encoder_is_loaded_once_per_process(monkeypatch):
    loads = []

    def load(model=None, threads=None):
        loads.append(model)
        return HashingEncoder()

    monkeypatch.setattr(encoding, "load_encoder", load)
    monkeypatch.setattr(encoding, "_shared", {})
    for _ in range(3):
        align.compare("القطة تجلس.", "The cat sits.", cache=False)
    align.compare("القطة تجلس.", "The cat sits.", model="usem3", cache=False)
    assert loads == ["usem3"]


def test_the_library_uses_the_command_lines_cache_unless_told_not_to(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "default"))
    first, again = KnownEncoder(), KnownEncoder()
    align.align_sentences(SRC, TGT, model=first)
    align.align_sentences(SRC, TGT, model=again)
    assert first.calls > 0 and again.calls == 0  # every vector came from the disk cache
    with sqlite3.connect(cache_file(tmp_path / "default")) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] >= 4
    db.close()

    unknown = HashingEncoder()  # no fingerprint: it could be any model, so not on disk
    mine = tmp_path / "mine"
    align.align_sentences(SRC, TGT, model=unknown, cache=mine)
    off = KnownEncoder()
    align.align_sentences(SRC, TGT, model=off, cache=False)
    assert off.calls > 0 and not mine.exists()
    align.align_sentences(SRC, TGT, model=KnownEncoder(), cache=mine)
    assert cache_file(mine).exists()
