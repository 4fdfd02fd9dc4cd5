"""Building transcripts for tests."""

from __future__ import annotations

from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from interviewers.transcript import Transcript, parse_transcript
from question_bank.loader import Bank
from question_bank.schema import Question


def transcript_of(question: Question, *answers: str) -> Transcript:
    turns = [{"speaker": "interviewer", "text": question.prompt}]
    for i, answer in enumerate(answers):
        if i:
            turns.append({"speaker": "interviewer", "text": "Go on."})
        turns.append({"speaker": "candidate", "text": answer})
    return parse_transcript({"question_id": question.id, "turns": turns})


def interview(bank: Bank, scorer: OfflineScorer, question_id: str, seed: int = 5) -> InterviewEngine:
    """A live interview on the question, opened, with the question's round persona."""
    question = bank.get(question_id)
    engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=seed)
    engine.opening()
    return engine


def say(engine: InterviewEngine, text: str, minute: float, **data: object) -> Reply:
    """The candidate's turn at `minute` into the question, and the interviewer's reply."""
    engine.candidate_turn(text, **data)
    return engine.respond(elapsed=60 * minute)
