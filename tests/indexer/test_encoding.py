import codecs

import pytest

from indexer.ingest.encoding import decode_bytes
from indexer.ingest.errors import IngestError

TEXT = "关于乌鲁木齐市人民政府2017年度法治政府建设情况的报告\n行政机关负责人出庭应诉。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_each_encoding_to_the_same_text(data, encoding):
    text, found = decode_bytes(data, "report.txt")
    assert text == TEXT
    assert found == encoding


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ],
)
def test_rejects_bad_input_naming_the_file(data, reason):
    with pytest.raises(IngestError) as error:
        decode_bytes(data, "folder/bad.txt")
    assert error.value.source == "folder/bad.txt"
    assert reason in error.value.reason
    assert "folder/bad.txt" in str(error.value)
