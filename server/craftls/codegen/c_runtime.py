"""The C runtime that every generated C program starts with (C99, the C library only).

Values are tagged (``V``): integers are 64-bit with overflow checks (an overflow is a
runtime error, never a wrong number), reals are doubles written in their shortest
round-trip form (as the interpreter writes them), strings are arrays of code points
written out as UTF-8. Memory is allocated and never freed: programs are short-lived.
Every operation checks its operands and fails with the interpreter's message; the
traceback is kept in a call stack of (function, call position)."""

from __future__ import annotations

from typing import Final

RUNTIME: Final = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdarg.h>
#include <math.h>
#include <errno.h>

enum { T_UNSET, T_NULL, T_BOOL, T_INT, T_REAL, T_STR, T_ARR, T_REC, T_FN, T_PACK };
/* A string's code points may sit in a growable buffer: appending to the string that
   ends the buffer's used part extends it in place (strings are immutable, so the
   older, shorter strings sharing the buffer never see the new tail), which makes a
   loop of s := s + t linear instead of quadratic. */
typedef struct SBuf { uint32_t *base; int64_t used, cap; } SBuf;
typedef struct Str { int64_t len; uint32_t *cp; SBuf *buf; } Str;
struct Arr; struct Rec;
typedef struct V { int tag; union { int64_t i; double d; Str *s; struct Arr *a; struct Rec *r; } u; } V;
/* hash: a table's other keys (codegen/c_tables.py); NULL for an array or a list */
/* meta: a table's metatable; is_meta: the table is one (its metamethods are checked) */
typedef struct Arr { int64_t low, len, cap; int fixed, is_meta; V *items; struct Hash *hash; struct Arr *meta; } Arr;
typedef struct Rec { int n; const char *const *names; V *vals; } Rec;

static const char *RT_FILE;
static const char *RT_TRUE, *RT_FALSE, *RT_NULL;
static int RT_REAL_DIGITS;  /* ir.Options.real_digits: 0, the shortest text */
static const int32_t (*RT_POS)[3];  /* line, column, file (RT_FILES) */
static const char *const *RT_FILES;
static const char *const *RT_NAMES;
#define RT_MAX_DEPTH 10000
static int32_t rt_stack_fn[RT_MAX_DEPTH + 1], rt_stack_pos[RT_MAX_DEPTH + 1];
static int rt_depth = 0;

static void *rt_malloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fflush(stdout); fprintf(stderr, "%s: out of memory\n", RT_FILE); exit(1); }
    return p;
}
/* Nothing is freed, so small blocks are carved from 1 MB chunks: a string-building
   loop allocates a few small blocks per turn, and malloc was most of its time. */
#define RT_CHUNK ((size_t)1 << 20)
static char *rt_arena;
static size_t rt_arena_left;
static void *rt_alloc(size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if (n > RT_CHUNK / 16) return rt_malloc(n);
    if (n > rt_arena_left) { rt_arena = rt_malloc(RT_CHUNK); rt_arena_left = RT_CHUNK; }
    void *p = rt_arena;
    rt_arena += n; rt_arena_left -= n;
    return p;
}

__attribute__((noreturn, format(printf, 2, 3))) static void rt_fail(int pos, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "%s:%d:%d: runtime error: %s\n", RT_FILES[RT_POS[pos][2]], RT_POS[pos][0], RT_POS[pos][1], msg);
    fprintf(stderr, "traceback (most recent call last):\n");
    for (int k = 0; k <= rt_depth; k++) {
        int at = k < rt_depth ? rt_stack_pos[k] : pos;
        const char *name = k == 0 ? "the main program" : RT_NAMES[rt_stack_fn[k - 1]];
        fprintf(stderr, "  %s:%d:%d: in %s\n", RT_FILES[RT_POS[at][2]], RT_POS[at][0], RT_POS[at][1], name);
    }
    exit(1);
}

static void rt_push(int fn, int pos) {
    if (rt_depth >= RT_MAX_DEPTH) rt_fail(pos, "stack overflow: more than %d nested calls", RT_MAX_DEPTH);
    rt_stack_fn[rt_depth] = fn; rt_stack_pos[rt_depth] = pos; rt_depth++;
}
static void rt_pop(void) { rt_depth--; }

static const V UNSET = { T_UNSET, { 0 } };
static const V NUL = { T_NULL, { 0 } };
static V mk_int(int64_t i) { V v; v.tag = T_INT; v.u.i = i; return v; }
static V mk_real(double d) { V v; v.tag = T_REAL; v.u.d = d; return v; }
static V mk_bool(int b) { V v; v.tag = T_BOOL; v.u.i = b != 0; return v; }
static V mk_str(Str *s) { V v; v.tag = T_STR; v.u.s = s; return v; }
static V mk_arr(Arr *a) { V v; v.tag = T_ARR; v.u.a = a; return v; }
static V mk_fn(int64_t k) { V v; v.tag = T_FN; v.u.i = k; return v; }  /* RT_FNS[k] */
static V tbl_get(int pos, Arr *t, V key);  /* c_tables.py */
static void tbl_set(int pos, Arr *t, V key, V v);

static Str *str_new(int64_t len) {
    Str *s = rt_alloc(sizeof(Str) + sizeof(uint32_t) * (size_t)(len ? len : 1));  /* one block */
    s->len = len; s->cp = (uint32_t *)(s + 1); s->buf = NULL;
    return s;
}
/* The one-character string of code point c (shared below 256: strings are immutable;
   a loop over a string's characters makes one per turn). */
static V str_char(uint32_t c) {
    static Str *made[256];
    if (c < 256 && made[c]) return mk_str(made[c]);
    Str *s = str_new(1); s->cp[0] = c;
    if (c < 256) made[c] = s;
    return mk_str(s);
}
static V str_lit(const uint32_t *cp, int64_t len) {
    Str *s = rt_alloc(sizeof(Str)); s->len = len; s->cp = (uint32_t *)cp; s->buf = NULL; return mk_str(s);
}
static Arr *arr_new(int64_t low, int64_t len, int fixed) {
    Arr *a = rt_alloc(sizeof(Arr));
    a->low = low; a->len = len; a->cap = len ? len : 4; a->fixed = fixed; a->hash = NULL;
    a->meta = NULL; a->is_meta = 0;
    a->items = rt_alloc(sizeof(V) * (size_t)a->cap);
    for (int64_t k = 0; k < len; k++) a->items[k] = UNSET;
    return a;
}
static void arr_push(Arr *a, V v) {
    if (a->len == a->cap) {
        a->cap *= 2;
        V *items = rt_alloc(sizeof(V) * (size_t)a->cap);
        memcpy(items, a->items, sizeof(V) * (size_t)a->len);
        a->items = items;
    }
    a->items[a->len++] = v;
}

