"""Before/after: the large-block keystroke figures and a full parse, for the build that
PYTHONPATH puts first (run from the worktree so that `benchmarks` is the branch's)."""
import os
import craftls
from benchmarks import bench_editing as B
from benchmarks.common import pascal_main_block
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

print("craftls from", os.path.dirname(craftls.__file__), "load", os.getloadavg())
text = pascal_main_block(10_000, 5_000)
for lang in ("pascal", "turbopascal"):
    d = bundled(lang)
    parse(d, text)
    r = B._timed(lambda d=d: parse(d, text), 7)
    print(f"full parse 10,000 lines {lang:12} {r['median_ms']:8.1f}/{r['p95_ms']:8.1f} ms wall "
          f"{r['cpu_median_ms']:8.1f}/{r['cpu_p95_ms']:8.1f} ms CPU")
figures = B.keystroke_in_large_blocks() | B.reparse_with_errors_in_large_blocks()
for label, key, target in B.ROWS:
    if key in figures:
        r = figures[key]
        print(f"{label:62} {r['median_ms']:8.2f}/{r['p95_ms']:7.2f}ms "
              f"{r['cpu_median_ms']:8.2f}/{r['cpu_p95_ms']:7.2f}ms  {target}")
print("load after", os.getloadavg())
