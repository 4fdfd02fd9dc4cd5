# Wrong: scales the scores by sqrt(d_model) instead of the per-head sqrt(d_k); right only with one head.
import numpy as np


def attention_decode_step(x, k_cache, v_cache, W_q, W_k, W_v, W_o, num_heads):
    b, d_model = x.shape
    d_k = d_model // num_heads
    q = (x @ W_q).reshape(b, num_heads, 1, d_k)
    k = (x @ W_k).reshape(b, num_heads, 1, d_k)
    v = (x @ W_v).reshape(b, num_heads, 1, d_k)
    k_cache = np.concatenate([k_cache, k], axis=2)
    v_cache = np.concatenate([v_cache, v], axis=2)
    scores = q @ k_cache.transpose(0, 1, 3, 2) / np.sqrt(d_model)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    out = (weights @ v_cache).reshape(b, d_model) @ W_o
    return out, k_cache, v_cache
