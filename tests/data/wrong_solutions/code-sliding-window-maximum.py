# Wrong: the deque holds values, pops equal ones from the back and expires the front by value, so duplicates break it.
from collections import deque


def max_sliding_window(nums: list[int], k: int) -> list[int]:
    window: deque[int] = deque()
    out: list[int] = []
    for i, x in enumerate(nums):
        if i >= k and window and window[0] == nums[i - k]:
            window.popleft()
        while window and window[-1] <= x:
            window.pop()
        window.append(x)
        if i >= k - 1:
            out.append(window[0])
    return out
