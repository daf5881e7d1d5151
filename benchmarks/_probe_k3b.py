from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.syntax import peg
peg.FAST_PATH = False
d = bundled("turbopascal")
text = "PROGRAM G;\nFUNCTION F0(A, B : INTEGER) : INTEGER;\nVAR\n  T : INTEGER;\nBEGIN\n  T := A;\n  IF T > 100 THEN\n    T := T MOD 100\n  ELSE\n    T := T + 1;\n  F0 := T\nEND;\nBEGIN\nEND.\n"
orig_cl = peg.PegParser.call_lines_rule
def cl(self, r, p):
    if self.reach >= p: print("lines start taint", self.t.rule_kind[r], p, self.reach)
    return orig_cl(self, r, p)
peg.PegParser.call_lines_rule = cl
orig_nr = peg.PegParser.note_replay
def nr(self, f):
    before = self.taint
    orig_nr(self, f)
    if self.taint and not before: print("replay", [getattr(x,'kind',x) for x in f])
peg.PegParser.note_replay = nr
p = parse(d, text)
print(p.clean)
