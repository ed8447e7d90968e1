"""Dialogue rounds: what the EU raised, what the partner committed to or rejected, what was dropped."""

import pandas as pd
import pytest

from pipeline.rounds import dialogue_rounds, round_events, round_status, rounds_report

DOCS = pd.DataFrame([
    ("R1", "minutes", "Norvalia", "2023-03-01", "1st dialogue", "ok"),
    ("R2", "minutes", "Norvalia", "2024-03-01", "2nd dialogue", "ok"),
    ("R3", "minutes", "Norvalia", "2025-03-01", "3rd dialogue", "ok"),
    ("S1", "statement", "Norvalia", "2024-06-01", "a statement, not a round", "ok"),
    ("X1", "minutes", "Ostrana", "2024-01-01", "another partner", "ok"),
    ("U1", "minutes", "Norvalia", None, "undated minutes", "ok"),
], columns=["doc_id", "doc_type", "country", "date", "title", "status"])

# (passage, doc, text); tags below point at them with the evidence sentence's attribution
PASSAGES = {
    "p1": ("R1", "The EU raised the death penalty. The EU also raised torture in custody."),
    "p2": ("R1", "L'UE a soulevé la situation des défenseurs des droits humains."),
    "p3": ("R2", "The EU raised the death penalty again. The Norvalian side undertook to ratify OPCAT."),
    "p4": ("R2", "L'UE a demandé la libération des défenseurs. La partie norvalienne a refusé."),
    "p5": ("R3", "The EU raised the death penalty. It recalled the commitment on torture prevention and "
                 "raised torture again."),
    "p6": ("R3", "L'UE a soulevé la liberté de la presse."),
    "p7": ("R3", "Le ministre de la Justice s'est engagé à créer un mécanisme national de prévention."),
    "s1": ("S1", "The EU raised elections."),
}
TAGS = [  # passage, item, evidence actor, act, evidence sentence
    ("p1", "1.1.a", "eu", "raised", "The EU raised the death penalty."),
    ("p1", "1.1.b", "eu", "raised", "The EU also raised torture in custody."),
    ("p2", "1.1.c", "eu", "raised", PASSAGES["p2"][1]),
    ("p3", "1.1.a", "eu", "raised", "The EU raised the death penalty again."),
    ("p3", "1.1.b", "partner", "committed", "The Norvalian side undertook to ratify OPCAT."),
    ("p4", "1.1.c", "eu", "raised", "L'UE a demandé la libération des défenseurs."),
    ("p5", "1.1.a", "eu", "raised", "The EU raised the death penalty."),
    ("p5", "1.1.b", "eu", "raised", "It recalled the commitment on torture prevention and raised torture again."),
    ("p6", "1.3.d", "eu", "raised", PASSAGES["p6"][1]),
    ("p7", "1.5.e", "partner", "committed", PASSAGES["p7"][1]),
    ("s1", "2.1.c", "eu", "raised", PASSAGES["s1"][1]),
]


@pytest.fixture()
def events():
    rounds = dialogue_rounds(DOCS, "Norvalia")
    passages = pd.DataFrame([(p, d, t) for p, (d, t) in PASSAGES.items()], columns=["passage_id", "doc_id", "text"])
    tags = pd.DataFrame([(p, i, a, b, sent, PASSAGES[p][1].index(sent)) for p, i, a, b, sent in TAGS],
                        columns=["passage_id", "item_id", "actor", "act", "sentence", "start"])
    return rounds, round_events(tags, passages, rounds)


def test_rounds_are_the_partners_dated_minutes_in_date_order():
    rounds = dialogue_rounds(DOCS, "Norvalia")
    assert [(r.number, r.doc_id) for r in rounds] == [(1, "R1"), (2, "R2"), (3, "R3")]
    assert dialogue_rounds(DOCS, "Meridia") == []


def test_status_in_the_latest_round_in_both_languages(events):
    rounds, ev = events
    status = round_status(ev, rounds[-1].number).set_index("item_id")["status"].to_dict()
    assert status == {
        "1.1.a": "persisting",               # raised in every round
        "1.1.b": "raised_after_commitment",  # committed in round 2, raised again in round 3
        "1.1.c": "dropped",                  # raised in rounds 1 and 2 (French), not in round 3
        "1.3.d": "new",                      # first raised in round 3 (French)
        "1.5.e": "committed",                # the partner's commitment in round 3 (French)
    }
    assert "2.1.c" not in status              # a statement is not a dialogue round


def test_commitments_and_rejections_come_with_their_sentences(events):
    rounds, ev = events
    records = {r["item"]: r for r in rounds_report(rounds, ev, {"1.1.c": "Human rights defenders"})}
    assert records["1.1.c"]["rejections"] == [{"round": 2, "date": "2024-03-01",
                                              "sentence": "La partie norvalienne a refusé."}]
    assert records["1.1.c"]["title"] == "Human rights defenders" and records["1.1.c"]["raised_rounds"] == [1, 2]
    assert records["1.1.b"]["commitments"][0]["sentence"] == "The Norvalian side undertook to ratify OPCAT."
    assert [r["status"] for r in rounds_report(rounds, ev, {})][0] == "dropped"  # what was let drop comes first


def test_an_untagged_answer_answers_the_tagged_passage_before_it_under_the_same_heading():
    rounds = dialogue_rounds(DOCS, "Norvalia")
    passages = pd.DataFrame([
        ("q1", "R3", 0, "Death penalty", "The EU raised the death penalty."),
        ("q2", "R3", 1, "Death penalty", "The Norvalian side rejected the request."),
        ("q3", "R3", 2, "Press", "The Norvalian side rejected any change."),  # another heading: no item to answer
    ], columns=["passage_id", "doc_id", "seq", "heading", "text"])
    tags = pd.DataFrame([("q1", "1.1.a", "eu", "raised", "The EU raised the death penalty.", 0)],
                        columns=["passage_id", "item_id", "actor", "act", "sentence", "start"])
    ev = round_events(tags, passages, rounds)
    assert sorted(map(tuple, ev[["item_id", "event", "passage_id"]].to_numpy())) == [
        ("1.1.a", "raised", "q1"), ("1.1.a", "rejected", "q2")]
