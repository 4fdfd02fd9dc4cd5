"""The two baselines every grading figure is compared with, measured in the same run.

- TF-IDF cosine between the answer and the closest reference (words lower-cased, stop words kept out,
  inverse document frequency over the training answers and references);
- all-MiniLM-L6-v2 cosine between the closest answer sentence and the closest reference.

benchmarks/semeval_report.py gives each baseline its decision threshold (2-way) or a multinomial logistic
fit on its one number (3-way) from the training split, exactly like the scorer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.text import content_stems

Array = NDArray[np.float64]
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


class TfIdf:
    def __init__(self, documents: Sequence[str]) -> None:
        counts = Counter(stem for doc in documents for stem in set(content_stems(doc)))
        self.idf = {stem: math.log((len(documents) + 1) / (n + 1)) + 1 for stem, n in counts.items()}
        self.unseen = math.log(len(documents) + 1) + 1

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(content_stems(text))
        vec = {stem: n * self.idf.get(stem, self.unseen) for stem, n in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {stem: v / norm for stem, v in vec.items()}

    def cosine(self, answer: str, references: Sequence[str]) -> float:
        a = self.vector(answer)
        return max((sum(a.get(s, 0.0) * v for s, v in self.vector(r).items()) for r in references), default=0.0)


def embedding_cosine(encoder: MiniLM, answer: str, references: Sequence[str]) -> float:
    sentences = [s for s in _SENTENCE.split(answer.strip()) if s.strip()] or [answer]
    return float((encoder.encode(sentences) @ encoder.encode(list(references)).T).max())


def fit_multinomial(x: Array, y: NDArray[np.int_], classes: int, steps: int = 3000, l2: float = 1e-3) -> Array:
    """Softmax regression by gradient descent on standardised features; returns weights with a bias row."""
    z = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros((z.shape[1], classes))
    onehot = np.eye(classes)[y]
    for _ in range(steps):
        logits = z @ w
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        w -= 0.5 * (z.T @ (p - onehot) / len(z) + l2 * w)
    return w


def predict_multinomial(w: Array, x: Array) -> NDArray[np.int_]:
    z = np.hstack([x, np.ones((len(x), 1))])
    out: NDArray[np.int_] = np.argmax(z @ w, axis=1)
    return out
