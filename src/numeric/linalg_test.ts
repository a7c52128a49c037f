import assert from "node:assert/strict";
import { choleskySolve, EigenWorkspace, symmetricEigen, symmetricEigenInto } from "./linalg.ts";
import { CounterStream } from "./random.ts";

function randomSymmetric(n: number, prompt: number, scale = 1): Float64Array {
  const g = new Float64Array(n * n);
  new CounterStream({ seed: 11, stream: 0 }).normals(prompt, 0, 0, n * n, g);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = scale * (g[i * n + j] + g[j * n + i]) / 2;
  }
  return a;
}

function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

Deno.test("symmetricEigen: V diag(lambda) V^T reconstructs A, V orthogonal, ascending", () => {
  for (const n of [1, 2, 3, 4, 6, 9, 16]) {
    for (let trial = 0; trial < 5; trial++) {
      const a = randomSymmetric(n, 100 * n + trial, 10 ** (trial - 2));
      const { values, vectors } = symmetricEigen(a, n);
      // Backward stability: residuals of order n eps ||A||; allow n^2 eps for the sums.
      const tol = n * n * 8 * Number.EPSILON * frobenius(a);
      const residual = new Float64Array(n * n);
      const gram = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0, g = 0;
          for (let k = 0; k < n; k++) {
            r += vectors[i * n + k] * values[k] * vectors[j * n + k];
            g += vectors[k * n + i] * vectors[k * n + j];
          }
          residual[i * n + j] = r - a[i * n + j];
          gram[i * n + j] = g - (i === j ? 1 : 0);
        }
      }
      assert.ok(frobenius(residual) <= tol, `n=${n}: residual ${frobenius(residual)}`);
      assert.ok(frobenius(gram) <= n * n * 8 * Number.EPSILON, `n=${n}: gram ${frobenius(gram)}`);
      for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1]);
      let trace = 0, sum = 0;
      for (let i = 0; i < n; i++) (trace += a[i * n + i], sum += values[i]);
      assert.ok(Math.abs(trace - sum) <= tol);
    }
  }
});

Deno.test("symmetricEigen: known spectra (diagonal, repeated, rank one)", () => {
  assert.deepEqual(Array.from(symmetricEigen(new Float64Array([3, 0, 0, 1]), 2).values), [1, 3]);
  const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(values[0] - 1) < 1e-15 && Math.abs(values[1] - 3) < 1e-15);
  // I + m m^T: eigenvalue 1 (multiplicity 3) and 1 + |m|^2.
  const m = [1, 2, -1, 0.5];
  const a = new Float64Array(16);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) a[i * 4 + j] = (i === j ? 1 : 0) + m[i] * m[j];
  }
  const e = symmetricEigen(a, 4).values;
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(e[i] - 1) < 1e-14);
  assert.ok(Math.abs(e[3] - 7.25) < 1e-14);
});

Deno.test("choleskySolve: solves SPD systems, rejects indefinite ones", () => {
  const n = 5;
  const b0 = randomSymmetric(n, 7);
  const a = new Float64Array(n * n); // B B^T + I
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += b0[i * n + k] * b0[j * n + k];
      a[i * n + j] = s;
    }
  }
  const x0 = [1, -2, 3, 0.5, 0];
  const rhs = Array.from({ length: n }, (_, i) => x0.reduce((s, v, k) => s + a[i * n + k] * v, 0));
  const x = choleskySolve(a, rhs, n);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - x0[i]) < 1e-12);
  assert.throws(() => choleskySolve([1, 2, 2, 1], [1, 1], 2), RangeError);
});

Deno.test("symmetricEigenInto: a reused workspace gives symmetricEigen's result to the bit", () => {
  // Batch callers (one decomposition per prompt) reuse one workspace: no state may leak
  // from one matrix to the next, in either order. Control: the workspace's previous
  // result differs, so equality is not vacuous.
  for (const n of [1, 2, 5, 8]) {
    const count = 6;
    const packed = new Float64Array(count * n * n);
    for (let m = 0; m < count; m++) packed.set(randomSymmetric(n, 100 + m, 1 + m), m * n * n);
    const workspace = new EigenWorkspace(n);
    for (const m of [0, 1, 2, 3, 4, 5, 3, 0]) {
      const before = Float64Array.from(workspace.values);
      symmetricEigenInto(packed, m * n * n, workspace);
      const alone = symmetricEigen(packed.subarray(m * n * n, (m + 1) * n * n), n);
      assert.deepEqual(workspace.values, alone.values);
      assert.deepEqual(workspace.vectors, alone.vectors);
      if (m !== 0 && n > 1) assert.notDeepEqual(before, workspace.values);
    }
  }
});

Deno.test("symmetricEigen: equal eigenvalues keep their original order (stable sort)", () => {
  // diag(2, 1, 1, 0): the eigenvectors of the repeated 1 must come as e_1 then e_2.
  const { values, vectors } = symmetricEigen(
    new Float64Array([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
    4,
  );
  assert.deepEqual([...values], [0, 1, 1, 2]);
  const column = (c: number) => [0, 1, 2, 3].map((r) => Math.abs(vectors[r * 4 + c]));
  assert.deepEqual(column(0), [0, 0, 0, 1]);
  assert.deepEqual(column(1), [0, 1, 0, 0]);
  assert.deepEqual(column(2), [0, 0, 1, 0]);
  assert.deepEqual(column(3), [1, 0, 0, 0]);
});
