# Wrong: masks by zeroing attention weights after the softmax, so rows no longer sum to 1 and future keys still count.
import numpy as np


class MultiHeadAttention:
    def __init__(self, d_model, num_heads, seed=0):
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        rng = np.random.default_rng(seed)
        self.W_q, self.W_k, self.W_v, self.W_o = (
            rng.normal(0.0, d_model**-0.5, size=(d_model, d_model)) for _ in range(4)
        )

    def forward(self, x, padding_mask=None, causal=False):
        b, n, _ = x.shape

        def split(t):
            return t.reshape(b, n, self.num_heads, self.d_k).transpose(0, 2, 1, 3)

        q, k, v = split(x @ self.W_q), split(x @ self.W_k), split(x @ self.W_v)
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(self.d_k)
        scores = scores - scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights = weights / weights.sum(axis=-1, keepdims=True)
        keep = np.ones((b, 1, n, n))
        if causal:
            keep = keep * np.tril(np.ones((n, n)))
        if padding_mask is not None:
            keep = keep * (~np.asarray(padding_mask, dtype=bool))[:, None, None, :]
        weights = weights * keep
        out = (weights @ v).transpose(0, 2, 1, 3).reshape(b, n, self.d_model)
        return out @ self.W_o

    __call__ = forward
