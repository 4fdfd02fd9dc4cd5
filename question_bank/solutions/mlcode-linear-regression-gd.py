"""Reference solution: batch gradient descent on the mean squared error, on standardized features."""

import numpy as np


class LinearRegressionGD:
    def __init__(self, lr: float = 0.1, max_iters: int = 1000, tol: float = 1e-9) -> None:
        self.lr = lr
        self.max_iters = max_iters
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> None:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n, d = X.shape
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        # a constant column would otherwise divide by zero (or by rounding noise)
        self.std_ = np.where(std > 1e-12 * (1.0 + np.abs(self.mean_)), std, 1.0)
        Z = (X - self.mean_) / self.std_
        self.w_ = np.zeros(d)
        self.b_ = 0.0
        self.losses_: list[float] = []
        for _ in range(self.max_iters):
            residual = Z @ self.w_ + self.b_ - y
            self.losses_.append(float(residual @ residual) / n)
            grad_w = (2.0 / n) * (Z.T @ residual)
            grad_b = (2.0 / n) * residual.sum()
            self.w_ -= self.lr * grad_w
            self.b_ -= self.lr * grad_b
            if np.sqrt(grad_w @ grad_w + grad_b * grad_b) < self.tol:
                break

    def predict(self, X: np.ndarray) -> np.ndarray:
        Z = (np.asarray(X, dtype=np.float64) - self.mean_) / self.std_
        return Z @ self.w_ + self.b_
