# Greedy: always takes the largest coin that still fits, which is not optimal for arbitrary denominations.
def coin_change(coins: list[int], amount: int) -> int:
    count = 0
    for coin in sorted(coins, reverse=True):
        take = amount // coin
        count += take
        amount -= take * coin
    return count if amount == 0 else -1
