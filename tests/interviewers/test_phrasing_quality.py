"""How the offline interviewer words its decisions, from the drill review (sections E and F): dig lines that
judge nothing, praise only when earned, joins that read as sentences, and a persona that keeps the round.

The joins are checked over every question of the bank, with every persona's lead-ins, so a new probe or a new
lead-in that reads badly fails here rather than in an interview.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

import pytest

from interviewers.engine import InterviewEngine
from interviewers.personas import MONOLOGUE_BASE_SECONDS, ROUND_FIELDS, persona_for_round, personas
from interviewers.phrasing import LLMPhraser, OfflinePhraser, _join, _sentence, praises
from interviewers.state import Decision, InterviewState
from question_bank.loader import Bank
from question_bank.schema import Question, Round

ROUNDS: tuple[Round, ...] = ("behavioral", "coding", "debugging", "ml_fundamentals", "system_design")

# Words that only make sense in one round: a persona borrowed for another round must not say them.
ROUND_MARKERS: dict[str, tuple[str, ...]] = {
    "behavioral": ("behavioral", "stories", "story", "real example"),
    "coding": ("coding", "problem in front", "your solution"),
    "debugging": ("on call", "production", "incident", "debugging", "fix anything", "check next", "hypothesis"),
    "ml_fundamentals": ("ml concepts", "ml fundamentals", "the concept"),
    "system_design": ("system design", "design review", "draw anything", "the design", "serving and monitoring"),
}
JUDGING = re.compile(r"vague|unclear|hand-?wav|concrete|precise|specific|pin (that|it) down|be clear|fuzzy", re.I)
# "And Why …": a capital after a run-in lead-in, unless the word is an acronym or identifier ("And LoRA …").
RUN_IN_CAPITAL = re.compile(r"\b(And|But|So|Also|Now|Or),? [A-Z][a-z]+\b")
DOUBLED = re.compile(r"[.?!,;:][”\"')\]]*\s*[.,;:?!]")
NO_SENTENCE_END = re.compile(
    r"(?<![.?!…])(?<![.?!…][”\"')\]])\s+(What's going on there|What does your code do there|Anything else)\?"
)
# Real failure messages as the code runner reports them, with and without a final full stop.
MESSAGES = (
    "NameError: name 'bpe_merge_step' is not defined",
    "with p = 0.05, below the top token's probability 0.4, only token 1 can be drawn; also drew [3]",
    "expected [1, 2], got [2, 1].",
    "took too long (over the time limit for one test)",
    "",
)


def question_of(bank: Bank, round_: Round) -> Question:
    return next(q for q in sorted(bank.questions.values(), key=lambda q: q.id) if q.round == round_)


def new(pattern: re.Pattern[str], line: str, *content: str) -> list[str]:
    """What the wording added: matches in the line beyond those already in the bank's own text."""
    found = pattern.findall(line)
    return found if len(found) > sum(len(pattern.findall(c)) for c in content) else []


# -- 1. digging deeper judges nothing ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(personas()))
def test_dig_lines_point_at_the_topic_without_judging_it(bank: Bank, name: str) -> None:
    persona = personas()[name]
    for line in persona.dig_lines:
        assert "{topic}" in line and "{probe}" in line, line
        assert not JUDGING.search(line), line
    question = question_of(bank, persona.round)
    phraser = OfflinePhraser(persona, seed=2)
    state = InterviewState(question, persona)
    quote = "48 GPUs is about 77k dollars a month, under the 90k budget"
    for n in range(2 * len(persona.dig_lines)):
        probe = f"What would you change first, in step {n}?"
        line = phraser.phrase(Decision("dig", "", content=probe, extra={"quote": quote}), state)
        assert "“48 GPUs is about 77k dollars a month…”" in line and line.endswith(probe), line
        assert not JUDGING.search(line) and not new(DOUBLED, line, quote, probe), line


# -- 2. praise only when earned -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(personas()))
def test_neutral_turns_never_praise(bank: Bank, name: str) -> None:
    """After a defended wrong claim or failing tests the policy sets `neutral`: no "Good." or "Right." then."""
    for round_ in ROUNDS:
        persona = personas()[name]
        assert not any(praises(line) for line in persona.neutral_intros)
        phraser = OfflinePhraser(persona, seed=3)
        state = InterviewState(question_of(bank, round_), persona)
        for action in ("deepen", "curveball", "probe", "answer_fact", "hint"):
            for n in range(8):
                decision = Decision(action, "", content=f"How does it behave with {n} replicas?")
                decision.extra["neutral"] = True
                line = phraser.phrase(decision, state)
                assert not praises(line), (round_, action, line)
        for _ in range(8):  # the same content again and again: the varied acknowledgement stays neutral too
            decision = Decision("deepen", "", content="What breaks first?", extra={"neutral": True})
            line = phraser.phrase(decision, state)
            assert not praises(line), line


