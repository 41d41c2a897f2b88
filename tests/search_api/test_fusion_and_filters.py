
import pytest

from search_api.search.filters import Filters, allowed_chunks, in_jurisdiction, parse_years
from search_api.search.fusion import reciprocal_rank_fusion


def test_rrf_worked_by_hand():
    # a: 1/(60+1) + 1/(60+2) = 0.032522; b: 1/(60+2) + 1/(60+1) = same, tie broken by id; c: 1/(60+3).
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 1]])
    assert [item for item, _ in fused] == [1, 2, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62) and fused[2][1] == pytest.approx(1 / 63)
    weighted = reciprocal_rank_fusion([[1], [2]], weights=[1.0, 2.0])
    assert [item for item, _ in weighted] == [2, 1]


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
    mask = allowed_chunks(seed_reports, Filters(jurisdiction="北京市"))
    assert mask is not None and not mask.any()
    assert allowed_chunks(seed_reports, Filters()) is None


@pytest.mark.parametrize("text, years", [("2017", (2017, 2017)), ("2015-2018", (2015, 2018)), ("2019-", (2019, None)),
                                         (None, (None, None))])
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_bad_year_is_an_error():
    with pytest.raises(ValueError):
        parse_years("last year")
