"""Document metadata from content: doc_type, partner country, date, language, title.

Every detector returns ``"unknown"`` (or ``None`` for the date) when the evidence is weak: a wrong
country or type silently skews coverage, an unknown one is visible and can be set by the user
(``aptag ingest --country``, or a ``<file>.meta.yaml`` sidecar). What the container states outright
(an e-mail's Subject and Date headers, a PDF's title) beats what is inferred from the text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Collection

from pipeline.errors import IngestError

DOC_TYPES = ("minutes", "demarche", "report", "statement", "other", "unknown")
LANGUAGES = ("en", "fr", "other", "unknown")
FIELDS = ("doc_type", "country", "date", "language", "title")
UNKNOWN = "unknown"

# --- language -------------------------------------------------------------------------------------
_STOPWORDS = {
    "en": set("the and of to in is that for on with as by was were be are this it from at which has have not an "
              "or its their would will also been should".split()),
    "fr": set("le la les des du de et est un une que qui dans pour sur par au aux avec ce cette sont été ont il "
              "elle ne pas se plus l d qu leur".split()),
    "es": set("el los las del de la y que en por con para una es se lo como más pero sus".split()),
    "de": set("der die das und ist nicht mit den dem von zu ein eine auf für sich auch werden wurde".split()),
    "it": set("il di che è per non una sono della del nel gli alla anche come la in e".split()),
    "pt": set("o os as do da dos das de e que em para com uma não por ao se mais".split()),
    "nl": set("de het een en van is dat niet op te zijn met voor ook door wordt".split()),
}
_WORD = re.compile(r"[^\W\d_]+")
_LANGS = tuple(_STOPWORDS)
_WORD_LANGS: dict[str, list[int]] = {}  # word -> the languages it is a stopword of, for one pass over the text
for _i, _lang in enumerate(_LANGS):
    for _w in _STOPWORDS[_lang]:
        _WORD_LANGS.setdefault(_w, []).append(_i)


def detect_language(text: str, min_words: int = 5) -> str:
    """en | fr | other | unknown, by the share of each language's commonest words."""
    words = _WORD.findall(text[:5000].lower())
    if len(words) < min_words:
        return UNKNOWN
    counts = [0] * len(_LANGS)
    for word in words:
        for i in _WORD_LANGS.get(word, ()):
            counts[i] += 1
    best = max(range(len(_LANGS)), key=counts.__getitem__)  # ties go to the first: en, then fr
    if counts[best] < 0.08 * len(words):
        return "other"
    return _LANGS[best] if _LANGS[best] in ("en", "fr") else "other"


