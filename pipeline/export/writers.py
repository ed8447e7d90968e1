"""One writer per export format. Each takes the plain row records (see ``rows.ROW_COLUMNS``) and
returns the files it wrote. Heavy libraries (pyarrow, datasets, spaCy) are imported inside."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from pipeline.cells import guard_record

SEP = ";"  # list cells in CSV, as in `aptag review export`
LABEL_FIELDS = {"item_id": "string", "label": "int8", "score": "float64", "source": "string"}
EVIDENCE_FIELDS = {"item_id": "string", "start": "int64", "end": "int64", "sentence": "string", "terms": "strings"}


def records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as JSON-safe dicts (missing values as None, numpy scalars as Python ones)."""
    out = []
    for r in rows.to_dict("records"):
        out.append({k: (None if not isinstance(v, (list, dict, str)) and pd.isna(v) else
                        v.item() if hasattr(v, "item") else v) for k, v in r.items()})
    return out


def arrow_schema():
    import pyarrow as pa

    def struct(fields: dict[str, str]):
        kinds = {"string": pa.string(), "int8": pa.int8(), "int64": pa.int64(), "float64": pa.float64(),
                 "strings": pa.list_(pa.string())}
        return pa.struct([(k, kinds[v]) for k, v in fields.items()])

    return pa.schema([
        ("passage_id", pa.string()), ("doc_id", pa.string()), ("seq", pa.int32()), ("text", pa.string()),
        ("char_start", pa.int64()), ("char_end", pa.int64()), ("page", pa.int32()), ("heading", pa.string()),
        ("language", pa.string()), ("source_file", pa.string()), ("title", pa.string()),
        ("doc_type", pa.string()), ("country", pa.string()), ("country_code", pa.string()), ("date", pa.string()),
        ("items", pa.list_(pa.string())), ("labels", pa.list_(struct(LABEL_FIELDS))),
        ("evidence", pa.list_(struct(EVIDENCE_FIELDS))), ("taxonomy_id", pa.string()), ("model_id", pa.string()),
    ])


