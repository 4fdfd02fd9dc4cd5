import numpy as np


def attention_decode_step(
    x: np.ndarray,
    k_cache: np.ndarray,
    v_cache: np.ndarray,
    W_q: np.ndarray,
    W_k: np.ndarray,
    W_v: np.ndarray,
    W_o: np.ndarray,
    num_heads: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One decoding step of causal multi-head self-attention with a KV cache.

    x (B, d_model) is the new token; the caches (B, h, t, d_k) hold the keys and values of the t tokens
    before it. Returns the new token's output (B, d_model) and the caches grown to t + 1 positions.
    """
    b, d_model = x.shape
    d_k = d_model // num_heads

    def split(t: np.ndarray) -> np.ndarray:  # (B, d_model) -> (B, h, 1, d_k); head i owns columns i*d_k:(i+1)*d_k
        return t.reshape(b, num_heads, 1, d_k)

    q, k, v = split(x @ W_q), split(x @ W_k), split(x @ W_v)
    # Append first: in causal attention the newest position attends to itself as well as to the past.
    k_cache = np.concatenate([k_cache, k], axis=2)
    v_cache = np.concatenate([v_cache, v], axis=2)
    # One query against every cached key; all of them are at or before this position, so no mask is needed.
    scores = q @ k_cache.transpose(0, 1, 3, 2) / np.sqrt(d_k)  # (B, h, 1, t + 1)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    heads = weights @ v_cache  # (B, h, 1, d_k)
    out = heads.reshape(b, d_model) @ W_o
    return out, k_cache, v_cache
