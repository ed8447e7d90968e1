"""Each partner's own priorities: the Action Plan items a human rights and democracy country
strategy picks (plan item 5.2.f), kept in the workspace, and coverage ordered by them.

A priorities file is YAML::

    country: Norvalia
    period: 2023-2025          # optional
    priorities:
      - {item: 1.1.c, note: human rights defenders}   # note optional
      - {item: 2.1.a}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
import yaml

from pipeline.errors import AptagError
from pipeline.taxonomy import Taxonomy

_KEY = "priorities:"


@dataclass(frozen=True)
class Priorities:
    country: str
    items: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)
    period: str | None = None

    def to_json(self) -> str:
        return json.dumps({"country": self.country, "period": self.period, "items": list(self.items),
                           "notes": self.notes}, ensure_ascii=False)


def parse_priorities(text: str, tax: Taxonomy, source: str = "priorities file") -> Priorities:
    """The priorities in ``text``; an :class:`AptagError` names what is wrong (unknown item IDs
    with their positions, a missing country or list)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AptagError(f"{source}: not valid YAML ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("country"), str) or not data["country"].strip():
        raise AptagError(f"{source}: expected a mapping with 'country: NAME' and 'priorities: [...]'.")
    entries = data.get("priorities")
    if not isinstance(entries, list) or not entries:
        raise AptagError(f"{source}: 'priorities' must be a non-empty list of {{item: ID, note: ...}}.")
    items, notes, unknown = [], {}, []
    known = set(tax.item_ids())
    for k, entry in enumerate(entries, start=1):
        item = entry.get("item") if isinstance(entry, dict) else entry
        item = str(item).strip() if item is not None else ""
        if item not in known:
            unknown.append(f"{item or '(empty)'!r} (entry {k})")
            continue
        if item not in items:
            items.append(item)
        if isinstance(entry, dict) and entry.get("note"):
            notes[item] = str(entry["note"])
    if unknown:
        raise AptagError(f"{source}: unknown item ID{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                         f"the items of taxonomy {tax.id!r} look like {tax.item_ids()[0]!r} (`aptag taxonomy show`).")
    period = data.get("period")
    return Priorities(data["country"].strip(), tuple(items), notes, str(period) if period is not None else None)


def save_priorities(ws, priorities: Priorities) -> None:
    with ws.transaction():
        ws.set_setting(_KEY + priorities.country, priorities.to_json())


def load_priorities(ws, country: str) -> Priorities | None:
    raw = ws.get_setting(_KEY + country)
    if raw is None:
        return None
    data = json.loads(raw)
    return Priorities(data["country"], tuple(data["items"]), data.get("notes") or {}, data.get("period"))


def order_by_priorities(table: pd.DataFrame, priorities: Priorities, raised: pd.Series) -> pd.DataFrame:
    """``table`` (one row per item, column ``id``) with a ``priority`` column and reordered: first
    the priority items without EU-raised evidence (``raised``: passages per item id in the period),
    then the other priority items, then the rest, each in the table's order."""
    raised = raised.reindex(table["id"]).fillna(0).to_numpy()
    is_priority = table["id"].isin(priorities.items).to_numpy()
    label = pd.Series("", index=table.index)
    label[is_priority & (raised == 0)] = "not raised"
    label[is_priority & (raised > 0)] = "raised"
    rank = pd.Series(2, index=table.index)
    rank[is_priority & (raised == 0)] = 0
    rank[is_priority & (raised > 0)] = 1
    out = table.assign(priority=label.to_numpy(), _rank=rank.to_numpy())
    return out.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)
