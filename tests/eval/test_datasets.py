import pytest
from support import shared_path

from eval.datasets import load_beir, load_span_queries


def test_seed_queries_load_with_grades_and_languages():
    queries = load_span_queries(shared_path("eval", "seed_queries.jsonl"))
    assert len(queries) == 14 and {q.lang for q in queries} == {"zh", "en"}
    assert all(q.relevant and all(r.grade in (1, 2) for r in q.relevant) for q in queries)


def test_malformed_line_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "query": "x", "relevant": []}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="q.jsonl:2"):
        load_span_queries(path)


def test_cross_lingual_beir_pairs_english_queries_with_chinese_passages():
    folder = shared_path("data", "xquad")
    data = load_beir(folder, "zh_corpus.jsonl", "en_queries.jsonl", "zh_qrels.tsv")
    assert len(data.corpus) == 240 and len(data.queries) > 1000
    query_id, text = next(iter(data.queries.items()))
    assert text.isascii() and set(data.qrels[query_id]) <= set(data.corpus)
