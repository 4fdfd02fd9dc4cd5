import numpy as np


def top_p_sample(logits: np.ndarray, p: float, temperature: float, rng: np.random.Generator) -> int:
    """Nucleus sampling: temperature first, then the smallest set of most probable tokens holding mass >= p."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max()  # exp never overflows, however small the temperature
    probs = np.exp(z)
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    sorted_probs = probs[order]
    cumulative = np.cumsum(sorted_probs)
    # The first position where the running mass reaches p is the token that crosses p: it is kept.
    # Rounding can leave the total a hair under 1, so p = 1 may find no such position: keep everything then.
    keep = min(int(np.searchsorted(cumulative, p, side="left")) + 1, probs.size)
    nucleus = sorted_probs[:keep] / sorted_probs[:keep].sum()
    return int(order[rng.choice(keep, p=nucleus)])
