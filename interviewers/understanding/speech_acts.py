"""What each sentence of a candidate turn does: asks, requests a hint, says it is stuck, attacks, asks about the job.

These read whole sentences in the way they are addressed, never single words: "one pass with a hash map",
"accuracy is useless here", "kill the job" and "a blank line" are technical statements, while
"I'll pass on this one", "this question is useless" and "can you give me a hint?" are not.
"""

from __future__ import annotations

import re

from interviewers.scoring.text import Unit, split_units, words

# Without a question mark, only question word order makes a question: "What is the budget" asks,
# "What I learned: …" and "How I'd do it is …" do not.
_QUESTION_START = re.compile(
    r"^\s*(?:(?:so|and|okay|ok|also|then|sorry|quick question|one more thing|before i (?:start|begin|go on))\W+)*"
    r"(?:(?:what|how|which|who|when|where|why)(?:'s|\s+(?:is|are|was|were|do|does|did|should|would|could|can|will|"
    r"about|if|kind|sort|much|many|long|often|big|large|fast|rare|happens))"
    r"|(?:is|are|do|does|did|can|could|should|will|would|may|am|have|has)\s+(?:i|we|you|it|there|the|this|that|they|"
    r"these|those|our|your|each|every|any|all|a|an)"
    r"|any\s+(?:constraints?|limits?|requirements?|preference|chance))\b",
    re.I,
)
# Statements that are really questions: "I'd like to know the scale", "I was wondering whether ..."
_INDIRECT_QUESTION = re.compile(
    r"\b(i'?d (like|love|want) to (know|understand|ask|check|clarify)|i (was|am|'m) wondering|"
    r"(can|could) you (tell|clarify|confirm|say)|let me (ask|check|clarify)|i'?d like to clarify|"
    r"tell me (more )?(about|what|how|whether|if))\b",
    re.I,
)
_HINT_WORDS = re.compile(r"\b(hint|nudge|pointer|clue|tip)s?\b", re.I)
_HELP_REQUEST = re.compile(
    r"\b((can|could|would) you (help|point me|give me|get me started)|help me (out|get started|with this)|"
    r"where (should|do|would) i (even )?(start|begin)|point me in the right direction|"
    r"i (need|could use|would like|'d like) (some )?help|"
    # "I'm stuck. What would you do?", "can you just tell me what's going on?": the answer, asked for
    r"(can|could|would) you (just )?tell me (what'?s going on|what to do|the answer|what you'?re (looking for|after))|"
    r"what would you do( here| next)?\s*\?|what should i do( here| next)?\s*\?)",
    re.I,
)
# First-person statements that the candidate cannot go on. "pass" counts only as the whole move, and
# "I don't know the exact count, but I'd assume a million" goes on, so it is an answer, not a plea.
_STUCK = re.compile(
    r"^\W*(?:(?:um+|uh+|hmm+|so|well|honestly|sorry|okay|ok)\W+)*(?:"
    r"i (?:really |honestly )?(?:don'?t|do not) know|"
    r"i'?m (?:really |a (?:bit|little) |kind of |sort of |pretty |totally )?(?:stuck|lost|blanking|drawing a blank)|"
    r"i am (?:a (?:bit|little) )?(?:stuck|lost)|i have no (?:idea|clue)|no (?:idea|clue)|"
    r"(?:i'?m |i am )?(?:really |honestly )?not (?:really )?sure|"
    r"i can'?t (?:think of anything|think|remember|recall|figure (?:it|this) out)|i'?ve (?:got|gotten) nothing|"
    r"nothing comes to mind|i'?m (?:all |completely )?out of ideas"
    r")\b",
    re.I,
)
# Passing is a whole move ("I'll pass on this one"), never a word inside an answer ("one pass", "skip connections").
_PASS = re.compile(
    r"^\W*(?:(?:um+|uh+|hmm+|so|well|honestly|sorry|okay|ok)\W+)*(?:i'?ll |i |let me |can i |i'?d like to )?"
    r"(?:pass|skip|next question)(?: (?:on )?(?:this|that|it)(?: one| question)?)?(?: for now)?(?:,? please)?\W*$",
    re.I,
)
_STUCK_TAIL = re.compile(r"^\W*(?:how|what|where|which|why|about|to|on|with)\b", re.I)
# Hostility is aimed at someone or at the exercise, not at a metric ("accuracy is useless here").
_HOSTILE = re.compile(
    r"\b(this|that|your|the)\s+(question|interview|problem|exercise|process|format)s?\s+(is|are|'s|was)\s+"
    r"(so\s+|really\s+|totally\s+|just\s+)?(stupid|dumb|pointless|useless|ridiculous|garbage|bullshit|a joke|absurd)\b"
    r"|\byou('re|\s+are)\s+(so\s+|really\s+|being\s+)?(stupid|dumb|useless|an idiot|annoying|clueless|rude|a joke)\b"
    r"|\b(shut up|screw (you|this)|fuck(ing)? (you|this|off)|go to hell|piss off)\b"
    # "A waste of time" is hostile only about the interview itself: "numerical gradient checks are a waste of
    # time" is a (wrong) technical claim, which the interviewer should challenge, not calm down.
    r"|\b(this|that|it|this (interview|question|exercise|whole thing))('s|\s+is|\s+was)\s+(just\s+|such\s+|all\s+)?"
    r"a\s+(complete\s+|total\s+|huge\s+)?waste of (my |our )?time\b(?!\s+(to|for|on|in|if)\b)"
    r"|\b(wasting my time|i hate (this|you))\b"
    r"|\b(stupid|dumb|idiotic|pointless|ridiculous) (question|interview|exercise|interviewer)\b",
    re.I,
)
_ABOUT_THE_JOB = re.compile(
    r"\b(your team|the team|your company|the company|work(ing)? here|the role|this role|the job|culture|"
    r"on[- ]?call|pager|"
    r"interview (loop|process)|after this|next rounds?|hiring|"
    r"remote|promotion|career|day[- ]to[- ]day|tech stack|you (like|enjoy|work on)|how long have you|"
    r"team size|manager|interview process|next steps?|hear back|offer|"
    r"how did i do|how (am|was) i doing|any feedback|(what|anything) (should|could) i (work on|improve))\b",
    re.I,
)
_CODE_LINE = re.compile(
    r"^\s*(def |class |return\b|for .+:\s*$|while .+:\s*$|if .+:\s*$|elif |else:|import |from \S+ import|"
    r"[A-Za-z_][\w\[\], .]*\s*(=|\+=|-=)\s*\S|#|@)"
)


