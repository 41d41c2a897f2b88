import json

from support import CORPUS, shared_path

from eval.metadata import load_labels, score_metadata

# On the dev labels (133 Shenzhen reports) the describe stage got 0.466 / 0.436 / 0.256 before the
# evidence rules and 1.000 on each field after; CI guards the targets.
TARGETS = {"jurisdiction": 0.98, "parent": 0.98, "doc_type": 0.95}


def test_accuracy_is_counted_per_field(tmp_path):
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"file": "004_21f6359df466e4c8.txt", "jurisdiction": "城东区", "parent": "西宁市", "doc_type": "annual_report"},
        {"file": "003_592341dc8e18cf32.txt", "jurisdiction": "昌吉市", "parent": "昌吉回族自治州", "doc_type": "notice"},
        {"file": "missing.txt", "jurisdiction": "某市", "parent": None, "doc_type": "other"},
        {"file": "000_1b3becc2b1274469.txt", "jurisdiction": "乌鲁木齐市", "parent": None, "doc_type": "annual_report"},
    ]
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    scores = score_metadata(load_labels(labels), CORPUS)
    # By hand: jurisdiction 3 of 4 (the missing file is wrong), parent 3 of 4 (None == None for the
    # missing one, wrong... no: its label is None and nothing was described, so it is right), type 2 of 4.
    assert scores.files == 4
    assert scores.accuracy == {"jurisdiction": 0.75, "parent": 1.0, "doc_type": 0.5}
    assert scores.missing == {"jurisdiction": 1, "parent": 0, "doc_type": 1}


def test_the_dev_labels_meet_the_targets():
    scores = score_metadata(load_labels(shared_path("eval", "metadata_dev.jsonl")), shared_path("data"))
    assert scores.files == 133
    assert all(scores.accuracy[field] >= target for field, target in TARGETS.items()), scores.accuracy
