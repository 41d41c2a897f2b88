import numpy as np
import pytest

from indexer.embedding.base import normalise
from indexer.store.faiss_store import FaissStore
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import IndexCorrupt


def _vectors(n: int, dimension: int = 16, seed: int = 0) -> np.ndarray:
    return normalise(np.random.default_rng(seed).normal(size=(n, dimension)))


# HNSW keeps float16 vectors: their scores are within 1e-3 of float32's, flat ones exact.
@pytest.mark.parametrize("expected_size, kind, tolerance", [(100, "faiss-flat", 1e-6), (10_000, "faiss-hnsw", 1e-3)])
def test_store_finds_each_vector_and_round_trips(tmp_path, expected_size, kind, tolerance):
    vectors = _vectors(500)
    store = FaissStore.create(16, expected_size, exact_limit=1_000)
    store.add(vectors)
    assert store.kind == kind and len(store) == 500
    scores, ids = store.search(vectors[:20], 3)
    assert list(ids[:, 0]) == list(range(20))
    assert np.allclose(scores[:, 0], 1.0, atol=tolerance)
    store.save(tmp_path)
    loaded = FaissStore.load(tmp_path)
    assert loaded.kind == kind
    assert np.array_equal(loaded.search(vectors[:5], 3)[1], store.search(vectors[:5], 3)[1])
    assert np.allclose(loaded.score_all(vectors[7]), vectors @ vectors[7], atol=tolerance)
    assert np.allclose(loaded.score_ids(np.array([9, 3]), vectors[7]), vectors[[9, 3]] @ vectors[7], atol=tolerance)
    assert np.allclose(loaded.vectors(np.arange(len(vectors))), vectors, atol=tolerance)


def test_an_hnsw_index_of_float32_vectors_written_before_still_loads_and_scores_exactly(tmp_path, monkeypatch):
    import faiss

    from indexer.store import faiss_store

    vectors = _vectors(300)
    monkeypatch.setattr(faiss_store, "_DECODE_BLOCK", 7)  # several blocks, so none is lost or repeated
    index = faiss.IndexHNSWFlat(16, 8, faiss.METRIC_INNER_PRODUCT)
    index.add(vectors)
    faiss.write_index(index, str(tmp_path / faiss_store.FILE_NAME))
    loaded = FaissStore.load(tmp_path)
    assert loaded.kind == "faiss-hnsw" and list(loaded.search(vectors[:3], 1)[1][:, 0]) == [0, 1, 2]
    assert np.allclose(loaded.score_all(vectors[4]), vectors @ vectors[4], atol=1e-6)


def test_float16_vectors_are_scored_block_by_block_in_id_order(monkeypatch):
    from indexer.store import faiss_store

    monkeypatch.setattr(faiss_store, "_DECODE_BLOCK", 7)
    vectors = _vectors(50)
    store = FaissStore.create(16, 50, exact_limit=0)
    store.add(vectors)
    assert np.allclose(store.score_all(vectors[11]), vectors @ vectors[11], atol=1e-3)
    assert int(np.argmax(store.score_all(vectors[11]))) == 11


def test_empty_store_returns_no_hits():
    store = FaissStore.create(16, 0)
    scores, ids = store.search(_vectors(1), 5)
    assert ids.shape == (1, 0)


def test_publish_switches_current_and_keeps_two_generations(tmp_path):
    layout = IndexDirectory(tmp_path)
    assert layout.current() is None
    for expected in ("gen-000001", "gen-000002", "gen-000003"):
        with layout.building() as scratch:
            (scratch / "data").write_text(expected)
            layout.publish(scratch, layout.next_name())
        assert layout.current().name == expected
        assert (layout.current() / "data").read_text() == expected
    assert sorted(p.name for p in layout.generations.iterdir()) == ["gen-000002", "gen-000003"]


def test_a_failed_build_leaves_the_live_generation_and_no_scratch(tmp_path):
    layout = IndexDirectory(tmp_path)
    with layout.building() as scratch:
        layout.publish(scratch, layout.next_name())
    with pytest.raises(RuntimeError):
        with layout.building() as scratch:
            (scratch / "partial").write_text("half")
            raise RuntimeError("killed")
    assert layout.current().name == "gen-000001"
    assert [p.name for p in layout.generations.iterdir()] == ["gen-000001"]


def test_only_one_build_at_a_time(tmp_path):
    layout = IndexDirectory(tmp_path)
    with layout.lock():
        with pytest.raises(RuntimeError, match="another build"):
            with IndexDirectory(tmp_path).lock():
                pass


def test_numpy_blas_runs_on_one_thread_beside_the_model():
    from threadpoolctl import threadpool_info

    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_pruning_keeps_the_live_generation_whatever_the_names(tmp_path):
    # A build killed between renaming its folder into place and switching CURRENT leaves a newer
    # generation that never went live; the next publish must keep the live one, not the newest names.
    layout = IndexDirectory(tmp_path)
    with layout.building() as scratch:
        layout.publish(scratch, layout.next_name())  # gen-000001, live
    (layout.generations / "gen-000002").mkdir()  # renamed into place, then killed
    with layout.building() as scratch:
        layout.publish(scratch, layout.next_name())  # gen-000003
    assert layout.current().name == "gen-000003"
    assert [p.name for p in layout.generation_dirs()] == ["gen-000003", "gen-000001"]


def test_a_damaged_current_pointer_is_a_clear_error_and_the_next_publish_repairs_it(tmp_path):
    layout = IndexDirectory(tmp_path)
    with layout.building() as scratch:
        layout.publish(scratch, layout.next_name())
    (tmp_path / "CURRENT").write_bytes(b"gen-0\xff0001\n")
    with pytest.raises(IndexCorrupt, match="CURRENT"):
        layout.current()
    with layout.building() as scratch:
        layout.publish(scratch, layout.next_name())
    assert layout.current().name == "gen-000002"


def test_a_run_that_publishes_nothing_prunes_what_a_killed_switch_left(tmp_path):
    layout = IndexDirectory(tmp_path)
    for _ in range(3):  # gen-000003 went live, the build was killed before it pruned gen-000001
        with layout.building() as scratch:
            name = layout.next_name()
            scratch.rename(layout.generations / name)
    (tmp_path / "CURRENT").write_text("gen-000003\n")
    layout.prune_behind("gen-000003")
    assert [p.name for p in layout.generation_dirs()] == ["gen-000003", "gen-000002"]


@pytest.mark.parametrize("exact_limit", [10_000, 0])  # flat, then HNSW
def test_a_search_within_a_mask_returns_only_allowed_vectors_best_first(exact_limit):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(2000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = FaissStore.create(16, len(vectors), exact_limit=exact_limit)
    store.add(vectors)
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[rng.choice(len(vectors), 150, replace=False)] = True
    scores, ids = store.search_within(vectors[0], 10, allowed)
    expected = np.flatnonzero(allowed)[np.argsort(-(vectors[allowed] @ vectors[0]))[:10]]
    assert allowed[ids[0]].all() and ids[0].tolist() == expected.tolist()
    assert list(scores[0]) == sorted(scores[0], reverse=True)
