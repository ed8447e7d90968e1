"""Small text helpers the taggers share: sentence spans and a cheap English/French guess."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"\S.*?(?:[.!?;:](?=\s+[\"'(«]?[A-ZÀ-Ý0-9])|\n\s*\n|$)", re.S)
_WORD = re.compile(r"[a-zà-ÿ']+")
_FR = frozenset("le la les des du une est et à au aux dans pour sur par que qui avec ne pas ses leur "
                "été sont cette ces nous vous il elle l' d' qu' n'".split())
_EN = frozenset("the of and to in is are was were for on with that this by be as at from which has "
                "have it its an or not their".split())


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``, without surrounding white space."""
    try:
        from pipeline.segment import split_sentences as segment_split
    except ImportError:
        segment_split = None
    if segment_split is not None:
        return segment_split(text, lang)
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def guess_language(text: str) -> str:
    """"en", "fr", or "other" from function-word counts (enough to route a passage to an encoder)."""
    words = _WORD.findall(text[:2000].lower())
    if not words:
        return "other"
    fr = sum(w in _FR or w.startswith(("l'", "d'", "qu'")) for w in words)
    en = sum(w in _EN for w in words)
    if max(fr, en) < max(1, len(words) // 20):
        return "other"
    return "fr" if fr > en else "en"
