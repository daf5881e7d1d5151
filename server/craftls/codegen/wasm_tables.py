"""The WebAssembly runtime's tables and function values (``tables.py`` in the interpreter,
``c_tables.py`` in C), appended to ``wasm_runtime.RUNTIME`` by ``wasm_emit``.

A table is an array in memory (its array part) whose ``fixed`` word is 2, or 3 once its
hash part has a key; the hash part lives in the host (``wasm_host_tables.py``), keyed by
the array's address, holding values as the module's own (tag, payload) pairs. Reading
``t[i]`` of an integer in 1..n and storing there run here; every other key, and
``t.name``, is a call of the host. ``sort`` runs here (the same insertion sort as the
interpreter's, so a comparator is asked the same questions in the same order); a
function value is (10, its index in the table ``$fns``), called through
``call_indirect`` with its arguments in a memory array."""

from __future__ import annotations

from typing import Final

# the host operations of the table's hash part (after wasm_runtime.HOST_OPS' own)
TABLE_HOST_OPS: Final = ("table_get", "table_set", "field_get", "field_set", "table_absorb",
                         "meta_len")
FN_TAG: Final = 10
PACK_TAG: Final = 11  # several results of a call (values.Packed): a list, taken apart


def runtime(op_code: dict[str, int]) -> str:
    """The WAT functions, given the host op codes (wasm_runtime.HOST_OPS' indexes)."""
    return TABLES.replace("OP_TABLE_GET", str(op_code["table_get"])) \
        .replace("OP_TABLE_SET", str(op_code["table_set"])) \
        .replace("OP_FIELD_GET", str(op_code["field_get"])) \
        .replace("OP_FIELD_SET", str(op_code["field_set"])) \
        .replace("OP_TABLE_ABSORB", str(op_code["table_absorb"])) \
        .replace("OP_META_LEN", str(op_code["meta_len"]))


