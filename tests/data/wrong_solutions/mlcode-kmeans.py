# Wrong: seeds with k random data points instead of k-means++, so two seeds can share a blob and Lloyd never recovers.
import numpy as np


def kmeans(X, k, max_iter=100, tol=1e-6, seed=0):
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    centers = X[rng.choice(len(X), size=k, replace=False)].copy()
    labels = np.zeros(len(X), dtype=int)
    for _ in range(max_iter):
        d2 = (X * X).sum(1)[:, None] - 2 * X @ centers.T + (centers * centers).sum(1)[None, :]
        labels = d2.argmin(axis=1)
        new_centers = np.array([X[labels == j].mean(axis=0) if np.any(labels == j) else centers[j] for j in range(k)])
        if np.abs(new_centers - centers).max() <= tol:
            centers = new_centers
            break
        centers = new_centers
    return centers, labels
