"""Reading the labelled answer sets in benchmarks/data/ (scoring_dev for measuring, scoring_calibration for tuning)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from interviewers.transcript import Transcript, parse_transcript
from question_bank.loader import load_bank
from question_bank.schema import Question

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class LabelledAnswer:
    question: Question
    answer_id: str
    kind: str
    transcript: Transcript
    labels: dict[str, bool]


def load_set(name: str) -> list[LabelledAnswer]:
    bank = load_bank()
    answers: list[LabelledAnswer] = []
    for path in sorted((DATA / name).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        question = bank.get(doc["question_id"])
        for item in doc["answers"]:
            turns = [{"speaker": "interviewer", "text": question.prompt.strip()}]
            for i, text in enumerate(item["turns"]):
                if i:
                    turns.append({"speaker": "interviewer", "text": "Go on."})
                turns.append({"speaker": "candidate", "text": text})
            transcript = parse_transcript({"question_id": question.id, "turns": turns}, path.name)
            labels = {mid: value == "met" for mid, value in item["labels"].items()}
            answers.append(LabelledAnswer(question, item["id"], item["kind"], transcript, labels))
    return answers
