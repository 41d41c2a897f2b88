import pytest
from support import CORPUS, SEED_SOURCES

from indexer.cleaning import clean_documents
from indexer.ingest import ingest_file
from indexer.metadata import describe_report
from indexer.metadata.describe import classify_type

EXPECTED = {
    "000_1b3becc2b1274469.txt": dict(
        title="关于乌鲁木齐市人民政府2017年度法治政府建设情况的报告", jurisdiction="乌鲁木齐市",
        jurisdiction_parent="新疆维吾尔自治区", province="新疆维吾尔自治区", year=2017, publish_date="2018-01-19",
        doc_number=None, issuer="乌鲁木齐市人民政府", doc_type="annual_report",
    ),
    "001_eed9f17129c08ac0.txt": dict(
        title="高新区(新市区)2017年法治政府建设", jurisdiction="高新区(新市区)", jurisdiction_parent="乌鲁木齐市",
        province="新疆维吾尔自治区", year=2017, publish_date="2018-01-11", doc_number=None,
        issuer="高新区(新市区)人民政府", doc_type="annual_report",
    ),
    "002_2a18c0f27f3b9e20.txt": dict(
        title="乌鲁木齐市人民政府2021年度法治政府建设情况报告", jurisdiction="乌鲁木齐市",
        jurisdiction_parent="新疆维吾尔自治区", province="新疆维吾尔自治区", year=2021, publish_date=None,
        doc_number=None, issuer="乌鲁木齐市人民政府", doc_type="annual_report",
    ),
    "003_592341dc8e18cf32.txt": dict(
        title="昌吉市人民政府办公室关于印发《昌吉市2019年推进依法行政加快法治政府建设工作要点》"
        "《昌吉市全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案》的通知",
        jurisdiction="昌吉市", jurisdiction_parent="昌吉回族自治州", province="新疆维吾尔自治区", year=2019,
        publish_date="2019-08-06", doc_number="昌市政办发〔2019〕18号", issuer="昌吉市人民政府办公室",
        doc_type="work_plan",
    ),
    "004_21f6359df466e4c8.txt": dict(
        title="关于报送《城东区2017年法治政府建设工作情况汇报》的报告", jurisdiction="城东区",
        jurisdiction_parent="西宁市", province="青海省", year=2017, publish_date="2018-01-09",
        doc_number="东区政〔2018〕4号", issuer="城东区人民政府办公室", doc_type="annual_report",
    ),
}




@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_seed_report_is_described(seed_reports, source):
    report = next(r for r in seed_reports if r.source == source)
    assert {field: getattr(report, field) for field in EXPECTED[source]} == EXPECTED[source]


def test_doc_ids_are_stable_and_distinct(seed_reports):
    ids = [r.doc_id for r in seed_reports]
    assert len(set(ids)) == len(ids)
    raws = ingest_file(CORPUS / SEED_SOURCES[0], SEED_SOURCES[0])
    assert describe_report(clean_documents(raws)[0]).doc_id == seed_reports[0].doc_id


@pytest.mark.parametrize(
    "title, doc_type",
    [
        ("2025年北京市政府工作报告", "government_work_report"),
        ("关于印发《某市2019年依法行政工作要点》的通知", "work_plan"),
        ("关于做好防汛工作的通知", "notice"),
        ("某区2020年法治政府建设情况报告", "annual_report"),
    ],
)
def test_type_follows_the_inner_title(title, doc_type):
    assert classify_type(title) == doc_type
