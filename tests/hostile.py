"""Hostile files for the ingest tests and the hostile-files benchmark, written on demand (never committed)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


def docx_with_body_xml(path: Path, xml_bytes: int) -> Path:
    """A valid DOCX whose document.xml holds about ``xml_bytes`` of paragraphs (deflates about 500:1)."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("正文")
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    head, tail = source.read("word/document.xml").decode("utf-8").split("<w:body>")
    paragraph = "<w:p><w:r><w:t>" + "法治政府建设" * 150 + "</w:t></w:r></w:p>"
    body = head + "<w:body>" + paragraph * max(1, xml_bytes // len(paragraph.encode())) + tail
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = body.encode("utf-8") if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_hostile_files(folder: Path) -> dict[str, str]:
    """Each hostile file, and a word of the outcome expected for it ("indexed" or part of the reason)."""
    folder.mkdir(parents=True, exist_ok=True)
    docx_with_body_xml(folder / "bomb.docx", 100_000_000)
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(1_000_000))
    with (folder / "huge.txt").open("wb") as handle:
        line = "全年共办理行政复议案件二十件，全部依法审结。\n".encode("utf-8")
        for _ in range(60 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    script = "var counter = 0; // " + "x" * 60 + "\n"
    (folder / "script.html").write_text(
        "<html><head><script>" + script * (5 * 1024 * 1024 // len(script)) + "</script></head><body>"
        "<h1>某区2020年法治政府建设情况报告</h1><p>全年共办理行政复议案件二十件，全部依法审结。</p></body></html>",
        encoding="utf-8")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "first line\nsecond line.txt").write_text(
        "某县2021年法治政府建设情况报告\n聘请法律顾问十二名，开展合法性审查三十件。", encoding="utf-8")
    return {"bomb.docx": "zip bomb", "garbage.pdf": "cannot parse PDF", "huge.txt": "too large",
            "script.html": "indexed", "loop-a.txt": "link loop", "loop-b.txt": "link loop",
            "first line\nsecond line.txt": "indexed"}
