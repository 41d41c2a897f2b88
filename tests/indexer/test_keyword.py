from indexer.keyword import blank_words, tokenize_bigram


def test_blanked_stop_words_and_given_words_leave_no_bigram_across_them():
    text = blank_words("各地如何推进哪些城市的政务公开", ("城市",))
    assert text.split() == ["推进", "政务公开"]
    assert "地如" not in tokenize_bigram(text) and "进政" not in tokenize_bigram(text)
    assert blank_words("政务公开") == "政务公开"
