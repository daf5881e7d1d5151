"""The C back end: an ``ir.Program`` as one C99 file over the runtime in ``c_runtime``.

Every expression becomes statements over temporaries, so operands are evaluated left
to right as in the interpreter (C leaves the order of a call's arguments open). Each
statement carries a ``#line`` directive and an entry in the line map; runtime errors
name source positions from a table, so they print exactly what the interpreter
prints. What the back end cannot compile is a ``BuildError`` at its place."""

from __future__ import annotations

from dataclasses import dataclass

from . import ir
from .c_library import PROGRAM_MARK, RUNTIME_SOURCE
from .emit_tables import CMP, INT64_MAX, INT64_MIN, arith, is_real
from .errors import BuildError, Problem, locator

SIMPLE_OPS = {"length", "abs", "sqr", "sqrt", "round", "trunc", "floor", "odd", "chr", "ord",
              "str", "int", "float", "append", "min", "max", "strip", "starts_with",
              "replace", "pop", "contains", "left", "right", "string_of", "random_between",
              "ordinal",
              # c_extra_ops.py
              "bit_and", "bit_or", "bit_xor", "bit_not", "shift_left", "shift_right",
              "float_power", "number_type", "floor_divide", "floor_modulo", "truthy",
              "falsy", "plain_text",
              # c_basic_ops.py
              "fixed_length", "sin", "cos",
              # c_tables.py, c_text_ops.py, c_closures.py
              "pairs", "ipairs", "setmetatable"}

# the operations whose C call is not op_NAME(pos, name, each argument): {a} is the
# arguments' array, {n} their number, {base} the language's index base
VALUE_FORMS = {
    "read_line": "op_read_line({p}, {name}, {n}, {a})",
    "pad": "op_pad({p}, {name}, {n}, {a})",
    "pi": "op_pi({p}, {name})",
    "range": "op_range({p}, {name}, {n}, {a}, {base})",
    "copy": "op_copy({p}, {name}, {a}[0], {a}[1], {a}[2], {base})",
    "mid": "op_mid({p}, {name}, {n}, {a})",
    "split": "op_split({p}, {name}, {a}[0], {a}[1], {base})",
    "sorted": "op_sorted({p}, {name}, {a}[0], {base})",
    "upper": "op_case({p}, {name}, {a}[0], 1)",
    "lower": "op_case({p}, {name}, {a}[0], 0)",
    # c_chance.py
    "randomize": "op_randomize({p}, {name}, {a}[0])",
    "random_real": "op_random_real({p}, {name})",
    "timer": "op_timer({p}, {name})",
    "print_spaced": "op_print_spaced({p}, {name}, {a}[0])",
    "join": "op_join({p}, {name}, {n}, {a})",  # c_extra_ops.py
    # c_basic_ops.py
    "print_using": "op_print_using({p}, {name}, {n}, {a})",
    "tab": "op_tab({p}, {name}, {a}[0])",
    "zone": "op_zone({a}[0])",
    # c_tables.py, c_text_ops.py
    "table_new": "op_table_new({p}, {name}, {n}, {a})",
    "select": "op_select({p}, {name}, {n}, {a})",
    "format": "op_format({p}, {name}, {n}, {a})",
    "rep": "op_rep({p}, {name}, {n}, {a})",
    "gsub": "op_gsub({p}, {name}, {n}, {a})",
    "gmatch": "op_gmatch({p}, {name}, {a}[0], {a}[1])",
    "match": "op_match({p}, {name}, {n}, {a})",
    # c_reading.py
    "read_token": "op_read_token({p}, {name})",
    "read_rest": "op_read_rest({p}, {name})",
}
STATEMENT_FORMS = {
    "halt": "op_halt({p}, {name}, {n}, {a});",
    "assert": "op_assert({p}, {name}, {n}, {a});",
    "bell": "op_bell();",  # c_chance.py
    "sort": "op_sort({p}, {name}, {n}, {a});",  # c_tables.py
    "skip_line": "op_skip_line({p}, {name});",  # c_reading.py
    "screen_only": "(void){a};",  # COLOR, CLS: the arguments evaluated, nothing written
}


