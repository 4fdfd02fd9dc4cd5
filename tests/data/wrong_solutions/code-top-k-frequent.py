# Wrong: the bucket array has len(items) slots, one too few, so a count equal to len(items) is out of range.
def top_k_frequent(items: list, k: int) -> list:
    counts: dict = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    buckets: list[list] = [[] for _ in range(len(items))]
    for x, c in counts.items():
        buckets[c].append(x)
    out: list = []
    for c in range(len(buckets) - 1, 0, -1):
        for x in buckets[c]:
            out.append(x)
            if len(out) == k:
                return out
    return out
