"""The host's half of the WebAssembly tables (``wasm_tables.py``): the hash parts, by
the address of their table's array in the module's memory, holding the module's own
(tag, payload) pairs, and the operations the module calls for them. The rules and
messages are ``tables.py``'s: the same keys, the same order for ``pairs``.

Values the pure operations take and give (``table_new``, ``pairs`` ...) cross as
Python values; a table keeps its identity across (``origin``: the address a decoded
table came from, for the operation's length), so ``pairs`` of a table of tables gives
back the tables themselves, not copies."""

from __future__ import annotations

import struct
from typing import Any

from .errors import RunError
from .tables import MAX_INDEX_CHAIN, check_metamethod, hash_key, key_value
from .values import type_name

NIL = (1, 0)


class TableHost:
    """Mixed into ``wasm_host._Host``, which provides ``read``, ``memory``, ``store``,
    ``decode``, ``m`` (the module) and ``arr_push`` (the module's export)."""

    m: Any
    memory: Any
    store: Any
    arr_push: Any

    def __init__(self) -> None:
        self.hashes: dict[int, dict[Any, tuple[int, int]]] = {}
        self.memo: dict[int, Any] = {}  # address -> the table decoded from it (one op)
        self.origin: dict[int, int] = {}  # id(decoded table) -> its address (one op)
        # metatables (tables.py's rules): a table's, by address; the tables that are one
        self.metas: dict[int, int] = {}
        self.meta_tables: set[int] = set()

    def read(self, start: int, size: int) -> bytes:
        raise NotImplementedError

    def decode(self, tag: int, payload: int) -> Any:
        raise NotImplementedError

    # ----- memory -----

    def header(self, address: int) -> tuple[int, int, int, int]:
        """A table's (length, capacity, fixed word, items address)."""
        _, length, cap, fixed, items = struct.unpack("<qiiii", self.read(address, 24))
        return length, cap, fixed, items

    def cell(self, address: int) -> tuple[int, int]:
        tag, payload = struct.unpack("<i4xq", self.read(address, 16))
        return tag, payload

    def put_cell(self, address: int, raw: tuple[int, int]) -> None:
        self.memory.write(self.store, struct.pack("<i4xq", *raw), address)

    def set_word(self, address: int, offset: int, value: int) -> None:
        self.memory.write(self.store, struct.pack("<i", value), address + offset)

    def raw_args(self, args: int, n: int) -> list[tuple[int, int]]:
        return [self.cell(args + 16 * k) for k in range(n)]

    # ----- the operations of the hash part -----

    def table_op(self, op: str, pos: int, args: int, n: int) -> tuple[int, int]:
        raw = self.raw_args(args, n)
        address = raw[0][1] & 0xFFFFFFFF
        if op == "table_absorb":
            self.absorb(address)
            return NIL
        if op == "meta_len":
            meta = self.metas.get(address)
            return NIL if meta is None else self.hashes.get(meta, {}).get("__len", NIL)
        key = self.m.names[raw[1][1]] if op.startswith("field") else self.decode(*raw[1])
        if op in ("table_get", "field_get"):
            return self.get(address, key, pos)
        self.set(address, key, raw[2], pos)
        return NIL

    def get(self, address: int, key: Any, pos: int) -> tuple[int, int]:
        k = hash_key("", pos, key, False)
        found = self.raw_get(address, k)
        if found[0] == 1 and address in self.metas:
            return self.inherited(address, k, pos)
        return found

    def raw_get(self, address: int, k: Any) -> tuple[int, int]:
        length, _, _, items = self.header(address)
        if type(k) is int and 1 <= k <= length:
            return self.cell(items + 16 * (k - 1))
        return self.hashes.get(address, {}).get(k, NIL) if k is not None else NIL

    def inherited(self, address: int, k: Any, pos: int) -> tuple[int, int]:
        """tables.inherited: up the chain of the metatables' __index tables."""
        for _ in range(MAX_INDEX_CHAIN):
            meta = self.metas.get(address)
            if meta is None:
                return NIL
            handler = self.hashes.get(meta, {}).get("__index", NIL)
            if handler[0] == 1:
                return NIL
            if not self.is_table(handler):
                raise RunError(f"an __index that is a {type_name(self.decode(*handler))} is "
                               "not supported by craftls (a table is)", pos)
            address = handler[1] & 0xFFFFFFFF
            found = self.raw_get(address, k)
            if found[0] != 1:
                return found
        raise RunError("'__index' chain too long; possible loop", pos)

    def is_table(self, raw: tuple[int, int]) -> bool:
        return raw[0] == 6 and self.header(raw[1] & 0xFFFFFFFF)[2] >= 2

    def set_meta(self, name: str, pos: int, args: int, n: int) -> tuple[int, int]:
        """setmetatable(t, meta) (tables._setmetatable): kept here by address; the
        table's fixed word 3 sends its array part's nils to the host (``get``)."""
        t, meta = self.raw_args(args, n)[:2]
        if not self.is_table(t):
            raise RunError(f"{name}: the first argument must be a table, not a "
                           f"{type_name(self.decode(*t))}", pos)
        address = t[1] & 0xFFFFFFFF
        if meta[0] == 1:
            self.metas.pop(address, None)
            return t
        if not self.is_table(meta):
            raise RunError(f"{name}: the metatable must be a table or nil, not a "
                           f"{type_name(self.decode(*meta))}", pos)
        meta_address = meta[1] & 0xFFFFFFFF
        for k, v in self.hashes.get(meta_address, {}).items():
            if v[0] != 1:
                check_metamethod(key_value(k), pos)
        self.meta_tables.add(meta_address)
        self.metas[address] = meta_address
        self.set_word(address, 16, 3)
        return t

    def set(self, address: int, key: Any, value: tuple[int, int], pos: int) -> None:
        k = hash_key("", pos, key, True)
        if address in self.meta_tables:
            check_metamethod(key, pos)
        length, _, _, items = self.header(address)
        if type(k) is int and 1 <= k <= length:
            self.put_cell(items + 16 * (k - 1), value)
            if value[0] == 1 and k == length:
                while length and self.cell(items + 16 * (length - 1))[0] == 1:
                    length -= 1
                self.set_word(address, 8, length)
            return
        if type(k) is int and k == length + 1 and value[0] != 1:
            self.arr_push(self.store, address, *value)
            self.absorb(address)
            return
        part = self.hashes.setdefault(address, {})
        if k in part or value[0] != 1:
            part[k] = value
            self.set_word(address, 16, 3)  # the module asks the host after an append

    def absorb(self, address: int) -> None:
        part = self.hashes.get(address, {})
        while True:
            length = self.header(address)[0]
            value = part.get(length + 1)
            if value is None or value[0] == 1:
                return
            self.arr_push(self.store, address, *value)
            part[length + 1] = NIL

    # ----- crossing as Python values -----

    def hash_of(self, address: int) -> dict[Any, Any]:
        """The hash part of the table at ``address``, decoded."""
        return {k: (None if raw[0] == 1 else self.decode(*raw))
                for k, raw in self.hashes.get(address, {}).items()}

    def register(self, address: int, hash_part: dict[Any, Any],
                 encode: Any) -> int:
        """Keep the hash part of a table written to ``address``; its fixed word."""
        if not hash_part:
            return 2
        self.hashes[address] = {k: NIL if v is None else encode(v)
                                for k, v in hash_part.items()}
        return 3

    def forget(self) -> None:
        """The end of one operation: decoded tables are snapshots no longer."""
        self.memo.clear()
        self.origin.clear()
