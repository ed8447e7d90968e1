"""The quality benchmark scripts run end to end on a few rows of the shared data, with a stub tagger
(no encoder), print their protocol and both threshold settings, and write nothing on limited runs."""

import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.classify import REGISTRY
from pipeline.classify.base import Tagger

from conftest import require_data

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


class KeywordStub(Tagger):
    """Scores an item by the share of its title words found in the text (enough to tag something)."""

    name = "kwstub.v1"

    def fit(self, taxonomy, texts=None, labels=None):
        self.labels_ = taxonomy.item_ids()
        self.thresholds_ = np.full(len(self.labels_), 0.3)
        self.taxonomy_id_, self.taxonomy_hash_ = taxonomy.id, taxonomy.hash
        self.words_ = [{w for w in (n.text or n.title).lower().split() if len(w) > 6} for n in taxonomy.items()]
        return self

    def predict_scores(self, texts):
        low = [set(t.lower().split()) for t in texts]
        return np.array([[len(w & t) / max(len(w), 1) for w in self.words_] for t in low]).reshape(len(texts), -1)


@pytest.mark.parametrize("script, data, expected", [
    ("upr_uhri.py", ("upr_slovenia_uhri", "upr_slovenia_uhri.jsonl"), ["theme recall", "test (cycles 3+4)"]),
    ("sdg_benchmark.py", ("sdg_benchmark", "sdg_benchmark.jsonl"), ["text2sdg", "Average"]),
    ("unga_sdg.py", ("unga_sdg", "unga_sdg_multiannotator.jsonl"), ["Human band", "vs CB"]),
])
def test_benchmark_script_runs_on_a_few_rows(script, data, expected, monkeypatch, capsys):
    require_data(*data)
    monkeypatch.setitem(REGISTRY, "kwstub.v1", f"{__name__}:KeywordStub")
    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.setattr(sys, "argv", [script, "--model", "kwstub.v1", "--limit", "12", "--n-boot", "20"])
    runpy.run_path(str(BENCH / script), run_name="__main__")
    out = capsys.readouterr().out
    assert "Protocol (../shared/data/README.md" in out and "LIMITED to 12 rows" in out
    assert "model thresholds" in out and "dev-tuned offset" in out
    assert all(e in out for e in expected)
    assert "Results not written" in out
