# Wrong: seeds the bounds with INT_MIN and INT_MAX and compares strictly, so a node holding -2**31 or 2**31 - 1 fails.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


def is_valid_bst(root):
    stack = [(root, INT_MIN, INT_MAX)]
    while stack:
        node, low, high = stack.pop()
        if node is None:
            continue
        if not low < node.val < high:
            return False
        stack.append((node.left, low, node.val))
        stack.append((node.right, node.val, high))
    return True