# --- dates ----------------------------------------------------------------------------------------
_MONTHS = {
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"], start=1)},
    **{m: i for i, m in enumerate(["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                   "septembre", "octobre", "novembre", "décembre"], start=1)},
    "fevrier": 2, "aout": 8, "decembre": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "janv": 1, "févr": 2, "avr": 4, "juil": 7,
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE_PATTERNS = [
    # 12 March 2024, 1er mars 2024, 12th of March, 2024
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?(?:\s+of)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), "dmy"),
    # March 12, 2024
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    # 12/03/2024 and 12.03.2024: day first, as written in Europe
    (re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"), "dmy_num"),
]
_DATE_LABEL = re.compile(r"(?im)(?:\bdated?\b[^:\n]{0,20}:|^\W*(?:dated|sent|le|fait à [^,\n]+, le)\b)\s*")


def _build_date(kind: str, groups: tuple[str, ...]) -> dt.date | None:
    try:
        if kind == "dmy":
            day, month, year = int(groups[0]), _MONTHS[groups[1].lower()], int(groups[2])
        elif kind == "mdy":
            month, day, year = _MONTHS[groups[0].lower()], int(groups[1]), int(groups[2])
        elif kind == "ymd":
            year, month, day = (int(g) for g in groups)
        else:
            day, month, year = (int(g) for g in groups)
        if not 1945 <= year <= 2100:
            return None
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        return None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every valid date in the text, with its offset, in order of appearance."""
    found: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            date = _build_date(kind, m.groups())
            if date:
                found.append((m.start(), date))
                taken.append(m.span())
    return sorted(found)


def parse_date(value: Any) -> dt.date:
    """A user-given date: ISO (2024-03-12) or any form :func:`find_dates` knows ("12 mars 2024")."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    dates = find_dates(str(value).strip())
    if not dates:
        raise IngestError(f"Date {value!r} not understood: expected e.g. 2024-03-12, 12 March 2024, 12 mars 2024 "
                          "or 12/03/2024.")
    return dates[0][1]


def detect_date(text: str, head_chars: int = 2000) -> dt.date | None:
    """The document's own date: a labelled date ("Date: ...") first, else the first date near the top.

    Dates further down are events the document reports on, not its date.
    """
    head = text[:head_chars]
    for label in _DATE_LABEL.finditer(head):
        line_end = head.find("\n", label.end())
        dates = find_dates(head[label.end(): line_end if line_end >= 0 else None])
        if dates:
            return dates[0][1]
    dates = find_dates(head)
    return dates[0][1] if dates else None


# --- document type --------------------------------------------------------------------------------
# (pattern, weight): strong signals name the genre; weak ones are typical of it.
_TYPE_SIGNALS: dict[str, list[tuple[str, int]]] = {
    "minutes": [
        (r"\bminutes\b", 3), (r"\bhuman rights dialogue\b", 3), (r"\bsub-?committee\b", 2), (r"\bconsultations\b", 1),
        (r"\bprocès-verbal\b", 3), (r"\bcompte[- ]rendu\b", 3), (r"\bdialogue (?:sur les )?droits de l'homme\b", 3),
        (r"\bsous-comité\b", 2), (r"\b(?:participants|attendees|present)\s*:", 1), (r"\bagenda item\b", 1),
        (r"\bthe (?:meeting|dialogue) (?:opened|closed|took place)\b", 1), (r"\bco-?chair", 1),
        (r"\bsummary record\b", 2), (r"\bordre du jour\b", 1), (r"\bnext round\b", 1),
    ],
    "demarche": [
        (r"\bd[ée]marche\b", 3), (r"\bunder instructions?\b", 3), (r"\bsur instructions?\b", 3),
        (r"\btalking points\b", 1), (r"\béléments de langage\b", 1), (r"\bdemarched\b", 3),
        (r"\b(?:conducted|delivered|carried out) (?:a|the) d[ée]marche\b", 2),
    ],
    "report": [
        (r"\bcountry (?:report|update|strategy)\b", 3), (r"\bannual report\b", 3), (r"\bsituation report\b", 3),
        (r"\brapport (?:annuel|pays|sur la situation)\b", 3), (r"\bexecutive summary\b", 1), (r"\boverview\b", 1),
        (r"\btrial observation\b", 1), (r"\bobservation (?:du|de) procès\b", 2), (r"\breport\b", 1), (r"\brapport\b", 1),
        (r"\boutlook\b", 1),
    ],
    "statement": [
        (r"\bstatement\b", 2), (r"\bdéclaration\b", 2), (r"\bon behalf of the (?:eu|european union)\b", 3),
        (r"\bau nom de l'(?:ue|union européenne)\b", 3), (r"\bspokesperson\b", 3), (r"\bporte-parole\b", 3),
        (r"\bhigh representative\b", 1), (r"\bhaut représentant\b", 1),
        (r"\bthe (?:eu|european union) (?:calls on|urges|welcomes|condemns|deplores|regrets|reiterates)\b", 1),
        (r"\bl'(?:ue|union européenne) (?:appelle|demande|salue|condamne|déplore|regrette|réitère)\b", 1),
    ],
}
# (doc_type, weight, regex, words): a signal's regex only runs when one of its words occurs in the
# lower-cased text, a plain substring test that rules out most signals for most documents.
_SIGNALS = [(doc_type, weight, re.compile(pattern, re.I),
             re.findall(r"[a-zà-ÿ]{4,}", re.sub(r"\\[a-zA-Z]", " ", pattern)))
            for doc_type, sigs in _TYPE_SIGNALS.items() for pattern, weight in sigs]


def detect_doc_type(text: str, title: str = "") -> str:
    """minutes | demarche | report | statement, or unknown when no genre clearly dominates.

    The title and the top of the document say what a document is; the body mostly says what
    happened, so a signal there counts three times, and body hits are capped per signal.
    """
    head, body = f"{title}\n{text[:600]}", text[600:20000]
    lowered = (head + "\n" + body).lower()
    scores = dict.fromkeys(_TYPE_SIGNALS, 0)
    for doc_type, weight, pattern, words in _SIGNALS:
        if any(word in lowered for word in words):
            scores[doc_type] += weight * (3 * min(len(pattern.findall(head)), 2) + min(len(pattern.findall(body)), 3))
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 6 or top < 1.25 * second:
        return UNKNOWN
    return best


# --- country --------------------------------------------------------------------------------------
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+(?:[ \t]+(?:and[ \t]+|et[ \t]+)?[A-ZÀ-ÖØ-Þ][\w'’\-]+){0,2}"
_STATE = (r"(?:(?:Federal |Democratic |Islamic |People's |Socialist |United |Arab )?(?:Republic|Kingdom|Federation|"
          r"Principality|Sultanate|Emirate|Grand Duchy|State|Commonwealth) of (?:the )?)")
_ETAT = (r"(?:(?:République|Royaume|Principauté|Fédération|Sultanat|Émirat|État)(?: [a-zé]+)? "
         r"(?:du |de la |de l'|des |de |d'))")
_COUNTRY_PATTERNS = [re.compile(p) for p in (
    rf"\b{_STATE}({_NAME})",
    rf"\b{_ETAT}({_NAME})",
    rf"\b(?:EU|UE)[-–‑]({_NAME})",
    rf"\b(?:Delegation|Embassy|Ambassador|Head of Mission|Government|authorities|President|Parliament|Ministry "
    rf"of Foreign Affairs) (?:of the European Union |of the EU )?(?:to|in|of) (?:the )?{_STATE}?({_NAME})",
    rf"\b(?:Délégation|Ambassade|gouvernement|autorités)(?: de l'Union européenne| de l'UE)? "
    rf"(?:en |au |aux |à |de |du |d'|de la |auprès de la |auprès du ){_ETAT}?({_NAME})",
    rf"\b(?:[Dd]ialogue|[Cc]onsultations) (?:with|avec) (?:the |le |la |l')?{_STATE}?({_NAME})",
    rf"(?m)^\W*(?:Partner country|Country|Pays(?: partenaire)?)\s*:\s*{_STATE}?({_NAME})",
)]
_TITLE_COUNTRY = re.compile(rf"^({_NAME})\s*:\s")
_NOT_COUNTRY = {
    "eu", "ue", "european", "union", "the", "le", "la", "human", "rights", "droits", "member", "states", "un",
    "united nations", "council", "commission", "foreign", "affairs", "justice", "interior", "delegation",
    "ministry", "statement", "declaration", "déclaration", "minutes", "report", "rapport", "démarche",
    "demarche", "summary", "résumé", "subject", "objet", "date", "high", "representative", "spokesperson",
    "local", "joint",
}
_TAIL_STOP = {"Human", "Rights", "Dialogue", "Subcommittee", "Sub-Committee", "Committee", "Council", "Summit",
              "Joint", "Association", "Cooperation", "Partnership", "Agreement", "Relations", "Consultations",
              "Meeting", "Delegation", "Government", "Ministry", "Statement", "Dialogue", "Mr", "Ms", "Mrs", "On"}


_CAP_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*")


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[str]], dict[str, str], set[str]]:
    """Names indexed by their first word: one dict lookup per capitalised word in the text is far
    faster than a 400-way regex alternation."""
    from pipeline.ingest.countries import EU_MEMBERS, country_names

    names = country_names()
    index: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        index.setdefault(_CAP_WORD.match(name).group(0), []).append(name)
    return index, names, EU_MEMBERS


def _known_countries(text: str, index: dict[str, list[str]]) -> list[str]:
    found = []
    covered = 0  # "Papua New Guinea" must not also count as "Guinea"
    for m in _CAP_WORD.finditer(text):
        if m.start() < covered:
            continue
        for name in index.get(m.group(0), ()):
            end = m.start() + len(name)
            if text.startswith(name, m.start()) and not (end < len(text) and (text[end].isalnum() or text[end] == "-")):
                found.append(name)
                covered = end
                break
    return found


def _trim(candidate: str) -> str:
    words = candidate.split()
    for i, word in enumerate(words):
        if word in _TAIL_STOP:
            words = words[:i]
            break
    return " ".join(words).strip(" -–'’")


def detect_country(text: str, title: str = "") -> str:
    """The partner country, or unknown.

    Patterns that name a partner ("EU Delegation to the Republic of X", "EU-X Human Rights
    Dialogue", "République du X") find fictional and real countries alike; mentions of known
    countries add to the evidence, EU member states much less than others.
    """
    index, names, eu = _gazetteer()
    scores: dict[str, float] = {}
    sample = text[:50000]

    def add(name: str, weight: float) -> None:
        name = _trim(name)
        if len(name) < 3 or name.lower() in _NOT_COUNTRY or not name[0].isupper():
            return
        canonical = names.get(name, name)
        scores[canonical] = scores.get(canonical, 0.0) + weight * (0.25 if canonical in eu else 1.0)

    def add_at(source: str, m: re.Match, weight: float) -> None:
        # a known name may run past what the pattern caught: "Côte" of "Côte d'Ivoire"
        known = _known_countries(source[m.start(1):m.start(1) + 60], index)
        add(known[0] if known and source.startswith(known[0], m.start(1)) else m.group(1), weight)

    for source, weight in ((title, 4.0), (sample, 3.0)):
        for regex in _COUNTRY_PATTERNS:
            for m in regex.finditer(source):
                add_at(source, m, weight)
    m = _TITLE_COUNTRY.match(title)
    if m:
        add_at(title, m, 4.0)
    for name in _known_countries(sample, index):
        add(name, 1.0)
    # A country already found by a pattern also gains from its plain mentions (fictional names
    # are not in the gazetteer).
    for name in [n for n in scores if n not in names.values()]:
        scores[name] += len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sample)) * 0.5
    if not scores:
        return UNKNOWN
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3.0 else UNKNOWN


# --- title ----------------------------------------------------------------------------------------
def detect_title(text: str, headings: list[str], fallback: str) -> str:
    """The first heading, else a short first line, else the file name."""
    for heading in headings[:1]:
        if 3 <= len(heading) <= 200:
            return heading
    first = text.lstrip().split("\n", 1)[0].strip()
    if 3 <= len(first) <= 150:
        return first
    return fallback


# --- all together ---------------------------------------------------------------------------------
def detect_metadata(text: str, headings: list[str], hints: dict[str, str], name: str,
                    known: Collection[str] = ()) -> dict[str, Any]:
    """doc_type, country, date (a date or None), language and title of one document; the fields in
    ``known`` (given by the user: a table column, a flag) are left None, not detected."""
    title = hints.get("title") or detect_title(text, headings, name)
    date = None
    if hints.get("date"):
        date = parse_date(hints["date"])
    detectors = {
        # an HTML lang attribute is often a template default, so it only fills a gap
        "language": lambda: _or_hint(detect_language(text), hints.get("language"), LANGUAGES),
        "date": lambda: date or detect_date(text),
        "doc_type": lambda: detect_doc_type(text, title),
        "country": lambda: detect_country(text, title),
    }
    return {"title": title, **{field: None if field in known else detect() for field, detect in detectors.items()}}


def _or_hint(detected: str, hint: str | None, allowed: tuple[str, ...]) -> str:
    return hint if detected == UNKNOWN and hint in allowed else detected


def validate_overrides(values: dict[str, Any], source: str) -> dict[str, Any]:
    """Check user-given metadata (CLI flags or a sidecar file) and put it in stored form."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in FIELDS:
            raise IngestError(f"{source}: unknown metadata field {key!r}; expected one of {', '.join(FIELDS)}.")
        if key == "doc_type":
            value = str(value).strip().lower().replace("é", "e")
            if value not in DOC_TYPES:
                raise IngestError(f"{source}: doc_type {value!r} is not one of {', '.join(DOC_TYPES)}.")
        elif key == "language":
            value = str(value).strip().lower()
            if value not in LANGUAGES:
                raise IngestError(f"{source}: language {value!r} is not one of {', '.join(LANGUAGES)}.")
        elif key == "date":
            try:
                value = parse_date(value)
            except IngestError as exc:
                raise IngestError(f"{source}: {exc}") from None
        else:
            value = str(value).strip()
        out[key] = value
    return out