TABLES: Final = r"""
  ;; ----- tables and function values (codegen/wasm_tables.py) -----
  (type $fnval (func (param i32 i32 i32) (result i32 i64)))  ;; call position, arguments, count
  (func $is_table (param $t i32) (param $v i64) (result i32)
    (if (result i32) (i32.eq (local.get $t) (i32.const 6))
      (then (i32.ge_u (i32.load offset=16 (i32.wrap_i64 (local.get $v))) (i32.const 2)))
      (else (i32.const 0))))
  (func $in_part (param $a i32) (param $it i32) (param $iv i64) (result i32)
    (i32.and (i32.eq (local.get $it) (i32.const 3))
      (i32.and (i64.ge_s (local.get $iv) (i64.const 1))
        (i64.le_s (local.get $iv) (i64.extend_i32_u (i32.load offset=8 (local.get $a)))))))
  (func $host_op3 (param $op i32) (param $pos i32) (param $at i32) (param $av i64) (param $bt i32) (param $bv i64) (param $ct i32) (param $cv i64) (result i32 i64)
    (local $args i32)
    (local.set $args (call $alloc (i32.const 48)))
    (call $cell_set (local.get $args) (local.get $at) (local.get $av))
    (call $cell_set (i32.add (local.get $args) (i32.const 16)) (local.get $bt) (local.get $bv))
    (call $cell_set (i32.add (local.get $args) (i32.const 32)) (local.get $ct) (local.get $cv))
    (call $host_op (local.get $op) (i32.const 0) (local.get $pos) (local.get $args) (i32.const 3)))
  (func $tbl_get (param $pos i32) (param $bv i64) (param $it i32) (param $iv i64) (result i32 i64)
    (local $a i32)
    (local.set $a (i32.wrap_i64 (local.get $bv)))
    ;; a nil in the array part of a table with a metatable (fixed 3): the host looks on
    (if (call $in_part (local.get $a) (local.get $it) (local.get $iv))
      (then (if (i32.or (i32.ne (i32.load (call $item (local.get $a) (i32.wrap_i64 (i64.sub (local.get $iv) (i64.const 1))))) (i32.const 1))
                        (i32.ne (i32.load offset=16 (local.get $a)) (i32.const 3)))
        (then (return (call $cell_get (call $item (local.get $a) (i32.wrap_i64 (i64.sub (local.get $iv) (i64.const 1))))))))))
    (call $host_op3 (i32.const OP_TABLE_GET) (local.get $pos) (i32.const 6) (local.get $bv) (local.get $it) (local.get $iv) (i32.const 1) (i64.const 0)))
  ;; base[index] := value: a table's array part here (a nil stored last drops the nils at
  ;; the end), any other key on the host; an array's or list's element as before
  (func $rt_store_elem (param $vt i32) (param $vv i64) (param $pos i32) (param $bt i32) (param $bv i64) (param $it i32) (param $iv i64)
    (local $a i32) (local $n i32)
    (if (call $is_table (local.get $bt) (local.get $bv))
      (then
        (local.set $a (i32.wrap_i64 (local.get $bv)))
        (if (call $in_part (local.get $a) (local.get $it) (local.get $iv))
          (then
            (local.set $n (i32.load offset=8 (local.get $a)))
            (call $cell_set (call $item (local.get $a) (i32.wrap_i64 (i64.sub (local.get $iv) (i64.const 1)))) (local.get $vt) (local.get $vv))
            (if (i32.and (i32.eq (local.get $vt) (i32.const 1)) (i64.eq (local.get $iv) (i64.extend_i32_u (local.get $n))))
              (then (block $done (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (br_if $done (i32.ne (i32.load (call $item (local.get $a) (i32.sub (local.get $n) (i32.const 1)))) (i32.const 1)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (i32.store offset=8 (local.get $a) (local.get $n))
                (br $next)))))
            (return)))
        (call $host_op3 (i32.const OP_TABLE_SET) (local.get $pos) (local.get $bt) (local.get $bv) (local.get $it) (local.get $iv) (local.get $vt) (local.get $vv))
        drop drop
        (return)))
    (call $rt_store_at (local.get $vt) (local.get $vv) (call $rt_elem_ref (local.get $pos) (local.get $bt) (local.get $bv) (local.get $it) (local.get $iv))))
  (func $rt_field_get (param $pos i32) (param $bt i32) (param $bv i64) (param $id i32) (result i32 i64)
    (if (call $is_table (local.get $bt) (local.get $bv))
      (then (return (call $host_op3 (i32.const OP_FIELD_GET) (local.get $pos) (local.get $bt) (local.get $bv) (i32.const 3) (i64.extend_i32_u (local.get $id)) (i32.const 1) (i64.const 0)))))
    (call $cell_get (call $rt_field_ref (local.get $pos) (local.get $bt) (local.get $bv) (local.get $id))))
  (func $rt_store_field (param $vt i32) (param $vv i64) (param $pos i32) (param $bt i32) (param $bv i64) (param $id i32)
    (if (call $is_table (local.get $bt) (local.get $bv))
      (then
        (call $host_op3 (i32.const OP_FIELD_SET) (local.get $pos) (local.get $bt) (local.get $bv) (i32.const 3) (i64.extend_i32_u (local.get $id)) (local.get $vt) (local.get $vv))
        drop drop
        (return)))
    (call $rt_store_at (local.get $vt) (local.get $vv) (call $rt_field_ref (local.get $pos) (local.get $bt) (local.get $bv) (local.get $id))))
  ;; append to a table: nothing for nil; then the host moves keys n + 1 ... of a hash part
  (func $tbl_append (param $pos i32) (param $a i32) (param $t i32) (param $v i64)
    (if (i32.eq (local.get $t) (i32.const 1)) (then (return)))
    (call $arr_push (local.get $a) (local.get $t) (local.get $v))
    (if (i32.eq (i32.load offset=16 (local.get $a)) (i32.const 3))
      (then
        (call $host_op3 (i32.const OP_TABLE_ABSORB) (local.get $pos) (i32.const 6) (i64.extend_i32_u (local.get $a)) (i32.const 1) (i64.const 0) (i32.const 1) (i64.const 0))
        drop drop)))
  ;; sort(t[, less]): the interpreter's insertion sort (tables.insertion_sort)
  (func $sort_less (param $pos i32) (param $ft i32) (param $fv i64) (param $x i32) (param $y i32) (param $call i32) (result i32)
    (local $rt i32) (local $rv i64)
    (if (i32.eq (local.get $ft) (i32.const 10))
      (then
        (memory.copy (local.get $call) (local.get $x) (i32.const 16))
        (memory.copy (i32.add (local.get $call) (i32.const 16)) (local.get $y) (i32.const 16))
        (call $rt_nth (call $rt_call_value (local.get $pos) (local.get $ft) (local.get $fv) (local.get $call) (i32.const 2)) (i32.const 1))
        (local.set $rv) (local.set $rt)
        (return (i32.eqz (i32.or (i32.eq (local.get $rt) (i32.const 1))
          (i32.and (i32.eq (local.get $rt) (i32.const 2)) (i64.eqz (local.get $rv))))))))
    (call $rt_test (local.get $pos) (i32.const 2) (call $cell_get (local.get $x)) (call $cell_get (local.get $y))))
  (func $op_sort (param $pos i32) (param $name i32) (param $args i32) (param $n i32) (result i32 i64)
    (local $a i32) (local $ft i32) (local $fv i64) (local $len i32) (local $i i32) (local $j i32) (local $x i32) (local $call i32)
    (if (i32.eqz (call $is_table (call $cell_get (local.get $args))))
      (then (call $fail (local.get $pos) (i32.const 38) (i64.extend_i32_u (local.get $name)) (call $tc (call $cell_get (local.get $args))) (i64.const 0)) unreachable))
    (local.set $a (i32.wrap_i64 (i64.load offset=8 (local.get $args))))
    (local.set $ft (i32.const 1))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (local.set $ft (i32.load offset=16 (local.get $args))) (local.set $fv (i64.load offset=24 (local.get $args)))))
    (if (i32.and (i32.ne (local.get $ft) (i32.const 1)) (i32.ne (local.get $ft) (i32.const 10)))
      (then (call $fail (local.get $pos) (i32.const 39) (i64.extend_i32_u (local.get $name)) (call $tc (local.get $ft) (local.get $fv)) (i64.const 0)) unreachable))
    (local.set $len (i32.load offset=8 (local.get $a)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (if (i32.eq (i32.load (call $item (local.get $a) (local.get $i))) (i32.const 1))
        (then (call $fail (local.get $pos) (i32.const 40) (i64.extend_i32_u (local.get $name)) (i64.extend_i32_u (i32.add (local.get $i) (i32.const 1))) (i64.const 0)) unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.set $x (call $alloc (i32.const 16)))
    (local.set $call (call $alloc (i32.const 32)))
    (local.set $i (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $i) (i32.load offset=8 (local.get $a))))
      (memory.copy (local.get $x) (call $item (local.get $a) (local.get $i)) (i32.const 16))
      (local.set $j (i32.sub (local.get $i) (i32.const 1)))
      (block $placed (loop $shift
        (br_if $placed (i32.lt_s (local.get $j) (i32.const 0)))
        (br_if $placed (i32.eqz (call $sort_less (local.get $pos) (local.get $ft) (local.get $fv) (local.get $x) (call $item (local.get $a) (local.get $j)) (local.get $call))))
        (memory.copy (call $item (local.get $a) (i32.add (local.get $j) (i32.const 1))) (call $item (local.get $a) (local.get $j)) (i32.const 16))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br $shift)))
      (memory.copy (call $item (local.get $a) (i32.add (local.get $j) (i32.const 1))) (local.get $x) (i32.const 16))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.const 1) (i64.const 0))
  ;; ----- function values, closures, packs, metatables -----
  ;; a pack: a list of the n cells at a (tag 11)
  (func $rt_pack (param $a i32) (param $n i32) (result i32 i64)
    (local $p i32) (local $k i32)
    (local.set $p (call $arr_new (i64.const 1) (i32.const 0) (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (call $arr_push (local.get $p) (call $cell_get (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 4)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next)))
    (i32.const 11) (i64.extend_i32_u (local.get $p)))
  ;; the k-th value (from 1) of a pack, nil past its end; any other value is its own first
  (func $rt_nth (param $t i32) (param $v i64) (param $k i32) (result i32 i64)
    (local $p i32)
    (if (i32.eq (local.get $t) (i32.const 11))
      (then
        (local.set $p (i32.wrap_i64 (local.get $v)))
        (if (i32.le_u (local.get $k) (i32.load offset=8 (local.get $p)))
          (then (return (call $cell_get (call $item (local.get $p) (i32.sub (local.get $k) (i32.const 1)))))))
        (return (i32.const 1) (i64.const 0))))
    (if (i32.eq (local.get $k) (i32.const 1)) (then (return (local.get $t) (local.get $v))))
    (i32.const 1) (i64.const 0))
  ;; the n cells at a, then the values of (lt, lv), sep (tag 0: none) before each but
  ;; where it would come first: a new array and its count
  (func $rt_spread (param $a i32) (param $n i32) (param $lt i32) (param $lv i64) (param $st i32) (param $sv i64) (result i32 i32)
    (local $more i32) (local $out i32) (local $m i32) (local $j i32) (local $p i32)
    (local.set $more (i32.const 1))
    (if (i32.eq (local.get $lt) (i32.const 11))
      (then (local.set $p (i32.wrap_i64 (local.get $lv))) (local.set $more (i32.load offset=8 (local.get $p)))))
    (local.set $out (call $alloc (i32.shl (i32.add (i32.add (local.get $n) (i32.shl (local.get $more) (i32.const 1))) (i32.const 1)) (i32.const 4))))
    (memory.copy (local.get $out) (local.get $a) (i32.shl (local.get $n) (i32.const 4)))
    (local.set $m (local.get $n))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $more)))
      (if (i32.and (i32.ne (local.get $st) (i32.const 0)) (i32.ne (local.get $m) (i32.const 0)))
        (then
          (call $cell_set (i32.add (local.get $out) (i32.shl (local.get $m) (i32.const 4))) (local.get $st) (local.get $sv))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))))
      (if (i32.eq (local.get $lt) (i32.const 11))
        (then (memory.copy (i32.add (local.get $out) (i32.shl (local.get $m) (i32.const 4))) (call $item (local.get $p) (local.get $j)) (i32.const 16)))
        (else (call $cell_set (i32.add (local.get $out) (i32.shl (local.get $m) (i32.const 4))) (local.get $lt) (local.get $lv))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.get $out) (local.get $m))
  ;; a call of the function value (ft, fv): its low 32 bits index $fns, its high 32 bits
  ;; are a closure's table of cells, passed first; the result as it is (maybe a pack)
  (func $rt_call_value (param $pos i32) (param $ft i32) (param $fv i64) (param $a i32) (param $n i32) (result i32 i64)
    (local $env i32) (local $with i32)
    (if (i32.ne (local.get $ft) (i32.const 10))
      (then (call $fail (local.get $pos) (i32.const 41) (call $tc (local.get $ft) (local.get $fv)) (i64.const 0) (i64.const 0)) unreachable))
    (local.set $env (i32.wrap_i64 (i64.shr_u (local.get $fv) (i64.const 32))))
    (if (local.get $env)
      (then
        (local.set $with (call $alloc (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 4))))
        (call $cell_set (local.get $with) (i32.const 6) (i64.extend_i32_u (local.get $env)))
        (memory.copy (i32.add (local.get $with) (i32.const 16)) (local.get $a) (i32.shl (local.get $n) (i32.const 4)))
        (local.set $a (local.get $with))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))))
    (call_indirect $fns (type $fnval) (local.get $pos) (local.get $a) (local.get $n) (i32.wrap_i64 (local.get $fv))))
  ;; receiver:name(args), the receiver the first of the n cells at a
  (func $rt_method (param $pos i32) (param $name i32) (param $a i32) (param $n i32) (result i32 i64)
    (local $rt i32) (local $rv i64) (local $ft i32) (local $fv i64)
    (local.set $rt (i32.load (local.get $a)))
    (local.set $rv (i64.load offset=8 (local.get $a)))
    (if (i32.eqz (call $is_table (local.get $rt) (local.get $rv)))
      (then (call $fail (local.get $pos) (i32.const 42) (i64.extend_i32_u (local.get $name)) (call $tc (local.get $rt) (local.get $rv)) (i64.const 0)) unreachable))
    (call $rt_field_get (local.get $pos) (local.get $rt) (local.get $rv) (local.get $name))
    (local.set $fv) (local.set $ft)
    (if (i32.eq (local.get $ft) (i32.const 1))
      (then (call $fail (local.get $pos) (i32.const 43) (i64.extend_i32_u (local.get $name)) (i64.const 0) (i64.const 0)) unreachable))
    (call $rt_call_value (local.get $pos) (local.get $ft) (local.get $fv) (local.get $a) (local.get $n)))
  ;; #v: a table with a metatable (fixed 3) may have __len (the host finds it)
  (func $op_length_meta (param $pos i32) (param $name i32) (param $t i32) (param $v i64) (result i32 i64)
    (local $ht i32) (local $hv i64) (local $call i32)
    (if (call $is_table (local.get $t) (local.get $v))
      (then (if (i32.eq (i32.load offset=16 (i32.wrap_i64 (local.get $v))) (i32.const 3))
        (then
          (call $host_op3 (i32.const OP_META_LEN) (local.get $pos) (local.get $t) (local.get $v) (i32.const 1) (i64.const 0) (i32.const 1) (i64.const 0))
          (local.set $hv) (local.set $ht)
          (if (i32.ne (local.get $ht) (i32.const 1))
            (then
              (local.set $call (call $alloc (i32.const 32)))
              (call $cell_set (local.get $call) (local.get $t) (local.get $v))
              (call $cell_set (i32.add (local.get $call) (i32.const 16)) (local.get $t) (local.get $v))
              (return (call $rt_nth (call $rt_call_value (local.get $pos) (local.get $ht) (local.get $hv) (local.get $call) (i32.const 2)) (i32.const 1)))))))))
    (call $op_length (local.get $pos) (local.get $name) (local.get $t) (local.get $v)))
"""
