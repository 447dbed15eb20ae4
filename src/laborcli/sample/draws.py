"""Random draws for the generator: cheap uniform draws and prepared weighted tables."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Rng(random.Random):
    """``random.Random`` with cheap draws for the hot loops.

    ``choice``/``randint`` go through rejection sampling on random bits, far slower than
    scaling one ``random()``; scaling is biased by at most n/2**53 (about 1e-7 for the
    largest n used, the 10**9 phone numbers), which nothing here can notice.
    """

    def pick(self, seq: Sequence[T]) -> T:
        """One element, uniformly."""
        return seq[int(self.random() * len(seq))]

    def between(self, a: int, b: int) -> int:
        """An integer in [a, b]."""
        return a + int(self.random() * (b - a + 1))

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return int(self.random() * n)


class Pick(Generic[T]):
    """A weighted choice with its cumulative weights computed once (``rng.choices`` recomputes them)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.items = [i for i, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    """A one-off weighted choice (village styles); hot loops use prepared ``Pick`` tables."""
    return Pick(items)(rng)


def share_of(r: float, shares: dict[str, float]) -> str:
    """The key whose share of [0, 1), in order, holds ``r``; "" past them all."""
    for key, share in shares.items():
        if r < share:
            return key
        r -= share
    return ""
