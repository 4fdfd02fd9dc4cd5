"""Reference solution: a stack of unmatched openers; each closer must match the most recent one."""

PAIRS = {")": "(", "]": "[", "}": "{"}


def is_valid(s: str) -> bool:
    if len(s) % 2:
        return False
    stack: list[str] = []
    for ch in s:
        if ch in PAIRS:
            if not stack or stack.pop() != PAIRS[ch]:
                return False
        else:
            stack.append(ch)
    return not stack