def test_a_coding_deepen_never_claims_the_code_works() -> None:
    for persona in personas().values():
        assert not any("works" in line.lower() for line in persona.deepen_intros), persona.name


def test_praise_is_still_used_when_it_is_earned(bank: Bank) -> None:
    persona = persona_for_round("coding")
    phraser = OfflinePhraser(persona, seed=1)
    state = InterviewState(question_of(bank, "coding"), persona)
    lines = [phraser.phrase(Decision("deepen", "", content=f"And for {n} keys?"), state) for n in range(12)]
    assert any(praises(line) for line in lines)


# -- 3. joins read as sentences, over the whole bank ---------------------------------------------------------


@pytest.mark.parametrize(
    ("intro", "content", "joined"),
    [
        ("And", "Why would the top token win?", "And why would the top token win?"),
        ("And", "For code, how does it change?", "And for code, how does it change?"),
        ("And", "AUC drops to 0.6. Why?", "And AUC drops to 0.6. Why?"),
        ("And", "L1 or L2 here?", "And L1 or L2 here?"),
        ("And", "BPE merges the pair. Which pair?", "And BPE merges the pair. Which pair?"),
        ("And", "WordPiece picks a merge how?", "And WordPiece picks a merge how?"),
        ("And", "Adam's update divides by what?", "Adam's update divides by what?"),  # a name: no lead-in
        ("And", "A tie breaks how?", "And a tie breaks how?"),
        ("Before you move on,", "How do you test it?", "Before you move on, how do you test it?"),
        ("Before you move on,", "The tests never tie.", "The tests never tie."),
        ("Also:", "What about ties?", "Also: What about ties?"),
        ("", "What about ties?", "What about ties?"),
    ],
)
def test_a_lead_in_joins_its_content_as_one_sentence(intro: str, content: str, joined: str) -> None:
    assert _join(intro, content) == joined


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("also drew [3]", "also drew [3]."),
        ("NameError: name 'x' is not defined", "NameError: name 'x' is not defined."),
        ("expected 3 (got 4)", "expected 3 (got 4)."),
        ("it stops here:", "it stops here."),
        ("it fails.", "it fails."),
        ("“it fails?”", "“it fails?”"),
        ("", ""),
    ],
)
def test_a_sentence_ends_before_what_follows(text: str, sentence: str) -> None:
    assert _sentence(text) == sentence


def decisions_for(question: Question) -> Iterator[Decision]:
    """Every decision whose wording joins a lead-in to the bank's text, with that text."""
    for milestone in question.milestones:
        content = milestone.probe or milestone.text
        for action in ("probe", "deepen", "curveball"):
            yield Decision(action, "", target=milestone.id, content=content)
        yield Decision("dig", "", target=milestone.id, content=content, extra={"quote": milestone.text})
    for i, follow_up in enumerate(question.follow_ups):
        for action in ("deepen", "curveball", "probe"):
            yield Decision(action, "", target=f"follow_up:{i}", content=follow_up.text)  # type: ignore[arg-type]
    for i, hint in enumerate(question.hints):
        yield Decision("hint", "", target=f"hint:{i}", content=hint)
    for i, fact in enumerate(question.facts):
        yield Decision("answer_fact", "", target=f"fact:{i}", content=fact.answer)
    for misconception in question.misconceptions:
        challenge = misconception.challenge or "Are you sure?"
        yield Decision("challenge", "", content=challenge, extra={"quote": misconception.claim})
        if question.facts:
            pushed = {"content": challenge}
            yield Decision("answer_fact", "", content=question.facts[0].answer.rstrip("."), extra={"challenge": pushed})
    for message in MESSAGES:
        run = {"passed": 2, "total": 8}
        yield Decision("review_code", "", content=message, extra={"run": run, "test": "tiny p keeps the top token"})
    yield Decision("review_code", "", extra={"run": {"passed": 7, "total": 8}, "test": "hidden test 2", "hidden": True})
    yield Decision("wrap_up", "", content="We use a shared GPU pool")


