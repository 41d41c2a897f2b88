from eval.spans import credit_quotes, passage_judgments, quote_matches

QUOTE = "建立行政机关负责人出庭应诉机制"  # 15 characters: a run of 8 is needed


def test_half_of_the_quote_is_enough_and_less_is_not():
    assert quote_matches("……负责人出庭应诉机…", QUOTE)  # 8 characters of the quote
    assert not quote_matches("……负责人出庭应诉…", QUOTE)  # 7
    assert quote_matches("建立行政机\n关负责人", QUOTE)  # whitespace is ignored on both sides
    assert not quote_matches("建立行政 机关", "")


def test_each_quote_is_credited_to_the_first_matching_passage_of_its_source():
    passages = [("a.txt", "无关内容"), ("b.txt", QUOTE), ("a.txt", QUOTE), ("a.txt", QUOTE)]
    assert credit_quotes(passages, [("a.txt", QUOTE), ("c.txt", QUOTE)]) == [2, None]


def test_judgments_take_the_best_grade_and_keep_unmatched_quotes():
    passages = [("a.txt", "甲乙丙丁戊己"), ("a.txt", "庚辛壬癸")]
    quotes = [("a.txt", "甲乙丙丁"), ("a.txt", "丙丁戊己"), ("a.txt", "子丑寅卯")]
    assert passage_judgments(["p1", "p2"], passages, quotes, [1, 2, 2]) == {"p1": 2, "unmatched-quote-2": 2}
