"""The C runtime's Lua string operations: the patterns of ``patterns.py`` (``gsub``,
``gmatch``, ``match``: the same items, the same backtracking, the same messages) and
``format`` and ``rep`` of ``text_format.py``. A directive's number is written by the C
library's ``snprintf``, as the interpreter's Python ``%`` writes it; strings, ``%c``,
infinities and NaN are written here, counting characters (code points). Appended after
the runtime by ``c_emit``."""

from __future__ import annotations

from typing import Final

TEXT_OPS: Final = r"""
/* ----- Lua patterns (codegen/c_text_ops.py, as patterns.py) ----- */
typedef struct PSet { uint32_t lo, hi, cls; } PSet;  /* cls: a class letter, else lo..hi */
typedef struct PItem { char kind, quant; int negate; uint32_t c; PSet *set; int nset; } PItem;
typedef struct Pat { PItem *items; int n, anchored, at_end; } Pat;

static int class_letter(uint32_t x) {
    return x && x < 128 && strchr("acdglpsuwx", (int)(x | 32)) != NULL && ((x | 32) >= 'a');
}
static int class_holds(uint32_t letter, uint32_t c) {
    int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'), digit = c >= '0' && c <= '9';
    switch (letter) {
    case 'a': return alpha;
    case 'd': return digit;
    case 'l': return c >= 'a' && c <= 'z';
    case 'u': return c >= 'A' && c <= 'Z';
    case 's': return (c >= 9 && c <= 13) || c == 32;
    case 'w': return alpha || digit;
    case 'x': return digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    case 'p': return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    case 'c': return c < 32 || c == 127;
    default: return c >= 33 && c <= 126;  /* g */
    }
}
static int pitem_holds(const PItem *it, uint32_t c) {
    if (it->kind == 'a') return 1;
    if (it->kind == 'c') return c == it->c;
    if (it->kind == 'k') return class_holds(it->c | 32, c) != it->negate;
    int found = 0;
    for (int k = 0; k < it->nset && !found; k++) {
        const PSet *m = &it->set[k];
        found = m->cls ? class_holds(m->cls | 32, c) != (m->cls < 'a') : (c >= m->lo && c <= m->hi);
    }
    return found != it->negate;
}
__attribute__((noreturn)) static void pat_unsupported(int pos, const char *name, const char *what) {
    rt_fail(pos, "%s: %s in a pattern is not supported by craftls (captures, %%b, %%f and back references are not)", name, what);
}
static Pat pat_compile(int pos, const char *name, V pv, int anchors) {
    if (pv.tag != T_STR) rt_fail(pos, "%s needs a string pattern, not a %s", name, type_name(pv));
    Str *p = pv.u.s;
    Pat pat;
    pat.items = rt_alloc(sizeof(PItem) * (size_t)(p->len ? p->len : 1));
    pat.n = 0; pat.at_end = 0;
    pat.anchored = anchors && p->len && p->cp[0] == '^';
    int64_t k = pat.anchored;
    while (k < p->len) {
        uint32_t c = p->cp[k];
        PItem it; it.negate = 0; it.c = 0; it.set = NULL; it.nset = 0;
        if (c == '$' && k == p->len - 1) { pat.at_end = 1; break; }
        if (c == '(' || c == ')') pat_unsupported(pos, name, "a capture");
        if (c == '%') {
            if (k + 1 >= p->len) rt_fail(pos, "%s: malformed pattern (ends with '%%')", name);
            uint32_t x = p->cp[k + 1];
            char what[40];
            if (x == 'b' || x == 'f') { snprintf(what, sizeof what, "'%%%c'", (char)x); pat_unsupported(pos, name, what); }
            if (x >= '0' && x <= '9') { snprintf(what, sizeof what, "the back reference '%%%c'", (char)x); pat_unsupported(pos, name, what); }
            if (class_letter(x)) { it.kind = 'k'; it.c = x; it.negate = x < 'a'; } else { it.kind = 'c'; it.c = x; }
            k += 2;
        } else if (c == '[') {
            k++;
            it.kind = 's';
            it.negate = k < p->len && p->cp[k] == '^';
            k += it.negate;
            it.set = rt_alloc(sizeof(PSet) * (size_t)(p->len - k + 1));
            int first = 1;
            for (;;) {
                if (k >= p->len) rt_fail(pos, "%s: malformed pattern (missing ']')", name);
                uint32_t m = p->cp[k];
                if (m == ']' && !first) { k++; break; }
                first = 0;
                PSet *e = &it.set[it.nset++];
                e->cls = 0;
                if (m == '%') {
                    if (k + 1 >= p->len) rt_fail(pos, "%s: malformed pattern (missing ']')", name);
                    uint32_t x = p->cp[k + 1];
                    if (class_letter(x)) e->cls = x; else e->lo = e->hi = x;
                    k += 2;
                } else if (k + 2 < p->len && p->cp[k + 1] == '-' && p->cp[k + 2] != ']') {
                    e->lo = m; e->hi = p->cp[k + 2]; k += 3;
                } else { e->lo = e->hi = m; k++; }
            }
        } else { it.kind = c == '.' ? 'a' : 'c'; it.c = c; k++; }
        it.quant = 0;
        if (k < p->len && (p->cp[k] == '*' || p->cp[k] == '+' || p->cp[k] == '-' || p->cp[k] == '?')) it.quant = (char)p->cp[k++];
        pat.items[pat.n++] = it;
    }
    return pat;
}
/* the end of a match of items[ii..] from s[si], or -1 (patterns.match_at) */
static int64_t pat_match(const Pat *pat, const Str *s, int64_t si, int ii) {
    int64_t n = s->len;
    while (ii < pat->n) {
        const PItem *it = &pat->items[ii];
        if (!it->quant) {
            if (si < n && pitem_holds(it, s->cp[si])) { si++; ii++; continue; }
            return -1;
        }
        if (it->quant == '?') {
            if (si < n && pitem_holds(it, s->cp[si])) {
                int64_t end = pat_match(pat, s, si + 1, ii + 1);
                if (end >= 0) return end;
            }
            ii++;
            continue;
        }
        if (it->quant == '-') {
            for (;;) {
                int64_t end = pat_match(pat, s, si, ii + 1);
                if (end >= 0) return end;
                if (si < n && pitem_holds(it, s->cp[si])) si++; else return -1;
            }
        }
        int64_t count = 0;
        while (si + count < n && pitem_holds(it, s->cp[si + count])) count++;
        for (; count >= (it->quant == '+'); count--) {
            int64_t end = pat_match(pat, s, si + count, ii + 1);
            if (end >= 0) return end;
        }
        return -1;
    }
    return pat->at_end && si != n ? -1 : si;
}
static Str *pat_subject(int pos, const char *name, V s) {
    if (s.tag == T_INT || s.tag == T_REAL) return rt_text(s).u.s;
    if (s.tag != T_STR) rt_fail(pos, "%s needs a string, not a %s", name, type_name(s));
    return s.u.s;
}
static void str_add(Str **out, const uint32_t *cp, int64_t n) {
    V joined = rt_concat(mk_str(*out), str_lit(cp, n));
    *out = joined.u.s;
}
static V op_gsub(int pos, const char *name, int n, V *a) {
    Str *text = pat_subject(pos, name, a[0]);
    Pat pat = pat_compile(pos, name, a[1], 1);
    V repl = a[2];
    if (repl.tag == T_INT || repl.tag == T_REAL) repl = rt_text(repl);
    if (repl.tag != T_STR) rt_fail(pos, "%s: a replacement that is a %s is not supported by craftls (a string or a number is)", name, type_name(repl));
    int64_t most = text->len + 1;
    if (n > 3 && a[3].tag != T_NULL) {
        if (a[3].tag != T_INT) rt_fail(pos, "%s: the number of replacements must be an integer, not a %s", name, type_name(a[3]));
        most = a[3].u.i;
    }
    Str *out = str_new(0), *r = repl.u.s;
    int64_t src = 0, last = -1, count = 0;
    while (count < most) {
        int64_t end = pat_match(&pat, text, src, 0);
        if (end >= 0 && end != last) {
            count++;
            for (int64_t k = 0; k < r->len; k++) {
                if (r->cp[k] != '%') { str_add(&out, &r->cp[k], 1); continue; }
                uint32_t x = k + 1 < r->len ? r->cp[k + 1] : 0;
                if (x == '0' || x == '1') str_add(&out, text->cp + src, end - src);
                else if (x == '%') str_add(&out, &r->cp[k + 1], 1);
                else if (x >= '0' && x <= '9') rt_fail(pos, "%s: invalid capture index %%%c in replacement string", name, (char)x);
                else rt_fail(pos, "%s: invalid use of '%%' in replacement string", name);
                k++;
            }
            src = last = end;
        } else if (src < text->len) { str_add(&out, &text->cp[src], 1); src++; }
        else break;
        if (pat.anchored) break;
    }
    str_add(&out, text->cp + src, text->len - src);
    return mk_str(out);
}
static V op_gmatch(int pos, const char *name, V s, V p) {
    Str *text = pat_subject(pos, name, s);
    Pat pat = pat_compile(pos, name, p, 0);
    Arr *rows = tbl_new();
    int64_t src = 0, last = -1;
    while (src <= text->len) {
        int64_t end = pat_match(&pat, text, src, 0);
        if (end >= 0 && end != last) {
            arr_push(rows, tbl_row(piece(text, src, end), UNSET));
            src = last = end;
        } else src++;
    }
    return mk_arr(rows);
}
static V op_match(int pos, const char *name, int n, V *a) {
    Str *text = pat_subject(pos, name, a[0]);
    Pat pat = pat_compile(pos, name, a[1], 1);
    int64_t start = 1;
    if (n > 2 && a[2].tag != T_NULL) {
        if (a[2].tag != T_INT) rt_fail(pos, "%s: the start must be an integer, not a %s", name, type_name(a[2]));
        start = a[2].u.i;
    }
    int64_t src = start > 0 ? start - 1 : start == 0 ? 0 : (text->len + start > 0 ? text->len + start : 0);
    for (; src <= text->len; src++) {
        int64_t end = pat_match(&pat, text, src, 0);
        if (end >= 0) return piece(text, src, end);
        if (pat.anchored) break;
    }
    return NUL;
}

/* ----- format and rep (text_format.py) ----- */
#define RT_MAX_TEXT 100000000
static int64_t fmt_integer(int pos, const char *name, int k, V v) {
    if (v.tag == T_REAL && v.u.d == floor(v.u.d) && v.u.d >= -9223372036854775808.0 && v.u.d < 9223372036854775808.0) return (int64_t)v.u.d;
    if (v.tag == T_REAL) rt_fail(pos, "%s: bad argument #%d (number has no integer representation)", name, k);
    if (v.tag != T_INT) rt_fail(pos, "%s: bad argument #%d (number expected, got %s)", name, k, type_name(v));
    return v.u.i;
}
/* text padded with spaces to width, on the right with '-' (counting characters) */
static void fmt_padded(Str **out, const uint32_t *cp, int64_t n, int width, int left) {
    uint32_t sp = ' ';
    if (!left) for (int64_t k = n; k < width; k++) str_add(out, &sp, 1);
    str_add(out, cp, n);
    if (left) for (int64_t k = n; k < width; k++) str_add(out, &sp, 1);
}
static void fmt_ascii(Str **out, const char *s) {
    Str *t = str_from_utf8(s, strlen(s));
    str_add(out, t->cp, t->len);
}
static void fmt_one(int pos, const char *name, int k, const char *flags, int width, int prec, char conv, V v, Str **out, const char *whole) {
    int left = strchr(flags, '-') != NULL, alt = strchr(flags, '#') != NULL;
    int sign = strchr(flags, '+') || strchr(flags, ' ');
    if ((strchr("sc", conv) && strchr(flags, '0')) || (strchr("scxXo", conv) && sign) || (alt && !strchr("xXeEfFgG", conv)))
        rt_fail(pos, "%s: invalid conversion '%s' to 'format'", name, whole);
    char head[32], spec[48], text[512];
    snprintf(head, sizeof head, "%%%s", flags);
    if (width >= 0) snprintf(head + strlen(head), sizeof head - strlen(head), "%d", width);
    if (prec >= 0) snprintf(head + strlen(head), sizeof head - strlen(head), ".%d", prec);
    if (conv == 'd' || conv == 'i') {
        snprintf(spec, sizeof spec, "%slld", head);
        snprintf(text, sizeof text, spec, (long long)fmt_integer(pos, name, k, v));
        fmt_ascii(out, text);
    } else if (conv == 'x' || conv == 'X' || conv == 'o') {
        unsigned long long u = (unsigned long long)fmt_integer(pos, name, k, v);
        if (!u && alt) {  /* C writes 0 without 0x; the same head without '#' */
            char *h = strchr(head, '#');
            memmove(h, h + 1, strlen(h));
        }
        snprintf(spec, sizeof spec, "%sll%c", head, conv);
        snprintf(text, sizeof text, spec, u);
        fmt_ascii(out, text);
    } else if (conv == 'c') {
        int64_t code = fmt_integer(pos, name, k, v);
        if (code < 0 || code > 0x10FFFF) rt_fail(pos, "%s: bad argument #%d (value out of range)", name, k);
        uint32_t c = (uint32_t)code;
        fmt_padded(out, &c, prec == 0 ? 0 : 1, width, left);
    } else if (strchr("eEfFgG", conv)) {
        if (!num(v)) rt_fail(pos, "%s: bad argument #%d (number expected, got %s)", name, k, type_name(v));
        double x = dbl(v);
        if (isinf(x) || isnan(x)) {
            const char *sign = x < 0 ? "-" : strchr(flags, '+') ? "+" : strchr(flags, ' ') ? " " : "";
            int upper = conv >= 'A' && conv <= 'Z';
            snprintf(text, sizeof text, "%s%s", isnan(x) ? "" : sign, isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
            Str *t = str_from_utf8(text, strlen(text));
            fmt_padded(out, t->cp, t->len, width, left);
        } else {
            snprintf(spec, sizeof spec, "%s%c", head, conv);
            snprintf(text, sizeof text, spec, x);
            fmt_ascii(out, text);
        }
    } else {  /* s */
        Str *t = rt_text(v).u.s;
        int64_t len = prec >= 0 && prec < t->len ? prec : t->len;
        fmt_padded(out, t->cp, len, width, left);
    }
}
static V op_format(int pos, const char *name, int n, V *a) {
    Str *f = rt_str_arg(pos, name, a[0]);
    Str *out = str_new(0);
    int used = 0;
    int64_t k = 0;
    while (k < f->len) {
        if (f->cp[k] != '%') { str_add(&out, &f->cp[k], 1); k++; continue; }
        int64_t at = k++;
        char flags[64]; int nf = 0;
        while (k < f->len && f->cp[k] && strchr("-+ #0", (int)f->cp[k]) && nf < 63) flags[nf++] = (char)f->cp[k++];
        while (k < f->len && f->cp[k] && strchr("-+ #0", (int)f->cp[k])) k++;  /* beyond 63: never (Lua refuses sooner) */
        flags[nf] = 0;
        int width = -1, prec = -1, d = 0;
        while (d < 2 && k < f->len && f->cp[k] >= '0' && f->cp[k] <= '9') { width = (width < 0 ? 0 : width * 10) + (int)(f->cp[k++] - '0'); d++; }
        if (k < f->len && f->cp[k] == '.') {
            k++; prec = 0; d = 0;
            while (d < 2 && k < f->len && f->cp[k] >= '0' && f->cp[k] <= '9') { prec = prec * 10 + (int)(f->cp[k++] - '0'); d++; }
        }
        uint32_t conv = 0;
        if (k < f->len && ((f->cp[k] >= 'a' && f->cp[k] <= 'z') || (f->cp[k] >= 'A' && f->cp[k] <= 'Z') || f->cp[k] == '%')) conv = f->cp[k++];
        if (conv == '%' && k == at + 2) { str_add(&out, &conv, 1); continue; }
        if (!conv || conv == 'u' || conv > 127 || !strchr("diuxXocseEfFgG", (int)conv)) {
            Buf b = { 0, 0, 0 };
            for (int64_t i = at; i < k; i++) buf_utf8(&b, f->cp[i]);
            buf_put(&b, "", 0);
            rt_fail(pos, "%s: invalid conversion '%s' to 'format'%s", name, b.p, conv && strchr("qaA", (int)conv) ? " (craftls)" : "");
        }
        used++;
        if (used > n - 1) rt_fail(pos, "%s: bad argument #%d (no value)", name, used + 1);
        Buf spec = { 0, 0, 0 };
        for (int64_t i = at; i < k; i++) buf_utf8(&spec, f->cp[i]);
        buf_put(&spec, "", 0);
        fmt_one(pos, name, used + 1, flags, width, prec, (char)conv, a[used], &out, spec.p);
        if (out->len > RT_MAX_TEXT) rt_fail(pos, "%s: the result is too long", name);
    }
    return mk_str(out);
}
static V op_rep(int pos, const char *name, int n, V *a) {
    V s = a[0];
    if (s.tag == T_INT || s.tag == T_REAL) s = rt_text(s);
    if (s.tag != T_STR) rt_fail(pos, "%s needs a string, not a %s", name, type_name(a[0]));
    int64_t count = fmt_integer(pos, name, 2, a[1]);
    V sep = n > 2 && a[2].tag != T_NULL ? a[2] : mk_str(str_new(0));
    if (sep.tag == T_INT || sep.tag == T_REAL) sep = rt_text(sep);
    if (sep.tag != T_STR) rt_fail(pos, "%s needs a string separator, not a %s", name, type_name(sep));
    if (count <= 0) return mk_str(str_new(0));
    int64_t len = s.u.s->len, between = sep.u.s->len;
    if (len + between == 0) return mk_str(str_new(0));
    if (count > RT_MAX_TEXT + 1 || count * len + (count - 1) * between > RT_MAX_TEXT)
        rt_fail(pos, "%s: the result is too long (more than 100,000,000 characters)", name);
    Str *out = str_new(count * len + (count - 1) * between);
    int64_t at = 0;
    for (int64_t k = 0; k < count; k++) {
        if (k) { memcpy(out->cp + at, sep.u.s->cp, sizeof(uint32_t) * (size_t)between); at += between; }
        memcpy(out->cp + at, s.u.s->cp, sizeof(uint32_t) * (size_t)len); at += len;
    }
    return mk_str(out);
}
"""
