"""A cache of sentence vectors, on disk so that re-running a comparison or a benchmark on
the same texts does not embed them again, or in memory so that the stages of one run share
them. SQLite from the standard library, one row a text."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from align.encoding import Encoder


class CachedEncoder:
    """Wraps an encoder; vectors are kept in `path` (default: in memory) keyed by the
    encoder's name and the text."""

    def __init__(self, encoder: Encoder, path: str | Path = ":memory:") -> None:
        self.name = encoder.name
        self._encoder = encoder
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found = dict(self._lookup(set(keys)))
        missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in found})
        if missing:
            vectors = self._encoder.encode(missing)
            rows = [
                (self._key(t), v.astype(np.float32).tobytes())
                for t, v in zip(missing, vectors, strict=True)
            ]
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.commit()
            found.update(rows)
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])

    def _lookup(self, keys: set[str]):
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(
                f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk
            )

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.name}\x00{text}".encode()).hexdigest()
