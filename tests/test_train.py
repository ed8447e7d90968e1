"""Training: data assembly, model directories, MLflow tracking in the workspace, promotion."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.annotate import write_annotations
from pipeline.cli import app
from pipeline.config import TrainConfig, load_train_config
from pipeline.errors import ConfigError, ModelError
from pipeline.store import Workspace
from pipeline.taxonomy import load_taxonomy
from pipeline.train import (assemble, compare, fingerprint, gather, list_models, promote, promotion_state,
                            split_holdout, train, weak_labels)

from tests.conftest import ROOT

TOPICS = {
    "1.1.a": "death penalty executions moratorium abolition capital punishment",
    "1.1.b": "torture ill-treatment detention police interrogation",
    "1.2.a": "journalists media freedom of expression bloggers censorship",
}


def _rows(n_per: int, seed: int, shuffle_labels: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts, items = [], []
    for item, words in TOPICS.items():
        vocab = words.split()
        for _ in range(n_per):
            texts.append(" ".join(rng.choice(vocab, 6)) + f" case {rng.integers(1e6)}")
            items.append([item])
    if shuffle_labels:
        items = [items[i] for i in rng.permutation(len(items))]
    return pd.DataFrame({"text": texts, "items": items})


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(ROOT / "configs" / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml")


def _cfg(**kw) -> TrainConfig:
    base = {"settings": {"encoder": "none", "cv_folds": 2}, "n_boot": 20, "holdout": 0.25}
    return TrainConfig.model_validate(base | kw)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tax):
    """Two models on the same gold set: one on clean labels, one on shuffled ones."""
    root = tmp_path_factory.mktemp("train")
    gold = {"dev": _rows(4, seed=99)}
    good = train(_cfg(models_dir=str(root / "models")), tax, _rows(8, 1).assign(source="gold_train"),
                 gold_sets=gold, models_dir=root / "models", workspace=root / "ws")
    bad = train(_cfg(models_dir=str(root / "models"), seed=1), tax,
                _rows(8, 2, shuffle_labels=True).assign(source="gold_train"),
                gold_sets=gold, models_dir=root / "models", workspace=root / "ws")
    return root, good, bad


def test_model_directory_has_config_weights_card_and_metrics(trained, tax):
    root, good, bad = trained
    files = {p.name for p in good.model_dir.iterdir()}
    assert {"config.json", "weights.skops", "README.md", "metrics.json", "per_item.dev.csv",
            "confusion.dev.csv", "per_item_f1.dev.png"} <= files
    config = json.loads((good.model_dir / "config.json").read_text())
    assert config["labels"] == tax.item_ids() and config["taxonomy_hash"] == tax.hash
    assert config["model_id"] == good.model_id and config["data"]["rows"] == 24
    card = (good.model_dir / "README.md").read_text()
    assert "## Data" in card and "24 distinct texts: 24 from gold_train" in card
    assert "| item |" in card and "![per-item F1 on dev](per_item_f1.dev.png)" in card
    assert good.evaluations["dev"]["metrics"]["item.micro_f1"] > 0.9
    assert good.evaluations["dev"]["metrics"]["item.micro_f1"] > bad.evaluations["dev"]["metrics"]["item.micro_f1"]


def test_mlflow_run_is_in_the_workspace(trained):
    root, good, _ = trained
    assert (root / "ws" / "mlflow.db").exists()
    assert not (ROOT / "mlruns").exists() or not any((ROOT / "mlruns").iterdir())
    con = sqlite3.connect(root / "ws" / "mlflow.db")
    metrics = dict(con.execute("SELECT key, value FROM latest_metrics WHERE run_uuid = ?", [good.run_id]).fetchall())
    params = dict(con.execute("SELECT key, value FROM params WHERE run_uuid = ?", [good.run_id]).fetchall())
    assert metrics["dev.item.micro_f1"] == pytest.approx(good.evaluations["dev"]["metrics"]["item.micro_f1"])
    assert "dev.per_item.f1.1.1.a" in metrics and "holdout.item.macro_f1" in metrics
    assert params["model"] == "linear.v1" and params["settings.encoder"] == "none"
    artifacts = root / "ws" / "mlruns"
    run_dir = artifacts / good.run_id / "artifacts"
    assert (run_dir / "model" / "config.json").exists() and (run_dir / "confusion.dev.json").exists()


def test_promotion_refuses_a_worse_model_unless_forced_with_a_reason(trained):
    root, good, bad = trained
    models = root / "models"
    assert promote(models, good.model_id).promoted
    refused = promote(models, bad.model_id)
    assert not refused.promoted
    assert f"{bad.model_id} scores worse than the current model {good.model_id} on dev (12 rows)" in refused.message
    assert "--force --reason" in refused.message
    with pytest.raises(ConfigError, match="--force needs --reason"):
        promote(models, bad.model_id, force=True)
    forced = promote(models, bad.model_id, force=True, reason="demo of an override")
    assert forced.promoted and "forced: demo of an override" in forced.message
    state = promotion_state(models)
    assert state["current"] == bad.model_id
    assert state["history"][-1]["forced"] is True and state["history"][-1]["reason"] == "demo of an override"
    con = sqlite3.connect(root / "ws" / "mlflow.db")
    tags = dict(con.execute("SELECT key, value FROM tags WHERE run_uuid = ?", [bad.run_id]).fetchall())
    assert tags["promotion_reason"] == "demo of an override" and tags["promotion_forced"] == "true"
    listed = list_models(models)
    assert listed.loc[listed["promoted"], "model_id"].tolist() == [bad.model_id]


def test_models_without_a_shared_evaluation_cannot_be_compared(tmp_path):
    a = {"evaluations": {"dev": {"fingerprint": "aaa", "n_rows": 5, "metrics": {"item.micro_f1": 0.5}}}}
    b = {"evaluations": {"holdout": {"fingerprint": "bbb", "n_rows": 5, "metrics": {"item.micro_f1": 0.9}}}}
    assert compare(a, b, "item.micro_f1") == []
    for mid, m in (("a", a), ("b", b)):
        (tmp_path / mid).mkdir()
        (tmp_path / mid / "config.json").write_text("{}")
        (tmp_path / mid / "metrics.json").write_text(json.dumps(m))
    assert promote(tmp_path, "b").promoted
    res = promote(tmp_path, "a")
    assert not res.promoted and "share no evaluation set" in res.message and "--gold FILE" in res.message


def test_unknown_model_is_explained(tmp_path):
    with pytest.raises(ModelError, match="No model 'nope'.*aptag models list"):
        promote(tmp_path, "nope")


class _Fixed:
    """A tagger stub with fixed scores."""

    name = "stub"

    def __init__(self, scores):
        self.labels_ = ["a", "b", "c"]
        self.thresholds_ = np.array([0.5, 0.5, 0.5])
        self._scores = np.array(scores, dtype=float)

    def predict_scores(self, texts):
        return self._scores[: len(texts)]


@pytest.mark.parametrize("min_votes, margin, expected", [
    (2, 0.0, [["a"], []]),
    (1, 0.0, [["a", "b"], ["c"]]),
    (1, 0.2, [["a"], []]),
])
def test_weak_labels_need_votes_above_threshold(min_votes, margin, expected):
    one = _Fixed([[0.9, 0.6, 0.1], [0.1, 0.2, 0.55]])
    two = _Fixed([[0.8, 0.3, 0.1], [0.1, 0.2, 0.3]])
    assert weak_labels(["x", "y"], [one, two], min_votes=min_votes, margin=margin) == expected


def test_assemble_keeps_the_most_trusted_labels():
    human = pd.DataFrame({"text": ["t1", "t2"], "items": [["1.1.a"], []], "source": "annotations"})
    weak = pd.DataFrame({"text": ["t2", "t3", " "], "items": [["1.1.b"], ["1.2.a"], ["1.1.a"]], "source": "weak"})
    rows = assemble([human, weak])
    assert rows.set_index("text")["items"].to_dict() == {"t1": ["1.1.a"], "t2": [], "t3": ["1.2.a"]}


def test_holdout_comes_from_human_rows():
    rows = pd.concat([_rows(4, 0).assign(source="annotations"), _rows(20, 1).assign(source="weak")],
                     ignore_index=True)
    tr, held = split_holdout(rows, 0.25, min_human=10, seed=0)
    assert len(held) == 3 and set(held["source"]) == {"annotations"}
    assert len(tr) + len(held) == len(rows) and not set(tr.index) & set(held.index)


def test_fingerprint_ignores_order():
    rows = _rows(2, 0)
    assert fingerprint(rows) == fingerprint(rows.iloc[::-1]) != fingerprint(rows.iloc[1:])


def test_gather_reads_workspace_annotations(tmp_path, tax):
    with Workspace(tmp_path / "ws") as ws:
        ws.insert_df("passages", pd.DataFrame({"passage_id": ["p1", "p2"], "doc_id": "d", "seq": [0, 1],
                                               "text": ["torture in detention", "the harvest"],
                                               "char_start": 0, "char_end": 5}))
        write_annotations(ws, pd.DataFrame({"passage_id": ["p1", "p2"], "item_id": ["1.1.b", "1.1.a"],
                                                  "value": [1, 0], "annotator": "x",
                                                  "at": pd.Timestamp("2025-01-01"), "source": "f"}))
    rows, gold = gather(_cfg(), tax, tmp_path / "ws")
    assert rows.set_index("text")["items"].to_dict() == {"torture in detention": ["1.1.b"], "the harvest": []}
    assert gold == {}


def test_no_training_data_is_explained(tmp_path, tax):
    with pytest.raises(ModelError, match="No training data.*aptag review import"):
        train(_cfg(), tax, assemble([]), gold_sets={}, models_dir=tmp_path / "m", workspace=tmp_path / "ws")


def test_train_yaml_is_valid():
    cfg = load_train_config(ROOT / "configs" / "train.yaml")
    assert cfg.model == "adaptive.v1" and cfg.weak.paths == []
    from pipeline.classify import create_tagger

    assert create_tagger(cfg.model, **cfg.settings).get_settings()["k"] == cfg.settings["k"]


def test_cli_train_list_show_promote(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"text": t, "items": i}) + "\n" for t, i in zip(*_rows(3, 7).T.values)))
    train_file = tmp_path / "train.jsonl"
    train_file.write_text("".join(json.dumps({"text": t, "items": i}) + "\n" for t, i in zip(*_rows(6, 8).T.values)))
    runner = CliRunner()
    args = ["train", "--workspace", str(tmp_path / "ws"), "--set", f"models_dir={tmp_path / 'models'}", "--set", "model=linear.v1",
            "--set", "settings={encoder: none, cv_folds: 2}", "--set", f"gold_train=[{train_file}]",
            "--set", f"eval_gold=[{gold}]", "--set", "weak.paths=[]", "--set", "n_boot=0",
            "--model-id", "m1", "--metrics", str(tmp_path / "metrics" / "train.json")]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "gold (9 rows): item micro-F1" in res.output and "Saved" in res.output
    assert json.loads((tmp_path / "metrics" / "train.json").read_text())["model_id"] == "m1"
    res = runner.invoke(app, ["models", "list", "--models-dir", str(tmp_path / "models")])
    assert res.exit_code == 0 and "m1" in res.output
    res = runner.invoke(app, ["models", "show", "m1", "--models-dir", str(tmp_path / "models")])
    assert res.exit_code == 0 and "linear.v1 on taxonomy eu-hrd-action-plan-2020-2024" in res.output
    res = runner.invoke(app, ["models", "promote", "m1", "--models-dir", str(tmp_path / "models"), "--baseline",
                              "lexical.v1", "--gold", str(gold), "--force", "--reason", "a test model"])
    assert res.exit_code == 0 and "Promoted m1" in res.output, res.output
    res = runner.invoke(app, ["models", "promote", "m2", "--models-dir", str(tmp_path / "models")])
    assert res.exit_code == 1 and "No model 'm2'" in res.output


def test_cli_promote_refuses_a_model_of_another_taxonomy(tmp_path):
    from pipeline.classify.linear import LinearTagger

    sdg = load_taxonomy(ROOT / "configs" / "taxonomy" / "sdg.yaml")
    LinearTagger(encoder="none").fit(sdg, ["end poverty", "clean water"], [["1.1"], ["6.1"]]).save(tmp_path / "m" / "s")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"text": "torture", "items": ["1.1.b"]}) + "\n")
    res = CliRunner().invoke(app, ["models", "promote", "s", "--gold", str(gold), "--models-dir", str(tmp_path / "m"),
                                   "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 1 and "trained on taxonomy 'sdg'" in res.output


def test_mlflow_ui_listens_on_localhost_only(tmp_path, monkeypatch):
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, env: calls.append((cmd, env)) or 0)
    (tmp_path / "mlflow.db").write_text("")
    res = CliRunner().invoke(app, ["mlflow-ui", "--workspace", str(tmp_path), "--port", "5055"])
    assert res.exit_code == 0, res.output
    cmd, env = calls[0]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "5055"
    assert cmd[cmd.index("--backend-store-uri") + 1] == f"sqlite:///{tmp_path.resolve() / 'mlflow.db'}"
    assert env["MLFLOW_DISABLE_TELEMETRY"] == "true"


def test_models_belong_to_the_workspace_and_a_first_model_must_beat_the_zero_shot_default(tmp_path, monkeypatch):
    """train --workspace W writes under W/models; models list/promote --workspace W find it; the
    first promotion compares with the zero-shot default and refuses a worse model; tag then uses
    the promoted model and says so."""
    # texts the lexical tagger gets right (card terms), labelled with what a bad model cannot learn
    gold_rows = [{"text": "The EU called for the abolition of the death penalty and a moratorium on executions.",
                  "items": ["1.1.a"]},
                 {"text": "Journalists were harassed; the EU raised the safety of journalists.", "items": ["1.3.e"]}]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in gold_rows))
    train_file = tmp_path / "train.jsonl"
    train_file.write_text("".join(json.dumps({"text": t, "items": i}) + "\n" for t, i in zip(*_rows(6, 8).T.values)))
    monkeypatch.chdir(tmp_path)  # nothing may land in ./models of the current folder
    ws = tmp_path / "ws"
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--workspace", str(ws), "--set", "model=linear.v1",
                              "--set", "settings={encoder: none, cv_folds: 2}",
                              "--set", f"gold_train=[{train_file}]", "--set", f"eval_gold=[{gold}]",
                              "--set", "weak.paths=[]", "--set", "n_boot=0", "--model-id", "bad"])
    assert res.exit_code == 0, res.output
    assert (ws / "models" / "bad" / "config.json").exists() and not (tmp_path / "models").exists()
    listed = runner.invoke(app, ["models", "list", "--workspace", str(ws)])
    assert listed.exit_code == 0 and "bad" in listed.output
    refused = runner.invoke(app, ["models", "promote", "bad", "--workspace", str(ws), "--baseline", "lexical.v1",
                                  "--gold", str(gold)])
    assert refused.exit_code == 1, refused.output
    assert "scores worse than the zero-shot default lexical.v1" in " ".join(refused.output.split())
    forced = runner.invoke(app, ["models", "promote", "bad", "--workspace", str(ws), "--baseline", "lexical.v1",
                                 "--gold", str(gold), "--force", "--reason", "testing the default"])
    assert forced.exit_code == 0 and "Promoted bad over lexical.v1 (zero-shot default)" in " ".join(forced.output.split())
    (tmp_path / "a.txt").write_text("Minutes of the EU-Valdoria dialogue\n\nThe EU raised the death penalty.\n")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "-w", str(ws)]).exit_code == 0
    tagged = runner.invoke(app, ["tag", "-w", str(ws)])
    assert tagged.exit_code == 0, tagged.output
    assert "Using the promoted model bad" in " ".join(tagged.output.split())
