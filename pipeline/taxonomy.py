"""The taxonomy: a tree of numbered headings and lettered (or numbered) items, parsed from a plan
document and kept as YAML.

The parser reads markdown converted from a PDF and copes with what the conversion leaves: heading
levels that vary (``##`` to ``#####``, bold or not, ``1.4.`` and ``1.4``), items split by page breaks
and blank lines, footnote markers (``<sup>2</sup>``) and footnote lines in the middle of an item,
italic and bold markers, and unnumbered sub-headings (the Timing headings of the Action Plan's 5.2).
A heading's depth comes from its number (``1`` -> first level, ``1.1`` -> second), never from the
count of ``#``. Items are leaves: ``- a. text`` under the nearest numbered heading (ID ``1.1.a``), or
``- 1.a text`` with an explicit ID whose parent is ``1`` (the SDG targets).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from pipeline.errors import TaxonomyError

DEFAULT_LEVELS = {2: ["goal", "target"], 3: ["line", "section", "item"]}

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_LETTER_ITEM = re.compile(r"^\s*(?:[-*+]\s+)?([a-z])[.)]\s*(.*)$")
_EXPLICIT_ITEM = re.compile(r"^\s*[-*+]\s+(\d+(?:\.[0-9a-z]+)+)\.?\s+(\S.*)$")
_FOOTNOTE_LINE = re.compile(r"^\s*(?:<sup>\s*\d+\s*</sup>|\[\^\d+\]:)")
_SUP = re.compile(r"<sup>\s*[^<]*</sup>")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|-)\s*$")
_TIMING = re.compile(r"^\W*timing\s*:\s*(.*?)\W*$", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s+[—–]\s+")


@dataclass(frozen=True)
class Node:
    id: str
    level: str
    title: str = ""
    text: str = ""
    parent: str | None = None
    description: str = ""
    note: str = ""


@dataclass
class Taxonomy:
    id: str
    name: str
    levels: list[str]
    nodes: dict[str, Node]
    source: dict = field(default_factory=dict)

    def get(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise TaxonomyError(
                f"Unknown ID {node_id!r} in taxonomy {self.id!r}. IDs look like "
                f"{', '.join(list(self.nodes)[:3])}; see `aptag taxonomy show`."
            ) from None

    def at_level(self, level: str) -> list[Node]:
        if level not in self.levels:
            raise TaxonomyError(f"Taxonomy {self.id!r} has levels {self.levels}, not {level!r}.")
        return [n for n in self.nodes.values() if n.level == level]

    def items(self) -> list[Node]:
        """The leaves, in document order."""
        return self.at_level(self.levels[-1])

    def item_ids(self) -> list[str]:
        return [n.id for n in self.items()]

    def children(self, node_id: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == node_id]

    def parent_at(self, node_id: str, level: str) -> str:
        """The ancestor (or the node itself) at ``level``."""
        node = self.get(node_id)
        while node.level != level:
            if node.parent is None:
                raise TaxonomyError(f"{node_id!r} has no ancestor at level {level!r} in taxonomy {self.id!r}.")
            node = self.nodes[node.parent]
        return node.id

    @cached_property
    def hash(self) -> str:
        canon = json.dumps([asdict(n) for n in self.nodes.values()], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


def _clean(text: str) -> str:
    """Strip footnote markers, emphasis and link syntax, and fold white space."""
    text = _SUP.sub("", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)([^_]+?)(?<!\s)_(?!\w)", r"\1", text)
    text = text.replace("\\", "")
    return re.sub(r"\s+", " ", text).strip().strip("*").strip()


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.;:!?][\"'”’)]*$", text))


def parse_plan(text: str, *, taxonomy_id: str, source: str = "", name: str | None = None,
               levels: list[str] | None = None) -> Taxonomy:
    """Parse a plan document (markdown) into a :class:`Taxonomy`.

    Raises :class:`TaxonomyError` naming the line for duplicate IDs, an item outside a section,
    an empty item, or a section with no items.
    """
    raw: dict[str, dict] = {}  # id -> {depth, title, text, parent, description, note, line}
    order: list[str] = []
    heading_path: list[str] = []  # numbered headings open, by depth
    current_item: str | None = None
    pending_note = ""
    doc_title = name or ""
    started = False

    def add(node_id: str, lineno: int, **fields: object) -> None:
        if node_id in raw:
            raise TaxonomyError(
                f"line {lineno}: duplicate ID {node_id!r} (first defined on line {raw[node_id]['line']}). "
                "Each heading number and item letter must be unique."
            )
        raw[node_id] = {"line": lineno, "description": "", "note": "", "text": "", "title": "", **fields}
        order.append(node_id)

    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or _RULE.match(stripped) or _FOOTNOTE_LINE.match(stripped):
            continue
        heading = _HEADING.match(line)
        body = _clean(heading.group(1)) if heading else _clean(stripped)
        numbered = _NUMBERED.match(body) if heading or re.match(r"^\*\*\s*\d", stripped) else None
        if numbered and (heading or stripped.startswith("**")):
            number, title = numbered.group(1), numbered.group(2)
            depth = number.count(".") + 1
            parent = ".".join(number.split(".")[:-1]) or None
            if parent is not None and parent not in raw:
                raise TaxonomyError(f"line {lineno}: heading {number!r} comes before its parent {parent!r}.")
            parts = _TITLE_SPLIT.split(title, maxsplit=1)
            add(number, lineno, depth=depth, title=parts[0].strip().rstrip("."), parent=parent,
                description=parts[1].strip() if len(parts) > 1 else "")
            heading_path = heading_path[: depth - 1] + [number]
            current_item, pending_note, started = None, "", True
            continue
        if heading:
            if not doc_title and not started:
                doc_title = body
            # an unnumbered sub-heading (e.g. "Mid-term review" in 5.2): context, not structure
            current_item = None
            if started:
                pending_note = body
            continue
        if not started:
            continue
        timing = _TIMING.match(body)
        if timing:
            pending_note = f"{pending_note}. Timing: {timing.group(1)}".strip(". ") if pending_note else f"Timing: {timing.group(1)}"
            current_item = None
            continue
        explicit = _EXPLICIT_ITEM.match(line)
        letter = None if explicit else _LETTER_ITEM.match(line)
        if explicit or (letter and re.match(r"^\s*[-*+]\s", line)):
            if explicit:
                item_id, item_text = explicit.group(1), _clean(explicit.group(2))
                parent = item_id.rsplit(".", 1)[0]
                if parent not in raw:
                    raise TaxonomyError(f"line {lineno}: item {item_id!r} has no heading {parent!r} above it.")
            else:
                if len(heading_path) < 2:
                    where = f"line of action {heading_path[0]!r}" if heading_path else "the start"
                    raise TaxonomyError(
                        f"line {lineno}: item '{letter.group(1)}.' is outside a section (directly under {where}). "
                        "Put it under a numbered section heading such as '### 1.1 Title'."
                    )
                parent = heading_path[-1]
                item_id, item_text = f"{parent}.{letter.group(1)}", _clean(letter.group(2))
            if not item_text:
                raise TaxonomyError(f"line {lineno}: item {item_id!r} is empty. Give it its text or remove it.")
            add(item_id, lineno, depth=None, text=item_text, parent=parent, note=pending_note)
            current_item = item_id
            continue
        if current_item and (not _ends_sentence(raw[current_item]["text"]) or body[:1].islower()):
            # an item broken by a page break or a footnote block goes on here
            raw[current_item]["text"] = f"{raw[current_item]['text']} {body}".strip()
            continue
        if heading_path and not any(raw[i]["parent"] == heading_path[-1] and raw[i]["depth"] is None for i in order):
            container = raw[heading_path[-1]]
            container["description"] = f"{container['description']} {body}".strip()

    provenance = {"document": source, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    return _build(raw, order, taxonomy_id=taxonomy_id, name=doc_title or taxonomy_id, source=provenance, levels=levels)


def _build(raw: dict[str, dict], order: list[str], *, taxonomy_id: str, name: str, source: dict,
           levels: list[str] | None) -> Taxonomy:
    if not raw:
        raise TaxonomyError("No numbered headings found: expected headings such as '## 1. Title' and items such as '- a. text'.")
    heading_depth = max(r["depth"] for r in raw.values() if r["depth"] is not None)
    n_levels = heading_depth + 1
    level_names = levels or DEFAULT_LEVELS.get(n_levels) or [f"level{i + 1}" for i in range(n_levels)]
    if len(level_names) != n_levels:
        raise TaxonomyError(f"The document has {n_levels} levels but {len(level_names)} level names were given: {level_names}.")
    has_children = {r["parent"] for r in raw.values() if r["parent"]}
    nodes: dict[str, Node] = {}
    for node_id in order:
        r = raw[node_id]
        if r["depth"] is not None and r["depth"] == heading_depth and node_id not in has_children:
            raise TaxonomyError(f"line {r['line']}: section {node_id!r} ({r['title']}) has no items.")
        level = level_names[-1] if r["depth"] is None else level_names[r["depth"] - 1]
        nodes[node_id] = Node(id=node_id, level=level, title=r["title"], text=r["text"], parent=r["parent"],
                              description=r["description"], note=r["note"])
    return Taxonomy(id=taxonomy_id, name=name, levels=level_names, nodes=nodes, source=source)


def dump_yaml(tax: Taxonomy) -> str:
    data = {
        "id": tax.id,
        "name": tax.name,
        "levels": tax.levels,
        "source": tax.source,
        "nodes": [{k: v for k, v in asdict(n).items() if v not in ("", None)} for n in tax.nodes.values()],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy YAML written by ``aptag taxonomy build`` (default: the Action Plan)."""
    from pipeline.config import DEFAULT_TAXONOMY

    path = Path(path) if path else DEFAULT_TAXONOMY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"Taxonomy file {path} not found. Build it with `aptag taxonomy build SOURCE -o {path}`.") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"Taxonomy file {path} is not valid YAML: {exc}") from None
    try:
        nodes = {n["id"]: Node(**n) for n in data["nodes"]}
        tax = Taxonomy(id=data["id"], name=data.get("name", data["id"]), levels=list(data["levels"]),
                       nodes=nodes, source=data.get("source") or {})
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(f"Taxonomy file {path} lacks {exc} (expected keys id, levels, nodes with id and level).") from None
    for node in nodes.values():
        if node.parent is not None and node.parent not in nodes:
            raise TaxonomyError(f"Taxonomy file {path}: node {node.id!r} names unknown parent {node.parent!r}.")
        if node.level not in tax.levels:
            raise TaxonomyError(f"Taxonomy file {path}: node {node.id!r} has level {node.level!r}, not one of {tax.levels}.")
    return tax


