;; Inner loops of histogram gradient boosting, shared by the calling thread and the worker
;; threads (see shard-executor.ts). Compiled to boost-kernels.wasm.ts by scripts/build-wasm.mjs;
;; test/learn-trees/boost-kernels.test.ts checks that the compiled bytes match this source.
;;
;; Every pointer is a byte address in the shared memory all threads import. Histograms hold one
;; 32-byte slot per bin: gradient sum, hessian sum (one f64x2) and row count (f64), then padding,
;; so the (gradient, hessian) pair of a row is added with one SIMD add and never straddles a
;; cache line. Gradient/hessian pairs are interleaved per row (16 bytes).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; histogram(bins, p, stride, rows, start, end, gh, hist): for every row r of
  ;; rows[start..end) (i32 row indices) and every feature j < p, adds gh[r] to the slot of bin
  ;; bins[r * p + j] (row-major u8 bins) in feature j's histogram at hist + j * stride.
  (func (export "histogram")
    (param $bins i32) (param $p i32) (param $stride i32) (param $rows i32) (param $start i32)
    (param $end i32) (param $gh i32) (param $hist i32)
    (local $k i32) (local $r i32) (local $gv v128) (local $b i32) (local $bend i32)
    (local $slot i32) (local $hj i32)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (br_if $done (i32.eqz (local.get $p)))
      (loop $row
        (local.set $r (i32.load (local.get $k)))
        (local.set $gv (v128.load (i32.add (local.get $gh) (i32.shl (local.get $r) (i32.const 4)))))
        (local.set $b (i32.add (local.get $bins) (i32.mul (local.get $r) (local.get $p))))
        (local.set $bend (i32.add (local.get $b) (local.get $p)))
        (local.set $hj (local.get $hist))
        (loop $feature
          (local.set $slot (i32.add (local.get $hj) (i32.shl (i32.load8_u (local.get $b)) (i32.const 5))))
          (v128.store (local.get $slot) (f64x2.add (v128.load (local.get $slot)) (local.get $gv)))
          (f64.store offset=16 (local.get $slot)
            (f64.add (f64.load offset=16 (local.get $slot)) (f64.const 1)))
          (local.set $hj (i32.add (local.get $hj) (local.get $stride)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $feature (i32.lt_u (local.get $b) (local.get $bend))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $k) (local.get $end))))))

  ;; e^t in both lanes: t = n ln2 + r with |r| <= ln2/2 (ln2 split in two for exactness), e^r by
  ;; its Taylor polynomial of degree 11 in Estrin's scheme (short dependency chains), times 2^n
  ;; built in the exponent bits. Relative error below 1e-14 against Math.exp; t is clamped to
  ;; [-708, 708], where 2^n stays a normal double.
  (func $exp (param $t v128) (result v128)
    (local $n v128) (local $r v128) (local $r2 v128) (local $r4 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128)
    (local.set $t (f64x2.min (f64x2.max (local.get $t) (v128.const f64x2 -708.0 -708.0)) (v128.const f64x2 708.0 708.0)))
    (local.set $n (f64x2.nearest (f64x2.mul (local.get $t) (v128.const f64x2 1.4426950408889634 1.4426950408889634))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $t) (f64x2.mul (local.get $n) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
      (f64x2.mul (local.get $n) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    ;; e^r = b0 + b1 r^4 + b2 r^8 with b_i = c_4i + c_4i+1 r + (c_4i+2 + c_4i+3 r) r^2, c_i = 1/i!
    (local.set $b0 (f64x2.add
      (f64x2.add (v128.const f64x2 1.0 1.0) (f64x2.mul (v128.const f64x2 1.0 1.0) (local.get $r)))
      (f64x2.mul (f64x2.add (v128.const f64x2 0.5 0.5) (f64x2.mul (v128.const f64x2 0.16666666666666666 0.16666666666666666) (local.get $r))) (local.get $r2))))
    (local.set $b1 (f64x2.add
      (f64x2.add (v128.const f64x2 0.041666666666666664 0.041666666666666664) (f64x2.mul (v128.const f64x2 0.008333333333333333 0.008333333333333333) (local.get $r)))
      (f64x2.mul (f64x2.add (v128.const f64x2 0.001388888888888889 0.001388888888888889) (f64x2.mul (v128.const f64x2 0.0001984126984126984 0.0001984126984126984) (local.get $r))) (local.get $r2))))
    (local.set $b2 (f64x2.add
      (f64x2.add (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05) (f64x2.mul (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06) (local.get $r)))
      (f64x2.mul (f64x2.add (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07) (f64x2.mul (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08) (local.get $r))) (local.get $r2))))
    (f64x2.mul
      (f64x2.add
        (f64x2.add (local.get $b0) (f64x2.mul (local.get $b1) (local.get $r4)))
        (f64x2.mul (local.get $b2) (f64x2.mul (local.get $r4) (local.get $r4))))
      ;; 2^n: (n + 1023) << 52 as the bits of a double
      (i64x2.shl
        (i64x2.add
          (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $n)))
          (v128.const i64x2 1023 1023))
        (i32.const 52))))

  ;; exp(t) for one value (tests compare the kernel's exponential with Math.exp).
  (func (export "exp") (param $t f64) (result f64)
    (f64x2.extract_lane 0 (call $exp (f64x2.splat (local.get $t)))))

  ;; binary_gradients(raw, y, rows, start, end, gh): binary log loss with a logistic link; for
  ;; every row r of rows[start..end): p = 1 / (1 + e^-raw[r]), gh[r] = (p - y[r],
  ;; max(p (1 - p), 1e-16)) (raw and y: f64 per row). Two rows per step, one per lane (an odd
  ;; last row fills both lanes).
  (func (export "binary_gradients")
    (param $raw i32) (param $y i32) (param $rows i32) (param $start i32) (param $end i32)
    (param $gh i32)
    (local $k i32) (local $r0 i32) (local $r1 i32) (local $p v128) (local $g v128) (local $h v128)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (loop $pair
        ;; byte offsets of the two rows' f64 values
        (local.set $r0 (i32.shl (i32.load (local.get $k)) (i32.const 3)))
        (local.set $r1 (select
          (i32.shl (i32.load offset=4 (local.get $k)) (i32.const 3))
          (local.get $r0)
          (i32.lt_u (i32.add (local.get $k) (i32.const 4)) (local.get $end))))
        (local.set $p (f64x2.div (v128.const f64x2 1.0 1.0)
          (f64x2.add (v128.const f64x2 1.0 1.0)
            (call $exp (f64x2.neg (f64x2.replace_lane 1
              (f64x2.splat (f64.load (i32.add (local.get $raw) (local.get $r0))))
              (f64.load (i32.add (local.get $raw) (local.get $r1)))))))))
        (local.set $g (f64x2.sub (local.get $p) (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $y) (local.get $r0))))
          (f64.load (i32.add (local.get $y) (local.get $r1))))))
        (local.set $h (f64x2.max (f64x2.mul (local.get $p) (f64x2.sub (v128.const f64x2 1.0 1.0) (local.get $p))) (v128.const f64x2 1e-16 1e-16)))
        ;; (g, h) of lane 0 to row 0's pair, of lane 1 to row 1's
        (v128.store (i32.add (local.get $gh) (i32.shl (local.get $r0) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $g) (local.get $h)))
        (v128.store (i32.add (local.get $gh) (i32.shl (local.get $r1) (i32.const 1)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $g) (local.get $h)))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br_if $pair (i32.lt_u (local.get $k) (local.get $end))))))

