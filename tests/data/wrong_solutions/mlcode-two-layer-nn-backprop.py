# Wrong: the backward pass forgets the ReLU derivative, using dz1 = da1 instead of da1 * (z1 > 0).
import numpy as np


class TwoLayerNet:
    def __init__(self, input_dim, hidden_dim, num_classes, seed=0):
        self.rng = np.random.default_rng(seed)
        self.W1 = self.rng.normal(0.0, np.sqrt(2.0 / input_dim), size=(input_dim, hidden_dim))
        self.b1 = np.zeros(hidden_dim)
        self.W2 = self.rng.normal(0.0, np.sqrt(2.0 / hidden_dim), size=(hidden_dim, num_classes))
        self.b2 = np.zeros(num_classes)

    def forward(self, X):
        z2 = np.maximum(X @ self.W1 + self.b1, 0.0) @ self.W2 + self.b2
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss_and_grads(self, X, y):
        n = X.shape[0]
        a1 = np.maximum(X @ self.W1 + self.b1, 0.0)
        z2 = a1 @ self.W2 + self.b2
        shifted = z2 - z2.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        loss = float(np.mean(np.log(e.sum(axis=1)) - shifted[np.arange(n), y]))
        dz2 = e / e.sum(axis=1, keepdims=True)
        dz2[np.arange(n), y] -= 1.0
        dz2 /= n
        dz1 = dz2 @ self.W2.T
        return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dz2, "b2": dz2.sum(axis=0)}

    def train(self, X, y, lr=0.1, epochs=10, batch_size=64):
        history = []
        for _ in range(epochs):
            order = self.rng.permutation(len(X))
            losses = []
            for start in range(0, len(X), batch_size):
                idx = order[start : start + batch_size]
                loss, grads = self.loss_and_grads(X[idx], y[idx])
                losses.append(loss)
                for name, g in grads.items():
                    setattr(self, name, getattr(self, name) - lr * g)
            history.append(float(np.mean(losses)))
        return history

    def predict(self, X):
        return self.forward(X).argmax(axis=1)
