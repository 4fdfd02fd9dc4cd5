"""Building transcripts for tests."""

from __future__ import annotations

from interviewers.transcript import Transcript, parse_transcript
from question_bank.schema import Question


def transcript_of(question: Question, *answers: str) -> Transcript:
    turns = [{"speaker": "interviewer", "text": question.prompt}]
    for i, answer in enumerate(answers):
        if i:
            turns.append({"speaker": "interviewer", "text": "Go on."})
        turns.append({"speaker": "candidate", "text": answer})
    return parse_transcript({"question_id": question.id, "turns": turns})