def render_tree(tax: Taxonomy) -> str:
    """The whole tree, one node a line, items shortened."""
    lines = [f"{tax.name} ({tax.id}): " + ", ".join(f"{len(tax.at_level(lv))} {lv}s" for lv in tax.levels)]
    depth = {lv: i for i, lv in enumerate(tax.levels)}
    for node in tax.nodes.values():
        label = node.title or (node.text[:90] + ("..." if len(node.text) > 90 else ""))
        lines.append(f"{'  ' * depth[node.level]}{node.id}  {label}")
    return "\n".join(lines)


def render_node(tax: Taxonomy, node_id: str) -> str:
    """One node with its ancestors, full text, and children."""
    node = tax.get(node_id)
    out = [f"{node.id} ({node.level})"]
    parent = node.parent
    while parent:
        p = tax.nodes[parent]
        out.append(f"  in {p.id} {p.title}")
        parent = p.parent
    if node.title:
        out.append(f"Title: {node.title}")
    if node.text:
        out.append(f"Text: {node.text}")
    if node.description:
        out.append(f"Description: {node.description}")
    if node.note:
        out.append(f"Note: {node.note}")
    kids = tax.children(node_id)
    if kids:
        out.append(f"{len(kids)} {kids[0].level}s: " + ", ".join(k.id for k in kids))
    return "\n".join(out)
