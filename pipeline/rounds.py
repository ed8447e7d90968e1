"""Dialogue rounds: what the EU raised with a partner, what the partner committed to or rejected,
and what was let drop, item by item, across the minutes of successive meetings.

A partner's rounds are its documents of type ``minutes`` (dialogues, subcommittees, consultations)
with a date, in date order: round 1 is the earliest. In a round, an item is *raised* when one of its
accepted tags in that round's minutes has an evidence sentence said by the EU that raises it; a
*commitment* (or a *rejection*) is a sentence of the partner that commits (rejects) in a passage
tagged with the item, credited to the item it answers (see :func:`round_events`): in minutes the
partner's answer follows the question it answers.

Status in the latest round, first rule that holds:

- ``committed``: the partner committed to the item in the latest round;
- ``raised_after_commitment``: the EU raised it again after a commitment of an earlier round;
- ``persisting``: raised in the latest round and in an earlier one;
- ``new``: raised in the latest round for the first time;
- ``dropped``: raised in an earlier round, not in the latest;
- ``committed`` as well for an item committed to earlier and not raised since.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.actors import attribute_text, may_have

ANSWERS = ("committed", "rejected")  # what a partner says back to a raised item

STATUSES = ("new", "persisting", "dropped", "committed", "raised_after_commitment")


@dataclass(frozen=True)
class Round:
    number: int
    doc_id: str
    date: pd.Timestamp
    title: str


def dialogue_rounds(documents: pd.DataFrame, country: str) -> list[Round]:
    """The partner's rounds: its dated minutes, in date order (documents that failed left out)."""
    docs = documents
    if "status" in docs:
        docs = docs[docs["status"].fillna("ok") == "ok"]
    docs = docs[(docs["country"] == country) & (docs["doc_type"] == "minutes") & docs["date"].notna()]
    docs = docs.assign(date=pd.to_datetime(docs["date"])).sort_values(["date", "doc_id"], kind="stable")
    return [Round(k + 1, r.doc_id, r.date, r.title or "") for k, r in enumerate(docs.itertuples())]


def round_events(tags: pd.DataFrame, passages: pd.DataFrame, rounds: list[Round]) -> pd.DataFrame:
    """One row per (round, item, event) with ``event`` in raised / committed / rejected and the
    sentence. ``tags``: accepted tags (``passage_id, item_id, actor, act, start, sentence``: the
    evidence sentence, its offset and attribution); ``passages``: ``passage_id, doc_id, text``.

    A partner's commitment or rejection answers the item whose evidence it is, else the items whose
    evidence sentence comes last before it in the passage (the question it answers), else every item
    of the passage; in an untagged passage (``"The Meridian side rejected the request."``) it
    answers the items of the tagged passage before it under the same heading."""
    by_doc = {r.doc_id: r for r in rounds}
    rows = []
    mine = passages[passages["doc_id"].isin(list(by_doc))]
    if "seq" in mine:
        mine = mine.sort_values(["doc_id", "seq"], kind="stable")
    # plain lists per passage: a partner's minutes have thousands of passages, and sub-frames per
    # passage cost more than the attribution itself
    tags_of: dict[str, list[tuple]] = {}
    for t in tags[["passage_id", "item_id", "actor", "act", "start", "sentence"]].itertuples(index=False, name=None):
        tags_of.setdefault(t[0], []).append(t[1:])
    headings = mine["heading"].tolist() if "heading" in mine else [None] * len(mine)
    previous = None  # (doc, heading, tags) of the last tagged passage: an untagged answer answers it
    for pid, doc_id, text, heading in zip(mine["passage_id"], mine["doc_id"], mine["text"], headings):
        rnd = by_doc[doc_id].number
        group = tags_of.get(pid)
        if group is None and previous is not None and previous[:2] == (doc_id, heading):
            group, offsets_apply = previous[2], False
        elif group is not None:
            offsets_apply = True
            previous = (doc_id, heading, group)
            rows += [(rnd, item, "raised", pid, sentence) for item, actor, act, _, sentence in group
                     if actor == "eu" and act == "raised"]
        else:
            continue
        for a in attribute_text(text) if may_have(text, ANSWERS) else ():
            if a.actor != "partner" or a.act not in ANSWERS:
                continue
            answered = group
            if offsets_apply:
                own = [t for t in group if a.start <= t[3] < a.end]
                before = [t for t in group if t[3] < a.start]
                last = max((t[3] for t in before), default=None)
                answered = own or [t for t in before if t[3] == last] or group
            rows += [(rnd, t[0], a.act, pid, text[a.start:a.end]) for t in answered]
    return pd.DataFrame(rows, columns=["round", "item_id", "event", "passage_id", "sentence"]).drop_duplicates()


