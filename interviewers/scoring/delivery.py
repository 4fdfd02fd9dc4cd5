"""How the answer was delivered: pace, fillers, pauses, length against the round's targets,
quantified results in stories, and whether a design started from requirements."""

from __future__ import annotations

import re
from typing import Any

from interviewers.scorecard import MilestoneResult
from interviewers.scoring.text import words
from interviewers.transcript import Transcript
from question_bank.schema import Question

_FILLERS = re.compile(
    r"\b(um+|uh+|erm+|er|hmm+|you know|i mean|basically|literally|sort of|kind of|like(?=,))\b", re.IGNORECASE
)
# Numbers, percentages, money and durations: what makes a result quantified.
_QUANTITY = re.compile(
    r"(\d[\d,.]*\s*(%|percent|x\b|k\b|m\b|ms\b|bps\b|basis points|million|billion|thousand|hours?|days?|weeks?|"
    r"months?|minutes?|seconds?|users|customers|points?)|[$€£]\s?\d|\b\d+(\.\d+)?\b)",
    re.IGNORECASE,
)
# Seconds an answer should run, by round (a behavioral story: two to four minutes).
ANSWER_TARGET_SECONDS: dict[str, tuple[float, float]] = {"behavioral": (120.0, 240.0)}
HEALTHY_WPM = (110.0, 170.0)


def _requirements_first(question: Question, results: list[MilestoneResult]) -> bool | None:
    """For system design: was the first requirements evidence earlier than the first model evidence?"""
    if question.round != "system_design":
        return None
    by_id = {r.id: r for r in results}
    req = [by_id[m.id] for m in question.milestones if m.id.startswith("requirement")]
    model = [by_id[m.id] for m in question.milestones if "model" in m.id]
    req_turns = [e.turn for r in req for e in r.evidence]
    model_turns = [e.turn for r in model for e in r.evidence]
    if not req_turns:
        return False
    return not model_turns or min(req_turns) <= min(model_turns)


def delivery_metrics(question: Question, transcript: Transcript, results: list[MilestoneResult]) -> dict[str, Any]:
    turns = transcript.turns
    answers: list[dict[str, Any]] = []
    total_words = total_fillers = 0
    talk_seconds = 0.0
    longest_pause: float | None = None
    last_end: float | None = None  # when the most recent timed turn (either speaker) finished
    target = ANSWER_TARGET_SECONDS.get(question.round)
    for index, turn in enumerate(turns):
        if turn.speaker != "candidate":
            if turn.t is not None:
                last_end = turn.t + (turn.duration or 0.0)
            continue
        n_words = len(words(turn.text))
        fillers = len(_FILLERS.findall(turn.text))
        total_words += n_words
        total_fillers += fillers
        answer: dict[str, Any] = {"turn": index, "words": n_words, "fillers": fillers}
        if turn.duration:
            talk_seconds += turn.duration
            answer["seconds"] = round(turn.duration, 1)
            if target:
                low, high = target
                answer["length"] = "short" if turn.duration < low else "long" if turn.duration > high else "ok"
        if turn.t is not None:
            if last_end is not None:
                pause = max(0.0, turn.t - last_end)
                longest_pause = pause if longest_pause is None else max(longest_pause, pause)
            last_end = turn.t + (turn.duration or 0.0)
        answers.append(answer)
    metrics: dict[str, Any] = {"candidate_words": total_words, "answers": answers, "fillers": total_fillers}
    if talk_seconds > 0:
        minutes = talk_seconds / 60
        metrics["talk_seconds"] = round(talk_seconds, 1)
        metrics["words_per_minute"] = round(total_words / minutes, 1)
        metrics["fillers_per_minute"] = round(total_fillers / minutes, 2)
        metrics["pace"] = (
            "slow"
            if metrics["words_per_minute"] < HEALTHY_WPM[0]
            else "fast"
            if metrics["words_per_minute"] > HEALTHY_WPM[1]
            else "ok"
        )
    elif total_words:
        metrics["fillers_per_100_words"] = round(100 * total_fillers / total_words, 2)
    if longest_pause is not None:
        metrics["longest_pause_seconds"] = round(longest_pause, 1)
    if target:
        metrics["answer_target_seconds"] = list(target)
    if question.round == "behavioral":
        text = " ".join(t.text for _, t in transcript.candidate_turns())
        metrics["quantified_results"] = len(_QUANTITY.findall(text))
        metrics["quantified"] = metrics["quantified_results"] > 0
    requirements_first = _requirements_first(question, results)
    if requirements_first is not None:
        metrics["requirements_before_model"] = requirements_first
    return metrics
