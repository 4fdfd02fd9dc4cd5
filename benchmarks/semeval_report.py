"""Agreement with SemEval-2013 Task 7's human graders, per test split, beside two baselines of the same run.

2-way (correct / incorrect): the scorer's own verdict is "the answer meets a reference milestone"
(probability >= the fitted `met` cut-off, chosen on interview answers); beside it the same probability
with a threshold chosen on SemEval's train split for macro-F1, which is how both baselines get theirs.
3-way (correct / contradictory / incorrect): a softmax regression fitted on the train split, over the
scorer's feature row for the closest reference, or over each baseline's one number. Test splits are
never fitted on. Published figures, where a source could be found offline, are printed beside ours.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

from benchmarks import semeval
from benchmarks.grading_baselines import TfIdf, embedding_cosine, fit_multinomial, predict_multinomial
from interviewers.scoring.features import FEATURES
from interviewers.scoring.offline import OfflineScorer

Array = NDArray[np.float64]
CLASSES = {label: i for i, label in enumerate(semeval.LABELS_3WAY)}
TESTS = [
    ("beetle", "test-unseen-answers"),
    ("beetle", "test-unseen-questions"),
    ("sciEntsBank", "test-unseen-answers"),
    ("sciEntsBank", "test-unseen-questions"),
    ("sciEntsBank", "test-unseen-domains"),
]
# Best participating system per split, macro-average F1, as far as it could be found without the papers'
# tables: a 2013 course report that copies the top-3 Beetle entries (github.com/ashudeep/Student-Response-
# Analysis, Report/report.tex). The organisers' lexical baseline and the SciEntsBank rows were not found.
PUBLISHED_2WAY = {
    ("beetle", "test-unseen-answers"): "ETS2/CoMeT1 0.833",
    ("beetle", "test-unseen-questions"): "ETS2 0.702",
}
PUBLISHED_3WAY = {("beetle", "test-unseen-answers"): "CoMeT1 0.715", ("beetle", "test-unseen-questions"): "ETS2 0.585"}


def macro_f1(y: NDArray[np.int_], predicted: NDArray[np.int_], classes: int) -> float:
    scores = []
    for c in range(classes):
        tp = int(((predicted == c) & (y == c)).sum())
        wrong = int(((predicted == c) != (y == c)).sum())
        scores.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
    return float(np.mean(scores))


def _threshold(score: Array, y: NDArray[np.int_]) -> float:
    candidates = np.unique(np.round(score, 3))
    return float(max(candidates, key=lambda t: macro_f1(y, (score >= t).astype(int), 2)))


def _standardise(x: Array, train: NDArray[np.bool_]) -> Array:
    mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
    out: Array = np.clip((x - mean) / scale, -3.0, 3.0)
    return out


def report(scorer: OfflineScorer) -> None:
    start = time.perf_counter()
    try:
        items = semeval.load()
    except semeval.SemEvalMissing as exc:
        print(f"SemEval-2013: skipped ({exc})")
        return
    encoder = scorer.encoder
    if encoder is None:
        print("SemEval-2013: skipped (the embedding baseline needs the MiniLM model)")
        return
    train = np.array([item.split == "train" for item in items])
    closest = FEATURES.index("strength_max")
    rows, probability = [], []
    for item in items:
        features = scorer.analyse(item.question(), item.transcript()).features
        rows.append(features[int(np.argmax(features[:, closest]))])
        probability.append(float(scorer.model.probability(features).max()))
    x, p = np.vstack(rows), np.asarray(probability)
    idf = TfIdf([i.answer for i in items if i.split == "train"] + sorted({r for i in items for r in i.references}))
    tfidf = np.array([idf.cosine(i.answer, i.references) for i in items])
    cosine = np.array([embedding_cosine(encoder, i.answer, i.references) for i in items])
    y2 = np.array([int(i.correct) for i in items])
    y3 = np.array([CLASSES[i.label_3way] for i in items])

    two_way = {
        "scorer (met)": (p >= scorer.model.met).astype(int),
        "scorer": (p >= _threshold(p[train], y2[train])).astype(int),
        "tf-idf": (tfidf >= _threshold(tfidf[train], y2[train])).astype(int),
        "minilm": (cosine >= _threshold(cosine[train], y2[train])).astype(int),
    }
    three_way = {}
    for name, features in (("scorer", x), ("tf-idf", tfidf[:, None]), ("minilm", cosine[:, None])):
        z = _standardise(features, train)
        three_way[name] = predict_multinomial(fit_multinomial(z[train], y3[train], 3), z)

    print(
        f"\nSemEval-2013 Task 7 ({len(items)} answers, {int(train.sum())} train; {time.perf_counter() - start:.0f} s)"
    )
    for task, predictions, y, k, published in (
        ("2-way", two_way, y2, 2, PUBLISHED_2WAY),
        ("3-way", three_way, y3, 3, PUBLISHED_3WAY),
    ):
        print(f"  {task}: accuracy / macro-F1; ratios are scorer over baseline (macro-F1)")
        for corpus, split in TESTS:
            mask = np.array([i.corpus == corpus and i.split == split for i in items])
            cells = {
                n: (float((pr[mask] == y[mask]).mean()), macro_f1(y[mask], pr[mask], k))
                for n, pr in predictions.items()
            }
            line = "  ".join(f"{n} {a:.3f}/{f:.3f}" for n, (a, f) in cells.items())
            ours = cells["scorer"][1]
            ratios = f"x{ours / cells['tf-idf'][1]:.2f} tf-idf, x{ours / cells['minilm'][1]:.2f} minilm"
            best = published.get((corpus, split), "not found")
            print(f"    {corpus:11} {split:21} n={int(mask.sum()):4}  {line}  ({ratios}; published best {best})")
