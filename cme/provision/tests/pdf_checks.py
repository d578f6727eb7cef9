"""Looking inside the PDFs the service makes (WeasyPrint compresses its object streams)."""

from __future__ import annotations

import re
import zlib


def decompressed(pdf: bytes) -> bytes:
    """The PDF with each of its compressed streams inflated."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def is_tagged_pdf_ua(pdf: bytes) -> bool:
    """A tagged PDF that declares PDF/UA-1 conformance."""
    inside = decompressed(pdf)
    return pdf.startswith(b"%PDF-") and b"/StructTreeRoot" in inside and b"pdfuaid" in inside
