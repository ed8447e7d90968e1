"""Redaction of people at risk: person names, e-mail addresses, phone numbers and passport or ID
numbers become stable pseudonyms (``[PERSON_1]``, ``[EMAIL_1]``, ``[PHONE_1]``, ``[ID_1]``).

No model weights: names come from the cues in :mod:`pipeline.export.cues` and from the user's own
list. A :class:`Redactor` is fitted on the whole export first, so a name found once (with a cue)
is redacted everywhere in the export, also without a cue and by its surname or given name alone,
and one person keeps one number ("Mr. Tomas Keller", "Tomas Keller", "Keller" -> ``[PERSON_1]``).
Each :class:`Redacted` text carries its replacements, to move character offsets (evidence spans)
from the original text to the redacted one.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import permutations
from typing import Iterable

import regex

from pipeline.export import cues

CATEGORIES = ("PERSON", "EMAIL", "PHONE", "ID")

EMAIL = regex.compile(
    r"(?<![\w.+\-])[\w.+\-]+(?:@|[ \t]*(?:\[at\]|\(at\)|\{at\}|\[@\]|\(@\))[ \t]*)[\w\-]+"
    r"(?:(?:\.|[ \t]*(?:\[dot\]|\(dot\))[ \t]*)[\w\-]+)+"
)
PHONE = regex.compile(
    r"(?<![\w+/.\-])(?:"
    r"(?:\+|00)\d{1,3}[ \t.\-]?(?:\(\d{1,4}\)[ \t.\-]?)?\d{1,4}(?:[ \t.\-]?\d{1,4}){1,6}"
    r"|\(\+?\d{1,4}\)[ \t]?\d{2,4}(?:[ \t.\-]?\d{2,4}){1,5}"
    r"|0\d(?:[ \t.\-]?\d{2}){4}"
    r"|\d{3}[\-.]\d{3}[\-.]\d{4}"
    r")(?!\w)"
)
PHONE_AFTER_WORD = regex.compile(
    r"(?i:(?<!\p{L})(?:tel|tél|phone|telephone|téléphone|mobile|portable|cell|whatsapp|signal|fax|gsm))\.?"
    r"[ \t]*(?:no\.?|n°|number|numéro)?[ \t]*:?[ \t]*(?P<v>\+?[\d(][\d \t().\-]{5,}\d)"
)
_ID_VALUE = r"(?:[A-Z]{1,3}[ \-]?)?\d(?:\d|[ \-](?=\d)){4,24}"
ID_AFTER_WORD = regex.compile(
    r"(?i:(?<!\p{L})(?:passports?|passeports?|identity\s+(?:card|document)|id\s+card|national\s+id(?:entity)?"
    r"(?:\s+card)?|carte\s+(?:nationale\s+)?d['’]identit[ée]|pi[èe]ce\s+d['’]identit[ée]|cni|nin|id|"
    r"residence\s+permit|titre\s+de\s+s[ée]jour|matricule)(?!\p{L}))"
    rf"(?:[ \t]+[^\s\d]{{1,12}}){{0,4}}?[ \t]*[:=]?[ \t]*(?P<v>{_ID_VALUE})"
)
ID_SHAPE = regex.compile(r"(?<![\w\-/])[A-Z]{1,2}\d{6,9}(?![\w\-/])")  # passport-like: AB1234567


class _FoldTable(dict):
    """Character -> its folded character, filled on first use (for ``str.translate``)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        c = unicodedata.normalize("NFKD", ch)[:1].lower()[:1] or ch
        self[code] = c = "'" if c == "’" else "-" if c in "‐‑–—" else c
        return c


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accents and apostrophe/hyphen variants removed, the same length as ``text``
    (so offsets found in the folded text hold in the original)."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class NameSpan:
    """A person's name found in a text: its span, its words (folded, particles left out) and the cue."""

    start: int
    end: int
    words: tuple[str, ...]
    cue: str


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    category: str
    pseudonym: str
    new_start: int

    @property
    def new_end(self) -> int:
        return self.new_start + len(self.pseudonym)


