"""Documents -> passages: paragraphs, with long ones cut at sentence boundaries.

A passage is a span of its document's text: ``text[char_start:char_end] == passage.text``
always. Headings are never passages; they travel with the passages below them as context
("1. Summary > Freedom of expression"). Short paragraphs (list items, one-line remarks) are
joined with their neighbours in the same section and page, so that a passage says enough to be
tagged. The page of a passage is the number of form feeds before it, plus one.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import pandas as pd

from pipeline.config import SegmentConfig
from pipeline.ingest.metadata import detect_language
from pipeline.store import content_id

PASSAGE_COLUMNS = ["passage_id", "doc_id", "seq", "text", "char_start", "char_end", "page", "heading", "language"]

_PARA_SEP = re.compile(r"\n[^\S\n]*\n\s*|\s*\f\s*")
_NUMBERED = re.compile(r"^(?:(\d{1,2}(?:\.\d{1,2})*)|([IVX]{1,5})|([A-H]))[.)]?\s+\S")
_BULLET = re.compile(r"^[-*\u2022\u25aa\u25cf\u2013\u2014]\s")
_FIELD = re.compile(r"^[^\W\d][\w'\u2019 ./-]{0,40}\s?:\s+\S")  # "Date and venue: 14 March 2024" is a field
_HEADING_END = (".", ",", ";", ":", "!", "?", "\u2026")
_HEADING_SEP = " > "

# Words whose trailing full stop does not end a sentence (compared lower-case, final "." removed).
ABBREVIATIONS = frozenset("""
art arts para paras no nos nº n° mr mrs ms dr prof m mm mme mmes mlle mgr st doc docs e.g i.e cf vol p pp ch
chap sec sect fig op cit ibid al approx inc ltd jr sr gen col amb h.e s.e res rev add corr v vs dept govt min
rep sq ref nr n nn ann annex ed eds u.n u.s u.k e.u s.a sub subpara lit let
""".split())
# "2.", "(b)", "iv)", and paragraph numbers "96.44." as UN reports number recommendations
_LIST_MARKER = re.compile(r"(?:^|(?<=\s))(\(?(?:\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,5}|[a-zA-Z])[.)])$")
_CANDIDATE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s")
_OPENERS = frozenset("([{\u201c\u2018\u00ab")


@lru_cache(maxsize=8)
def spacy_pipeline(lang: str):
    """spaCy's blank ``lang`` pipeline with a sentencizer, loaded once per process; its tokenizer
    also serves the lexical tagger's matchers."""
    import spacy

    nlp = spacy.blank(lang if lang in ("en", "fr") else "xx")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # tokenizer + sentencizer only: memory stays small
    return nlp


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, whitespace trimmed (see :func:`_sentences`);
    kept for the last few thousand texts, since tagging splits a passage in several stages."""
    return list(_sentences(text, lang))


@lru_cache(maxsize=4096)
def _sentences(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans ``(start, end)`` in ``text``, whitespace trimmed.

    spaCy's rule-based sentencizer proposes boundaries; boundaries after abbreviations
    ("Art. 19", "para. 3", "UN Doc. A/HRC/...", "M. Dupont", "l'art. 5"), before a lower-case
    word, or inside a list marker ("1. The EU ...") are then taken back or moved.
    """
    if not text.strip():
        return ()
    if not _CANDIDATE.search(text.rstrip()):  # spaCy only splits after punctuation then space: skip it
        return (_trim(text, 0, len(text)),)
    starts = [sent.start_char for sent in spacy_pipeline(lang)(text).sents]
    kept: list[int] = [starts[0]]
    for boundary in starts[1:]:
        boundary = _before_openers(text, kept[-1], boundary)
        previous = text[kept[-1]:boundary].rstrip()
        following = text[boundary:boundary + 1]
        if _joins(previous, following):
            continue
        marker = _LIST_MARKER.search(previous)
        if marker:
            before = previous[:marker.start(1)].rstrip()
            if not before:
                continue  # the whole "sentence" is a list marker: it belongs to what follows
            if before.endswith((".", "!", "?", ":", ";", "\u2026")) and _last_word(before) not in ABBREVIATIONS:
                kept.append(kept[-1] + marker.start(1))  # "... concerns. 2. The EU" splits before "2."
                continue
            # otherwise an ordinary sentence ending in a number ("... in paragraph 12.")
        kept.append(boundary)
    return tuple(span for i, start in enumerate(kept)
                 if (span := _trim(text, start, kept[i + 1] if i + 1 < len(kept) else len(text)))[1] > span[0])


def _before_openers(text: str, lo: int, boundary: int) -> int:
    """spaCy leaves an opening bracket or quote with the sentence before it ("agreed. (" | "a) ..."):
    move the boundary back in front of it."""
    while True:
        j = boundary
        while j > lo and text[j - 1].isspace():
            j -= 1
        if j > lo and (text[j - 1] in _OPENERS or (text[j - 1] in "\"'" and (j - 1 == lo or text[j - 2].isspace()))):
            boundary = j - 1
        else:
            return boundary


def _joins(previous: str, following: str) -> bool:
    """True when the boundary between ``previous`` and a sentence starting with ``following`` is false."""
    if following.islower():
        return True
    if not previous.endswith("."):
        return False
    word = _last_word(previous)
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())  # an initial: "Mr. J. Smith"


