"""Fit the offline scorer's logistic model on human labels: the calibration set and SemEval-2013's train split.

    python benchmarks/fit_offline_scorer.py        # writes interviewers/scoring/offline_weights.json

Two sources, weighted to count equally: the interview answers of benchmarks/data/scoring_calibration
(labelled per milestone) and the 8,910 student answers of SemEval-2013 Task 7's train split (labelled
by human graders; see benchmarks/semeval.py for where the data lies and its licence), each answer
judged against the reference it comes closest to. Reports leave-one-question-out F1 on the
calibration set, chooses the met/partial cut-offs on those held-out predictions, then fits the final
weights on everything. Never read: the dev set (benchmarks/data/scoring_dev) and SemEval's test splits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import semeval
from benchmarks.labelled_sets import load_set
from interviewers.scoring.features import FEATURES, RARE_WORDS_FILE, _document_frequency, count_milestone_stems
from interviewers.scoring.offline import WEIGHTS_FILE, OfflineScorer
from question_bank.loader import SHIPPED_DIR

Array = NDArray[np.float64]
L2 = 1.0
TOLERANCE = 0.005
CUTOFFS = [(hi / 100, lo / 100) for hi in range(40, 81, 5) for lo in range(25, 61, 5) if lo <= hi]


def fit(x: Array, y: Array, weight: Array | None = None) -> dict[str, object]:
    w = np.ones_like(y) if weight is None else weight
    w = w / w.sum()
    mean = (x * w[:, None]).sum(axis=0)
    scale = np.sqrt(((x - mean) ** 2 * w[:, None]).sum(axis=0)) + 1e-9
    z = np.clip((x - mean) / scale, -3.0, 3.0)
    coef, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(4000):
        p = 1 / (1 + np.exp(-(z @ coef + bias)))
        coef -= 0.5 * (z.T @ (w * (p - y)) + L2 * coef / len(y))
        bias -= 0.5 * float((w * (p - y)).sum())
    return {"mean": mean.tolist(), "scale": scale.tolist(), "coef": coef.tolist(), "bias": bias}


def predict(model: dict[str, object], x: Array) -> Array:
    standard = np.clip((x - np.asarray(model["mean"])) / np.asarray(model["scale"]), -3.0, 3.0)
    z = standard @ np.asarray(model["coef"]) + float(model["bias"])  # type: ignore[arg-type]
    out: Array = 1 / (1 + np.exp(-z))
    return out


def f1(p: Array, y: Array, met: float, partial: float) -> tuple[float, float, float]:
    credit = np.where(p >= met, 1.0, np.where(p >= partial, 0.5, 0.0))
    tp, fp, fn = (credit * y).sum(), (credit * (1 - y)).sum(), ((1 - credit) * y).sum()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0), precision, recall


def semeval_rows(scorer: OfflineScorer) -> tuple[Array, Array]:
    """One row per SemEval train answer: its features against the reference whose sentences it matches best."""
    rows, labels = [], []
    closest = FEATURES.index("strength_max")
    for item in semeval.load(("train",)):
        features = scorer.analyse(item.question(), item.transcript()).features
        rows.append(features[int(np.argmax(features[:, closest]))])
        labels.append(float(item.correct))
    return np.vstack(rows), np.asarray(labels)


def fit_mode(use_embeddings: bool) -> dict[str, object]:
    scorer = OfflineScorer(use_embeddings=use_embeddings)
    x_s, y_s = semeval_rows(scorer)
    rows, labels, groups = [], [], []
    for answer in load_set("scoring_calibration"):
        analysis = scorer.analyse(answer.question, answer.transcript)
        rows.append(analysis.features)
        labels += [float(answer.labels[m.id]) for m in answer.question.milestones]
        groups += [answer.question.id] * len(answer.question.milestones)
    x, y, g = np.vstack(rows), np.asarray(labels), np.asarray(groups)
    # The two sources weigh the same in total: SemEval has ten times the rows, the interviews are the product.
    w_c = np.full(len(y), len(y_s) / len(y))
    held_out = np.zeros_like(y)
    for question in np.unique(g):
        train = g != question
        model = fit(
            np.vstack([x[train], x_s]), np.concatenate([y[train], y_s]), np.concatenate([w_c[train], np.ones(len(y_s))])
        )
        held_out[~train] = predict(model, x[~train])
    # Among cut-offs within TOLERANCE of the best held-out F1, take the widest partial band: a concise but
    # correct answer should earn partial credit rather than nothing (a product choice, made before the dev set).
    best = max(f1(held_out, y, *c)[0] for c in CUTOFFS)
    met, partial = max(
        (c for c in CUTOFFS if f1(held_out, y, *c)[0] >= best - TOLERANCE),
        key=lambda c: (c[0] - c[1], f1(held_out, y, *c)[0]),
    )
    score, precision, recall = f1(held_out, y, met, partial)
    ranked = sorted(CUTOFFS, key=lambda c: -f1(held_out, y, *c)[0])[:5]
    print("  best cut-offs (met, partial): " + ", ".join(f"{c}: {f1(held_out, y, *c)[0]:.4f}" for c in ranked))
    mode = "semantic" if use_embeddings else "lexical"
    print(
        f"{mode}: {len(y)} labels; leave-one-question-out F1 {score:.3f} (P {precision:.3f}, R {recall:.3f}) "
        f"with met >= {met}, partial >= {partial}"
    )
    return {
        "features": FEATURES,
        **fit(np.vstack([x, x_s]), np.concatenate([y, y_s]), np.concatenate([w_c, np.ones(len(y_s))])),
        "met": met,
        "partial": partial,
        "fitted_on": "benchmarks/data/scoring_calibration and SemEval-2013 Task 7 train (CC BY-SA 3.0)",
        "held_out_f1": round(score, 3),
    }


def main() -> None:
    # The rare-word weights are frozen with the fit: write them from today's bank first, then fit on them.
    RARE_WORDS_FILE.write_text(json.dumps(count_milestone_stems([SHIPPED_DIR]), indent=0) + "\n", encoding="utf-8")
    _document_frequency.cache_clear()
    print(f"wrote {RARE_WORDS_FILE}")
    weights = {"semantic": fit_mode(True), "lexical": fit_mode(False)}
    WEIGHTS_FILE.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