static const char *type_name(V v) {
    switch (v.tag) {
    case T_BOOL: return "boolean"; case T_INT: return "integer"; case T_REAL: return "real";
    case T_STR: return "string"; case T_NULL: return "null";
    case T_ARR: return v.u.a->fixed ? "array" : v.u.a->hash ? "table" : "list";
    case T_REC: return "record"; case T_FN: return "function";
    default: return "no value";
    }
}

static V rt_copy(V v) {
    if (v.tag == T_ARR && v.u.a->fixed) {
        Arr *a = arr_new(v.u.a->low, v.u.a->len, 1);
        for (int64_t k = 0; k < a->len; k++) a->items[k] = rt_copy(v.u.a->items[k]);
        return mk_arr(a);
    }
    if (v.tag == T_REC) {
        struct Rec *r = rt_alloc(sizeof(struct Rec));
        r->n = v.u.r->n; r->names = v.u.r->names; r->vals = rt_alloc(sizeof(V) * (size_t)(r->n ? r->n : 1));
        for (int k = 0; k < r->n; k++) r->vals[k] = rt_copy(v.u.r->vals[k]);
        V out; out.tag = T_REC; out.u.r = r; return out;
    }
    return v;
}
static V rt_real_of(V v) { return v.tag == T_INT ? mk_real((double)v.u.i) : v; }

/* ----- text ----- */
typedef struct Buf { char *p; size_t len, cap; } Buf;
static void buf_put(Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 64);
        while (cap < b->len + n + 1) cap *= 2;
        char *p = rt_alloc(cap);
        if (b->len) memcpy(p, b->p, b->len);
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->len, s, n); b->len += n; b->p[b->len] = 0;
}
static void buf_cstr(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }
static void buf_utf8(Buf *b, uint32_t c) {
    char t[4]; size_t n;
    if (c < 0x80) { t[0] = (char)c; n = 1; }
    else if (c < 0x800) { t[0] = (char)(0xC0 | (c >> 6)); t[1] = (char)(0x80 | (c & 63)); n = 2; }
    else if (c < 0x10000) { t[0] = (char)(0xE0 | (c >> 12)); t[1] = (char)(0x80 | ((c >> 6) & 63)); t[2] = (char)(0x80 | (c & 63)); n = 3; }
    else { t[0] = (char)(0xF0 | (c >> 18)); t[1] = (char)(0x80 | ((c >> 12) & 63)); t[2] = (char)(0x80 | ((c >> 6) & 63)); t[3] = (char)(0x80 | (c & 63)); n = 4; }
    buf_put(b, t, n);
}

/* The shortest decimal that reads back as d, laid out as Python's repr. */
static void buf_real(Buf *b, double d) {
    char tmp[64], digits[32];
    if (isnan(d)) { buf_cstr(b, "nan"); return; }
    if (isinf(d)) { buf_cstr(b, d > 0 ? "inf" : "-inf"); return; }
    if (RT_REAL_DIGITS) {  /* %.Ng, then ".0" after a whole number (Lua) */
        snprintf(tmp, sizeof tmp, "%.*g", RT_REAL_DIGITS, d);
        buf_cstr(b, tmp);
        if (!strpbrk(tmp, ".en")) buf_cstr(b, ".0");
        return;
    }
    if (d == 0) { buf_cstr(b, signbit(d) ? "-0.0" : "0.0"); return; }
    int p;
    for (p = 1; p <= 17; p++) { snprintf(tmp, sizeof tmp, "%.*e", p - 1, d); if (strtod(tmp, NULL) == d) break; }
    int nd = 0, neg = 0; char *s = tmp;
    if (*s == '-') { neg = 1; s++; }
    for (; *s && *s != 'e'; s++) if (*s != '.') digits[nd++] = *s;
    int exp10 = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    if (neg) buf_cstr(b, "-");
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            buf_cstr(b, "0.");
            for (int k = 0; k < -exp10 - 1; k++) buf_cstr(b, "0");
            buf_cstr(b, digits);
        } else {
            for (int k = 0; k <= exp10; k++) buf_put(b, k < nd ? &digits[k] : "0", 1);
            buf_cstr(b, ".");
            if (nd > exp10 + 1) buf_cstr(b, digits + exp10 + 1); else buf_cstr(b, "0");
        }
    } else {
        buf_put(b, digits, 1);
        if (nd > 1) { buf_cstr(b, "."); buf_cstr(b, digits + 1); }
        snprintf(tmp, sizeof tmp, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
        buf_cstr(b, tmp);
    }
}

static void buf_value(Buf *b, V v, int nested) {
    char tmp[32];
    switch (v.tag) {
    case T_BOOL: buf_cstr(b, v.u.i ? RT_TRUE : RT_FALSE); break;
    case T_NULL: buf_cstr(b, RT_NULL); break;
    case T_INT: snprintf(tmp, sizeof tmp, "%lld", (long long)v.u.i); buf_cstr(b, tmp); break;
    case T_REAL: buf_real(b, v.u.d); break;
    case T_STR:
        if (nested) buf_cstr(b, "\"");
        for (int64_t k = 0; k < v.u.s->len; k++) buf_utf8(b, v.u.s->cp[k]);
        if (nested) buf_cstr(b, "\"");
        break;
    case T_ARR:
        buf_cstr(b, "[");
        for (int64_t k = 0; k < v.u.a->len; k++) { if (k) buf_cstr(b, ", "); buf_value(b, v.u.a->items[k], 1); }
        buf_cstr(b, "]");
        break;
    case T_REC:
        buf_cstr(b, "(");
        for (int k = 0; k < v.u.r->n; k++) { if (k) buf_cstr(b, ", "); buf_value(b, v.u.r->vals[k], 1); }
        buf_cstr(b, ")");
        break;
    case T_FN: buf_cstr(b, "function"); break;
    default: buf_cstr(b, "?");
    }
}

static Str *str_from_utf8(const char *s, size_t n) {
    Str *out = str_new((int64_t)n);
    int64_t len = 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    while (k < n) {
        uint32_t c = u[k]; int extra = 0;
        if (c >= 0xF0) { c &= 7; extra = 3; } else if (c >= 0xE0) { c &= 15; extra = 2; }
        else if (c >= 0xC0) { c &= 31; extra = 1; }
        k++;
        for (int e = 0; e < extra && k < n; e++, k++) c = (c << 6) | (u[k] & 63);
        out->cp[len++] = c;
    }
    out->len = len;
    return out;
}

