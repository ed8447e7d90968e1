"""What every reader returns, and the text helpers they share.

A reader turns file bytes into :class:`Extracted`: an ordered list of blocks (paragraphs and
headings, each with its page when the format has pages). :func:`assemble` joins the blocks into
the one document text that passage offsets refer to: blocks are separated by a blank line and a
page break is a form feed on its own line, so the page of any offset is the number of form feeds
before it, plus one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.errors import IngestError

PAGE_BREAK = "\f"
BLOCK_SEP = "\n\n"


@dataclass
class Block:
    text: str
    kind: str = "para"  # para | heading
    level: int | None = None  # heading depth when the format says it (h2 -> 2); None when guessed
    page: int | None = None


@dataclass
class Extracted:
    """One document read from bytes."""

    format: str
    blocks: list[Block]
    n_pages: int | None = None
    # Metadata the container states outright (e-mail headers, PDF info, <title>); it beats detection.
    hints: dict[str, str] = field(default_factory=dict)
    # E-mail attachments, as (file name, bytes): ingested as documents of their own.
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Assembled:
    text: str
    heading_spans: list[tuple[int, int, int | None]]  # (start, end, level) of each heading block


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def clean_inline(text: str) -> str:
    """One paragraph on one line: NFC, no soft hyphens or zero-width characters, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", _CONTROL.sub(" ", text))
    text = text.replace("\f", " ").replace("\r", " ").replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str) -> str:
    """Keep line breaks (hard-wrapped plain text) but normalise everything else."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", _CONTROL.sub(" ", text.replace("\f", "\n")))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def assemble(blocks: list[Block]) -> Assembled:
    """Join blocks into the document text; blank blocks are dropped, pages become form feeds."""
    parts: list[str] = []
    spans: list[tuple[int, int, int | None]] = []
    pos = 0
    page = 1
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        sep = BLOCK_SEP if parts else ""
        if block.page is not None and block.page > page:
            # "end.\n\f\nStart": still a blank-line paragraph break, and one \f per page turned
            sep = ("\n" if parts else "") + (PAGE_BREAK + "\n") * (block.page - page)
            page = block.page
        parts.append(sep)
        pos += len(sep)
        if block.kind == "heading":
            spans.append((pos, pos + len(text), block.level))
        parts.append(text)
        pos += len(text)
    return Assembled("".join(parts), spans)


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes of a text file as str: BOM, then UTF-8, then cp1252, then latin-1.

    latin-1 accepts any byte, so the result is checked: text full of control characters is
    binary data, not text in an unexpected encoding.
    """
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != "utf-8":
                notes.append(f"not valid UTF-8; decoded as {encoding}")
            break
    controls = len(_BINARY_CHARS.findall(text))
    if text and controls / len(text) > 0.01:
        raise IngestError(
            f"{name}: undecodable bytes: not UTF-8, cp1252 or latin-1 text ({controls} control characters "
            f"in {len(text)}). If it is text, save it as UTF-8; if it is a document, give it its real extension."
        )
    return text, notes
