"""Sanity checks for the scoring dev set (structure only; it never calls the scorer).

Run from anywhere:  python3 benchmarks/data/scoring_dev/check_set.py
"""

import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE.parents[2] / "question_bank" / "questions"
KINDS = {"strong", "medium", "weak", "paraphrase", "keywords", "negation", "wrong", "injection", "concise"}
SPECIAL = ["paraphrase", "keywords", "negation", "wrong", "injection"]
WORDS = {"strong": (250, 600), "medium": (150, 350), "weak": (60, 150)}


def main() -> int:
    questions = {}
    for f in QUESTIONS.glob("*/*.yaml"):
        q = yaml.safe_load(f.read_text())
        questions[q["id"]] = q
    errors, warnings = [], []
    by_kind, by_round, met_by_kind = Counter(), Counter(), Counter()
    files = sorted(HERE.glob("*.yaml"))
    for f in files:
        d = yaml.safe_load(f.read_text())
        qid = d.get("question_id")
        if qid != f.stem:
            errors.append(f"{f.name}: question_id {qid!r} does not match file name")
        if qid not in questions:
            errors.append(f"{f.name}: unknown question {qid!r}")
            continue
        q = questions[qid]
        mids = [m["id"] for m in q["milestones"]]
        answers = d.get("answers") or []
        ids = [a.get("id") for a in answers]
        if len(ids) != len(set(ids)):
            errors.append(f"{f.name}: duplicate answer ids")
        # six of the original kinds, plus two drill-style `concise` answers added later
        others = [a for a in answers if a.get("kind") != "concise"]
        if len(others) != 6:
            errors.append(f"{f.name}: {len(others)} answers besides the concise ones, expected 6")
        kinds_here = [a.get("kind") for a in answers]
        for k in ("strong", "medium", "weak", "concise"):
            if k not in kinds_here:
                errors.append(f"{f.name}: no {k} answer")
        for a in answers:
            tag = f"{f.name}:{a.get('id')}"
            kind = a.get("kind")
            if kind not in KINDS:
                errors.append(f"{tag}: bad kind {kind!r}")
            turns = a.get("turns") or []
            if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
                errors.append(f"{tag}: needs >= 1 non-empty turn")
            labels = a.get("labels") or {}
            if list(labels) != mids:
                errors.append(f"{tag}: label ids {list(labels)} != milestones {mids}")
            bad = {k: v for k, v in labels.items() if v not in ("met", "missed")}
            if bad:
                errors.append(f"{tag}: bad label values {bad}")
            n_words = sum(len(t.split()) for t in turns)
            if kind in WORDS:
                lo, hi = WORDS[kind]
                if not lo <= n_words <= hi:
                    warnings.append(f"{tag}: {n_words} words, outside {lo}-{hi}")
            if kind == "strong" and not 3 <= len(turns) <= 6:
                warnings.append(f"{tag}: {len(turns)} turns, strong expects 3-6")
            if kind == "concise" and any(len(t.split()) > 50 for t in turns):
                warnings.append(f"{tag}: a concise turn over 50 words")
            by_kind[kind] += 1
            by_round[q["round"]] += 1
            met_by_kind[kind] += sum(v == "met" for v in labels.values())
            print(
                f"  {tag:48s} {kind:10s} {n_words:4d} words  met {sum(v == 'met' for v in labels.values())}/{len(mids)}"
            )
    total = sum(by_kind.values())
    if total < 72:
        errors.append(f"only {total} answers, expected >= 72")
    for k in SPECIAL:
        if by_kind[k] < 5:
            errors.append(f"special kind {k!r} appears {by_kind[k]} times, expected >= 5")
    print(f"\nfiles: {len(files)}  answers: {total}")
    print("per kind: ", dict(sorted(by_kind.items())))
    print("per round:", dict(sorted(by_round.items())))
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
