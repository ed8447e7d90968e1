"""Small text helpers the taggers share: the sentence span that holds a character (spans come
from the segmenter) and a cheap English/French guess."""

from __future__ import annotations

from functools import lru_cache

import re

import numpy as np

_WORD = re.compile(r"[a-zà-ÿ']+")
_FR = frozenset("le la les des du une est et à au aux dans pour sur par que qui avec ne pas ses leur "
                "été sont cette ces nous vous il elle l' d' qu' n'".split())
_EN = frozenset("the of and to in is are was were for on with that this by be as at from which has "
                "have it its an or not their".split())


@lru_cache(maxsize=4096)  # the tag path asks it of the same passage in several stages
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


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span among sorted ``spans`` that holds (or last starts before) character ``pos``."""
    starts = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
    return spans[max(0, int(np.searchsorted(starts, pos, side="right")) - 1)]
