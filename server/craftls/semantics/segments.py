"""Segments: runs of consecutive file items replayed as one (issue 19, item 4).

A keystroke in a 10,000-line script or main block would replay every unchanged item
one by one (``item_walks``); here the items form segments whose boundaries depend only
on their own nodes (content-defined, like rsync's chunks: a node whose identity hashes
to 0 mod 2**bits ends one, at most ``MAX_SEGMENT`` items), so an edit that replaces,
adds or drops an item changes only the segments around it. A segment seen before is
replayed from one merged template (``merge``: the items' templates shifted and
renumbered, references the file scope answers alike sharing a slot), and the type check
reuses its units' results as one (``types.check``). The edited segment is walked or
replayed item by item and remembered for the next keystroke. The result equals a walk
from scratch (hypothesis tests in ``tests/core/test_segments.py``)."""

from __future__ import annotations

import bisect
import operator
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from itertools import compress, count, repeat
from typing import TYPE_CHECKING, Any, Final

from ..language.model import LanguageDefinition
from ..syntax.tree import GreenNode, SyntaxNode
from . import item_walks as walks
from .item_walks import (
    DECLARE,
    ITEM_WALKS,
    NONE,
    ROOT,
    MemberCall,
    ReplayedItem,
    Splits,
    Template,
    TemplateCache,
    template_of,
)
from .model import Symbol

if TYPE_CHECKING:
    from .resolve import Resolver

SEGMENT_BITS: Final = 5  # about one boundary in 32 items
MAX_SEGMENT: Final = 128  # and at most this many items in one

_NODE: Final = operator.itemgetter(2)
_OFFSET: Final = operator.itemgetter(1)
_KIND: Final = operator.attrgetter("kind")
_ANCHOR: Final = operator.attrgetter("anchor")

# ------------------------------------------------------------------ the file's items


def item_nodes(root: GreenNode, splits: Splits = walks.KEYWORD_SPLITS
               ) -> tuple[list[GreenNode], list[int]]:
    """The analysis items of a file node, in order, as two lists: the nodes and their
    offsets from the file start. Its child nodes, with the child nodes of a split node
    in their place (``splits``: the definition's, ``item_walks.splits_of``), down to
    nodes that do not split. Made with C-level loops (``map``, ``list.index``) and
    without a tuple per item: every keystroke lists them."""
    return _items_in(root, 0, splits)


def _items_in(node: GreenNode, base: int, splits: Splits) -> tuple[list[GreenNode], list[int]]:
    """``item_nodes`` of ``node``, whose offset from the file start is ``base``."""
    nodes = node.node_children()
    greens: list[GreenNode] = list(map(_NODE, nodes))
    offsets: list[int] = list(map(_OFFSET, nodes))
    if base:
        offsets = list(map(operator.add, offsets, repeat(base)))
    kinds = list(map(_KIND, greens))
    split: list[int] = []
    for kind in splits.kinds.intersection(kinds):
        at = _index(kinds, kind, 0)
        while at >= 0:
            if splits.splits(greens[at]):
                split.append(at)
            at = _index(kinds, kind, at + 1)
    for k in sorted(split, reverse=True):  # from the end: earlier indexes stay valid
        greens[k:k + 1], offsets[k:k + 1] = _items_in(greens[k], offsets[k], splits)
    return greens, offsets


def _index(values: list[Any], value: object, start: int) -> int:
    try:
        return values.index(value, start)
    except ValueError:
        return -1


def item_node(root: SyntaxNode, start: int, green: GreenNode,
              splits: Splits = walks.KEYWORD_SPLITS) -> SyntaxNode:
    """The syntax node of item ``green`` at ``start`` (from ``item_nodes`` with the
    same ``splits``), found by bisection through the split nodes above it, for the few
    items a keystroke walks."""
    found = _node_in(root, start, green, splits)
    if found is None:
        raise LookupError(f"no item at {start}")
    return found


