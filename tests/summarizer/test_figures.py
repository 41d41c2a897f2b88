import pytest

from summarizer.figures import find_figures, relevant_mentions


def _figures(sentence):
    return [(m.value, m.unit, m.what, m.part_of_total) for m in find_figures(sentence)]


def test_a_total_is_kept_and_its_parts_after_qizhong_are_marked():
    sentence = "2017年，全市各级政府及其工作部门共出庭应诉798件，其中上期结转17件，本期发生781件。"
    assert _figures(sentence) == [(798, "件", "出庭应诉", False), (17, "件", "上期结转", True),
                                  (781, "件", "本期发生", True)]


def test_a_rate_after_the_parts_ends_the_breakdown():
    sentence = "以区政府为被告行政诉讼案件6件，其中一审案件9件，二审案件17件，胜诉率78.9%。"
    assert _figures(sentence) == [(6, "件", "以区政府为被告行政诉讼案件", False), (9, "件", "一审案件", True),
                                  (17, "件", "二审案件", True), (78.9, "%", "胜诉率", False)]


def test_a_sentence_that_opens_on_a_total_given_before_is_a_breakdown():
    assert all(part for *_, part in _figures("应诉的798件案件中，已审结604件，未审结194件。"))
    assert not any(part for *_, part in _figures("2017年，全市共受理行政复议案件304件，审结220件。"))


@pytest.mark.parametrize("sentence", ["2017年度法治政府建设", "（乌政发〔2017〕15号）", "第3批试点", "12月31日前"])
def test_years_dates_document_numbers_and_ordinals_are_not_figures(sentence):
    assert find_figures(sentence) == []


def test_the_counted_phrase_is_found_before_or_after_the_number():
    assert _figures("管委会、区政府行政应诉案件共计9件")[0][2] == "区政府行政应诉案件"
    assert _figures("共对4526件案件进行了行政调解")[0][2] == "案件进行了行政调解"
    assert [f[2] for f in _figures("其他权力167项其他权力等2232项")] == ["其他权力", "其他权力等"]
    assert _figures("涉案金额1,910.88万元")[0][:2] == (1910.88, "万元")  # the longest unit wins


def test_each_figure_cites_its_whole_clause():
    sentence = "经统计，共对4526件案件进行了行政调解，调解成功率96.3%。"
    assert [sentence[m.start : m.end] for m in find_figures(sentence)] == ["共对4526件案件进行了行政调解", "调解成功率96.3%"]


def test_only_figures_counting_what_the_question_asks_are_kept_with_their_rates():
    sentence = "以区政府为被告行政诉讼案件6件，审结5件，胜诉率78.9%。"
    kept = relevant_mentions(sentence, lambda what: "诉讼" in what)
    assert [(m.value, m.unit) for m in kept] == [(6, "件"), (78.9, "%")]
    assert relevant_mentions("调解成功4361件，调解成功率96.3%。", lambda what: "诉讼" in what) == []
