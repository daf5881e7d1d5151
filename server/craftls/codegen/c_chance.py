"""The C runtime's BASIC operations: ``randomize``, ``random_real`` and ``timer`` (RANDOMIZE,
RND and TIMER): the interpreter's ``builtins.Random.seed``/``real`` and ``random_op`` in C,
over the generator state of ``random_between`` (``c_runtime.BUILTINS``), so a seed draws
the same numbers in every back end; ``bell`` (BEEP) and ``print_spaced`` (PRINT's
numbers). Appended
after the runtime by ``c_emit``."""

from __future__ import annotations

from typing import Final

CHANCE: Final = r"""
/* ----- randomize, random_real, timer (codegen/c_chance.py) ----- */
#include <time.h>
static V op_randomize(int pos, const char *name, V seed) {
    double d = rt_num(pos, name, seed);
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    rt_random_state = bits ^ 88172645463325252u;
    if (!rt_random_state) rt_random_state = 88172645463325252u;
    return NUL;
}
static V op_random_real(int pos, const char *name) {
    (void)pos; (void)name;
    uint64_t x = rt_random_state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    rt_random_state = x;
    return mk_real((double)((x * 2685821657736338717u) >> 11) * 0x1p-53);
}
static V op_timer(int pos, const char *name) {
    const char *fixed = getenv("CRAFTLS_CLOCK");
    if (fixed) return op_float(pos, name, mk_str(str_from_utf8(fixed, strlen(fixed))));
    time_t now = time(NULL);
    struct tm *t = localtime(&now);
    return mk_real((double)(t->tm_hour * 3600 + t->tm_min * 60 + t->tm_sec));
}
/* bell: the character 7, through the runtime's output as every write */
static void op_bell(void) {
    V bel = str_char(7);
    rt_write(&bel, 1, "", "");
}
/* print_spaced: a number as BASIC's PRINT writes it (builtins._print_spaced) */
static V op_print_spaced(int pos, const char *name, V v) {
    (void)pos; (void)name;
    if (v.tag != T_INT && v.tag != T_REAL) return rt_text(v);
    V t = rt_text(v), space = str_char(' ');
    if (!(t.u.s->len && t.u.s->cp[0] == '-')) t = str_cat(space.u.s, t.u.s);
    return str_cat(t.u.s, space.u.s);
}
"""
