import numpy as np


class MultiHeadAttention:
    """Multi-head self-attention on (B, n, d_model) inputs, optionally causal, with a key padding mask."""

    def __init__(self, d_model: int, num_heads: int, seed: int = 0):
        if d_model % num_heads:
            raise ValueError("d_model must be divisible by num_heads")
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        rng = np.random.default_rng(seed)
        scale = 1.0 / np.sqrt(d_model)
        self.W_q, self.W_k, self.W_v, self.W_o = (rng.normal(0.0, scale, size=(d_model, d_model)) for _ in range(4))

    def _split(self, t: np.ndarray) -> np.ndarray:
        b, n, _ = t.shape
        return t.reshape(b, n, self.num_heads, self.d_k).transpose(0, 2, 1, 3)  # (B, h, n, d_k)

    def forward(self, x: np.ndarray, padding_mask: np.ndarray | None = None, causal: bool = False) -> np.ndarray:
        b, n, _ = x.shape
        q = self._split(x @ self.W_q)
        k = self._split(x @ self.W_k)
        v = self._split(x @ self.W_v)
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(self.d_k)  # (B, h, n, n)
        blocked = np.zeros((b, 1, n, n), dtype=bool)
        if causal:
            blocked = blocked | np.triu(np.ones((n, n), dtype=bool), k=1)
        if padding_mask is not None:
            blocked = blocked | np.asarray(padding_mask, dtype=bool)[:, None, None, :]
        scores = np.where(blocked, -np.inf, scores)
        row_max = scores.max(axis=-1, keepdims=True)
        row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # a fully masked row stays all zeros
        weights = np.exp(scores - row_max)
        denom = weights.sum(axis=-1, keepdims=True)
        weights = weights / np.where(denom > 0, denom, 1.0)
        heads = weights @ v  # (B, h, n, d_k)
        merged = heads.transpose(0, 2, 1, 3).reshape(b, n, self.d_model)
        return merged @ self.W_o

    __call__ = forward
