import heapq
from collections import Counter
from collections.abc import Hashable


def top_k_frequent(items: list[Hashable], k: int) -> list[Hashable]:
    counts = Counter(items)
    return heapq.nlargest(k, counts, key=counts.__getitem__)
