"""The C runtime's operations added for Lua: the integer bit operations (64 bits,
wrapping, a shift of 64 places or more giving 0), ``float_power`` (``^``, always a real),
``floor_divide``, ``floor_modulo``, ``truthy``, ``falsy``, ``join`` and ``number_type``,
as ``extra_ops.py`` runs them in the interpreter, with the
same messages. Appended after the runtime by ``c_emit``."""

from __future__ import annotations

from typing import Final

EXTRA_OPS: Final = r"""
/* ----- bit_and ... shift_right, float_power, join, number_type (codegen/c_extra_ops.py) ----- */
static void need_ints(int pos, const char *name, V a, V b) {
    if (a.tag != T_INT || b.tag != T_INT)
        rt_fail(pos, "%s needs integers, not %s and %s", name, type_name(a), type_name(b));
}
static V op_bit_and(int pos, const char *name, V a, V b) {
    need_ints(pos, name, a, b); return mk_int(a.u.i & b.u.i);
}
static V op_bit_or(int pos, const char *name, V a, V b) {
    need_ints(pos, name, a, b); return mk_int(a.u.i | b.u.i);
}
static V op_bit_xor(int pos, const char *name, V a, V b) {
    need_ints(pos, name, a, b); return mk_int(a.u.i ^ b.u.i);
}
static V op_bit_not(int pos, const char *name, V a) {
    if (a.tag != T_INT) rt_fail(pos, "%s needs integers, not %s", name, type_name(a));
    return mk_int(~a.u.i);
}
static V rt_shift(int64_t x, int64_t by) {
    if (by <= -64 || by >= 64) return mk_int(0);
    uint64_t u = (uint64_t)x;
    return mk_int((int64_t)(by >= 0 ? u << by : u >> -by));
}
static V op_shift_left(int pos, const char *name, V a, V b) {
    need_ints(pos, name, a, b); return rt_shift(a.u.i, b.u.i);
}
static V op_shift_right(int pos, const char *name, V a, V b) {
    need_ints(pos, name, a, b);
    return rt_shift(a.u.i, b.u.i == INT64_MIN ? 64 : -b.u.i);
}
static V op_float_power(int pos, const char *name, V a, V b) {
    (void)name;
    return rt_pow(pos, a.tag == T_INT ? mk_real((double)a.u.i) : a,
                  b.tag == T_INT ? mk_real((double)b.u.i) : b);
}
static V rt_joinable(int pos, const char *name, V v, const char *what, int64_t at) {
    if (v.tag != T_STR && v.tag != T_INT && v.tag != T_REAL) {
        if (at == INT64_MIN) rt_fail(pos, "%s: %s is a %s, not a string or a number", name, what, type_name(v));
        rt_fail(pos, "%s: %s %lld is a %s, not a string or a number", name, what, (long long)at, type_name(v));
    }
    return rt_text(v);
}
static V op_join(int pos, const char *name, int n, V *a) {
    if (a[0].tag != T_ARR) rt_fail(pos, "%s needs a list, not a %s", name, type_name(a[0]));
    V sep = n > 1 ? rt_joinable(pos, name, a[1], "the separator", INT64_MIN) : mk_str(str_new(0));
    Arr *items = a[0].u.a;
    V out = mk_str(str_new(0));
    for (int64_t k = 0; k < items->len; k++) {
        if (k) out = rt_concat(out, sep);
        out = rt_concat(out, rt_joinable(pos, name, items->items[k], "the element at", k + items->low));
    }
    return out;
}
static void floor_args(int pos, const char *name, V a, V b) {
    if (!num(a) || !num(b)) rt_fail(pos, "%s needs numbers, not %s and %s", name, type_name(a), type_name(b));
    if (dbl(b) == 0) rt_fail(pos, "division by zero");
}
static V op_floor_divide(int pos, const char *name, V a, V b) {
    floor_args(pos, name, a, b);
    if (a.tag == T_INT && b.tag == T_INT) {
        if (a.u.i == INT64_MIN && b.u.i == -1) rt_overflow(pos);
        int64_t q = a.u.i / b.u.i;
        return mk_int(q - ((a.u.i % b.u.i != 0) && ((a.u.i < 0) != (b.u.i < 0))));
    }
    return mk_real(floor(dbl(a) / dbl(b)));
}
static V op_floor_modulo(int pos, const char *name, V a, V b) {
    floor_args(pos, name, a, b);
    if (a.tag == T_INT && b.tag == T_INT) {
        if (b.u.i == -1) return mk_int(0);
        int64_t m = a.u.i % b.u.i;
        return mk_int(m != 0 && ((m < 0) != (b.u.i < 0)) ? m + b.u.i : m);
    }
    double x = dbl(b), m = fmod(dbl(a), x);
    return mk_real((m > 0 && x < 0) || (m < 0 && x > 0) ? m + x : m);
}
static V op_truthy(int pos, const char *name, V v) {
    (void)pos; (void)name;
    return mk_bool(v.tag != T_NULL && !(v.tag == T_BOOL && !v.u.i));
}
static V op_falsy(int pos, const char *name, V v) {
    (void)pos; (void)name;
    return mk_bool(v.tag == T_NULL || (v.tag == T_BOOL && !v.u.i));
}
static V op_plain_text(int pos, const char *name, V v) {
    (void)pos; (void)name;
    V text = rt_text(v);
    Str *s = text.u.s;
    if (v.tag != T_REAL || !RT_REAL_DIGITS || s->len < 2 || s->cp[s->len - 1] != '0'
        || s->cp[s->len - 2] != '.') return text;
    for (int64_t k = 0; k < s->len; k++) if (s->cp[k] == 'e') return text;
    Str *cut = str_new(s->len - 2);
    memcpy(cut->cp, s->cp, sizeof(uint32_t) * (size_t)(s->len - 2));
    cut->len = s->len - 2;
    return mk_str(cut);
}
static V op_number_type(int pos, const char *name, V v) {
    (void)pos; (void)name;
    if (v.tag == T_INT) return mk_str(str_from_utf8("integer", 7));
    if (v.tag == T_REAL) return mk_str(str_from_utf8("float", 5));
    return NUL;
}
"""
