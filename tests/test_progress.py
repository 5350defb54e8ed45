"""The progress display: stages numbered, elapsed time and an estimate, one line redrawn on
a terminal, a line a stage (and a minute) in a log; the encoder that reports its batches."""

from __future__ import annotations

import io

import numpy as np

from align import progress
from align.cache import CachedEncoder, model_identity
from align.progress import Display, ProgressEncoder, showing


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """A listener that remembers what it hears."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def stage(self, name: str) -> None:
        self.events.append(("stage", name))

    def work(self, units: int) -> None:
        self.events.append(("work", units))

    def done(self, units: int) -> None:
        self.events.append(("done", units))


def display(tty: bool) -> tuple[Display, io.StringIO, Clock]:
    stream, clock = io.StringIO(), Clock()
    return Display(progress.stages(refine=True), stream=stream, tty=tty, clock=clock), stream, clock


def test_the_encoder_reports_its_batches_and_gives_the_same_vectors(hashing_encoder):
    texts = [f"sentence number {i}" for i in range(700)]
    recorder = Recorder()
    with showing(recorder):
        vectors = ProgressEncoder(hashing_encoder, batch=256).encode(texts)
    np.testing.assert_array_equal(vectors, hashing_encoder.encode(texts))
    assert recorder.events == [("work", 700), ("done", 256), ("done", 256), ("done", 188)]
    assert ProgressEncoder(hashing_encoder).encode(texts[:3]).shape == (3, 64)  # no listener


def test_the_encoder_keeps_the_cache_key_of_the_encoder_it_wraps(hashing_encoder, tmp_path):
    wrapped = ProgressEncoder(hashing_encoder)
    assert model_identity(wrapped) == model_identity(hashing_encoder)
    with CachedEncoder(hashing_encoder, tmp_path / "v.sqlite") as cache:
        cache.encode(["a text"])
    with CachedEncoder(wrapped, tmp_path / "v.sqlite") as cache:
        cache._encoder = None  # a hit must not reach the encoder at all
        assert cache.encode(["a text"]).shape == (1, 64)


def test_a_log_gets_a_line_a_stage_and_one_a_minute_with_an_estimate():
    shown, stream, clock = display(tty=False)
    with showing(shown):
        progress.stage(progress.EMBEDDING_SENTENCES)
        progress.work(1000)
        clock.now += 30
        progress.done(200)  # not a minute since the last line: nothing
        clock.now += 31
        progress.done(300)  # half way after 61 s: as long again, then the later stages
        clock.now += 61
        progress.done(500)
        progress.stage(progress.ALIGNING)
        clock.now += 1
        progress.stage(progress.EMBEDDING_RUNS)
        progress.stage(progress.REALIGNING)
        progress.stage(progress.SCORING)
        clock.now += 5
    assert stream.getvalue().splitlines() == [
        "align: [1/5] embedding sentences · 0:00 elapsed",
        "align: [1/5] embedding sentences · 500/1,000 texts · 1:01 elapsed · about 3:19 left",
        "align: [1/5] embedding sentences · 1,000/1,000 texts · 2:02 elapsed · about 2:18 left",
        "align: [2/5] aligning · 2:02 elapsed · about 2:18 left",
        "align: [3/5] embedding runs of sentences · 2:03 elapsed · about 2:12 left",
        "align: [4/5] aligning again · 2:03 elapsed · about 0:52 left",
        "align: [5/5] scoring beads · 2:03 elapsed · about 0:49 left",
        "align: done in 2:08",
    ]


def test_a_terminal_gets_one_line_redrawn_in_place_and_cleared_at_the_end():
    shown, stream, clock = display(tty=True)
    with showing(shown):
        progress.stage(progress.EMBEDDING_SENTENCES)
        progress.work(10)
        for _ in range(10):
            clock.now += 1
            progress.done(1)
    text = stream.getvalue()
    assert "\n" not in text
    frames = text.split("\r")[1:]
    assert frames[0].startswith("align: [1/5] embedding sentences")
    assert frames[-3].endswith("10/10 texts · 0:10 elapsed · about 0:11 left")
    assert frames[-2].strip() == "" and frames[-1] == ""  # the line is wiped at the end


def test_nothing_listens_by_default():
    progress.stage(progress.SCORING)  # no listener: nothing happens, nothing fails
    assert not progress.listening()