# Checking in with the interviewer ("Anything I missed?", "Does that make sense?"): not a clarifying question.
_CHECK_IN = re.compile(
    r"\b(anything (else )?(i'?ve |i )?(missed|missing|forgot|left out)|(does|did) (that|this|it) make sense|"
    r"am i on the right track|is that (right|correct|ok|okay|what you (wanted|meant|were looking for))|"
    r"(does|did) that (sound|look) (right|good|reasonable|ok|okay)|"
    r"(should|shall) i (go on|continue|move on|keep going|start coding|(code|write|implement) (it|this|that))|"
    r"(do you )?want me to (go|continue|code|write|move)|shall i (go on|continue|start)|"
    r"(should|shall|can|do) we (wrap( it)? up|stop|finish|end|move on)|are we (done|out of time|finished))\b",
    re.I,
)


# Saying how one will go about the work ("Let me get the base version working first and then come back to the
# TTL.") is about the problem, however few of its words are.
_PLANS = re.compile(
    r"\b(let me|i'?ll|i will|i'?d like to|i want to)\b.*\b(first|come back to|get (it|this|that|the [\w-]+( [\w-]+)?) "
    r"(working|running|passing|right))\b",
    re.I,
)


def plans_work(sentence: str) -> bool:
    return bool(_PLANS.search(sentence))


def checks_in(sentence: str) -> bool:
    return bool(_CHECK_IN.search(sentence))


def says_pass(sentence: str) -> bool:
    """Passing on the question as a whole move ("I'll pass on this one")."""
    return bool(_PASS.search(sentence))


