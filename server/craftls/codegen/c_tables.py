"""The C runtime's tables (``tables.py`` in the interpreter, with the same rules and
messages): the hash part of an ``Arr``, ``table_new``, ``pairs``, ``ipairs``,
``select`` and ``sort``. Written here, not taken from a library: the C program uses the
C library only.

The hash part keeps its entries in the order their keys were first stored (an array of
keys and one of values; a null value is a key whose place is kept), with an open
addressing index over them, so ``pairs`` visits keys in the interpreter's order.
Appended after the runtime by ``c_emit``; ``RT_FNS`` (the program's function values) is
set by the program's ``main``."""

from __future__ import annotations

from typing import Final

TABLES: Final = r"""
/* ----- tables (codegen/c_tables.py) ----- */
typedef struct Hash { int64_t n, cap, nslots; V *keys, *vals; int64_t *slots; } Hash;
typedef V (*RtFn)(int n, V *args);
static V rt_call_value(int pos, V f, int n, V *a);  /* c_closures.py */
static V rt_nth(V v, int64_t k);
static const RtFn *RT_FNS;        /* the function values' callers, by mk_fn index */
static const int *RT_FN_NAMES;    /* their names (RT_NAMES) */

static Hash *hash_new(void) {
    Hash *h = rt_alloc(sizeof(Hash));
    h->n = 0; h->cap = 4; h->nslots = 8;
    h->keys = rt_alloc(sizeof(V) * 4); h->vals = rt_alloc(sizeof(V) * 4);
    h->slots = rt_alloc(sizeof(int64_t) * 8);
    for (int k = 0; k < 8; k++) h->slots[k] = -1;
    return h;
}
static uint64_t hash_of(V k) {
    uint64_t x;
    switch (k.tag) {
    case T_STR:
        x = 1469598103934665603u;
        for (int64_t i = 0; i < k.u.s->len; i++) { x ^= k.u.s->cp[i]; x *= 1099511628211u; }
        return x;
    case T_REAL: memcpy(&x, &k.u.d, sizeof x); break;
    case T_BOOL: x = (uint64_t)k.u.i + 0x51ED; break;
    default: x = (uint64_t)k.u.i;
    }
    x ^= x >> 33; x *= 0xff51afd7ed558ccdu; x ^= x >> 33;
    return x;
}
static int same_key(V a, V b) {
    if (a.tag != b.tag) return 0;
    if (a.tag == T_STR) return cmp_str(a.u.s, b.u.s) == 0;
    if (a.tag == T_REAL) return a.u.d == b.u.d;
    return a.u.i == b.u.i;
}
/* the entry of key k, or -1 */
static int64_t hash_find(Hash *h, V k) {
    uint64_t mask = (uint64_t)h->nslots - 1;
    for (uint64_t s = hash_of(k) & mask;; s = (s + 1) & mask) {
        int64_t e = h->slots[s];
        if (e < 0) return -1;
        if (same_key(h->keys[e], k)) return e;
    }
}
static void hash_index(Hash *h, int64_t e) {
    uint64_t mask = (uint64_t)h->nslots - 1, s = hash_of(h->keys[e]) & mask;
    while (h->slots[s] >= 0) s = (s + 1) & mask;
    h->slots[s] = e;
}
static void hash_put(Hash *h, V k, V v) {
    int64_t e = hash_find(h, k);
    if (e >= 0) { h->vals[e] = v; return; }
    if (h->n == h->cap) {
        V *keys = rt_alloc(sizeof(V) * (size_t)h->cap * 2), *vals = rt_alloc(sizeof(V) * (size_t)h->cap * 2);
        memcpy(keys, h->keys, sizeof(V) * (size_t)h->n); memcpy(vals, h->vals, sizeof(V) * (size_t)h->n);
        h->keys = keys; h->vals = vals; h->cap *= 2;
    }
    h->keys[h->n] = k; h->vals[h->n] = v; h->n++;
    if (h->n * 2 > h->nslots) {
        h->nslots *= 2;
        h->slots = rt_alloc(sizeof(int64_t) * (size_t)h->nslots);
        for (int64_t s = 0; s < h->nslots; s++) h->slots[s] = -1;
        for (int64_t i = 0; i < h->n; i++) hash_index(h, i);
    } else hash_index(h, h->n - 1);
}
/* the hash part's key for key; *absent set for nil and NaN (found nowhere) */
static V tbl_key(int pos, V key, int storing, int *absent) {
    *absent = 0;
    if (key.tag == T_REAL) {
        double d = key.u.d;
        if (d != d) { if (storing) rt_fail(pos, "table index is NaN"); *absent = 1; return key; }
        if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) return mk_int((int64_t)d);
        return key;
    }
    if (key.tag == T_NULL) { if (storing) rt_fail(pos, "table index is nil"); *absent = 1; return key; }
    if (key.tag != T_INT && key.tag != T_STR && key.tag != T_BOOL)
        rt_fail(pos, "a table key must be a number, a string or a boolean, not a %s (craftls)", type_name(key));
    return key;
}
static V tbl_raw(Arr *t, V k) {
    if (k.tag == T_INT && k.u.i >= 1 && k.u.i <= t->len) return t->items[k.u.i - 1];
    int64_t e = hash_find(t->hash, k);
    return e < 0 ? NUL : t->hash->vals[e];
}
static V rt_inherited(int pos, Arr *t, V k);  /* c_closures.py */
static V tbl_get(int pos, Arr *t, V key) {
    int absent;
    V k = tbl_key(pos, key, 0, &absent);
    if (absent) return NUL;
    V found = tbl_raw(t, k);
    if (found.tag == T_NULL && t->meta) return rt_inherited(pos, t, k);
    return found;
}
/* move the keys n + 1, n + 2 ... of the hash part to the end of the array part */
static void tbl_absorb(Arr *t) {
    Hash *h = t->hash;
    if (!h->n) return;
    for (;;) {
        int64_t e = hash_find(h, mk_int(t->len + 1));
        if (e < 0 || h->vals[e].tag == T_NULL) return;
        arr_push(t, h->vals[e]);
        h->vals[e] = NUL;
    }
}
static void rt_check_metamethod(int pos, V key);  /* c_closures.py */
static void tbl_set(int pos, Arr *t, V key, V v) {
    int absent;
    V k = tbl_key(pos, key, 1, &absent);
    if (t->is_meta) rt_check_metamethod(pos, k);
    if (k.tag == T_INT && k.u.i >= 1 && k.u.i <= t->len) {
        t->items[k.u.i - 1] = v;
        if (v.tag == T_NULL && k.u.i == t->len)
            while (t->len && t->items[t->len - 1].tag == T_NULL) t->len--;
    } else if (k.tag == T_INT && k.u.i == t->len + 1 && v.tag != T_NULL) {
        arr_push(t, v);
        tbl_absorb(t);
    } else if (v.tag != T_NULL || hash_find(t->hash, k) >= 0) hash_put(t->hash, k, v);
}
static Arr *tbl_new(void) { Arr *t = arr_new(1, 0, 0); t->hash = hash_new(); return t; }
static Arr *tbl_of(int pos, const char *name, V t) {
    if (t.tag != T_ARR || !t.u.a->hash) rt_fail(pos, "%s needs a table, not a %s", name, type_name(t));
    return t.u.a;
}
static V tbl_row(V a, V b) { Arr *r = tbl_new(); arr_push(r, a); if (b.tag != T_UNSET) arr_push(r, b); return mk_arr(r); }
static V op_table_new(int pos, const char *name, int n, V *a) {
    (void)name;
    Arr *t = tbl_new(), *items = a[0].u.a;
    for (int64_t k = 0; k < items->len; k++) arr_push(t, items->items[k]);
    while (t->len && t->items[t->len - 1].tag == T_NULL) t->len--;
    for (int k = 1; k + 1 < n; k += 2) tbl_set(pos, t, a[k], a[k + 1]);
    return mk_arr(t);
}
static V op_pairs(int pos, const char *name, V v) {
    Arr *t = tbl_of(pos, name, v), *rows = tbl_new();
    for (int64_t k = 0; k < t->len; k++)
        if (t->items[k].tag != T_NULL) arr_push(rows, tbl_row(mk_int(k + 1), t->items[k]));
    for (int64_t e = 0; e < t->hash->n; e++)
        if (t->hash->vals[e].tag != T_NULL) arr_push(rows, tbl_row(t->hash->keys[e], t->hash->vals[e]));
    return mk_arr(rows);
}
static V op_ipairs(int pos, const char *name, V v) {
    Arr *t = tbl_of(pos, name, v), *rows = tbl_new();
    for (;;) {
        V item = tbl_get(pos, t, mk_int(rows->len + 1));
        if (item.tag == T_NULL) return mk_arr(rows);
        arr_push(rows, tbl_row(mk_int(rows->len + 1), item));
    }
}
static V op_select(int pos, const char *name, int n, V *a) {
    if (a[0].tag == T_STR && a[0].u.s->len == 1 && a[0].u.s->cp[0] == '#') return mk_int(n - 1);
    V i = a[0];
    if (i.tag == T_REAL && i.u.d == floor(i.u.d) && fabs(i.u.d) < 9e18) i = mk_int((int64_t)i.u.d);
    if (i.tag != T_INT) rt_fail(pos, "%s: the index must be an integer or '#', not a %s", name, type_name(a[0]));
    int64_t k = i.u.i;
    if (k < 0) { k += n; if (k < 1) rt_fail(pos, "%s: index out of range", name); }
    else if (k == 0) rt_fail(pos, "%s: index out of range", name);
    return k < n ? a[k] : NUL;
}
/* sort: an insertion sort, asking less(x, y) in the interpreter's order (tables.py) */
static int sort_lt(int pos, const char *name, V f, V x, V y) {
    if (f.tag == T_FN) {
        V args[2] = { x, y };
        V r = rt_nth(rt_call_value(pos, f, 2, args), 1);
        return r.tag != T_NULL && !(r.tag == T_BOOL && !r.u.i);
    }
    if (num(x) && num(y)) return cmp_num(x, y) < 0;
    if (x.tag == T_STR && y.tag == T_STR) return cmp_str(x.u.s, y.u.s) < 0;
    (void)name;
    rt_fail(pos, "cannot compare a %s with a %s", type_name(x), type_name(y));
}
static void op_sort(int pos, const char *name, int n, V *a) {
    Arr *t = tbl_of(pos, name, a[0]);
    V f = n > 1 ? a[1] : NUL;
    if (f.tag != T_NULL && f.tag != T_FN) rt_fail(pos, "%s: the comparator must be a function, not a %s", name, type_name(f));
    for (int64_t k = 0; k < t->len; k++)
        if (t->items[k].tag == T_NULL) rt_fail(pos, "%s: the table has a nil at %lld", name, (long long)(k + 1));
    for (int64_t i = 1; i < t->len; i++) {
        V x = t->items[i];
        int64_t j = i - 1;
        while (j >= 0 && sort_lt(pos, name, f, x, t->items[j])) { t->items[j + 1] = t->items[j]; j--; }
        t->items[j + 1] = x;
    }
}
"""
