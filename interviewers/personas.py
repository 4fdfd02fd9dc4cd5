"""Interviewer personas, defined as data (interviewers/personas/*.yaml): one registry, looked up by name or round."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from question_bank.schema import Round

PERSONA_DIR = Path(__file__).resolve().parent / "personas"


class PersonaError(Exception):
    """An unknown persona name, or a persona file that does not load."""


class Voice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lang: str = "en-US"
    rate: float = Field(default=1.0, gt=0.3, le=3.0)
    pitch: float = Field(default=1.0, ge=0.0, le=2.0)


Lines = list[str]
# Lines that frame the round (what this interview is about) rather than say who is asking. A persona asked to
# run another round's question keeps its name, voice, tone, acknowledgements and habits (hint limit,
# patience, appetite for curveballs) and takes these from that round's persona: Lena on a tokenization
# question is not on call. Openings greet with "{name}" so that any persona can say them.
ROUND_FIELDS = (
    "openings",
    "fact_intros",
    "assumption_lines",
    "hint_intros",
    "no_more_hints",
    "dig_lines",
    "probe_intros",
    "deepen_intros",
    "curveball_intros",
    "redirect_lines",
    "hostile_lines",
    "offscript_lines",
    "time_warnings",
    "wrap_up_lines",
    "closing_lines",
    "candidate_question_answers",
    "cut_in_lines",
    "ask_code_lines",
    "early_closing_lines",
    "early_wrap_up_lines",
)
ROUND_NAMES: dict[str, str] = {
    "behavioral": "behavioral",
    "system_design": "ML system design",
    "coding": "coding",
    "debugging": "ML debugging",
    "ml_fundamentals": "ML fundamentals",
}
MONOLOGUE_BASE_SECONDS: dict[str, float] = {
    "behavioral": 200.0,
    "system_design": 150.0,
    "coding": 150.0,
    "debugging": 150.0,
    "ml_fundamentals": 120.0,
}


class Persona(BaseModel):
    """How one interviewer sounds and behaves. Rates are 0..1; lines are varied so nothing repeats."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    round: Round
    voice: Voice = Voice()
    tone: str
    openings: Lines = Field(min_length=1)
    hint_limit: int = Field(default=3, ge=0)  # hints given before the interviewer stops leading
    interrupt: float = Field(default=0.3, ge=0, le=1)  # how quickly long answers get cut in on
    curveball: float = Field(default=0.5, ge=0, le=1)  # appetite for changing the requirements
    time_strictness: float = Field(default=0.7, ge=0, le=1)  # how early the clock is mentioned
    acks: Lines
    # Lead-ins that judge nothing, for a turn where praise would be wrong (the policy sets
    # `decision.extra["neutral"]`: the candidate defended a challenged claim, or the last run failed tests).
    neutral_intros: Lines = Field(default_factory=lambda: ["OK.", "Noted.", "Let's move on.", ""])
    fact_intros: Lines
    assumption_lines: Lines
    hint_intros: Lines
    no_more_hints: Lines
    dig_lines: Lines
    probe_intros: Lines
    deepen_intros: Lines
    curveball_intros: Lines
    redirect_lines: Lines
    hostile_lines: Lines
    offscript_lines: Lines
    time_warnings: Lines
    wrap_up_lines: Lines
    closing_lines: Lines
    candidate_question_answers: Lines
    cut_in_lines: Lines = Field(min_length=1)  # stopping a spoken answer that has run on
    # Pushing back on a wrong claim: "{quote}" is what the candidate said, the challenge follows.
    challenge_intros: Lines = Field(
        default_factory=lambda: ["Hold on. You said {quote}.", "Wait, you said {quote}.", "Let me push on {quote}."]
    )
    ask_code_lines: Lines = Field(
        default_factory=lambda: [
            "The approach sounds clear. Go ahead and write the code, and talk me through it as you go.",
            "Okay, I follow the idea. Let's see it in code.",
        ]
    )
    # The candidate's reply to a challenge ended it (a correction, or an explanation that the claim was never
    # made): it is taken, not passed over in silence. Neither praise nor agreement with the first claim.
    settled_lines: Lines = Field(default_factory=lambda: ["Fair enough.", "Okay, that answers it.", "Understood."])
    # A question about the team asked alongside an answer: kept for the end, and said so.
    later_lines: Lines = Field(
        default_factory=lambda: [
            "I'll answer your question about the team at the end.",
            "Your team question: at the end.",
        ]
    )
    # Ending before the clock runs out: no "that's time".
    early_closing_lines: Lines = Field(
        default_factory=lambda: ["Thanks, that's all from me. Good talking with you.", "Let's leave it there. Thanks."]
    )
    # The rubric is spent with time to spare: no "we're at time", just the candidate's questions.
    early_wrap_up_lines: Lines = Field(
        default_factory=lambda: [
            "That covers what I wanted to get to. Before we finish, what questions do you have for me?",
            "That's everything I had on this one. What would you like to ask me?",
        ]
    )

    @property
    def display_name(self) -> str:
        return self.name.title()

    def for_round(self, round_: Round) -> Persona:
        """This interviewer on a question of `round_`: its own name, voice and habits, that round's framing."""
        if round_ == self.round:
            return self
        framing = persona_for_round(round_)
        return self.model_copy(update={"round": round_} | {name: getattr(framing, name) for name in ROUND_FIELDS})

    def monologue_limit(self) -> float:
        """Seconds of speech before this interviewer cuts in. Behavioral stories may run 2–4 minutes;
        technical answers should reach a point sooner. `interrupt` 0 waits 1.5× the round's base, 1 half of it."""
        return MONOLOGUE_BASE_SECONDS[self.round] * (1.5 - self.interrupt)

    def public(self) -> dict[str, object]:
        """What a client may see (shared/CONTRACTS.md §5 `persona`)."""
        return {
            "name": self.name,
            "title": self.title,
            "round": self.round,
            "tone": self.tone,
            "voice": self.voice.model_dump(),
        }


@lru_cache(maxsize=1)
def personas() -> dict[str, Persona]:
    found: dict[str, Persona] = {}
    for path in sorted(PERSONA_DIR.glob("*.yaml")):
        try:
            persona = Persona.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise PersonaError(f"{path.name}: {str(exc).splitlines()[0]}") from None
        found[persona.name] = persona
    return found


def get_persona(name: str) -> Persona:
    try:
        return personas()[name.lower()]
    except KeyError:
        known = ", ".join(sorted(personas()))
        raise PersonaError(f"no persona named '{name}' (known: {known})") from None


def persona_for_round(round_: Round) -> Persona:
    for persona in personas().values():
        if persona.round == round_:
            return persona
    raise PersonaError(f"no persona for the {round_} round")
