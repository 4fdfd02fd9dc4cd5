# Wrong: counts each distinct pair once per word, so a a a adds its frequency to (a, a) once instead of twice.
import itertools
from collections import Counter


def bpe_merge_step(corpus):
    counts = Counter()
    for word, freq in corpus.items():
        for pair in set(itertools.pairwise(word)):
            counts[pair] += freq
    if not counts:
        return dict(corpus), None
    best = min(counts, key=lambda pair: (-counts[pair], pair))
    merged = best[0] + best[1]
    new_corpus = {}
    for word, freq in corpus.items():
        out, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                out.append(merged)
                i += 2
            else:
                out.append(word[i])
                i += 1
        new_corpus[tuple(out)] = new_corpus.get(tuple(out), 0) + freq
    return new_corpus, best
