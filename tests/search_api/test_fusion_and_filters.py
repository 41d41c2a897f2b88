
import numpy as np
import pytest

from search_api.search.filters import Filters, allowed_chunks, in_jurisdiction, parse_years
from search_api.search.fusion import ScoredRun, fuse, reciprocal_rank_fusion, z_score_fusion


def test_rrf_worked_by_hand():
    # a: 1/(60+1) + 1/(60+2) = 0.032522; b: 1/(60+2) + 1/(60+1) = same, tie broken by id; c: 1/(60+3).
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 1]])
    assert [item for item, _ in fused] == [1, 2, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62) and fused[2][1] == pytest.approx(1 / 63)
    weighted = reciprocal_rank_fusion([[1], [2]], weights=[1.0, 2.0])
    assert [item for item, _ in weighted] == [2, 1]


def test_z_score_fusion_worked_by_hand():
    # Dense: mean 0.8, spread 0.05; item 1 at 0.9 is z 2, item 2 at 0.85 is z 1, item 3 unread: floor 0.8, z 0.
    dense = ScoredRun(np.array([1, 2]), np.array([0.9, 0.85]), mean=0.8, spread=0.05, floor=0.8)
    # Keyword: mean 1, spread 2; item 3 at 9 is z 4, item 2 at 3 is z 1, item 1 absent: floor 0, z -0.5.
    keyword = ScoredRun(np.array([3, 2]), np.array([9.0, 3.0]), mean=1.0, spread=2.0, floor=0.0)
    fused = dict(z_score_fusion([dense, keyword], [1.0, 0.5]))
    assert fused == pytest.approx({1: 2 - 0.25, 2: 1 + 0.5, 3: 0 + 2})
    # The sure keyword hit (3) wins although it ranks last on the dense side; RRF would put 2 first.
    assert [item for item, _ in fuse([dense, keyword], [1.0, 0.5])] == [3, 1, 2]
    assert [item for item, _ in fuse([dense, keyword], [1.0, 1.0], "rrf")][0] == 2


def test_equal_scores_come_in_tie_rank_order():
    run = ScoredRun(np.array([0, 1, 2]), np.array([0.5, 0.7, 0.5]), mean=0.5, spread=0.1, floor=0.0)
    assert [item for item, _ in fuse([run], [1.0])] == [1, 0, 2]
    assert [item for item, _ in fuse([run], [1.0], tie_rank=np.array([2, 0, 1]))] == [1, 2, 0]
    assert [item for item, _ in reciprocal_rank_fusion([[0], [2]], tie_rank=np.array([2, 0, 1]))] == [2, 0]


def test_a_run_is_scaled_against_its_population():
    run = ScoredRun.against([7], [4.0], [0.0, 2.0, 4.0, 2.0], floor=0.0)
    assert (run.mean, run.spread) == (2.0, pytest.approx(2 ** 0.5))
    assert run.as_dict() == {7: 4.0} and run.ranking() == [7]
    assert ScoredRun.against([], [], [3.0, 3.0], 0.0).spread == 1.0  # flat: no division by zero
    with pytest.raises(ValueError, match="fusion"):
        fuse([run], [1.0], "max")


def test_the_gap_is_the_best_score_above_the_kth_in_spreads():
    run = ScoredRun(np.array([1, 2, 3, 4]), np.array([0.7, 0.9, 0.5, 0.8]), mean=0.5, spread=0.1, floor=0.0)
    assert run.gap(2) == pytest.approx((0.9 - 0.8) / 0.1)
    assert run.gap(10) == pytest.approx((0.9 - 0.5) / 0.1)  # fewer items than k: the last
    assert ScoredRun.against([], [], [], 0.0).gap() == 0.0


def _report(seed_reports, source_prefix):
    return next(r for r in seed_reports if r.source.startswith(source_prefix))


def test_a_city_includes_its_districts(seed_reports):
    urumqi_2017, zone, urumqi_2021, changji, chengdong = seed_reports
    assert in_jurisdiction(zone, "乌鲁木齐市") and in_jurisdiction(zone, "高新区") and in_jurisdiction(zone, "新市区")
    assert in_jurisdiction(chengdong, "西宁市") and not in_jurisdiction(chengdong, "乌鲁木齐市")
    assert in_jurisdiction(changji, "新疆维吾尔自治区") and in_jurisdiction(urumqi_2017, "乌鲁木齐")
    assert not in_jurisdiction(urumqi_2017, "北京市")


def test_filters_by_year_range_and_type(seed_reports):
    assert [r.year for r in seed_reports if Filters(year_from=2018).accepts(r)] == [2021, 2019]
    assert [r.source[:3] for r in seed_reports if Filters(doc_type="work_plan").accepts(r)] == ["003"]
    chunk_report = np.array([0, 0, 1, 4, 4, 2])  # each chunk row's report
    mask = allowed_chunks(seed_reports, chunk_report, Filters(jurisdiction="北京市"))
    assert mask is not None and not mask.any()
    assert allowed_chunks(seed_reports, chunk_report, Filters(year_from=2018)).tolist() == [
        False, False, False, False, False, True]  # only row 5, of the 2021 report
    assert allowed_chunks(seed_reports, chunk_report, Filters()) is None


@pytest.mark.parametrize("text, years", [("2017", (2017, 2017)), ("2015-2018", (2015, 2018)), ("2019-", (2019, None)),
                                         (None, (None, None))])
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_bad_year_is_an_error():
    with pytest.raises(ValueError):
        parse_years("last year")


@pytest.mark.parametrize("filters, reason", [
    (Filters("北京市"), "北京市 is not in this archive"),
    (Filters(None, 2030, 2030), "no report from 2030 in this archive"),
    (Filters(None, 2030, None), "no report from 2030- in this archive"),
    (Filters(doc_type="speech"), "no report of type speech in this archive"),
    (Filters("城东区", 2021, 2021), "no report of 城东区 from 2021 in this archive (each filter alone matches some)"),
])
def test_filters_that_match_nothing_say_why(seed_reports, filters, reason):
    from search_api.search.filters import why_nothing_in_scope

    assert why_nothing_in_scope(seed_reports, filters) == reason
    assert why_nothing_in_scope(seed_reports, Filters("城东区", 2017, 2017)) == ""
