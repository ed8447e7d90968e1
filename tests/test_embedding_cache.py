"""The embedding cache: embeddings by text hash, in memory and in shards under the workspace."""

import numpy as np

from pipeline.classify.encoders import EmbeddingCache


def test_vectors_come_back_by_hash_in_memory_and_from_disk(tmp_path):
    rng = np.random.default_rng(0)
    cache = EmbeddingCache(tmp_path, "enc")
    batches = [([f"h{b}-{i}" for i in range(700)], rng.normal(size=(700, 4)).astype(np.float32)) for b in range(3)]
    for hashes, vectors in batches:  # 2,100 rows: the in-memory matrix grows past its first size
        cache.put(hashes, vectors)
    wanted = ["h2-5", "missing", "h0-0", "h1-699"]
    expected = np.stack([batches[2][1][5], batches[0][1][0], batches[1][1][699]])
    for reader in (cache, EmbeddingCache(tmp_path, "enc")):  # the second reads the shards back
        got, found = reader.get(wanted)
        assert found.tolist() == [True, False, True, True]
        assert np.array_equal(got, expected)


def test_an_empty_cache_finds_nothing_and_another_encoder_shares_nothing(tmp_path):
    cache = EmbeddingCache(tmp_path, "enc")
    got, found = cache.get(["a", "b"])
    assert not found.any() and got.size == 0
    cache.put(["a"], np.ones((1, 3), np.float32))
    assert not EmbeddingCache(tmp_path, "other").get(["a"])[1].any()
