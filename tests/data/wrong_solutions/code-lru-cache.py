# put checks the capacity before looking the key up, so updating an existing key in a full cache evicts another entry.
class _Node:
    def __init__(self, key: int = 0, value: int = 0) -> None:
        self.key = key
        self.value = value
        self.prev = None
        self.next = None


class LRUCache:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.map: dict[int, _Node] = {}
        self.head = _Node()
        self.tail = _Node()
        self.head.next = self.tail
        self.tail.prev = self.head

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node: _Node) -> None:
        node.prev = self.head
        node.next = self.head.next
        self.head.next.prev = node
        self.head.next = node

    def get(self, key: int) -> int:
        if key not in self.map:
            return -1
        node = self.map[key]
        self._unlink(node)
        self._push_front(node)
        return node.value

    def put(self, key: int, value: int) -> None:
        if len(self.map) >= self.capacity:
            oldest = self.tail.prev
            self._unlink(oldest)
            del self.map[oldest.key]
        if key in self.map:
            node = self.map[key]
            node.value = value
            self._unlink(node)
        else:
            node = _Node(key, value)
            self.map[key] = node
        self._push_front(node)
