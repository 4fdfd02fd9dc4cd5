# Wrong: no feature scaling, so with a feature in the thousands the learning rate overshoots and the weights diverge.
import numpy as np


class LinearRegressionGD:
    def __init__(self, lr=0.1, max_iters=1000, tol=1e-9):
        self.lr = lr
        self.max_iters = max_iters
        self.tol = tol

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        n, d = X.shape
        self.w = np.zeros(d)
        self.b = 0.0
        for _ in range(self.max_iters):
            residual = X @ self.w + self.b - y
            grad_w = 2.0 / n * X.T @ residual
            grad_b = 2.0 / n * residual.sum()
            self.w -= self.lr * grad_w
            self.b -= self.lr * grad_b
            if np.sqrt(grad_w @ grad_w + grad_b**2) < self.tol:
                break
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.w + self.b
