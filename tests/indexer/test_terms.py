import math

import numpy as np
import pytest

from indexer.terms import TermIndex, TermPostings

DOCUMENTS = [{"court": 2.0, "case": 1.0}, {"case": 3.0}, {"court": 1.0}, {"mediation": 1.0, "case": 1.0}]


def test_bm25_worked_by_hand():
    index = TermIndex([TermPostings.from_documents(DOCUMENTS)], k1=1.5, b=0.75)
    lengths = [3.0, 3.0, 1.0, 2.0]
    average = sum(lengths) / 4
    idf = math.log(1 + (4 - 2 + 0.5) / (2 + 0.5))  # "court": in documents 0 and 2

    def saturated(tf, length):
        return tf / (tf + 1.5 * (1 - 0.75 + 0.75 * length / average))

    expected = [idf * saturated(2.0, 3.0), 0.0, idf * saturated(1.0, 1.0), 0.0]
    assert index.scores(["court"]) == pytest.approx(np.array(expected, dtype=np.float32), rel=1e-6)
    assert index.scores(["court", "court"]) == pytest.approx(2 * np.array(expected, dtype=np.float32), rel=1e-6)
    assert index.document_frequency("case") == 3 and not index.scores(["banana"]).any()
    assert list(index.holders("court")) == [True, False, True, False] and index.terms() == ["case", "court", "mediation"]


def test_parts_with_deleted_rows_score_as_the_documents_they_keep():
    live = np.array([True, False, True])
    parts = [TermPostings.from_documents(DOCUMENTS[:1]), TermPostings.from_documents(DOCUMENTS[1:]).select(live)]
    kept = [DOCUMENTS[0], DOCUMENTS[1], DOCUMENTS[3]]
    whole = TermIndex([TermPostings.from_documents(kept)], k1=1.2, b=0.75, saturation_scale=2.2)
    split = TermIndex(parts, k1=1.2, b=0.75, saturation_scale=2.2)
    assert split.size == 3 and split.document_frequency("court") == 1
    for terms in (["court"], ["case"], ["mediation", "case"]):
        assert split.scores(terms) == pytest.approx(whole.scores(terms), rel=1e-6)


def test_postings_survive_a_round_trip(tmp_path):
    postings = TermPostings.from_documents(DOCUMENTS)
    postings.save(tmp_path / "terms")
    loaded = TermPostings.load(tmp_path / "terms")
    assert loaded.vocabulary == postings.vocabulary and np.array_equal(loaded.rows, postings.rows)
    assert np.array_equal(loaded.frequencies, postings.frequencies) and np.array_equal(loaded.lengths, postings.lengths)
