"""One guard for every spreadsheet cell aptag writes (CSV and XLSX): a text cell that starts with
``= + - @``, a tab or a carriage return is written with a leading ``'``, so that Excel or LibreOffice
shows it as text instead of running it as a formula (OWASP, "CSV Injection"). Readers of aptag's own
files take the ``'`` off again with :func:`unguard_cell`."""

from __future__ import annotations

from typing import Any

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NOTE = ("text cells starting with = + - @, a tab or a carriage return are written with a leading ' "
        "(spreadsheet formula guard); remove that one character to get the text back")


def guard_cell(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(TRIGGERS) else value


def unguard_cell(value: Any) -> Any:
    return value[1:] if isinstance(value, str) and value.startswith("'") and value[1:].startswith(TRIGGERS) else value


def guard_record(record: dict) -> dict:
    return {k: guard_cell(v) for k, v in record.items()}


def guard_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its text columns guarded (numbers and dates untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(guard_cell)
    return out
