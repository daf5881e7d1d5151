import time

from benchmarks.common import pascal_main_block
from craftls.language.catalog import bundled
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

d = bundled("turbopascal")
text = pascal_main_block(10_000, 5_000)
t=time.process_time(); p = parse(d, text); print("full", time.process_time()-t)
at = text.index("+ I *", len(text)//2) + 6
for i in range(6):
    e = TextEdit(at, at, "7") if i % 2 == 0 else TextEdit(at, at+1, "")
    t=time.process_time(); p, s = apply_edit(p, e); dt=(time.process_time()-t)*1000
    f = parse(d, p.text)
    print("edit %.2f ms" % dt, s, f.green == p.green)
