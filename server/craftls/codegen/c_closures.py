"""The C runtime's function values, closures, packs of several results and metatables
(``interp.py``'s ``invoke``, ``values.Packed`` and ``tables.py``'s metatables, with the
same rules and messages), appended after ``c_tables``.

A function value is ``T_FN`` whose payload's low 32 bits index ``RT_FNS``; a closure's
high 32 bits are one more than the index of its table of cells in ``RT_ENVS`` (so two
closures are equal only when they are the same value, as in the interpreter). A pack
(``T_PACK``) is a list of the values; generated code only takes it apart (``rt_nth``,
``rt_spread``)."""

from __future__ import annotations

from typing import Final

CLOSURES: Final = r"""
/* ----- function values, closures, packs, metatables (codegen/c_closures.py) ----- */
static V *RT_ENVS;  /* the closures' tables of cells */
static int64_t RT_NENVS, RT_CAPENVS;
static V mk_closure(int64_t k, V env) {
    if (RT_NENVS == RT_CAPENVS) {
        RT_CAPENVS = RT_CAPENVS ? RT_CAPENVS * 2 : 16;
        V *envs = rt_alloc(sizeof(V) * (size_t)RT_CAPENVS);
        if (RT_NENVS) memcpy(envs, RT_ENVS, sizeof(V) * (size_t)RT_NENVS);
        RT_ENVS = envs;
    }
    RT_ENVS[RT_NENVS++] = env;
    V v; v.tag = T_FN; v.u.i = (RT_NENVS << 32) | k; return v;
}
static V rt_pack(int n, V *a) {
    Arr *p = arr_new(1, 0, 0);
    for (int k = 0; k < n; k++) arr_push(p, a[k]);
    V v; v.tag = T_PACK; v.u.a = p; return v;
}
static V rt_nth(V v, int64_t k) {
    if (v.tag == T_PACK) return k <= v.u.a->len ? v.u.a->items[k - 1] : NUL;
    return k == 1 ? v : NUL;
}
/* the values of an argument list whose last one gives all its values (sep before each
   but where it would come first; UNSET: none) */
static V *rt_spread(int n, V *fixed, V last, V sep, int *count) {
    int64_t more = last.tag == T_PACK ? last.u.a->len : 1;
    V *out = rt_alloc(sizeof(V) * (size_t)(n + 2 * more + 1));
    int m = 0;
    for (int k = 0; k < n; k++) out[m++] = fixed[k];
    for (int64_t j = 0; j < more; j++) {
        if (sep.tag != T_UNSET && m) out[m++] = sep;
        out[m++] = last.tag == T_PACK ? last.u.a->items[j] : last;
    }
    *count = m;
    return out;
}
/* a call of the function value f: a closure's cells first; its result as it is */
static V rt_call_value(int pos, V f, int n, V *a) {
    if (f.tag != T_FN) rt_fail(pos, "cannot call a %s", type_name(f));
    int64_t k = f.u.i & 0xffffffff, env = f.u.i >> 32;
    if (env) {
        V *with = rt_alloc(sizeof(V) * (size_t)(n + 1));
        with[0] = RT_ENVS[env - 1];
        if (n) memcpy(with + 1, a, sizeof(V) * (size_t)n);
        a = with; n++;
    }
    rt_push(RT_FN_NAMES[k], pos);
    V r = RT_FNS[k](n, a);
    rt_pop();
    return r;
}
/* receiver:name(args): a[0] is the receiver */
static V rt_method(int pos, const char *name, int n, V *a) {
    if (a[0].tag != T_ARR || !a[0].u.a->hash)
        rt_fail(pos, "cannot call the method '%s' of a %s", name, type_name(a[0]));
    V f = tbl_get(pos, a[0].u.a, rt_field_key(name));
    if (f.tag == T_NULL) rt_fail(pos, "no method '%s' in the table", name);
    return rt_call_value(pos, f, n, a);
}
static V rt_meta_field(Arr *meta, const char *name) { return tbl_raw(meta, rt_field_key(name)); }
#define RT_MAX_INDEX_CHAIN 100
static V rt_inherited(int pos, Arr *t, V k) {
    for (int step = 0; step < RT_MAX_INDEX_CHAIN; step++) {
        if (!t->meta) return NUL;
        V handler = rt_meta_field(t->meta, "__index");
        if (handler.tag == T_NULL) return NUL;
        if (handler.tag != T_ARR || !handler.u.a->hash)
            rt_fail(pos, "an __index that is a %s is not supported by craftls (a table is)", type_name(handler));
        t = handler.u.a;
        V found = tbl_raw(t, k);
        if (found.tag != T_NULL) return found;
    }
    rt_fail(pos, "'__index' chain too long; possible loop");
}
static int rt_is_metamethod(V key, const char *name) {
    size_t n = strlen(name);
    if (key.tag != T_STR || key.u.s->len != (int64_t)n) return 0;
    for (size_t i = 0; i < n; i++) if (key.u.s->cp[i] != (uint32_t)(unsigned char)name[i]) return 0;
    return 1;
}
static void rt_check_metamethod(int pos, V key) {
    if (key.tag != T_STR || key.u.s->len < 2 || key.u.s->cp[0] != '_' || key.u.s->cp[1] != '_') return;
    if (rt_is_metamethod(key, "__index") || rt_is_metamethod(key, "__len")) return;
    rt_fail(pos, "the metamethod %s is not supported by craftls (__index with a table and __len are)", text_utf8(key));
}
static V rt_meta_len(int pos, V v, int *found) {
    V handler = rt_meta_field(v.u.a->meta, "__len");
    *found = handler.tag != T_NULL;
    if (!*found) return NUL;
    V args[2] = { v, v };
    return rt_nth(rt_call_value(pos, handler, 2, args), 1);
}
static V op_setmetatable(int pos, const char *name, V t, V meta) {
    if (t.tag != T_ARR || !t.u.a->hash) rt_fail(pos, "%s: the first argument must be a table, not a %s", name, type_name(t));
    if (meta.tag != T_NULL && (meta.tag != T_ARR || !meta.u.a->hash))
        rt_fail(pos, "%s: the metatable must be a table or nil, not a %s", name, type_name(meta));
    if (meta.tag != T_NULL) {
        Hash *h = meta.u.a->hash;
        for (int64_t e = 0; e < h->n; e++) if (h->vals[e].tag != T_NULL) rt_check_metamethod(pos, h->keys[e]);
        meta.u.a->is_meta = 1;
    }
    t.u.a->meta = meta.tag == T_NULL ? NULL : meta.u.a;
    return t;
}
"""
