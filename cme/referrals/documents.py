"""Checking an uploaded original (a scanned letter, an email) before it is stored.

The type is decided from the file's first bytes, never from its name or the browser's claim,
and only the kinds a referral arrives as are accepted.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass

MAX_ORIGINAL_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", MSG),  # OLE2 compound file, as Outlook saves .msg
)
_EMAIL_HEADERS = {"from", "to", "subject", "date", "received", "message-id", "mime-version"}


class OriginalRefusedError(ValueError):
    """The upload is not a kind of original we keep; the message says what to do."""


@dataclass(frozen=True)
class CheckedOriginal:
    content_type: str
    extension: str


_EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", TIFF: "tif", EML: "eml", MSG: "msg"}


def _looks_like_email(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    if "\x00" in text:
        return False
    message = email.parser.Parser(policy=email.policy.default).parsestr(text, headersonly=True)
    names = {name.lower() for name in message}
    return len(names & _EMAIL_HEADERS) >= 2


def check_original(*, head: bytes, size: int) -> CheckedOriginal:
    """Decide what an uploaded file is from its first bytes; refuse anything else."""
    if size == 0:
        raise OriginalRefusedError("The selected file is empty")
    if size > MAX_ORIGINAL_BYTES:
        raise OriginalRefusedError("The selected file must be smaller than 10 MB")
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return CheckedOriginal(content_type=content_type, extension=_EXTENSIONS[content_type])
    if _looks_like_email(head):
        return CheckedOriginal(content_type=EML, extension="eml")
    raise OriginalRefusedError(
        "The selected file must be a PDF, a scanned image (PNG, JPEG or TIFF), "
        "or an email saved as .eml or .msg"
    )
