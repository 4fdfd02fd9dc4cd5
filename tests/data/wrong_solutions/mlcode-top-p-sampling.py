# Wrong: keeps only the tokens whose cumulative probability stays <= p, dropping the token that crosses p.
import numpy as np


def top_p_sample(logits, p, temperature, rng):
    z = np.asarray(logits, dtype=np.float64) / temperature
    probs = np.exp(z - z.max())
    probs = probs / probs.sum()
    order = np.argsort(-probs)
    sorted_probs = probs[order]
    keep = np.cumsum(sorted_probs) <= p
    keep[0] = True  # always keep the most likely token
    kept = sorted_probs[keep] / sorted_probs[keep].sum()
    return int(order[keep][rng.choice(len(kept), p=kept)])
