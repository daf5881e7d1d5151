"""The C runtime's Lua operators: the integer bit operations (64 bits, wrapping, a shift
of 64 places or more giving 0) and ``float_power`` (``^``, always a real), as
``bits.py`` runs them in the interpreter, with the same messages. Appended after the
runtime by ``c_emit``."""

from __future__ import annotations

from typing import Final

BITS: Final = r"""
/* ----- bit_and ... shift_right, float_power (codegen/c_bits.py) ----- */
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
"""
