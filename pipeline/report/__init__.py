"""Reports: the self-contained HTML report for desk officers and the CSV / XLSX / JSON tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pandas as pd

from pipeline.coverage import CoverageInputs, Slice, load_evidence
from pipeline.report.data import build_payload, select_evidence
from pipeline.report.html import render_html


def build_report(ws, inputs: CoverageInputs, nodes: pd.DataFrame, *, period: str = "quarter",
                 max_evidence: int = 20, heatmap_columns: int = 24, sl: Slice = Slice(),
                 title: str = "Coverage of the Action Plan", taxonomy: dict | None = None,
                 generated_at: datetime | None = None, prior=None) -> str:
    """The HTML report for the workspace ``ws``: aggregates ``inputs`` and reads from ``ws`` the
    text of only the evidence passages it embeds. With a ``prior`` (pipeline/quality.py), each
    item's panel also shows its quality card and corrected count over the report's scope."""
    facts = inputs.facts()
    pairs = select_evidence(facts, nodes, max_evidence, sl)
    rows = load_evidence(ws, inputs.model_id, pairs)
    payload = build_payload(facts, inputs.documents, inputs.passages, nodes, rows, period=period,
                            max_evidence=max_evidence, heatmap_columns=heatmap_columns, sl=sl, title=title,
                            model_id=inputs.model_id, taxonomy=taxonomy, generated_at=generated_at)
    payload["rounds"] = partner_rounds(ws, inputs, nodes, sl)
    if prior is not None:
        from pipeline.quality import basis_note, report_cards, slice_passages, workspace_cards

        cards = workspace_cards(inputs, nodes, prior, slice_passages(inputs.documents, inputs.passages, sl))
        payload["quality"] = {"basis": basis_note(prior, inputs.model_id), "items": report_cards(cards)}
    return render_html(payload)


def partner_rounds(ws, inputs: CoverageInputs, nodes: pd.DataFrame, sl: Slice) -> dict:
    """Per partner with two or more dialogue rounds in the report's scope: its rounds and the
    per-item records of :func:`pipeline.rounds.rounds_report`."""
    from pipeline.coverage import document_frame
    from pipeline.periods import in_slice
    from pipeline.rounds import dialogue_rounds, round_events, round_tables, rounds_report

    docs = document_frame(inputs.documents)
    minutes = docs[(docs["doc_type"] == "minutes") & docs["date"].notna() & in_slice(docs, replace(sl, start=None, end=None))]
    titles = dict(zip(nodes["id"], nodes["title"]))
    partners = {c: dialogue_rounds(inputs.documents, c) for c, n in minutes["country"].value_counts().sort_index().items()
                if n >= 2}
    # every partner's passages and tags in one read, then split by document
    passages, tags = round_tables(ws, inputs.model_id, [r.doc_id for rounds in partners.values() for r in rounds])
    passages_of = dict(tuple(passages.groupby("doc_id", sort=False)))
    out = {}
    for country, rounds in partners.items():
        ids = [r.doc_id for r in rounds]
        mine = pd.concat([passages_of[i] for i in ids if i in passages_of] or [passages.iloc[:0]])
        events = round_events(tags[tags["doc_id"].isin(ids)], mine, rounds)
        out[country] = {"rounds": [[r.number, r.date.date().isoformat(), r.title] for r in rounds],
                        "items": rounds_report(rounds, events, titles)}
    return out


__all__ = ["build_report", "build_payload", "partner_rounds", "render_html", "select_evidence"]