static V rt_text(V v) {
    if (v.tag == T_STR) return v;
    if (v.tag == T_INT) {  /* the common case, without printf, a buffer or UTF-8 decoding */
        uint32_t tmp[24];
        int n = 0;
        uint64_t u = v.u.i < 0 ? (uint64_t)0 - (uint64_t)v.u.i : (uint64_t)v.u.i;
        do { tmp[23 - n++] = (uint32_t)('0' + u % 10); u /= 10; } while (u);
        if (v.u.i < 0) tmp[23 - n++] = '-';
        if (n == 1) return str_char(tmp[23]);
        Str *s = str_new(n);
        memcpy(s->cp, tmp + 24 - n, sizeof(uint32_t) * (size_t)n);
        return mk_str(s);
    }
    Buf b = { 0, 0, 0 };
    buf_value(&b, v, 0);
    return mk_str(str_from_utf8(b.p ? b.p : "", b.len));
}

/* the characters written since the last line break (what BASIC's TAB counts from) */
static int64_t rt_column = 0;
static void rt_write(V *vals, int n, const char *sep, const char *end) {
    Buf b = { 0, 0, 0 };
    for (int k = 0; k < n; k++) { if (k) buf_cstr(&b, sep); buf_value(&b, vals[k], 0); }
    buf_cstr(&b, end);
    fwrite(b.p, 1, b.len, stdout);
    for (size_t k = 0; k < b.len; k++)
        if (b.p[k] == '\n') rt_column = 0;
        else if (((unsigned char)b.p[k] & 0xC0) != 0x80) rt_column++;
}

/* ----- checks ----- */
static V rt_get(int pos, int name, V v) {
    if (v.tag == T_UNSET) rt_fail(pos, "the variable '%s' has no value yet", RT_NAMES[name]);
    return v;
}
static int rt_truth(int pos, V v) {
    if (v.tag != T_BOOL) rt_fail(pos, "a condition must be a boolean, not a %s", type_name(v));
    return (int)v.u.i;
}
static int64_t rt_whole(int pos, V v, const char *what) {
    if (v.tag != T_INT) rt_fail(pos, "%s must be an integer, not a %s", what, type_name(v));
    return v.u.i;
}
__attribute__((noreturn)) static void rt_overflow(int pos) { rt_fail(pos, "integer overflow (the C back end has 64-bit integers)"); }

/* ----- comparison ----- */
static int num(V v) { return v.tag == T_INT || v.tag == T_REAL; }
/* -1, 0, 1 comparing an integer with a real exactly (as Python does); 2 if unordered */
static int cmp_int_real(int64_t i, double d) {
    if (isnan(d)) return 2;
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    double t = trunc(d);
    int64_t ti = (int64_t)t;
    if (i != ti) return i < ti ? -1 : 1;
    double frac = d - t;
    return frac > 0 ? -1 : (frac < 0 ? 1 : 0);
}
static int cmp_num(V a, V b) {
    if (a.tag == T_INT && b.tag == T_INT) return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    if (a.tag == T_INT) return cmp_int_real(a.u.i, b.u.d);
    if (b.tag == T_INT) { int c = cmp_int_real(b.u.i, a.u.d); return c == 2 ? 2 : -c; }
    if (isnan(a.u.d) || isnan(b.u.d)) return 2;
    return a.u.d < b.u.d ? -1 : a.u.d > b.u.d;
}
static int cmp_str(Str *a, Str *b) {
    int64_t n = a->len < b->len ? a->len : b->len;
    for (int64_t k = 0; k < n; k++) if (a->cp[k] != b->cp[k]) return a->cp[k] < b->cp[k] ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}
static int rt_equal(V a, V b) {
    if (num(a) && num(b)) return cmp_num(a, b) == 0;
    if (a.tag != b.tag) return 0;
    switch (a.tag) {
    case T_BOOL: return a.u.i == b.u.i;
    case T_NULL: return 1;
    case T_FN: return a.u.i == b.u.i;
    case T_STR: return cmp_str(a.u.s, b.u.s) == 0;
    case T_ARR:
        if (a.u.a->hash || b.u.a->hash) return a.u.a == b.u.a;  /* tables: identity */
        if (a.u.a->len != b.u.a->len) return 0;
        for (int64_t k = 0; k < a.u.a->len; k++) if (!rt_equal(a.u.a->items[k], b.u.a->items[k])) return 0;
        return 1;
    case T_REC:
        if (a.u.r->n != b.u.r->n) return 0;
        for (int k = 0; k < a.u.r->n; k++) if (!rt_equal(a.u.r->vals[k], b.u.r->vals[k])) return 0;
        return 1;
    default: return 0;
    }
}
static V rt_cmp(int pos, int op, V a, V b) { /* op: 0 eq 1 ne 2 lt 3 gt 4 le 5 ge */
    if (op == 0) return mk_bool(rt_equal(a, b));
    if (op == 1) return mk_bool(!rt_equal(a, b));
    int c;
    if (num(a) && num(b)) c = cmp_num(a, b);
    else if (a.tag == T_STR && b.tag == T_STR) c = cmp_str(a.u.s, b.u.s);
    else { rt_fail(pos, "cannot compare a %s with a %s", type_name(a), type_name(b)); return NUL; }
    if (c == 2) return mk_bool(0);
    switch (op) { case 2: return mk_bool(c < 0); case 3: return mk_bool(c > 0); case 4: return mk_bool(c <= 0); default: return mk_bool(c >= 0); }
}

