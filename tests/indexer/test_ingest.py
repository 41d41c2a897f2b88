import urllib.request
from pathlib import Path

import pytest

from indexer.ingest import IngestError, ingest_file

HTML = """<html><head><meta charset="gbk"><title>t</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">政务公开</a> <a href="/b">互动交流</a> <a href="/c">办事服务</a></div>
<h1>城东区2017年法治政府建设工作情况汇报</h1>
<p>今年以来，在区委、区政府的坚强领导下，深入贯彻党的十九大精神，全面推进依法行政。</p>
<p>全年共受理行政复议案件1件，依法审结1件。</p>
<footer>版权所有 城东区人民政府</footer>
</body></html>"""

# A one-page PDF with a text layer, written by hand so the test needs no PDF library.
PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 60>>stream
BT /F1 18 Tf 20 80 Td (Annual report on law-based government.) Tj ET
endstream
endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF"""


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to download (unstructured fetching a spaCy model, say) fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_html_in_gbk_is_parsed_offline_with_element_origins(tmp_path: Path, no_network):
    path = tmp_path / "page.html"
    path.write_bytes(HTML.encode("gbk"))
    [raw] = ingest_file(path, "page.html")
    assert raw.format == "html" and raw.encoding == "gb18030"
    assert "全年共受理行政复议案件1件" in raw.text
    for block in raw.blocks:
        assert raw.text[block.start : block.end].strip()
        assert block.origin.startswith("element ")


def test_unstructured_text_classifier_runs_a_rule_based_sentencizer_and_never_downloads(no_network):
    from indexer.ingest.unstructured_offline import configure_unstructured

    configure_unstructured()
    from unstructured.nlp import tokenize

    assert tokenize._get_nlp().pipe_names == ["sentencizer"]
    assert tokenize.sent_tokenize("The government reported its work. Courts heard 9 cases!") == [
        "The government reported its work.", "Courts heard 9 cases!"]
    with pytest.raises(RuntimeError, match="nothing is downloaded"):
        tokenize._install_spacy_model()


def test_docx_paragraphs_become_blocks(tmp_path: Path, no_network):
    import docx

    document = docx.Document()
    document.add_heading("2025年政府工作报告", level=1)
    document.add_paragraph("各位代表：")
    document.add_paragraph("现在，我代表市人民政府，向大会报告工作，请予审议。")
    path = tmp_path / "report.docx"
    document.save(path)
    [raw] = ingest_file(path, "report.docx")
    assert raw.format == "docx"
    assert raw.text.split("\n") == ["2025年政府工作报告", "各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。"]
    assert [raw.text[b.start : b.end] for b in raw.blocks] == raw.text.split("\n")


def test_pdf_text_layer_is_read_with_page_numbers(tmp_path: Path):
    path = tmp_path / "report.pdf"
    path.write_bytes(PDF)
    [raw] = ingest_file(path, "report.pdf")
    assert raw.text == "Annual report on law-based government."
    assert raw.blocks[0].origin == "page 1"


@pytest.mark.parametrize("name", ["report.docx", "report.pdf"])
def test_truncated_files_are_reported_by_name(tmp_path: Path, name: str):
    import docx

    path = tmp_path / name
    if name.endswith(".docx"):
        document = docx.Document()
        document.add_paragraph("正文" * 200)
        document.save(path)
        data = path.read_bytes()
    else:
        data = PDF
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as error:
        ingest_file(path, f"archive/{name}")
    assert error.value.source == f"archive/{name}"
    assert error.value.reason


def test_oversized_and_unsupported_files_are_refused(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("正文。" * 1000, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        ingest_file(big, "big.txt", max_bytes=100)
    other = tmp_path / "table.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(IngestError, match="unsupported"):
        ingest_file(other, "table.xlsx")


def test_jsonl_archive_gives_one_document_per_record(tmp_path: Path):
    path = tmp_path / "reports.jsonl"
    path.write_text(
        '{"title": "1954年政府工作报告", "content": "各位代表：\\n现在报告工作。", "year": 1954}\n'
        '{"title": "1955年政府工作报告", "content": "各位代表：\\n继续报告。"}\n',
        encoding="utf-8",
    )
    raws = ingest_file(path, "national/reports.jsonl")
    assert [r.source for r in raws] == ["national/reports.jsonl#1", "national/reports.jsonl#2"]
    assert raws[0].text.startswith("1954年政府工作报告\n各位代表：")
