# Wrong: the softmax subtracts the row max, but the loss takes np.log of the probability, which underflows to 0.
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    loss = float(-np.mean(np.log(probs[np.arange(n), labels])))
    grad = probs.copy()
    grad[np.arange(n), labels] -= 1.0
    return loss, grad / n
