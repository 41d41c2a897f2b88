"""End to end: ``corpus/`` indexed with the real bundled model."""

from indexer.embedding import DEFAULT_MODEL, create_embedder
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory, open_faiss_store
from indexer.store.manifest import verify_generation


def test_corpus_indexes_and_second_run_embeds_nothing(real_corpus_index):
    _, first, second = real_corpus_index
    assert len(first.new) == 5 and not first.failed and first.units_embedded > first.chunks > 50
    assert first.tokens_embedded > 0 and first.embed_tokens_per_second > 0
    assert second.units_embedded == 0 and len(second.unchanged) == 5


def test_every_chunk_is_its_span_of_clean_text_and_maps_into_the_raw_file(real_corpus_index):
    index_dir, _, _ = real_corpus_index
    catalog = Catalog(IndexDirectory(index_dir).current())
    reports = {r.doc_id: r for r in catalog.reports()}
    chunks = catalog.chunks()
    assert {c.doc_id for c in chunks} == set(reports)
    for chunk in chunks:
        report = reports[chunk.doc_id]
        assert report.text[chunk.start : chunk.end] == chunk.text
        raw = report.clean.raw.text
        with open(report.clean.raw.path, encoding="utf-8") as handle:
            assert handle.read() == raw
        offset_map = report.clean.offset_map
        for offset in range(chunk.start, chunk.end):
            if not report.text[offset].isspace():
                assert raw[offset_map.to_raw(offset)] == report.text[offset]
        # The raw span starts and ends on the chunk's first and last characters (removed noise
        # lines between its lines stay inside the raw span).
        raw_start, raw_end = offset_map.raw_span(chunk.start, chunk.end)
        assert raw[raw_start] == chunk.text[0] and raw[raw_end - 1] == chunk.text[-1]


def test_manifest_and_vectors_agree_with_the_real_model(real_corpus_index):
    index_dir, first, _ = real_corpus_index
    generation = IndexDirectory(index_dir).current()
    manifest = verify_generation(generation)
    assert manifest.model["name"] == DEFAULT_MODEL and manifest.model["dimension"] == 384
    catalog = Catalog(generation)
    store = open_faiss_store(generation, manifest, catalog)
    assert len(store) == manifest.counts["units"] == first.units
    # The court-appearance sentence of the Urumqi 2017 report is found by a Chinese question.
    chunks, units = catalog.chunks(), catalog.unit_rows()
    query = create_embedder().embed_queries(["行政机关负责人出庭应诉"])
    _, ids = store.search(query, 5)
    texts = [chunks[units[i][0]].text for i in ids[0]]
    assert any("出庭应诉" in t for t in texts)
