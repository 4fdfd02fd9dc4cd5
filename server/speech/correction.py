"""Snap near-miss words in a transcript to the question's vocabulary, and nothing else.

Whisper tiny.en hears "FSDP" as "fscp" and "supervised fine-tuning" as "super-mised fine-tuning". A span of
one to three words is replaced by a vocabulary term only when

- the span's letters are within a small edit distance of the term's (similarity >= `threshold`), and
  that term is the single best match;
- every word it changes is rare: not a word the Whisper tokenizer holds whole (its ~50k commonest words)
  and not one of the question's own words. Common words the span keeps must be words of the term.

So a correctly transcribed ordinary sentence is never touched, and the only words a correction writes
are the vocabulary's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

THRESHOLD = 0.9  # the strictest of the best on the dev half of benchmarks/jargon_wer.py
MAX_SPAN = 3
MIN_KEY = 3  # letters: shorter spans or terms match too much by chance
_ENDINGS = ("s", "es", "ed", "er", "ers", "ing", "ly", "d", "r")  # a common word's inflections are common too
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$")


def key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / the longer length."""
    if not a or not b:
        return 0.0
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return 1 - row[len(b)] / max(len(a), len(b))


@lru_cache(maxsize=1)
def tokenizer_words() -> frozenset[str]:
    """Lower-cased words that the bundled Whisper tokenizer holds as one token (with their leading space)."""
    from server.speech.models import bundled_model_dir

    vocab = json.loads((bundled_model_dir() / "tokenizer.json").read_text())["model"]["vocab"]
    return frozenset(t[1:].lower() for t in vocab if t.startswith("\u0120") and t[1:].isalpha())


def correct_to_hotwords(text: str, hotwords: str | None) -> str:
    """`text` corrected against the terms of a `vocabulary_prompt` (comma-separated), if there are any."""
    if not text or not hotwords:
        return text
    return _corrector(tuple(t.strip() for t in hotwords.split(",") if t.strip())).correct(text)


@lru_cache(maxsize=64)
def _corrector(terms: tuple[str, ...]) -> VocabularyCorrector:
    return VocabularyCorrector(terms)


@dataclass(frozen=True)
class _Term:
    text: str
    key: str
    words: frozenset[str]


class VocabularyCorrector:
    """Corrects transcripts against one question's vocabulary terms."""

    def __init__(
        self,
        terms: Iterable[str],
        threshold: float = THRESHOLD,
        is_common: Callable[[str], bool] | None = None,
    ) -> None:
        unique = dict.fromkeys(t.strip() for t in terms if len(key(t)) >= MIN_KEY)
        self.terms = [_Term(t, key(t), frozenset(key(w) for w in re.split(r"[\s\-]+", t))) for t in unique]
        self.own_words = frozenset(w for term in self.terms for w in term.words) | {key(t) for t in unique}
        self.threshold = threshold
        common = tokenizer_words() if is_common is None else None
        self.is_common = is_common or (lambda word: key(word) in common if common is not None else False)

    def correct(self, text: str) -> str:
        tokens = text.split()
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for n in range(min(MAX_SPAN, len(tokens) - i), 0, -1):
                replacement = self._replacement(tokens[i : i + n])
                if replacement is not None:
                    out.append(replacement)
                    i += n
                    break
            else:
                out.append(tokens[i])
                i += 1
        return " ".join(out)

    def _replacement(self, span: list[str]) -> str | None:
        parts = [_EDGES.match(t) for t in span]
        cores = [m.group(2) if m else t for m, t in zip(parts, span, strict=True)]
        if any(not key(c) for c in cores):
            return None
        kept = [key(c) for c in cores if self._protected(c)]
        if len(kept) == len(cores):
            return None  # nothing rare to correct
        joined = key("".join(cores))
        if len(joined) < MIN_KEY:
            return None
        scored = sorted(
            ((similarity(joined, t.key), t) for t in self.terms if set(kept) <= t.words),
            key=lambda pair: -pair[0],
        )
        if not scored or scored[0][0] < self.threshold or _within(scored[0][1].key, joined):
            return None  # no term is close enough, or the words already hold every letter of it (AdamW, ranker)
        if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][1].key != scored[0][1].key:
            return None  # two terms fit equally well: leave the words as heard
        first, last = parts[0], parts[-1]
        return f"{first.group(1) if first else ''}{scored[0][1].text}{last.group(3) if last else ''}"

    def _protected(self, word: str) -> bool:
        k = key(word)
        stems = [k] + [k[: -len(end)] for end in _ENDINGS if k.endswith(end) and len(k) - len(end) >= 3]
        return k in self.own_words or k.isdigit() or any(self.is_common(s) for s in stems)


def _within(term: str, heard: str) -> bool:
    """`term`'s letters appear in order in `heard`: the heard words are a longer word, not a mishearing."""
    letters = iter(heard)
    return all(c in letters for c in term)
