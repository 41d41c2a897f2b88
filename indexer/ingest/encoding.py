"""Decode file bytes without assuming UTF-8: BOMs, UTF-16 without BOM, UTF-8, GB18030, then a guess."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from indexer.ingest.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise ``IngestError`` naming the file."""
    if not data.strip():
        raise IngestError(name, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name), utf16
    if b"\x00" in data:
        raise IngestError(name, "binary file (contains NUL bytes)")
    # GB18030 is a superset of GBK and GB2312 and decodes every valid GBK file exactly.
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), encoding, name), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise IngestError(name, "undecodable: not UTF-8, UTF-16, GB18030 or any detectable encoding")
    return _checked(str(best), best.encoding, name), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """NUL bytes in text mean UTF-16; the byte order is the one that decodes to printable text."""
    if b"\x00" not in data or len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            sample = data[:4000].decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
        if printable >= 0.98 * len(sample):
            return encoding
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return _checked(data.decode(encoding), encoding, name)
    except UnicodeDecodeError as error:
        raise IngestError(name, f"undecodable as {encoding} at byte {error.start}") from error


def _checked(text: str, encoding: str, name: str) -> str:
    text = text.lstrip("\ufeff")
    control = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f\v")
    if control > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise IngestError(name, f"binary content ({control} control characters after decoding as {encoding})")
    if not text.strip():
        raise IngestError(name, "empty file (only whitespace)")
    return text
