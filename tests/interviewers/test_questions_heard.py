"""The candidate's own questions are heard: one put off to the end is answered there, one about the team gets
an answer on what was asked, and an answer that ends by asking what no fact covers is not met with silence.
(Second drill review: beh-mentoring, code-lru-cache, sd-news-feed-ranking.)"""

from __future__ import annotations

from interviewers.scoring.offline import OfflineScorer
from interviewers.team import team_answer
from question_bank.loader import Bank
from tests.interviewers.helpers import interview, say


def test_a_question_put_off_to_the_end_is_answered_there(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "beh-mentoring", seed=7)
    asked = "Before I go on, how does onboarding work for new people on your team?"
    put_off = say(engine, asked, 2)
    assert put_off.decision.action == "answer_offscript"
    assert "onboard" not in put_off.text.lower()  # not yet: "at the end"
    end = say(engine, "I think that's all I have.", engine.question.time_box + 1)
    assert end.decision.action == "wrap_up" and end.decision.extra.get("deferred") == asked
    answer = team_answer(asked)
    assert answer is not None and answer in end.text and end.text.index("mentor") < end.text.index("?")
    # kept once: the next turn does not answer it again
    after = say(engine, "Nothing else, thanks.", engine.question.time_box + 2)
    assert answer not in after.text


def test_your_team_in_a_problem_with_no_team_is_about_the_job(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "code-lru-cache", seed=7)
    reply = say(engine, "Out of curiosity, how big is your team and who does it report to?", 3)
    assert reply.decision.action == "answer_offscript"
    assert not reply.decision.extra.get("facts")


def test_the_problems_own_team_is_still_the_problem(bank: Bank, scorer: OfflineScorer) -> None:
    # dbg-drift-new-market's prompt has a risk team: "your team" may mean it, so a fact can still answer.
    question = bank.get("dbg-drift-new-market")
    assert "team" in question.prompt
    engine = interview(bank, scorer, question.id, seed=7)
    reply = say(engine, "Has your team changed the approval cutoff at any point this year?", 2)
    assert reply.decision.action == "answer_fact"


def test_an_answer_ending_in_a_question_no_fact_covers_waits_for_it(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "sd-news-feed-ranking", seed=7)
    reply = say(
        engine,
        "The ranker only learns from what it chose to show, so I'd hold out a small slice of traffic for exploration"
        " and train on it without position bias. Is any exploration slice running today that I could train on?",
        4,
    )
    # Answered (no data: assume), not passed over for the next question (second review, sd-news-feed-ranking).
    assert reply.decision.action == "ask_assumption"


def test_a_rhetorical_question_inside_an_answer_is_not_answered(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "sd-news-feed-ranking", seed=7)
    reply = say(
        engine,
        "Why not just rank by predicted likes? Because likes reward bait, so I'd combine several heads with weights.",
        4,
    )
    assert reply.decision.action != "ask_assumption"


def test_at_the_close_a_question_about_the_team_is_about_the_job(bank: Bank, scorer: OfflineScorer) -> None:
    # Third review: "Who's on call … on your team?" was answered with the incident's SLO fact.
    engine = interview(bank, scorer, "dbg-latency-regression-after-deploy", seed=7)
    assert "team" in engine.question.prompt.lower()  # so "your team" alone does not decide it
    end = say(engine, "I think that's everything from me.", engine.question.time_box + 1)
    assert end.decision.action == "wrap_up"
    reply = say(engine, "Who carries the pager for this service, and how often does an incident like this happen?", 50)
    assert reply.decision.action == "answer_candidate_question" and not reply.decision.extra.get("facts")
    assert reply.text.startswith("On-call")


def test_how_did_i_do_gets_an_answer_about_feedback(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "code-two-sum", seed=7)
    say(engine, "I think that's everything from me.", engine.question.time_box + 1)
    reply = say(engine, "How did I do overall?", 50)
    assert reply.decision.action == "answer_candidate_question"
    assert "scorecard" in reply.text and "ML and infra" not in reply.text


