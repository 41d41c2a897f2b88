import pytest

from summarizer.grouping import grouper, jurisdiction_label


def test_districts_are_labelled_with_their_city_and_years_kept_apart(seed_reports):
    urumqi_2017, zone, urumqi_2021, changji, chengdong = seed_reports
    assert jurisdiction_label(zone) == "高新区(新市区)，乌鲁木齐市"
    assert jurisdiction_label(chengdong) == "城东区，西宁市"
    assert jurisdiction_label(urumqi_2017) == "乌鲁木齐市"
    key_of = grouper("jurisdiction", seed_reports)
    assert key_of(urumqi_2017).label == "乌鲁木齐市 (2017)" and key_of(urumqi_2021).label == "乌鲁木齐市 (2021)"
    assert key_of(urumqi_2017).key != key_of(urumqi_2021).key
    assert key_of(zone).label == "高新区(新市区)，乌鲁木齐市"


def test_other_groupings_and_bad_input(seed_reports):
    assert grouper("year", seed_reports)(seed_reports[0]).key == "2017"
    assert grouper("document", seed_reports)(seed_reports[0]).key == seed_reports[0].doc_id
    with pytest.raises(ValueError, match="group_by"):
        grouper("province", seed_reports)


def test_an_unknown_place_is_labelled_by_its_title_and_marked(seed_reports):
    import dataclasses

    unknown = dataclasses.replace(seed_reports[0], jurisdiction=None, jurisdiction_parent=None, title="某报告")
    assert jurisdiction_label(unknown) == "某报告 (place unknown)"
    # Two places of one name in different cities are two groups.
    shenzhen = dataclasses.replace(seed_reports[4], jurisdiction="南山区", jurisdiction_parent="深圳市", doc_id="a")
    hegang = dataclasses.replace(seed_reports[4], jurisdiction="南山区", jurisdiction_parent="鹤岗市", doc_id="b")
    key_of = grouper("jurisdiction", [shenzhen, hegang, unknown])
    assert key_of(shenzhen).key != key_of(hegang).key and key_of(shenzhen).label == "南山区，深圳市"


def test_years_are_compared_for_places_with_several_and_silent_years_are_kept(seed_reports):
    import dataclasses

    from indexer.records import AnswerGroup
    from summarizer.grouping import compare_years

    urumqi_2017, zone, urumqi_2021, changji, chengdong = seed_reports
    key_of = grouper("jurisdiction", seed_reports)
    answered = [AnswerGroup(key_of(r).key, key_of(r).label, (r.year,), 1.0, (), ()) for r in (chengdong, urumqi_2017)]
    [place] = compare_years(answered, seed_reports)  # only 乌鲁木齐市 has two years
    assert place.label == "乌鲁木齐市"
    assert [(e.year, e.group_key, e.doc_ids) for e in place.years] == [
        (2017, key_of(urumqi_2017).key, (urumqi_2017.doc_id,)), (2021, None, (urumqi_2021.doc_id,))]
    assert place.to_json()["years"][1]["silent"] is True

    # A third Urumqi year with no report of the question's group is silent too; years stay in order.
    urumqi_2019 = dataclasses.replace(urumqi_2021, year=2019, doc_id="u2019")
    [place] = compare_years(answered, [*seed_reports, urumqi_2019])
    assert [e.year for e in place.years] == [2017, 2019, 2021]
    assert compare_years(answered, [zone, changji]) == ()
