"""Item cards: per-item domain knowledge (label, description, English/French terms, acronyms,
negative cues) that the semantic and lexical taggers read beside the taxonomy.

Cards live in YAML files under a cards directory, each file a mapping ``item_id -> card`` (or
``{items: {item_id: card}}``). The cards of taxonomy ``T`` are in ``<dir>/<T.id>/`` when that
folder exists, else in the files directly under ``<dir>``. Files none of whose IDs belong to the
taxonomy are cards of another framework and are skipped; a file mixing known and unknown IDs is
an error that names the file and the IDs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import ConfigError
from pipeline.taxonomy import Taxonomy


class ItemCard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = ""
    description: str = ""
    terms_en: list[str] = []
    terms_fr: list[str] = []
    acronyms: list[str] = []
    negative: list[str] = []


def _card_files(base: Path, taxonomy: Taxonomy) -> list[Path]:
    sub = base / taxonomy.id
    folder = sub if sub.is_dir() else base
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"Item card file {path} is not valid YAML: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("items"), dict):
        data = data["items"]
    if not isinstance(data, dict):
        raise ConfigError(f"Item card file {path} must map item IDs to cards (e.g. '1.1.a: {{label: ...}}'), "
                          f"found a {type(data).__name__}.")
    return {str(k): v for k, v in data.items()}


def load_cards(base: str | Path | None, taxonomy: Taxonomy) -> dict[str, ItemCard]:
    """The cards of ``taxonomy``'s items found under ``base`` (none when ``base`` is empty or absent)."""
    if not base:
        return {}
    known = set(taxonomy.item_ids())
    cards: dict[str, ItemCard] = {}
    for path in _card_files(Path(base), taxonomy):
        data = _read(path)
        unknown = [k for k in data if k not in known]
        if len(unknown) == len(data):
            continue
        if unknown:
            raise ConfigError(
                f"Item card file {path} has IDs that are not items of taxonomy {taxonomy.id!r}: "
                f"{', '.join(unknown)}. Fix the IDs (items look like {taxonomy.item_ids()[0]}) or remove those cards."
            )
        for item_id, raw in data.items():
            try:
                cards[item_id] = ItemCard.model_validate(raw or {})
            except ValidationError as exc:
                raise ConfigError(f"Item card {item_id} in {path} is invalid:\n{exc}") from exc
    return cards


def cards_hash(cards: dict[str, ItemCard]) -> str:
    """A short hash of the cards' content: changing a card changes the model ID."""
    canon = "\n".join(f"{k}={cards[k].model_dump_json()}" for k in sorted(cards))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:12]