@dataclass
class Redacted:
    """A redacted text and how it was made."""

    original: str
    text: str
    replacements: list[Replacement] = field(default_factory=list)

    def offset(self, pos: int, *, end: bool = False) -> int:
        """Where original offset ``pos`` lies in the redacted text. An offset inside a replaced
        span moves to the start of its pseudonym (``end=False``) or to its end (``end=True``), so
        a span that covered part of a name covers the whole pseudonym."""
        shift = 0
        for r in self.replacements:
            if pos <= r.start:
                break
            if pos < r.end:
                return r.new_end if end else r.new_start
            shift += len(r.pseudonym) - (r.end - r.start)
        return pos + shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        """An original ``[start, end)`` span moved into the redacted text."""
        return self.offset(start), self.offset(end, end=True)


# --- contacts ---------------------------------------------------------------------------------
def find_contacts(text: str) -> list[tuple[int, int, str, str]]:
    """E-mail addresses, phone numbers and ID numbers: (start, end, category, key), not overlapping."""
    found: list[tuple[int, int, str, str]] = []
    for m in EMAIL.finditer(text):
        key = regex.sub(r"\s+", "", fold(m.group()))
        key = regex.sub(r"\[at\]|\(at\)|\{at\}|\[@\]|\(@\)", "@", regex.sub(r"\[dot\]|\(dot\)", ".", key))
        found.append((m.start(), m.end(), "EMAIL", key))
    for m in ID_AFTER_WORD.finditer(text):
        if sum(c.isdigit() for c in m.group("v")) >= 5:
            found.append((m.start("v"), m.end("v"), "ID", regex.sub(r"[^0-9A-Z]", "", m.group("v"))))
    for m in ID_SHAPE.finditer(text):
        found.append((m.start(), m.end(), "ID", m.group()))
    for m in PHONE_AFTER_WORD.finditer(text):
        s, e = m.span("v")
        while e > s and not text[e - 1].isdigit():
            e -= 1
        found.append((s, e, "PHONE", regex.sub(r"\D", "", text[s:e])))
    for m in PHONE.finditer(text):
        found.append((m.start(), m.end(), "PHONE", regex.sub(r"\D", "", m.group())))
    found = [f for f in found if f[2] != "PHONE" or 7 <= len(f[3]) <= 15]
    return _non_overlapping(found)


def _non_overlapping(spans: list[tuple]) -> list[tuple]:
    """Keep spans in order of preference (their order in the list, then longer first), dropping any
    that overlaps a span already kept."""
    kept: list[tuple] = []
    for s in spans:
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


# --- person names found by cues ---------------------------------------------------------------
_STOP = frozenset(fold(w) for w in cues.STOP)


def _countries() -> frozenset[str]:
    from pipeline.ingest.countries import country_names

    return frozenset(" ".join(fold(n).replace("-", " ").split()) for n in country_names())


_COUNTRIES = _countries()
_ROMAN = regex.compile(r"[IVXLC]{2,}")


def _is_break(word: str) -> bool:
    """A capitalised word that cannot be part of a name: a stop word (or its plural), an honorific
    or a role."""
    w = fold(word)
    return (w in _STOP or (w.endswith("s") and w[:-1] in _STOP) or _ROMAN.fullmatch(word) is not None
            or cues.HONORIFIC_WORD.fullmatch(word) is not None or cues.ROLE_WORD.fullmatch(word) is not None)


