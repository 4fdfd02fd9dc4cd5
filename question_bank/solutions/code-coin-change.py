def coin_change(coins: list[int], amount: int) -> int:
    unreachable = amount + 1
    dp = [0] + [unreachable] * amount
    usable = [c for c in coins if c <= amount]
    for a in range(1, amount + 1):
        best = unreachable
        for c in usable:
            if c <= a and dp[a - c] + 1 < best:
                best = dp[a - c] + 1
        dp[a] = best
    return dp[amount] if dp[amount] <= amount else -1
