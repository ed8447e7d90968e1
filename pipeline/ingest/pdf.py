"""PDF with a text layer (pypdf, BSD): pages kept, running headers/footers dropped, paragraphs rebuilt.

pypdf gives text line by line with each line's position and font size. Paragraph breaks are
inferred from the layout: a vertical gap wider than the usual line spacing, a change of font size,
a list marker, or a short line ending a sentence. Lines at the top or bottom edge of the page that
recur on at least half the pages (digits ignored, so "Page 3 of 9" matches "Page 4 of 9") are
running headers, footers or page numbers, and are dropped.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from dataclasses import dataclass

from pipeline.errors import IngestError
from pipeline.ingest.common import Block, Extracted, clean_inline

_PAGE_NUMBER = re.compile(r"^[-\u2013\u2014\s]*(?:page|p\.|seite|pág\.?)?\s*\d{1,4}(?:\s*(?:/|of|sur|de|von)\s*\d{1,4})?[-\u2013\u2014\s]*$",
                          re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[\u2022\u25aa\u25cf\u2013\u2014\-*]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])\s")
_TERMINAL = (".", "!", "?", ":", ";", "\u201d", '"', "\u00bb")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|,b$", re.IGNORECASE)
_USELESS_TITLE = re.compile(r"^(?:untitled|\(?anonymous\)?|microsoft word\b.*|document\d*|\s*)$", re.IGNORECASE)
EDGE = 0.08  # top and bottom 8 % of the page height


@dataclass
class Line:
    text: str
    y: float | None
    size: float
    bold: bool
    top: bool = False
    bottom: bool = False


def read_pdf(data: bytes, name: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken-but-readable files warn a lot
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty user password only to restrict printing.
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise IngestError(f"{name}: encrypted PDF that needs the 'cryptography' package: {exc}") from exc
            if not opened:
                raise IngestError(
                    f"{name}: encrypted PDF: it needs a password to open. Remove the protection "
                    "(e.g. `qpdf --decrypt --password=... in.pdf out.pdf`) and ingest the copy."
                )
        pages = [_page_lines(page) for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError...) on damage
        raise IngestError(f"{name}: corrupt PDF, cannot be read ({type(exc).__name__}: {exc}). "
                          "Re-export it from the original application.") from exc
    if not pages:
        raise IngestError(f"{name}: the PDF has no pages.")
    if sum(len(line.text) for lines in pages for line in lines) < 5 * len(pages):
        raise IngestError(f"{name}: no text layer, OCR it first: a scanned or image-only PDF "
                          "(e.g. `ocrmypdf in.pdf out.pdf`, then ingest the OCR'd copy).")
    pages = _drop_running_lines(pages)
    blocks = _paragraphs(pages)
    hints = {}
    if not _USELESS_TITLE.match(str(info_title)):
        hints["title"] = clean_inline(str(info_title))
    empty = sum(1 for lines in pages if not lines)
    notes = [f"{empty} of {len(pages)} pages have no text layer"] if empty else []
    return Extracted(format="pdf", blocks=blocks, n_pages=len(pages), hints=hints, notes=notes)


def _page_lines(page) -> list[Line]:
    """The page's text lines, each with its baseline height, font size and boldness."""
    lines: list[Line] = []
    parts: list[str] = []
    first: list[tuple[float | None, float, bool]] = []  # attributes of the line being built

    def visitor(text, cm, tm, font, size):
        if not text:
            return
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece.strip() and not first:
                # the combined text matrix tm x cm: its [5] is the baseline, [3] the vertical scale
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
                base = str((font or {}).get("/BaseFont", ""))
                first.append((y, size * scale, bool(_BOLD.search(base))))
            parts.append(piece)
            if i < len(pieces) - 1:
                end_line()

    def end_line():
        text = clean_inline("".join(parts))
        parts.clear()
        if text and first:
            y, size, bold = first[0]
            lines.append(Line(text, y, size, bold))
        first.clear()

    page.extract_text(visitor_text=visitor)
    end_line()
    height = float(page.mediabox.height) or 842.0
    bottom_edge = float(page.mediabox.bottom)
    ys_known = len({line.y for line in lines}) > 1
    for i, line in enumerate(lines):
        if ys_known and line.y is not None:
            rel = (line.y - bottom_edge) / height
            line.top, line.bottom = rel > 1 - EDGE, rel < EDGE
        else:  # no usable positions: the first and last lines stand in for the edges
            line.top, line.bottom = i == 0, i == len(lines) - 1
        if not ys_known:
            line.y = None
    return lines


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_edge_key(line.text) for line in lines if line.top or line.bottom}:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    return [
        [line for line in lines
         if not ((line.top or line.bottom) and (_edge_key(line.text) in running or _PAGE_NUMBER.match(line.text)))]
        for lines in pages
    ]


def _paragraphs(pages: list[list[Line]]) -> list[Block]:
    all_lines = [line for lines in pages for line in lines]
    body_size = statistics.median([line.size for line in all_lines]) if all_lines else 10.0
    # line spacing as a multiple of the font size, so that a title in 18 pt is judged by its own spacing
    gaps = [(a.y - b.y) / a.size for lines in pages for a, b in zip(lines, lines[1:])
            if a.y is not None and b.y is not None and 0 < a.y - b.y < 3 * a.size and abs(a.size - b.size) < 0.5]
    leading = statistics.median(gaps) if gaps else None
    lengths = sorted(len(line.text) for line in all_lines)
    full_width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80

    blocks: list[Block] = []
    for page_no, lines in enumerate(pages, start=1):
        current: list[Line] = []
        for line in lines:
            if current and _breaks(current[-1], line, leading, full_width, body_size):
                blocks.append(_block(current, page_no, body_size))
                current = []
            current.append(line)
        if current:
            blocks.append(_block(current, page_no, body_size))
    return _join_across_pages(blocks)


def _breaks(prev: Line, line: Line, leading: float | None, full_width: int, body_size: float) -> bool:
    if leading and prev.y is not None and line.y is not None:
        dy = (prev.y - line.y) / prev.size
        if dy > 1.45 * leading or dy < -0.5 * leading:  # a blank line, or a jump up (next column)
            return True
    if abs(prev.size - line.size) > 0.9 or (prev.bold != line.bold and len(prev.text) < 0.7 * full_width):
        return True
    if _LIST_MARKER.match(line.text):
        return True
    short = len(prev.text) < 0.7 * full_width
    # In body text only the last line of a paragraph is short ("Date : 3 avril 2025" lines of a header
    # block each end one); larger type (titles) wraps early without ending anything.
    return short and (prev.text.endswith(_TERMINAL) or (abs(prev.size - body_size) < 0.5 and len(prev.text) < 0.6 * full_width))


def _block(lines: list[Line], page: int, body_size: float) -> Block:
    text = lines[0].text
    for line in lines[1:]:
        # "defen-" + "ders" was hyphenated by the layout; "EU-" + "China" was not
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line.text[:1].islower():
            text = text[:-1] + line.text
        else:
            text = f"{text} {line.text}"
    emphasised = lines[0].size > body_size * 1.12 or all(line.bold for line in lines)
    if emphasised and len(lines) <= 3 and len(text) <= 160 and not text.endswith("."):
        return Block(text, "heading", None, page)
    return Block(text, "para", None, page)


def _join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break continues on the next page: it stays on its first page."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev and prev.kind == block.kind == "para" and prev.page != block.page
                and not prev.text.endswith(_TERMINAL) and block.text[:1].islower()):
            prev.text = f"{prev.text} {block.text}"
        else:
            out.append(block)
    return out
