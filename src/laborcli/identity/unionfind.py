"""Grouping keys that are joined pairwise (one person seen under several keys)."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets of string keys with path halving; ``union(a, b)`` joins their sets."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """The representative of x's set (x itself when never joined)."""
        parent = self.parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Put a and b in one set."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def groups(self) -> dict[str, list[str]]:
        """Every key seen, by the representative of its set."""
        out: dict[str, list[str]] = {}
        for k in list(self.parent):
            out.setdefault(self.find(k), []).append(k)
        return out
