import pytest
from support import CORPUS, SEED_SOURCES

from indexer.cleaning import clean_documents
from indexer.ingest import ingest_file
from indexer.metadata import describe_report
from indexer.metadata.describe import classify_type
from indexer.records import CleanDocument, OffsetMap, RawDocument

EXPECTED = {
    "000_1b3becc2b1274469.txt": dict(
        title="关于乌鲁木齐市人民政府2017年度法治政府建设情况的报告", jurisdiction="乌鲁木齐市",
        jurisdiction_parent=None, province="新疆维吾尔自治区", year=2017, publish_date="2018-01-19",
        doc_number=None, issuer="乌鲁木齐市人民政府", doc_type="annual_report",
    ),
    "001_eed9f17129c08ac0.txt": dict(
        title="高新区(新市区)2017年法治政府建设", jurisdiction="高新区(新市区)", jurisdiction_parent="乌鲁木齐市",
        province="新疆维吾尔自治区", year=2017, publish_date="2018-01-11", doc_number=None,
        issuer="高新区(新市区)人民政府", doc_type="annual_report",
    ),
    "002_2a18c0f27f3b9e20.txt": dict(
        title="乌鲁木齐市人民政府2021年度法治政府建设情况报告", jurisdiction="乌鲁木齐市",
        jurisdiction_parent=None, province="新疆维吾尔自治区", year=2021, publish_date=None,
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


def _describe(source: str, text: str, fmt: str = "txt"):
    raw = RawDocument(source, source, fmt, "utf-8", "0" * 64, text, ())
    return describe_report(CleanDocument(raw, text, OffsetMap((0,), (0,), (len(text),)), ()))


SPEECH = "各位代表：\n现在，我代表{speaker}人民政府向大会报告工作，请予审议。\n一、2020年工作回顾\n" + \
         "过去一年，深圳经济稳步增长，深圳各项事业取得新进展，深圳市民生活持续改善。\n"


@pytest.mark.parametrize("source, text, expected", [
    # The file name: a district the gazetteer lacks (坪山区 was created after its table), parent by the
    # city the text names most; the scraper's year suffix is not part of the title.
    ("reports/2021年坪山区政府工作报告_2021.txt", SPEECH.format(speaker="区"),
     dict(jurisdiction="坪山区", jurisdiction_parent="深圳市", title="2021年坪山区政府工作报告", year=2021,
          reviewed_year=2020, doc_type="government_work_report")),
    # A name the gazetteer gives two cities (南山区: 深圳市, 鹤岗市), settled by the text.
    ("2015年南山区政府工作报告_2015.txt", SPEECH.format(speaker="南山区"),
     dict(jurisdiction="南山区", jurisdiction_parent="深圳市")),
    # The speaker sentence, when the file name says nothing.
    ("000123.txt", SPEECH.format(speaker="坪山区"),
     dict(jurisdiction="坪山区", jurisdiction_parent="深圳市", title="000123.txt")),
    # The congress sentence.
    ("000124.txt", "（2021年1月5日在深圳市罗湖区第八届人民代表大会第一次会议上）\n各位代表：\n现在我向大会报告工作。",
     dict(jurisdiction="罗湖区", jurisdiction_parent="深圳市")),
    # A short name of an autonomous region.
    ("2025年宁夏政府工作报告.docx", "各位代表：\n现在，我代表自治区人民政府向大会报告工作。",
     dict(jurisdiction="宁夏回族自治区", jurisdiction_parent=None, province="宁夏回族自治区")),
    # A former area kept as written, with its parent.
    ("2014年坪山新区管委会工作报告_2014.txt", SPEECH.format(speaker="新区管委会").replace("人民政府", ""),
     dict(jurisdiction="坪山新区", jurisdiction_parent="深圳市", doc_type="government_work_report")),
    # The issuer line.
    ("x.txt", "关于做好防汛工作的通知\n各单位：\n请做好防汛工作，确保安全度汛。\n昌吉市人民政府办公室\n2019年6月1日",
     dict(jurisdiction="昌吉市", issuer="昌吉市人民政府办公室", doc_type="notice")),
    # The 文号 prefix, among the places the text names.
    ("y.txt", "东区政〔2018〕4号\n关于报送工作总结的报告\n市政府：\n城东区今年工作总结如下，全区工作稳步推进。",
     dict(jurisdiction="城东区", doc_number="东区政〔2018〕4号")),
    # A folder name, when nothing else names a place.
    ("乌鲁木齐市/年度报告.txt", "2017年度工作总结\n全年共办理行政复议案件十件，全部依法审结。",
     dict(jurisdiction="乌鲁木齐市", year=2017)),
    # The JSONL title.
    ("national.jsonl#3", "2021年中华人民共和国国务院政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作。",
     dict(jurisdiction="全国", issuer="国务院", title="2021年中华人民共和国国务院政府工作报告", year=2021,
          reviewed_year=2020)),
    # Nothing names a place: unknown stays unknown, and no body sentence becomes the title.
    ("z.txt", "现在，我代表政府向大会报告工作，请予审议。\n全年经济稳步增长。",
     dict(jurisdiction=None, jurisdiction_parent=None, title="z.txt")),
])
def test_each_kind_of_evidence(source, text, expected):
    report = _describe(source, text, "jsonl" if ".jsonl#" in source else "txt")
    assert {field: getattr(report, field) for field in expected} == expected
    if report.jurisdiction:
        assert report.evidence("jurisdiction")


def test_provenance_names_the_evidence_that_decided():
    report = _describe("2021年坪山区政府工作报告_2021.txt", SPEECH.format(speaker="区"))
    assert report.evidence("jurisdiction") == "file name" and report.evidence("title") == "file name"
    assert "names most" in report.evidence("jurisdiction_parent")
