"""One bounded, thread-safe LRU cache for values computed in batches (text -> vector).

`functools.lru_cache` caches one call at a time; the answerer and the guard embed many texts in
one batch and want the ones they have seen before, so they share this instead.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

__all__ = ["BatchCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchCache(Generic[K, V]):
    """At most `size` entries; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The cached values of those `keys` that are cached."""
        with self._lock:
            return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, items: Mapping[K, V]) -> None:
        """Store (or refresh) `items` as the most recently used, then trim to `size`."""
        with self._lock:
            for key, value in items.items():
                self._data[key] = value
                self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
