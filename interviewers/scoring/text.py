"""Splitting candidate turns into quotable units, and the light normalisation lexical matching needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? or a line break; a decimal point ("0.85") or "e.g." is not an end.
_SENTENCE_END = re.compile(r"(?<!\b[a-z]\.[a-z])(?<!\d)[.!?]+(?=\s|$)|\n+|;\s")
# A semicolon ends one only between two clauses this long: in "I'll start every weight at 0; training breaks
# the symmetry" neither half is a claim alone, and a quote of either misreads the candidate.
SEMICOLON_CLAUSE_WORDS = 8
# Long spoken sentences are split again at clause joints so a quote stays short and on one idea.
_CLAUSE_JOINT = re.compile(r",\s+(?=(?:and|but|so|because|then|which|whereas|while)\b)|\s+-{1,2}\s+|\s+—\s+")
LONG_UNIT_WORDS = 40
# A speech transcript may carry no punctuation at all ("i called the account lead the same afternoon and
# we went to the customer so ..."): a clause still this long is split again before these words.
_BARE_JOINT = re.compile(r"\s+(?=(?:so|because|but|then|which|whereas|while|since|and then|after that)\b)", re.I)
MIN_CLAUSE_WORDS = 15  # shorter pieces lose their subject ("so the boundary gets wiggly")
BARE_UNIT_WORDS = 60
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+-]*|\d+(?:[.,]\d+)*%?")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "else",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "we",
        "our",
        "us",
        "i",
        "me",
        "my",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "why",
        "how",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "have",
        "has",
        "had",
        "having",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "not",
        "no",
        "nor",
        "than",
        "too",
        "very",
        "just",
        "also",
        "only",
        "about",
        "into",
        "over",
        "under",
        "again",
        "further",
        "once",
        "here",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "own",
        "same",
        "up",
        "down",
        "out",
        "off",
        "s",
        "t",
        "don't",
        "i'd",
        "i'm",
        "i've",
        "we'd",
        "we're",
        "we've",
        "it's",
        "that's",
        "let's",
        "let",
        "like",
        "um",
        "uh",
        "yeah",
        "okay",
        "ok",
        "well",
        "really",
        "actually",
        "basically",
        "sort",
        "kind",
        "maybe",
        "thing",
        "things",
        "lot",
        "get",
        "got",
        "going",
        "go",
        "say",
        "said",
    ]
)


@dataclass(frozen=True)
class Unit:
    """A sentence or clause of one candidate turn: `text` is exactly turn_text[start:end]."""

    turn: int
    start: int
    end: int
    text: str


def _spans(text: str) -> list[tuple[int, int]]:
    ends = list(_SENTENCE_END.finditer(text))
    spans, start = [], 0
    for i, match in enumerate(ends):
        if match.group().startswith(";"):
            following = next((m.start() for m in ends[i + 1 :] if not m.group().startswith(";")), len(text))
            short = min(len(text[start : match.start()].split()), len(text[match.end() : following].split()))
            if short < SEMICOLON_CLAUSE_WORDS:
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if len(text[start:end].split()) <= LONG_UNIT_WORDS:
        return [(start, end)]
    out, cursor = [], start
    for match in _CLAUSE_JOINT.finditer(text, start, end):
        out.append((cursor, match.start()))
        cursor = match.start() + (1 if text[match.start()] == "," else 0)
    out.append((cursor, end))
    return [piece for lo, hi in out for piece in _bare_clauses(text, lo, hi)]


def _bare_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if len(text[start:end].split()) <= BARE_UNIT_WORDS:
        return [(start, end)]
    out, cursor = [], start
    for match in _BARE_JOINT.finditer(text, start, end):
        if len(text[cursor : match.start()].split()) >= MIN_CLAUSE_WORDS:
            out.append((cursor, match.start()))
            cursor = match.start()
    out.append((cursor, end))
    return out


def split_units(turn_index: int, text: str) -> list[Unit]:
    """Sentences (clauses when long) with exact offsets, stripped of surrounding space and joint punctuation."""
    units = []
    for s_start, s_end in _spans(text):
        for c_start, c_end in _clauses(text, s_start, s_end):
            lo, hi = c_start, c_end
            while lo < hi and (text[lo].isspace() or text[lo] in ",;—-"):
                lo += 1
            while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;—-"):
                hi -= 1
            if hi > lo:
                units.append(Unit(turn_index, lo, hi, text[lo:hi]))
    return units


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: enough to match 'monitoring'/'monitors'/'monitored' and 'latencies'/'latency'."""
    w = word.lower().strip("'")
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, repl in (
        ("ational", "ate"),
        ("ization", "ize"),
        ("ations", "ate"),
        ("ation", "ate"),
        ("fulness", "ful"),
        ("iveness", "ive"),
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # 'stopp' (from stopping) -> 'stop'
    return w.rstrip("e") if len(w) > 4 else w


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def function_word_share(text: str) -> float:
    tokens = words(text)
    return sum(1 for w in tokens if w in STOPWORDS) / len(tokens) if tokens else 0.0