def _segments(text: str, start: int, end: int) -> list[tuple[int, int, tuple[str, ...], int]]:
    """The name candidates in a run of capitalised words: (start, end, words, n_words)."""
    out = []
    current: list = []

    def close() -> None:
        while current and current[-1].lastgroup == "particle":
            current.pop()
        words = [m for m in current if m.lastgroup == "word"]
        if words:
            out.append((start + current[0].start(), start + current[-1].end(),
                        tuple(" ".join(fold(m.group()).split()) for m in current), len(words)))
        current.clear()

    for m in cues.TOKEN.finditer(text[start:end]):
        after_word = bool(current) and current[-1].lastgroup == "word"
        if m.lastgroup == "word" and _is_break(m.group()) or m.lastgroup == "initial" and not after_word and \
                cues.HONORIFIC_WORD.fullmatch(m.group()):  # "M. Dupont", but "Kevin M. Gorey"
            close()
        elif m.lastgroup == "particle" and not current:
            continue
        else:
            current.append(m)
    close()
    return out


def _header_names(text: str) -> list[NameSpan]:
    """Names in From:/To:/Cc: (De :/À :) lines: the text before an address, quoted or not."""
    out = []
    for h in cues.HEADER.finditer(text):
        base = h.start("value")  # "Keller, Tomas" in quotes is one name; unquoted commas separate names
        for piece in regex.finditer(r'"[^"\n]*"|[^,;"]+', h.group("value")):
            raw = piece.group()
            cut = min([i for i in (raw.find("<"), raw.find("["), raw.find("("), raw.find("@")) if i >= 0],
                      default=len(raw))
            s0 = base + piece.start()
            region = text[s0:s0 + cut]
            segs = [seg for run in cues.RUN.finditer(region)
                    for seg in _segments(text, s0 + run.start(), s0 + run.end())]
            words = [w for seg in segs for w in seg[2]]
            # Every capitalised word of the piece must belong to the name ("Délégation UE" is no one).
            if not segs or len(words) > 5 or any(
                    _is_break(m.group()) for m in cues.TOKEN.finditer(region) if m.lastgroup == "word"):
                continue
            out.append(NameSpan(segs[0][0], segs[-1][1], tuple(words), "header"))
    return out


def _about_people(text: str, start: int, end: int) -> bool:
    """A list item speaks of people when the text before it, or its own line, has a role, an arrest
    verb or a word such as "persons" ("- Abebe Girma – detained since 2022")."""
    if cues.PEOPLE.search(text, 0, start):
        return True
    line_end = text.find("\n", end)
    return cues.PEOPLE.search(text, end, len(text) if line_end < 0 else line_end) is not None


def find_person_names(text: str) -> list[NameSpan]:
    """The person names that a cue marks in ``text``, in order, not overlapping."""
    cands = [seg for run in cues.RUN.finditer(text) for seg in _segments(text, run.start(), run.end())
             if " ".join(w.replace("-", " ") for w in seg[2]) not in _COUNTRIES]
    state = []
    for s, e, words, n in cands:
        before, after = text[max(0, s - 120):s], text[e:e + 120]
        if cues.LEFT_STRONG.search(before) or cues.RIGHT_STRONG.match(after):
            cue = "strong"
        elif n >= 2 and (cues.LEFT_WEAK.search(before) or cues.RIGHT_WEAK.match(after)
                         or (cues.BULLET.search(before) and _about_people(text, s, e))):
            cue = "weak"
        else:
            cue = ""
        state.append([s, e, words, n, cue])
    changed = True
    while changed:  # names joined to an accepted name by "and", "et", ",", ";"
        changed = False
        for a, b in zip(state, state[1:]):
            if bool(a[4]) == bool(b[4]) or not cues.JOIN.match(text[a[1]:b[0]]):
                continue
            todo, done = (b, a) if a[4] else (a, b)
            if todo[3] >= 2 or done[4] == "strong":
                todo[4] = done[4]  # a list is as sure as the cue of the name it hangs on
                changed = True
    found = [NameSpan(s, e, words, cue) for s, e, words, n, cue in state if cue]
    spans = [(n.start, n.end, n) for n in _header_names(text) + found]
    return [t[2] for t in _non_overlapping(spans)]


