from pathlib import Path

from support import CORPUS, SEED_SOURCES

from indexer.cleaning import clean_document, clean_documents
from indexer.ingest import ingest_file
from indexer.records import RawDocument
from indexer.ingest.text import line_blocks


def _raw(text: str, source: str = "site/page.txt") -> RawDocument:
    return RawDocument(source, source, "txt", "utf-8", "0" * 64, text, line_blocks(text))


def _seed_documents():
    return clean_documents([raw for name in SEED_SOURCES for raw in ingest_file(CORPUS / name, name)])


def test_noise_gold_lines_are_removed_and_content_kept(noise_gold):
    [cleaned] = [c for c in _seed_documents() if c.raw.source == noise_gold["source"]]
    clean_lines = cleaned.text.split("\n")
    normalise = lambda line: " ".join(line.split())  # the cleaner folds runs of spaces
    for line in noise_gold["noise"]:
        assert normalise(line) not in clean_lines, line
    for line in noise_gold["keep"]:
        assert normalise(line) in clean_lines, line
    assert len(noise_gold["noise"]) == 12 and len(noise_gold["keep"]) == 36
    assert {r.reason for r in cleaned.removed} >= {"menu", "breadcrumb", "visitor counter", "ICP/备案 number"}


def test_every_clean_character_maps_back_to_the_same_raw_character():
    for cleaned in _seed_documents():
        for offset, char in enumerate(cleaned.text):
            if char not in " \n":
                assert cleaned.raw.text[cleaned.offset_map.to_raw(offset)] == char


def test_full_width_spaces_and_nbsp_are_folded_with_offsets_kept():
    raw = _raw("\u3000\u3000第一段\u00a0\u00a0正文。\n\n  第二段　内容。  \n")
    cleaned = clean_document(raw)
    assert cleaned.text == "第一段 正文。\n第二段 内容。"
    start = cleaned.text.index("正文")
    raw_start, raw_end = cleaned.offset_map.raw_span(start, start + 3)
    assert raw.text[raw_start:raw_end] == "正文。"
    raw_start, raw_end = cleaned.offset_map.raw_span(0, len(cleaned.text))
    assert raw.text[raw_start:raw_end] == raw.text.strip(" \n\u3000")


def test_lines_repeated_at_the_edges_of_a_sites_pages_are_template():
    chrome = "乌鲁木齐市人民政府门户网站"
    body = "我市全面推进依法行政，加快建设法治政府，较好地完成了各项重点任务，提供了法治保障。"
    raws = [_raw(f"{chrome}\n报告{i}\n{body}{i}\n{chrome}", f"site/{i}.txt") for i in range(4)]
    for cleaned in clean_documents(raws):
        assert chrome not in cleaned.text
        assert cleaned.text.startswith("报告")
        assert {r.reason for r in cleaned.removed} == {"repeated template line"}


def test_repeated_lines_inside_the_body_are_content():
    body = "现在，我代表市人民政府，向大会报告工作，请予审议，请各位委员提出意见。"
    raws = [_raw(f"{i}年政府工作报告\n{body}\n各位代表：\n{body}", f"site/{i}.txt") for i in range(4)]
    for cleaned in clean_documents(raws):
        assert "各位代表：" in cleaned.text


def test_a_footer_in_sentences_that_every_page_of_a_site_repeats_is_template():
    # Wikisource's licence notice under each government work report reads like prose.
    notice = ["本作品是中华人民共和国的", "法律", "法规，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，及其官方正式译文。根据《"]
    reports = [f"{year}年政府工作报告\n现在，我代表国务院，向大会报告政府工作，{year}年经济社会发展取得新成就。"
               for year in (2019, 2020, 2021, 2022)]
    raws = [_raw("\n".join([report, *notice]), f"national/reports.jsonl#{i}") for i, report in enumerate(reports)]
    for cleaned, report in zip(clean_documents(raws), reports):
        assert cleaned.text == report
        assert {r.text for r in cleaned.removed} == set(notice)
    # A page whose prose every page shares keeps it.
    [alone] = clean_documents([_raw(f"标题{i}\n{reports[0]}", f"other/{i}.txt") for i in range(4)][:1])
    assert alone.text.endswith(reports[0])

def test_link_dense_html_blocks_are_navigation(tmp_path: Path):
    html = tmp_path / "page.html"
    html.write_text(
        "<html><body><div><a href='/1'>要闻动态</a> <a href='/2'>通知公告</a></div>"
        "<p>全年共受理行政复议案件304件，审结296件，依法纠错21件。</p></body></html>",
        encoding="utf-8",
    )
    [raw] = ingest_file(html, "page.html")
    cleaned = clean_document(raw)
    assert cleaned.text == "全年共受理行政复议案件304件，审结296件，依法纠错21件。"


PORTAL = "\n".join(["深圳市坪山区人民政府", "无障碍 长者助手 我的收藏", "政府信息公开规章库", "高级搜索", "搜索位置", "标题",
                    "全文排序方式", "按时间", "按相关度", "文件状态", "现行有效", "已失效", "索引号： 114403006955506492/2021-00545 分类：",
                    "发布机构： 深圳市坪山区人民政府 成文日期： 2021-02-02"] * 20)


def test_a_page_of_portal_chrome_has_no_body_text(seed_reports):
    from indexer.cleaning import has_body_text
    from indexer.records import RawDocument

    assert not has_body_text(clean_document(RawDocument("portal.txt", "portal.txt", "txt", "utf-8", "0", PORTAL, ())))
    assert all(has_body_text(report.clean) for report in seed_reports)
    english = "The Normans were the people who gave their name to Normandy, a region in France."
    assert has_body_text(clean_document(RawDocument("en.txt", "en.txt", "txt", "utf-8", "0", english, ())))


def test_a_link_on_a_line_of_its_own_does_not_break_its_sentence():
    # Scraped national reports put each linked title on a line of its own.
    raw = _raw("二、主要工作\n制定了《\n企业国有资产监督管理暂行条例\n》等28部行政法规，以及“\n放管服\n”改革。\n"
               "（一）依法行政\n全面推进政务公开（\n附件\n），按季度公布执法数据。\n今年继续深化法治政府建设工作。\n")
    cleaned = clean_document(raw)
    assert cleaned.text.split("\n") == [
        "二、主要工作", "制定了《企业国有资产监督管理暂行条例》等28部行政法规，以及“放管服”改革。", "（一）依法行政",
        "全面推进政务公开（附件），按季度公布执法数据。", "今年继续深化法治政府建设工作。"]
    for offset, char in enumerate(cleaned.text):
        if char != "\n":
            assert raw.text[cleaned.offset_map.to_raw(offset)] == char
