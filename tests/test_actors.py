"""Who said it: actor and act of sentences (pipeline/actors.py), its scoring and `aptag evaluate --task actors`."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.actors import attribute, attribute_in_context, attribute_text
from pipeline.cli import app
from pipeline.errors import GoldError
from pipeline.evaluate_actors import class_report, evaluate_actors, parse_actor_gold
from pipeline.tag import add_attribution

CASES = [
    ("The EU expressed serious concern about the arrest of the editor.", "eu", "raised"),
    ("The Head of Delegation urged the authorities to release him.", "eu", "raised"),
    ("The Ministry of Justice undertook to amend the law before June.", "partner", "committed"),
    ("The Meridian side rejected the allegations of torture.", "partner", "rejected"),
    ("The Deputy Minister explained that the case was before the courts.", "partner", "informed"),
    ("The EU welcomed the abolition of the death penalty.", "eu", "welcomed"),
    ("The Delegation funds a shelter for survivors of domestic violence.", "eu", "supported"),
    ("Local NGOs told the Delegation that lawyers had been threatened.", "civil_society", "informed"),
    ("The UN Special Rapporteur on torture called for an independent investigation.", "international", "raised"),
    ("Four journalists were detained in March.", "none", "none"),
    ("L'UE a exprimé sa préoccupation face à l'interdiction des manifestations.", "eu", "raised"),
    ("Le ministre de la Justice s'est engagé à réviser le code pénal.", "partner", "committed"),
    ("La partie norvalienne a refusé d'aborder la question.", "partner", "rejected"),
    ("Les ONG ont également dénoncé des arrestations arbitraires.", "civil_society", "raised"),
    ("Le Haut-Commissaire des Nations unies a salué la libération des détenus.", "international", "welcomed"),
    ("L'UE finance la réforme de l'état civil.", "eu", "supported"),
    ("Le procès se poursuit.", "none", "none"),
]


@pytest.mark.parametrize("sentence,actor,act", CASES)
def test_sentence_actor_and_act(sentence, actor, act):
    assert attribute(sentence)[:2] == (actor, act)


@pytest.mark.parametrize("sentence,actor,act", [
    ("The EU stressed that the law must not be used against peaceful critics.", "eu", "raised"),
    ("The Deputy Minister stressed that the country faced serious security threats.", "partner", "informed"),
    ("La partie européenne a souligné l'importance d'une justice indépendante.", "eu", "raised"),
    ("Le ministre a souligné les efforts du gouvernement contre la pauvreté.", "partner", "informed"),
])
def test_emphasis_raises_for_the_eu_and_informs_for_the_partner(sentence, actor, act):
    assert attribute(sentence)[:2] == (actor, act)


def test_emphasis_in_a_second_clause_is_read_by_its_own_actor():
    _, _, actor2, act2 = attribute("The Minister denied the allegations, while the EU stressed that an inquiry was needed.")
    assert (actor2, act2) == ("eu", "raised")


def test_an_union_of_journalists_is_not_the_eu():
    assert attribute("Selon l'Union des journalistes, 12 journalistes ont été agressés.")[:2] == ("civil_society", "informed")
    assert attribute("Selon l'Union européenne, le dialogue reprendra.")[0] == "eu"


def test_noting_with_satisfaction_is_welcoming():
    assert attribute("The EU noted with satisfaction the progress in birth registration.")[:2] == ("eu", "welcomed")
    assert attribute("The EU noted that the law had been adopted.")[:2] == ("eu", "informed")


def test_pronoun_takes_the_actor_of_the_sentence_before():
    text = ("The Kestranian delegation presented the new asylum law. It promised to publish the regulations "
            "by May. The EU welcomed the law. It offered technical assistance.")
    pairs = [(a.actor, a.act) for a in attribute_text(text)]
    assert pairs == [("partner", "informed"), ("partner", "committed"), ("eu", "welcomed"), ("eu", "supported")]
    # the same sentence alone has no one to refer to
    assert attribute_in_context("It promised to publish the regulations by May.") == ("none", "committed")
    assert attribute_in_context("It promised to publish the regulations by May.", text) == ("partner", "committed")


def test_speaker_line_of_minutes_sets_the_actor():
    text = "Meridian side: Recalled that the reform of the penal code was under way and asked for patience."
    assert attribute_text(text)[0].actor == "partner"


def test_second_clause_gives_a_second_pair():
    actor, act, actor2, act2 = attribute("The EU welcomed the new law and offered technical assistance for its "
                                         "implementation.")
    assert (actor, act, actor2, act2) == ("eu", "welcomed", "eu", "supported")


def test_evidence_gets_the_actor_of_its_sentence():
    text = "The Minister presented the prison reform. The EU raised overcrowding in Varsk prison."
    start = text.index("The EU")
    evidence = {"1.5.e": {"start": start, "end": len(text), "sentence": text[start:], "terms": []}}
    add_attribution(text, evidence)
    assert (evidence["1.5.e"]["actor"], evidence["1.5.e"]["act"]) == ("eu", "raised")


def test_class_report_by_hand():
    gold = ["eu", "eu", "partner", "none"]
    pred = ["eu", "partner", "partner", "none"]
    r = class_report(gold, pred, ("eu", "partner", "none", "international"))
    assert r["accuracy"] == pytest.approx(0.75)
    # eu F1 2/3, partner F1 2/3, none 1; international absent from both: not averaged
    assert r["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert r["confusion"]["eu"] == {"eu": 1, "partner": 1}


def test_gold_errors_name_the_line():
    with pytest.raises(GoldError, match="line 2.*actor"):
        parse_actor_gold('{"text": "a", "actor": "eu", "act": "raised"}\n{"text": "b", "actor": "EU", "act": "raised"}')
    with pytest.raises(GoldError, match="line 1.*JSON"):
        parse_actor_gold("{not json")


def test_evaluate_task_actors_cli(tmp_path):
    rows = [{"text": s, "actor": a, "act": b, "lang": "fr" if "'" in s or " le " in s.lower() else "en"}
            for s, a, b in CASES]
    rows[0]["actor"] = "partner"  # one deliberate error
    gold = tmp_path / "actors.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--task", "actors", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["actor"]["accuracy"] == pytest.approx((len(CASES) - 1) / len(CASES))
    assert report["act"]["accuracy"] == pytest.approx(1.0)
    assert report["actor"]["confusion"]["partner"]["eu"] == 1
    assert set(report["by_lang"]) == {"en", "fr"}
    table = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--task", "actors"])
    assert table.exit_code == 0 and "macro-F1" in table.output
    bad = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--task", "speakers"])
    assert bad.exit_code == 2


def test_evaluate_actors_report_shape():
    rows = [{"text": s, "actor": a, "act": b, "lang": None} for s, a, b in CASES[:3]]
    report = evaluate_actors(rows, [(a, b) for _, a, b in CASES[:3]])
    assert report["n_rows"] == 3 and report["actor"]["accuracy"] == 1.0 and "by_lang" not in report
