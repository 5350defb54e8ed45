"""Progress of a long comparison: the stages the library goes through, and the display of
them that the command line shows on stderr.

The library says when a stage starts (`stage`) and how much work an encoder has been given
and has done (`work`, `done`); by default nobody listens and this costs nothing. The command
line listens with a `Display` (`with showing(display):`), which shows one line, redrawn in
place on a terminal:

    align: [3/5] embedding runs of sentences  4,096/21,345 texts · 0:42 elapsed · about 1:30 left

and, when stderr is not a terminal (a log file, a CI job), a short line per stage and one
a minute during a long one, so that a run of half an hour is never silent.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol, TextIO

import numpy as np

from align.cache import model_identity
from align.encoding import Encoder

EMBEDDING_SENTENCES = "embedding sentences"
ALIGNING = "aligning"
EMBEDDING_RUNS = "embedding runs of sentences"
REALIGNING = "aligning again"
SCORING = "scoring beads"
_LOG_EVERY = 60.0  # seconds between two lines of a long stage when stderr is not a terminal
_REDRAW_EVERY = 0.2  # seconds between two redraws on a terminal
# The time each later stage takes, as a share of the time embedding sentences took:
# measured with this display on suras 2 to 5 (782 + 1,862 sentences, empty cache), where
# the five stages took 41, 2, 26, 1 and 16 s.
_LATER_SHARE = {ALIGNING: 0.05, EMBEDDING_RUNS: 0.65, REALIGNING: 0.03, SCORING: 0.4}


def stages(refine: bool) -> tuple[str, ...]:
    """The stages of one comparison: with `refine` (AlignParams.refine_radius > 0) the
    runs of sentences near the first path are embedded and the texts aligned again."""
    if refine:
        return (EMBEDDING_SENTENCES, ALIGNING, EMBEDDING_RUNS, REALIGNING, SCORING)
    return (EMBEDDING_SENTENCES, ALIGNING, SCORING)


class Listener(Protocol):
    """What hears of progress (a `Display`)."""

    def stage(self, name: str) -> None: ...

    def work(self, units: int) -> None: ...

    def done(self, units: int) -> None: ...


_listener: ContextVar[Listener | None] = ContextVar("align_progress", default=None)


def stage(name: str) -> None:
    """Tell whoever listens that stage `name` starts."""
    if listener := _listener.get():
        listener.stage(name)


def work(units: int) -> None:
    """Tell whoever listens that `units` more texts are to be embedded in this stage."""
    if listener := _listener.get():
        listener.work(units)


def done(units: int) -> None:
    """Tell whoever listens that `units` texts have been embedded."""
    if listener := _listener.get():
        listener.done(units)


def listening() -> bool:
    """Whether anyone listens (an encoder need not cut its work into batches otherwise)."""
    return _listener.get() is not None


@contextmanager
def showing(listener: Listener) -> Iterator[Listener]:
    """Let `listener` hear the progress of what runs inside the block (in this thread)."""
    token = _listener.set(listener)
    try:
        yield listener
    finally:
        _listener.reset(token)
        if isinstance(listener, Display):
            listener.close()


class ProgressEncoder:
    """Wraps an encoder: gives it texts a batch at a time and tells whoever listens how
    far it is. Place it under a cache, so that only the texts really embedded count."""

    def __init__(self, encoder: Encoder, batch: int = 256) -> None:
        self.name = encoder.name
        self.fingerprint = model_identity(encoder)  # what a cache keys vectors by
        self.dimension = getattr(encoder, "dimension", None)
        self._encoder = encoder
        self._batch = batch

    def release(self) -> None:
        """Release the wrapped encoder's model, if it can (see align.cache.RELEASE_AFTER)."""
        if release := getattr(self._encoder, "release", None):
            release()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) <= self._batch or not listening():
            return self._encoder.encode(texts)
        work(len(texts))
        parts = []
        for start in range(0, len(texts), self._batch):
            parts.append(self._encoder.encode(texts[start : start + self._batch]))
            done(len(parts[-1]))
        return np.vstack(parts)


