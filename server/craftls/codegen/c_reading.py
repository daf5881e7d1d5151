"""The C runtime's Pascal ``Read``/``ReadLn`` operations: ``read_token``, ``read_rest``
and ``skip_line``, the interpreter's ``reading.StreamReader`` in C (the same words, the
same lines, the same ``no more input`` error). Appended after the runtime by
``c_emit``."""

from __future__ import annotations

from typing import Final

READING: Final = r"""
/* ----- read_token, read_rest, skip_line (codegen/c_reading.py) ----- */
/* rd.p[rd_at..rd.len) is the part of the current line not read yet (with its line
   break, if it has one); rd_have == 0 when the next read starts a new line */
static Buf rd;
static size_t rd_at;
static int rd_have;
static void rd_fetch(int pos, const char *name) {
    if (rd_have) return;
    fflush(stdout);
    rd.len = 0; rd_at = 0;
    int c;
    while ((c = getchar()) != EOF) { char ch = (char)c; buf_put(&rd, &ch, 1); if (c == '\n') break; }
    if (!rd.len) rt_fail(pos, "%s: no more input (stdin has ended)", name);
    rd_have = 1;
}
static int rd_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static V op_read_token(int pos, const char *name) {
    for (;;) {
        rd_fetch(pos, name);
        while (rd_at < rd.len && rd_blank(rd.p[rd_at])) rd_at++;
        if (rd_at < rd.len) break;
        rd_have = 0;  /* the line held only blanks: on to the next one */
    }
    size_t start = rd_at;
    while (rd_at < rd.len && !rd_blank(rd.p[rd_at])) rd_at++;
    return mk_str(str_from_utf8(rd.p + start, rd_at - start));
}
static V op_read_rest(int pos, const char *name) {
    rd_fetch(pos, name);
    size_t start = rd_at;
    while (rd_at < rd.len && rd.p[rd_at] != '\n') rd_at++;
    return mk_str(str_from_utf8(rd.p + start, rd_at - start));
}
static void op_skip_line(int pos, const char *name) {
    rd_fetch(pos, name);
    rd_have = 0;
}
"""
