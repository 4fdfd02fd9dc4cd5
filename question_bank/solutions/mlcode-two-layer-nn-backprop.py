import numpy as np


class TwoLayerNet:
    """Input -> ReLU hidden layer -> softmax output, trained with mini-batch SGD on mean cross-entropy."""

    def __init__(self, input_dim: int, hidden_dim: int, num_classes: int, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.W1 = self.rng.normal(0.0, np.sqrt(2.0 / input_dim), size=(input_dim, hidden_dim))
        self.b1 = np.zeros(hidden_dim)
        self.W2 = self.rng.normal(0.0, np.sqrt(2.0 / hidden_dim), size=(hidden_dim, num_classes))
        self.b2 = np.zeros(num_classes)

    def _logits(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z1 = X @ self.W1 + self.b1
        a1 = np.maximum(z1, 0.0)
        return z1, a1, a1 @ self.W2 + self.b2

    def forward(self, X: np.ndarray) -> np.ndarray:
        z2 = self._logits(X)[2]
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        n = X.shape[0]
        rows = np.arange(n)
        z1, a1, z2 = self._logits(X)
        shifted = z2 - z2.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        sums = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(sums[:, 0]) - shifted[rows, y]))
        dz2 = e / sums
        dz2[rows, y] -= 1.0
        dz2 /= n
        da1 = dz2 @ self.W2.T
        dz1 = da1 * (z1 > 0)
        grads = {
            "W1": X.T @ dz1,
            "b1": dz1.sum(axis=0),
            "W2": a1.T @ dz2,
            "b2": dz2.sum(axis=0),
        }
        return loss, grads

    def train(
        self, X: np.ndarray, y: np.ndarray, lr: float = 0.1, epochs: int = 10, batch_size: int = 64
    ) -> list[float]:
        history = []
        n = X.shape[0]
        for _ in range(epochs):
            order = self.rng.permutation(n)
            total = 0.0
            for start in range(0, n, batch_size):
                batch = order[start : start + batch_size]
                loss, grads = self.loss_and_grads(X[batch], y[batch])
                total += loss * len(batch)
                for name, grad in grads.items():
                    setattr(self, name, getattr(self, name) - lr * grad)
            history.append(total / n)
        return history

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self._logits(X)[2].argmax(axis=1)
