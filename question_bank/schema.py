"""The question file format of shared/CONTRACTS.md §1, as pydantic models.

Strict mode matters here: YAML turns bare `yes`, `no`, `null` and `1.0` into non-strings,
and lax pydantic would quietly coerce some of them. A question bank is hand-written data,
so every such slip is an error that names the key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Round = Literal["coding", "ml_fundamentals", "debugging", "system_design", "behavioral"]
ROUNDS: tuple[Round, ...] = ("coding", "ml_fundamentals", "debugging", "system_design", "behavioral")
Difficulty = Literal["easy", "medium", "hard"]

# Time boxes when a question names none: a coding or design question fills most of a round,
# while a fundamentals round or a behavioral round asks several shorter questions.
DEFAULT_MINUTES: dict[Round, int] = {
    "coding": 40,
    "ml_fundamentals": 15,
    "debugging": 25,
    "system_design": 45,
    "behavioral": 10,
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
MilestoneId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Fact(_Strict):
    """Something the interviewer may reveal when a clarifying question matches `ask`."""

    ask: list[Text] = Field(min_length=1)
    answer: Text
    # Clarifying questions this fact answers, in a candidate's words: the offline matcher compares a
    # question with these by meaning, the way an intent classifier learns from example utterances.
    examples: list[Text] = Field(default_factory=list)


class Milestone(_Strict):
    """One thing a strong answer covers; the unit of scoring."""

    id: MilestoneId
    text: Text
    weight: float = Field(default=1.0, gt=0)
    cues: list[Text] = Field(default_factory=list)
    probe: Text | None = None
    # How candidates state it in their own words (plain, spoken, short, in the scenario): a paraphrase with
    # none of the cue words matches one of these far better than the grader's wording of the milestone.
    examples: list[Text] = Field(default_factory=list)
    # Coding questions with tests: this milestone follows the tests of the last code submitted (all pass:
    # met; at least half: partial; else, or no code: missed), whatever was said about it.
    tested: bool = False


class FollowUp(_Strict):
    text: Text
    kind: Literal["deepen", "curveball"] = "deepen"
    after: list[MilestoneId] = Field(default_factory=list)


class Misconception(_Strict):
    """A wrong belief candidates often state; the interviewer pushes back on it (CONTRACTS §1)."""

    claim: Text
    # Stating the claim and not correcting it fails this milestone.
    milestone: MilestoneId | None = None
    # A pointed question, never the answer; the interviewer words one from the claim when absent.
    challenge: Text | None = None
    # Other ways candidates state the same belief, in other words and terms than the claim.
    variants: list[Text] = Field(default_factory=list)
    # The correct belief said in the claim's own terms: a sentence on the same topic that is nearer to
    # one of these than to the claim is right, not wrong (cosine alone cannot tell a claim from its negation).
    truths: list[Text] = Field(default_factory=list)
    # Correct sentences on the belief's topic that neither state nor deny it: its premise alone, or the right
    # approach ("Greedy takes the most likely token at each step."). They teach the reader that describing the
    # topic is not the belief; unlike truths, saying one after the claim does not correct it.
    premises: list[Text] = Field(default_factory=list)


class CodeTest(_Strict):
    """A check run after the candidate's code: plain Python, usually an assert."""

    name: Text
    code: Text
    hidden: bool = True


class Question(_Strict):
    id: QuestionId
    round: Round
    title: Text
    difficulty: Difficulty = "medium"
    minutes: int | None = Field(default=None, gt=0, le=240)
    tags: list[Text] = Field(default_factory=list)
    prompt: Text
    facts: list[Fact] = Field(default_factory=list)
    milestones: list[Milestone] = Field(min_length=2)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    hints: list[Text] = Field(default_factory=list)
    vocabulary: list[Text] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    tests: list[CodeTest] = Field(default_factory=list)
    # Coding rounds: what the tests call, shown to the candidate with the request for code ("def two_sum(...)").
    signature: Text | None = None

    @property
    def time_box(self) -> int:
        """Minutes for this question: its own, else the round's default."""
        return self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.round]

    def milestone(self, milestone_id: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.id == milestone_id:
                return milestone
        raise KeyError(milestone_id)

    def summary(self) -> dict[str, object]:
        """The public listing of §5: nothing that would give an answer away."""
        return {
            "id": self.id,
            "round": self.round,
            "title": self.title,
            "difficulty": self.difficulty,
            "minutes": self.time_box,
            "tags": list(self.tags),
        }
