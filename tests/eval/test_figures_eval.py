import pytest

from eval.figures import ExpectedFigure, FigureQuestion, FoundFigure, load_figure_questions, score_figures, total

EXPECTED = (
    ExpectedFigure("a/000.txt", "乌鲁木齐市", 798, "件", "共出庭应诉798件"),
    ExpectedFigure("004.txt", "城东区", 78.9, "%", "胜诉率78.9%"),
)
QUESTION = FigureQuestion("q1", "出庭应诉", "zh", EXPECTED)


def _found(jurisdiction="乌鲁木齐市", value=798.0, unit="件", cited="全市共出庭应诉798件", source="000.txt"):
    return FoundFigure(source, jurisdiction, value, unit, cited)


def test_precision_and_recall_worked_by_hand():
    found = [_found(), _found("城东区", 78.9, "％", "胜诉率78.9%", "x/004.txt"), _found(value=17.0, cited="结转17件")]
    score = score_figures(QUESTION, found)
    assert (score.correct, score.found, score.expected) == (2, 3, 2)
    assert score.precision == pytest.approx(2 / 3) and score.recall == 1.0
    assert [w.value for w in score.wrong] == [17.0]


@pytest.mark.parametrize("wrong", [
    {"cited": "出庭应诉798件"},  # the expected quote is not inside the cited span
    {"jurisdiction": "城东区"}, {"unit": "人"}, {"value": 79.8}, {"source": "001.txt"},
])
def test_a_figure_counts_only_with_every_part_right(wrong):
    score = score_figures(QUESTION, [_found(**wrong)])
    assert score.correct == 0 and score.precision == 0.0 and score.recall == 0.0


def test_each_expected_figure_is_matched_once_and_totals_are_micro_averages():
    twice = score_figures(QUESTION, [_found(), _found()])
    assert (twice.correct, twice.found) == (1, 2)
    other = score_figures(FigureQuestion("q2", "x", "en", EXPECTED[:1]), [])
    both = total([twice, other])
    assert (both.correct, both.found, both.expected) == (1, 2, 3)
    assert total([twice, other], "en").recall == 0.0 and other.precision == 1.0  # nothing shown, nothing wrong


def test_a_malformed_line_is_named(tmp_path):
    path = tmp_path / "figures.jsonl"
    path.write_text('{"id": "a", "query": "q", "figures": []}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"figures.jsonl:2"):
        load_figure_questions(path)
