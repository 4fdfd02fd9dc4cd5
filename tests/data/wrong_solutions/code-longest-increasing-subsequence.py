# Uses bisect_right (first tail > x), which computes the longest non-decreasing subsequence, so duplicates are counted.
from bisect import bisect_right


def length_of_lis(nums: list[int]) -> int:
    tails: list[int] = []
    for x in nums:
        i = bisect_right(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)
