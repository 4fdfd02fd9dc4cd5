# Wrong: the loss includes the L2 penalty but the gradient forgets its lam * w term, so fit ignores lambda.
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class LogisticRegressionL2:
    def __init__(self, lam=0.01, lr=0.1, n_iters=1000):
        self.lam = lam
        self.lr = lr
        self.n_iters = n_iters
        self.w = None
        self.b = 0.0

    def loss(self, X, y):
        z = X @ self.w + self.b
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * self.lam * np.dot(self.w, self.w))

    def gradient(self, X, y):
        residual = _sigmoid(X @ self.w + self.b) - y
        return X.T @ residual / X.shape[0], float(residual.mean())

    def fit(self, X, y):
        self.w = np.zeros(X.shape[1])
        self.b = 0.0
        for _ in range(self.n_iters):
            grad_w, grad_b = self.gradient(X, y)
            self.w = self.w - self.lr * grad_w
            self.b = self.b - self.lr * grad_b
        return self

    def predict_proba(self, X):
        return _sigmoid(X @ self.w + self.b)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)
