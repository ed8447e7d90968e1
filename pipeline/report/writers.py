"""Coverage tables as CSV, XLSX, JSON, or a table for the terminal.

Each writer returns the content (text or bytes); the command line writes it to a file or stdout.
"""

from __future__ import annotations

import io
import json
import math

import pandas as pd

from pipeline.cells import guard_frame
from pipeline.coverage import CoverageResult

FORMATS = ("table", "csv", "xlsx", "json")
# Terminal headers: short, so the table fits 80 columns.
SHORT = {"passages": "pass.", "documents": "docs", "countries": "ctry", "mean_score": "score",
         "to_review": "review", "prev_passages": "prev", "change": "Δ", "doc_type": "type", "corrected": "corr.",
         "corrected_low": "low", "corrected_high": "high", "corrected_basis": "basis"}


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings, floats rounded: the same values in every format."""
    out = df.copy()
    for col in ("first", "last"):
        if col in out:
            out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d").astype("object").where(out[col].notna(), None)
    for col in ("share", "mean_score"):
        if col in out:
            out[col] = out[col].astype(float).round(4)
    return out


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with ``None`` for missing values (JSON has no NaN)."""
    rows = _plain(df).to_dict(orient="records")
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in rows]


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _meta(result: CoverageResult) -> dict:
    sl = result.slice
    return {
        "model_id": result.model_id, "level": result.level, "by": result.by, "period": result.period,
        "countries": list(sl.countries), "doc_types": list(sl.doc_types),
        "from": sl.start.isoformat() if sl.start else None, "to": sl.end.isoformat() if sl.end else None,
    }


def to_csv(result: CoverageResult) -> str:
    """The coverage table (without grouping, the ``gap`` column marks the gaps)."""
    return guard_frame(_plain(result.table)).to_csv(index=False)


def to_json(result: CoverageResult) -> str:
    """``{"meta", "summary", "coverage", "gaps"}`` as one JSON object."""
    data = {"meta": _meta(result), "summary": result.summary,
            "coverage": records(result.table), "gaps": records(result.gaps)}
    return json.dumps(data, ensure_ascii=False, indent=1)


def to_xlsx(result: CoverageResult) -> bytes:
    """A workbook with the sheets coverage, gaps and summary."""
    buf = io.BytesIO()
    summary = pd.DataFrame([{"key": k, "value": "" if v is None else str(v)}
                            for k, v in {**_meta(result), **result.summary}.items()])
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        guard_frame(_plain(result.table)).to_excel(xl, sheet_name="coverage", index=False)
        guard_frame(_plain(result.gaps)).to_excel(xl, sheet_name="gaps", index=False)
        guard_frame(summary).to_excel(xl, sheet_name="summary", index=False)
    return buf.getvalue()


def to_rich(result: CoverageResult, max_title: int = 48):
    """A rich Table of the coverage rows for the terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    df = _plain(result.table)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, padding=(0, 1))
    numeric = {"passages", "documents", "countries", "share", "mean_score", "to_review", "prev_passages", "change",
               "corrected", "corrected_low", "corrected_high"}
    cols = [c for c in df.columns if c != "level"]
    for col in cols:
        values = df[col].astype(str)
        width = max(len(SHORT.get(col, col)), int(values.str.len().fillna(0).max()) if len(values) and col != "title" else 0)
        table.add_column(SHORT.get(col, col), justify="right" if col in numeric else "left",
                         no_wrap=col != "title", min_width=16 if col == "title" else min(width, 10), ratio=1 if col == "title" else None)
    for row in df.itertuples(index=False):
        values = row._asdict()
        cells = []
        for col in cols:
            v = values[col]
            if _missing(v):
                cells.append("")
            elif col == "share":
                cells.append(f"{v:.0%}")
            elif col == "title":
                cells.append(v if len(v) <= max_title else v[: max_title - 1] + "…")
            elif isinstance(v, float):
                cells.append(f"{v:.2f}" if col == "mean_score" else f"{v:g}")
            else:
                cells.append(str(v))
        # Text, not str: a title with [brackets] must not be read as rich markup.
        table.add_row(*(Text(c) for c in cells), style="red" if values.get("gap") == "none" else None)
    return table
