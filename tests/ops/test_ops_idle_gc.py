from __future__ import annotations

import gc
import weakref

from craftls.ops.idle_gc import IdleCollector


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_collects_and_freezes_only_after_an_idle_period() -> None:
    clock = FakeClock()
    collector = IdleCollector(idle_seconds=1.0, clock=clock)
    try:
        assert not collector.maybe_collect()  # nothing happened yet
        collector.touch()
        clock.now += 0.5
        assert not collector.maybe_collect()  # still typing
        clock.now += 0.6
        assert collector.maybe_collect()
        assert gc.get_freeze_count() > 0
        assert collector.stats()["idleCollections"] == 1
        clock.now += 5
        assert not collector.maybe_collect()  # nothing new since the last collection
    finally:
        gc.unfreeze()


def test_never_collects_while_work_is_in_flight() -> None:
    """An analysis running on a worker thread for longer than the idle period is not
    idleness: a full collection then would stop the loop right before its diagnostics."""
    clock = FakeClock()
    pending = {"file:///big.pas": object()}
    collector = IdleCollector(idle_seconds=1.0, clock=clock, busy=lambda: bool(pending))
    try:
        collector.touch()
        clock.now += 5
        assert not collector.maybe_collect()
        pending.clear()
        assert collector.maybe_collect()
    finally:
        gc.unfreeze()


def test_garbage_frozen_by_one_collection_is_reclaimed_by_the_next() -> None:
    clock = FakeClock()
    collector = IdleCollector(idle_seconds=1.0, clock=clock)

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector can free it

    try:
        node = Node()
        alive = weakref.ref(node)
        collector.touch()
        clock.now += 2
        collector.maybe_collect()  # `node` survives and is frozen
        del node
        gc.collect()
        assert alive() is not None  # frozen: ordinary collections leave it
        collector.touch()
        clock.now += 2
        collector.maybe_collect()
        assert alive() is None
    finally:
        gc.unfreeze()
