"""Units that are never evidence: words to the grader, dismissals, and bare lists of terms.

Each guard looks at one unit (a sentence or clause) on its own, so a candidate who dismisses
monitoring in one sentence can still earn credit for requirements in the next.
"""

from __future__ import annotations

import re

from interviewers.scoring.text import function_word_share, words

# Text addressed to whoever grades the transcript rather than to the interviewer.
_TO_THE_GRADER = re.compile(
    r"""
    \b(ignore|disregard|forget|override|bypass)\b.{0,40}
        \b(rubric|instructions?|criteria|grading|scoring|prompt|rules|above|previous)\b
    | \b(mark|score|grade|rate|count|label|consider)\b.{0,40}\b(all|every|each|everything)\b.{0,30}
        \b(met|covered|complete|passed|correct|full|100)\b
    | \b(give|award|assign)\b.{0,20}\b(me|this|the\ candidate)\b.{0,30}\b(full|max(imum)?|perfect|top|100|highest)\b
    | \b(strong[_\ ]hire|full\ marks|perfect\ score|100\ ?(points|/100)|100\ ?(%|percent)\ (score|marks?|credit))\b
    | \b(score|mark|grade|rate)\b.{0,30}\b100\ ?(%|percent)
    | ^\s*(system|assistant|grader|judge|evaluator|note\ to\ (the\ )?(grader|judge|evaluator))\s*[:>]
    | \b(you\ are\ now|new\ instructions|as\ an\ ai|language\ model|the\ (grader|judge|evaluator|scorer))\b
    | \b(all|every)\ (milestones?|criteria)\b.{0,30}\b(met|covered|satisfied)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# The candidate brings a topic up only to wave it away: "I wouldn't bother monitoring it".
_DISMISSAL = re.compile(
    r"""
    \b(i|we)('d|\ would|\ will|'ll)?\ (not|never)\ (really\ |even\ )?
        (bother|worry|need|care|include|add|spend|focus|do\ (that|this|it|much|anything))\b
    | \b(wouldn't|won't|don't|didn't|shouldn't|needn't)\ (really\ |even\ |actually\ )?
        (bother|worry|need|care|think\ (we|you|it)\ need|want\ to\ (bother|spend|worry))\b
    | \bno\ (need|point|reason)\ (to|for|in)\b
    | \bnot\ (really\ )?(worth|necessary|needed|important|relevant|required|a\ concern|something\ (i|we)'d)\b
    | \b(isn't|is\ not|aren't|are\ not|won't\ be|will\ not\ be)\ (really\ )?(an?\ )?(issue|problem|concern)\b
        (?!\s+(once|after|as\ long\ as|if|when|with|because\ (i|we)))  # "not a problem once I subtract the max"
    | \b(unnecessary|overkill|pointless|waste\ of\ time|irrelevant|band-?aids?)\b
    | \b(doesn't|does\ not|don't|do\ not)\ (really\ )?matter\b
    | \b(i|we)\ (don't|do\ not|didn't|did\ not)\ (really\ |even\ |actually\ )?
        (handle|test|track|check|monitor|measure|bother|worry|care)\b
    | \b(don't|do\ not)\ think\b.{0,50}\b(worth|necessary|needed|matters?)\b
    | \b(i|we)\ (wouldn't|would\ not)\ (do|change)\ anything\b
    | \b(i'd|we'd|i\ would|we\ would|i'll|we'll|just|simply|can)\ (skip|ignore|leave\ out)\b(?!\s+(connections?|padd))
    | \b(forget\ about|won't\ bother\ with)\b
    | \bnever\ (bother|needed?|had\ to)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

_LIST_SEPARATORS = re.compile(r"[,;/]|\band\b|\bor\b")
# "Push and pop." and "They are connected." are whole answers (human graders give them full marks on
# SemEval-2013); one word ("yes", "okay") is not.
MIN_WORDS = 2


def addressed_to_grader(text: str) -> bool:
    return bool(_TO_THE_GRADER.search(text))


def dismissive(text: str) -> bool:
    return bool(_DISMISSAL.search(text))


def bare_term_list(text: str) -> bool:
    """A run of terms with no explanation: several short items and hardly any function words.

    Natural explanations are about 40 % function words ("the", "we", "because"); a list of
    buzzwords is mostly nouns joined by commas.
    """
    tokens = words(text)
    if len(tokens) < 3:
        return False
    items = [item for item in _LIST_SEPARATORS.split(text) if item.strip()]
    short_items = sum(1 for item in items if len(item.split()) <= 3)
    if len(items) >= 4 and short_items / len(items) >= 0.75 and function_word_share(text) < 0.25:
        return True
    # No separators, but still a string of nouns with no sentence in it.
    return len(tokens) >= 5 and function_word_share(text) < 0.08


def too_short(text: str) -> bool:
    return len(words(text)) < MIN_WORDS


_NON_ANSWER = re.compile(
    r"^\W*(um+|uh+|so|well|hmm+)?\W*(i\s+(do\s+not|don't|really\s+don't)\s+know|not\s+sure|no\s+idea|i'?m\s+stuck|"
    r"i\s+have\s+no\s+(idea|clue)|pass|next\s+question)\b[^.?!]{0,30}[.?!]*\s*$",
    re.IGNORECASE,
)


# Pleasantries and the close of an interview: "No questions from me, thanks." says nothing about any milestone.
_PLEASANTRY = re.compile(
    r"^\W*(no|not really|nope|none)?\W*(more |other |further )?(questions?|nothing( else)?)"
    r"( (from|for) me| at all| right now)?"
    r"\W*(thanks?( you)?|cheers)?\W*$"
    r"|^\W*(thanks?|thank you|cheers|great|cool|sounds good|okay|ok|sure|perfect|got it|makes sense)"
    r"(,? (thanks?|thank you|so much|very much|a lot|for (your|the) time|for having me|that'?s (all|it)))*\W*$",
    re.IGNORECASE,
)


def pleasantry(text: str) -> bool:
    return bool(_PLEASANTRY.search(text))


# Remarks about the interview itself ("I can go deeper on any part.", "That's not quite what I asked, but fine.")
# and a line of program text said or pasted alone ("import heapq", "N = n - P"): neither explains anything.
_META = re.compile(
    r"\b(i can go (deeper|into (more )?detail)|happy to (go deeper|elaborate|expand)|(that'?s )?not (quite )?what i "
    r"(asked|meant)|out of ideas|let me know if you want)\b",
    re.IGNORECASE,
)
_CODE_ALONE = re.compile(
    r"^\s*(import \w|from [\w.]+ import |def |class |return\b|"
    r"[A-Za-z_][\w.\[\]]*(\s*,\s*[A-Za-z_][\w.\[\]]*)*\s*(=|\+=|-=)\s*\S|"
    r"[A-Za-z_][\w.]*\([^()]*\)\s*;?\s*$)"
)
CODE_ALONE_WORDS = 6


def meta_remark(text: str) -> bool:
    return bool(_META.search(text)) and len(words(text)) <= 12


def code_alone(text: str) -> bool:
    """A short unit that is a line of code rather than a sentence about it."""
    return bool(_CODE_ALONE.match(text)) and len(text.split()) <= CODE_ALONE_WORDS


def non_answer(text: str) -> bool:
    """'I don't know.', 'Not sure, sorry.': a turn that says nothing about the question."""
    return bool(_NON_ANSWER.search(text))
