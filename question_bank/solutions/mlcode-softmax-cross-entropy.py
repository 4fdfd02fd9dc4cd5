import numpy as np


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy over the batch and its gradient with respect to the logits."""
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sums = exp.sum(axis=1, keepdims=True)
    # -log p_y = log(sum exp(shifted)) - shifted_y, never the log of a probability that may underflow.
    loss = float(np.mean(np.log(sums[:, 0]) - shifted[rows, labels]))
    grad = exp / sums
    grad[rows, labels] -= 1.0
    grad /= n
    return loss, grad
