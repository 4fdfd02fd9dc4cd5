# Kahn's algorithm that forgets to check whether every course was taken, so a cycle behind other courses goes unnoticed.
from collections import deque


def find_order(num_courses: int, prerequisites: list[list[int]]) -> list[int]:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    in_degree = [0] * num_courses
    for course, prereq in prerequisites:
        unlocks[prereq].append(course)
        in_degree[course] += 1
    queue = deque(c for c in range(num_courses) if in_degree[c] == 0)
    order = []
    while queue:
        course = queue.popleft()
        order.append(course)
        for nxt in unlocks[course]:
            in_degree[nxt] -= 1
            if in_degree[nxt] == 0:
                queue.append(nxt)
    return order
