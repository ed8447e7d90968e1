"""Readers for the formats desk officers receive, chosen by what the bytes are, not the extension.

``detect_format`` sniffs magic bytes (a PDF named .txt is read as a PDF); the extension only
decides between the text formats, and a binary extension on bytes without its signature is an
error rather than a guess. ``read_document`` returns the reader's :class:`Extracted`.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from pipeline.config import IngestConfig
from pipeline.errors import IngestError
from pipeline.ingest.common import Extracted

SUPPORTED = ("pdf", "docx", "html", "eml", "txt", "md")
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html", ".eml": "eml",
              ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_OTHER_MAGIC = [
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls); open it and save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or .txt"),
    (b"\x89PNG", "a PNG image; OCR it first"),
    (b"\xff\xd8\xff", "a JPEG image; OCR it first"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image; OCR it first"),
    (b"MM\x00*", "a TIFF image; OCR it first"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
]
_EML_HEADER = re.compile(rb"^(from|to|cc|subject|date|received|return-path|message-id|mime-version|delivered-to"
                         rb"|reply-to|sender|x-[\w-]+|content-type):[ \t]", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


def detect_format(data: bytes, name: str) -> str:
    """One of SUPPORTED, or IngestError saying what the file is and what to do."""
    ext = EXTENSIONS.get(PurePath(name).suffix.lower())
    head = data[:8192]
    if not data.strip():
        raise IngestError(f"{name}: empty file (no content). Nothing to ingest.")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or ext == "docx":
            return "docx"
        raise IngestError(f"{name}: a zip archive that is not a Word document; unpack it and ingest its files.")
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise IngestError(f"{name}: unsupported format: {what}. Supported: {', '.join(SUPPORTED)}.")
    if ext == "pdf":
        raise IngestError(f"{name}: has a .pdf name but no %PDF header: not a PDF (corrupt or mislabelled).")
    if ext == "docx":
        raise IngestError(f"{name}: has a .docx name but is not a zip archive, so not a DOCX (corrupt, or a "
                          "legacy .doc renamed); open it in Word and save it as .docx.")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        raise IngestError(f"{name}: binary file (NUL bytes), not text. Supported: {', '.join(SUPPORTED)}; "
                          "if this is a document, give it its real extension.")
    if ext == "eml" or (ext not in ("txt", "md") and _looks_like_email(head)):
        return "eml"
    if ext == "html" or _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    if ext in ("txt", "md"):
        return ext
    if ext is None and PurePath(name).suffix:
        raise IngestError(f"{name}: unsupported extension {PurePath(name).suffix!r}. "
                          f"Supported: {', '.join(sorted(EXTENSIONS))}.")
    return "txt"


def _looks_like_email(head: bytes) -> bool:
    lines = head.lstrip().splitlines()[:12]
    hits = {m.group(1).lower() for line in lines if (m := _EML_HEADER.match(line))}
    return len(hits) >= 2 and bool(hits & {b"from", b"received", b"message-id", b"mime-version", b"return-path"})


def read_document(data: bytes, name: str, cfg: IngestConfig) -> Extracted:
    """Read one file's bytes with the reader for its detected format."""
    fmt = detect_format(data, name)
    if fmt == "pdf":
        from pipeline.ingest.pdf import read_pdf
        extracted = read_pdf(data, name)
    elif fmt == "docx":
        from pipeline.ingest.docx import read_docx
        extracted = read_docx(data, name, cfg.max_unzipped_mb)
    elif fmt == "html":
        from pipeline.ingest.html import read_html
        extracted = read_html(data, name)
    elif fmt == "eml":
        from pipeline.ingest.eml import read_eml
        extracted = read_eml(data, name)
    else:
        from pipeline.ingest.text import read_text
        extracted = read_text(data, name, markdown=fmt == "md")
    ext = EXTENSIONS.get(PurePath(name).suffix.lower())
    if ext and ext != fmt and {ext, fmt} != {"txt", "md"}:
        extracted.notes.append(f"named .{PurePath(name).suffix.lstrip('.')} but the content is {fmt}")
    if not any(block.text.strip() for block in extracted.blocks) and not extracted.attachments:
        raise IngestError(f"{name}: no text found in the {fmt.upper()} file (only markup, images or blank pages).")
    return extracted
