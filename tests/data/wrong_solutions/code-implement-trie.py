# Autocomplete walks children in insertion order instead of alphabetical order, so suggestions come out unsorted.
class Trie:
    def __init__(self) -> None:
        self.children: dict[str, Trie] = {}
        self.is_end = False

    def insert(self, word: str) -> None:
        node = self
        for ch in word:
            node = node.children.setdefault(ch, Trie())
        node.is_end = True

    def _find(self, text: str) -> "Trie | None":
        node = self
        for ch in text:
            if ch not in node.children:
                return None
            node = node.children[ch]
        return node

    def search(self, word: str) -> bool:
        node = self._find(word)
        return node is not None and node.is_end

    def starts_with(self, prefix: str) -> bool:
        return self._find(prefix) is not None

    def autocomplete(self, prefix: str) -> list[str]:
        results: list[str] = []

        def dfs(node: "Trie", word: str) -> None:
            if len(results) == 5:
                return
            if node.is_end:
                results.append(word)
            for ch, child in node.children.items():
                dfs(child, word + ch)

        node = self._find(prefix)
        if node is not None:
            dfs(node, prefix)
        return results