def _node_in(parent: SyntaxNode, start: int, green: GreenNode, splits: Splits
             ) -> SyntaxNode | None:
    """``green`` at ``start`` among the children of ``parent`` or inside its split
    children (items of no width share their offset with a neighbour: the ones there are
    all looked at)."""
    nodes = parent.green.node_children()
    offset = start - parent.start
    k = max(0, bisect.bisect_left(nodes, offset, key=_OFFSET) - 1)
    while k < len(nodes) and nodes[k][1] <= offset:
        index, at, child = nodes[k]
        if child is green:
            return SyntaxNode(green, start, parent, index)
        if at <= offset <= at + child.width and splits.splits(child):
            found = _node_in(SyntaxNode(child, parent.start + at, parent, index), start,
                             green, splits)
            if found is not None:
                return found
        k += 1
    return None


def segment_bounds(greens: list[GreenNode], bits: int = SEGMENT_BITS
                   ) -> list[tuple[int, int]]:
    """(first, past the last) indexes of the segments of a file's items (``bits``: about
    one boundary in 2**bits items)."""
    return _bounds(_ends(list(map(id, greens)), bits, 0, len(greens)), len(greens))


def _ends(ids: list[int], bits: int, first: int, end: int) -> list[int]:
    """The indexes just past the nodes (given by identity) of ``ids[first:end]`` that end
    a segment."""
    # A node ends a segment when the low bits of a hash of its identity are 0 (unchanged
    # nodes are shared between snapshots, so the boundaries around them stay where they
    # were). The tuple hash mixes the bits: identities of nodes made one after another
    # are an arithmetic progression, whose low bits alone would cluster the boundaries.
    # C-level maps and scans, not a Python step per item.
    hashes = map(hash, zip(ids[first:end]))
    ends_here = list(map(operator.not_, map(operator.and_, hashes, repeat((1 << bits) - 1))))
    ends: list[int] = []
    at = _index(ends_here, True, 0)
    while at >= 0:
        ends.append(first + at + 1)
        at = _index(ends_here, True, at + 1)
    return ends


def _ends_after_change(old: list[int], old_ends: list[int], ids: list[int], bits: int
                       ) -> tuple[list[int], tuple[int, int]]:
    """``_ends`` of the nodes ``ids``, given those of ``old`` (the same ``bits``): only the
    nodes between the common first and last ones are hashed (a keystroke: a few), the
    ends in the common parts are taken over (those after the change shifted). Also the
    indexes (first, past the last) of the nodes between: those the change made."""
    shortest = min(len(old), len(ids))
    # the first index where the lists differ, and the first from the end (C-level scans
    # that stop there)
    head = next(compress(count(), map(operator.ne, old, ids)), shortest)
    tail = next(compress(count(), map(operator.ne, reversed(old), reversed(ids))), shortest)
    tail = min(tail, shortest - head)
    kept_head = old_ends[:bisect.bisect_right(old_ends, head)]
    shift = len(ids) - len(old)
    kept_tail = list(map(operator.add, old_ends[bisect.bisect_right(old_ends, len(old) - tail):],
                         repeat(shift)))
    return kept_head + _ends(ids, bits, head, len(ids) - tail) + kept_tail, \
        (head, len(ids) - tail)


def _bounds(ends: list[int], count_: int) -> list[tuple[int, int]]:
    """The segments ending at ``ends`` (and at the last item), split where longer than
    ``MAX_SEGMENT``."""
    if not ends or ends[-1] != count_:
        ends = [*ends, count_]
    bounds: list[tuple[int, int]] = []
    first = 0
    for end in ends:
        while end - first > MAX_SEGMENT:
            bounds.append((first, first + MAX_SEGMENT))
            first += MAX_SEGMENT
        if end > first:
            bounds.append((first, end))
        first = end
    return bounds


# ------------------------------------------------------------------ merging templates


def merge(parts: list[tuple[int, int, Template]]) -> Template:
    """One template for consecutive items: each item's template, given as (offset from
    the segment start, width, template), shifted and renumbered. Replaying it is
    replaying the items one after another: the file scope's answers are checked in walk
    order, declarations adopted in order, each reference bound as its item's would be."""
    merged = _Merged()
    for off, width, template in parts:
        merged.add(off, width, template)
    out = template_of(merged.scopes, merged.scope_owners, merged.scope_symbols,
                      merged.symbols, merged.symbol_params, merged.references,
                      merged.root_keys, merged.calls, merged.duplicates, merged.events,
                      merged.spans, any(t.self_positional for _, _, t in parts))
    out.headless = frozenset().union(*(t.headless for _, _, t in parts))
    out.member_calls = tuple(merged.member_calls)
    # each item's slots, in first-use order, once ``template_of`` has numbered them
    references = out.references
    for (_, _, slots), (first, end) in zip(merged.spans, merged.ref_bounds, strict=True):
        used = [references[i][7] for i in range(first, end)]
        slots.extend(dict.fromkeys(slot for slot in used if slot != NONE))
    return out


