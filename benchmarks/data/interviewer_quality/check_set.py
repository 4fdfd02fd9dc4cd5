"""Checks the scripted candidates of the interviewer-quality benchmark against the shipped bank.

One YAML file per shipped question (`<question id>.yaml`):

    question: code-two-sum
    clarify:            # clarifying questions a candidate asks, each for one fact, in words not in its `ask`
      - fact: 0
        text: Will there always be a pair that works, or can I come back empty-handed?
    misconceptions:     # each shipped misconception, said the way a candidate would, not in the claim's words
      - index: 0
        text: I'd sort it and walk two pointers in from the ends; the positions stay valid.
    strong: [...]       # 3-6 turns of a strong candidate, each concrete, covering one or two milestones
    vague: [...]        # 2-4 turns that say little: generic, no specifics
    buzzword: [...]     # 2-4 turns of name-dropping without reasoning

Run: python benchmarks/data/interviewer_quality/check_set.py [ID ...]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from interviewers.scoring.text import content_stems
from question_bank.loader import load_bank

HERE = Path(__file__).resolve().parent
KEYS = {"question", "clarify", "misconceptions", "strong", "vague", "buzzword"}


def problems(path: Path, data: Any, bank: Any) -> list[str]:
    out: list[str] = []
    if not isinstance(data, dict) or set(data) - KEYS:
        return [f"{path.name}: expected a mapping with keys {sorted(KEYS)}"]
    qid = data.get("question")
    if qid != path.stem or qid not in bank.questions:
        return [f"{path.name}: 'question' must be the file's stem and a shipped question id"]
    question = bank.questions[qid]
    for i, item in enumerate(data.get("clarify") or []):
        fact, text = item.get("fact"), str(item.get("text", ""))
        if not isinstance(fact, int) or not 0 <= fact < len(question.facts):
            out.append(f"{path.name}: clarify[{i}] names no fact")
            continue
        asked = set(content_stems(text))
        used = [p for p in question.facts[fact].ask if set(content_stems(p)) & asked]
        if used:
            out.append(f"{path.name}: clarify[{i}] uses the ask words {used} of fact {fact}")
        if "?" not in text:
            out.append(f"{path.name}: clarify[{i}] is not a question")
    covered = {item.get("fact") for item in data.get("clarify") or []}
    if question.facts and len(covered) < min(len(question.facts), 3):
        out.append(f"{path.name}: clarify should cover at least {min(len(question.facts), 3)} facts")
    for i, item in enumerate(data.get("misconceptions") or []):
        index, text = item.get("index"), str(item.get("text", ""))
        if not isinstance(index, int) or not 0 <= index < len(question.misconceptions):
            out.append(f"{path.name}: misconceptions[{i}] names no misconception")
            continue
        claim = content_stems(question.misconceptions[index].claim)
        shared = len(set(claim) & set(content_stems(text))) / max(1, len(set(claim)))
        if shared > 0.5:
            out.append(f"{path.name}: misconceptions[{i}] repeats {shared:.0%} of the claim's words")
    said = {item.get("index") for item in data.get("misconceptions") or []}
    if len(said) < len(question.misconceptions):
        out.append(
            f"{path.name}: every misconception needs a paraphrase ({len(said)} of {len(question.misconceptions)})"
        )
    for kind, low in (("strong", 3), ("vague", 2), ("buzzword", 2)):
        turns = data.get(kind) or []
        if len(turns) < low or not all(isinstance(t, str) and t.strip() for t in turns):
            out.append(f"{path.name}: '{kind}' needs at least {low} turns of text")
    return out


def main(ids: list[str]) -> int:
    bank = load_bank()
    files = sorted(HERE.glob("*.yaml"))
    if ids:
        files = [f for f in files if f.stem in ids]
    found: list[str] = []
    for path in files:
        found += problems(path, yaml.safe_load(path.read_text(encoding="utf-8")), bank)
    for line in found:
        print(line)
    print(f"{len(files)} files, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
