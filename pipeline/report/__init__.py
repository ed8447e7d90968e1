"""Reports: the self-contained HTML report for desk officers and the CSV / XLSX / JSON tables."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from pipeline.coverage import CoverageInputs, Slice, load_evidence
from pipeline.report.data import build_payload, select_evidence
from pipeline.report.html import render_html


def build_report(ws, inputs: CoverageInputs, nodes: pd.DataFrame, *, period: str = "quarter",
                 max_evidence: int = 20, heatmap_columns: int = 24, sl: Slice = Slice(),
                 title: str = "Coverage of the Action Plan", taxonomy: dict | None = None,
                 generated_at: datetime | None = None) -> str:
    """The HTML report for the workspace ``ws``: aggregates ``inputs`` and reads from ``ws`` the
    text of only the evidence passages it embeds."""
    facts = inputs.facts()
    pairs = select_evidence(facts, nodes, max_evidence, sl)
    rows = load_evidence(ws, inputs.model_id, pairs)
    payload = build_payload(facts, inputs.documents, inputs.passages, nodes, rows, period=period,
                            max_evidence=max_evidence, heatmap_columns=heatmap_columns, sl=sl, title=title,
                            model_id=inputs.model_id, taxonomy=taxonomy, generated_at=generated_at)
    return render_html(payload)


__all__ = ["build_report", "build_payload", "render_html", "select_evidence"]