def _last_word(text: str) -> str:
    """The last word before a final full stop, lower-case, without it or a French elision (l'art.)."""
    word = text.rsplit(None, 1)[-1].lstrip("(\"'“«[")
    word = re.sub(r"^[ldjnmcst][’']", "", word, flags=re.I)
    return word[:-1].lower() if word.endswith(".") else word.lower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _windows(text: str, start: int, end: int, lang: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into runs of whole sentences of at most ``max_chars``."""
    pieces: list[tuple[int, int]] = []
    for s, e in split_sentences(text[start:end], lang):
        s, e = s + start, e + start
        while e - s > max_chars:  # one sentence longer than a window: cut at the last space that fits
            cut = text.rfind(" ", s + 1, s + max_chars + 1)
            cut = cut if cut > s else s + max_chars
            pieces.append(_trim(text, s, cut))
            s = _trim(text, cut, e)[0]
        pieces.append((s, e))
    windows: list[tuple[int, int]] = []
    for s, e in pieces:
        if windows and e - windows[-1][0] <= max_chars:
            windows[-1] = (windows[-1][0], e)
        else:
            windows.append((s, e))
    return windows


def _heading_level(text: str, level: int | None) -> int:
    if level is not None:
        return level
    m = _NUMBERED.match(text)
    if m and m.group(1):
        return m.group(1).count(".") + 1
    if m and m.group(2):
        return 1
    return 10  # unknown depth: deeper than any numbered heading, replaces only its like


def _is_heading(text: str, cfg: SegmentConfig) -> bool:
    """A guessed heading: one short line, no sentence punctuation at its end, not a list item or table row."""
    return (len(text) <= cfg.heading_max_chars and "\n" not in text and not text.endswith(_HEADING_END)
            and " | " not in text and not _BULLET.match(text) and not _FIELD.match(text)
            and any(ch.isalpha() for ch in text))


def segment_document(doc_id: str, text: str, language: str, cfg: SegmentConfig,
                     heading_spans: list[tuple[int, int, int | None]] | None = None,
                     paged: bool = False) -> list[dict]:
    """The passages of one document, as dicts with PASSAGE_COLUMNS; ``page`` is None unless ``paged``."""
    known = {(s, e): level for s, e, level in (heading_spans or [])}
    page_breaks = [m.start() for m in re.finditer("\f", text)]

    chunks: list[tuple[int, int]] = []
    pos = 0
    for sep in [*_PARA_SEP.finditer(text), None]:
        s, e = _trim(text, pos, sep.start() if sep else len(text))
        pos = sep.end() if sep else len(text)
        if s < e:
            chunks.append((s, e))

    # paragraphs: (start, end, heading context), headings folded into the context
    paragraphs: list[tuple[int, int, str | None]] = []
    stack: list[tuple[int, str]] = []
    for i, (s, e) in enumerate(chunks):
        chunk = text[s:e]
        # a guessed heading needs something below it: a lone short line is the text itself
        if (s, e) in known or (i + 1 < len(chunks) and _is_heading(chunk, cfg)):
            level = _heading_level(chunk, known.get((s, e)))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, " ".join(chunk.split())))
            continue
        paragraphs.append((s, e, _HEADING_SEP.join(h for _, h in stack) if stack else None))

    def page_of(offset: int) -> int:
        return bisect.bisect_right(page_breaks, offset) + 1

    # units: short paragraphs joined with their neighbours (same heading, same page)
    units: list[list[int]] = []
    for s, e, heading in paragraphs:
        last = units[-1] if units else None
        if (last and last[2] == heading and page_of(last[0]) == page_of(s)
                and (last[1] - last[0] < cfg.min_chars or e - s < cfg.min_chars) and e - last[0] <= cfg.max_chars):
            last[1] = e
        else:
            units.append([s, e, heading])

    rows: list[dict] = []
    for s, e, heading in units:
        spans = [(s, e)] if e - s <= cfg.max_chars else _windows(text, s, e, language, cfg.max_chars)
        for ps, pe in spans:
            passage = text[ps:pe]
            lang = detect_language(passage, min_words=12) if pe - ps >= 80 else "unknown"
            rows.append({
                "passage_id": content_id(doc_id, ps, pe),
                "doc_id": doc_id,
                "seq": len(rows),
                "text": passage,
                "char_start": ps,
                "char_end": pe,
                "page": page_of(ps) if paged else None,
                "heading": heading,
                "language": language if lang == "unknown" else lang,
            })
    return rows


def segment(docs: pd.DataFrame, cfg: SegmentConfig) -> pd.DataFrame:
    """Passages of every document in ``docs``.

    Columns: doc_id, text, language; optional: heading_spans (the reader's headings, as
    (start, end, level)) and n_pages (documents with a page count get page numbers).
    """
    rows: list[dict] = []
    n = len(docs)
    spans = docs["heading_spans"].tolist() if "heading_spans" in docs else [None] * n
    paged = docs["n_pages"].notna().tolist() if "n_pages" in docs else [False] * n
    for doc_id, text, language, heading_spans, has_pages in zip(docs["doc_id"].tolist(), docs["text"].tolist(),
                                                                docs["language"].tolist(), spans, paged):
        rows.extend(segment_document(doc_id, text or "", language or "unknown", cfg, heading_spans, bool(has_pages)))
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
