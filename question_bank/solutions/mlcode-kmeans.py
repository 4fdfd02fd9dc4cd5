"""Reference solution: k-means++ seeding, then vectorized Lloyd iterations with empty-cluster re-seeding."""

import numpy as np


def _sq_dists(X: np.ndarray, x_sq: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """(n, k) squared Euclidean distances via ||x||^2 - 2 x.c + ||c||^2, clipped at 0 against cancellation."""
    d2 = x_sq[:, None] - X @ (2.0 * centers.T) + (centers * centers).sum(axis=1)[None, :]
    return np.maximum(d2, 0.0)


def _kmeans_plus_plus(X: np.ndarray, x_sq: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """First center uniform at random; each next one drawn with probability proportional to D(x)^2."""
    n = X.shape[0]
    centers = np.empty((k, X.shape[1]))
    centers[0] = X[rng.integers(n)]
    closest = _sq_dists(X, x_sq, centers[:1])[:, 0]
    for j in range(1, k):
        total = closest.sum()
        idx = rng.choice(n, p=closest / total) if total > 0 else rng.integers(n)
        centers[j] = X[idx]
        closest = np.minimum(closest, _sq_dists(X, x_sq, centers[j : j + 1])[:, 0])
    return centers


def _cluster_sums(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.stack([np.bincount(labels, weights=X[:, j], minlength=k) for j in range(X.shape[1])], axis=1)


def kmeans(
    X: np.ndarray, k: int, max_iter: int = 100, tol: float = 1e-6, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    x_sq = (X * X).sum(axis=1)
    rng = np.random.default_rng(seed)
    centers = _kmeans_plus_plus(X, x_sq, k, rng)
    labels = np.full(n, -1)
    for _ in range(max_iter):
        d2 = _sq_dists(X, x_sq, centers)
        new_labels = d2.argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break  # assignments unchanged: the centers are already the means of their clusters
        labels = new_labels
        counts = np.bincount(labels, minlength=k)
        sums = _cluster_sums(X, labels, k)
        new_centers = centers.copy()
        filled = counts > 0
        new_centers[filled] = sums[filled] / counts[filled, None]
        own = d2[np.arange(n), labels]
        for j in np.flatnonzero(~filled):
            # an empty cluster is re-seeded at the point farthest from its current center
            far = int(own.argmax())
            new_centers[j] = X[far]
            own[far] = 0.0
        shift = np.sqrt(((new_centers - centers) ** 2).sum(axis=1)).max()
        centers = new_centers
        if shift <= tol:
            break
    labels = _sq_dists(X, x_sq, centers).argmin(axis=1)
    return centers, labels