def test_an_answer_with_a_team_question_keeps_the_answer_and_defers_the_question(
    bank: Bank, scorer: OfflineScorer
) -> None:
    # Fourth review: the answer was dropped ("Good question for the end. For now, <the same question again>").
    engine = interview(bank, scorer, "code-two-sum", seed=7)
    reply = say(
        engine,
        "I'd keep a hash map from each value to its index, and for every element look up target minus it before"
        " inserting it, so one pass, O(n) time and O(n) space. Out of curiosity, how big is your team?",
        3,
    )
    assert reply.decision.action != "answer_offscript"
    assert reply.decision.extra.get("later") and reply.text.startswith(tuple(engine.persona.later_lines))
    assert engine.state.deferred_question and "team" in engine.state.deferred_question


def test_at_the_close_no_question_gets_a_fact_of_the_exercise(bank: Bank, scorer: OfflineScorer) -> None:
    # Fourth review: "does your team write its own samplers?" at the close got the problem's "NumPy only".
    engine = interview(bank, scorer, "mlcode-top-p-sampling", seed=7)
    say(engine, "I think that's all from me.", engine.question.time_box + 1)
    reply = say(engine, "Do you write your own samplers here, or use vLLM's?", 50)
    assert reply.decision.action == "answer_candidate_question" and not reply.decision.extra.get("facts")
    assert "NumPy only" not in reply.text


def test_a_question_about_the_job_gets_the_answer_on_its_topic() -> None:
    # A drill review: "who does it report to?" was answered with the promotion policy ("staffed" shares a stem
    # with "staff track").
    expected = {
        "How is the team that owns this staffed today, and who does it report to?": "twelve people",
        "What does the path to staff engineer look like?": "Promotion",
        "How do promotions work here?": "Promotion",
        "What would I work on day to day?": "typical week",
        "How does on-call work?": "On-call",
    }
    for asked, words in expected.items():
        answer = team_answer(asked)
        assert answer is not None and words in answer, asked


def test_a_bare_what_comes_back_after_a_described_check_gets_its_result(bank: Bank, scorer: OfflineScorer) -> None:
    # A drill review: "I don't have that in front of me" here, and the fact given when asked again in full.
    engine = interview(bank, scorer, "dbg-eval-contamination")
    described = (
        "I'd run a 13-gram overlap search of the benchmark questions and the gold SQL against the fine-tuning "
        "corpus, then an embedding nearest-neighbour pass to catch reworded copies. What comes back?"
    )
    reply = say(engine, described, 2)
    assert reply.decision.action == "answer_fact"  # the overlap or the near-duplicate search: both were described


def test_saying_what_you_want_to_know_is_no_claim_and_the_question_is_answered(
    bank: Bank, scorer: OfflineScorer
) -> None:
    # A drill review: "First I want to know how we even grade a loan." was challenged as the belief that the decay
    # can be measured on last month's loans, and the question after it went unanswered.
    engine = interview(bank, scorer, "dbg-drift-new-market")
    asked = "First I want to know how we even grade a loan. When do we find out that a loan defaulted?"
    reply = say(engine, asked, 1)
    assert reply.decision.action == "answer_fact"
    assert "misconceptions" not in reply.decision.extra["understood"]


def test_code_written_into_the_answer_is_asked_for_as_code(bank: Bank, scorer: OfflineScorer) -> None:
    # A drill review: code pasted on one line got "Let's get the base version into code first" twice, even after
    # "I did write it a moment ago".
    engine = interview(bank, scorer, "code-merge-k-sorted-lists")
    pasted = (
        "Here's the code: heap = [(node.val, i, node) for i, node in enumerate(lists) if node]; "
        "heapq.heapify(heap); dummy = tail = ListNode(); while heap: val, i, node = heapq.heappop(heap)"
    )
    reply = say(engine, pasted, 3)
    assert reply.decision.action == "ask_code" and reply.decision.extra.get("pasted")
    assert "code editor" in reply.text
