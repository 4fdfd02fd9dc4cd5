"""The follow-up policy: after each candidate turn, choose one action and say why.

Deterministic and free of I/O. It decides only from the turn's analysis (interviewers/understanding:
what the turn does, which facts it asks for, what it covers and gets wrong) and the interview state;
both the offline and the LLM interviewer act on its decisions, and the LLM only words them.

The order of concerns is a real interviewer's: the clock and explicit commands, then the candidate's
own requests (a hint, a clarifying question, a question about the job), then pushing back on a wrong
claim, then the main line (dig into what is half said, ask for code, probe what is missing, deepen,
change the requirements), and never asking for what was already said.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from interviewers.scoring.matching import asks
from interviewers.scoring.text import content_stems
from interviewers.state import FAILING_HINT, Decision, InterviewState
from interviewers.understanding.analysis import TurnAnalysis
from interviewers.understanding.claims import ClaimHit, belief_of, claim_milestone, claim_text, retracts
from interviewers.understanding.speech_acts import about_the_job, inline_code
from question_bank.schema import Milestone, Question

Command = Literal["hint", "skip", "end", "resume", "interrupt"]

CURVEBALL_PROGRESS = 0.45  # weighted share covered before requirements change
MAX_CANDIDATE_QUESTIONS = 2
ASK_CODE_PROGRESS = 0.2  # share covered (the approach) before a coding interviewer asks for the code
ASK_CODE_TURNS = 2
ASK_CODE_LATE_TURNS = 6  # after this many turns, code is asked for whatever approach has been said
REPEAT_SURE = 0.6  # how closely a question must match a fact already given to get it again
# With the rubric spent before this share of the time box, the interviewer invites questions without "time" talk.
EARLY_FINISH = 0.8
HINT_BEFORE_WRAP = 0.5  # below this share covered, an exhausted rubric gets a hint rather than the close
# ... unless the candidate is still talking at length: a long answer the rubric did not recognise (an
# unpunctuated transcript, an unusual story) is not a candidate asking for help.
STRUGGLING_WORDS = 30  # a vague line runs about 15 words; a specific answer that the rubric missed, 30 and more
# A reply to a curveball uses at least this many of its words that the problem statement did not already use
# ("new sellers", "cold start" after "a third of the sellers are new every month").
CURVEBALL_WORDS = 2
# A reply to a challenge uses at least one word of the challenge or of the claim that the problem statement does
# not ("flat", "mass", "handful"); one that talks of something else gets the challenge once more (MOVED_ON).
CHALLENGE_WORDS = 1
MOVED_ON = "Before we move on, you didn't answer my question:"
PASTED_CODE = (
    "I can see code in your answer, but I can only run what you send as code: put it in the code editor "
    "(/code in a terminal drill) and I'll run the tests on it."
)
# The push on a topic waved away: why, and at what risk, without saying what the risk is.
WAVED_AWAY = "What makes you sure of that here, and what would it cost if you were wrong?"
# The second push on a claim kept after its challenge: pointed, and still not the answer.
PRESS_AGAIN = "I'm not convinced yet. What would you expect to see if that were wrong, and how would you check?"


@dataclass
class TurnSignals:
    """The candidate's latest turn as the policy sees it."""

    text: str
    elapsed: float  # seconds since the question was asked
    command: Command | None = None
    analysis: TurnAnalysis = field(default_factory=lambda: TurnAnalysis(acts=["silent"]))


def _plain(test: str) -> str:
    """A test's name as words: "test_large_input_with_ties" -> "large input with ties"."""
    return test.removeprefix("test_").replace("_", " ").strip().rstrip(".")


def _speaks_to_curveball(state: InterviewState, text: str) -> bool:
    """Whether the turn replies to the pending curveball, by using its own words (`answered` covers the whole
    interview, so a statement made before the curveball would count as a reply to it)."""
    index = state.curveball_index
    if index is None:
        return True
    return _replies_to(state.question, state.question.follow_ups[index].text, text, CURVEBALL_WORDS)


def _push(hit: ClaimHit, target: str | None, why: str, content: str, **flags: Any) -> Decision:
    """A challenge about a claim challenged once already: pressed again (`held`) or asked once more (`reminder`);
    `quote` is what it quotes back, the claim's own sentence unless given."""
    extra: dict[str, Any] = {"quote": flags.pop("quote", hit.quote), **flags}
    if hit.index is not None:
        extra["misconception"] = hit.index
    return Decision("challenge", why, target=target, content=content, extra=extra)


