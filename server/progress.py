"""Progress over time and readiness against the prep plan's milestone checkpoints."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.storage import SessionRow

HIRE = 65.0  # the score at which a verdict becomes `hire`
FRAMEWORK = ("requirements", "data", "features", "model", "serving", "monitoring")
# The note InterviewEngine.scorecard puts on the card of an interview with no answer. Drills no longer save
# those, but older rows (and web sessions ended unanswered) hold 0-point cards that measure nothing.
NO_ANSWER = "no answer was given"


def session_summary(row: SessionRow) -> dict[str, Any]:
    """What progress needs of one session: when, which round and question, and how it scored (nothing when
    no answer was given: such a session is listed, never counted)."""
    card = row.scorecard or {}
    if NO_ANSWER in card.get("notes", []):
        card = {}
    return {
        "id": row.id,
        "question_id": row.question_id,
        "round": row.round,
        "status": row.status,
        "created_at": row.created_at.isoformat(),
        "score": card.get("score"),
        "verdict": card.get("verdict"),
        "milestones": {m["id"]: m["status"] for m in card.get("milestones", [])},
    }


def round_stats(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per round with a scored session: how many, the best, the latest and the mean of the last three."""
    stats = []
    for round_, points in round_series(sessions).items():
        scores = [p["score"] for p in points]
        recent = scores[-3:]
        stats.append(
            {
                "round": round_,
                "sessions": len(scores),
                "best": max(scores),
                "latest": scores[-1],
                "recent_mean": round(sum(recent) / len(recent), 1),
            }
        )
    return sorted(stats, key=lambda s: str(s["round"]))


def round_series(sessions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per round: (date, score) of every scored session, oldest first."""
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sessions:
        if s.get("score") is not None:
            series[s["round"]].append({"at": s["created_at"], "score": s["score"], "question": s["question_id"]})
    return dict(series)


def readiness(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's checkpoints, each with how far the candidate's sessions have got towards it."""
    scored = [s for s in sessions if s.get("score") is not None]

    def distinct(predicate: Any) -> int:
        return len({s["question_id"] for s in scored if predicate(s)})

    full_design = distinct(
        lambda s: (
            s["round"] == "system_design"
            and all(s["milestones"].get(step) == "met" for step in FRAMEWORK if step in s["milestones"])
            and sum(step in s["milestones"] for step in FRAMEWORK) >= 5
        )
    )
    star = distinct(lambda s: s["round"] == "behavioral" and s["milestones"].get("quantified_result") == "met")
    checkpoints = [
        ("Design a recommendation or ranking system covering all six framework steps", full_design, 1),
        ("8 STAR stories with quantified results", star, 8),
        (
            "Implement ML algorithms from scratch (hire score)",
            distinct(lambda s: s["question_id"].startswith("mlcode-") and s["score"] >= HIRE),
            2,
        ),
        ("Debug 5 common ML issues", distinct(lambda s: s["round"] == "debugging" and s["score"] >= HIRE), 5),
        (
            "Explain core ML concepts clearly (10 fundamentals at hire)",
            distinct(lambda s: s["round"] == "ml_fundamentals" and s["score"] >= HIRE),
            10,
        ),
        (
            "Solve coding problems at hire level (10 problems)",
            distinct(lambda s: s["round"] == "coding" and s["score"] >= HIRE),
            10,
        ),
    ]
    return [
        {"checkpoint": name, "done": min(done, goal), "goal": goal, "ready": done >= goal}
        for name, done, goal in checkpoints
    ]
