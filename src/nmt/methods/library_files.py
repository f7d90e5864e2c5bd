"""Uploaded library files: the type is read from the content, never from the name; text is
extracted for the search index.

PDF (pypdf) and DOCX (python-docx) only. A DOCX is a ZIP archive, so its members are checked before
anything is unpacked (a small upload must not expand into gigabytes).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    filename: str
    sha256: str
    text: str

    @property
    def size(self) -> int:
        return len(self.content)


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return None
        if unpacked > MAX_UNPACKED_BYTES:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    parts = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        parts.append(page.extract_text() or "")
    return "\n".join(parts)


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def check_upload(upload: IO[bytes], filename: str) -> CheckedFile:
    """Read, check and extract an uploaded file; ``ValidationError`` if it is not acceptable."""
    limit = settings.NMT_LIBRARY_MAX_BYTES
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]}
        )
    if not content:
        raise ValidationError({"file": [_("The file is empty.")]})
    content_type = _sniff(content)
    if content_type is None:
        raise ValidationError({"file": [_("Only PDF and Word (DOCX) files can be uploaded.")]})
    try:
        text = _pdf_text(content) if content_type == PDF else _docx_text(content)
    except Exception as exc:
        raise ValidationError({"file": [_("The file could not be read.")]}) from exc
    stem = (filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "document").rsplit(".", 1)[0]
    safe_stem = "".join(c for c in stem if c.isalnum() or c in " -_().,åäöÅÄÖ").strip()[:150]
    return CheckedFile(
        content=content,
        content_type=content_type,
        filename=(safe_stem or "document") + EXTENSIONS[content_type],
        sha256=hashlib.sha256(content).hexdigest(),
        text=" ".join(text.split())[:MAX_TEXT_CHARS],
    )
