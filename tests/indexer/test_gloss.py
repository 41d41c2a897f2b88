import math

import numpy as np
import pytest

from indexer.gloss import ChineseToEnglish, GlossIndex, gloss_postings
from indexer.terms import TermPostings

GLOSSES = ChineseToEnglish({"复议": ("reconsid",), "行政": ("administr", "execut"), "法院": ("court",),
                            "出庭": ("appear", "court")})


def test_a_word_with_many_senses_weighs_each_less():
    assert GLOSSES.gloss("行政复议") == pytest.approx({"administr": 0.5, "execut": 0.5, "reconsid": 1.0})


def test_bm25_over_weighted_glosses_worked_by_hand(tmp_path):
    texts = ["行政复议", "出庭", "法院"]
    index = GlossIndex.build(texts, GLOSSES)
    # "court": in documents 1 (0.5, from 出庭) and 2 (1.0, from 法院); N = 3, df = 2.
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    lengths = [2.0, 1.0, 1.0]  # each Chinese word weighs 1 in all, shared among its senses
    average = sum(lengths) / 3

    def weight(tf, length):
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / average))

    expected = np.array([0.0, weight(0.5, 1.0), weight(1.0, 1.0)], dtype=np.float32)
    assert index.scores("Which court?") == pytest.approx(expected, rel=1e-5)
    # "reconsideration" reaches "reconsid" through its word family; an unknown word scores nothing.
    assert index.scores("reconsideration")[0] > 0 and not index.scores("banana").any()
    gloss_postings(texts, GLOSSES).save(tmp_path / "gloss")
    reloaded = GlossIndex.from_parts([TermPostings.load(tmp_path / "gloss")])
    assert reloaded.scores("court") == pytest.approx(index.scores("court"))
    # Two segments score as one: the statistics are summed over both.
    split = GlossIndex.from_parts([gloss_postings(texts[:2], GLOSSES), gloss_postings(texts[2:], GLOSSES)])
    assert split.scores("Which court?") == pytest.approx(expected, rel=1e-5)


def test_known_share_counts_absent_words_and_leaves_out_unknown_ones():
    index = GlossIndex.build(["行政复议", "出庭", "法院"], GLOSSES)
    assert index.known_share("administrative reconsideration") == 1.0
    assert index.known_share("rocket court", translatable=lambda word: True) < 0.5
    # A word no dictionary translates says nothing either way: it is left out.
    assert index.known_share("qwxzv court", translatable=lambda word: word != "qwxzv") == 1.0
    assert index.known_share("the of") == 0.0
    # Ignored words count neither way, unless nothing else is left.
    assert index.known_share("rocket court", ignored={"rocket"}) == 1.0
    assert index.known_share("rocket", ignored={"rocket"}) == 0.0


def test_a_text_that_is_mostly_not_chinese_is_not_glossed():
    # An English passage naming one Chinese place would otherwise be the only glossed chunk, and stand
    # out in every English question's gloss run.
    assert GLOSSES.gloss("The court of 出庭 ruled on the appeal.") == {}
    assert GLOSSES.gloss("行政机关出庭 OK") == pytest.approx({"administr": 0.5, "execut": 0.5, "appear": 0.5,
                                                             "court": 0.5})


def test_words_glossed_as_the_question_need_a_quarter_of_their_senses():
    glosses = ChineseToEnglish({"信访": ("complaint", "letter", "petit"), "来信": ("incom", "letter"),
                                "上报": ("report", "superior", "appear", "newspap", "repli", "letter"),
                                "信": ("letter",), "法院": ("court",)})
    assert sorted(glosses.words_glossed_as(["letter"])) == ["信访", "来信"]  # not a single character
    assert sorted(glosses.words_glossed_as(["letter", "report"])) == ["上报", "信访", "来信"]
    assert glosses.words_glossed_as(["letter"], min_share=0.5) == ["来信"]
    assert glosses.words_glossed_as([]) == [] and glosses.words_glossed_as(["banana"]) == []


def test_a_rendering_takes_for_each_stem_the_word_that_gives_the_passages_most_of_it():
    glosses = ChineseToEnglish({"备案": ("put", "record", "file"), "文件": ("document", "file"),
                                "处罚": ("penal", "punish", "penalti"), "行政处罚": ("administr", "penalti"),
                                "罚": ("penalti",)})
    passages = ["备案文件，罚款", "备案重大行政处罚"]
    # file: 备案 2 x 1/3 > 文件 1 x 1/2; penalti: 行政处罚 1/2 > 处罚 (inside 行政处罚) 1/3 (罚, one
    # character, is no word); record: 备案 again, given once; decis: no word of the passages stands for it.
    assert glosses.rendering(["file", "penalti", "record", "decis"], passages) == ["备案", "行政处罚"]
    assert glosses.rendering(["file"], []) == [] and glosses.rendering([], passages) == []


CEDICT_LINES = """# a two-entry CC-CEDICT
處罰 处罚 [chu3 fa2] /to penalize/to punish/
公務員 公务员 [gong1 wu4 yuan2] /functionary/office-bearer/
"""


def _two_dictionaries(tmp_path) -> ChineseToEnglish:
    cedict = tmp_path / "cedict.txt"
    cedict.write_text(CEDICT_LINES, encoding="utf-8")
    ecdict = tmp_path / "ecdict_senses.tsv"
    ecdict.write_text("# comment\npenalty\t处罚 刑罚\nservant\t仆人 公务员\n", encoding="utf-8")
    return ChineseToEnglish.from_dictionaries(cedict, ecdict)


def test_ecdict_senses_follow_cedict_ones_in_the_glosses(tmp_path):
    glosser = _two_dictionaries(tmp_path)
    # CC-CEDICT's "to penalize" never met a question's "penalty"; ECDICT's "penalty" -> 处罚 does.
    assert glosser.gloss("处罚") == pytest.approx({"penal": 1 / 3, "punish": 1 / 3, "penalti": 1 / 3})
    assert glosser.gloss("刑罚") == {"penalti": 1.0}  # a word only ECDICT names
    # CC-CEDICT's 公务员 is a "functionary": without ECDICT, "civil servants" was answered "not covered".
    index = GlossIndex.build(["加强公务员学法培训", "依法处罚"], glosser)
    assert index.known_share("penalties for servants") == 1.0
    assert index.scores("penalty")[1] > 0 and index.scores("servant")[0] > 0
