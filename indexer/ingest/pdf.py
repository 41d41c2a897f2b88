"""PDF text layers through pdfminer.six, one block per text box.

unstructured's PDF partitioner imports its whole layout/OCR stack at module load (OpenCV, timm,
torchvision, ~1 GB), and that torchvision does not run beside the pinned CPU torch. Its "fast"
strategy, the only one usable offline, is pdfminer underneath, so we call pdfminer directly.
Scanned PDFs without a text layer are reported as having no text.
"""

from __future__ import annotations

import io

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

from indexer.records import Block


def read_pdf_blocks(data: bytes) -> tuple[str, tuple[Block, ...]]:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for page_number, page in enumerate(extract_pages(io.BytesIO(data)), start=1):
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            text = element.get_text().strip()
            if not text:
                continue
            blocks.append(Block(offset, offset + len(text), f"page {page_number}", "text"))
            parts.append(text)
            offset += len(text) + 1
    return "\n".join(parts), tuple(blocks)