@dataclass(frozen=True)
class Generated:
    text: str
    line_map: tuple[tuple[int, int], ...]  # (generated line, source line), both 1-based


def c_string(text: str) -> str:
    """A C string literal holding ``text`` as UTF-8 (octal escapes for anything else)."""
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\?' or not 32 <= byte < 127:
            out.append(f"\\{byte:03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class _Emitter:
    def __init__(self, program: ir.Program) -> None:
        self.p = program
        self.o = program.options
        self.lines: list[str] = []
        self.positions: list[tuple[int, int, int]] = []  # (line, column, file)
        self.position_index: dict[int, int] = {}
        self.names: list[str] = []
        self.name_index: dict[str, int] = {}
        self.strings: list[str] = []
        self.string_index: dict[str, int] = {}
        self.defaults: dict[ir.TypeSpec, int] = {}
        self.default_defs: list[str] = []
        self.temp = 0
        self.label = 0
        self.loops: list[str] = []  # the C code `continue` becomes in each open loop
        self.function_ids = {key: i for i, key in enumerate(program.functions)}
        self.fn_values: dict[str, int] = {}  # function key -> its index in RT_FNS
        self.current: ir.Function | None = None
        self.problems: list[Problem] = []
        self.indent = 1
        self.locate = locator(program.path, program.text, program.sources)
        self.files = [program.path] + [path for path, _, _ in program.sources]
        self.path_literals = [c_string(path) for path in self.files]

    # ----- tables -----

    def pos(self, offset: int) -> int:
        if offset not in self.position_index:
            self.position_index[offset] = len(self.positions)
            file, line, col = self.locate(offset)
            self.positions.append((line, col, file))
        return self.position_index[offset]

    def name(self, text: str) -> int:
        if text not in self.name_index:
            self.name_index[text] = len(self.names)
            self.names.append(text)
        return self.name_index[text]

    def string(self, text: str) -> str:
        if text not in self.string_index:
            self.string_index[text] = len(self.strings)
            self.strings.append(text)
        return f"str_lit(S{self.string_index[text]}, {len(text)})"

    def tmp(self) -> str:
        self.temp += 1
        return f"t{self.temp}"

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    def mark(self, offset: int) -> None:
        """A ``#line`` directive: the next generated line comes from this source line."""
        file, line, _ = self.locate(offset)
        self.lines.append(f"#line {line} {self.path_literals[file]}")

    # ----- the program -----

    def program(self) -> str:
        body: list[str] = []
        protos: list[str] = []
        for key, fn in self.p.functions.items():
            protos.append(self.signature(key, fn) + ";")
        for key, fn in self.p.functions.items():
            self.function(key, fn)
            body.extend(self.lines)
            self.lines = []
        self.current = None
        self.indent = 1
        self.emit("RT_FILE = " + c_string(self.p.path) + ";")
        self.emit("RT_TRUE = " + c_string(self.o.true_text) + "; RT_FALSE = "
                  + c_string(self.o.false_text) + "; RT_NULL = " + c_string(self.o.null_text)
                  + f"; RT_REAL_DIGITS = {self.o.real_digits};")
        self.emit("RT_POS = RT_POS_; RT_NAMES = RT_NAMES_; RT_FILES = RT_FILES_;")
        fns_at = len(self.lines)  # RT_FNS is set here once every function value is known
        self.emit(f"for (int k = 0; k < {max(1, len(self.p.globals))}; k++) g[k] = UNSET;")
        self.block(self.p.main)
        if self.fn_values:
            self.lines.insert(fns_at, "    RT_FNS = RT_FNS_; RT_FN_NAMES = RT_FN_NAMES_;")
        self.emit("fflush(stdout);")
        self.emit("return 0;")
        main = ["int main(void) {"] + self.lines + ["}"]
        if self.problems:
            raise BuildError(sorted(self.problems, key=lambda p: p.pos), self.p.sources)
        head = [RUNTIME_SOURCE, PROGRAM_MARK]
        head += [f"static const uint32_t S{i}[] = {{{', '.join(str(ord(c)) for c in s) or '0'}}};"
                 for i, s in enumerate(self.strings)]
        head.append("static const int32_t RT_POS_[][3] = {"
                    + ", ".join(f"{{{ln}, {col}, {file}}}"
                                for ln, col, file in self.positions or [(1, 1, 0)])
                    + "};")
        head.append("static const char *const RT_FILES_[] = {" + ", ".join(self.path_literals)
                    + "};")
        head.append("static const char *const RT_NAMES_[] = {"
                    + ", ".join(c_string(n) for n in self.names or [""]) + "};")
        head.append(f"static V g[{max(1, len(self.p.globals))}];")
        head += self.default_defs
        head += protos
        head += self.function_values()
        return "\n".join(head + body + main) + "\n"

    def function_values(self) -> list[str]:
        """A caller of each function used as a value (missing arguments are null, extra
        ones dropped, as Lua calls them), and the table ``mk_fn`` indexes."""
        out = []
        for key in self.fn_values:
            fn = self.p.functions[key]
            count = len(fn.params)
            args = ", ".join([f"n > {k} ? a[{k}] : NUL" for k in range(count)] + (
                [f"rt_pack(n > {count} ? n - {count} : 0, a + {count})"]
                if fn.vararg_slot is not None else []))
            out.append(f"static V w{self.function_ids[key]}(int n, V *a) {{ (void)n; (void)a; "
                       f"return f{self.function_ids[key]}({args}); }}")
        if self.fn_values:
            out.append("static const RtFn RT_FNS_[] = {" + ", ".join(
                f"w{self.function_ids[k]}" for k in self.fn_values) + "};")
            out.append("static const int RT_FN_NAMES_[] = {" + ", ".join(
                str(self.name(self.p.functions[k].name)) for k in self.fn_values) + "};")
        return out

    def signature(self, key: str, fn: ir.Function) -> str:
        params = ", ".join([("V *" if p.ref else "V ") + f"l{p.slot}" for p in fn.params] + (
            [f"V l{fn.vararg_slot}"] if fn.vararg_slot is not None else []))
        return f"static V f{self.function_ids[key]}({params or 'void'})"

    def function(self, key: str, fn: ir.Function) -> None:
        self.current = fn
        self.name(fn.name)
        self.lines = []
        self.mark(fn.pos)
        self.lines.append(self.signature(key, fn) + " {  /* " + fn.name.replace("*/", "* /")
                          + " */")
        self.indent = 1
        params = {p.slot for p in fn.params} | {fn.vararg_slot}
        for slot, _ in enumerate(fn.slots):
            if slot not in params:
                self.emit(f"V l{slot} = UNSET;")
        self.block(fn.body)
        if fn.result_slot is not None:
            r = f"l{fn.result_slot}"
            self.emit(f"return {r}.tag == T_UNSET ? NUL : {r};")
        else:
            self.emit("return NUL;")
        self.lines.append("}")

    # ----- statements -----

    def block(self, body: ir.Body) -> None:
        for s in body:
            getattr(self, "s_" + type(s).__name__)(s)

    def nested(self, body: ir.Body) -> None:
        self.emit("{")
        self.indent += 1
        self.block(body)
        self.indent -= 1
        self.emit("}")

    def s_Assign(self, s: ir.Assign) -> None:
        self.mark(s.pos)
        self.emit("{")
        self.indent += 1
        value = self.expr(s.value)
        self.store(s.target, value)
        self.indent -= 1
        self.emit("}")

    def store(self, t: ir.Target, value: str) -> None:
        if isinstance(t, (ir.Local, ir.Global)):
            conv = "rt_real_of" if is_real(t.typ) else "rt_copy"
            self.emit(f"{self.place(t)} = {conv}({value});")
            return
        if isinstance(t, ir.Index):
            base, index = self.expr(t.base), self.expr(t.index)
            self.emit(f"rt_store_elem({self.pos(t.pos)}, {base}, {index}, {value});")
        elif isinstance(t, ir.Field):
            base = self.expr(t.base)
            self.emit(f"rt_store_field({self.pos(t.pos)}, {base}, {c_string(t.name)}, "
                      f"{value});")
        else:
            self.emit(f"rt_store_into({self.ref(t)}, {value});")

    def place(self, t: ir.Local | ir.Global) -> str:
        if isinstance(t, ir.Global):
            return f"g[{t.slot}]"
        return f"(*l{t.slot})" if t.ref else f"l{t.slot}"

    def ref(self, t: ir.Expr) -> str:
        """A ``V *`` to the location (for VAR arguments and element stores)."""
        if isinstance(t, ir.Local):
            return f"l{t.slot}" if t.ref else f"&l{t.slot}"
        if isinstance(t, ir.Global):
            return f"&g[{t.slot}]"
        if isinstance(t, ir.Index):
            base = self.expr(t.base)
            index = self.expr(t.index)
            return f"rt_elem_ref({self.pos(t.pos)}, {base}, {index})"
        if isinstance(t, ir.Field):
            base = self.expr(t.base)
            return f"rt_field_ref({self.pos(t.pos)}, {base}, {c_string(t.name)})"
        self.problems.append(Problem(t.pos, "this cannot be passed by reference"))
        return "NULL"

    def s_Declare(self, s: ir.Declare) -> None:
        self.mark(s.pos)
        self.emit(f"{self.place(s.target)} = {self.default(s.typ)};")

    def default(self, typ: ir.TypeSpec) -> str:
        if isinstance(typ, ir.Scalar):
            return {"int": "mk_int(0)", "float": "mk_real(0.0)", "bool": "mk_bool(0)",
                    "str": self.string("\0" * typ.width) if typ.width else "str_lit(NULL, 0)"
                    }.get(typ.name, "UNSET")
        if typ not in self.defaults:
            index = len(self.defaults)
            self.defaults[typ] = index
            self.default_defs.append(self.default_function(index, typ))
        return f"dflt{self.defaults[typ]}()"

    def default_function(self, index: int, typ: ir.TypeSpec) -> str:
        if isinstance(typ, ir.ArraySpec):
            n = max(0, typ.high - typ.low + 1)
            elem = self.default(typ.elem)
            return (f"static V dflt{index}(void) {{ Arr *a = arr_new({typ.low}, {n}, 1); "
                    f"for (int64_t k = 0; k < {n}; k++) a->items[k] = {elem}; "
                    "return mk_arr(a); }")
        if isinstance(typ, ir.RecordSpec):
            names = ", ".join(c_string(n) for n, _ in typ.fields) or '""'
            values = " ".join(f"r->vals[{k}] = {self.default(t)};"
                              for k, (_, t) in enumerate(typ.fields))
            n = len(typ.fields)
            return (f"static const char *const RN{index}[] = {{{names}}};\n"
                    f"static V dflt{index}(void) {{ struct Rec *r = rt_alloc(sizeof(struct Rec)); "
                    f"r->n = {n}; r->names = RN{index}; r->vals = rt_alloc(sizeof(V) * {max(n, 1)}); "
                    f"{values} V v; v.tag = T_REC; v.u.r = r; return v; }}")
        return (f"static V dflt{index}(void) {{ return mk_arr(arr_new({self.o.index_base}, 0, 0)); }}")

    def s_ExprStmt(self, s: ir.ExprStmt) -> None:
        self.mark(s.pos)
        self.emit("{")
        self.indent += 1
        value = self.expr(s.expr)
        self.emit(f"(void){value};")
        self.indent -= 1
        self.emit("}")

    def s_If(self, s: ir.If) -> None:
        self.mark(s.pos)
        self.emit("{")
        self.indent += 1
        closing = 0
        for k, (cond, body) in enumerate(s.arms):
            if k:
                self.emit("else {")
                self.indent += 1
                closing += 1
            value = self.expr(cond)
            self.emit(f"if (rt_truth({self.pos(cond.pos)}, {value}))")
            self.nested(body)
        if s.orelse is not None:
            self.emit("else")
            self.nested(s.orelse)
        for _ in range(closing):
            self.indent -= 1
            self.emit("}")
        self.indent -= 1
        self.emit("}")

    def loop(self, continue_code: str) -> None:
        self.loops.append(continue_code)

    def s_While(self, s: ir.While) -> None:
        self.mark(s.pos)
        self.emit("for (;;) {")
        self.indent += 1
        value = self.expr(s.cond)
        self.emit(f"if (!rt_truth({self.pos(s.cond.pos)}, {value})) break;")
        self.loops.append("continue;")
        self.nested(s.body)
        self.loops.pop()
        self.indent -= 1
        self.emit("}")

    def s_Repeat(self, s: ir.Repeat) -> None:
        self.mark(s.pos)
        self.label += 1
        label = f"Lc{self.label}"
        self.emit("for (;;) {")
        self.indent += 1
        self.loops.append(f"goto {label};")
        self.nested(s.body)
        self.loops.pop()
        self.emit(f"{label}: ;")
        self.emit("{")
        self.indent += 1
        value = self.expr(s.until)
        self.emit(f"if (rt_truth({self.pos(s.until.pos)}, {value})) break;")
        self.indent -= 1
        self.emit("}")
        self.indent -= 1
        self.emit("}")

    def s_ForBody(self, s: ir.ForBody) -> None:
        loop = s.loop
        self.mark(loop.pos)
        self.label += 1
        label = f"Lc{self.label}"
        self.emit("{")
        self.indent += 1
        start, stop, step = self.expr(loop.start), self.expr(loop.stop), self.expr(loop.step)
        i, last, by = self.tmp(), self.tmp(), self.tmp()
        self.emit(f'int64_t {i} = rt_whole({self.pos(loop.start.pos)}, {start}, "a loop bound");')
        self.emit(f'int64_t {last} = rt_whole({self.pos(loop.stop.pos)}, {stop}, "a loop bound");')
        self.emit(f'int64_t {by} = rt_whole({self.pos(loop.step.pos)}, {step}, "a loop step");')
        self.emit(f'if ({by} == 0) rt_fail({self.pos(loop.step.pos)}, "the loop step is zero");')
        self.emit("for (;;) {")
        self.indent += 1
        self.emit(f"if (!({by} > 0 ? {i} <= {last} : {i} >= {last})) break;")
        self.store(loop.var, f"mk_int({i})")
        self.loops.append(f"goto {label};")
        self.nested(s.body)
        self.loops.pop()
        self.emit(f"{label}: if (__builtin_add_overflow({i}, {by}, &{i})) break;")
        self.indent -= 1
        self.emit("}")
        self.indent -= 1
        self.emit("}")

    def s_ForIn(self, s: ir.ForIn) -> None:
        self.mark(s.pos)
        self.emit("{")
        self.indent += 1
        items = self.expr(s.iterable)
        seq, k = self.tmp(), self.tmp()
        self.emit(f"V {seq} = rt_iter_seq({self.pos(s.iterable.pos)}, {items});")
        self.emit(f"for (int64_t {k} = 0; {k} < rt_seq_len({seq}); {k}++) {{")
        self.indent += 1
        self.store(s.var, f"rt_seq_item({seq}, {k})")
        self.loops.append("continue;")
        self.nested(s.body)
        self.loops.pop()
        self.indent -= 1
        self.emit("}")
        self.indent -= 1
        self.emit("}")

    def s_Case(self, s: ir.Case) -> None:
        self.mark(s.pos)
        self.emit("{")
        self.indent += 1
        subject = self.expr(s.subject)
        m = self.tmp()
        self.emit(f"int {m} = -1;")
        p = self.pos(s.pos)
        for k, (labels, _) in enumerate(s.arms):
            for lo, hi in labels:
                self.emit(f"if ({m} < 0) {{")
                self.indent += 1
                low = self.expr(lo)
                if hi is None:
                    self.emit(f"if (rt_equal({subject}, {low})) {m} = {k};")
                else:
                    self.emit(f"if (rt_cmp({p}, 5, {subject}, {low}).u.i) {{")
                    self.indent += 1
                    high = self.expr(hi)
                    self.emit(f"if (rt_cmp({p}, 4, {subject}, {high}).u.i) {m} = {k};")
                    self.indent -= 1
                    self.emit("}")
                self.indent -= 1
                self.emit("}")
        for k, (_, body) in enumerate(s.arms):
            self.emit(("if" if k == 0 else "else if") + f" ({m} == {k})")
            self.nested(body)
        if s.orelse is not None:
            self.emit("else" if s.arms else "")
            self.nested(s.orelse)
        self.indent -= 1
        self.emit("}")

    def s_Return(self, s: ir.Return) -> None:
        self.mark(s.pos)
        fn = self.current
        if s.value is None:
            if fn is not None and fn.result_slot is not None:
                r = f"l{fn.result_slot}"
                self.emit(f"return {r}.tag == T_UNSET ? NUL : {r};")
            else:
                self.emit("return NUL;")
            return
        self.emit("{")
        self.indent += 1
        value = self.expr(s.value)
        self.emit(f"return {value};")
        self.indent -= 1
        self.emit("}")

    def s_Jump(self, s: ir.Jump) -> None:
        self.mark(s.pos)
        if not self.loops:
            self.problems.append(Problem(s.pos, f"{s.kind} outside a loop"))
            return
        self.emit("break;" if s.kind == "break" else self.loops[-1])

    # ----- expressions: each returns a C expression naming its value -----

    def expr(self, e: ir.Expr) -> str:
        return str(getattr(self, "e_" + type(e).__name__)(e))

    def let(self, code: str) -> str:
        t = self.tmp()
        self.emit(f"V {t} = {code};")
        return t

    def e_Const(self, e: ir.Const) -> str:
        v = e.value
        if v is None:
            return "NUL"
        if v is True or v is False:
            return f"mk_bool({int(v)})"
        if isinstance(v, int):
            if not INT64_MIN <= v <= INT64_MAX:
                self.problems.append(Problem(e.pos, "this integer does not fit the C back "
                                             "end's 64 bits"))
                return "NUL"
            return f"mk_int(INT64_C({v}))" if v != INT64_MIN else "mk_int(INT64_MIN)"
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                return f"mk_real({'NAN' if v != v else ('INFINITY' if v > 0 else '-INFINITY')})"
            return f"mk_real({v.hex()})"
        return self.string(v)

    def e_Local(self, e: ir.Local) -> str:
        if self.current is not None and any(p.slot == e.slot for p in self.current.params):
            return self.let(self.place(e))
        return self.let(f"rt_get({self.pos(e.pos)}, {self.name(e.name)}, {self.place(e)})")

    def e_Global(self, e: ir.Global) -> str:
        return self.let(f"rt_get({self.pos(e.pos)}, {self.name(e.name)}, g[{e.slot}])")

    def e_Undefined(self, e: ir.Undefined) -> str:
        self.emit(f'rt_fail({self.pos(e.pos)}, "undefined name \'%s\'", {c_string(e.name)});')
        return "NUL"

    def e_Index(self, e: ir.Index) -> str:
        base, index = self.expr(e.base), self.expr(e.index)
        return self.let(f"rt_index({self.pos(e.pos)}, {base}, {index}, {self.o.index_base})")

    def e_Field(self, e: ir.Field) -> str:
        base = self.expr(e.base)
        return self.let(f"rt_field_get({self.pos(e.pos)}, {base}, {c_string(e.name)})")

    def e_Call(self, e: ir.Call) -> str:
        fn = self.p.functions[e.func]
        refs = []
        for param, arg in zip(fn.params, e.args, strict=False):  # in argument order
            t = self.tmp()
            if param.ref:
                self.emit(f"V *{t} = {self.ref(arg)};")
            else:
                value = self.expr(arg)
                conv = "rt_real_of" if is_real(param.typ) else "rt_copy"
                self.emit(f"V {t} = {conv}({value});")
            refs.append(t)
        result = self.tmp()
        self.emit(f"rt_push({self.name(fn.name)}, {self.pos(e.pos)});")
        self.emit(f"V {result} = f{self.function_ids[e.func]}({', '.join(refs)});")
        self.emit("rt_pop();")
        return result

    def e_BuiltinCall(self, e: ir.BuiltinCall) -> str:
        p, name, op = self.pos(e.pos), c_string(e.name), e.op
        if op in ("inc", "dec"):
            where = self.ref(e.args[0])
            slot = self.tmp()
            self.emit(f"V *{slot} = {where};")
            by = self.expr(e.args[1]) if len(e.args) > 1 else "mk_int(1)"
            self.emit(f"op_bump({p}, {name}, {slot}, {by}, {1 if op == 'inc' else -1});")
            return "NUL"
        array, n = self.arg_array(e.args)
        if op in ("print_line", "write", "write_line"):
            sep = '" "' if op == "print_line" else '""'
            end = '""' if op == "write" else '"\\n"'
            self.emit(f"rt_write({array}, {n}, {sep}, {end});")
            return "NUL"
        form = {"n": n, "a": array, "p": p, "name": name, "base": self.o.index_base}
        if op in STATEMENT_FORMS:
            self.emit(STATEMENT_FORMS[op].format(**form))
            return "NUL"
        if op in VALUE_FORMS:
            return self.let(VALUE_FORMS[op].format(**form))
        if op in SIMPLE_OPS and isinstance(n, int):  # never a Spread (lowering)
            args = ", ".join(f"{array}[{k}]" for k in range(n))
            return self.let(f"op_{op}({p}, {name}, {args})")
        self.problems.append(Problem(e.pos, f"the operation {op!r} is not supported by the "
                                     "C back end"))
        return "NUL"

    def e_Binary(self, e: ir.Binary) -> str:
        p = self.pos(e.pos)
        if e.op in ("and", "or"):
            left = self.expr(e.left)
            result = self.tmp()
            self.emit(f"V {result};")
            test = f"!{left}.u.i" if e.op == "and" else f"{left}.u.i"
            self.emit(f"if ({left}.tag == T_BOOL && {test}) {result} = {left};")
            self.emit("else {")
            self.indent += 1
            right = self.expr(e.right)
            self.emit(f'{result} = rt_bits({p}, "{e.op}", {left}, {right});')
            self.indent -= 1
            self.emit("}")
            return result
        if e.op in ("and_operand", "or_operand"):  # Lua: false and null are false
            return self.operand_of(e)
        left, right = self.expr(e.left), self.expr(e.right)
        op = e.op
        if op in CMP:
            return self.let(f"rt_cmp({p}, {CMP[op]}, {left}, {right})")
        if op == "concat":
            return self.let(f"rt_concat({left}, {right})")
        found = arith(op, self.o.floor_division)
        if found is None:
            self.problems.append(Problem(e.pos, f"the operator {op!r} is not supported by "
                                         "the C back end"))
            return "NUL"
        name, extra = found
        return self.let(f"rt_{name}({p}, {left}, {right}{''.join(f', {a}' for a in extra)})")

    def operand_of(self, e: ir.Binary) -> str:
        """``a and b`` / ``a or b`` giving an operand: b is evaluated only when needed."""
        left = self.expr(e.left)
        result = self.tmp()
        self.emit(f"V {result} = {left};")
        truthy = f"({left}.tag != T_NULL && !({left}.tag == T_BOOL && !{left}.u.i))"
        self.emit(f"if ({'' if e.op == 'and_operand' else '!'}{truthy}) {{")
        self.indent += 1
        self.emit(f"{result} = {self.expr(e.right)};")
        self.indent -= 1
        self.emit("}")
        return result

    def e_Unary(self, e: ir.Unary) -> str:
        value = self.expr(e.operand)
        return self.let(f"rt_{e.op}({self.pos(e.pos)}, {value})")

    def e_FuncRef(self, e: ir.FuncRef) -> str:
        return f"mk_fn({self.fn_values.setdefault(e.func, len(self.fn_values))})"

    def e_ListLit(self, e: ir.ListLit) -> str:
        array, n = self.arg_array(e.items)
        return self.let(f"rt_list({self.o.index_base}, {n}, {array})")

    def arg_array(self, args: tuple[ir.Expr, ...]) -> tuple[str, str | int]:
        """The values of an argument list in a C array, and their number (an expression
        when a last ``Spread`` gives all of a call's values, c_closures.py)."""
        spread = args[-1] if args and isinstance(args[-1], ir.Spread) else None
        values = [self.expr(a) for a in (args[:-1] if spread is not None else args)]
        array = self.tmp()
        self.emit(f"V {array}[{max(1, len(values))}] = {{{', '.join(values) or 'NUL'}}};")
        if spread is None:
            return array, len(values)
        last = self.expr(spread.value)
        sep = self.expr(spread.sep) if spread.sep is not None else "UNSET"
        whole, count = self.tmp(), self.tmp()
        self.emit(f"int {count}; V *{whole} = rt_spread({len(values)}, {array}, {last}, {sep}, "
                  f"&{count});")
        return whole, count

    def e_CallValue(self, e: ir.CallValue) -> str:
        callee = self.expr(e.callee)
        array, n = self.arg_array(e.args)
        return self.let(f"rt_call_value({self.pos(e.pos)}, {callee}, {n}, {array})")

    def e_MethodCall(self, e: ir.MethodCall) -> str:
        array, n = self.arg_array((e.receiver, *e.args))
        return self.let(f"rt_method({self.pos(e.pos)}, {c_string(e.name)}, {n}, {array})")

    def e_Closure(self, e: ir.Closure) -> str:
        env = self.expr(e.env)
        return self.let(f"mk_closure({self.fn_values.setdefault(e.func, len(self.fn_values))}, "
                        f"{env})")

    def e_Pack(self, e: ir.Pack) -> str:
        array, n = self.arg_array(e.items)
        return self.let(f"rt_pack({n}, {array})")

    def e_Nth(self, e: ir.Nth) -> str:
        return self.let(f"rt_nth({self.expr(e.value)}, {e.index})")

    def e_Spread(self, e: ir.Spread) -> str:
        self.problems.append(Problem(e.pos, "several values where one belongs"))  # never
        return "NUL"

    def e_RangeList(self, e: ir.RangeList) -> str:
        low, high = self.expr(e.low), self.expr(e.high)
        return self.let(f"rt_range_list({self.pos(e.pos)}, {low}, {high}, {self.o.index_base})")


def generate_c(program: ir.Program) -> Generated:
    """The C source of ``program`` and its line map; raises ``BuildError``."""
    text = _Emitter(program).program()
    return Generated(text, line_map(text, c_string(program.path)))


def line_map(text: str, path_literal: str | None = None) -> tuple[tuple[int, int], ...]:
    """(generated line, source line) for every line a ``#line`` directive maps (only
    those naming ``path_literal``, the program's own file, when it is given: an
    imported module's lines are not the program's)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#line ") and (path_literal is None
                                          or line.endswith(" " + path_literal)):
            found.append((number + 1, int(line.split()[1])))
    return tuple(found)
