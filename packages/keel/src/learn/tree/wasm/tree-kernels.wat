;; Tree prediction for the TypeScript models (tree, forest, boosting): the leaf each row reaches
;; and its values added to the outputs. Compiled to tree-kernels.wasm.ts by scripts/build-wasm.mjs;
;; test/learn-trees/boost-kernels.test.ts checks that the compiled bytes match this source.
;;
;; Every pointer is a byte address in the memory the caller passes in. A tree is an array of
;; 16-byte node records: feature (i32; bit 30 set when NaN goes left; a leaf has only the sign
;; bit set), threshold (f32), left and right child (i32 node indices); its values are f64, k per
;; node. A row goes left when x < threshold (x and threshold float32, as ONNX Runtime compares)
;; or when x is NaN and bit 30 is set. A leaf's children are itself (threshold +inf, feature 0),
;; so four rows descend side by side without a test per row: one that reached its leaf steps in
;; place until all four have; the child is picked with `select` (no branch to mispredict), and
;; one row's chain of dependent loads overlaps the others'.
(module
  (import "env" "memory" (memory 1 65536))

  ;; out[(i * stride) + c] += scale * values[leaf * k + c] for c < k (stride and out's offset in
  ;; f64 elements and bytes; the leaf is given by its record address).
  (func $add (param $i i32) (param $rec i32) (param $nodes i32) (param $values i32) (param $k i32)
    (param $out i32) (param $stride i32) (param $scale f64)
    (local $c i32) (local $o i32) (local $v i32)
    (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i) (local.get $stride)) (i32.const 3))))
    ;; value index = node index * k = (rec - nodes) / 16 * k
    (local.set $v (i32.add (local.get $values) (i32.shl
      (i32.mul (i32.shr_u (i32.sub (local.get $rec) (local.get $nodes)) (i32.const 4)) (local.get $k))
      (i32.const 3))))
    (loop $each
      (f64.store (local.get $o) (f64.add (f64.load (local.get $o))
        (f64.mul (local.get $scale) (f64.load (local.get $v)))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (local.set $v (i32.add (local.get $v) (i32.const 8)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $c) (local.get $k)))))

  ;; tree_outputs(nodes, values, k, x, p, n, out, stride, scale): adds one tree's outputs for
  ;; rows 0..n-1 of x (f32, p per row) to out (f64, stride per row, already offset to the
  ;; first output to write).
  (func (export "tree_outputs")
    (param $nodes i32) (param $values i32) (param $k i32) (param $x i32) (param $p i32) (param $n i32)
    (param $out i32) (param $stride i32) (param $scale f64)
    (local $i i32) (local $f i32) (local $rowBytes i32) (local $row0 i32) (local $rec0 i32) (local $f0 i32) (local $v0 f32) (local $row1 i32) (local $rec1 i32) (local $f1 i32) (local $v1 f32) (local $row2 i32) (local $rec2 i32) (local $f2 i32) (local $v2 f32) (local $row3 i32) (local $rec3 i32) (local $f3 i32) (local $v3 f32)
    (local.set $rowBytes (i32.shl (local.get $p) (i32.const 2)))
    (local.set $f (i32.load (local.get $nodes)))
    ;; four rows at a time
    (block $quads
      (br_if $quads (i32.lt_u (local.get $n) (i32.const 4)))
      (loop $quad
        (local.set $row0 (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 0)) (local.get $rowBytes))))
        (local.set $rec0 (local.get $nodes))
        (local.set $f0 (local.get $f))
        (local.set $row1 (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $rowBytes))))
        (local.set $rec1 (local.get $nodes))
        (local.set $f1 (local.get $f))
        (local.set $row2 (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $rowBytes))))
        (local.set $rec2 (local.get $nodes))
        (local.set $f2 (local.get $f))
        (local.set $row3 (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $rowBytes))))
        (local.set $rec3 (local.get $nodes))
        (local.set $f3 (local.get $f))
        (block $leaves
          (loop $level
            ;; every feature field negative: all four rows are at leaves
            (br_if $leaves (i32.lt_s (i32.and (i32.and (i32.and (local.get $f0) (local.get $f1)) (local.get $f2)) (local.get $f3)) (i32.const 0)))
            (local.set $v0 (f32.load (i32.add (local.get $row0)
              (i32.shl (i32.and (local.get $f0) (i32.const 0x3fffffff)) (i32.const 2)))))
            (local.set $rec0 (i32.add (local.get $nodes) (i32.shl
              (select (i32.load offset=8 (local.get $rec0)) (i32.load offset=12 (local.get $rec0))
                (i32.or (f32.lt (local.get $v0) (f32.load offset=4 (local.get $rec0)))
                  (i32.and (i32.shr_u (local.get $f0) (i32.const 30))
                    (f32.ne (local.get $v0) (local.get $v0)))))
              (i32.const 4))))
            (local.set $f0 (i32.load (local.get $rec0)))
            (local.set $v1 (f32.load (i32.add (local.get $row1)
              (i32.shl (i32.and (local.get $f1) (i32.const 0x3fffffff)) (i32.const 2)))))
            (local.set $rec1 (i32.add (local.get $nodes) (i32.shl
              (select (i32.load offset=8 (local.get $rec1)) (i32.load offset=12 (local.get $rec1))
                (i32.or (f32.lt (local.get $v1) (f32.load offset=4 (local.get $rec1)))
                  (i32.and (i32.shr_u (local.get $f1) (i32.const 30))
                    (f32.ne (local.get $v1) (local.get $v1)))))
              (i32.const 4))))
            (local.set $f1 (i32.load (local.get $rec1)))
            (local.set $v2 (f32.load (i32.add (local.get $row2)
              (i32.shl (i32.and (local.get $f2) (i32.const 0x3fffffff)) (i32.const 2)))))
            (local.set $rec2 (i32.add (local.get $nodes) (i32.shl
              (select (i32.load offset=8 (local.get $rec2)) (i32.load offset=12 (local.get $rec2))
                (i32.or (f32.lt (local.get $v2) (f32.load offset=4 (local.get $rec2)))
                  (i32.and (i32.shr_u (local.get $f2) (i32.const 30))
                    (f32.ne (local.get $v2) (local.get $v2)))))
              (i32.const 4))))
            (local.set $f2 (i32.load (local.get $rec2)))
            (local.set $v3 (f32.load (i32.add (local.get $row3)
              (i32.shl (i32.and (local.get $f3) (i32.const 0x3fffffff)) (i32.const 2)))))
            (local.set $rec3 (i32.add (local.get $nodes) (i32.shl
              (select (i32.load offset=8 (local.get $rec3)) (i32.load offset=12 (local.get $rec3))
                (i32.or (f32.lt (local.get $v3) (f32.load offset=4 (local.get $rec3)))
                  (i32.and (i32.shr_u (local.get $f3) (i32.const 30))
                    (f32.ne (local.get $v3) (local.get $v3)))))
              (i32.const 4))))
            (local.set $f3 (i32.load (local.get $rec3)))
            (br $level)))
        (call $add (i32.add (local.get $i) (i32.const 0)) (local.get $rec0) (local.get $nodes) (local.get $values)
          (local.get $k) (local.get $out) (local.get $stride) (local.get $scale))
        (call $add (i32.add (local.get $i) (i32.const 1)) (local.get $rec1) (local.get $nodes) (local.get $values)
          (local.get $k) (local.get $out) (local.get $stride) (local.get $scale))
        (call $add (i32.add (local.get $i) (i32.const 2)) (local.get $rec2) (local.get $nodes) (local.get $values)
          (local.get $k) (local.get $out) (local.get $stride) (local.get $scale))
        (call $add (i32.add (local.get $i) (i32.const 3)) (local.get $rec3) (local.get $nodes) (local.get $values)
          (local.get $k) (local.get $out) (local.get $stride) (local.get $scale))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $quad (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))))
    ;; the remaining rows one by one
    (block $done
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (loop $single
        (local.set $row0 (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 0)) (local.get $rowBytes))))
        (local.set $rec0 (local.get $nodes))
        (local.set $f0 (local.get $f))
        (block $leaf
          (loop $down
            (br_if $leaf (i32.lt_s (local.get $f0) (i32.const 0)))
            (local.set $v0 (f32.load (i32.add (local.get $row0)
              (i32.shl (i32.and (local.get $f0) (i32.const 0x3fffffff)) (i32.const 2)))))
            (local.set $rec0 (i32.add (local.get $nodes) (i32.shl
              (select (i32.load offset=8 (local.get $rec0)) (i32.load offset=12 (local.get $rec0))
                (i32.or (f32.lt (local.get $v0) (f32.load offset=4 (local.get $rec0)))
                  (i32.and (i32.shr_u (local.get $f0) (i32.const 30))
                    (f32.ne (local.get $v0) (local.get $v0)))))
              (i32.const 4))))
            (local.set $f0 (i32.load (local.get $rec0)))
            (br $down)))
        (call $add (i32.add (local.get $i) (i32.const 0)) (local.get $rec0) (local.get $nodes) (local.get $values)
          (local.get $k) (local.get $out) (local.get $stride) (local.get $scale))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $single (i32.lt_u (local.get $i) (local.get $n))))))
)
