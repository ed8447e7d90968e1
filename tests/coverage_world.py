"""A hand-built workspace for the coverage and report tests: every number is known in advance.

Taxonomy (5 items): line 1 > sections 1.1 (items 1.1.a, 1.1.b) and 1.2 (1.2.a);
line 2 > section 2.1 (2.1.a, 2.1.b).

Documents: D1 KE minutes 2023-02-10; D2 KE report 2023-05-20; D3 SN minutes 2023-04-03;
D4 SN demarche undated; D5 failed (no passages).

Tags of model "m1" after review (model "m0" has fewer predictions and must be ignored):
    P1 (D1)  1.1.a 0.9, 1.1.b 0.6          P4 (D3)  1.2.a 0.2 below threshold, reviewed value 1
    P2 (D1)  1.1.a 0.7, 2.1.b by a reviewer P5 (D3)  2.1.a 0.95, reviewed 1 then 0: removed
    P3 (D2)  1.1.a 0.8, 1.2.a 0.3 to review P6 (D4)  1.1.b 0.5, 2.1.a 0.4 to review
    P7 (D2)  1.2.a 0.85; its text contains a <script> element.
Tagged passages: P1 P2 P3 P4 P6 P7 (6). Who said it: P1 1.1.a eu/raised, P3 1.1.a none/none, the
other evidence predates attribution (unknown).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pipeline.store import Workspace
from pipeline.taxonomy import Node, Taxonomy, dump_yaml

SCRIPT_TEXT = 'Officials said <script>alert("x")</script> was posted; defenders face reprisals.'


def tiny_taxonomy() -> Taxonomy:
    spec = [("1", "line", None, "Protecting people", ""), ("1.1", "section", "1", "Inequalities", ""),
            ("1.1.a", "item", "1.1", "", "Abolish the death penalty worldwide."),
            ("1.1.b", "item", "1.1", "", "Prevent torture and ill-treatment."),
            ("1.2", "section", "1", "Empowering people", ""),
            ("1.2.a", "item", "1.2", "", "Support human rights defenders."),
            ("2", "line", None, "Democratic societies", ""), ("2.1", "section", "2", "Institutions", ""),
            ("2.1.a", "item", "2.1", "", "Support electoral processes."),
            ("2.1.b", "item", "2.1", "", "Fight corruption.")]
    nodes = {i: Node(id=i, level=lv, parent=p, title=t, text=x) for i, lv, p, t, x in spec}
    return Taxonomy(id="tiny", name="Tiny plan", levels=["line", "section", "item"], nodes=nodes)


def _ev(text: str, sentence: str, **said: str) -> str:
    start = text.index(sentence)
    return json.dumps({"start": start, "end": start + len(sentence), "sentence": sentence, "terms": ["x"], **said})


TEXTS = {
    "P1": "The EU raised the death penalty. Torture in prisons was discussed.",
    "P2": "A moratorium on executions was requested. Corruption cases were raised.",
    "P3": "Executions continue. Defenders were arrested.",
    "P4": "Human rights defenders met the delegation.",
    "P5": "Elections are planned for next year.",
    "P6": "Reports of ill-treatment in custody.",
    "P7": SCRIPT_TEXT,
}
PASSAGE_DOC = {"P1": "D1", "P2": "D1", "P3": "D2", "P4": "D3", "P5": "D3", "P6": "D4", "P7": "D2"}


def build_world(path: Path) -> Path:
    """Write the tiny workspace into ``path`` and the taxonomy to ``path/tiny.yaml``."""
    documents = pd.DataFrame([
        ("D1", "d1.txt", "minutes", "KE", date(2023, 2, 10), "Minutes of the Kenya dialogue", "ok"),
        ("D2", "d2.txt", "report", "KE", date(2023, 5, 20), "Kenya country report", "ok"),
        ("D3", "d3.txt", "minutes", "SN", date(2023, 4, 3), "Senegal <b>sub-committee</b>", "ok"),
        ("D4", "d4.txt", "demarche", "SN", None, None, "ok"),
        ("D5", "d5.pdf", None, None, None, None, "failed"),
    ], columns=["doc_id", "source_path", "doc_type", "country", "date", "title", "status"])
    documents["date"] = pd.to_datetime(documents["date"])
    passages = pd.DataFrame([(pid, PASSAGE_DOC[pid], i, TEXTS[pid], 0, len(TEXTS[pid]), i + 1)
                             for i, pid in enumerate(TEXTS)],
                            columns=["passage_id", "doc_id", "seq", "text", "char_start", "char_end", "page"])
    preds = [
        ("P1", "1.1.a", 0.9, True, _ev(TEXTS["P1"], "The EU raised the death penalty.", actor="eu", act="raised")),
        ("P1", "1.1.b", 0.6, True, _ev(TEXTS["P1"], "Torture in prisons was discussed.")),
        ("P2", "1.1.a", 0.7, True, _ev(TEXTS["P2"], "A moratorium on executions was requested.")),
        ("P3", "1.1.a", 0.8, True, _ev(TEXTS["P3"], "Executions continue.", actor="none", act="none")),
        ("P3", "1.2.a", 0.3, False, _ev(TEXTS["P3"], "Defenders were arrested.")),
        ("P4", "1.2.a", 0.2, False, _ev(TEXTS["P4"], TEXTS["P4"])),
        ("P5", "2.1.a", 0.95, True, _ev(TEXTS["P5"], TEXTS["P5"])),
        ("P6", "1.1.b", 0.5, True, _ev(TEXTS["P6"], TEXTS["P6"])),
        ("P6", "2.1.a", 0.4, False, _ev(TEXTS["P6"], TEXTS["P6"])),
        ("P7", "1.2.a", 0.85, True, _ev(SCRIPT_TEXT, SCRIPT_TEXT[:44])),
    ]
    predictions = pd.DataFrame(preds, columns=["passage_id", "item_id", "score", "accepted", "evidence"])
    predictions["model_id"] = "m1"
    other = pd.DataFrame([("P1", "2.1.b", 0.99, True, None, "m0")], columns=predictions.columns[:5].tolist() + ["model_id"])
    annotations = pd.DataFrame([
        ("P4", "1.2.a", 1, "ann", datetime(2024, 1, 1), "csv"),
        ("P5", "2.1.a", 1, "ann", datetime(2024, 1, 1), "csv"),
        ("P5", "2.1.a", 0, "ann", datetime(2024, 2, 1), "csv"),
        ("P2", "2.1.b", 1, "ann", datetime(2024, 1, 1), "csv"),
    ], columns=["passage_id", "item_id", "value", "annotator", "at", "source"])
    with Workspace(path) as ws, ws.transaction():
        ws.insert_df("documents", documents)
        ws.insert_df("passages", passages)
        ws.insert_df("predictions", pd.concat([predictions, other], ignore_index=True))
        # DuckDB reserves AT: insert annotations through SQL with the column quoted.
        ws.con.register("_ann", annotations)
        ws.con.execute('INSERT INTO annotations (passage_id, item_id, value, annotator, "at", source) '
                       'SELECT passage_id, item_id, value, annotator, "at", source FROM _ann')
        ws.con.unregister("_ann")
    (path / "tiny.yaml").write_text(dump_yaml(tiny_taxonomy()), encoding="utf-8")
    return path
