;; Dot products of one query with every row of a float32 matrix, for VectorIndex.search (rank-fusion.ts).
;; Bit-identical to its JavaScript loop: each float32 is widened to f64, multiplied and added in f64 (WASM
;; never fuses a multiply-add), into four accumulators d0..d3 by index mod 4, summed as ((d0 + d1) + d2) + d3.
;; Lanes: a = (d0, d1), b = (d2, d3). The query comes pre-widened to f64 so only the rows are converted.
;; scan2 does the same for two queries in one pass over the rows (each row is read once; a search with the question
;; and its expanded form scans twice as fast), each query's arithmetic exactly that of scan.
;; Build: npx tsx scripts/build-dot-scan-wasm.ts (writes dot-scan-wasm.ts; a test checks it is current).
(module
  (import "env" "memory" (memory 1))
  ;; scan(rows, n, dim, q, out): rows = n × dim float32 (dim a multiple of 4); q = dim f64; out = n f64.
  (func (export "scan") (param $rows i32) (param $n i32) (param $dim i32) (param $q i32) (param $out i32)
    (local $end i32) (local $rowEnd i32) (local $qp i32) (local $x v128) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $rows) (i32.mul (i32.mul (local.get $n) (local.get $dim)) (i32.const 4))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $rows) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $rows) (i32.mul (local.get $dim) (i32.const 4))))
        (local.set $qp (local.get $q))
        (local.set $a (f64x2.splat (f64.const 0)))
        (local.set $b (f64x2.splat (f64.const 0)))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $rows) (local.get $rowEnd)))
            (local.set $x (v128.load (local.get $rows)))
            (local.set $a (f64x2.add (local.get $a)
              (f64x2.mul (v128.load (local.get $qp)) (f64x2.promote_low_f32x4 (local.get $x)))))
            (local.set $b (f64x2.add (local.get $b)
              (f64x2.mul (v128.load offset=16 (local.get $qp))
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))))
            (local.set $rows (i32.add (local.get $rows) (i32.const 16)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (br $col)))
        (f64.store (local.get $out)
          (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
              (f64x2.extract_lane 0 (local.get $b)))
            (f64x2.extract_lane 1 (local.get $b))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $row))))
  ;; scan2(rows, n, dim, q, out, q2, out2): scan(rows, n, dim, q, out) and scan(rows, n, dim, q2, out2) in one pass.
  (func (export "scan2") (param $rows i32) (param $n i32) (param $dim i32) (param $q i32) (param $out i32)
    (param $q2 i32) (param $out2 i32)
    (local $end i32) (local $rowEnd i32) (local $qp i32) (local $qp2 i32) (local $x v128) (local $lo v128)
    (local $hi v128) (local $a v128) (local $b v128) (local $a2 v128) (local $b2 v128)
    (local.set $end (i32.add (local.get $rows) (i32.mul (i32.mul (local.get $n) (local.get $dim)) (i32.const 4))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $rows) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $rows) (i32.mul (local.get $dim) (i32.const 4))))
        (local.set $qp (local.get $q))
        (local.set $qp2 (local.get $q2))
        (local.set $a (f64x2.splat (f64.const 0)))
        (local.set $b (f64x2.splat (f64.const 0)))
        (local.set $a2 (f64x2.splat (f64.const 0)))
        (local.set $b2 (f64x2.splat (f64.const 0)))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $rows) (local.get $rowEnd)))
            (local.set $x (v128.load (local.get $rows)))
            (local.set $lo (f64x2.promote_low_f32x4 (local.get $x)))
            (local.set $hi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (v128.load (local.get $qp)) (local.get $lo))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (v128.load offset=16 (local.get $qp)) (local.get $hi))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load (local.get $qp2)) (local.get $lo))))
            (local.set $b2 (f64x2.add (local.get $b2)
              (f64x2.mul (v128.load offset=16 (local.get $qp2)) (local.get $hi))))
            (local.set $rows (i32.add (local.get $rows) (i32.const 16)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (local.set $qp2 (i32.add (local.get $qp2) (i32.const 32)))
            (br $col)))
        (f64.store (local.get $out)
          (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
              (f64x2.extract_lane 0 (local.get $b)))
            (f64x2.extract_lane 1 (local.get $b))))
        (f64.store (local.get $out2)
          (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2)))
              (f64x2.extract_lane 0 (local.get $b2)))
            (f64x2.extract_lane 1 (local.get $b2))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $out2 (i32.add (local.get $out2) (i32.const 8)))
        (br $row))))
)
