from search_api.search.highlight import TermHighlighter, merge_spans


def _every_occurrence(text, terms):
    """The plain way: every start position of every term, merged."""
    lowered = text.lower()
    return merge_spans((i, i + len(t)) for t in {t.lower() for t in terms if len(t) >= 2}
                       for i in range(len(lowered)) if lowered.startswith(t, i))


def test_spans_are_every_occurrence_merged_and_single_characters_are_left_out():
    highlighter = TermHighlighter(["公平竞争", "竞争审查", "信访", "法", "Court"])
    text = "开展公平竞争审查。信访信访，法院court"
    assert highlighter.spans(text) == [(2, 8), (9, 13), (16, 21)]
    assert [text[s:e] for s, e in highlighter.spans(text)] == ["公平竞争审查", "信访信访", "court"]
    assert TermHighlighter([]).spans(text) == [] and highlighter.spans("") == []


def test_spans_agree_with_looking_for_every_term_everywhere():
    terms = ["行政", "行政复议", "复议", "政复", "议案", "案件", "ab", "bab"]
    for text in ["行政复议案件", "议案件行政行政复议", "ababab行政", "复", "行政复议案件行政复议案件"]:
        assert TermHighlighter(terms).spans(text) == _every_occurrence(text, terms), text
