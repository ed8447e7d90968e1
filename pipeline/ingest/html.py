"""HTML pages: visible text only, one block per block-level element, headings kept as headings.

Scripts, styles and other non-text elements are removed before any text is taken, so their
content can never reach a passage. When a page has one <main> or <article>, only that is read:
navigation menus and footers around it are not the document.
"""

from __future__ import annotations

import re

from pipeline.errors import IngestError
from pipeline.ingest.common import Block, Extracted, clean_inline

DROP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
        "canvas", "button", "select", "input", "textarea", "nav"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul", "ol", "dl", "dt",
          "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "blockquote", "pre", "figure", "figcaption",
          "address", "hr", "body", "html", "center", "details", "summary"} | set(HEADINGS)
CELLS = {"td", "th"}
MAX_DEPTH = 400  # real pages nest a few dozen elements deep; far deeper is a parser bomb
VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"source",
        b"track", b"wbr", b"p", b"li", b"option", b"td", b"th", b"tr", b"dt", b"dd"}  # void, or often left open
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")


def check_nesting(data: bytes, name: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse, before parsing, a page whose elements nest deeper than ``max_depth`` (a cheap scan of
    the tags; parsing such a page costs minutes and gigabytes)."""
    depth = 0
    for m in _TAG.finditer(data):
        tag = m.group(2).lower()
        if tag in VOID or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
        if depth > max_depth:
            raise IngestError(f"{name}: elements nested more than {max_depth} deep (at byte {m.start():,}); "
                              "refused, as no real page nests so deep. Save the page again from a browser.")
        depth = max(depth, 0)


def read_html(data: bytes, name: str) -> Extracted:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

    check_nesting(data, name)
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml raises several types on broken input
        raise IngestError(f"{name}: cannot parse the HTML: {exc}. Check that the file is a web page.") from exc
    hints: dict[str, str] = {}
    h1 = soup.find_all("h1")
    if len(h1) == 1 and h1[0].get_text(strip=True):
        hints["title"] = clean_inline(h1[0].get_text(" "))
    elif soup.title and soup.title.string and soup.title.string.strip():
        hints["title"] = clean_inline(soup.title.string).split(" | ")[0]  # "Title | Site name"
    lang = soup.html.get("lang") if soup.html else None
    if isinstance(lang, str) and lang.strip():
        hints["language"] = lang.strip().lower()[:2]
    for tag in soup.find_all(list(DROP)):
        tag.decompose()
    for tag in soup.find_all(hidden=True) + soup.find_all(attrs={"aria-hidden": "true"}):
        if not tag.decomposed:
            tag.decompose()
    mains = soup.find_all("main") or soup.find_all("article")
    root = mains[0] if len(mains) == 1 else soup

    skip = (Comment, Declaration, Doctype, ProcessingInstruction)
    blocks: list[Block] = []
    buf: list[str] = []

    def flush(kind: str = "para", level: int | None = None) -> None:
        text = clean_inline("".join(buf))
        buf.clear()
        if text:
            blocks.append(Block(text, kind, level))

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if not isinstance(child, skip):
                    buf.append(str(child))
                continue
            tag = child.name
            if tag == "br":
                buf.append(" ")
            elif tag in HEADINGS:
                flush()
                walk(child)
                flush("heading", HEADINGS[tag])
            elif tag in BLOCKS:
                flush()
                walk(child)
                flush()
            elif tag in CELLS:
                walk(child)
                buf.append(" | ")
            else:
                walk(child)

    try:
        walk(root)
    except RecursionError as exc:
        raise IngestError(f"{name}: the HTML is nested too deeply to read. Simplify or re-save the page.") from exc
    flush()
    blocks = [Block(b.text.strip(" |"), b.kind, b.level) for b in blocks]
    return Extracted(format="html", blocks=blocks, hints=hints)
