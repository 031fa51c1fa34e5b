"""The caches every layer shares, one of each.

`BatchCache`: one bounded, thread-safe LRU cache for values computed in batches (text -> vector).
`functools.lru_cache` caches one call at a time; the answerer and the guard embed many texts in
one batch and want the ones they have seen before, so they share this instead.

`PerGeneration`: values derived from a whole index (its facets, its catalog, its vocabulary), each
built on first use and again only when the index's generation changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["BatchCache", "PerGeneration"]

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


class PerGeneration:
    """Named values, each kept while the generation it was built for is current:
    `kept.get("facets", index.generation, build)` calls `build()` on first use and after the
    generation changes, and otherwise returns what it built before."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[object, Any]] = {}

    def get(self, name: str, generation: object, build: Callable[[], V]) -> V:
        kept = self._values.get(name)
        if kept is None or kept[0] != generation:
            kept = (generation, build())
            self._values[name] = kept
        return kept[1]