# "Maybe just turn the model off?": a guess offered as an answer, in a questioning voice.
_TENTATIVE = re.compile(r"^\W*(?:(?:um+|uh+|hmm+|so|well|i guess)\W+)*(?:maybe|perhaps|possibly|probably)\b", re.I)


def is_question(sentence: str) -> bool:
    text = sentence.strip()
    if _TENTATIVE.match(text):
        return False
    return text.endswith("?") or bool(_QUESTION_START.match(text)) or bool(_INDIRECT_QUESTION.search(text))


def asks_for_hint(sentence: str) -> bool:
    """A request to be helped along, addressed to the interviewer: "Can you give me a hint?", "Any pointers?"."""
    if _HELP_REQUEST.search(sentence):
        return True
    if not _HINT_WORDS.search(sentence):
        return False
    return is_question(sentence) or bool(
        re.search(r"\b(give me|i need|i'?d like|i could use|please)\b", sentence, re.I)
    )


def says_stuck(sentence: str) -> bool:
    if _PASS.search(sentence):
        return True
    found = _STUCK.search(sentence)
    if not found:
        return False
    rest = words(sentence[found.end() :])
    # "I'm not sure." / "I'll pass on this one." / "I don't know how to start." — but not a sentence that goes on.
    return len(rest) <= 4 or (bool(_STUCK_TAIL.match(sentence[found.end() :])) and len(rest) <= 10)


# The plainest pleas, which stay pleas whatever follows: "I'm stuck, I don't see why keep would be empty." Not a
# hedge such as "I'm not sure the index fits in memory, so I'd shard it".
_PLEA = re.compile(
    r"^\W*(?:(?:um+|uh+|hmm+|so|well|honestly|sorry|okay|ok)\W+)*(?:"
    r"i'?m (?:really |completely |totally |a (?:bit|little) |kind of |sort of |pretty )?"
    r"(?:stuck|lost|blanking|drawing a blank|out of ideas)|i am (?:a (?:bit|little) )?(?:stuck|lost)|"
    r"i have no (?:idea|clue)|i'?ve (?:got|gotten) nothing)\b",
    re.I,
)


def pleads(sentence: str) -> bool:
    """A sentence that opens with a plain plea for help ("I'm stuck, …", "I have no idea …")."""
    return bool(_PLEA.search(sentence))


def admits_stuck(sentence: str) -> bool:
    """A sentence that opens by saying the candidate is stuck or unsure, however it goes on ("I'm a bit stuck on how
    to handle the estimate once the order is on its way"): a plea, never a claim about the problem."""
    return bool(_STUCK.search(sentence))


def hostile(sentence: str) -> bool:
    return bool(_HOSTILE.search(sentence))


def about_the_job(sentence: str) -> bool:
    return is_question(sentence) and bool(_ABOUT_THE_JOB.search(sentence))


def looks_like_code(text: str) -> bool:
    """Several lines that read as program text (a pasted solution), not prose about code."""
    lines = [line for line in text.splitlines() if line.strip()]
    code = sum(1 for line in lines if _CODE_LINE.match(line))
    return code >= 2 and code >= 0.5 * len(lines)


# Program text said inline ("heap = [...]; dummy = tail = ListNode(); while heap: val, i, node = heapq.heappop(heap)"):
# method calls, assignments of one name to another, comparisons and statement separators, two of them at least.
_CODE_TOKEN = re.compile(r"\w\.\w+\(|\b[A-Za-z_]\w* = [A-Za-z_(\[]|==|!=|\+=|-=|;\s*\w+ ?=|\bdef \w+\(")


def inline_code(text: str) -> bool:
    """Program text inside a spoken or typed answer: no claim however near its identifiers come to one, and no
    submission the tests can run."""
    return len(_CODE_TOKEN.findall(text)) >= 2


def sentences(text: str) -> list[Unit]:
    """The turn's sentences (clauses when long), with exact offsets for quoting."""
    return split_units(0, text)


def substantive(text: str) -> bool:
    """Whether a sentence says something beyond a filler: at least four words."""
    return len(words(text)) >= 4