class Display:
    """Shows the stages of `plan` on `stream` (default: stderr) as they come: redrawn in
    place on a terminal (`tty`, default: whether `stream` is one), else a line a stage.
    Work is counted in `unit`s."""

    def __init__(
        self,
        plan: Sequence[str],
        unit: str = "texts",
        stream: TextIO | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._plan = list(plan)
        self._unit = unit
        self._stream = stream if stream is not None else sys.stderr
        self._tty = self._stream.isatty() if tty is None else tty
        self._clock = clock
        self._start = clock()
        self._name = ""
        self._stage_start = self._start
        self._total = self._done = 0
        self._durations: dict[str, float] = {}
        self._shown = float("-inf")  # when the line was last drawn or written
        self._width = 0

    def stage(self, name: str, units: int = 0) -> None:
        """Stage `name` starts, with `units` of work if known already."""
        now = self._clock()
        if self._name:
            self._durations[self._name] = now - self._stage_start
        self._name, self._stage_start = name, now
        self._total, self._done = units, 0
        self._show(now, force=True)

    def work(self, units: int) -> None:
        self._total += units
        self._show(self._clock())

    def done(self, units: int) -> None:
        self._done += units
        self._show(self._clock())

    def close(self) -> None:
        """End the display: a terminal's line is cleared, a log gets the total time."""
        if not self._name:
            return
        elapsed = _clock_time(self._clock() - self._start)
        if self._tty:
            self._write("\r" + " " * self._width + "\r")
        else:
            self._write(f"align: done in {elapsed}\n")
        self._name = ""

    def line(self, now: float) -> str:
        """The display as one line at time `now`."""
        number = self._plan.index(self._name) + 1 if self._name in self._plan else 0
        where = f"[{number}/{len(self._plan)}] " if number and len(self._plan) > 1 else ""
        parts = [f"align: {where}{self._name}"]
        if self._total:
            parts.append(f"{self._done:,}/{self._total:,} {self._unit}")
        parts.append(f"{_clock_time(now - self._start)} elapsed")
        left = self.seconds_left(now)
        if left is not None:
            parts.append(f"about {_clock_time(left)} left")
        return " · ".join(parts)

    def seconds_left(self, now: float) -> float | None:
        """An estimate of the time the whole run still takes, or None before there is one:
        the current stage by its own pace (once it has done some of its work for a couple
        of seconds), the later ones by their usual share of the time that embedding
        sentences took (see `_LATER_SHARE`)."""
        in_stage = now - self._stage_start
        paced = self._done and self._total and in_stage >= 2
        left = in_stage * (self._total - self._done) / self._done if paced else None
        base = self._durations.get(EMBEDDING_SENTENCES)
        if self._name == EMBEDDING_SENTENCES and left is not None:
            base = in_stage + left
        if base is None:
            return left
        if left is None:
            expected = base * _LATER_SHARE.get(self._name, 0.0)
            left = max(expected - in_stage, 0.0)
        later = self._plan[self._plan.index(self._name) + 1 :] if self._name in self._plan else []
        return left + sum(base * _LATER_SHARE.get(name, 0.0) for name in later)

    def _show(self, now: float, force: bool = False) -> None:
        every = _REDRAW_EVERY if self._tty else _LOG_EVERY
        if not force and now - self._shown < every:
            return
        self._shown = now
        text = self.line(now)
        if self._tty:  # one line, never wrapped: a carriage return goes back one line only
            text = text[: shutil.get_terminal_size().columns - 1]
            self._write("\r" + text.ljust(self._width))
            self._width = max(self._width, len(text))
        else:
            self._write(text + "\n")

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # stderr closed: progress is not worth failing for
            pass


def _clock_time(seconds: float) -> str:
    """`seconds` as H:MM:SS or M:SS."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
