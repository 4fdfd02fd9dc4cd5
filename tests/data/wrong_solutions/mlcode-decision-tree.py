# Wrong: scores a split by the plain sum of the two children's Gini values instead of weighting them by size.
import numpy as np


def gini(y, n_classes):
    if len(y) == 0:
        return 0.0
    p = np.bincount(y, minlength=n_classes) / len(y)
    return 1.0 - float(np.sum(p * p))


class DecisionTreeClassifier:
    def __init__(self, max_depth=None, min_samples_split=2, criterion="gini"):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.criterion = criterion

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=int)
        self.n_classes = int(y.max()) + 1
        self.root = self._grow(X, y, 0)
        return self

    def _grow(self, X, y, depth):
        leaf = {"value": int(np.bincount(y, minlength=self.n_classes).argmax())}
        if len(np.unique(y)) == 1 or len(y) < self.min_samples_split:
            return leaf
        if self.max_depth is not None and depth >= self.max_depth:
            return leaf
        best = None
        best_score = np.inf
        for j in range(X.shape[1]):
            order = np.argsort(X[:, j])
            xs, ys = X[order, j], y[order]
            for i in range(1, len(ys)):
                if xs[i] == xs[i - 1]:
                    continue
                score = gini(ys[:i], self.n_classes) + gini(ys[i:], self.n_classes)
                if score < best_score - 1e-12:
                    best_score, best = score, (j, (xs[i - 1] + xs[i]) / 2)
        if best is None:
            return leaf
        j, t = best
        mask = X[:, j] <= t
        return {
            "feature": j,
            "threshold": t,
            "left": self._grow(X[mask], y[mask], depth + 1),
            "right": self._grow(X[~mask], y[~mask], depth + 1),
        }

    def predict(self, X):
        out = []
        for row in np.asarray(X, dtype=float):
            node = self.root
            while "feature" in node:
                node = node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]
            out.append(node["value"])
        return np.array(out)