/* ----- arithmetic ----- */
static void need_nums(int pos, const char *op, V a, V b) {
    if (!num(a) || !num(b)) rt_fail(pos, "%s needs numbers, not %s and %s", op, type_name(a), type_name(b));
}
static double dbl(V v) { return v.tag == T_INT ? (double)v.u.i : v.u.d; }
static V str_cat(Str *a, Str *b) {
    Str *s = rt_alloc(sizeof(Str));
    SBuf *buf = a->buf;
    if (buf && a->cp + a->len == buf->base + buf->used && buf->used + b->len <= buf->cap) {
        memcpy(buf->base + buf->used, b->cp, sizeof(uint32_t) * (size_t)b->len);
        buf->used += b->len;
        s->cp = a->cp; s->len = a->len + b->len; s->buf = buf;
        return mk_str(s);
    }
    buf = rt_alloc(sizeof(SBuf));
    buf->cap = 2 * (a->len + b->len) + 16;
    buf->base = rt_alloc(sizeof(uint32_t) * (size_t)buf->cap);
    memcpy(buf->base, a->cp, sizeof(uint32_t) * (size_t)a->len);
    memcpy(buf->base + a->len, b->cp, sizeof(uint32_t) * (size_t)b->len);
    buf->used = a->len + b->len;
    s->cp = buf->base; s->len = buf->used; s->buf = buf;
    return mk_str(s);
}
static V rt_add(int pos, V a, V b) {
    if (a.tag == T_STR && b.tag == T_STR) return str_cat(a.u.s, b.u.s);
    if (a.tag == T_ARR && b.tag == T_ARR && !a.u.a->fixed && !b.u.a->fixed) {
        Arr *r = arr_new(a.u.a->low, 0, 0);
        for (int64_t k = 0; k < a.u.a->len; k++) arr_push(r, rt_copy(a.u.a->items[k]));
        for (int64_t k = 0; k < b.u.a->len; k++) arr_push(r, rt_copy(b.u.a->items[k]));
        return mk_arr(r);
    }
    need_nums(pos, "+", a, b);
    if (a.tag == T_INT && b.tag == T_INT) { int64_t r; if (__builtin_add_overflow(a.u.i, b.u.i, &r)) rt_overflow(pos); return mk_int(r); }
    return mk_real(dbl(a) + dbl(b));
}
static V rt_sub(int pos, V a, V b) {
    need_nums(pos, "-", a, b);
    if (a.tag == T_INT && b.tag == T_INT) { int64_t r; if (__builtin_sub_overflow(a.u.i, b.u.i, &r)) rt_overflow(pos); return mk_int(r); }
    return mk_real(dbl(a) - dbl(b));
}
static V rt_mul(int pos, V a, V b) {
    need_nums(pos, "*", a, b);
    if (a.tag == T_INT && b.tag == T_INT) { int64_t r; if (__builtin_mul_overflow(a.u.i, b.u.i, &r)) rt_overflow(pos); return mk_int(r); }
    return mk_real(dbl(a) * dbl(b));
}
static int64_t trunc_div(int pos, int64_t a, int64_t b) {
    if (a == INT64_MIN && b == -1) rt_overflow(pos);
    return a / b;
}
static V rt_div(int pos, V a, V b, int c_style) {
    need_nums(pos, "/", a, b);
    if (dbl(b) == 0) rt_fail(pos, "division by zero");
    if (c_style && a.tag == T_INT && b.tag == T_INT) return mk_int(trunc_div(pos, a.u.i, b.u.i));
    return mk_real(dbl(a) / dbl(b));
}
static V rt_idivmod(int pos, V a, V b, int want_mod, int floor_div) {
    const char *what = want_mod ? "the remainder" : "integer division";
    if (!num(a) || !num(b)) rt_fail(pos, "%s needs numbers, not %s and %s", want_mod ? "the remainder" : "integer division", type_name(a), type_name(b));
    if (a.tag != T_INT || b.tag != T_INT) rt_fail(pos, "%s needs integers, not %s and %s", what, type_name(a), type_name(b));
    if (b.u.i == 0) rt_fail(pos, "division by zero");
    int64_t q = trunc_div(pos, a.u.i, b.u.i);
    if (floor_div && (a.u.i % b.u.i != 0) && ((a.u.i < 0) != (b.u.i < 0))) q -= 1;
    return want_mod ? mk_int(a.u.i - q * b.u.i) : mk_int(q);
}
static V rt_pow(int pos, V a, V b) {
    need_nums(pos, "the power", a, b);
    if (a.tag == T_INT && b.tag == T_INT && b.u.i >= 0) {
        int64_t r = 1, base = a.u.i, e = b.u.i;
        if (base == 0 || base == 1) return mk_int(e == 0 ? 1 : base);
        if (base == -1) return mk_int(e % 2 ? -1 : 1);
        while (e > 0) {
            if (e & 1) { if (__builtin_mul_overflow(r, base, &r)) rt_overflow(pos); }
            e >>= 1;
            if (e > 0 && __builtin_mul_overflow(base, base, &base)) rt_overflow(pos);
        }
        return mk_int(r);
    }
    double x = dbl(a), y = dbl(b);
    if (x == 0 && y < 0) rt_fail(pos, "division by zero");
    double r = pow(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) rt_fail(pos, "a negative number to a fractional power");
    if (isinf(r) && !isinf(x) && !isinf(y)) rt_fail(pos, "the power is too large");
    return mk_real(r);
}
static V rt_neg(int pos, V a) {
    if (a.tag == T_INT) { if (a.u.i == INT64_MIN) rt_overflow(pos); return mk_int(-a.u.i); }
    if (a.tag == T_REAL) return mk_real(-a.u.d);
    rt_fail(pos, "cannot negate a %s", type_name(a)); return NUL;
}
static V rt_pos(int pos, V a) {
    if (!num(a)) rt_fail(pos, "cannot negate a %s", type_name(a));
    return a;
}
static V rt_not(int pos, V a) {
    if (a.tag == T_BOOL) return mk_bool(!a.u.i);
    if (a.tag == T_INT) return mk_int(~a.u.i);
    rt_fail(pos, "not needs a boolean, not a %s", type_name(a)); return NUL;
}
static V rt_bits(int pos, const char *op, V a, V b) {
    if (a.tag == T_BOOL) {
        if (b.tag != T_BOOL) rt_fail(pos, "%s needs two booleans, not boolean and %s", op, type_name(b));
        return b;
    }
    if (a.tag == T_INT && b.tag == T_INT) return mk_int(op[0] == 'a' ? (a.u.i & b.u.i) : (a.u.i | b.u.i));
    rt_fail(pos, "%s needs two booleans or two integers, not %s and %s", op, type_name(a), type_name(b));
    return NUL;
}
static V rt_concat(V a, V b) { return str_cat(rt_text(a).u.s, rt_text(b).u.s); }
static V rt_in(int pos, V a, V b) {
    if (b.tag == T_STR && a.tag == T_STR) {
        Str *n = a.u.s, *h = b.u.s;
        for (int64_t k = 0; k + n->len <= h->len; k++)
            if (memcmp(h->cp + k, n->cp, sizeof(uint32_t) * (size_t)n->len) == 0) return mk_bool(1);
        return mk_bool(0);
    }
    if (b.tag == T_ARR) {
        for (int64_t k = 0; k < b.u.a->len; k++) if (rt_equal(a, b.u.a->items[k])) return mk_bool(1);
        return mk_bool(0);
    }
    rt_fail(pos, "cannot look for a value in a %s", type_name(b)); return NUL;
}

