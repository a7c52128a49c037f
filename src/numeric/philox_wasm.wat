;; Philox4x32-10 with Box-Muller normals and Marsaglia-Tsang gamma variates, in WebAssembly:
;; the source of the bytes embedded in `philox_wasm.ts` (assembled by wabt's wat2wasm;
;; `philox_wasm_test.ts` re-assembles this file and compares). i64.mul gives the 64-bit
;; product of two u32 in one instruction, where JS needs four 16-bit partial products.
;; Every operation is the one `random.ts` does in JS, in the same order (IEEE-754 float64,
;; no fused multiply-add), and log / pow are JS's Math.log / Math.pow, imported, so the
;; results are bit-identical to the JS reference (`philox4x32`, `boxMuller`).
;;
;; Memory (48 pages of 64 KiB), byte offsets:
;;   0      the high angle table: 4096 (cos, sin) of 2 pi i / 2^12        (filled by the host)
;;   65536  the low angle table: 2048 (cos, sin) of 2 pi (i + 0.5) / 2^23 (filled by the host)
;;   98304  the four u32 of `bits`
;;   98368  the normals of `normals`: up to 20464 float64
;;   262144 the Bartlett diagonal of `chi`: up to 8192 float64
;;   327680 the Bartlett factor A of `lowerProduct`, column-major (A[r][c] at c P + r), P x P
;;          float64 with P <= 256 a multiple of 4 (filled by the host; zero above the diagonal)
;;   851968 the lower triangle of A A^T that `lowerProduct` writes, row-major with stride P
;;   1376256 W of `increment`: p x p float64, row-major (lower triangle used), p <= 256
;;   1900544 S of `increment`: p float64
;;   1966080 and up: the chunks of `wishart_batch.wat` (which imports this memory)
(module
  (import "math" "log" (func $log (param f64) (result f64)))
  (import "math" "pow" (func $pow (param f64 f64) (result f64)))
  (memory (export "memory") 48)
  (global $o0 (mut i32) (i32.const 0))
  (global $o1 (mut i32) (i32.const 0))
  (global $o2 (mut i32) (i32.const 0))
  (global $o3 (mut i32) (i32.const 0))
  ;; The order p of the factor last written by `increment` (its zeros are kept between calls).
  (global $order (mut i32) (i32.const 0))

  ;; One Philox4x32-10 block of counter (x0, x1, x2, x3) and key (k0, k1) into $o0..$o3: the ten
  ;; rounds written out (no loop: a fifth fewer instructions), each but the last followed by the
  ;; key's Weyl step.
  (func $block (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32)
    (param $k0 i32) (param $k1 i32)
    (local $p0 i64) (local $p1 i64)
    ;; round 1
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 2
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 3
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 4
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 5
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 6
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 7
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 8
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 9
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9E3779B9)))
    (local.set $k1 (i32.add (local.get $k1) (i32.const 0xBB67AE85)))
    ;; round 10
    (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $x0)) (i64.const 0xD2511F53)))
    (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $x2)) (i64.const 0xCD9E8D57)))
    (local.set $x0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32)))
      (local.get $x1)) (local.get $k0)))
    (local.set $x1 (i32.wrap_i64 (local.get $p1)))
    (local.set $x2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32)))
      (local.get $x3)) (local.get $k1)))
    (local.set $x3 (i32.wrap_i64 (local.get $p0)))
    (global.set $o0 (local.get $x0))
    (global.set $o1 (local.get $x1))
    (global.set $o2 (local.get $x2))
    (global.set $o3 (local.get $x3)))

  ;; uniformFromBits: ((u >>> 9) + 0.5) / 2^23, as a multiplication by 2^-23 (exact either
  ;; way: a power of two only changes the exponent of a number far from the subnormals).
  (func $uniform (param $u i32) (result f64)
    (f64.mul (f64.add (f64.convert_i32_u (i32.shr_u (local.get $u) (i32.const 9)))
      (f64.const 0.5)) (f64.const 0x1p-23)))

  ;; sqrt(-2 ln uniform(u)).
  (func $radius (param $u i32) (result f64)
    (f64.sqrt (f64.mul (f64.const -2) (call $log (call $uniform (local.get $u))))))

  ;; cos(2 pi uniform(u)) from the tables: cHi cLo - sHi sLo.
  (func $cos (param $u i32) (result f64)
    (local $h i32) (local $l i32)
    (local.set $h (i32.shl (i32.shr_u (local.get $u) (i32.const 20)) (i32.const 4)))
    (local.set $l (i32.add (i32.const 65536)
      (i32.shl (i32.and (i32.shr_u (local.get $u) (i32.const 9)) (i32.const 2047)) (i32.const 4))))
    (f64.sub (f64.mul (f64.load (local.get $h)) (f64.load (local.get $l)))
      (f64.mul (f64.load offset=8 (local.get $h)) (f64.load offset=8 (local.get $l)))))

  ;; The Box-Muller pair of (u0, u1) stored at byte address $at and $at + 8.
  (func $pair (param $u0 i32) (param $u1 i32) (param $at i32)
    (local $rad f64) (local $h i32) (local $l i32)
    (local $ch f64) (local $sh f64) (local $cl f64) (local $sl f64)
    (local.set $rad (call $radius (local.get $u0)))
    (local.set $h (i32.shl (i32.shr_u (local.get $u1) (i32.const 20)) (i32.const 4)))
    (local.set $l (i32.add (i32.const 65536)
      (i32.shl (i32.and (i32.shr_u (local.get $u1) (i32.const 9)) (i32.const 2047)) (i32.const 4))))
    (local.set $ch (f64.load (local.get $h)))
    (local.set $sh (f64.load offset=8 (local.get $h)))
    (local.set $cl (f64.load (local.get $l)))
    (local.set $sl (f64.load offset=8 (local.get $l)))
    (f64.store (local.get $at) (f64.mul (local.get $rad)
      (f64.sub (f64.mul (local.get $ch) (local.get $cl)) (f64.mul (local.get $sh) (local.get $sl)))))
    (f64.store offset=8 (local.get $at) (f64.mul (local.get $rad)
      (f64.add (f64.mul (local.get $sh) (local.get $cl)) (f64.mul (local.get $ch) (local.get $sl))))))

  ;; The four u32 of one block, at 98304.
  (func (export "bits") (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $k0 i32) (param $k1 i32)
    (call $block (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)
      (local.get $k0) (local.get $k1))
    (i32.store (i32.const 98304) (global.get $o0))
    (i32.store (i32.const 98308) (global.get $o1))
    (i32.store (i32.const 98312) (global.get $o2))
    (i32.store (i32.const 98316) (global.get $o3)))

  ;; Normals of blocks first, first + 1, ... (counter word 2: tagBits | block) for `count`
  ;; values, at 98368 (whole pairs are written: the last block's second pair only if needed).
  (func $normals (export "normals") (param $c0 i32) (param $c1 i32) (param $tag i32) (param $c3 i32)
    (param $k0 i32) (param $k1 i32) (param $first i32) (param $count i32)
    (local $b i32) (local $at i32) (local $end i32)
    (local.set $b (local.get $first))
    (local.set $at (i32.const 98368))
    (local.set $end (i32.add (i32.const 98368) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (call $block (local.get $c0) (local.get $c1) (i32.or (local.get $tag) (local.get $b))
          (local.get $c3) (local.get $k0) (local.get $k1))
        (call $pair (global.get $o0) (global.get $o1) (local.get $at))
        ;; the second pair only where one of its values is asked for (no log for nothing)
        (if (i32.lt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end))
          (then
            (call $pair (global.get $o2) (global.get $o3) (i32.add (local.get $at) (i32.const 16)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $next))))

  ;; S = A A^T on and below the diagonal in 4 x 4 blocks (rows a..a+3, columns b..b+3, b <= a):
  ;; each entry is 0 + A[a][0] A[b][0] + A[a][1] A[b][1] + ... over c <= b + 3, in that order, in
  ;; one lane of f64x2 (multiply, then add: no fused multiply-add), as `addWishartIncrement` sums
  ;; it in JS (its terms beyond the diagonal of A are products with zero: they add +-0 to a sum
  ;; that is never -0, so they change nothing). Entries above the diagonal in a block are
  ;; written too and are not used.
  (func $lowerProduct (export "lowerProduct") (param $P i32)
    (local $a i32) (local $b i32) (local $c i32) (local $col i32) (local $y0 v128) (local $y1 v128)
    (local $x01 v128) (local $x23 v128) (local $x v128) (local $out i32) (local $row i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $row (i32.shl (local.get $P) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $P)))
        (local.set $b (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.gt_u (local.get $b) (local.get $a)))
            (local.set $s00 (v128.const f64x2 0 0))
            (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0))
            (local.set $s11 (v128.const f64x2 0 0))
            (local.set $s20 (v128.const f64x2 0 0))
            (local.set $s21 (v128.const f64x2 0 0))
            (local.set $s30 (v128.const f64x2 0 0))
            (local.set $s31 (v128.const f64x2 0 0))
            (local.set $c (i32.const 0))
            ;; column c of A starts at byte 327680 + 8 c P
            (local.set $col (i32.const 327680))
            (loop $sum
              (local.set $y0 (v128.load (i32.add (local.get $col) (i32.shl (local.get $b) (i32.const 3)))))
              (local.set $y1 (v128.load offset=16
                (i32.add (local.get $col) (i32.shl (local.get $b) (i32.const 3)))))
              (local.set $x01 (v128.load (i32.add (local.get $col) (i32.shl (local.get $a) (i32.const 3)))))
              (local.set $x23 (v128.load offset=16
                (i32.add (local.get $col) (i32.shl (local.get $a) (i32.const 3)))))
              (local.set $x (f64x2.splat (f64x2.extract_lane 0 (local.get $x01))))
              (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (f64x2.splat (f64x2.extract_lane 1 (local.get $x01))))
              (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (f64x2.splat (f64x2.extract_lane 0 (local.get $x23))))
              (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (f64x2.splat (f64x2.extract_lane 1 (local.get $x23))))
              (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $col (i32.add (local.get $col) (local.get $row)))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br_if $sum (i32.le_u (local.get $c) (i32.add (local.get $b) (i32.const 3)))))
            ;; S[a + i][b .. b + 3] at 851968 + 8 ((a + i) P + b)
            (local.set $out (i32.add (i32.const 851968) (i32.shl
              (i32.add (i32.mul (local.get $a) (local.get $P)) (local.get $b)) (i32.const 3))))
            (v128.store (local.get $out) (local.get $s00))
            (v128.store offset=16 (local.get $out) (local.get $s01))
            (local.set $out (i32.add (local.get $out) (local.get $row)))
            (v128.store (local.get $out) (local.get $s10))
            (v128.store offset=16 (local.get $out) (local.get $s11))
            (local.set $out (i32.add (local.get $out) (local.get $row)))
            (v128.store (local.get $out) (local.get $s20))
            (v128.store offset=16 (local.get $out) (local.get $s21))
            (local.set $out (i32.add (local.get $out) (local.get $row)))
            (v128.store (local.get $out) (local.get $s30))
            (v128.store offset=16 (local.get $out) (local.get $s31))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $cols)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $rows))))

  ;; One Bartlett increment of `addWishartIncrement` (count - 1 >= p, p <= 256) on W and S in
  ;; memory: the p + p (p - 1) / 2 normals (tag word $tagN), the diagonal (tag word $tagG, 1024
  ;; blocks per variate), W += g g^T and S += root g, then A (column-major, P = p rounded up to
  ;; a multiple of 4) and W += A A^T, each sum in the order of the JS code. Returns 0, or 1 + j
  ;; when the attempts of diagonal entry j were exhausted (W and S are then unchanged).
  (func (export "increment") (param $c0 i32) (param $c1 i32) (param $tagN i32) (param $tagG i32)
    (param $c3 i32) (param $k0 i32) (param $k1 i32) (param $count i32) (param $p i32)
    (param $root f64) (result i32)
    (local $failed i32) (local $a i32) (local $b i32) (local $c i32) (local $k i32) (local $P i32)
    (local $ga f64) (local $at i32) (local $from i32)
    (local.set $failed (call $chi (local.get $c0) (local.get $c1) (local.get $tagG) (local.get $c3)
      (local.get $k0) (local.get $k1) (i32.sub (local.get $count) (i32.const 1)) (local.get $p)
      (i32.const 1024)))
    (if (local.get $failed) (then (return (local.get $failed))))
    (call $normals (local.get $c0) (local.get $c1) (local.get $tagN) (local.get $c3) (local.get $k0)
      (local.get $k1) (i32.const 0) (i32.add (local.get $p) (i32.shr_u
        (i32.mul (local.get $p) (i32.sub (local.get $p) (i32.const 1))) (i32.const 1))))
    ;; W[a][b] += g[a] g[b] (b <= a) and S[a] += root g[a]; g = the first p normals.
    (local.set $a (i32.const 0))
    (block $gDone
      (loop $gRows
        (br_if $gDone (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $ga (f64.load (i32.add (i32.const 98368) (i32.shl (local.get $a) (i32.const 3)))))
        (local.set $at (i32.add (i32.const 1900544) (i32.shl (local.get $a) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
          (f64.mul (local.get $root) (local.get $ga))))
        (local.set $b (i32.const 0))
        (loop $gCols
          (local.set $at (i32.add (i32.const 1376256) (i32.shl
            (i32.add (i32.mul (local.get $a) (local.get $p)) (local.get $b)) (i32.const 3))))
          (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (local.get $ga)
            (f64.load (i32.add (i32.const 98368) (i32.shl (local.get $b) (i32.const 3)))))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $gCols (i32.le_u (local.get $b) (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $gRows)))
    ;; A, column-major: A[j][c] (c < j) the next normals, A[j][j] the diagonal; zero elsewhere.
    (local.set $P (i32.and (i32.add (local.get $p) (i32.const 3)) (i32.const -4)))
    (if (i32.ne (global.get $order) (local.get $p))
      (then
        (memory.fill (i32.const 327680) (i32.const 0)
          (i32.shl (i32.mul (local.get $P) (local.get $P)) (i32.const 3)))
        (global.set $order (local.get $p))))
    (local.set $k (local.get $p))
    (local.set $a (i32.const 0))
    (block $aDone
      (loop $aRows
        (br_if $aDone (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $c (i32.const 0))
        (block $cDone
          (loop $aCols
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $a)))
            (f64.store (i32.add (i32.const 327680) (i32.shl
                (i32.add (i32.mul (local.get $c) (local.get $P)) (local.get $a)) (i32.const 3)))
              (f64.load (i32.add (i32.const 98368) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $aCols)))
        (f64.store (i32.add (i32.const 327680) (i32.shl
            (i32.mul (local.get $a) (i32.add (local.get $P) (i32.const 1))) (i32.const 3)))
          (f64.load (i32.add (i32.const 262144) (i32.shl (local.get $a) (i32.const 3)))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $aRows)))
    (call $lowerProduct (local.get $P))
    ;; W[a][b] += (A A^T)[a][b], b <= a.
    (local.set $a (i32.const 0))
    (block $wDone
      (loop $wRows
        (br_if $wDone (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $b (i32.const 0))
        (local.set $at (i32.add (i32.const 1376256) (i32.shl (i32.mul (local.get $a) (local.get $p))
          (i32.const 3))))
        (local.set $from (i32.add (i32.const 851968) (i32.shl (i32.mul (local.get $a) (local.get $P))
          (i32.const 3))))
        (loop $wCols
          (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (local.get $from))))
          (local.set $at (i32.add (local.get $at) (i32.const 8)))
          (local.set $from (i32.add (local.get $from) (i32.const 8)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $wCols (i32.le_u (local.get $b) (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $wRows)))
    (i32.const 0))

  ;; The Bartlett diagonal sqrt(2 Gamma((rest - j) / 2)) = sqrt(chi^2_{rest - j}) for j < p,
  ;; variate j from blocks j stride, j stride + 1, ... (at most stride attempts), at 262144;
  ;; returns 0, or 1 + j for the first j whose attempts were exhausted.
  (func $chi (export "chi") (param $c0 i32) (param $c1 i32) (param $tag i32) (param $c3 i32)
    (param $k0 i32) (param $k1 i32) (param $rest i32) (param $p i32) (param $stride i32)
    (result i32)
    (local $j i32) (local $g f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $p)))
        (local.set $g (call $gamma (local.get $c0) (local.get $c1) (local.get $tag)
          (local.get $c3) (local.get $k0) (local.get $k1)
          (f64.div (f64.convert_i32_s (i32.sub (local.get $rest) (local.get $j))) (f64.const 2))
          (i32.mul (local.get $j) (local.get $stride)) (local.get $stride)))
        (if (f64.ne (local.get $g) (local.get $g))
          (then (return (i32.add (local.get $j) (i32.const 1)))))
        (f64.store (i32.add (i32.const 262144) (i32.shl (local.get $j) (i32.const 3)))
          (f64.sqrt (f64.mul (f64.const 2) (local.get $g))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; A Gamma(shape, 1) variate by Marsaglia-Tsang, one block per attempt (blocks first,
  ;; first + 1, ...; see `CounterStream.gamma`); NaN after `attempts` rejected attempts.
  (func $gamma (export "gamma") (param $c0 i32) (param $c1 i32) (param $tag i32) (param $c3 i32)
    (param $k0 i32) (param $k1 i32) (param $shape f64) (param $first i32) (param $attempts i32)
    (result f64)
    (local $boosted i32) (local $dd f64) (local $c f64) (local $i i32)
    (local $x f64) (local $t f64) (local $v f64) (local $u f64) (local $x2 f64) (local $value f64)
    (local.set $boosted (f64.lt (local.get $shape) (f64.const 1)))
    (local.set $dd (f64.sub
      (select (f64.add (local.get $shape) (f64.const 1)) (local.get $shape) (local.get $boosted))
      (f64.const 0x1.5555555555555p-2))) ;; 1 / 3 rounded, as JS's 1 / 3
    (local.set $c (f64.div (f64.const 1) (f64.sqrt (f64.mul (f64.const 9) (local.get $dd)))))
    (block $exhausted
      (loop $attempt
        (br_if $exhausted (i32.ge_s (local.get $i) (local.get $attempts)))
        (call $block (local.get $c0) (local.get $c1)
          (i32.or (local.get $tag) (i32.add (local.get $first) (local.get $i)))
          (local.get $c3) (local.get $k0) (local.get $k1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $x (f64.mul (call $radius (global.get $o0)) (call $cos (global.get $o1))))
        (local.set $t (f64.add (f64.const 1) (f64.mul (local.get $c) (local.get $x))))
        (br_if $attempt (f64.le (local.get $t) (f64.const 0)))
        (local.set $v (f64.mul (f64.mul (local.get $t) (local.get $t)) (local.get $t)))
        (local.set $u (call $uniform (global.get $o2)))
        (local.set $x2 (f64.mul (local.get $x) (local.get $x)))
        (if (i32.eqz (f64.lt (local.get $u)
              (f64.sub (f64.const 1)
                (f64.mul (f64.mul (f64.const 0.0331) (local.get $x2)) (local.get $x2)))))
          (then
            (br_if $attempt (i32.eqz (f64.lt (call $log (local.get $u))
              (f64.add (f64.mul (f64.const 0.5) (local.get $x2))
                (f64.mul (local.get $dd) (f64.add (f64.sub (f64.const 1) (local.get $v))
                  (call $log (local.get $v))))))))))
        (local.set $value (f64.mul (local.get $dd) (local.get $v)))
        (if (local.get $boosted)
          (then
            (local.set $value (f64.mul (local.get $value)
              (call $pow (call $uniform (global.get $o3))
                (f64.div (f64.const 1) (local.get $shape)))))))
        (return (local.get $value))))
    (f64.const nan))
)