# --- the redactor -----------------------------------------------------------------------------
_PARTICLES = frozenset(cues.PARTICLES) | {w for p in cues.PARTICLES for w in p.split()}
_TEXT_WORD = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’\-]*")
_NAME_SEP = regex.compile(r"^(?:[ \t\u00a0]+|,[ \t\u00a0]*)$")
_ELISION = regex.compile(r"^[dlDL]['’]\p{Lu}")  # d'Ana, l'Okafor
_POSSESSIVE = regex.compile(r"['’]s$")  # Kassab's
AMBIGUOUS = -1
_STRONG = ("strong", "header")


def _core(words: Iterable[str]) -> tuple[str, ...]:
    """The words that identify a person: no particles, no initials."""
    return tuple(w for w in words if w not in _PARTICLES and not w.endswith("."))


class Redactor:
    """Fitted on every text of one export, then :meth:`redact` each of them.

    Persons are sets of name words: two mentions are one person when one's words are a subset of
    exactly one other person's words ("Keller" and "Tomas Keller"; "KOUYATE Siaka" and
    "Siaka Kouyaté"). A word shared by several persons gets a pseudonym of its own. Only names of
    two words or more, and the user's list, are looked for beyond their cue: one word found after
    "Mr" is too weak a clue to redact that word everywhere. A surname or given name alone is looked
    for only when the full name came with a strong cue (an honorific, a role, an e-mail header):
    "Domestic Workers" before "who" must not turn every "Workers" into a person.
    """

    def __init__(self, user_names: Iterable[str] = ()):
        self.user_names = [n for n in (" ".join(str(x).split()) for x in user_names) if n]
        self.counts: Counter = Counter()
        self._mentions: list[tuple[str, ...]] = []
        self._strong: set[frozenset[str]] = set()
        self._found: dict[str, list[NameSpan]] = {}
        self._numbers: dict[tuple[str, object], int] = {}
        self._per_category: Counter = Counter()
        self._persons: dict[frozenset[str], int] = {}
        self._by_word: dict[str, set[int]] = {}
        self._aliases: dict[str, object] = {}
        self._max_len = 1

    def fit(self, texts: Iterable[str]) -> "Redactor":
        listed = [tuple(fold(w) for w in _TEXT_WORD.findall(name)) for name in self.user_names]
        self._mentions.extend(listed)
        self._strong.update(frozenset(_core(m)) for m in listed)
        for text in texts:
            if text and text not in self._found:
                self._found[text] = find_person_names(text)
                self._mentions.extend(n.words for n in self._found[text])
                self._strong.update(frozenset(_core(n.words)) for n in self._found[text] if n.cue in _STRONG)
        self._build(listed)
        return self

    def _build(self, listed: list[tuple[str, ...]]) -> None:
        cores = {frozenset(_core(m)) for m in self._mentions} - {frozenset()}
        # Largest first, so a smaller set joins the one larger person that contains it; a set inside
        # several persons ("Sangaré" for two Sangarés) stays a person of its own.
        for c in sorted(cores, key=lambda c: (-len(c), sorted(c))):
            if len(self._holders(c)) != 1:
                pid = len(self._persons)
                self._persons[c] = pid
                for w in c:
                    self._by_word.setdefault(w, set()).add(pid)
        owners: dict[str, set[int]] = {}
        for m in self._mentions:
            pid = self.person_of(m)
            for alias in self._alias_forms(m):
                owners.setdefault(alias, set()).add(pid)
        strong = {self.person_of(tuple(c)) for c in self._strong} - {AMBIGUOUS}
        for p, pid in self._persons.items():
            for w in p if len(p) >= 2 and pid in strong else ():
                if len(w) >= 3 and w not in _STOP:
                    owners.setdefault(w, set()).add(pid)
        for m in listed:
            owners.setdefault(" ".join(m), set()).add(self.person_of(m))
        self._aliases = {a: next(iter(o)) if len(o) == 1 else self._key(tuple(a.split()))
                         for a, o in owners.items()}
        self._max_len = max((len(a.split()) for a in self._aliases), default=1)

    def _holders(self, core: frozenset[str]) -> set[int]:
        """The persons whose words include all of ``core``."""
        sets = [self._by_word.get(w, set()) for w in core]
        return set.intersection(*sets) if sets else set()

    @staticmethod
    def _alias_forms(words: tuple[str, ...]) -> set[str]:
        """The word sequences that stand for a mention: its stretches of two or more words, and both
        orders of a two-word name."""
        plain = tuple(w for w in words if not w.endswith("."))
        forms = {" ".join(plain[i:j]) for i in range(len(plain)) for j in range(i + 2, len(plain) + 1)
                 if plain[i] not in _PARTICLES and plain[j - 1] not in _PARTICLES}
        core = _core(plain)
        if len(core) == 2:
            forms |= {" ".join(p) for p in permutations(core)}
        return forms

    def person_of(self, words: tuple[str, ...]) -> int:
        """The person a mention stands for (an index), or AMBIGUOUS when its words belong to several
        persons and to none exactly."""
        core = frozenset(_core(words))
        if core in self._persons:
            return self._persons[core]
        holders = self._holders(core)
        return next(iter(holders)) if len(holders) == 1 else AMBIGUOUS

    def _key(self, words: tuple[str, ...]) -> object:
        pid = self.person_of(words)
        return pid if pid != AMBIGUOUS else "w:" + " ".join(sorted(_core(words)))

    def _number(self, category: str, key: object) -> int:
        k = (category, key)
        if k not in self._numbers:
            self._per_category[category] += 1
            self._numbers[k] = self._per_category[category]
        return self._numbers[k]

    def _alias_spans(self, text: str) -> list[tuple[int, int, str, object]]:
        """Known names wherever they occur, longest first, every word but particles capitalised."""
        folded = fold(text)
        toks = []
        for m in _TEXT_WORD.finditer(text):
            s, e = m.span()
            if _ELISION.match(m.group()):
                s += 2
            if _POSSESSIVE.search(m.group()):
                e -= 2
            toks.append((s, e, folded[s:e], text[s].isupper()))
        out = []
        i = 0
        while i < len(toks):
            for n in range(min(self._max_len, len(toks) - i), 0, -1):
                group = toks[i:i + n]
                alias = " ".join(t[2] for t in group)
                if alias not in self._aliases or not all(t[3] or t[2] in _PARTICLES for t in group) or any(
                        not _NAME_SEP.match(text[a[1]:b[0]]) for a, b in zip(group, group[1:])):
                    continue
                out.append((group[0][0], group[-1][1], "PERSON", self._aliases[alias]))
                i += n - 1
                break
            i += 1
        return out

    def redact(self, text: str | None) -> Redacted:
        """``text`` with every name, address, phone and ID number replaced by its pseudonym."""
        if not text:
            return Redacted(text or "", text or "")
        spans: list[tuple] = list(find_contacts(text))
        found = self._found.get(text)
        for n in find_person_names(text) if found is None else found:
            spans.append((n.start, n.end, "PERSON", self._key(n.words)))
        spans.extend(sorted(self._alias_spans(text), key=lambda s: s[0] - s[1]))
        chosen = _non_overlapping(spans)
        parts, reps, pos, shift = [], [], 0, 0
        for s, e, category, key in chosen:
            pseudonym = f"[{category}_{self._number(category, key)}]"
            parts.append(text[pos:s])
            reps.append(Replacement(s, e, category, pseudonym, s + shift))
            parts.append(pseudonym)
            shift += len(pseudonym) - (e - s)
            pos = e
            self.counts[category] += 1
        parts.append(text[pos:])
        return Redacted(text, "".join(parts), reps)

    def distinct(self) -> dict[str, int]:
        """How many distinct persons, addresses, phones and IDs got a pseudonym."""
        return {c: self._per_category[c] for c in CATEGORIES}
