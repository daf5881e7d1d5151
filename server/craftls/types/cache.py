"""The type cache: inference results per unit (a top-level declaration), shared
across files and edits.

A unit's key is its own text (plus the little layout that can change how the
same text parses) and the exported types of every outer symbol it uses, so an
edit re-infers the units it touches and the units whose dependencies' types
changed, and nothing else. Bounded: LRU with a time-to-live (cachetools), with
an injectable timer for tests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import TTLCache

from ..syntax.tree import GreenNode
from .infer import UnitResult

DEFAULT_MAXSIZE = 50_000  # the type_cache_size default
DEFAULT_TTL = 3600.0


class TypeCache:
    """Unit results keyed by content and dependencies; counts what it saved."""

    def __init__(self, maxsize: int = DEFAULT_MAXSIZE, ttl: float = DEFAULT_TTL,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._units: TTLCache[Hashable, UnitResult] = TTLCache(maxsize, ttl, timer=timer)
        # green node -> (node, column/checker/dependencies, result, time stored): the same
        # node asked again with the same dependencies (every unchanged unit on every
        # keystroke) is answered without slicing and hashing its text. Keyed by id() with
        # the node kept alive, so ids stay unique; an OrderedDict LRU (see item_walks).
        self._nodes: OrderedDict[int, tuple[GreenNode, Hashable, UnitResult, float]] = \
            OrderedDict()
        # a segment's merged template -> (template, context, its units' results, time
        # stored): ``for_node`` for a run of units at once (``check._Run.check_segment``)
        self._segments: OrderedDict[int, tuple[object, Hashable, tuple[UnitResult, ...],
                                               float]] = OrderedDict()
        self._timer = timer
        self._lock = threading.Lock()
        self.inferred = 0
        self.reused = 0

    def get(self, key: Hashable) -> UnitResult | None:
        with self._lock:
            try:  # one lookup (``Cache.get`` is a contains check and then a lookup)
                found: UnitResult = self._units[key]
            except KeyError:  # missing or expired
                return None
            self.reused += 1
            return found

    def for_node(self, green: GreenNode, context: Hashable) -> UnitResult | None:
        """What ``put_for_node`` stored for this very node in the same ``context`` (the
        rest of the unit's key), if it has not expired."""
        with self._lock:
            found: UnitResult | None = self._fresh(self._nodes, green, context)
            if found is not None:
                self.reused += 1
            return found

    def _fresh(self, entries: OrderedDict[int, Any], owner: object, context: Hashable
               ) -> Any:
        """The value ``entries`` holds for ``owner`` (by identity) in ``context``, if it
        has not expired (then it is the most recently used); under the lock."""
        entry = entries.get(id(owner))
        if entry is None or entry[0] is not owner or entry[1] != context:
            return None
        if self._timer() - entry[3] >= self.ttl:
            del entries[id(owner)]
            return None
        entries.move_to_end(id(owner))
        return entry[2]

    def put_for_node(self, green: GreenNode, context: Hashable, result: UnitResult) -> None:
        if not self.maxsize:  # size 0 keeps nothing
            return
        with self._lock:
            self._nodes[id(green)] = (green, context, result, self._timer())
            self._nodes.move_to_end(id(green))
            while len(self._nodes) > self.maxsize:
                self._nodes.popitem(last=False)

    def for_segment(self, template: object, context: Hashable
                    ) -> tuple[UnitResult, ...] | None:
        """What ``put_for_segment`` stored for these units (a segment of consecutive
        items, named by its merged name-resolution template) in the same ``context``."""
        with self._lock:
            found: tuple[UnitResult, ...] | None = self._fresh(self._segments, template,
                                                               context)
            if found is not None:
                self.reused += len(found)
            return found

    def put_for_segment(self, template: object, context: Hashable,
                        results: tuple[UnitResult, ...]) -> None:
        """Bounded to an eighth of the units (a segment holds many); keeps the template
        alive, so its id stays unique."""
        if not self.maxsize:
            return
        with self._lock:
            self._segments[id(template)] = (template, context, results, self._timer())
            self._segments.move_to_end(id(template))
            while len(self._segments) > max(64, self.maxsize // 8):
                self._segments.popitem(last=False)

    def put(self, key: Hashable, result: UnitResult) -> None:
        with self._lock:
            self.inferred += 1
            if self.maxsize:  # size 0 keeps nothing (``TTLCache`` needs room for one)
                self._units[key] = result

    def resize(self, maxsize: int, ttl: float) -> None:
        """New bounds from the settings; cached results are dropped (cheap to remake)."""
        if (maxsize, ttl) == (self.maxsize, self.ttl):
            return
        with self._lock:
            self.maxsize, self.ttl = maxsize, ttl
            self._units = TTLCache(max(1, maxsize), max(ttl, 1e-3), timer=self._units.timer)
            self._nodes.clear()
            self._segments.clear()

    def reset_counters(self) -> None:
        self.inferred = 0
        self.reused = 0

    def clear(self) -> None:
        with self._lock:
            self._units.clear()
            self._nodes.clear()
            self._segments.clear()
        self.reset_counters()

    def __len__(self) -> int:
        with self._lock:
            return len(self._units)

    def stats(self) -> dict[str, Any]:
        return {"entries": len(self), "maxsize": self.maxsize, "ttl": self.ttl,
                "inferred": self.inferred, "reused": self.reused}
