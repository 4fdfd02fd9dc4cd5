import itertools
from collections import Counter


def bpe_merge_step(
    corpus: dict[tuple[str, ...], int],
) -> tuple[dict[tuple[str, ...], int], tuple[str, str] | None]:
    """One BPE training step: count adjacent pairs, merge the most frequent one everywhere."""
    counts: Counter[tuple[str, str]] = Counter()
    for word, freq in corpus.items():
        for pair in itertools.pairwise(word):  # every adjacent position, overlapping ones included
            counts[pair] += freq
    if not counts:
        return dict(corpus), None
    best = min(counts, key=lambda pair: (-counts[pair], pair))  # highest count, then the smallest pair
    first, second = best
    merged = first + second
    new_corpus: dict[tuple[str, ...], int] = {}
    for word, freq in corpus.items():
        symbols: list[str] = []
        i = 0
        while i < len(word):  # left to right; a merged pair is consumed, so a a a becomes aa a
            if i + 1 < len(word) and word[i] == first and word[i + 1] == second:
                symbols.append(merged)
                i += 2
            else:
                symbols.append(word[i])
                i += 1
        key = tuple(symbols)
        new_corpus[key] = new_corpus.get(key, 0) + freq  # two words can become the same symbols
    return new_corpus, best
