import pytest

from search_api.search.translate import content_words, default_translator, is_english


@pytest.mark.parametrize(
    "question, expected",
    [
        ("how did each city handle administrative appearance in court", "出庭"),
        ("administrative mediation cases", "调解"),
        ("what shortcomings did the governments acknowledge", "缺点"),
        ("reform of urban management law enforcement", "执法"),
        ("administrative reconsideration cases", "复议"),  # through "reconsider", the dictionary's form
    ],
)
def test_english_questions_get_the_chinese_terms(question, expected):
    assert expected in default_translator().expand(question)


def test_each_english_word_or_phrase_is_one_concept_of_alternatives():
    concepts = default_translator().concepts("how did each city handle administrative appearance in court")
    assert concepts[0].terms == ("出庭",) and concepts[0].weight == 2.0  # the phrase, matched first
    assert len(concepts) == 4 and all(c.weight == 1.0 for c in concepts[1:])
    assert any("行政" in c.terms and len(c.terms) > 1 for c in concepts)  # one of several senses


def test_a_word_is_not_mistaken_for_a_shorter_unrelated_one():
    assert "矩尺座" not in default_translator().expand("normative documents")  # the constellation Norma


def test_question_words_are_not_translated():
    assert content_words("How did each of them do it?") == []
    assert default_translator().expand("how did they do it") == []


def test_possessives_and_contractions_leave_no_stray_letters():
    assert content_words("The People's Court and the people’s mediation don't stop") == [
        "people", "court", "people", "mediation", "stop"]
    assert content_words("U.S. plan B") == ["plan"]
    # The dictionary's own definitions are read the same way: "People's Republic of China" is one phrase.
    assert default_translator().expand("the People's Republic of China")[0] == "中华人民共和国"


def test_irregular_verb_forms_are_read_as_their_base_form():
    assert content_words("Which measures were taken, what was built and who paid?") == [
        "measures", "take", "build", "pay"]
    assert content_words("found a company on the left") == ["found", "company", "left"]  # other words too


def test_places_are_known_by_their_english_names():
    translator = default_translator()
    assert translator.expand("Futian")[:2] == ["福田", "福田区"]  # "futian district of shenzhen city"
    assert "乌鲁木齐市" in translator.expand("Urumqi") and translator.expand("Ürümqi") == translator.expand("Urumqi")
    assert "深圳市" in translator.expand("Shenzhen") and "广东省" in translator.expand("Guangdong")
    # A name that is an ordinary word keeps its ordinary senses: 城东区 is "east city district".
    assert "城东区" not in translator.expand("east")


def test_british_spellings_are_read_as_the_dictionary_spells_them():
    assert content_words("Labour organisations' licences") == ["labor", "organizations", "licenses"]
    translator = default_translator()
    assert translator.expand("public legal service centre for labour disputes") == translator.expand(
        "public legal service center for labor disputes")
    assert "组织" in translator.expand("organisation")  # not 生物, "organism"


@pytest.mark.parametrize(("question", "english"), [
    ("how did cities carry out 放管服 reforms", True), ("streamlining administration (放管服)", True),
    ("PPP项目管理情况", False), ("APP建设", False), ("12345热线", False), ("行政复议", False),
    ("how did they do it", True), ("qwxzv banana", True), ("2021", False)])
def test_a_question_in_both_languages_is_english_when_its_english_words_lead(question, english):
    assert is_english(question) is english


def test_a_question_is_rendered_in_chinese_word_by_word_keeping_unknown_words():
    translator = default_translator()
    words = translator.render("heads of administrative agencies appearing in court").split()
    assert len(words) == 4 and words[-1] == "出庭"  # "appearing in court" is one phrase, in place
    assert translator.render("How many tackles did Luke Kuechly register?").split()[-2:] == ["kuechly", "登记"]
    assert translator.render("how did cities carry out 放管服 reforms").split()[-1] == "放管服"  # quoted terms kept
    assert translator.render("how did they do it") == ""


def test_language_detection():
    assert is_english("appearance in court") and not is_english("出庭 court") and not is_english("2017")


def test_the_built_dictionary_is_cached_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    from search_api.search import translate

    monkeypatch.setenv("REPORTS_MODEL_CACHE", str(tmp_path))
    translate._built_translator.cache_clear()
    try:
        built = translate.default_translator()
        [cached] = tmp_path.glob("english-chinese.*")
        assert translate.EnglishToChinese.load(cached).expand("appear in court") == built.expand("appear in court")

        cached.write_bytes(cached.read_bytes()[:1000])  # cut short, as by a full disk
        translate._built_translator.cache_clear()
        assert "出庭" in translate.default_translator().expand("appear in court")
        assert translate.EnglishToChinese.load(cached).expand("appear in court") == built.expand("appear in court")
    finally:
        translate._built_translator.cache_clear()
