import numpy as np
import pytest

from indexer.embedding import DEFAULT_MODEL, create_embedder
from indexer.embedding.cache import EmbeddingCache, text_key
from indexer.embedding.fake import FakeEmbedder
from indexer.embedding.prefixes import prefixes_for

HEADLINES = [
    "市政府建立行政机关负责人出庭应诉机制，全年出庭应诉案件798件",
    "全市共依法受理行政复议案件304件，审结296件",
    "聘请法律顾问及公职律师参与重大行政决策的合法性审查",
    "推进城市管理执法体制改革，城市管理事权下放到区",
    "开展领导干部学法用法，理论学习中心组累计学法1639次",
    "落实双随机一公开监管，随机抽取检查对象和执法检查人员",
]


def _rank(embedder, query: str) -> list[int]:
    scores = embedder.embed_passages(HEADLINES) @ embedder.embed_queries([query])[0]
    return list(np.argsort(-scores))


@pytest.fixture(scope="module")
def e5():
    return create_embedder()


def test_default_model_is_bundled_multilingual_e5(e5):
    assert e5.model == DEFAULT_MODEL and e5.dimension == 384 and e5.runtime.startswith("onnxruntime")
    vectors = e5.embed_passages(HEADLINES[:2])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert e5.embed_passages([]).shape == (0, 384)


@pytest.mark.parametrize(
    "query, best",
    [
        ("行政机关负责人出庭应诉", 0),
        ("行政复议案件审结", 1),
        ("legal advisers for government decisions", 2),
        ("random inspections", 5),
        ("urban management enforcement reform", 3),
        ("领导干部学法", 4),
    ],
)
def test_real_model_ranks_the_matching_headline_first(e5, query, best):
    assert _rank(e5, query)[0] == best


def test_sentence_transformers_backend_with_a_real_bundled_model():
    embedder = create_embedder("sentence-transformers/all-MiniLM-L6-v2")
    assert embedder.runtime == "sentence-transformers" and embedder.dimension == 384
    passages = ["The court heard the administrative case.", "Rainfall was heavy in the spring.", "Officials studied the law."]
    scores = embedder.embed_passages(passages) @ embedder.embed_queries(["weather and rain"])[0]
    assert int(np.argmax(scores)) == 1
    assert embedder.count_tokens("hello world") == 4  # [CLS] hello world [SEP]


@pytest.mark.parametrize(
    "model, query, passage",
    [
        ("intfloat/multilingual-e5-small", "query: ", "passage: "),
        ("intfloat/e5-base-v2", "query: ", "passage: "),
        ("BAAI/bge-small-zh-v1.5", "为这个句子生成表示以用于检索相关文章：", ""),
        ("sentence-transformers/all-MiniLM-L6-v2", "", ""),
    ],
)
def test_prefixes_follow_the_model_family(model, query, passage):
    prefixes = prefixes_for(model)
    assert (prefixes.query, prefixes.passage) == (query, passage)


def test_cache_returns_what_was_stored_per_model(tmp_path):
    fake = FakeEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", fake)
    vectors = fake.embed_passages(["甲", "乙"])
    cache.put_many([text_key("甲"), text_key("乙")], vectors, [1, 1])
    found = cache.get_many([text_key("甲"), text_key("丙")])
    assert list(found) == [text_key("甲")]
    assert np.array_equal(found[text_key("甲")], vectors[0])
    other = EmbeddingCache(tmp_path / "cache.sqlite", FakeEmbedder(dimension=32))
    assert other.get_many([text_key("甲")]) == {}


def test_fake_embedder_counts_calls_and_texts():
    fake = FakeEmbedder()
    fake.embed_passages(["a", "b", "c"])
    fake.embed_queries(["d"])
    assert (fake.calls, fake.texts_embedded) == (2, 4)
