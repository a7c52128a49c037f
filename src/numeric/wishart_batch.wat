;; The exact statistics sampler's per-prompt loop (`model/wishart.ts`) for a chunk of prompts
;; in one WebAssembly call: the source of the bytes embedded in `wishart_batch_wasm.ts`
;; (assembled by wabt's wat2wasm; `wishart_batch_wasm_test.ts` re-assembles it and compares).
;; It shares the memory of `philox_wasm.wat` and calls its `increment` and `normals`, so W, S
;; and the normals are where those leave them. Every floating-point operation is the one of
;; the JS code (`writeWishartStatistics`, `samplePaperToken`) in the same order (IEEE-754
;; float64, no fused multiply-add), so the statistics are bit-identical.
;;
;; Memory (shared), byte offsets used here:
;;   98368   the normals that `normals` writes (the query token's d + 2)
;;   1376256 W of `increment` (p x p, row-major), 1900544 S (p)
;;   1966080 the context lengths L_0 < L_1 < ... (i32, up to 512; filled by the host)
;;   1968128 the chunk's spikes m (count x d, filled by the host), then per context r the
;;           chunk's Sigma_hat (count d d), mu_hat (count d), mean y (count), mean y^2 (count),
;;           then the queries x (count d) and their labels y (count); for `tasks`, the
;;           direction normals (count x d) and then the strength words (count u32)
(module
  (import "philox" "memory" (memory 48))
  (import "philox" "increment" (func $increment (param i32 i32 i32 i32 i32 i32 i32 i32 i32 f64)
    (result i32)))
  (import "philox" "normals" (func $normals (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "philox" "bits" (func $bits (param i32 i32 i32 i32 i32 i32)))

  ;; writeWishartStatistics for one prompt from W and S: m at $m, Sigma_hat (d x d) at $sig,
  ;; mu_hat at $mu, mean y at $my, mean y^2 at $my2.
  (func $write (param $d i32) (param $L i32) (param $sigma f64) (param $l f64) (param $m i32)
    (param $sig i32) (param $mu i32) (param $my i32) (param $my2 i32)
    (local $p i32) (local $Lf f64) (local $inv f64) (local $whh f64) (local $weh f64)
    (local $wee f64) (local $a i32) (local $b i32) (local $ma f64) (local $ra i32)
    (local $wah f64) (local $wae f64) (local $cA f64) (local $row i32)
    (local.set $p (i32.add (local.get $d) (i32.const 2)))
    (local.set $Lf (f64.convert_i32_s (local.get $L)))
    (local.set $inv (f64.div (f64.const 1) (local.get $Lf)))
    (local.set $whh (f64.load (i32.const 1376256)))
    (local.set $weh (f64.load (i32.add (i32.const 1376256) (i32.shl (local.get $p) (i32.const 3)))))
    (local.set $wee (f64.load offset=8
      (i32.add (i32.const 1376256) (i32.shl (local.get $p) (i32.const 3)))))
    (block $aDone
      (loop $rows
        (br_if $aDone (i32.ge_u (local.get $a) (local.get $d)))
        (local.set $ma (f64.load (i32.add (local.get $m) (i32.shl (local.get $a) (i32.const 3)))))
        ;; byte address of W[a + 2][0]
        (local.set $ra (i32.add (i32.const 1376256) (i32.shl
          (i32.mul (i32.add (local.get $a) (i32.const 2)) (local.get $p)) (i32.const 3))))
        (local.set $wah (f64.load (local.get $ra)))
        (local.set $wae (f64.load offset=8 (local.get $ra)))
        (f64.store (i32.add (local.get $mu) (i32.shl (local.get $a) (i32.const 3)))
          (f64.div (f64.add
            (f64.mul (local.get $l) (f64.add (f64.mul (local.get $whh) (local.get $ma)) (local.get $wah)))
            (f64.mul (local.get $sigma)
              (f64.add (f64.mul (local.get $weh) (local.get $ma)) (local.get $wae))))
            (local.get $Lf)))
        (local.set $cA (f64.add (f64.mul (local.get $ma) (local.get $whh)) (local.get $wah)))
        (local.set $row (i32.add (local.get $sig) (i32.shl (i32.mul (local.get $a) (local.get $d))
          (i32.const 3))))
        (local.set $b (i32.const 0))
        (loop $cols
          ;; (cA m_b + m_a W[b + 2][0] + W[a + 2][b + 2]) / L as a product with 1 / L
          (f64.store (i32.add (local.get $row) (i32.shl (local.get $b) (i32.const 3)))
            (f64.mul (f64.add (f64.add
              (f64.mul (local.get $cA)
                (f64.load (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 3)))))
              (f64.mul (local.get $ma) (f64.load (i32.add (i32.const 1376256) (i32.shl
                (i32.mul (i32.add (local.get $b) (i32.const 2)) (local.get $p)) (i32.const 3))))))
              (f64.load offset=16 (i32.add (local.get $ra) (i32.shl (local.get $b) (i32.const 3)))))
              (local.get $inv)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br_if $cols (i32.le_u (local.get $b) (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows)))
    ;; the upper triangle mirrors the lower one
    (local.set $a (i32.const 0))
    (block $mDone
      (loop $mRows
        (br_if $mDone (i32.ge_u (local.get $a) (local.get $d)))
        (local.set $b (i32.add (local.get $a) (i32.const 1)))
        (block $mColsDone
          (loop $mCols
            (br_if $mColsDone (i32.ge_u (local.get $b) (local.get $d)))
            (f64.store (i32.add (local.get $sig) (i32.shl
                (i32.add (i32.mul (local.get $a) (local.get $d)) (local.get $b)) (i32.const 3)))
              (f64.load (i32.add (local.get $sig) (i32.shl
                (i32.add (i32.mul (local.get $b) (local.get $d)) (local.get $a)) (i32.const 3)))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $mCols)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $mRows)))
    (f64.store (local.get $my) (f64.div (f64.add
      (f64.mul (local.get $l) (f64.load (i32.const 1900544)))
      (f64.mul (local.get $sigma) (f64.load (i32.const 1900552)))) (local.get $Lf)))
    ;; (l l W_hh + 2 l sigma W_eh + sigma sigma W_ee) / L, left to right
    (f64.store (local.get $my2) (f64.div (f64.add (f64.add
      (f64.mul (f64.mul (local.get $l) (local.get $l)) (local.get $whh))
      (f64.mul (f64.mul (f64.mul (f64.const 2) (local.get $l)) (local.get $sigma)) (local.get $weh)))
      (f64.mul (f64.mul (local.get $sigma) (local.get $sigma)) (local.get $wee))) (local.get $Lf))))

  ;; Prompts first .. first + count - 1 (counter word 1) of the stream (c3, k0, k1) with d
  ;; dimensions and `contexts` nested context lengths: per prompt W = S = 0, then per context
  ;; the Bartlett increment (token word r) and the statistics, then the query token
  ;; (token word 0xffffffff). Returns 0, or 1 + n when an increment of prompt n failed.
  (func (export "batch") (param $first i32) (param $count i32) (param $c3 i32) (param $k0 i32)
    (param $k1 i32) (param $d i32) (param $contexts i32) (param $sigma f64) (param $l f64)
    (result i32)
    (local $p i32) (local $n i32) (local $r i32) (local $L i32) (local $previous i32)
    (local $m i32) (local $out i32) (local $stride i32) (local $base i32) (local $x i32)
    (local $j i32) (local $h f64) (local $dd i32)
    (local.set $p (i32.add (local.get $d) (i32.const 2)))
    (local.set $dd (i32.mul (local.get $d) (local.get $d)))
    (local.set $out (i32.add (i32.const 1968128) (i32.shl (i32.mul (local.get $count) (local.get $d))
      (i32.const 3))))
    ;; bytes of one context's outputs for the chunk
    (local.set $stride (i32.shl (i32.mul (local.get $count)
      (i32.add (i32.add (local.get $dd) (local.get $d)) (i32.const 2))) (i32.const 3)))
    (block $done
      (loop $prompts
        (br_if $done (i32.ge_u (local.get $n) (local.get $count)))
        (memory.fill (i32.const 1376256) (i32.const 0)
          (i32.shl (i32.mul (local.get $p) (local.get $p)) (i32.const 3)))
        (memory.fill (i32.const 1900544) (i32.const 0) (i32.shl (local.get $p) (i32.const 3)))
        (local.set $m (i32.add (i32.const 1968128) (i32.shl (i32.mul (local.get $n) (local.get $d))
          (i32.const 3))))
        (local.set $previous (i32.const 0))
        (local.set $r (i32.const 0))
        (block $contextsDone
          (loop $each
            (br_if $contextsDone (i32.ge_u (local.get $r) (local.get $contexts)))
            (local.set $L (i32.load (i32.add (i32.const 1966080) (i32.shl (local.get $r) (i32.const 2)))))
            (if (call $increment (local.get $r) (i32.add (local.get $first) (local.get $n))
                (i32.const 0x03000000) (i32.const 0x04000000) (local.get $c3) (local.get $k0)
                (local.get $k1) (i32.sub (local.get $L) (local.get $previous)) (local.get $p)
                (f64.sqrt (f64.convert_i32_s (i32.sub (local.get $L) (local.get $previous)))))
              (then (return (i32.add (local.get $n) (i32.const 1)))))
            (local.set $previous (local.get $L))
            (local.set $base (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $stride))))
            (call $write (local.get $d) (local.get $L) (local.get $sigma) (local.get $l) (local.get $m)
              (i32.add (local.get $base) (i32.shl (i32.mul (local.get $n) (local.get $dd)) (i32.const 3)))
              (i32.add (i32.add (local.get $base) (i32.shl (i32.mul (local.get $count) (local.get $dd))
                (i32.const 3))) (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3)))
              (i32.add (i32.add (local.get $base) (i32.shl (i32.mul (local.get $count)
                (i32.add (local.get $dd) (local.get $d))) (i32.const 3))) (i32.shl (local.get $n) (i32.const 3)))
              (i32.add (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (local.get $count)
                (i32.add (local.get $dd) (local.get $d))) (local.get $count)) (i32.const 3)))
                (i32.shl (local.get $n) (i32.const 3))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        ;; the query token: x = h m + xi, y = l h + sigma eps from its d + 2 normals
        (call $normals (i32.const -1) (i32.add (local.get $first) (local.get $n)) (i32.const 0x02000000)
          (local.get $c3) (local.get $k0) (local.get $k1) (i32.const 0) (local.get $p))
        (local.set $h (f64.load (i32.const 98368)))
        (local.set $x (i32.add (i32.add (local.get $out) (i32.mul (local.get $contexts) (local.get $stride)))
          (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $xDone
          (loop $xs
            (br_if $xDone (i32.ge_u (local.get $j) (local.get $d)))
            (f64.store (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))
              (f64.add (f64.mul (local.get $h)
                (f64.load (i32.add (local.get $m) (i32.shl (local.get $j) (i32.const 3)))))
                (f64.load offset=98376 (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $xs)))
        (f64.store (i32.add (i32.add (i32.add (local.get $out)
            (i32.mul (local.get $contexts) (local.get $stride)))
            (i32.shl (i32.mul (local.get $count) (local.get $d)) (i32.const 3)))
            (i32.shl (local.get $n) (i32.const 3)))
          (f64.add (f64.mul (local.get $l) (local.get $h))
            (f64.mul (local.get $sigma) (f64.load offset=98376 (i32.shl (local.get $d) (i32.const 3))))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $prompts)))
    (i32.const 0))
;; The task draws of `samplePaperTasks` for prompts first .. first + count - 1: per prompt the
  ;; first word of its strength block (token 0, tag 1, block 0) and its d direction normals
  ;; (token 0, tag 0), at 1968128 (normals, count d float64) and after them (words, count u32).
  (func (export "tasks") (param $first i32) (param $count i32) (param $c3 i32) (param $k0 i32)
    (param $k1 i32) (param $d i32)
    (local $n i32) (local $g i32) (local $words i32)
    (local.set $g (i32.const 1968128))
    (local.set $words (i32.add (i32.const 1968128) (i32.shl (i32.mul (local.get $count) (local.get $d))
      (i32.const 3))))
    (block $done
      (loop $prompts
        (br_if $done (i32.ge_u (local.get $n) (local.get $count)))
        (call $bits (i32.const 0) (i32.add (local.get $first) (local.get $n)) (i32.const 0x01000000)
          (local.get $c3) (local.get $k0) (local.get $k1))
        (i32.store (i32.add (local.get $words) (i32.shl (local.get $n) (i32.const 2)))
          (i32.load (i32.const 98304)))
        (call $normals (i32.const 0) (i32.add (local.get $first) (local.get $n)) (i32.const 0)
          (local.get $c3) (local.get $k0) (local.get $k1) (i32.const 0) (local.get $d))
        (memory.copy (local.get $g) (i32.const 98368) (i32.shl (local.get $d) (i32.const 3)))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $d) (i32.const 3))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $prompts))))
)
