"""HTML and DOCX through unstructured (PDF through pdfminer): one block per element, joined by newlines."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from indexer.ingest.encoding import decode_bytes
from indexer.ingest.errors import IngestError
from indexer.ingest.pdf import read_pdf_blocks
from indexer.ingest.unstructured_offline import configure_unstructured
from indexer.records import Block, RawDocument


# A DOCX is a zip: its parts are bounded before anything is decompressed. The XML parts are what the
# parser builds trees of (about 10 bytes of memory per byte of XML); a zip bomb declares them huge.
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_EXPANDED_XML_BYTES = 64 * 1024 * 1024


def parse_elements(path: Path, source: str, data: bytes, sha256: str) -> RawDocument:
    """An HTML, DOCX or PDF file's text and blocks; ``IngestError`` naming the file when it cannot be read."""
    try:
        return read_with_unstructured(path, source, data, sha256)
    except (IngestError, MemoryError):
        raise
    except Exception as error:  # a truncated or corrupt DOCX/PDF raises whatever its parser raises
        kind = path.suffix.lower().lstrip(".").upper()
        raise IngestError(source, f"cannot parse {kind}: {type(error).__name__}: {error}") from error


def preload() -> None:
    """Import the parsers and load their models now (seconds for unstructured), not on the first file."""
    configure_unstructured()
    import pdfminer.high_level  # noqa: F401
    import unstructured.partition.docx  # noqa: F401
    from unstructured.partition.html import partition_html

    partition_html(text="<p>Warm up: the text classifiers load their model on first use.</p>")


def read_with_unstructured(path: Path, source: str, data: bytes, sha256: str) -> RawDocument:
    configure_unstructured()
    kind = path.suffix.lower().lstrip(".")
    encoding = "binary"
    if kind in ("html", "htm"):
        from unstructured.partition.html import partition_html

        html, encoding = decode_bytes(data, source)
        # languages=[""] skips unstructured's language detection, whose per-element tags nothing reads.
        elements = partition_html(text=as_blocks(html), languages=[""])
        kind = "html"
    elif kind == "docx":
        from unstructured.partition.docx import partition_docx

        check_zip_expansion(data, source)
        elements = partition_docx(file=io.BytesIO(data), languages=[""])
    elif kind == "pdf":
        text, blocks = read_pdf_blocks(data)
        elements = None
    else:
        raise IngestError(source, f"unsupported format .{kind}")
    if elements is not None:
        text, blocks = _join_elements(elements)
    if not text.strip():
        raise IngestError(source, f"no text found in the {kind.upper()} file")
    return RawDocument(source, str(path), kind, encoding, sha256, text, blocks)


def check_zip_expansion(data: bytes, source: str) -> None:
    """Refuse a zip whose parts would expand past the limits (by the sizes the zip declares; Python's
    zipfile never inflates a part past its declared size)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as error:
        raise IngestError(source, f"cannot parse DOCX: not a zip file ({error})") from error
    total = sum(part.file_size for part in parts)
    xml = sum(part.file_size for part in parts if part.filename.lower().endswith((".xml", ".rels")))
    if total > MAX_EXPANDED_BYTES or xml > MAX_EXPANDED_XML_BYTES:
        raise IngestError(source, f"DOCX expands to {total / 2**20:,.0f} MiB, {xml / 2**20:,.0f} MiB of it XML "
                                  f"(limits {MAX_EXPANDED_BYTES // 2**20} and {MAX_EXPANDED_XML_BYTES // 2**20} MiB): "
                                  "a zip bomb, or not a report")


# Containers unstructured flattens or drops: it turns a table into one element and skips what is
# inside a <form>. Old portals lay whole pages out in tables, and ASP.NET pages wrap the whole body
# in a form, so the menu, the article and the footer would come out as one line, or not at all.
_CONTAINER_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "form")


def as_blocks(html: str) -> str:
    """The page with those containers turned into plain blocks, so each cell or part is its own element."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    for element in root.iter(*_CONTAINER_TAGS):
        element.tag = "div"
    return lxml.html.tostring(root, encoding="unicode")


def _join_elements(elements) -> tuple[str, tuple[Block, ...]]:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for number, element in enumerate(elements, start=1):
        text = (element.text or "").strip()
        if not text:
            continue
        metadata = element.metadata
        origin = f"element {number} ({element.category})"
        if getattr(metadata, "page_number", None):
            origin += f", page {metadata.page_number}"
        link_chars = sum(len(t) for t in (getattr(metadata, "link_texts", None) or []))
        blocks.append(Block(offset, offset + len(text), origin, element.category, min(link_chars, len(text))))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts), tuple(blocks)