class _Merged:
    """The tables of a segment's template as its items' templates are added."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, int, int, int, frozenset[str] | None]] = []
        self.scope_owners: list[int] = []
        self.scope_symbols: list[list[tuple[str, int]]] = []
        self.symbols: list[tuple[Any, ...]] = []
        self.symbol_params: list[list[int]] = []
        self.references: list[tuple[str, int, int, bool, bool, int, int, int]] = []
        self.root_keys: list[tuple[int, str]] = []
        self.calls: list[tuple[int, int, int, int, int, int, list[tuple[int, int]]]] = []
        self.duplicates: list[tuple[int, int]] = []
        self.events: list[tuple[str, str, Any]] = []
        self.spans: list[tuple[int, int, list[int]]] = []  # ``Template.parts``
        self.ref_bounds: list[tuple[int, int]] = []  # per item, its references
        self.member_calls: list[MemberCall] = []

    def add(self, off: int, width: int, t: Template) -> None:
        sb, yb = len(self.scopes), len(self.symbols)

        def sc(i: int) -> int:
            return ROOT if i == ROOT else i + sb

        self.scopes.extend((k, a + off, b + off, sc(parent), isolated)
                           for k, a, b, parent, isolated in t.scopes)
        self.scope_owners.extend(ROOT if o == ROOT else o + yb for o in t.scope_owners)
        self.scope_symbols.extend([(k, i + yb) for k, i in entries]
                                  for entries in t.scope_symbols)
        self.symbols.extend(
            (name, kind, a + off, b + off, ds + off, de + off, sc(si), type_text, result_text,
             doc, reads, writes, visible + off if visible else 0, shared)
            for (name, kind, a, b, ds, de, si, type_text, result_text, doc, reads, writes,
                 visible, shared) in t.symbols)
        self.symbol_params.extend([p + yb for p in params] for params in t.symbol_params)
        rb = len(self.references)
        self.member_calls.extend(
            (ri + rb, word, ws + off, we + off, a + off, b + off, x + off, y + off,
             tuple((c + off, d + off) for c, d in ranges), via)
            for ri, word, ws, we, a, b, x, y, ranges, via in t.member_calls)
        self.add_references(off, t, sc)
        self.duplicates.extend((a + yb, b + yb) for a, b in t.duplicates)
        self.events.extend((kind, key, v + yb if kind == DECLARE else v)
                           for kind, key, v in t.root_events)
        self.spans.append((off, off + width, []))
        self.ref_bounds.append((len(self.references) - len(t.references),
                                len(self.references)))

    def add_references(self, off: int, t: Template, sc: Any) -> None:
        rb, yb = len(self.references), len(self.symbols) - len(t.symbols)
        keys = t.root_refs
        for i, (name, a, b, w, ty, si, target, slot) in enumerate(t.references):
            if slot != NONE:  # numbered again over the segment (``template_of``)
                self.root_keys.append((i + rb, keys[slot][1]))
            self.references.append((name, a + off, b + off, w, ty, sc(si),
                                    NONE if target == NONE else target + yb, slot))
        self.calls.extend((ri + rb, args, a + off, b + off, x + off, y + off,
                           [(c + off, d + off) for c, d in ranges])
                          for ri, args, a, b, x, y, ranges in t.calls)


# ------------------------------------------------------------------ the cache


class SegmentCache:
    """Merged templates of segments, keyed by the anchor (``item_walks.TemplateCache``)
    of the segment's first node and checked against the anchors of all its nodes and
    their offsets. Like the item templates, an entry leaves when one of its nodes dies
    (the anchors are held weakly; while all are alive, equal identities are the same
    nodes). Bounded: least recently used segments leave first; thread-safe."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self.bits = SEGMENT_BITS  # the segments' size (``segment_bounds``); tests vary it
        # first anchor -> (the nodes' ids, definition, merged template, weak references
        # to their anchors, offsets relative to the first node)
        self._entries: OrderedDict[int, tuple[tuple[int, ...], LanguageDefinition, Template,
                                              tuple[weakref.ref[Any], ...], tuple[int, ...]]] = \
            OrderedDict()
        self._lock = threading.RLock()  # a node can die while an entry is being added
        self.hits = 0
        # the identities of the item nodes last cut into segments, the ``bits`` and where
        # their segments ended (``bounds``): a keystroke hashes only the nodes it changed.
        # Identities, not the nodes: holding nodes would keep them (and the templates that
        # leave with them) alive. A dead node's identity reused by a new node at the same
        # place gives the new one the old one's mark: the items are then cut differently,
        # never wrongly (any cut replays to the same answers; the cache checks each node).
        self._last: tuple[list[int], int, list[int]] | None = None

    def bounds(self, greens: list[GreenNode]) -> list[tuple[int, int]]:
        """``segment_bounds(greens, self.bits)``, from the last call's where the nodes are
        the same (a keystroke: all but a few, at the same place or after it)."""
        return self.bounds_and_change(greens)[0]

    def bounds_and_change(self, greens: list[GreenNode]
                          ) -> tuple[list[tuple[int, int]], tuple[int, int]]:
        """``bounds``, and the indexes (first, past the last) of the nodes that differ
        from the last call's list there when they are a few (at most ``MAX_SEGMENT``: a
        keystroke's); else (0, 0): no last list, other bits, another file's list (the
        cache serves every document), a change too large to be typing."""
        bits, last = self.bits, self._last
        ids = list(map(id, greens))
        changed = (0, 0)
        if last is None or last[1] != bits:
            ends = _ends(ids, bits, 0, len(ids))
        else:
            ends, changed = _ends_after_change(last[0], last[2], ids, bits)
            if changed[1] - changed[0] > MAX_SEGMENT:
                changed = (0, 0)
        self._last = (ids, bits, ends)  # one assignment: another thread may read it
        return _bounds(ends, len(greens)), changed

    def get(self, greens: list[GreenNode], offsets: list[int],
            definition: LanguageDefinition) -> Template | None:
        first = greens[0].anchor
        if first is None:
            return None
        with self._lock:
            entry = self._entries.get(id(first))
            if entry is None:
                return None
            self._entries.move_to_end(id(first))
        # while every anchor is alive its node is, so the nodes' identities stand for them
        if entry[1] is not definition or entry[0] != tuple(map(id, greens)):
            return None
        if entry[4] != tuple(map(operator.sub, offsets, repeat(offsets[0]))):
            return None  # the same nodes, but something between them changed width
        return entry[2]

    def put(self, greens: list[GreenNode], offsets: list[int],
            definition: LanguageDefinition, template: Template) -> None:
        anchors = [a for a in map(_ANCHOR, greens) if a is not None]
        if len(anchors) != len(greens) or not self.maxsize:
            return  # a node without a template (the template cache is smaller)
        key, ids = id(anchors[0]), tuple(map(id, greens))

        def forget(dead: weakref.ref[Any]) -> None:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] is ids:
                    del self._entries[key]

        refs = tuple([weakref.ref(a, forget) for a in anchors])
        with self._lock:
            self._entries[key] = (ids, definition, template, refs,
                                  tuple(map(operator.sub, offsets, repeat(offsets[0]))))
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._last = None

    def resize_for(self, templates: int) -> None:
        """An eighth of the templates' bound (a segment stands for many items); none when
        templates are not kept."""
        with self._lock:
            self.maxsize = max(64, templates // 8) if templates else 0
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


SEGMENTS = SegmentCache()
ITEM_WALKS.link(SEGMENTS)


def segments_for(templates: TemplateCache) -> SegmentCache:
    """The segment cache linked to ``templates`` (each session's templates have their
    own: cleared and resized with them); made on first use."""
    for cache in templates.linked:
        if isinstance(cache, SegmentCache):
            return cache
    cache = SegmentCache()
    templates.link(cache)
    return cache

# ------------------------------------------------------------------ resolving by segment


def resolve_items(resolver: Resolver, greens: list[GreenNode], offsets: list[int]
                  ) -> list[tuple[int, int, Template]]:
    """Walk or replay every item of the file, a known segment at once; returns the
    segments done item by item this time, (first item, how many, merged template), for
    the type check to keep their results as one."""
    base = resolver.parsed.root.start
    # a one-shot check, or a file declaring dotted names or passing a routine by
    # reference: nothing is replayed or kept
    if not resolver.templates.recording or resolver.dotted or resolver.passed:
        for green, offset in zip(greens, offsets, strict=True):
            resolver.visit_item(green, base + offset)
        return []
    remembered: list[tuple[int, int, Template]] = []
    bounds, (made, made_end) = segments_for(resolver.templates).bounds_and_change(greens)
    for first, end in bounds:
        if end - first > 1 and _replay(resolver, greens, offsets, first, end):
            continue
        for i in range(first, end):
            resolver.visit_item(greens[i], base + offsets[i])
        # A segment holding a node the edit made is not merged: the next keystroke
        # (typing goes on in the same statement) makes that node again, and the merge
        # (a tenth of a keystroke's analysis in a 10,000-item script) would be thrown
        # away. Once the typing moves elsewhere, its nodes are old and it is merged.
        if end - first > 1 and not (first < made_end and made < end):
            template = _remember(resolver, greens, offsets, first, end)
            if template is not None:
                remembered.append((first, end - first, template))
    return remembered


def _replay(resolver: Resolver, greens: list[GreenNode], offsets: list[int], first: int,
            end: int) -> bool:
    """Replay items ``first``..``end`` at once from their merged template, if the same
    nodes were a segment before and the file scope still answers the same."""
    segments = segments_for(resolver.templates)
    template = segments.get(greens[first:end], offsets[first:end], resolver.definition)
    if template is None or not resolver.replays(template):
        return False
    resolver.templates.hits += end - first
    segments.hits += 1
    base = resolver.parsed.root.start
    resolver.adopt(template.instantiate(base + offsets[first],
                                        base + offsets[end - 1] + greens[end - 1].width,
                                        resolver.root_scope))
    return True


def _remember(resolver: Resolver, greens: list[GreenNode], offsets: list[int], first: int,
              end: int) -> Template | None:
    """Merge the items' templates (all just walked or replayed) for the next time; not
    when one has none (it opens scopes, or the cache is smaller than the segment) or
    is never replayed (``Template.self_positional``)."""
    parts = []
    for i in range(first, end):
        template = resolver.templates.get(greens[i], resolver.definition)
        if template is None or template.self_positional:
            return None
        parts.append((offsets[i] - offsets[first], greens[i].width, template))
    merged = merge(parts)
    segments_for(resolver.templates).put(greens[first:end], offsets[first:end],
                                         resolver.definition, merged)
    return merged


# ------------------------------------------------------------------ for the type check


def part_count(item: object) -> int:
    """How many file items a name-resolution item stands for (a segment: several)."""
    if isinstance(item, ReplayedItem) and item.template.parts is not None:
        return len(item.template.parts)
    return 1


def used_outside_part(item: ReplayedItem, start: int, end: int) -> Iterator[Symbol]:
    """``used_outside`` of the file item at ``start``-``end`` (a type check unit) that
    is part of the segment ``item``, in first-use order."""
    parts = item.template.parts
    if parts is None:
        yield from item.used_outside()
        return
    rel, rel_end = start - item.base, end - item.base
    i = bisect.bisect_left(parts, rel, key=_part_start)
    # parts may start together: a zero-width one (an error where a statement was
    # expected) comes before the unit that starts where it is; the unit is the part
    # with its extent (else the first that is not empty)
    found = None
    while i < len(parts) and parts[i][0] == rel:
        if parts[i][1] == rel_end:
            found = parts[i]
            break
        if found is None and parts[i][1] > rel:
            found = parts[i]
        i += 1
    if found is not None:
        yield from item.targets_outside(found[2], start, end)


def _part_start(part: tuple[int, int, list[int]]) -> int:
    return part[0]
