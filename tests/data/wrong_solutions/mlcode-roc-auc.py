# Wrong: ranks come from a stable argsort with no midranks, so tied positive-negative pairs are not counted as half.
import numpy as np


def roc_auc(scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels).astype(bool)
    n_pos = int(labels.sum())
    n_neg = labels.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = np.empty(scores.size)
    ranks[np.argsort(scores, kind="mergesort")] = np.arange(1, scores.size + 1)
    u = ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
