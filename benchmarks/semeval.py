"""SemEval-2013 Task 7 (SciEntsBank and Beetle): human-graded short answers, read where they lie.

The data is CC BY-SA 3.0 (Dzikovska, Nielsen et al. 2013; see PROVENANCE.md beside it) and is not
copied into this repository: set MOCKLOOP_SEMEVAL to its JSONL, or keep the checkout beside the
shared folder that holds it. Each student answer becomes a one-turn transcript of a question whose
milestones are the reference answers (any one of them is a correct answer), so the scorer judges it
exactly as it judges an interview answer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from interviewers.transcript import Transcript, parse_transcript
from question_bank.schema import Milestone, Question

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "external-grading" / "semeval2013" / "semeval2013.jsonl"
SPLITS = ("train", "test-unseen-answers", "test-unseen-questions", "test-unseen-domains")
LABELS_3WAY = ("correct", "contradictory", "incorrect")


class SemEvalMissing(FileNotFoundError):
    pass


@dataclass(frozen=True)
class Item:
    corpus: str
    split: str
    question_id: str
    question_text: str
    references: tuple[str, ...]
    answer: str
    label_2way: str
    label_3way: str

    @property
    def correct(self) -> bool:
        return self.label_2way == "correct"

    def question(self) -> Question:
        # Built without validation: a SemEval question may have a single reference, and the bank's rule of
        # at least two milestones is about interview questions, not about this reading of the data.
        milestones = [Milestone(id=f"reference_{i}", text=text) for i, text in enumerate(self.references)]
        return Question.model_construct(
            id=f"semeval-{self.question_id.lower()}",
            round="ml_fundamentals",
            title=self.question_text[:60],
            prompt=self.question_text,
            milestones=milestones,
            facts=[],
            follow_ups=[],
            hints=[],
            misconceptions=[],
            tests=[],
            vocabulary=[],
            tags=[],
        )

    def transcript(self) -> Transcript:
        turns = [
            {"speaker": "interviewer", "text": self.question_text},
            {"speaker": "candidate", "text": self.answer},
        ]
        return parse_transcript({"question_id": f"semeval-{self.question_id.lower()}", "turns": turns})


def path() -> Path:
    return Path(os.environ.get("MOCKLOOP_SEMEVAL", DEFAULT))


def load(splits: tuple[str, ...] = SPLITS) -> list[Item]:
    source = path()
    if not source.is_file():
        raise SemEvalMissing(f"SemEval-2013 data not found at {source}; set MOCKLOOP_SEMEVAL to semeval2013.jsonl")
    items = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["split"] not in splits:
                continue
            items.append(
                Item(
                    corpus=row["corpus"],
                    split=row["split"],
                    question_id=row["question_id"],
                    question_text=row["question"],
                    references=tuple(row["reference_answers"]),
                    answer=row["answer"],
                    label_2way=row["label_2way"],
                    label_3way=row["label_3way"],
                )
            )
    return items
