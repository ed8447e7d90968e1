"""The user's list of names to redact, kept in the workspace's ``names`` table (`aptag names`).

Patterns find most names; this list catches the people a desk officer knows are at risk and who
may appear without any cue ("Concerns were shared about Tamar Beridze")."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from pipeline.errors import ExportError


def clean_name(name: str) -> str:
    """A name with its spaces collapsed; an error for an empty one or one without letters."""
    text = " ".join(str(name).split())
    if not any(c.isalpha() for c in text):
        raise ExportError(f"{name!r} is not a name: expected letters (e.g. 'Tomas Keller').")
    return text


def add_names(ws, names: list[str], note: str | None = None) -> int:
    """Add names (already listed ones are kept as they are); returns how many were new."""
    clean = list(dict.fromkeys(clean_name(n) for n in names))
    known = {n.casefold() for n in list_names(ws)["name"]}
    new = [n for n in clean if n.casefold() not in known]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with ws.transaction():
        ws.insert_df("names", pd.DataFrame({"name": new, "note": [note] * len(new), "added_at": [now] * len(new)}))
    return len(new)


def list_names(ws) -> pd.DataFrame:
    """The list: name, note, added_at, in the order added (empty in a workspace made before the
    list existed and opened read-only)."""
    if not ws.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'names'").fetchone()[0]:
        return pd.DataFrame(columns=["name", "note", "added_at"])
    return ws.con.execute("SELECT name, note, added_at FROM names ORDER BY added_at, name").df()


def remove_names(ws, names: list[str]) -> list[str]:
    """Remove names (case-insensitive); returns those that were not in the list."""
    wanted = {clean_name(n).casefold(): n for n in names}
    listed = {n.casefold(): n for n in list_names(ws)["name"]}
    with ws.transaction() as con:
        for key in wanted.keys() & listed.keys():
            con.execute("DELETE FROM names WHERE name = ?", [listed[key]])
    return [n for key, n in wanted.items() if key not in listed]
