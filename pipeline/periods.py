"""Slices and periods: which part of the evidence a table or report covers (countries, document
types, dates, who said it) and the month / quarter / year periods it is counted in. Period ordinals
are running numbers (consecutive periods differ by one); :func:`period_start` is the one decoder of
an ordinal, and :func:`period_label` and :func:`label_ordinal` turn ordinals into labels and back."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

PERIODS = ("month", "quarter", "year")
UNDATED = "undated"

@dataclass(frozen=True)
class Slice:
    """A selection of the evidence: countries, document types, an inclusive date range, and who
    said the evidence sentence (actors, acts; see pipeline/actors.py). Empty tuples and ``None``
    bounds select everything."""

    countries: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    actors: tuple[str, ...] = ()
    acts: tuple[str, ...] = ()

    @property
    def is_all(self) -> bool:
        return not (self.countries or self.doc_types or self.start or self.end or self.actors or self.acts)

    def describe(self) -> str:
        parts = []
        if self.countries:
            parts.append("country " + ", ".join(self.countries))
        if self.doc_types:
            parts.append("type " + ", ".join(self.doc_types))
        if self.start or self.end:
            parts.append(f"dates {self.start or '…'} to {self.end or '…'}")
        if self.actors:
            parts.append("said by " + ", ".join(self.actors))
        if self.acts:
            parts.append("act " + ", ".join(self.acts))
        return "; ".join(parts) or "everything"


_BOUND = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{1,2}))(?:-(\d{1,2}))?)?$", re.IGNORECASE)


def parse_bound(text: str, *, end: bool = False) -> date:
    """A date bound from ``2023``, ``2023-Q2``, ``2023-05`` or ``2023-05-17``: the first day of
    that span, or its last day when ``end``. Raises ValueError naming the accepted forms."""
    m = _BOUND.match(text.strip())
    if not m or (m.group(2) and m.group(4)):
        raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (e.g. 2023-Q2).")
    year, quarter, month, day = int(m.group(1)), m.group(2), m.group(3), m.group(4)
    try:
        if day:
            return date(year, int(month), int(day))
        if quarter:
            first, last = 3 * int(quarter) - 2, 3 * int(quarter)
        elif month:
            first = last = int(month)
        else:
            first, last = 1, 12
        if end:
            return date(year, last, calendar.monthrange(year, last)[1])
        return date(year, first, 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date (month 1-12, day within the month).") from None


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of the same length just before ``[start, end]``: whole months shift by months
    (so a quarter's predecessor is the previous quarter), anything else by days."""
    prev_end = start - timedelta(days=1)
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months:
        months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
        index = start.year * 12 + start.month - 1 - months
        return date(index // 12, index % 12 + 1, 1), prev_end
    return prev_end - timedelta(days=(end - start).days), prev_end


def period_ordinals(dates: pd.Series, period: str) -> pd.Series:
    """A running number per month, quarter or year (consecutive periods differ by one); NaN when undated."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    d = pd.to_datetime(dates)
    if period == "year":
        return d.dt.year.astype("float64")
    if period == "quarter":
        return (d.dt.year * 4 + (d.dt.month - 1) // 3).astype("float64")
    return (d.dt.year * 12 + d.dt.month - 1).astype("float64")


def period_start(ordinal: float, period: str) -> date:
    """The first day of the period with this ordinal (the inverse of :func:`period_ordinals`)."""
    n = int(ordinal)
    if period == "year":
        return date(n, 1, 1)
    if period == "quarter":
        return date(n // 4, 3 * (n % 4) + 1, 1)
    return date(n // 12, n % 12 + 1, 1)


def period_label(ordinal: float, period: str) -> str:
    """``2023``, ``2023-Q2`` or ``2023-05`` for a period ordinal; ``undated`` for NaN."""
    if ordinal != ordinal:  # NaN
        return UNDATED
    first = period_start(ordinal, period)
    if period == "year":
        return f"{first.year}"
    if period == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"


def in_slice(frame: pd.DataFrame, sl: Slice) -> pd.Series:
    """Boolean mask of the rows (with ``country, doc_type, date``) inside the slice."""
    mask = pd.Series(True, index=frame.index)
    if sl.countries:
        mask &= frame["country"].isin(sl.countries)
    if sl.doc_types:
        mask &= frame["doc_type"].isin(sl.doc_types)
    if sl.start:
        mask &= frame["date"] >= pd.Timestamp(sl.start)
    if sl.end:
        mask &= frame["date"] <= pd.Timestamp(sl.end)
    for col, wanted in (("actor", sl.actors), ("act", sl.acts)):
        if wanted and col in frame:
            mask &= frame[col].isin(wanted)
    return mask


def label_ordinal(label: str, period: str) -> float:
    """The ordinal of a :func:`period_label` (NaN for ``undated``)."""
    if label == UNDATED:
        return np.nan
    if period == "year":
        return float(label)
    if period == "quarter":
        y, q = label.split("-Q")
        return float(int(y) * 4 + int(q) - 1)
    y, m = label.split("-")
    return float(int(y) * 12 + int(m) - 1)