@pytest.mark.parametrize("name", sorted(personas()))
def test_every_joined_line_over_the_bank_reads_as_sentences(bank: Bank, name: str) -> None:
    problems: list[str] = []
    for question in sorted(bank.questions.values(), key=lambda q: q.id):
        persona = personas()[name]
        phraser = OfflinePhraser(persona, seed=len(question.id))
        state = InterviewState(question, persona)
        for decision in decisions_for(question):
            texts = [decision.content, str(decision.extra.get("quote", "")), str(decision.extra.get("test", ""))]
            texts.append(str(cast(dict[str, Any], decision.extra.get("challenge", {})).get("content", "")))
            for _ in range(3):  # several lead-ins for the same content
                line = phraser.phrase(decision, state)
                for pattern in (RUN_IN_CAPITAL, DOUBLED, NO_SENTENCE_END):
                    if new(pattern, line, *texts):
                        problems.append(f"{question.id} {decision.action}: {line}")
    assert problems == [], "\n".join(problems)


# -- 4. a persona of another round keeps the question's round -----------------------------------------------


@pytest.mark.parametrize("name", sorted(personas()))
@pytest.mark.parametrize("round_", ROUNDS)
def test_any_persona_frames_any_round_as_that_round(bank: Bank, name: str, round_: Round) -> None:
    persona = personas()[name]
    question = question_of(bank, round_)
    framed = persona.for_round(round_)
    own = persona_for_round(round_)
    # Who is asking stays: name, voice, tone, acknowledgements, habits.
    for field in ("name", "title", "voice", "tone", "acks", "neutral_intros", "hint_limit", "curveball"):
        assert getattr(framed, field) == getattr(persona, field), field
    assert framed.round == round_ and all(getattr(framed, f) == getattr(own, f) for f in ROUND_FIELDS)
    elsewhere = [m for other, markers in ROUND_MARKERS.items() if other != round_ for m in markers]
    for field in ROUND_FIELDS:
        for line in getattr(framed, field):
            assert not [m for m in elsewhere if m in line.lower()], (field, line)

    engine = InterviewEngine(question, persona, seed=5)
    opening = engine.opening().text
    greetings = [o.format(prompt="", minutes=question.time_box, name=persona.display_name) for o in own.openings]
    assert any(opening.startswith(g.strip()) for g in greetings), opening
    others = [p.display_name for p in personas().values() if p.name != persona.name]
    assert persona.display_name in opening and not [n for n in others if n in opening], opening
    assert not [m for m in elsewhere if m in opening.lower().replace(question.prompt.lower(), "")], opening


def test_the_drill_keeps_the_chosen_name_and_the_questions_round(bank: Bank) -> None:
    """`drill --question mlf-tokenization --persona lena` opened with "I'm on call and something is wrong"."""
    from server.drill import choose_persona

    question = bank.get("mlf-tokenization")
    lena = choose_persona("lena", question)
    assert (lena.name, lena.round, lena.public()["round"]) == ("lena", "ml_fundamentals", "ml_fundamentals")
    assert lena.monologue_limit() == MONOLOGUE_BASE_SECONDS["ml_fundamentals"] * (1.5 - lena.interrupt)
    phraser = OfflinePhraser(lena, seed=0)
    state = InterviewState(question, lena)
    probes = [phraser.phrase(Decision("probe", "", content=f"What about part {n}?"), state) for n in range(8)]
    assert not [p for p in probes if "check next" in p or "fix anything" in p]


def test_the_llm_is_told_the_questions_round_and_when_not_to_praise(bank: Bank) -> None:
    question = bank.get("mlf-tokenization")
    lena = personas()["lena"]
    phraser = LLMPhraser(cast(Any, None), lena)
    decision = Decision("deepen", "", content="What about Unicode?", extra={"neutral": True})
    system = phraser._messages(decision, InterviewState(question, lena), [])[0]["content"]
    assert "ML fundamentals round" in system and "Do not praise" in system


def test_every_persona_greets_by_placeholder() -> None:
    """Openings say "{name}", not a literal name, so that another persona can borrow them."""
    names = [p.display_name for p in personas().values()]
    for persona in personas().values():
        for opening in persona.openings:
            assert "{name}" in opening and not [n for n in names if n in opening], opening


def test_a_hint_lead_in_never_repeats_the_hints_first_word(bank: Bank) -> None:
    # Fourth review: "Think about this: Think of it as…".
    for round_ in ("coding", "system_design"):
        persona = persona_for_round(round_)
        state = InterviewState(question_of(bank, round_), persona)
        phraser = OfflinePhraser(persona, seed=4)
        for n in range(8):
            line = phraser.phrase(Decision("hint", "", content=f"Think of it as {n} separate lookups."), state)
            assert not line.lower().startswith("think about this")
