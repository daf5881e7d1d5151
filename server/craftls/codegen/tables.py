"""Tables: a list (the array part, keys 1, 2, ... n) with a hash part for every other key
(Lua's tables). A table is an ``Arr`` whose ``hash`` is a dict; the C runtime
(``c_tables.py``) and the WebAssembly host keep the same two parts with the same rules:

- ``t[k]`` of an integer in 1..n reads the array part; any other key the hash part; a
  key that is not there is null. A real with an integer value is that integer (``t[2.0]``
  is ``t[2]``), a boolean a key of its own; a table or a function as a key is a runtime
  error (Lua allows them).
- storing at n + 1 appends, and then moves n + 2, n + 3 ... from the hash part while they
  are there; storing null at n drops the nulls at the end, so ``#t`` is n, Lua's border.
- storing null into the hash part keeps the key's place (a later store puts it back
  there), so ``pairs`` visits the array part in order, then the hash part in the order
  its keys were first stored, in every target.

The generic ``for`` runs over rows: ``pairs``, ``ipairs`` and ``gmatch`` give a list of
rows (each a table of the loop variables' values), taken when the loop starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ir
from .errors import RunError
from .values import Arr, FnVal, type_name


class BoolKey(tuple[str, bool]):
    """A boolean key (Python's ``True == 1`` would merge it with the integer 1)."""


def new_table(items: list[Any], hash_part: dict[Any, Any] | None = None) -> Arr:
    return Arr(items, 1, False, {} if hash_part is None else hash_part)


def hash_key(name: str, pos: int, key: Any, storing: bool) -> Any:
    """The hash part's key for ``key``; None for nil (which reading finds nothing at)."""
    t = type(key)
    if t is int or t is str:
        return key
    if t is float:
        if key != key:
            if storing:
                raise RunError("table index is NaN", pos)
            return None
        return int(key) if key.is_integer() else key
    if t is bool:
        return BoolKey(("\0bool", key))
    if key is None:
        if storing:
            raise RunError("table index is nil", pos)
        return None
    raise RunError(f"a table key must be a number, a string or a boolean, not a "
                   f"{type_name(key)} (craftls)", pos)


def key_value(key: Any) -> Any:
    """The key a hash part's key stands for (pairs gives it back)."""
    return key[1] if type(key) is BoolKey else key


def table_get(t: Arr, key: Any, name: str, pos: int) -> Any:
    k = hash_key(name, pos, key, False)
    if type(k) is int and 1 <= k <= len(t.items):
        found = t.items[k - 1]
    else:
        assert t.hash is not None
        found = t.hash.get(k) if k is not None else None
    if found is None and t.meta is not None:
        return inherited(t, key, name, pos)
    return found


# metatables: what craftls runs of them (the C runtime and the WebAssembly host alike)
METAMETHODS = ("__index", "__len")
MAX_INDEX_CHAIN = 100  # __index tables followed for one key (Lua allows 2000)


def inherited(t: Arr, key: Any, name: str, pos: int) -> Any:
    """``t[key]`` not in ``t``: looked up in its metatable's ``__index`` table, and so on
    up the chain."""
    for _ in range(MAX_INDEX_CHAIN):
        if t.meta is None:
            return None
        handler = raw_field(t.meta, "__index")
        if handler is None:
            return None
        if type(handler) is not Arr or handler.hash is None:
            raise RunError(f"an __index that is a {type_name(handler)} is not supported by "
                           "craftls (a table is)", pos)
        t = handler
        k = hash_key(name, pos, key, False)
        found = t.items[k - 1] if type(k) is int and 1 <= k <= len(t.items) else (
            t.hash.get(k) if k is not None and t.hash is not None else None)
        if found is not None:
            return found
    raise RunError("'__index' chain too long; possible loop", pos)


def raw_field(t: Arr, key: str) -> Any:
    return t.hash.get(key) if t.hash is not None else None


def check_metamethod(key: Any, pos: int) -> None:
    """A metamethod craftls does not run, stored into a metatable: refused, never left
    without effect."""
    if type(key) is str and key.startswith("__") and key not in METAMETHODS:
        raise RunError(f"the metamethod {key} is not supported by craftls (__index with a "
                       "table and __len are)", pos)


def _setmetatable(name: str, pos: int, o: ir.Options, t: Any, meta: Any) -> Any:
    if type(t) is not Arr or t.hash is None:
        raise RunError(f"{name}: the first argument must be a table, not a "
                       f"{type_name(t)}", pos)
    if meta is not None and (type(meta) is not Arr or meta.hash is None):
        raise RunError(f"{name}: the metatable must be a table or nil, not a "
                       f"{type_name(meta)}", pos)
    if meta is not None:
        assert meta.hash is not None
        for k, v in meta.hash.items():
            if v is not None:
                check_metamethod(key_value(k), pos)
        meta.is_meta = True
    t.meta = meta
    return t


def table_set(t: Arr, key: Any, value: Any, name: str, pos: int) -> None:
    k = hash_key(name, pos, key, True)
    if t.is_meta:
        check_metamethod(key, pos)
    items = t.items
    assert t.hash is not None
    if type(k) is int and 1 <= k <= len(items):
        items[k - 1] = value
        if value is None and k == len(items):
            while items and items[-1] is None:
                items.pop()
    elif type(k) is int and k == len(items) + 1 and value is not None:
        items.append(value)
        absorb(t)
    elif k in t.hash or value is not None:
        t.hash[k] = value


def absorb(t: Arr) -> None:
    """Move the keys n + 1, n + 2 ... of the hash part to the end of the array part."""
    h = t.hash
    if not h:
        return
    while True:
        k = len(t.items) + 1
        value = h.get(k)
        if value is None:
            return
        t.items.append(value)
        h[k] = None


def table_of(name: str, pos: int, t: Any) -> Arr:
    if type(t) is not Arr or t.hash is None:
        raise RunError(f"{name} needs a table, not a {type_name(t)}", pos)
    return t


def _table_new(name: str, pos: int, o: ir.Options, items: Any, *pairs: Any) -> Arr:
    """``{a, b, k = v, [e] = w}``: the positional items, then each key and value."""
    t = new_table(list(items.items))
    while t.items and t.items[-1] is None:
        t.items.pop()
    for k in range(0, len(pairs), 2):
        table_set(t, pairs[k], pairs[k + 1], name, pos)
    return t


def _pairs(name: str, pos: int, o: ir.Options, t: Any) -> Arr:
    t = table_of(name, pos, t)
    assert t.hash is not None
    rows = [new_table([k + 1, v]) for k, v in enumerate(t.items) if v is not None]
    rows += [new_table([key_value(k), v]) for k, v in t.hash.items() if v is not None]
    return new_table(rows)


def _ipairs(name: str, pos: int, o: ir.Options, t: Any) -> Arr:
    t = table_of(name, pos, t)
    rows: list[Any] = []
    while True:
        v = table_get(t, len(rows) + 1, name, pos)
        if v is None:
            return new_table(rows)
        rows.append(new_table([len(rows) + 1, v]))


def _select(name: str, pos: int, o: ir.Options, n: Any, *values: Any) -> Any:
    """``select('#', ...)``: how many values; ``select(n, ...)``: the n-th (from the end
    when negative), null past the end."""
    if n == "#":
        return len(values)
    if type(n) is float and n.is_integer():
        n = int(n)
    if type(n) is not int:
        raise RunError(f"{name}: the index must be an integer or '#', not a "
                       f"{type_name(n)}", pos)
    if n < 0:
        n += len(values) + 1
        if n < 1:
            raise RunError(f"{name}: index out of range", pos)
    elif n == 0:
        raise RunError(f"{name}: index out of range", pos)
    return values[n - 1] if n <= len(values) else None


def less_than(name: str, pos: int, a: Any, b: Any) -> bool:
    """Lua's ``<`` for sorting without a comparator: two numbers or two strings."""
    ta, tb = type(a), type(b)
    if (ta in (int, float) and tb in (int, float)) or (ta is str and tb is str):
        return bool(a < b)
    raise RunError(f"cannot compare a {type_name(a)} with a {type_name(b)}", pos)


def insertion_sort(items: list[Any], less: Any) -> None:
    """Sort in place, stable, asking ``less(x, y)`` in the same order as the C runtime
    and the WebAssembly module do, so a comparator's calls (and their effects) agree."""
    for i in range(1, len(items)):
        x = items[i]
        j = i - 1
        while j >= 0 and less(x, items[j]):
            items[j + 1] = items[j]
            j -= 1
        items[j + 1] = x


def sort_items(name: str, pos: int, t: Any, fn: Any) -> Arr:
    """The table ``sort`` sorts, its comparator checked (a function or null) and its
    array part too (no nil in it)."""
    table = table_of(name, pos, t)
    if fn is not None and type(fn) is not FnVal:
        raise RunError(f"{name}: the comparator must be a function, not a "
                       f"{type_name(fn)}", pos)
    if any(v is None for v in table.items):
        raise RunError(f"{name}: the table has a nil at "
                       f"{table.items.index(None) + 1}", pos)
    return table


TABLE_OPS: dict[str, Callable[..., Any]] = {"table_new": _table_new, "pairs": _pairs, "ipairs": _ipairs,
             "select": _select, "setmetatable": _setmetatable}
