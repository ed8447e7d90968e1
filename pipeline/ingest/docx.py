"""Word documents (.docx): body paragraphs and tables in reading order, headings by style.

Running headers and footers live in their own parts of the package and are not read. The zip is
checked before python-docx opens it, by the sizes its headers declare and by the bytes it really
inflates to (streamed, with a cap): a small file that inflates to gigabytes (a zip bomb) is
refused before python-docx or lxml decompresses any of it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from pipeline.errors import IngestError
from pipeline.ingest.common import Block, Extracted, clean_inline

_HEADING_STYLE = re.compile(r"^(?:heading|titre|title|überschrift)\s*(\d)?$", re.IGNORECASE)
_MB = 1024 * 1024


def check_zip(data: bytes, name: str, max_unzipped_mb: float) -> zipfile.ZipFile:
    """Open the package after checking it is a zip whose contents fit in ``max_unzipped_mb``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(
            f"{name}: not a zip archive, so not a DOCX ({exc}). The file may be truncated, or a legacy .doc "
            "renamed; open it in Word and save it as .docx."
        ) from exc
    total = sum(info.file_size for info in archive.infolist())
    if total > max_unzipped_mb * _MB:
        raise IngestError(
            f"{name}: the archive would inflate to {total / _MB:,.0f} MB, over the limit of {max_unzipped_mb:g} MB "
            "(ingest.max_unzipped_mb); refused as a possible zip bomb. If the document is genuine, raise the "
            "limit with --set ingest.max_unzipped_mb=N."
        )
    if "word/document.xml" not in archive.namelist():
        raise IngestError(f"{name}: a zip archive without word/document.xml, so not a Word document.")
    _check_inflated(archive, name, max_unzipped_mb)
    return archive


def _check_inflated(archive: zipfile.ZipFile, name: str, max_unzipped_mb: float) -> None:
    """Inflate every member in 1 MB steps, counting the bytes that really come out (headers can lie
    about sizes): over the limit, or a member that does not inflate to what it declares, is refused
    before any parser sees it."""
    cap = max_unzipped_mb * _MB
    total = 0
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while chunk := member.read(_MB):
                    total += len(chunk)
                    if total > cap:
                        raise IngestError(
                            f"{name}: the archive inflates to more than {max_unzipped_mb:g} MB (ingest.max_unzipped_mb) "
                            "although its headers declare less; refused as a zip bomb.")
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise IngestError(f"{name}: part {info.filename} of the archive is damaged or its declared sizes are "
                              f"forged ({exc}); refused. Open it in Word and save it again.") from None


def read_docx(data: bytes, name: str, max_unzipped_mb: float) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(data, name, max_unzipped_mb)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on damaged packages
        raise IngestError(f"{name}: damaged DOCX, cannot be opened ({type(exc).__name__}: {exc}). "
                          "Open it in Word and save it again.") from exc
    blocks: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = clean_inline(paragraph.text)
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            match = _HEADING_STYLE.match(style or "")
            if match:
                blocks.append(Block(text, "heading", int(match.group(1) or 1)))
            else:
                blocks.append(Block(text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = clean_inline(cell.text)
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    blocks.append(Block(" | ".join(cells)))
    hints = {}
    title = (document.core_properties.title or "").strip()
    if title:
        hints["title"] = clean_inline(title)
    return Extracted(format="docx", blocks=blocks, hints=hints)
