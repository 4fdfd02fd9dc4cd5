import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Stable sigmoid: exp only ever sees a non-positive argument."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class LogisticRegressionL2:
    """Binary logistic regression, J = mean log loss + lam / 2 * ||w||^2 (the bias is not penalized)."""

    def __init__(self, lam: float = 0.01, lr: float = 0.1, n_iters: int = 1000):
        self.lam = lam
        self.lr = lr
        self.n_iters = n_iters
        self.w: np.ndarray | None = None
        self.b = 0.0

    def _logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.w + self.b

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        z = self._logits(X)
        # -[y log p + (1 - y) log(1 - p)] = log(1 + e^z) - y z, computed without overflow.
        data = np.mean(np.logaddexp(0.0, z) - y * z)
        return float(data + 0.5 * self.lam * np.dot(self.w, self.w))

    def gradient(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        residual = _sigmoid(self._logits(X)) - y
        n = X.shape[0]
        grad_w = X.T @ residual / n + self.lam * self.w
        grad_b = float(residual.mean())
        return grad_w, grad_b

    def fit(self, X: np.ndarray, y: np.ndarray) -> "LogisticRegressionL2":
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.w = np.zeros(X.shape[1])
        self.b = 0.0
        for _ in range(self.n_iters):
            grad_w, grad_b = self.gradient(X, y)
            self.w = self.w - self.lr * grad_w
            self.b = self.b - self.lr * grad_b
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return _sigmoid(self._logits(np.asarray(X, dtype=float)))

    def predict(self, X: np.ndarray, threshold: float = 0.5) -> np.ndarray:
        return (self.predict_proba(X) >= threshold).astype(int)