def _replies_to(question: Question, asked: str, text: str, minimum: int) -> bool:
    """Whether a turn uses at least `minimum` words of what was asked that the problem statement does not."""
    own = set(content_stems(asked)) - set(content_stems(question.prompt))
    return len(own & set(content_stems(text))) >= minimum


def hint_topic(question: Question, index: int) -> str | None:
    """The milestone a hint is about: the one sharing most content words with it (None when none does)."""
    hint = set(content_stems(question.hints[index]))
    overlap = {m.id: len(hint & set(content_stems(" ".join([m.text, *m.cues])))) for m in question.milestones}
    best = max(overlap, key=lambda k: overlap[k], default=None)
    return best if best is not None and overlap[best] >= 2 else None


class FollowUpPolicy:
    def next_action(self, state: InterviewState, signals: TurnSignals) -> Decision:
        if signals.command == "interrupt":
            # Cutting in on a long spoken answer: the same move as for any answer, said as an interruption.
            decision = self._choose(state, dataclasses.replace(signals, command=None))
            decision.extra["cut_in"] = True
            decision.reason = f"cut in on a long answer; {decision.reason}"
        else:
            decision = self._choose(state, signals)
        kept = state.open_challenge is not None and state.open_challenge in standing_beliefs(signals.analysis)
        gave_up = any(signals.analysis.has(act) for act in ("pass", "stuck", "hint_request"))
        if state.open_challenge is not None and retracts(signals.text) and decision.action != "challenge":
            # Taken back or denied ("I never said it was quadratic"): the answer is heard before the next question.
            decision.extra["settled"] = True
        if (kept and decision.action != "challenge") or state.failing_run or gave_up or signals.analysis.claims:
            # No "Good." for a reply that keeps a claim just challenged or states one, for a pass or a plea for
            # help, nor "That works." over failing tests.
            decision.extra["neutral"] = True
        a = signals.analysis
        if a.has("about_job") and decision.action not in ("answer_offscript", "answer_candidate_question", "close"):
            # An answer that also asks about the team: the answer drives the next move, the question waits for the
            # end, and the candidate hears that it will be answered there.
            decision.extra["later"] = _asked(a)
        if decision.action == "wrap_up" and state.deferred_question:
            # "Happy to answer at the end" is a promise: the wrap-up keeps it before asking for more questions.
            decision.extra["deferred"] = state.deferred_question
        quiet = ("wrap_up", "close", "answer_candidate_question", "resume")
        if decision.action not in quiet and not state.warned and not decision.extra.get("early"):
            decision.time_note = self._time_note(state, signals.elapsed)
        return decision

    def _choose(self, state: InterviewState, signals: TurnSignals) -> Decision:
        a = signals.analysis
        self._note_answers(state, a, signals.text)  # what was said counts, even if cut off by a drop
        if signals.command == "end":
            return Decision("close", "the candidate ended the interview")
        if signals.command == "resume":
            tail = " ".join(signals.text.split()[-8:])
            return Decision("resume", "the connection dropped while the candidate was speaking", extra={"quote": tail})
        if state.phase == "ended":
            return Decision("close", "the interview has already ended")
        if state.phase == "closing":
            return self._closing(state, a)
        if signals.elapsed >= state.time_box_seconds:
            return self._time_up(state, a)
        if signals.command == "hint":
            return self._hint(state, "the candidate asked for a hint")
        if signals.command == "skip":
            if state.last_target:
                state.skipped.add(state.last_target)
            return self._advance(state, "the candidate skipped ahead", signals.elapsed)
        if a.has("hostile"):
            return Decision(
                "redirect", "hostile or frustrated reply: stay calm, back to the question", extra={"hostile": True}
            )
        if a.has("hint_request"):
            return self._hint(state, "the candidate asked for a hint")
        if a.tests:
            return self._review_code(state, a.tests, signals.elapsed)
        pressed = self._press(state, a, signals.text)
        if pressed is not None:
            return pressed
        challenge = self._challenge(state, a)
        if challenge is not None and not (a.has("clarify") and a.facts):
            return challenge
        # A fact already given answers again only a question plainly about it: "anything unusual, like a holiday?"
        # is no re-ask of how users were split, and "As I said: users were split 50/50" answers nothing.
        a.facts = [m for m in a.facts if m.fact not in state.facts_revealed or m.score >= REPEAT_SURE]
        if a.facts:
            answer = self._answer_facts(state, a)
            if challenge is not None:
                # A question that rests on a wrong claim: answer it, then push back on the claim, in one turn
                # (answering alone reads as agreeing with it).
                answer.reason += f"; then {challenge.reason}"
                pushed = {"content": challenge.content, "target": challenge.target}
                answer.extra["challenge"] = pushed | challenge.extra
            return answer
        if a.has("about_job") and not a.has("answer"):
            return Decision(
                "answer_offscript",
                "an off-script question about the job: answer it at the end, return",
                extra={"question": _asked(a)},
            )
        # A turn that ends by asking what no fact covers, or asks about a twist just given ("can a pair ever be
        # removed? If not, …"), waits for a reply: moving on, or to the next twist, leaves it unanswered.
        asked_last = signals.text.rstrip().endswith("?")
        if a.has("clarify") and (not a.has("answer") or asked_last or state.curveball_pending):
            return Decision("ask_assumption", "a clarifying question no fact covers: ask for an assumption")
        if a.has("pass"):  # a real interviewer moves on rather than pressing with hints
            if state.last_target:
                state.skipped.add(state.last_target)
            return self._advance(state, "the candidate passed on this part", signals.elapsed)
        if a.has("stuck") or a.has("silent"):
            return self._hint(state, "the candidate says they are stuck" if a.has("stuck") else "no answer")
        if a.has("drift"):
            return Decision("redirect", "the answer does not address the question")
        if state.question.round == "coding" and not state.code_seen and inline_code(signals.text):
            # Pasted into the answer, the code cannot run: asking for "the code" again ignores that it was written.
            return Decision(
                "ask_code",
                "code written into the answer, not sent as code",
                content=PASTED_CODE,
                extra={"again": True, "pasted": True},
            )
        dig = self._dig(state, a)
        if dig is not None:
            return dig
        if self._should_ask_code(state, a):
            return Decision("ask_code", "the approach is clear and no code has come yet")
        return self._advance(state, "", signals.elapsed)

    # -- memory: what the candidate has said and done --------------------------------------------------

    def _note_answers(self, state: InterviewState, a: TurnAnalysis, text: str) -> None:
        for result in a.results.values():
            before = state.coverage.get(result.id, "missed")
            # Coverage only grows while live: a later vague sentence does not undo an earlier clear one.
            if before == "missed" or result.status == "met":
                state.coverage[result.id] = result.status
        state.answered |= a.answered
        if a.has("code"):
            state.code_seen = True
        # A turn that asks about the twist ("can a pair ever be removed?") has not dealt with it yet, nor has one
        # that answers something else: the next change of requirements waits for a reply to this one.
        replied = a.has("answer") and not a.has("clarify") and _speaks_to_curveball(state, text)
        if state.curveball_pending and (replied or a.has("code")):
            state.curveball_pending = False

    def _challenge(self, state: InterviewState, a: TurnAnalysis) -> Decision | None:
        if a.has("stuck"):  # a plea for help is answered with help; what it says in passing is no claim to argue
            return None
        for hit in a.claims:
            if hit.index is None:  # a milestone said with its subjects swapped: ask about the subject named
                if hit.milestone is None or hit.milestone in state.challenged_milestones:
                    continue
                said = (hit.swapped or ("that",))[0]
                said = said if said.isupper() or any(c.isdigit() for c in said) else said.lower()  # L1, but "bias"
                # The wrong one of two alternatives: ask why that one, without naming the other.
                content = f"Why {said} here?" if hit.substituted else f"Is that really true of {said}, and why?"
                return Decision(
                    "challenge",
                    f"contradicts a milestone: {claim_text(state.question, hit)}",
                    target=hit.milestone,
                    content=content,
                    extra={"quote": hit.quote},
                )
            if hit.index in state.challenged:
                continue
            misconception = state.question.misconceptions[hit.index]
            content = misconception.challenge or "Are you sure about that? Walk me through why it holds."
            return Decision(
                "challenge",
                f"states a misconception: {misconception.claim}",
                target=misconception.milestone or f"misconception:{hit.index}",
                content=content,
                extra={"misconception": hit.index, "quote": hit.quote},
            )
        for milestone, sentence in a.dismissals:
            # "Prompt injection isn't really a concern here": a topic waved away gets the same pushback as a wrong
            # claim, once, unless the rest of the interview has covered it anyway.
            if milestone in state.challenged_milestones or state.coverage.get(milestone) == "met":
                continue
            return Decision(
                "challenge",
                f"waved away '{milestone}'",
                target=milestone,
                content=WAVED_AWAY,
                extra={"quote": sentence, "dismissed": True},
            )
        return None

    def _press(self, state: InterviewState, a: TurnAnalysis, text: str) -> Decision | None:
        """A reply to a challenge that keeps the claim gets one more push; a real interviewer does not let a
        defended wrong claim pass with "Good.", nor argue it a third time (the scorecard then counts it)."""
        belief = state.open_challenge
        # A reply that only waves the counterexample away reads as off the question's topic, and still answers it.
        if belief is None or belief in state.held or not (a.has("answer") or a.defends) or a.has("clarify"):
            return None
        hit = next((h for h in a.standing if belief_of(h) == belief), None)
        if hit is None:  # taken back, or corrected by stating the truth
            return None
        # Pressed only when the reply insists: it says the belief again (in any of the belief's or its milestone's
        # wordings) or stands by it. A reply about something else gets the question once more, then is let go,
        # without praise either way (next_action).
        milestone = claim_milestone(state.question, hit)
        again = [
            h
            for h in a.restated
            if belief_of(h) == belief or (milestone and claim_milestone(state.question, h) == milestone)
        ]
        claim, target = claim_text(state.question, hit), milestone or belief
        if again or a.defends:
            quote = (again[0] if again else hit).quote
            return _push(hit, target, f"kept a claim after a challenge: {claim}", PRESS_AGAIN, held=True, quote=quote)
        asked = f"{state.open_challenge_text} {claim}"
        if belief in state.reminded or _replies_to(state.question, asked, text, CHALLENGE_WORDS):
            return None
        reminder = f"{MOVED_ON} {state.open_challenge_text}".strip()
        return _push(hit, target, f"moved on without answering the challenge to: {claim}", reminder, reminder=True)

    def _dig(self, state: InterviewState, a: TurnAnalysis) -> Decision | None:
        for milestone in state.question.milestones:
            result = a.results.get(milestone.id)
            if result is None or result.status != "partial" or state.coverage.get(milestone.id) == "met":
                continue
            if milestone.id in state.dug or milestone.id in state.probed or milestone.id in state.answered:
                continue
            if not any(e.turn == state.latest_turn for e in result.evidence):
                continue  # only what this turn half said is worth pressing on now
            return Decision(
                "dig",
                f"'{milestone.id}' is only partly covered",
                target=milestone.id,
                content=milestone.probe or milestone.text,
                extra={"quote": result.evidence[0].quote if result.evidence else ""},
            )
        return None

    def _review_code(self, state: InterviewState, outcomes: list[dict[str, Any]], elapsed: float) -> Decision:
        """After a run: a failing test becomes a question about its case; all passing moves the interview on."""
        passed = sum(bool(o.get("passed")) for o in outcomes)
        failing = [o for o in outcomes if not o.get("passed")]
        run = {"passed": passed, "total": len(outcomes)}
        if not failing:
            decision = self._advance(state, f"all {passed} tests pass", elapsed)
            decision.extra["run"] = run
            return decision
        # A visible failure can be named with its message; a hidden one only by the case it covers.
        shown = [o for o in failing if not o.get("hidden")]
        first = (shown or failing)[0]
        hidden = bool(first.get("hidden"))
        return Decision(
            "review_code",
            f"{len(failing)} of {len(outcomes)} tests fail; first: {first.get('name')}",
            target=f"test:{first.get('name')}",
            content="" if hidden else str(first.get("message", "")),
            extra={"run": run, "test": str(first.get("name")), "hidden": hidden},
        )

    def _should_ask_code(self, state: InterviewState, a: TurnAnalysis) -> bool:
        if state.question.round != "coding" or state.code_seen or state.asked_code:
            return False
        if state.candidate_turns >= ASK_CODE_LATE_TURNS:
            return True  # no better idea is coming: code what there is
        # "Let's see it in code" after only the brute force is too early: the main idea (the question's first
        # milestone of the highest weight, "heap" after "baselines") has to be on the table.
        top = _top_weight(state.question)
        idea = next(m.id for m in state.question.milestones if m.weight == top)
        return (
            state.candidate_turns >= ASK_CODE_TURNS
            and state.covered_share() >= ASK_CODE_PROGRESS
            and (state.coverage[idea] != "missed" or idea in a.answered)  # said, if not yet in full
        )

    # -- the main line: follow-ups when earned, else probes, else wrap up -----------------------------

    def _advance(self, state: InterviewState, why: str, elapsed: float) -> Decision:
        prefix = f"{why}; " if why else ""
        run = state.failing_run
        if run and not state.failing_reminded and state.question.round == "coding":
            # A real interviewer watching the code fail does not move on to harder questions unprompted.
            failing = run["total"] - run["passed"]
            return Decision(
                "ask_code",
                f"{prefix}the last run still fails {failing} of {run['total']} tests",
                content=f"Your last run fails {failing} of {run['total']} tests; send me the fix when you have it.",
                extra={"failing": dict(run)},
            )
        ready = self._ready_follow_up(state)
        follow_up = ready if self._code_works(state) else None
        missing = self._missing(state)
        core_open = any(m.weight == _top_weight(state.question) for m in missing)
        if follow_up is not None and (not missing or (state.covered_share() >= CURVEBALL_PROGRESS and not core_open)):
            index, kind = follow_up
            fu = state.question.follow_ups[index]
            after = ", ".join(fu.after) or "the basics"
            return Decision(kind, f"{prefix}prerequisites met ({after})", target=f"follow_up:{index}", content=fu.text)
        if missing:
            milestone = missing[0]
            return Decision(
                "probe",
                f"{prefix}'{milestone.id}' not covered yet (weight {milestone.weight:g})",
                target=milestone.id,
                content=milestone.probe or milestone.text,
            )
        if follow_up is not None:
            index, kind = follow_up
            return Decision(
                kind,
                f"{prefix}nothing left to probe",
                target=f"follow_up:{index}",
                content=state.question.follow_ups[index].text,
            )
        if state.question.round == "coding" and not state.code_seen:
            # A coding round does not end early without code, and its follow-ups wait for it.
            return Decision(
                "ask_code",
                f"{prefix}nothing left to ask before the code",
                content="Let's get the base version into code first; I have more for you once it runs.",
                extra={"again": True},
            )
        if (
            state.covered_share() < HINT_BEFORE_WRAP
            and state.latest_words < STRUGGLING_WORDS
            and state.hints_given < min(len(state.question.hints), state.persona.hint_limit)
        ):  # everything was asked and little came back: open the problem up before calling it a day
            return self._hint(state, f"{prefix}nothing left to ask and little covered")
        early = elapsed < EARLY_FINISH * state.time_box_seconds
        why_end = "every milestone and follow-up has been covered or asked"
        return Decision("wrap_up", f"{prefix}{why_end}", extra={"early": early})

    @staticmethod
    def _code_works(state: InterviewState) -> bool:
        """In a coding round the requirements change, and the questions deepen, once the base version runs:
        "every entry now has a TTL" before any code stacks a second problem on an unsolved first."""
        if state.question.round != "coding":
            return True
        # Failing code holds them back until the candidate was asked to fix it and chose to go on.
        return state.code_seen and (state.failing_run is None or state.failing_reminded)

    def _missing(self, state: InterviewState) -> list[Milestone]:
        """Missing milestones never asked about and never answered, in the order an interviewer would raise them."""
        question = state.question
        asking = dict(zip((m.id for m in question.milestones), asks(question), strict=True))
        left = [
            m
            for m in question.milestones
            if state.coverage[m.id] == "missed"
            and m.id not in state.probed
            and m.id not in state.dug
            and m.id not in state.skipped
            and m.id not in state.answered
            and m.id not in state.challenged_milestones
            and (m.probe or m.text)
            # Once code is in, "what would you like to know before picking an approach?" comes too late to ask.
            and not (state.code_seen and asking[m.id])
        ]
        if question.round in ("system_design", "debugging"):
            return left  # these rounds follow a framework: requirements before models, symptoms before fixes
        order = {m.id: i for i, m in enumerate(question.milestones)}
        return sorted(left, key=lambda m: (-m.weight, order[m.id]))

    def _ready_follow_up(self, state: InterviewState) -> tuple[int, Literal["deepen", "curveball"]] | None:
        ready = [
            (i, fu.kind)
            for i, fu in enumerate(state.question.follow_ups)
            if i not in state.follow_ups_used
            and f"follow_up:{i}" not in state.answered
            and all(state.coverage.get(a) == "met" for a in fu.after)
            # One change of requirements at a time: the next waits until the candidate has dealt with this one.
            and not (fu.kind == "curveball" and state.curveball_pending)
        ]
        if not ready:
            return None
        # A persona with an appetite for curveballs changes the requirements first.
        curveballs_first = state.persona.curveball >= 0.5
        ready.sort(key=lambda item: (item[1] != "curveball") if curveballs_first else (item[1] == "curveball"))
        return ready[0]

    # -- clarifying questions, hints, the close ---------------------------------------------------------

    def _answer_facts(self, state: InterviewState, a: TurnAnalysis) -> Decision:
        facts = [m.fact for m in a.facts]
        answers = [state.question.facts[i].answer for i in facts]
        repeat = all(i in state.facts_revealed for i in facts)
        return Decision(
            "answer_fact",
            "a clarifying question a fact covers" + (" (asked again)" if repeat else ""),
            target=f"fact:{facts[0]}",
            content=" ".join(answers),
            extra={"facts": facts, "repeat": repeat},
        )

    def _hint(self, state: InterviewState, why: str) -> Decision:
        hints = state.question.hints
        limit = min(len(hints), state.persona.hint_limit)
        if state.failing_test and not state.failing_hinted and state.hints_given < max(limit, 1):
            # Stuck on a failing test, the help is about that test, not the ladder's first rung on the approach.
            content = (
                f"Take the failing case, {_plain(state.failing_test)}, and walk your code through it by hand. "
                "Where does what it computes first differ from what it should?"
            )
            return Decision("hint", f"{why}: about the failing test", target=FAILING_HINT, content=content)
        if state.hints_given < limit:
            # The ladder in order, less the rungs about ground the candidate has already covered.
            unused = [i for i in range(len(hints)) if i not in state.hint_indexes]
            topics = {i: state.hint_topics.get(i) or hint_topic(state.question, i) for i in unused}
            useful = [i for i in unused if state.coverage.get(topics[i] or "", "missed") != "met"]
            index = (useful or unused)[0]
            number = state.hints_given + 1
            return Decision("hint", f"{why}: hint {number} of {limit}", target=f"hint:{index}", content=hints[index])
        return Decision("hint", f"{why}: no hints left", target="hint:none", extra={"exhausted": True})

    def _time_up(self, state: InterviewState, a: TurnAnalysis) -> Decision:
        why = f"the {state.question.time_box}-minute time box is over"
        if a.has("about_job"):  # their question first, then the close
            return Decision(
                "answer_candidate_question",
                f"{why}; the candidate asked about the job",
                extra={"closing": True, "question": _asked(a)},
            )
        decision = Decision("wrap_up", why)
        if a.facts:  # answer what was asked, then wrap up
            decision.content = " ".join(state.question.facts[m.fact].answer for m in a.facts)
            decision.extra["facts"] = [m.fact for m in a.facts]
        return decision

    def _closing(self, state: InterviewState, a: TurnAnalysis) -> Decision:
        asked = a.has("about_job") or a.has("clarify")
        # After "what questions do you have for me?" the questions are about the job, not the exercise: "do you
        # write your own samplers?" is no cue for the problem's "NumPy only" fact (a review drill got exactly that).
        job = a.job_question or next((q for q in a.questions if about_the_job(q)), _asked(a))
        if asked and state.candidate_questions_answered < MAX_CANDIDATE_QUESTIONS:
            return Decision(
                "answer_candidate_question", "the candidate's own question at the close", extra={"question": job}
            )
        return Decision("close", "the wrap-up is done")

    @staticmethod
    def _time_note(state: InterviewState, elapsed: float) -> str | None:
        # A strict interviewer mentions the clock earlier (at 75 % of the box) than a relaxed one (at 85 %).
        threshold = state.time_box_seconds * (0.85 - 0.1 * state.persona.time_strictness)
        if elapsed < threshold:
            return None
        minutes = max(1, round((state.time_box_seconds - elapsed) / 60))
        return f"{minutes} minute{'s' if minutes > 1 else ''} left"


def _top_weight(question: Question) -> float:
    """The weight of the question's core milestones."""
    return max(m.weight for m in question.milestones)


def _asked(a: TurnAnalysis) -> str:
    """The candidate's question about the job, as asked."""
    return a.job_question or (a.questions[-1] if a.questions else "")


def standing_beliefs(a: TurnAnalysis) -> set[str]:
    """The beliefs stated so far in the interview and not corrected since."""
    return {b for b in (belief_of(hit) for hit in a.standing) if b}