/* ----- containers ----- */
static int64_t rt_slot(int pos, Arr *a, V index) {
    int64_t i = rt_whole(pos, index, "an index");
    int64_t k = i - a->low;
    if (k < 0 || k >= a->len) {
        if (!a->len) rt_fail(pos, "index %lld out of range (the list is empty)", (long long)i);
        rt_fail(pos, "index %lld out of range %lld..%lld", (long long)i, (long long)a->low, (long long)(a->low + a->len - 1));
    }
    return k;
}
static V rt_index(int pos, V base, V index, int64_t str_base) {
    if (base.tag == T_ARR && base.u.a->hash) return tbl_get(pos, base.u.a, index);
    if (base.tag == T_ARR) return base.u.a->items[rt_slot(pos, base.u.a, index)];
    if (base.tag == T_STR) {
        int64_t i = rt_whole(pos, index, "an index");
        if (i - str_base < 0 || i - str_base >= base.u.s->len)
            rt_fail(pos, "index %lld out of range %lld..%lld of a string", (long long)i, (long long)str_base, (long long)(str_base + base.u.s->len - 1));
        return str_char(base.u.s->cp[i - str_base]);
    }
    rt_fail(pos, "cannot index a %s", type_name(base)); return NUL;
}
static V *rt_elem_ref(int pos, V base, V index) {
    if (base.tag != T_ARR) rt_fail(pos, "cannot assign to an element of a %s", type_name(base));
    return &base.u.a->items[rt_slot(pos, base.u.a, index)];
}
static V *rt_field_ref(int pos, V base, const char *name) {
    if (base.tag == T_REC)
        for (int k = 0; k < base.u.r->n; k++) if (strcmp(base.u.r->names[k], name) == 0) return &base.u.r->vals[k];
    rt_fail(pos, "no field '%s' in a %s", name, type_name(base)); return NULL;
}
static void rt_store_into(V *slot, V v) {
    if (slot->tag == T_REAL && v.tag == T_INT) v = mk_real((double)v.u.i);
    *slot = rt_copy(v);
}
/* base[index] := v and base.name := v: a table's through tbl_set (its rules) */
static void rt_store_elem(int pos, V base, V index, V v) {
    if (base.tag == T_ARR && base.u.a->hash) tbl_set(pos, base.u.a, index, v);
    else rt_store_into(rt_elem_ref(pos, base, index), v);
}
static V rt_field_key(const char *name) { return mk_str(str_from_utf8(name, strlen(name))); }
static void rt_store_field(int pos, V base, const char *name, V v) {
    if (base.tag == T_ARR && base.u.a->hash) tbl_set(pos, base.u.a, rt_field_key(name), v);
    else rt_store_into(rt_field_ref(pos, base, name), v);
}
static V rt_field_get(int pos, V base, const char *name) {
    if (base.tag == T_ARR && base.u.a->hash) return tbl_get(pos, base.u.a, rt_field_key(name));
    return *rt_field_ref(pos, base, name);
}
static V rt_list(int64_t low, int n, V *items) {
    Arr *a = arr_new(low, 0, 0);
    for (int k = 0; k < n; k++) arr_push(a, rt_copy(items[k]));
    return mk_arr(a);
}
static V rt_range_list(int pos, V lo, V hi, int64_t low) {
    int64_t a = rt_whole(pos, lo, "a range bound"), b = rt_whole(pos, hi, "a range bound");
    Arr *r = arr_new(low, 0, 0);
    for (int64_t k = a; k <= b; k++) arr_push(r, mk_int(k));
    return mk_arr(r);
}
static V rt_iter_seq(int pos, V v) {
    if (v.tag != T_ARR && v.tag != T_STR) rt_fail(pos, "cannot loop over a %s", type_name(v));
    return v;
}
static int64_t rt_seq_len(V v) { return v.tag == T_ARR ? v.u.a->len : v.u.s->len; }
static V rt_seq_item(V v, int64_t k) {
    if (v.tag == T_ARR) return rt_copy(v.u.a->items[k]);
    return str_char(v.u.s->cp[k]);
}
"""

BUILTINS: Final = r"""
/* ----- runtime library operations (language/operations.py) ----- */
static double rt_num(int pos, const char *name, V v) {
    if (!num(v)) rt_fail(pos, "%s needs a number, not a %s", name, type_name(v));
    return dbl(v);
}
static Str *rt_str_arg(int pos, const char *name, V v) {
    if (v.tag != T_STR) rt_fail(pos, "%s needs a string, not a %s", name, type_name(v));
    return v.u.s;
}
static int64_t rt_int_arg(int pos, const char *name, V v) {
    if (v.tag != T_INT) rt_fail(pos, "%s needs an integer, not a %s", name, type_name(v));
    return v.u.i;
}
static int64_t rt_to_int(int pos, const char *name, double x) {
    if (isinf(x) || isnan(x)) {
        Buf b = { 0, 0, 0 }; buf_real(&b, x);
        rt_fail(pos, "%s of %s has no integer value", name, b.p);
    }
    if (x >= 9223372036854775808.0 || x < -9223372036854775808.0) rt_overflow(pos);
    return (int64_t)x;
}
static V rt_meta_len(int pos, V v, int *found);  /* c_closures.py */
static V op_length(int pos, const char *name, V v) {
    if (v.tag == T_STR) return mk_int(v.u.s->len);
    if (v.tag == T_ARR && v.u.a->meta) { int found; V r = rt_meta_len(pos, v, &found); if (found) return r; }
    if (v.tag == T_ARR) return mk_int(v.u.a->len);
    rt_fail(pos, "%s needs a string or a list, not a %s", name, type_name(v)); return NUL;
}
static V op_abs(int pos, const char *name, V v) {
    rt_num(pos, name, v);
    if (v.tag == T_INT) { if (v.u.i == INT64_MIN) rt_overflow(pos); return mk_int(v.u.i < 0 ? -v.u.i : v.u.i); }
    return mk_real(fabs(v.u.d));
}
static V op_sqr(int pos, const char *name, V v) { rt_num(pos, name, v); return rt_mul(pos, v, v); }
static V op_sqrt(int pos, const char *name, V v) {
    double x = rt_num(pos, name, v);
    if (x < 0) rt_fail(pos, "%s of a negative number", name);
    return mk_real(sqrt(x));
}
static V op_round(int pos, const char *name, V v) {
    if (v.tag == T_INT) return v;
    double x = rt_num(pos, name, v);
    rt_to_int(pos, name, x);
    return mk_int(rt_to_int(pos, name, round(x)));
}
static V op_trunc(int pos, const char *name, V v) {
    if (v.tag == T_INT) return v;
    return mk_int(rt_to_int(pos, name, trunc(rt_num(pos, name, v))));
}
static V op_floor(int pos, const char *name, V v) {
    if (v.tag == T_INT) return v;
    return mk_int(rt_to_int(pos, name, floor(rt_num(pos, name, v))));
}
static V op_odd(int pos, const char *name, V v) {
    int64_t n = rt_int_arg(pos, name, v);
    return mk_bool(n % 2 != 0);
}
static V op_chr(int pos, const char *name, V v) {
    int64_t n = rt_int_arg(pos, name, v);
    if (n < 0 || n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) rt_fail(pos, "%s: %lld is not a character code", name, (long long)n);
    return str_char((uint32_t)n);
}
static V op_ord(int pos, const char *name, V v) {
    Str *s = rt_str_arg(pos, name, v);
    if (s->len != 1) rt_fail(pos, "%s needs one character, not %lld", name, (long long)s->len);
    return mk_int(s->cp[0]);
}
/* ----- Pascal's ordinals and field widths (Ord, Write(x:W:D)) ----- */
static V op_ordinal(int pos, const char *name, V v) {
    if (v.tag == T_BOOL) return mk_int(v.u.i);
    if (v.tag == T_INT) return v;
    if (v.tag != T_STR) rt_fail(pos, "%s needs an integer, a boolean or one character, not a %s", name, type_name(v));
    return op_ord(pos, name, v);
}
/* significant digits of x >= 0 (as %e rounds them) into d, its decimal exponent into *exp */
static void rt_significant(double x, int count, char *d, int *exp) {
    char buf[520];
    snprintf(buf, sizeof buf, "%.*e", count - 1, x);
    int n = 0;
    char *c = buf;
    for (; *c && *c != 'e'; c++) if (*c != '.') d[n++] = *c;
    d[n] = 0;
    *exp = atoi(c + 1);
}
/* x with `places` decimals as Pascal writes it: builtins.fixed_text, the same steps */
static V rt_fixed(double x, int places) {
    char d[520], body[1100];
    int exp, kept[520];
    rt_significant(fabs(x), 15, d, &exp);
    int needed = exp + 1 + places;
    if (needed > 15) {
        rt_significant(fabs(x), needed, d, &exp);
        needed = exp + 1 + places;
    }
    int len = (int)strlen(d), nk = needed > 0 ? (needed < len ? needed : len) : 0;
    for (int k = 0; k < nk; k++) kept[k] = d[k] - '0';
    if (needed >= 0 && needed < len && d[needed] >= '5') {
        int k = nk - 1;
        while (k >= 0 && kept[k] == 9) kept[k--] = 0;
        if (k >= 0) kept[k]++;
        else {
            memmove(kept + 1, kept, sizeof(int) * (size_t)nk);
            kept[0] = 1;
            nk++;
            exp++;
        }
    }
    int units = exp + 1, n = 0, b = 0;
    char out[1200];
    if (units <= 0) for (int k = 0; k < 1 - units; k++) body[b++] = '0';
    for (int k = 0; k < nk; k++) body[b++] = (char)('0' + kept[k]);
    int want = (units <= 0 ? 1 - units : 0) + (units + places > nk ? units + places : nk);
    while (b < want) body[b++] = '0';
    if (units <= 0) units = 1;
    if (signbit(x)) out[n++] = '-';
    for (int k = 0; k < units; k++) out[n++] = body[k];
    if (places) {
        out[n++] = '.';
        for (int k = 0; k < places; k++) out[n++] = body[units + k];
    }
    return mk_str(str_from_utf8(out, (size_t)n));
}
static V op_pi(int pos, const char *name) { (void)pos; (void)name; return mk_real(3.141592653589793); }
static V op_pad(int pos, const char *name, int n, V *a) {
    int64_t width = rt_int_arg(pos, name, a[1]);
    V text;
    if (width < 0 || width > 100000000) rt_fail(pos, "%s: a field width must be from 0 to 100000000, not %lld", name, (long long)width);
    if (n > 2) {
        int64_t places = rt_int_arg(pos, name, a[2]);
        if (places < 0 || places > 100) rt_fail(pos, "%s: decimals must be from 0 to 100, not %lld", name, (long long)places);
        if (a[0].tag != T_INT && a[0].tag != T_REAL) rt_fail(pos, "%s needs a number, not a %s", name, type_name(a[0]));
        double x = a[0].tag == T_INT ? (double)a[0].u.i : a[0].u.d;
        if (isfinite(x)) {
            text = rt_fixed(x, (int)places);
        } else {
            text = rt_text(mk_real(x));
        }
    } else {
        if (a[0].tag == T_REAL) rt_fail(pos, "%s: a real written with a width needs its number of decimals (x:width:decimals)", name);
        text = rt_text(a[0]);
    }
    Str *t = text.u.s;
    if (t->len >= width) return text;
    Str *r = str_new(width);
    int64_t gap = width - t->len;
    for (int64_t k = 0; k < gap; k++) r->cp[k] = ' ';
    memcpy(r->cp + gap, t->cp, sizeof(uint32_t) * (size_t)t->len);
    return mk_str(r);
}
static V op_str(int pos, const char *name, V v) { (void)pos; (void)name; return rt_text(v); }
static int scan_number(Str *s, int real) {
    /* [ \t]*[+-]?digits[ \t]* or, for reals, [+-]?(d+.?d*|.d+)([eE][+-]?d+)? */
    int64_t k = 0, n = s->len;
    uint32_t *c = s->cp;
    while (k < n && (c[k] == ' ' || c[k] == '\t')) k++;
    if (k < n && (c[k] == '+' || c[k] == '-')) k++;
    int64_t digits = 0;
    while (k < n && c[k] >= '0' && c[k] <= '9') { k++; digits++; }
    if (real) {
        if (k < n && c[k] == '.') { k++; while (k < n && c[k] >= '0' && c[k] <= '9') { k++; digits++; } }
        if (!digits) return 0;
        if (k < n && (c[k] == 'e' || c[k] == 'E')) {
            k++;
            if (k < n && (c[k] == '+' || c[k] == '-')) k++;
            int64_t e = 0;
            while (k < n && c[k] >= '0' && c[k] <= '9') { k++; e++; }
            if (!e) return 0;
        }
    } else if (!digits) return 0;
    while (k < n && (c[k] == ' ' || c[k] == '\t')) k++;
    return k == n;
}
static const char *text_utf8(V v) {
    Buf b = { 0, 0, 0 }; buf_value(&b, v, 0); return b.p ? b.p : "";
}
static char *ascii_of(Str *s) {
    char *out = rt_alloc((size_t)s->len + 1);
    for (int64_t k = 0; k < s->len; k++) out[k] = (char)s->cp[k];
    out[s->len] = 0;
    return out;
}
static V op_int(int pos, const char *name, V v) {
    if (v.tag == T_STR) {
        if (!scan_number(v.u.s, 0)) { V t = v; rt_fail(pos, "%s: not a whole number: %s", name, text_utf8(t)); }
        char *end; errno = 0;
        long long r = strtoll(ascii_of(v.u.s), &end, 10);
        if (errno == ERANGE) rt_overflow(pos);
        return mk_int(r);
    }
    return op_trunc(pos, name, v);
}
static V op_float(int pos, const char *name, V v) {
    if (v.tag == T_STR) {
        if (!scan_number(v.u.s, 1)) { V t = v; rt_fail(pos, "%s: not a number: %s", name, text_utf8(t)); }
        return mk_real(strtod(ascii_of(v.u.s), NULL));
    }
    return mk_real(rt_num(pos, name, v));
}
static V op_range(int pos, const char *name, int n, V *vs, int64_t low) {
    int64_t a = 0, b, step = 1;
    for (int k = 0; k < n; k++) rt_int_arg(pos, name, vs[k]);
    if (n == 1) b = vs[0].u.i; else { a = vs[0].u.i; b = vs[1].u.i; if (n > 2) step = vs[2].u.i; }
    if (step == 0) rt_fail(pos, "%s: the step is zero", name);
    Arr *r = arr_new(low, 0, 0);
    if ((b > a ? (uint64_t)b - (uint64_t)a : (uint64_t)a - (uint64_t)b) / (uint64_t)(step > 0 ? step : -step) > 10000000u)
        rt_fail(pos, "%s: too many numbers", name);
    for (int64_t k = a; step > 0 ? k < b : k > b; k += step) arr_push(r, mk_int(k));
    return mk_arr(r);
}
static V op_append(int pos, const char *name, V items, V item) {
    if (items.tag != T_ARR || items.u.a->fixed) rt_fail(pos, "%s needs a list, not a %s", name, type_name(items));
    if (items.u.a->hash) {  /* a table: tbl_set appends (and moves keys from the hash part) */
        if (item.tag != T_NULL) tbl_set(pos, items.u.a, mk_int(items.u.a->len + 1), item);
        return NUL;
    }
    arr_push(items.u.a, rt_copy(item));
    return NUL;
}
static V op_copy(int pos, const char *name, V s, V start, V count, int64_t base) {
    Str *t = rt_str_arg(pos, name, s);
    int64_t b = rt_int_arg(pos, name, start) - base, n = rt_int_arg(pos, name, count);
    if (b < 0) b = 0;
    if (n < 0) n = 0;
    if (b > t->len) b = t->len;
    if (n > t->len - b) n = t->len - b;
    Str *r = str_new(n);
    memcpy(r->cp, t->cp + b, sizeof(uint32_t) * (size_t)n);
    return mk_str(r);
}
/* mid: BASIC's MID$, from position 1 whatever the index base (builtins._mid) */
static V op_mid(int pos, const char *name, int n, V *a) {
    Str *t = rt_str_arg(pos, name, a[0]);
    int64_t b = rt_int_arg(pos, name, a[1]), len = t->len;
    if (b < 1) rt_fail(pos, "%s: the start must be 1 or more, not %lld", name, (long long)b);
    if (n > 2) {
        len = rt_int_arg(pos, name, a[2]);
        if (len < 0) rt_fail(pos, "%s: the length must be 0 or more, not %lld", name, (long long)len);
    }
    if (b - 1 > t->len) b = t->len + 1;
    if (len > t->len - (b - 1)) len = t->len - (b - 1);
    Str *r = str_new(len);
    memcpy(r->cp, t->cp + (b - 1), sizeof(uint32_t) * (size_t)len);
    return mk_str(r);
}
static V op_case(int pos, const char *name, V v, int up) {
    Str *t = rt_str_arg(pos, name, v);
    Str *r = str_new(t->len);
    for (int64_t k = 0; k < t->len; k++) {
        uint32_t c = t->cp[k];
        if (up && c >= 'a' && c <= 'z') c -= 32;
        if (!up && c >= 'A' && c <= 'Z') c += 32;
        r->cp[k] = c;
    }
    return mk_str(r);
}
static int blank(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static V op_strip(int pos, const char *name, V v) {
    Str *t = rt_str_arg(pos, name, v);
    int64_t a = 0, b = t->len;
    while (a < b && blank(t->cp[a])) a++;
    while (b > a && blank(t->cp[b - 1])) b--;
    Str *r = str_new(b - a);
    memcpy(r->cp, t->cp + a, sizeof(uint32_t) * (size_t)(b - a));
    return mk_str(r);
}
static int at(Str *t, int64_t k, Str *p) {
    return k + p->len <= t->len && memcmp(t->cp + k, p->cp, sizeof(uint32_t) * (size_t)p->len) == 0;
}
static V op_starts_with(int pos, const char *name, V v, V prefix) {
    Str *t = rt_str_arg(pos, name, v), *p = rt_str_arg(pos, name, prefix);
    return mk_bool(at(t, 0, p));
}
static V piece(Str *t, int64_t a, int64_t b) {
    Str *r = str_new(b - a);
    memcpy(r->cp, t->cp + a, sizeof(uint32_t) * (size_t)(b - a));
    return mk_str(r);
}
static V op_split(int pos, const char *name, V v, V sep, int64_t low) {
    Str *t = rt_str_arg(pos, name, v), *p = rt_str_arg(pos, name, sep);
    if (!p->len) rt_fail(pos, "%s: the separator is empty", name);
    Arr *r = arr_new(low, 0, 0);
    int64_t start = 0, k = 0;
    while (k + p->len <= t->len) {
        if (at(t, k, p)) { arr_push(r, piece(t, start, k)); k += p->len; start = k; }
        else k++;
    }
    arr_push(r, piece(t, start, t->len));
    return mk_arr(r);
}
static V op_replace(int pos, const char *name, V v, V old, V new_) {
    Str *t = rt_str_arg(pos, name, v), *o = rt_str_arg(pos, name, old), *n = rt_str_arg(pos, name, new_);
    V out = str_lit(NULL, 0);
    if (!o->len) {  /* as Python: the new text before every character and at the end */
        for (int64_t k = 0; k < t->len; k++) { out = str_cat(out.u.s, n); out = str_cat(out.u.s, piece(t, k, k + 1).u.s); }
        return str_cat(out.u.s, n);
    }
    int64_t start = 0, k = 0;
    while (k + o->len <= t->len) {
        if (at(t, k, o)) { out = str_cat(out.u.s, piece(t, start, k).u.s); out = str_cat(out.u.s, n); k += o->len; start = k; }
        else k++;
    }
    return str_cat(out.u.s, piece(t, start, t->len).u.s);
}
static V op_pop(int pos, const char *name, V items) {
    if (items.tag != T_ARR || items.u.a->fixed) rt_fail(pos, "%s needs a list, not a %s", name, type_name(items));
    if (!items.u.a->len) rt_fail(pos, "%s: the list is empty", name);
    return items.u.a->items[--items.u.a->len];
}
static V op_contains(int pos, const char *name, V items, V item) { (void)name; return rt_in(pos, item, items); }
static V op_min(int pos, const char *name, V a, V b) { rt_num(pos, name, a); rt_num(pos, name, b); return cmp_num(b, a) == -1 ? b : a; }
static V op_max(int pos, const char *name, V a, V b) { rt_num(pos, name, a); rt_num(pos, name, b); return cmp_num(b, a) == 1 ? b : a; }
static void op_bump(int pos, const char *name, V *slot, V by, int sign) {
    if (slot->tag != T_INT || by.tag != T_INT) rt_fail(pos, "%s needs integers, not %s and %s", name, type_name(*slot), type_name(by));
    int64_t r;
    if (sign > 0 ? __builtin_add_overflow(slot->u.i, by.u.i, &r) : __builtin_sub_overflow(slot->u.i, by.u.i, &r)) rt_overflow(pos);
    slot->u.i = r;
}
static V op_read_line(int pos, const char *name, int n, V *prompt) {
    if (n) { V v = prompt[0]; rt_write(&v, 1, "", ""); }
    fflush(stdout);
    Buf b = { 0, 0, 0 };
    int c, any = 0;
    while ((c = getchar()) != EOF) { any = 1; if (c == '\n') break; char ch = (char)c; buf_put(&b, &ch, 1); }
    if (!any) rt_fail(pos, "%s: no more input (stdin has ended)", name);
    return mk_str(str_from_utf8(b.p ? b.p : "", b.len));
}
static void op_halt(int pos, const char *name, int n, V *code) {
    int64_t c = n ? rt_int_arg(pos, name, code[0]) : 0;
    fflush(stdout);
    exit((int)(c & 255));
}
static V op_left(int pos, const char *name, V s, V count) {
    Str *t = rt_str_arg(pos, name, s);
    int64_t n = rt_int_arg(pos, name, count);
    return piece(t, 0, n < 0 ? 0 : n > t->len ? t->len : n);
}
static V op_right(int pos, const char *name, V s, V count) {
    Str *t = rt_str_arg(pos, name, s);
    int64_t n = rt_int_arg(pos, name, count);
    return piece(t, t->len - (n < 0 ? 0 : n > t->len ? t->len : n), t->len);
}
static V op_string_of(int pos, const char *name, V count, V s) {
    int64_t n = rt_int_arg(pos, name, count);
    Str *t = rt_str_arg(pos, name, s);
    if (n < 0) n = 0;
    if (t->len && n > 100000000 / t->len) rt_fail(pos, "%s: the string would be too long", name);
    Str *r = str_new(n * t->len);
    for (int64_t k = 0; k < n; k++) memcpy(r->cp + k * t->len, t->cp, sizeof(uint32_t) * (size_t)t->len);
    return mk_str(r);
}
static void op_assert(int pos, const char *name, int n, V *vs) {
    if (vs[0].tag != T_BOOL) rt_fail(pos, "%s needs a boolean, not a %s", name, type_name(vs[0]));
    if (vs[0].u.i) return;
    if (n > 1) rt_fail(pos, "assertion failed: %s", text_utf8(vs[1]));
    rt_fail(pos, "assertion failed");
}
/* a stable merge sort by `<` alone, as Python's sorted, so equal elements keep their order */
static int sort_less(V a, V b) { return a.tag == T_STR ? cmp_str(a.u.s, b.u.s) < 0 : cmp_num(a, b) == -1; }
static void merge_sort(V *items, V *spare, int64_t n) {
    if (n < 2) return;
    int64_t half = n / 2, i = 0, j = half, k = 0;
    merge_sort(items, spare, half);
    merge_sort(items + half, spare, n - half);
    while (i < half && j < n) spare[k++] = sort_less(items[j], items[i]) ? items[j++] : items[i++];
    while (i < half) spare[k++] = items[i++];
    while (j < n) spare[k++] = items[j++];
    memcpy(items, spare, sizeof(V) * (size_t)n);
}
static V op_sorted(int pos, const char *name, V items, int64_t base) {
    if (items.tag != T_ARR) rt_fail(pos, "%s needs a list, not a %s", name, type_name(items));
    Arr *a = items.u.a;
    int numbers = a->len && num(a->items[0]);
    for (int64_t k = 0; k < a->len; k++)  /* checked before sorting, as in the interpreter */
        if (num(a->items[k]) != numbers || (!numbers && a->items[k].tag != T_STR))
            rt_fail(pos, "%s needs a list of numbers or of strings, not one holding a %s", name, type_name(a->items[k]));
    Arr *r = arr_new(base, a->len, 0);
    memcpy(r->items, a->items, sizeof(V) * (size_t)a->len);
    merge_sort(r->items, rt_alloc(sizeof(V) * (size_t)(a->len ? a->len : 1)), a->len);
    return mk_arr(r);
}
/* random_between: xorshift64* from a fixed seed, the interpreter's generator (builtins.Random) */
static uint64_t rt_random_state = 88172645463325252u;
static V op_random_between(int pos, const char *name, V low, V high) {
    int64_t a = rt_int_arg(pos, name, low), b = rt_int_arg(pos, name, high);
    if (a > b) rt_fail(pos, "%s: %lld is above %lld", name, (long long)a, (long long)b);
    uint64_t span = (uint64_t)b - (uint64_t)a;
    if (span >= 9223372036854775808u) rt_fail(pos, "%s: the range is too wide", name);
    uint64_t x = rt_random_state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    rt_random_state = x;
    return mk_int(a + (int64_t)((x * 2685821657736338717u) % (span + 1)));
}
"""