;; log(1 + t) for t in [0, 1] on both lanes (fdlibm's log1p method, within ~2 ulp):
  ;; u = 1 + t rounded, c = (t - (u - 1)) / u its rounding error, then log(u) = k ln2 + log(1 + f)
  ;; with u = 2^k (1 + f), f in [sqrt(2)/2 - 1, sqrt(2) - 1], and log(1 + f) from s = f / (2 + f)
  ;; by fdlibm's polynomial in s^2 (coefficients Lg1..Lg7).
  (func $log1p01 (param $t v128) (result v128)
    (local $u v128) (local $c v128) (local $k v128) (local $f v128) (local $s v128) (local $z v128)
    (local $w v128) (local $r v128) (local $hfsq v128)
    (local.set $u (f64x2.add (v128.const f64x2 1.0 1.0) (local.get $t)))
    (local.set $c (f64x2.div (f64x2.sub (local.get $t) (f64x2.sub (local.get $u) (v128.const f64x2 1.0 1.0))) (local.get $u)))
    ;; k = 1 where u > sqrt(2): f = u / 2 - 1, else f = u - 1 (both exact)
    (local.set $k (f64x2.gt (local.get $u) (v128.const f64x2 1.4142135623730951 1.4142135623730951)))
    (local.set $f (f64x2.sub
      (v128.bitselect (f64x2.mul (local.get $u) (v128.const f64x2 0.5 0.5)) (local.get $u) (local.get $k))
      (v128.const f64x2 1.0 1.0)))
    (local.set $k (v128.and (local.get $k) (v128.const f64x2 1.0 1.0)))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (v128.const f64x2 2.0 2.0) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $r (f64x2.add
      (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01)
        (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01)
          (f64x2.mul (local.get $w) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01))))))
      (f64x2.mul (local.get $z) (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01)
        (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01)
          (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01)
            (f64x2.mul (local.get $w) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01))))))))))
    (local.set $hfsq (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.mul (local.get $f) (local.get $f))))
    ;; k ln2_hi - ((hfsq - (s (hfsq + R) + k ln2_lo + c)) - f)
    (f64x2.sub
      (f64x2.mul (local.get $k) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))
      (f64x2.sub
        (f64x2.sub (local.get $hfsq)
          (f64x2.add
            (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))
              (f64x2.mul (local.get $k) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
            (local.get $c)))
        (local.get $f))))

  ;; log1p for one value in [0, 1] (tests compare it with Math.log1p).
  (func (export "log1p01") (param $t f64) (result f64)
    (f64x2.extract_lane 0 (call $log1p01 (f64x2.splat (local.get $t)))))

  ;; binary_loss(raw, y, rows, start, end) -> sum over rows r of rows[start..end) of the binary
  ;; log loss log(1 + e^z) - y z, z = raw[r] (raw, y: f64 per row), computed as
  ;; max(z, 0) + log1p(e^-|z|) - y z. Two rows per step; an odd last row counts once.
  (func (export "binary_loss")
    (param $raw i32) (param $y i32) (param $rows i32) (param $start i32) (param $end i32) (result f64)
    (local $k i32) (local $r0 i32) (local $r1 i32) (local $z v128) (local $yv v128) (local $one v128)
    (local $sum v128)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (loop $pair
        (local.set $r0 (i32.shl (i32.load (local.get $k)) (i32.const 3)))
        ;; lane 1 weighs 0 when the last row is alone (it repeats row 0)
        (local.set $one (f64x2.replace_lane 1 (v128.const f64x2 1.0 1.0)
          (select (f64.const 1.0) (f64.const 0.0) (i32.lt_u (i32.add (local.get $k) (i32.const 4)) (local.get $end)))))
        (local.set $r1 (select
          (i32.shl (i32.load offset=4 (local.get $k)) (i32.const 3))
          (local.get $r0)
          (i32.lt_u (i32.add (local.get $k) (i32.const 4)) (local.get $end))))
        (local.set $z (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $raw) (local.get $r0))))
          (f64.load (i32.add (local.get $raw) (local.get $r1)))))
        (local.set $yv (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $y) (local.get $r0))))
          (f64.load (i32.add (local.get $y) (local.get $r1)))))
        (local.set $sum (f64x2.add (local.get $sum) (f64x2.mul (local.get $one)
          (f64x2.sub
            (f64x2.add (f64x2.max (local.get $z) (v128.const f64x2 0.0 0.0))
              (call $log1p01 (call $exp (f64x2.neg (f64x2.abs (local.get $z))))))
            (f64x2.mul (local.get $yv) (local.get $z))))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br_if $pair (i32.lt_u (local.get $k) (local.get $end)))))
    (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))

    ;; partition(col, rows, start, end, cut, missing, missing_left, scratch) -> mid: stable
  ;; partition of rows[start..end) by the u8 bins of one feature (col, indexed by row): rows
  ;; with bin <= cut (or bin == missing when missing_left) first; returns the index of the first
  ;; row of the right side. Left rows are written back in place (never past the row being read),
  ;; right rows to scratch and copied after them. Branch-free: every row is written to both
  ;; places and only one cursor advances, since the direction is a coin flip no CPU predicts.
  (func (export "partition")
    (param $col i32) (param $rows i32) (param $start i32) (param $end i32) (param $cut i32)
    (param $missing i32) (param $missing_left i32) (param $scratch i32) (result i32)
    (local $k i32) (local $l i32) (local $rr i32) (local $r i32) (local $b i32) (local $left i32)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (local.set $l (local.get $k))
    (local.set $rr (local.get $scratch))
    (block $done
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (loop $row
        (local.set $r (i32.load (local.get $k)))
        (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $r))))
        (local.set $left (i32.or
          (i32.le_u (local.get $b) (local.get $cut))
          (i32.and (local.get $missing_left) (i32.eq (local.get $b) (local.get $missing)))))
        (i32.store (local.get $l) (local.get $r))
        (i32.store (local.get $rr) (local.get $r))
        (local.set $l (i32.add (local.get $l) (i32.shl (local.get $left) (i32.const 2))))
        (local.set $rr (i32.add (local.get $rr) (i32.shl (i32.xor (local.get $left) (i32.const 1)) (i32.const 2))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $k) (local.get $end)))))
    (memory.copy (local.get $l) (local.get $scratch) (i32.sub (local.get $rr) (local.get $scratch)))
    (i32.shr_u (i32.sub (local.get $l) (local.get $rows)) (i32.const 2)))

  ;; add_split_values(col, rows, start, end, cut, missing, missing_left, raw, stride, lv, rv):
  ;; by the same test as partition, adds lv (left) or rv (right) to the f64 at raw + r * stride
  ;; for every row r of rows[start..end): the last split of a branch needs no partition, only
  ;; its two leaf values applied.
  (func (export "add_split_values")
    (param $col i32) (param $rows i32) (param $start i32) (param $end i32) (param $cut i32)
    (param $missing i32) (param $missing_left i32) (param $raw i32) (param $stride i32)
    (param $lv f64) (param $rv f64)
    (local $k i32) (local $r i32) (local $b i32) (local $at i32)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (loop $row
        (local.set $r (i32.load (local.get $k)))
        (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $r))))
        (local.set $at (i32.add (local.get $raw) (i32.mul (local.get $r) (local.get $stride))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
          (select (local.get $lv) (local.get $rv) (i32.or
            (i32.le_u (local.get $b) (local.get $cut))
            (i32.and (local.get $missing_left) (i32.eq (local.get $b) (local.get $missing)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $k) (local.get $end))))))

  ;; add_into(dst, src, bytes): dst += src, element-wise over f64 (bytes a multiple of 16).
  (func (export "add_into") (param $dst i32) (param $src i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $pair
        (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $pair (i32.lt_u (local.get $dst) (local.get $end))))))

  ;; subtract_from(dst, src, bytes): dst -= src, element-wise over f64 (bytes a multiple of 16).
  (func (export "subtract_from") (param $dst i32) (param $src i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $pair
        (v128.store (local.get $dst) (f64x2.sub (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $pair (i32.lt_u (local.get $dst) (local.get $end))))))

  ;; zero(dst, bytes): dst[0..bytes) = 0. A bulk memory.fill: JavaScript's TypedArray fill on
  ;; shared memory goes element by element (~6x slower on a 48 KB histogram).
  (func (export "zero") (param $dst i32) (param $bytes i32)
    (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes)))
)