def round_status(events: pd.DataFrame, latest: int) -> pd.DataFrame:
    """Per item: ``item_id, status, raised_rounds, committed_rounds, rejected_rounds``."""
    out = []
    for item, ev in events.groupby("item_id", sort=True):
        raised = sorted(set(ev.loc[ev["event"] == "raised", "round"]))
        committed = sorted(set(ev.loc[ev["event"] == "committed", "round"]))
        rejected = sorted(set(ev.loc[ev["event"] == "rejected", "round"]))
        now = latest in raised
        if latest in committed:
            status = "committed"
        elif now and any(c < latest for c in committed):
            status = "raised_after_commitment"
        elif now and any(r < latest for r in raised):
            status = "persisting"
        elif now:
            status = "new"
        elif raised and max(raised) < latest and not (committed and max(committed) >= max(raised)):
            status = "dropped"
        elif committed:
            status = "committed"
        else:
            status = None  # only rejected, never raised: reported, no status
        out.append({"item_id": item, "status": status, "raised_rounds": raised, "committed_rounds": committed,
                    "rejected_rounds": rejected})
    return pd.DataFrame(out, columns=["item_id", "status", "raised_rounds", "committed_rounds", "rejected_rounds"])


def rounds_report(rounds: list[Round], events: pd.DataFrame, titles: dict[str, str]) -> list[dict]:
    """One JSON-ready record per item: its status and, per event, the rounds and sentences."""
    if not rounds:
        return []
    status = round_status(events, rounds[-1].number)
    dates = {r.number: r.date.date().isoformat() for r in rounds}
    records = []
    for s in status.itertuples():
        ev = events[events["item_id"] == s.item_id]
        sentences = {kind: [{"round": int(e.round), "date": dates[int(e.round)], "sentence": e.sentence}
                            for e in ev[ev["event"] == kind].itertuples()]
                     for kind in ("raised", "committed", "rejected")}
        records.append({"item": s.item_id, "title": titles.get(s.item_id, ""), "status": s.status,
                        "raised_rounds": s.raised_rounds, "committed_rounds": s.committed_rounds,
                        "rejected_rounds": s.rejected_rounds, "commitments": sentences["committed"],
                        "rejections": sentences["rejected"], "raised": sentences["raised"]})
    order = {k: i for i, k in enumerate(("dropped", "raised_after_commitment", "persisting", "new", "committed", None))}
    return sorted(records, key=lambda r: (order[r["status"]], r["item"]))


def load_rounds(ws, model_id: str | None, country: str, documents: pd.DataFrame) -> tuple[list[Round], pd.DataFrame]:
    """The partner's rounds among ``documents`` (the workspace's documents table, as coverage
    loads it) and their events: accepted tags of ``model_id`` that no reviewer rejected."""
    rounds = dialogue_rounds(documents, country)
    if not rounds:
        return rounds, pd.DataFrame(columns=["round", "item_id", "event", "passage_id", "sentence"])
    passages, tags = round_tables(ws, model_id, [r.doc_id for r in rounds])
    return rounds, round_events(tags, passages, rounds)


def round_tables(ws, model_id: str | None, doc_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The passages of the documents ``doc_ids`` and their accepted, unrejected tags with the
    evidence sentence (what :func:`round_events` reads), in two queries however many documents."""
    ws.con.register("_round_docs", pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=str)}))
    try:
        passages = ws.con.execute("SELECT passage_id, doc_id, seq, heading, text FROM passages "
                                  "JOIN _round_docs USING (doc_id)").df()
        tags = ws.con.execute(
            """SELECT pr.passage_id, p.doc_id, pr.item_id,
                      COALESCE(json_extract_string(pr.evidence, '$.actor'), 'unknown') AS actor,
                      COALESCE(json_extract_string(pr.evidence, '$.act'), 'unknown') AS act,
                      COALESCE(json_extract_string(pr.evidence, '$.sentence'), '') AS sentence,
                      COALESCE(CAST(json_extract(pr.evidence, '$.start') AS INTEGER), 0) AS start
               FROM predictions pr JOIN passages p USING (passage_id) JOIN _round_docs d ON d.doc_id = p.doc_id
               WHERE pr.model_id = ? AND pr.accepted
                 AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.passage_id = pr.passage_id
                                 AND a.item_id = pr.item_id AND a.value = 0)""", [model_id or ""]).df()
    finally:
        ws.con.unregister("_round_docs")
    return passages, tags
