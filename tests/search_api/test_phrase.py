from search_api.search.phrase import PhraseIndex, fold, fold_char


def test_folding_unifies_punctuation_width_and_drops_whitespace():
    assert fold("有件必备、有备必审")[0] == fold("有件必备, 有备必审")[0] == fold("有件必备，有备必审")[0]
    assert fold_char("（") == fold_char("(") and fold_char("“") == fold_char('"') and fold_char("Ａ") == "a"
    folded, positions = fold("甲 乙\u3000丙")
    assert folded == "甲乙丙" and list(positions) == [0, 2, 4]


def test_every_occurrence_is_found_with_its_sentence(seed_reports):
    phrases = PhraseIndex(seed_reports)
    found = phrases.find("有件必备、有备必审")
    assert len(found) == 3
    assert {o.report.jurisdiction for o in found} == {"乌鲁木齐市", "高新区(新市区)"}
    for occurrence in found:
        matched = occurrence.report.text[occurrence.start : occurrence.end]
        assert fold(matched)[0] == fold("有件必备、有备必审")[0]
        assert occurrence.sentence_start <= occurrence.start < occurrence.end <= occurrence.sentence_end
        assert occurrence.sentence.endswith(("。", "；"))
    zone = [o for o in found if o.report.jurisdiction == "高新区(新市区)"]
    assert zone[0].report.text[zone[0].start : zone[0].end] == "有件必备,有备必审"


def test_filtered_and_missing_phrases(seed_reports):
    phrases = PhraseIndex(seed_reports)
    assert phrases.find("有件必备", lambda r: r.jurisdiction == "城东区") == []
    assert phrases.find("完全不存在的措辞") == [] and phrases.find("  ") == []
