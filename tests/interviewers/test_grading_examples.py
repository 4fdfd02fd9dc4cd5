"""Issue #13's "tried as a new user" examples, each scored as a careful human grader would."""

from __future__ import annotations

from interviewers.code_results import code_verdict
from interviewers.scorecard import (
    HINT_COST,
    NO_CODE_CAP,
    Evidence,
    MilestoneResult,
    build_scorecard,
    code_written,
)
from interviewers.scoring.offline import OfflineScorer
from interviewers.transcript import parse_transcript
from question_bank.loader import Bank
from tests.interviewers.helpers import transcript_of
from tests.interviewers.test_offline_scorer import STRONG_L1_L2, status_of

BUZZWORD_FOR_X = [
    "For retrieval I'd do two-tower embeddings with FAISS.",
    "For ranking I'd do a deep learning model, maybe XGBoost too.",
    "For features I'd do a feature store with embeddings.",
    "For serving I'd do Kubernetes with autoscaling and caching.",
    "For monitoring I'd do drift detection and dashboards.",
    "For cold start I'd do content-based features and popularity.",
]


def test_buzzword_sentences_in_for_x_form_score_low(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("sd-marketplace-recs")
    card = scorer.score(question, transcript_of(question, *BUZZWORD_FOR_X))
    assert card.score <= 35, card.model_dump()
    assert card.verdict in ("no_hire", "lean_no_hire")


def test_a_reversed_claim_about_correlated_features_is_not_credited(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    reversed_claim = "L1 keeps all correlated features with equal weights, while L2 randomly picks one."
    card = scorer.score(question, transcript_of(question, *STRONG_L1_L2[:3], reversed_claim))
    assert status_of(card, "correlated") == "missed"
    assert [m.quote for m in card.misconceptions] == [reversed_claim]


def test_the_correct_short_claim_about_correlated_features_is_credited(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    # The new user's sentence alone ("L1 would keep one and drop the other") still earns nothing offline: a
    # one-sentence statement of a milestone scores under the partial cut-off (see the closing note of #13).
    short = (
        "With two correlated features, L1 would keep one and drop the other, and L2 would split the weight. "
        "Moving weight between the two copies costs L2 more when it's uneven, while L1 pays the same however "
        "it's split, so it lands on a corner."
    )
    card = scorer.score(question, transcript_of(question, *STRONG_L1_L2[:3], short))
    assert status_of(card, "correlated") in ("met", "partial")
    assert card.misconceptions == []


def test_questions_about_the_job_and_pleasantries_are_never_evidence(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    answers = [
        *STRONG_L1_L2[:2],
        "What does the on-call rotation look like for this team?",
        "Could you give me a nudge on the geometry?",
        "No questions from me, thanks.",
    ]
    card = scorer.score(question, transcript_of(question, *answers))
    quotes = [e.quote for m in card.milestones for e in m.evidence]
    assert quotes  # the real answers still earn credit
    assert not any("on-call" in q or "nudge" in q or "No questions" in q for q in quotes)


def _with_decisions(question_id: str, turns: list[tuple[str, str, str | None]]) -> object:
    rows = []
    for speaker, text, action in turns:
        row: dict[str, object] = {"speaker": speaker, "text": text}
        if action:
            row["decision"] = {"action": action, "target": "hint:0"}
        rows.append(row)
    return parse_transcript({"question_id": question_id, "turns": rows})


def test_hints_cost_points(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    plain = scorer.score(question, transcript_of(question, *STRONG_L1_L2))
    hinted_turns: list[tuple[str, str, str | None]] = [("interviewer", question.prompt, None)]
    for i, answer in enumerate(STRONG_L1_L2):
        if i < 3:
            hinted_turns += [("candidate", "Can you give me a hint?", None), ("interviewer", question.hints[i], "hint")]
        hinted_turns.append(("candidate", answer, None))
    hinted = scorer.score(question, _with_decisions(question.id, hinted_turns))  # type: ignore[arg-type]
    assert hinted.hints_used == 3
    assert hinted.score <= plain.score - 3 * HINT_COST + 0.01


def test_a_coding_round_without_code_is_not_a_hire(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("code-two-sum")
    talk = [
        "Should I return indices, and is there always exactly one answer? I'll assume yes to both.",
        "Brute force checks every pair, which is O(n squared) time and constant space.",
        "Better: one pass with a hash map from value to index; for each x I look up target minus x before "
        "inserting x, so the same element is never used twice and duplicates like [3, 3] work.",
        "That's O(n) time and O(n) space.",
        "Edge cases: no solution, negative numbers, duplicates; I'd test [2, 7, 11, 15] with target 9 and [3, 3] "
        "with target 6.",
    ]
    spoken = scorer.score(question, transcript_of(question, *talk))
    assert spoken.score <= NO_CODE_CAP
    assert spoken.verdict not in ("hire", "strong_hire")
    # Everything met on talk alone is still capped; the same verdicts with code written are not.
    met = [MilestoneResult(id=m.id, status="met", evidence=[Evidence(turn=1, quote="x")]) for m in question.milestones]
    talk_only = build_scorecard(question, met, "offline", code_written=False)
    assert talk_only.score == NO_CODE_CAP and talk_only.verdict == "lean_hire"
    assert any("no code was written" in note for note in talk_only.notes)
    assert build_scorecard(question, met, "offline", code_written=True).score == 100.0
    code = "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n"
    code += "        if target - x in seen:\n            return [seen[target - x], i]\n        seen[x] = i\n"
    assert code_written(transcript_of(question, *talk, code).turns)
    assert not code_written(transcript_of(question, *talk).turns)


def test_i_dont_know_the_details_earns_nothing(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("sd-marketplace-recs")
    card = scorer.score(question, transcript_of(question, "I don't know the details.", "Honestly, not sure."))
    assert card.score == 0
    assert card.verdict == "no_hire"


def test_remarks_pleas_and_bare_code_lines_are_never_evidence(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review found these quoted as evidence for edge_cases, prevention, fix and situation.
    junk = ["import heapq", "I'm out of ideas again, sorry.", "I can go deeper on any part.", "N = n - P"]
    junk += ["_, i, node = heapq.heappop(heap)"]  # a tuple assignment is a line of code too (second review)
    question = bank.get("mlf-l1-vs-l2")
    card = scorer.score(question, transcript_of(question, *[f"{STRONG_L1_L2[0]} {j}" for j in junk], *STRONG_L1_L2))
    quotes = [e.quote for m in card.milestones for e in m.evidence]
    assert quotes
    assert not any(j in q for j in junk for q in quotes)


def test_the_code_evidence_is_a_line_about_the_milestone(bank: Bank) -> None:
    # Second review: "class Node:", the first line of the code, was the evidence for edge_cases.
    question = bank.get("code-lru-cache")
    code = (
        "class Node:\n    def __init__(self, key, val):\n        self.key, self.val = key, val\n\n"
        "class LRUCache:\n    def put(self, key, value):\n        if key in self.map:\n"
        "            self._unlink(self.map[key])\n        elif len(self.map) == self.capacity:\n"
        "            self._evict_oldest()\n"
    )
    turns = [
        {"speaker": "interviewer", "text": question.prompt},
        {"speaker": "candidate", "text": code, "code": code, "tests": {"passed": 9, "total": 9, "failures": []}},
    ]
    transcript = parse_transcript({"question_id": question.id, "turns": turns})
    verdict = code_verdict(question, [MilestoneResult(id=m.id, status="missed") for m in question.milestones], turns)
    tested = [r for r in verdict.results if question.milestone(r.id).tested]
    assert tested and all(r.status == "met" for r in tested)
    assert all(e.quote in transcript.turns[1].text and e.quote != "class Node:" for r in tested for e in r.evidence)


def test_ordinary_numbers_and_stories_are_neither_injections_nor_dismissals(bank: Bank, scorer: OfflineScorer) -> None:
    # Third review: a rollout "ramp 2, 10, 50, 100 percent" was read as addressed to the grader, and "I didn't
    # want it to be my opinion against hers" as waving a topic away, each with a note on the scorecard.
    question = bank.get("beh-conflict")
    story = [
        "On the ranking team our tech lead wanted to ship a bigger model that added 40 ms of latency.",
        "I didn't want it to be my opinion against hers, so I proposed a two-week spike with a staged ramp of"
        " 2, 10, 50 and 100 percent of traffic and p99 latency as a guardrail.",
    ]
    card = scorer.score(question, transcript_of(question, *story))
    assert not any("grader" in n or "dismissive" in n for n in card.notes)
