from indexer.ecdict import chinese_senses, read_ecdict_senses, select_senses


def test_chinese_senses_keep_general_legal_and_economic_terms_in_order():
    field = "n. 处罚, 刑罚, 罚款(金)\\n[经] 罚金, 违约金\\n[医] 惩罚性\\na. 合乎规范的；标准的"
    assert chinese_senses(field) == ["处罚", "刑罚", "罚款", "罚金", "违约金", "合乎规范", "标准"]


def test_a_tag_within_a_line_marks_the_senses_after_it():
    # "a": art. 一个, then computing senses that would make it an accumulator.
    assert chinese_senses("art. 一个; [计] 累加器, 加法器") == ["一个"]
    assert chinese_senses("n. 字母A, [法] 上诉法庭") == ["上诉法庭"]  # 字母A is not all Chinese: left out


def test_only_common_single_words_are_selected():
    rows = [
        {"word": "penalty", "translation": "n. 处罚, 刑罚, 罚款, 罚球, 报应, 不利结果", "bnc": "4000", "frq": "2680"},
        {"word": "zymurgy", "translation": "n. 酿造学", "bnc": "0", "frq": "0"},  # no rank: rare
        {"word": "obscure", "translation": "a. 模糊", "bnc": "12000", "frq": "15000"},  # beyond the rank
        {"word": "rule of law", "translation": "n. 法治", "bnc": "0", "frq": "100"},  # a phrase
        {"word": "Paris", "translation": "n. 巴黎", "bnc": "900", "frq": "0"},  # a name
        {"word": "hood", "translation": "[网络] 胡德", "bnc": "5000", "frq": "0"},  # web senses only
    ]
    assert list(select_senses(rows, max_rank=10_000, per_word=5)) == [("penalty", ["处罚", "刑罚", "罚款", "罚球", "报应"])]


def test_the_bundled_senses_are_read_with_comments_skipped():
    senses = dict(read_ecdict_senses())
    assert senses["penalty"][0] == "处罚" and "清单" not in senses["penalty"]
    assert len(senses) > 9000 and all(word.isalpha() and word.islower() for word in senses)
