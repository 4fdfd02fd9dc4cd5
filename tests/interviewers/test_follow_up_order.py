"""Follow-ups come after the basics: in a coding round once the base version runs, elsewhere once the core
(top-weight) milestones are covered or asked. Second drill review: the LRU cache's TTL twist came before any
code, merge-k's 10 TB curveball likewise, and "the downstream system needs probabilities" before the kernel
trick of an SVM-kernels question."""

from __future__ import annotations

from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank
from tests.interviewers.helpers import interview, say

FOLLOW_UPS = ("deepen", "curveball")

LRU_TALK = [
    "A dict from key to node gives O(1) lookup, and a doubly linked list keeps the nodes in recency order.",
    "Get moves the node to the front; put inserts at the front and, when over capacity, unlinks the tail node"
    " and deletes its key from the dict.",
    "Both operations are O(1): one dict lookup and a constant number of pointer changes, and memory is O(capacity).",
    "Edge cases: capacity one, putting an existing key updates its value and recency without evicting, and"
    " getting a missing key returns -1.",
    "To test it I'd trace capacity 2: put 1, put 2, get 1, then put 3 evicts key 2, so get 2 returns -1.",
    "I could also swap the list for an OrderedDict with move_to_end and popitem, same costs.",
]


def test_no_twist_before_the_base_version_runs(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "code-lru-cache", seed=9)
    replies = [say(engine, text, i + 1) for i, text in enumerate(LRU_TALK)]
    assert not {r.decision.action for r in replies} & set(FOLLOW_UPS)
    assert replies[-1].decision.action == "ask_code"  # nothing left but the code: no early wrap-up without it
    assert "code" in replies[-1].text
    outcomes = [{"name": f"case {i}", "passed": True, "hidden": False, "message": ""} for i in range(4)]
    code = "class LRUCache:\n    def __init__(self, capacity):\n        self.capacity = capacity\n"
    assert say(engine, code, 8, code=code, tests_detail=outcomes).decision.action in FOLLOW_UPS


def test_a_deepening_question_waits_for_the_core_of_the_topic(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-svm-kernels")
    top = max(m.weight for m in question.milestones)
    engine = interview(bank, scorer, question.id, seed=9)
    reply = say(
        engine,
        "The SVM picks the separating hyperplane with the widest margin; C trades margin width against violations:"
        " a small C tolerates more misclassified points for a wider margin, a large C fits the training data harder.",
        2,
    )
    core_missing = [m.id for m in question.milestones if m.weight == top and engine.state.coverage[m.id] == "missed"]
    assert core_missing  # the kernel trick and the rest of the core are still open
    assert reply.decision.action not in FOLLOW_UPS


def test_a_question_about_the_twist_is_answered_before_the_next_one(bank: Bank, scorer: OfflineScorer) -> None:
    # Third review (code-course-schedule): "Can a pair ever be removed? If only added, …" got a second twist.
    engine = interview(bank, scorer, "code-lru-cache", seed=9)
    for i, text in enumerate(LRU_TALK):
        say(engine, text, i + 1)
    outcomes = [{"name": f"case {i}", "passed": True, "hidden": False, "message": ""} for i in range(4)]
    code = "class LRUCache:\n    def __init__(self, capacity):\n        self.capacity = capacity\n"
    twist = say(engine, code, 8, code=code, tests_detail=outcomes)
    assert twist.decision.action in FOLLOW_UPS
    asked = say(engine, "Is that in wall-clock seconds or in operations? If wall clock, I'd keep an expiry.", 9)
    assert asked.decision.action == "ask_assumption"  # not the next follow-up on top
    answer = say(
        engine, "I'll assume every entry. Each node keeps its own expiry and get checks it before returning.", 10
    )
    assert answer.decision.action != "ask_assumption"
