# Wrong: loads every value into the map first, then never checks that the complement's index is not x's own index.
def two_sum(nums: list[int], target: int) -> list[int]:
    index = {x: i for i, x in enumerate(nums)}
    for i, x in enumerate(nums):
        if target - x in index:
            return [i, index[target - x]]
    return []
