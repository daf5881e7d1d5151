"""What the C and WebAssembly back ends say alike: the runtime function each operator
becomes and its extra arguments, the comparison codes, the range of a machine integer.
Both runtimes (``c_runtime``, ``wasm_runtime``) name these functions ``rt_<name>``."""

from __future__ import annotations

from . import ir

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1

# ir.Binary comparisons: the code ``rt_cmp`` takes
CMP = {"eq": 0, "ne": 1, "lt": 2, "gt": 3, "le": 4, "ge": 5}

FLOOR = -1  # stands for the language's floor_division flag (0 or 1)

# ir.Binary arithmetic: ``rt_<name>(position, left, right, *extra)``. ``concat`` (no
# position: it cannot fail) and ``and``/``or`` (short-circuit) are emitted apart.
ARITH: dict[str, tuple[str, tuple[int, ...]]] = {
    "add": ("add", ()), "sub": ("sub", ()), "mul": ("mul", ()), "pow": ("pow", ()),
    "in": ("in", ()),
    "fdiv": ("div", (0,)), "cdiv": ("div", (1,)),  # cdiv: whole numbers divide as in C
    "idiv": ("idivmod", (0, FLOOR)), "mod": ("idivmod", (1, FLOOR)),
}


def arith(op: str, floor_division: bool) -> tuple[str, tuple[int, ...]] | None:
    """The runtime function of ``op`` and its extra integer arguments, or None."""
    found = ARITH.get(op)
    if found is None:
        return None
    name, extra = found
    return name, tuple(int(floor_division) if a == FLOOR else a for a in extra)


def is_real(typ: ir.TypeSpec) -> bool:
    """A variable declared real: a whole number stored into it becomes a real."""
    return isinstance(typ, ir.Scalar) and typ.name == "float"
