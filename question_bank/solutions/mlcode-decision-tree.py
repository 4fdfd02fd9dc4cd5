"""Reference solution: CART-style classifier with a sorted, vectorized split search over all features at once."""

import numpy as np


def _impurity(counts: np.ndarray, criterion: str) -> np.ndarray:
    """Gini or entropy from class counts along the last axis (rows with no samples give 0)."""
    total = counts.sum(axis=-1, keepdims=True)
    p = counts / np.maximum(total, 1)
    if criterion == "gini":
        return 1.0 - (p * p).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(p > 0, np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return -(p * logs).sum(axis=-1)


class DecisionTreeClassifier:
    def __init__(self, max_depth: int | None = None, min_samples_split: int = 2, criterion: str = "gini") -> None:
        if criterion not in ("gini", "entropy"):
            raise ValueError(f"unknown criterion {criterion!r}")
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.criterion = criterion

    def fit(self, X: np.ndarray, y: np.ndarray) -> None:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        # flat node arrays: feature -1 marks a leaf
        self.feature_: list[int] = []
        self.threshold_: list[float] = []
        self.left_: list[int] = []
        self.right_: list[int] = []
        self.value_: list[int] = []
        stack = [(self._new_node(), np.arange(len(y_idx)), 0)]
        while stack:
            node, rows, depth = stack.pop()
            counts = np.bincount(y_idx[rows], minlength=self.n_classes_)
            self.value_[node] = int(counts.argmax())  # majority class; ties go to the smallest label
            split = self._best_split(X[rows], y_idx[rows], counts, depth)
            if split is None:
                continue
            feature, threshold = split
            goes_left = X[rows, feature] <= threshold
            left, right = self._new_node(), self._new_node()
            self.feature_[node], self.threshold_[node] = feature, threshold
            self.left_[node], self.right_[node] = left, right
            stack.append((right, rows[~goes_left], depth + 1))
            stack.append((left, rows[goes_left], depth + 1))

    def _new_node(self) -> int:
        self.feature_.append(-1)
        self.threshold_.append(0.0)
        self.left_.append(-1)
        self.right_.append(-1)
        self.value_.append(0)
        return len(self.feature_) - 1

    def _best_split(self, X: np.ndarray, y: np.ndarray, counts: np.ndarray, depth: int) -> tuple[int, float] | None:
        m = len(y)
        if (self.max_depth is not None and depth >= self.max_depth) or m < self.min_samples_split:
            return None
        if np.count_nonzero(counts) <= 1:
            return None  # pure node
        order = np.argsort(X, axis=0, kind="stable")
        xs = np.take_along_axis(X, order, axis=0)  # (m, d), each column sorted
        onehot = np.eye(self.n_classes_)[y[order]]  # (m, d, C)
        left_counts = np.cumsum(onehot, axis=0)[:-1]  # first i + 1 rows go left, i = 0 .. m - 2
        right_counts = counts - left_counts
        n_left = np.arange(1, m)[:, None]
        left_impurity = _impurity(left_counts, self.criterion)
        right_impurity = _impurity(right_counts, self.criterion)
        child = (n_left * left_impurity + (m - n_left) * right_impurity) / m  # size-weighted child impurity
        child[xs[:-1] == xs[1:]] = np.inf  # only cut between distinct values, so neither side is empty
        i, feature = np.unravel_index(np.argmin(child), child.shape)  # first minimum: deterministic ties
        parent = float(_impurity(counts, self.criterion))
        if not np.isfinite(child[i, feature]) or parent - child[i, feature] <= 1e-12:
            return None  # constant features or no positive gain
        lo, hi = xs[i, feature], xs[i + 1, feature]
        threshold = (lo + hi) / 2.0
        if not lo <= threshold < hi:  # neighbouring floats: the midpoint can round up to hi
            threshold = lo
        return int(feature), float(threshold)

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        feature, threshold = np.array(self.feature_), np.array(self.threshold_)
        left, right = np.array(self.left_), np.array(self.right_)
        nodes = np.zeros(len(X), dtype=int)
        while True:
            inner = feature[nodes] >= 0
            if not inner.any():
                break
            rows = np.flatnonzero(inner)
            at = nodes[rows]
            go_left = X[rows, feature[at]] <= threshold[at]
            nodes[rows] = np.where(go_left, left[at], right[at])
        return self.classes_[np.array(self.value_)[nodes]]
