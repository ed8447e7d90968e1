"""Plain text and Markdown.

Paragraphs are separated by blank lines. Two common shapes need help: files with one paragraph
per line and no blank lines (every line becomes a block), and a heading line glued to its
paragraph (split off so it can serve as heading context).
"""

from __future__ import annotations

import re
import statistics

from pipeline.ingest.common import Block, Extracted, clean_lines, decode_text

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(={3,}|-{3,})\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022\u2013]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])\s+")
_TERMINAL = ".!?;:\u2026\"\u201d\u00bb)"


def read_text(data: bytes, name: str, markdown: bool = False) -> Extracted:
    text, notes = decode_text(data, name)
    text = clean_lines(text)
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks.extend(_chunk_blocks(lines, markdown))
    return Extracted(format="md" if markdown else "txt", blocks=blocks, notes=notes)


def _chunk_blocks(lines: list[str], markdown: bool) -> list[Block]:
    if markdown:
        heading = _MD_HEADING.match(lines[0])
        if heading:
            rest = _chunk_blocks(lines[1:], markdown) if len(lines) > 1 else []
            return [Block(heading.group(2), "heading", len(heading.group(1)))] + rest
    # "Title\n=====" (a title may wrap over a few lines): underlined headings, in Markdown and plain text
    underline = next((i for i, line in enumerate(lines[:5]) if i and _SETEXT.match(line)), None)
    if underline is not None:
        rest = _chunk_blocks(lines[underline + 1:], markdown) if len(lines) > underline + 1 else []
        level = 1 if lines[underline].startswith("=") else 2
        return [Block(" ".join(lines[:underline]), "heading", level)] + rest
    if len(lines) == 1:
        return [Block(lines[0])]
    longest = max(len(line) for line in lines)
    # A short unpunctuated first line above a wrapped paragraph is a heading, not part of it.
    if len(lines[0]) < 0.6 * longest and not lines[0].endswith(tuple(_TERMINAL)) and not _LIST_ITEM.match(lines[0]):
        return [Block(lines[0], "heading")] + _chunk_blocks(lines[1:], markdown)
    # Lines far longer than a wrapped width, or list items: each line is its own paragraph.
    if statistics.median(len(line) for line in lines) > 160 or sum(bool(_LIST_ITEM.match(x)) for x in lines) > 1:
        return [Block(line) for line in lines]
    return [Block("\n".join(lines))]
