"""The C runtime's QBasic operations: ``print_using`` (PRINT USING's format strings),
``tab`` (TAB(n), from the column ``rt_write`` keeps), ``fixed_length`` (a store into a
STRING * n), ``sin`` and ``cos``: the steps of ``basic_ops.py``, with the same messages.
Appended after the runtime by ``c_emit``."""

from __future__ import annotations

from typing import Final

BASIC_OPS: Final = r"""
/* ----- print_using, tab, fixed_length, sin, cos (codegen/c_basic_ops.py) ----- */
typedef struct UBuf { uint32_t *p; int64_t len, cap; } UBuf;
static void ubuf_put(UBuf *b, uint32_t c) {
    if (b->len == b->cap) {
        int64_t cap = b->cap ? 2 * b->cap : 64;
        uint32_t *p = rt_malloc(sizeof(uint32_t) * (size_t)cap);
        if (b->len) memcpy(p, b->p, sizeof(uint32_t) * (size_t)b->len);
        b->p = p; b->cap = cap;
    }
    b->p[b->len++] = c;
}
static void ubuf_ascii(UBuf *b, const char *s) { while (*s) ubuf_put(b, (uint32_t)(unsigned char)*s++); }
static V ubuf_str(UBuf *b) {
    Str *s = str_new(b->len);
    if (b->len) memcpy(s->cp, b->p, sizeof(uint32_t) * (size_t)b->len);
    return mk_str(s);
}
static double rt_finite_arg(int pos, const char *name, V v) {
    double x = rt_num(pos, name, v);
    if (isinf(x)) rt_fail(pos, "%s needs a finite number", name);
    return x;
}
static V op_sin(int pos, const char *name, V v) { return mk_real(sin(rt_finite_arg(pos, name, v))); }
static V op_cos(int pos, const char *name, V v) { return mk_real(cos(rt_finite_arg(pos, name, v))); }
static V op_fixed_length(int pos, const char *name, V v, V width) {
    Str *t = rt_str_arg(pos, name, v);
    int64_t w = width.u.i;
    Str *s = str_new(w);
    for (int64_t k = 0; k < w; k++) s->cp[k] = k < t->len ? t->cp[k] : ' ';
    return mk_str(s);
}
static V op_tab(int pos, const char *name, V v) {
    int64_t want = rt_int_arg(pos, name, v);
    if (want > 100000000) rt_fail(pos, "%s: the column must be at most 100000000, not %lld", name, (long long)want);
    if (want < 1) want = 1;
    int64_t here = rt_column + 1, spaces = here <= want ? want - here : want - 1;
    Str *s = str_new(spaces + (here > want));
    int64_t k = 0;
    if (here > want) s->cp[k++] = '\n';
    while (k < s->len) s->cp[k++] = ' ';
    return mk_str(s);
}
/* PRINT's ',': spaces up to the start of the next zone of width columns */
static V op_zone(V width) {
    int64_t w = width.u.i, spaces = w - rt_column % w;
    Str *s = str_new(spaces);
    for (int64_t k = 0; k < spaces; k++) s->cp[k] = ' ';
    return mk_str(s);
}
/* one item of a format: a literal character (kind 0) or a field */
enum { PU_LIT, PU_NUMBER, PU_FIRST, PU_FIXED, PU_WHOLE };
typedef struct PuItem { int kind; uint32_t lit; int64_t width, decimals; int commas, dollar; int64_t start, end; } PuItem;
static int pu_number_start(const uint32_t *f, int64_t n, int64_t i) {
    return f[i] == '#' || (f[i] == '$' && i + 1 < n && f[i + 1] == '$') || (f[i] == '.' && i + 1 < n && f[i + 1] == '#');
}
static void pu_field_text(const uint32_t *f, PuItem *it, char *out) {
    int64_t k = 0;
    for (int64_t i = it->start; i < it->end && k < 200; i++) out[k++] = (char)f[i];
    out[k] = 0;
}
static int64_t pu_parse(int pos, const char *name, const uint32_t *f, int64_t n, PuItem *items) {
    int64_t i = 0, m = 0, fields = 0;
    while (i < n) {
        PuItem it = { PU_LIT, 0, 0, -1, 0, 0, i, i + 1 };
        uint32_t c = f[i];
        int64_t close = -1;
        if (c == '\\') {
            for (int64_t j = i + 1; j < n; j++) if (f[j] == '\\') { close = j; break; }
            for (int64_t j = i + 1; close >= 0 && j < close; j++) if (f[j] != ' ') close = -1;
        }
        if (c == '_') { it.lit = i + 1 < n ? f[i + 1] : '_'; i += 2; }
        else if (c == '!') { it.kind = PU_FIRST; it.width = 1; i++; }
        else if (c == '&') { it.kind = PU_WHOLE; i++; }
        else if (close >= 0) { it.kind = PU_FIXED; it.width = close - i + 1; it.end = close + 1; i = close + 1; }
        else if (c == '*' && i + 1 < n && f[i + 1] == '*')
            rt_fail(pos, "%s: the format's ** (asterisk fill) is not supported by craftls run/build", name);
        else if (c == '+' && i + 1 < n && pu_number_start(f, n, i + 1))
            rt_fail(pos, "%s: the format's + (a sign before a field) is not supported by craftls run/build", name);
        else if (pu_number_start(f, n, i)) {
            it.kind = PU_NUMBER;
            it.dollar = f[i] == '$';
            i += 2 * it.dollar;
            int64_t digits = 0;
            while (i < n && (f[i] == '#' || (f[i] == ',' && i + 1 < n && (f[i + 1] == '#' || f[i + 1] == ',' || f[i + 1] == '.')))) {
                if (f[i] == ',') it.commas = 1;
                digits++; i++;
            }
            if (i < n && f[i] == '.') {
                i++; it.decimals = 0;
                while (i < n && f[i] == '#') { it.decimals++; i++; }
            }
            it.width = digits + 2 * it.dollar;
            it.end = i;
            if (i + 3 < n && f[i] == '^' && f[i + 1] == '^' && f[i + 2] == '^' && f[i + 3] == '^')
                rt_fail(pos, "%s: the format's ^^^^ (an exponent) is not supported by craftls run/build", name);
            if (i < n && (f[i] == '+' || f[i] == '-'))
                rt_fail(pos, "%s: the format's %c after a field (a trailing sign) is not supported by craftls run/build", name, (char)f[i]);
            if (it.decimals > 100) rt_fail(pos, "%s: a field may have at most 100 decimals", name);
        }
        else { it.lit = c; i++; }
        fields += it.kind != PU_LIT;
        items[m++] = it;
    }
    if (!fields) rt_fail(pos, "%s: the format has no field (#, !, \\ \\ or &)", name);
    return m;
}
static void pu_number(int pos, const char *name, const uint32_t *f, PuItem *it, V v, UBuf *out) {
    char text[210];
    pu_field_text(f, it, text);
    if (v.tag != T_INT && v.tag != T_REAL) rt_fail(pos, "%s: the field %s needs a number, not a %s", name, text, type_name(v));
    int64_t places = it->decimals > 0 ? it->decimals : 0;
    char *digits;
    if (v.tag == T_INT) {
        digits = rt_malloc(40 + (size_t)places);
        uint64_t mag = v.u.i < 0 ? (uint64_t)0 - (uint64_t)v.u.i : (uint64_t)v.u.i;
        int k = snprintf(digits, 40, "%llu", (unsigned long long)mag);
        if (places) { digits[k++] = '.'; for (int64_t d = 0; d < places; d++) digits[k++] = '0'; }
        digits[k] = 0;
    } else {
        if (!isfinite(v.u.d)) rt_fail(pos, "%s: the field %s needs a finite number", name, text);
        Str *s = rt_fixed(fabs(v.u.d), (int)places).u.s;
        digits = rt_malloc((size_t)s->len + 1);
        for (int64_t k = 0; k < s->len; k++) digits[k] = (char)s->cp[k];
        digits[s->len] = 0;
    }
    char *point = strchr(digits, '.');
    int64_t wlen = point ? point - digits : (int64_t)strlen(digits);
    /* the digits before the point, commas between thousands */
    char *whole = rt_malloc((size_t)(2 * wlen + 2));
    int64_t w = 0;
    for (int64_t k = 0; k < wlen; k++) {
        if (it->commas && k && (wlen - k) % 3 == 0) whole[w++] = ',';
        whole[w++] = digits[k];
    }
    whole[w] = 0;
    int negative = v.tag == T_INT ? v.u.i < 0 : v.u.d < 0;
    if (w == 1 && whole[0] == '0' && it->width - 2 * it->dollar == 0) w = 0;
    int64_t len = negative + it->dollar + w;
    if (len > it->width && w == 1 && whole[0] == '0') { w = 0; len--; }
    if (len > it->width) ubuf_put(out, '%');
    else for (int64_t k = len; k < it->width; k++) ubuf_put(out, ' ');
    if (negative) ubuf_put(out, '-');
    if (it->dollar) ubuf_put(out, '$');
    for (int64_t k = 0; k < w; k++) ubuf_put(out, (uint32_t)(unsigned char)whole[k]);
    if (it->decimals >= 0) { ubuf_put(out, '.'); if (point) ubuf_ascii(out, point + 1); }
}
static void pu_text(int pos, const char *name, const uint32_t *f, PuItem *it, V v, UBuf *out) {
    if (v.tag != T_STR) {
        char text[210];
        pu_field_text(f, it, text);
        rt_fail(pos, "%s: the field %s needs a string, not a %s", name, text, type_name(v));
    }
    Str *s = v.u.s;
    int64_t w = it->kind == PU_WHOLE ? s->len : it->width;
    for (int64_t k = 0; k < w; k++) ubuf_put(out, k < s->len ? s->cp[k] : ' ');
}
static V op_print_using(int pos, const char *name, int n, V *a) {
    Str *fmt = rt_str_arg(pos, name, a[0]);
    PuItem *items = rt_malloc(sizeof(PuItem) * (size_t)(fmt->len ? fmt->len : 1));
    int64_t m = pu_parse(pos, name, fmt->cp, fmt->len, items), p = 0;
    UBuf out = { 0, 0, 0 };
    for (int k = 1; k < n; k++) {
        for (;;) {
            if (p == m) p = 0;
            PuItem *it = &items[p++];
            if (it->kind == PU_LIT) { ubuf_put(&out, it->lit); continue; }
            if (it->kind == PU_NUMBER) pu_number(pos, name, fmt->cp, it, a[k], &out);
            else pu_text(pos, name, fmt->cp, it, a[k], &out);
            break;
        }
    }
    while (p < m && items[p].kind == PU_LIT) ubuf_put(&out, items[p++].lit);
    return ubuf_str(&out);
}
"""
