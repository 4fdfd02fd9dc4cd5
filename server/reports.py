"""Sessions as documents: the JSON export of shared/CONTRACTS.md §2 and §3, and a Markdown report."""

from __future__ import annotations

from typing import Any

VERDICT_WORDS = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_hire": "Lean hire",
    "lean_no_hire": "Lean no hire",
    "no_hire": "No hire",
}
STATUS_MARK = {"met": "✅ met", "partial": "◐ partial", "missed": "✗ missed"}


def session_document(
    session_id: str,
    question_id: str,
    round_: str,
    persona: str | None,
    turns: list[dict[str, Any]],
    scorecard: dict[str, Any] | None,
    status: str | None = None,
) -> dict[str, Any]:
    """What `mockloop export --format json` writes: a transcript that `mockloop score` reads back."""
    doc: dict[str, Any] = {
        "session_id": session_id,
        "question_id": question_id,
        "round": round_,
        "persona": persona,
        "turns": turns,
        "scorecard": scorecard,
    }
    if status is not None:
        doc["status"] = status
    return doc


def _quote(text: str) -> str:
    return text.replace("\n", " ").strip()


def markdown_report(doc: dict[str, Any], title: str, milestone_texts: dict[str, str]) -> str:
    """A readable report: verdict, each milestone with its status and quotes, delivery, transcript."""
    lines = [f"# {title}", "", f"Session `{doc['session_id']}` · question `{doc['question_id']}` · {doc['round']}"]
    card = doc.get("scorecard")
    if card:
        verdict = VERDICT_WORDS.get(card["verdict"], card["verdict"])
        lines += [
            "",
            f"**Score {card['score']:g}/100 — {verdict}** (scored by `{card['scorer']}`)",
            "",
            "## Milestones",
            "",
        ]
        for m in card["milestones"]:
            lines.append(
                f"- **{m['id']}** — {STATUS_MARK.get(m['status'], m['status'])}: {milestone_texts.get(m['id'], '')}"
            )
            for ev in m.get("evidence", []):
                lines.append(f"  - turn {ev['turn']}: “{_quote(ev['quote'])}”")
        delivery = card.get("delivery") or {}
        shown = {k: v for k, v in delivery.items() if k != "answers"}
        if shown:
            lines += ["", "## Delivery", ""]
            lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in shown.items()]
        tests = card.get("tests")
        if isinstance(tests, dict):
            lines += ["", "## Tests", "", f"{tests.get('passed', 0)} of {tests.get('total', 0)} pass on the last code."]
            lines += [f"- {f['name']}: {f['message']}" for f in tests.get("failures", [])]
        if card.get("notes"):
            lines += ["", "## Notes", ""] + [f"- {note}" for note in card["notes"]]
    else:
        lines += ["", "_Not scored yet._"]
    lines += ["", "## Transcript", ""]
    for i, turn in enumerate(doc["turns"]):
        who = "Interviewer" if turn["speaker"] == "interviewer" else "You"
        lines.append(f"**{i}. {who}:** {_quote(turn['text'])}")
        for outcome in turn.get("tests_detail") or []:
            mark = "passes" if outcome.get("passed") else f"fails: {outcome.get('message', '')}"
            lines.append(f"- test {outcome.get('name')}{' (hidden)' if outcome.get('hidden') else ''} {mark}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
