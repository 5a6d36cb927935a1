"""An in-memory LRU cache of serialized query results (and of rendered pages), one per HTTP worker.

The data cannot change while a release is served, so a result is valid until the next release;
the data version is part of every key, so a new build never serves an old answer. Bounded by
entry count and by total bytes, so a few huge results cannot crowd the memory.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_SPACE = re.compile(r"\s+")


def normalise(query: str) -> str:
    """The same query written with other line breaks or indentation gets the same key.

    Only whitespace runs outside quoted strings are folded; string literals are kept as they are.
    """
    parts = re.split(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", query)
    return "".join(part if i % 2 else _SPACE.sub(" ", part) for i, part in enumerate(parts)).strip()


class ResultCache(Generic[V]):
    """A thread-safe LRU map bounded by entries and bytes (`sizeof` tells a value's bytes)."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry_bytes: int = 4 * 1024 * 1024,
        sizeof: Callable[[V], int] = len,  # type: ignore[assignment]
    ) -> None:
        self.max_entries, self.max_bytes, self.max_entry_bytes = (
            max_entries,
            max_bytes,
            max_entry_bytes,
        )
        self.sizeof = sizeof
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> V | None:
        """The value kept for `key` (now the most recently used), or None."""
        if self.max_entries <= 0:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` unless it is larger than one entry may be; drop the least recently used."""
        size = self.sizeof(value)
        if self.max_entries <= 0 or size > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= self.sizeof(dropped)

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> tuple[V, bool]:
        """(result, was it a hit). Errors from `compute` are not cached."""
        found = self.get(key)
        if found is not None:
            return found, True
        value = compute()
        self.put(key, value)
        return value, False

    def __len__(self) -> int:
        return len(self._items)
