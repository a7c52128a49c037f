/**
 * Small dense linear algebra in float64: the symmetric eigendecomposition
 * (Householder tridiagonalisation + implicit QL), the symmetric tridiagonal
 * eigenproblem used for Gauss quadrature, and Cholesky solves.
 * Matrices are row-major `Float64Array`s.
 *
 * @module
 */

/**
 * sqrt(a^2 + b^2) without spurious overflow or underflow: the plain formula where the
 * squares are safely inside float64's range (the usual case, several times faster than
 * Math.hypot), Math.hypot otherwise. Both are within 1 ulp of the exact value.
 */
function pythagoras(a: number, b: number): number {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}

/**
 * Implicit QL iterations on a symmetric tridiagonal matrix (diagonal `d`,
 * sub-diagonal `e` with `e[i]` coupling i and i+1; `e[n-1]` unused).
 * On return `d` holds the eigenvalues. If `z` (row-major, `rows` x n) is given, its
 * columns are rotated along, so starting from Q (or from the first row of I) it
 * returns the eigenvectors (or their first components).
 */
export function tridiagonalQl(
  d: Float64Array,
  e: Float64Array,
  z?: Float64Array,
  rows = 0,
): void {
  const n = d.length;
  if (n === 0) return;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error("tridiagonalQl: no convergence after 60 iterations");
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = pythagoras(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = pythagoras(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (z) {
          for (let k = 0; k < rows; k++) {
            const zf = z[k * n + i + 1];
            z[k * n + i + 1] = s * z[k * n + i] + c * zf;
            z[k * n + i] = c * z[k * n + i] - s * zf;
          }
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Result of {@linkcode symmetricEigen}: `a = vectors * diag(values) * vectors^T`. */
export interface SymmetricEigen {
  /** Eigenvalues (ascending). */
  values: Float64Array;
  /** Row-major n x n matrix whose columns are orthonormal eigenvectors. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric n x n matrix (row-major; only the lower
 * triangle is read). O(n^3).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { symmetricEigen } from "./linalg.ts";
 * const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * // Ascending, [1, 3] up to rounding (a few ulps of ||A|| = 3).
 * assert.ok(Math.abs(values[0] - 1) < 1e-14 && Math.abs(values[1] - 3) < 1e-14);
 * ```
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const workspace = new EigenWorkspace(n);
  symmetricEigenInto(a, 0, workspace);
  return { values: workspace.values, vectors: workspace.vectors };
}

/**
 * Buffers of one n x n symmetric eigendecomposition, reused across calls by batch callers
 * (one per prompt: allocating them each time cost more than the arithmetic at d <= 8).
 * `values` and `vectors` hold the last result and are overwritten by the next call.
 */
export class EigenWorkspace {
  /** The order n. */
  readonly n: number;
  /** Eigenvalues of the last decomposition (ascending). */
  readonly values: Float64Array;
  /** Its eigenvectors, row-major n x n with orthonormal columns. */
  readonly vectors: Float64Array;
  /** Working copy of the matrix. */
  readonly w: Float64Array;
  /** Accumulated orthogonal transform. */
  readonly q: Float64Array;
  /** Householder vector. */
  readonly v: Float64Array;
  /** Householder product W v. */
  readonly p: Float64Array;
  /** Tridiagonal diagonal, then the unsorted eigenvalues. */
  readonly d: Float64Array;
  /** Tridiagonal off-diagonal. */
  readonly e: Float64Array;
  /** Sorting permutation. */
  readonly order: Int32Array;
  /** Buffers for order `n`. */
  constructor(n: number) {
    this.n = n;
    this.values = new Float64Array(n);
    this.vectors = new Float64Array(n * n);
    this.w = new Float64Array(n * n);
    this.q = new Float64Array(n * n);
    this.v = new Float64Array(n);
    this.p = new Float64Array(n);
    this.d = new Float64Array(n);
    this.e = new Float64Array(n);
    this.order = new Int32Array(n);
  }
}

/**
 * {@linkcode symmetricEigen} of the n x n matrix stored in `a` from `offset` (n =
 * `workspace.n`), into `workspace.values` and `workspace.vectors` (internal: no allocation;
 * the same arithmetic as `symmetricEigen`).
 */
export function symmetricEigenInto(
  a: ArrayLike<number>,
  offset: number,
  workspace: EigenWorkspace,
): void {
  const { n, w, q, v, p, d, e, order, values, vectors } = workspace;
  // Householder reduction: A = Q T Q^T, with Q accumulated in `q`.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      w[i * n + j] = a[offset + i * n + j];
      w[j * n + i] = a[offset + i * n + j];
    }
  }
  q.fill(0);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  v.fill(0);
  p.fill(0);
  for (let k = 0; k < n - 2; k++) {
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += w[i * n + k] * w[i * n + k];
    const alpha = Math.sqrt(norm2);
    if (alpha === 0) continue;
    const x0 = w[(k + 1) * n + k];
    const sign = x0 >= 0 ? 1 : -1;
    v.fill(0);
    for (let i = k + 1; i < n; i++) v[i] = w[i * n + k];
    v[k + 1] += sign * alpha;
    let vnorm2 = 0;
    for (let i = k + 1; i < n; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 === 0) continue;
    const scale = 1 / Math.sqrt(vnorm2);
    for (let i = k + 1; i < n; i++) v[i] *= scale;
    // H = I - 2 v v^T; W <- H W H using p = W v, kappa = v^T p.
    for (let i = k; i < n; i++) {
      let sum = 0;
      for (let j = k + 1; j < n; j++) sum += w[i * n + j] * v[j];
      p[i] = sum;
    }
    let kappa = 0;
    for (let i = k + 1; i < n; i++) kappa += v[i] * p[i];
    for (let i = k; i < n; i++) {
      for (let j = k; j < n; j++) {
        w[i * n + j] += -2 * v[i] * p[j] - 2 * p[i] * v[j] + 4 * kappa * v[i] * v[j];
      }
    }
    // Q <- Q H
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = k + 1; j < n; j++) sum += q[i * n + j] * v[j];
      for (let j = k + 1; j < n; j++) q[i * n + j] -= 2 * sum * v[j];
    }
  }
  e.fill(0);
  for (let i = 0; i < n; i++) d[i] = w[i * n + i];
  for (let i = 0; i < n - 1; i++) e[i] = w[(i + 1) * n + i];
  tridiagonalQl(d, e, q, n);
  // Sort ascending (stable insertion sort: the order Array.prototype.sort gives).
  for (let i = 0; i < n; i++) {
    const key = order[i] = i;
    let j = i - 1;
    for (; j >= 0 && d[order[j]] > d[key]; j--) order[j + 1] = order[j];
    order[j + 1] = key;
  }
  for (let c = 0; c < n; c++) {
    values[c] = d[order[c]];
    for (let r = 0; r < n; r++) vectors[r * n + c] = q[r * n + order[c]];
  }
}

/**
 * Solves `a x = b` for symmetric positive definite `a` (n x n, row-major) by
 * Cholesky. Throws a RangeError if `a` is not numerically positive definite.
 */
export function choleskySolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) {
          throw new RangeError(`matrix must be positive definite, got pivot ${sum} at ${i}`);
        }
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k];
    x[i] = sum / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
    x[i] = sum / l[i * n + i];
  }
  return x;
}