def write_jsonl(recs: list[dict], path: Path, **_: Any) -> list[Path]:
    with path.open("w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return [path]


def write_csv(recs: list[dict], path: Path, **_: Any) -> list[Path]:
    """Flat cells: ``items`` joined with ';', ``labels`` and ``evidence`` as JSON; text cells that
    a spreadsheet would run as a formula are guarded (pipeline/cells.py)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(recs[0]) if recs else list(arrow_schema().names))
        writer.writeheader()
        for r in recs:
            writer.writerow(guard_record({**r, "items": SEP.join(r["items"]),
                                          "labels": json.dumps(r["labels"], ensure_ascii=False),
                                          "evidence": json.dumps(r["evidence"], ensure_ascii=False)}))
    return [path]


def write_parquet(recs: list[dict], path: Path, **_: Any) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(recs, schema=arrow_schema()), path)
    return [path]


def write_hf(recs: list[dict], path: Path, *, card: str = "", **_: Any) -> list[Path]:
    """A ``datasets.DatasetDict`` (one ``train`` split) saved with ``save_to_disk``, and README.md."""
    import datasets
    from datasets import Dataset, DatasetDict, Features

    features = Features.from_arrow_schema(arrow_schema())
    was_off = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()  # the CLI prints its own summary; tqdm bars would garble it
    try:
        DatasetDict({"train": Dataset.from_list(recs, features=features)}).save_to_disk(str(path))
    finally:
        if not was_off:
            datasets.enable_progress_bars()
    (path / "README.md").write_text(card, encoding="utf-8")
    return sorted(p for p in path.rglob("*") if p.is_file())


def write_spacy(recs: list[dict], path: Path, *, labels: list[str] | None = None, **_: Any) -> list[Path]:
    """A DocBin: ``doc.cats`` holds every label (1.0 for the passage's items, else 0.0), the
    evidence spans are ``doc.spans["evidence"]`` labelled with their item, and the metadata and
    scored labels ride in ``doc.user_data``."""
    import spacy
    from spacy.tokens import DocBin

    names = labels or sorted({i for r in recs for i in r["items"]})
    blanks: dict[str, Any] = {}
    bin_ = DocBin(store_user_data=True)
    for r in recs:
        lang = r["language"] if r["language"] in ("en", "fr") else "xx"
        nlp = blanks.setdefault(lang, spacy.blank(lang))
        doc = nlp.make_doc(r["text"])
        doc.cats = {i: 1.0 if i in r["items"] else 0.0 for i in names}
        spans = [doc.char_span(e["start"], e["end"], label=e["item_id"], alignment_mode="expand")
                 for e in r["evidence"]]
        doc.spans["evidence"] = [s for s in spans if s is not None]
        doc.user_data.update({k: v for k, v in r.items() if k != "text"})
        bin_.add(doc)
    bin_.to_disk(path)
    return [path]


def _ls_result(r: dict, source: str) -> list[dict]:
    chosen = [lab["item_id"] for lab in r["labels"] if lab["source"] == source and lab["label"] == 1]
    if not chosen:
        return []
    out = [{"from_name": "items", "to_name": "text", "type": "choices", "value": {"choices": chosen}}]
    out += [{"from_name": "evidence", "to_name": "text", "type": "labels",
             "value": {"start": e["start"], "end": e["end"], "text": r["text"][e["start"]:e["end"]],
                       "labels": [e["item_id"]]}} for e in r["evidence"] if e["item_id"] in chosen]
    return out


def labelstudio_config(labels: list[str]) -> str:
    """The Label Studio labelling config that the exported tasks fit: the items as choices and
    the evidence as span labels."""
    from xml.sax.saxutils import quoteattr

    choices = "\n".join(f"    <Choice value={quoteattr(i)}/>" for i in labels)
    spans = "\n".join(f"    <Label value={quoteattr(i)}/>" for i in labels)
    return ('<View>\n  <Text name="text" value="$text"/>\n'
            f'  <Labels name="evidence" toName="text">\n{spans}\n  </Labels>\n'
            f'  <Choices name="items" toName="text" choice="multiple">\n{choices}\n  </Choices>\n</View>\n')


def write_labelstudio(recs: list[dict], path: Path, *, labels: list[str] | None = None, **_: Any) -> list[Path]:
    """Label Studio tasks: predicted labels as the model's prediction, reviewed ones as a
    completed annotation, the passage and its metadata in ``data``; and the labelling config."""
    tasks = []
    for r in recs:
        task: dict[str, Any] = {"data": {k: v for k, v in r.items() if k not in ("labels", "evidence")}}
        predicted = _ls_result(r, "predicted")
        if predicted:
            scores = [lab["score"] for lab in r["labels"] if lab["source"] == "predicted"]
            task["predictions"] = [{"model_version": r["model_id"] or "unknown", "score": max(scores),
                                    "result": predicted}]
        reviewed = _ls_result(r, "reviewed")
        if reviewed or any(lab["source"] == "reviewed" for lab in r["labels"]):
            task["annotations"] = [{"result": reviewed, "ground_truth": False}]
        tasks.append(task)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    config = path.with_name(path.stem + ".config.xml")
    config.write_text(labelstudio_config(labels or sorted({i for r in recs for i in r["items"]})), encoding="utf-8")
    return [path, config]


def write_doccano(recs: list[dict], path: Path, **_: Any) -> list[Path]:
    """Doccano text classification JSONL: ``text`` and ``label`` (the items); the other fields
    (evidence as ``[start, end, item]``) are kept by Doccano as metadata."""
    with path.open("w", encoding="utf-8") as fh:
        for r in recs:
            row = {"text": r["text"], "label": r["items"],
                   "evidence": [[e["start"], e["end"], e["item_id"]] for e in r["evidence"]],
                   **{k: v for k, v in r.items() if k not in ("text", "items", "evidence")}}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [path]


WRITERS: dict[str, Callable[..., list[Path]]] = {
    "jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet, "hf": write_hf, "spacy": write_spacy,
    "labelstudio": write_labelstudio, "doccano": write_doccano,
}
FORMATS = tuple(WRITERS)
