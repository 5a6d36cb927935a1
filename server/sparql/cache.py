"""An in-memory LRU cache of serialized query results, one per HTTP worker process.

The data cannot change while a release is served, so a result is valid until the next release;
the data version is part of every key, so a new build never serves an old answer. Bounded by
entry count and by total bytes, so a few huge results cannot crowd the memory.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

_SPACE = re.compile(r"\s+")


def normalise(query: str) -> str:
    """The same query written with other line breaks or indentation gets the same key.

    Only whitespace runs outside quoted strings are folded; string literals are kept as they are.
    """
    parts = re.split(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", query)
    return "".join(part if i % 2 else _SPACE.sub(" ", part) for i, part in enumerate(parts)).strip()


class ResultCache:
    def __init__(
        self,
        max_entries: int,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self.max_entries, self.max_bytes, self.max_entry_bytes = (
            max_entries,
            max_bytes,
            max_entry_bytes,
        )
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], bytes]) -> tuple[bytes, bool]:
        """(result, was it a hit). Errors from `compute` are not cached."""
        if self.max_entries <= 0:
            return compute(), False
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found, True
            self.misses += 1
        value = compute()
        if len(value) <= self.max_entry_bytes:
            with self._lock:
                if key not in self._items:
                    self._items[key] = value
                    self._bytes += len(value)
                while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                    _, dropped = self._items.popitem(last=False)
                    self._bytes -= len(dropped)
        return value, False

    def __len__(self) -> int:
        return len(self._items)
